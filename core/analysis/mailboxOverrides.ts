// Mailbox overrides of a settings profile (issue 13, Mailboxes view): an admin's proposed change to a
// mailbox's filtering method, Process Emails From, folder-level tracking or incoming delivery is kept in
// the settings profile, beside the organization settings, never written over what was imported. The
// what-if then replays the same messages with each profile's mailboxes. Pure.

import { type FilteringMethod, type MailboxConfig, type TrackedFolder, normAddress } from '../engine/index.js';

export interface MailboxOverride {
  filter?: FilteringMethod;
  /** ISO date-time, or null to clear the imported date. */
  processEmailsFrom?: string | null;
  trackedFolders?: TrackedFolder[];
  incoming?: boolean;
}

/** Keyed by the mailbox address, lower-cased. */
export type MailboxOverrides = Record<string, MailboxOverride>;

/** The key under which a profile's stored JSON keeps its mailbox overrides (not a setting). */
export const MAILBOX_OVERRIDES_KEY = '$mailboxes';

/** Microsoft's labels for incomingemailfilteringmethod (research §5.1). */
export const FILTER_LABELS: Record<FilteringMethod, string> = {
  0: 'All email messages',
  1: 'Email messages in response to Dynamics 365 email',
  2: 'Email messages from Dynamics 365 Leads, Contacts and Accounts',
  3: 'Email messages from Dynamics 365 records that are email enabled',
  4: 'No email messages',
};

/** Microsoft's labels for mailbox.incomingemaildeliverymethod (research §5.2) as the engine models it. */
export function deliveryLabel(incoming: boolean): string {
  return incoming ? 'Server-Side Synchronization or Email Router' : 'None';
}

/** Splits a stored profile JSON into its settings and its mailbox overrides. */
export function splitProfile(stored: Record<string, unknown>): { settings: Record<string, unknown>; mailboxes: MailboxOverrides } {
  const { [MAILBOX_OVERRIDES_KEY]: raw, ...settings } = stored;
  return { settings, mailboxes: isOverrides(raw) ? raw : {} };
}

function isOverrides(v: unknown): v is MailboxOverrides {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The mailboxes with a profile's overrides applied; the same array when there is none (the replay cache reuses it). */
export function applyMailboxOverrides(mailboxes: MailboxConfig[], overrides: MailboxOverrides): MailboxConfig[] {
  if (Object.keys(overrides).length === 0) return mailboxes;
  return mailboxes.map((m) => {
    const o = overrides[normAddress(m.address)];
    if (!o) return m;
    return {
      ...m,
      ...(o.filter !== undefined ? { filter: o.filter } : {}),
      ...(o.processEmailsFrom !== undefined ? { processEmailsFrom: o.processEmailsFrom } : {}),
      ...(o.trackedFolders !== undefined ? { trackedFolders: o.trackedFolders.map((f) => ({ ...f })) } : {}),
      ...(o.incoming !== undefined ? { incoming: o.incoming } : {}),
    };
  });
}

/** An override reduced to what differs from the imported mailbox (an edit back to the imported value removes it). */
export function normalizeOverride(imported: MailboxConfig, o: MailboxOverride): MailboxOverride | null {
  const out: MailboxOverride = {};
  if (o.filter !== undefined && o.filter !== imported.filter) out.filter = o.filter;
  if (o.processEmailsFrom !== undefined && o.processEmailsFrom !== imported.processEmailsFrom) out.processEmailsFrom = o.processEmailsFrom;
  if (o.trackedFolders !== undefined && JSON.stringify(o.trackedFolders) !== JSON.stringify(imported.trackedFolders)) out.trackedFolders = o.trackedFolders;
  if (o.incoming !== undefined && o.incoming !== imported.incoming) out.incoming = o.incoming;
  return Object.keys(out).length ? out : null;
}

/** What a profile changes, one line per mailbox and field, for the what-if's list of changes. */
export function describeOverrides(mailboxes: readonly MailboxConfig[], overrides: MailboxOverrides): { name: string; before: unknown; after: unknown }[] {
  const out: { name: string; before: unknown; after: unknown }[] = [];
  for (const m of mailboxes) {
    const o = overrides[normAddress(m.address)];
    if (!o) continue;
    if (o.filter !== undefined) out.push({ name: `${m.address} filtering method`, before: FILTER_LABELS[m.filter], after: FILTER_LABELS[o.filter] });
    if (o.processEmailsFrom !== undefined) out.push({ name: `${m.address} Process Emails From`, before: m.processEmailsFrom, after: o.processEmailsFrom });
    if (o.trackedFolders !== undefined) out.push({ name: `${m.address} tracked folders`, before: m.trackedFolders.map((f) => f.folder).join(', ') || 'none', after: o.trackedFolders.map((f) => f.folder).join(', ') || 'none' });
    if (o.incoming !== undefined) out.push({ name: `${m.address} incoming delivery`, before: deliveryLabel(m.incoming), after: deliveryLabel(o.incoming) });
  }
  return out;
}
