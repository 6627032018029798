// Acceptance (SIMULATOR §4, research §5.4): which user or queue, if any, tracks the message.

import type { Settings } from './settings.js';
import type { DirectoryEntry, EntityRef, FilteringMethod, MailboxConfig, Outcome, TraceStep } from './types.js';
import type { RecipientResolution } from './resolve.js';
import { normAddress } from './order.js';

export const FILTER_NAMES: Record<FilteringMethod, string> = {
  0: 'All email messages',
  1: 'Email messages in response to Dynamics 365 email',
  2: 'Email messages from Leads, Contacts and Accounts',
  3: 'Email messages from records that are email enabled',
  4: 'No email messages',
};

export interface AcceptResult {
  outcome: Outcome | null; // null = accepted (see acceptedBy)
  acceptingEntity: EntityRef | null;
  acceptedBy: FilteringMethod | null;
  step: TraceStep;
}

interface Candidate {
  ref: EntityRef;
  filter: FilteringMethod;
  why: string;
}

/** Mailboxes by owner ref (first one wins). */
export function mailboxesByOwner(mailboxes: readonly MailboxConfig[]): Map<EntityRef, MailboxConfig> {
  const m = new Map<EntityRef, MailboxConfig>();
  for (const b of mailboxes) if (!m.has(b.owner)) m.set(b.owner, b);
  return m;
}

function filterPasses(filter: FilteringMethod, correlated: boolean, sender: DirectoryEntry | null): { ok: boolean; text: string } {
  switch (filter) {
    case 0: return { ok: true, text: 'accepts every message' };
    case 1: return correlated ? { ok: true, text: 'accepts it because correlation found a tracked email' } : { ok: false, text: 'needs a correlated tracked email and correlation found none' };
    case 2: return sender && (sender.kind === 'contact' || sender.kind === 'account' || sender.kind === 'lead')
      ? { ok: true, text: `accepts it because the sender resolved to ${sender.ref}` }
      : { ok: false, text: `needs a sender resolved to a lead, contact or account; the sender ${sender ? `resolved to ${sender.ref}` : 'is unresolved'}` };
    case 3: return sender ? { ok: true, text: `accepts it because the sender resolved to the email-enabled row ${sender.ref}` } : { ok: false, text: 'needs a resolved sender; the sender is unresolved' };
    case 4: return { ok: false, text: 'tracks nothing automatically' };
  }
}

export function accept(
  mailbox: MailboxConfig,
  sender: DirectoryEntry | null,
  recipients: readonly RecipientResolution[],
  byOwner: ReadonlyMap<EntityRef, MailboxConfig>,
  correlated: boolean,
  s: Settings,
): AcceptResult {
  const settings: string[] = [];
  const ownerIsUser = mailbox.owner.startsWith('user:');
  const ownerIsQueue = mailbox.owner.startsWith('queue:');

  // Internal email is checked first, before any filtering method (SIMULATOR §4).
  if (s.ignoreinternalemail && sender && (sender.kind === 'user' || sender.kind === 'queue')) {
    settings.push('ignoreinternalemail');
    const exceptions: string[] = [];
    if (sender.kind === 'queue' && !s.IgnoreInternalEmailFromQueues) exceptions.push('the sender is a queue and IgnoreInternalEmailFromQueues is off');
    const toQueue = ownerIsQueue || recipients.some((r) => r.field !== 'bcc' && r.entries.some((e) => e.kind === 'queue' && byOwner.get(e.ref)?.incoming));
    if (toQueue && s.DoNotIgnoreInternalEmailToQueues) exceptions.push('it is sent to a queue and DoNotIgnoreInternalEmailToQueues is on');
    settings.push(sender.kind === 'queue' ? 'IgnoreInternalEmailFromQueues' : 'DoNotIgnoreInternalEmailToQueues');
    if (exceptions.length === 0) {
      return {
        outcome: 'InternalEmailReject', acceptingEntity: null, acceptedBy: null,
        step: { stage: 'Accept', result: 'stopped', detail: `The sender ${sender.ref} is a ${sender.kind === 'user' ? 'system user' : 'queue'}, so this is internal email, and ignoreinternalemail is on ("track emails sent between users as two activities" = No): rejected before any filtering method is evaluated.`, settings, undocumented: true },
      };
    }
    settings.push('(exception applied)');
  }

  const candidates: Candidate[] = [];
  const seen = new Set<EntityRef>();
  const force = s.SSSForceFilteringMethodForUserMailboxes;
  const notes: string[] = [];
  if (!mailbox.incoming) notes.push(`The mailbox ${mailbox.address} has incoming delivery disabled, so its owner is not a candidate.`);
  else if (ownerIsUser && force >= 0 && force <= 4) {
    settings.push('SSSForceFilteringMethodForUserMailboxes');
    candidates.push({ ref: mailbox.owner, filter: force as FilteringMethod, why: `owner of the mailbox being processed, method forced to ${force} by SSSForceFilteringMethodForUserMailboxes` });
    seen.add(mailbox.owner);
  } else {
    candidates.push({ ref: mailbox.owner, filter: mailbox.filter, why: 'owner of the mailbox being processed' });
    seen.add(mailbox.owner);
  }
  const ownerOnly = (ownerIsUser && force >= 0) || s.UseFilteringMethodOfSyncingMailboxOnlyForCorrelation;
  if (s.UseFilteringMethodOfSyncingMailboxOnlyForCorrelation) settings.push('UseFilteringMethodOfSyncingMailboxOnlyForCorrelation');
  if (!ownerOnly) {
    for (const r of recipients) {
      if (r.field === 'bcc') continue; // Bcc recipients cannot be tracking recipients (KB-NRM)
      for (const e of r.entries) {
        if ((e.kind !== 'user' && e.kind !== 'queue') || seen.has(e.ref)) continue;
        const mb = byOwner.get(e.ref);
        if (!mb) { notes.push(`${e.ref} (${r.field} ${r.address}) has no mailbox.`); continue; }
        if (!mb.incoming) { notes.push(`${e.ref} (${r.field} ${r.address}) has incoming delivery disabled.`); continue; }
        seen.add(e.ref);
        candidates.push({ ref: e.ref, filter: mb.filter, why: `${r.field} recipient ${r.address}` });
      }
    }
  } else {
    notes.push('Only the owner of the mailbox being processed is a candidate.');
  }

  const lines: string[] = [...notes];
  for (const c of candidates) {
    const p = filterPasses(c.filter, correlated, sender);
    lines.push(`${c.ref} (${c.why}) uses filter ${c.filter} "${FILTER_NAMES[c.filter]}", which ${p.text}.`);
    if (p.ok) {
      lines.push(`${c.ref} is the Accepting Entity; ${mailbox.address} is the Receiving Mailbox.`);
      return {
        outcome: null, acceptingEntity: c.ref, acceptedBy: c.filter,
        step: { stage: 'Accept', result: 'accepted', detail: lines.join(' '), settings, data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } },
      };
    }
  }
  const anyRule1 = candidates.some((c) => c.filter === 1);
  const outcome: Outcome = anyRule1 ? 'NoCorrelationMatch' : 'NoRecipientMatch';
  if (candidates.length === 0) lines.push('No user or queue with an incoming mailbox is among the resolved To/Cc recipients (distribution lists and Bcc cannot be resolved).');
  lines.push(anyRule1 ? 'No candidate accepts and one of them uses "in response to": NoCorrelationMatch.' : 'No candidate accepts: NoRecipientMatch.');
  return {
    outcome, acceptingEntity: null, acceptedBy: null,
    step: { stage: 'Accept', result: 'stopped', detail: lines.join(' '), settings, data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } },
  };
}

export function sameAddress(a: string, b: string): boolean {
  return normAddress(a) === normAddress(b);
}
