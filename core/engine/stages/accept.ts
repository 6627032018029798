// Acceptance (SIMULATOR §4, research §5.4): which user or queue, if any, tracks the message.

import type { Settings } from '../model/settings.js';
import type { DirectoryEntry, EntityRef, FilteringMethod, MailboxConfig, Outcome, TraceStep } from '../model/types.js';
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

/** Filter 2's rows: leads, contacts and accounts. */
function leadContactAccount(e: DirectoryEntry): boolean {
  return e.kind === 'contact' || e.kind === 'account' || e.kind === 'lead';
}

/**
 * Filter 3 for one row. Users and queues are email-enabled rows, so they pass under the default of
 * SIMULATOR §8 point 10; the setting is read only for them (a decision depends on what it read).
 */
function emailEnabledPasses(e: DirectoryEntry, s: Settings): { ok: boolean; undocumented: boolean } {
  if (e.kind !== 'user' && e.kind !== 'queue') return { ok: true, undocumented: false };
  return { ok: s.filter3AcceptsUsersAndQueues, undocumented: true };
}

const POINT10 = (ok: boolean): string => ok
  ? ' (a user or queue counts as an email-enabled row: filter3AcceptsUsersAndQueues true, an undocumented default, SIMULATOR §8 point 10)'
  : ' (filter3AcceptsUsersAndQueues is false: users and queues are not accepted by filter 3, SIMULATOR §8 point 10)';

interface FilterVerdict { ok: boolean; text: string; undocumented: boolean; settings: string[] }

function filterPasses(filter: FilteringMethod, correlated: boolean, sender: DirectoryEntry | null, recipients: readonly RecipientResolution[], inSent: boolean, s: Settings): FilterVerdict {
  const v = (ok: boolean, text: string, undocumented = false, settings: string[] = []): FilterVerdict => ({ ok, text, undocumented, settings });
  switch (filter) {
    case 0: return v(true, 'accepts every message');
    case 1: return correlated ? v(true, 'accepts it because correlation found a tracked email') : v(false, 'needs a correlated tracked email and correlation found none');
    case 2: case 3: {
      // Sent Items: the sender is the mailbox owner, so filters 2 and 3 look at the recipients under the
      // default of SIMULATOR §8 point 11 (the setting is read only for Sent Items mail).
      if (inSent && s.sentItemsFilterOn === 'recipients') {
        const why = 'in Sent Items the filter looks at the To/Cc recipients (sentItemsFilterOn "recipients", an undocumented default, SIMULATOR §8 point 11)';
        let undocumented = true;
        for (const r of recipients) {
          if (r.field === 'bcc') continue;
          for (const e of r.entries) {
            if (filter === 2 ? leadContactAccount(e) : (() => { const p = emailEnabledPasses(e, s); undocumented ||= p.undocumented; return p.ok; })()) {
              return v(true, `accepts it because ${why} and the ${r.field} recipient ${r.address} resolved to ${e.ref}`, undocumented, ['sentItemsFilterOn']);
            }
          }
        }
        return v(false, `needs a recipient resolved to ${filter === 2 ? 'a lead, contact or account' : 'an email-enabled row'}: ${why} and none qualifies`, undocumented, ['sentItemsFilterOn']);
      }
      const sentNote = inSent ? ' (in Sent Items, judged on the sender: sentItemsFilterOn "sender", SIMULATOR §8 point 11)' : '';
      const settings = inSent ? ['sentItemsFilterOn'] : [];
      if (filter === 2) {
        return sender && leadContactAccount(sender)
          ? v(true, `accepts it because the sender resolved to ${sender.ref}${sentNote}`, inSent, settings)
          : v(false, `needs a sender resolved to a lead, contact or account; the sender ${sender ? `resolved to ${sender.ref}` : 'is unresolved'}${sentNote}`, inSent, settings);
      }
      if (!sender) return v(false, `needs a resolved sender; the sender is unresolved${sentNote}`, inSent, settings);
      const p = emailEnabledPasses(sender, s);
      const extra = p.undocumented ? POINT10(p.ok) : '';
      const st = p.undocumented ? [...settings, 'filter3AcceptsUsersAndQueues'] : settings;
      return p.ok
        ? v(true, `accepts it because the sender resolved to the email-enabled row ${sender.ref}${extra}${sentNote}`, p.undocumented || inSent, st)
        : v(false, `does not accept the sender ${sender.ref}${extra}${sentNote}`, true, st);
    }
    case 4: return v(false, 'tracks nothing automatically');
  }
}

export function accept(
  mailbox: MailboxConfig,
  sender: DirectoryEntry | null,
  recipients: readonly RecipientResolution[],
  byOwner: ReadonlyMap<EntityRef, MailboxConfig>,
  correlated: boolean,
  s: Settings,
  /** The message is in Sent Items (AutoTrackSentFolderItems): filters 2/3 follow SIMULATOR §8 point 11. */
  inSent = false,
): AcceptResult {
  const settings: string[] = [];
  const ownerIsUser = mailbox.owner.startsWith('user:');

  const lines: string[] = [];
  let undocumented = false;
  // Internal email is checked first, before any filtering method (SIMULATOR §4).
  if (s.ignoreinternalemail && sender && (sender.kind === 'user' || sender.kind === 'queue')) {
    settings.push('ignoreinternalemail');
    const internalWhy = `The sender ${sender.ref} is a ${sender.kind === 'user' ? 'system user' : 'queue'}, so this is internal email, and ignoreinternalemail is on ("track emails sent between users as two activities" = No)`;
    const exceptions: string[] = [];
    if (sender.kind === 'queue') {
      settings.push('IgnoreInternalEmailFromQueues');
      if (!s.IgnoreInternalEmailFromQueues) exceptions.push('the sender is a queue and IgnoreInternalEmailFromQueues is off, so queue senders are not ignored');
    }
    let scopeNote = '';
    if (exceptions.length === 0) {
      settings.push('DoNotIgnoreInternalEmailToQueues');
      if (s.DoNotIgnoreInternalEmailToQueues) {
        settings.push('internalQueueExceptionScope');
        // SIMULATOR §8 point 5: which queue waives the rule is not documented.
        const queues = recipients.filter((r) => r.field !== 'bcc').flatMap((r) => r.entries.filter((e) => e.kind === 'queue' && byOwner.get(e.ref)?.incoming).map((e) => ({ e, r })));
        if (s.internalQueueExceptionScope === 'recipient') {
          const q = queues[0];
          if (q) exceptions.push(`the ${q.r.field} recipient ${q.r.address} resolves to the queue ${q.e.ref}, whose mailbox has incoming delivery enabled, and DoNotIgnoreInternalEmailToQueues is on`);
          scopeNote = ' (a queue recipient anywhere in To/Cc waives the rule: internalQueueExceptionScope "recipient", an undocumented default, SIMULATOR §8 point 5)';
        } else {
          const q = queues.find((x) => x.e.ref === mailbox.owner);
          if (q) exceptions.push(`the mailbox being processed belongs to the queue ${q.e.ref}, which the ${q.r.field} recipient ${q.r.address} resolves to, and DoNotIgnoreInternalEmailToQueues is on`);
          scopeNote = ' (only the queue\'s own mailbox waives the rule: internalQueueExceptionScope "processedMailbox", SIMULATOR §8 point 5)';
        }
      }
    }
    if (exceptions.length === 0) {
      return {
        outcome: 'InternalEmailReject', acceptingEntity: null, acceptedBy: null,
        step: { stage: 'Accept', result: 'stopped', detail: `${internalWhy}, and no queue exception applies${scopeNote}: rejected before any filtering method is evaluated.`, settings, undocumented: true },
      };
    }
    undocumented = true;
    lines.push(`${internalWhy}, but it is not rejected because ${exceptions.join(' and ')}${scopeNote}.`);
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

  lines.push(...notes);
  for (const c of candidates) {
    const p = filterPasses(c.filter, correlated, sender, recipients, inSent, s);
    if (p.undocumented) undocumented = true;
    for (const x of p.settings) if (!settings.includes(x)) settings.push(x);
    lines.push(`${c.ref} (${c.why}) uses filter ${c.filter} "${FILTER_NAMES[c.filter]}", which ${p.text}.`);
    if (p.ok) {
      lines.push(`${c.ref} is the Accepting Entity; ${mailbox.address} is the Receiving Mailbox.`);
      return {
        outcome: null, acceptingEntity: c.ref, acceptedBy: c.filter,
        step: { stage: 'Accept', result: 'accepted', detail: lines.join(' '), settings, ...(undocumented ? { undocumented: true } : {}), data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } },
      };
    }
  }
  const anyRule1 = candidates.some((c) => c.filter === 1);
  const outcome: Outcome = anyRule1 ? 'NoCorrelationMatch' : 'NoRecipientMatch';
  if (candidates.length === 0) lines.push('No user or queue with an incoming mailbox is among the resolved To/Cc recipients (distribution lists and Bcc cannot be resolved).');
  lines.push(anyRule1 ? 'No candidate accepts and one of them uses "in response to": NoCorrelationMatch.' : 'No candidate accepts: NoRecipientMatch.');
  return {
    outcome, acceptingEntity: null, acceptedBy: null,
    step: { stage: 'Accept', result: 'stopped', detail: lines.join(' '), settings, ...(undocumented ? { undocumented: true } : {}), data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } },
  };
}

export function sameAddress(a: string, b: string): boolean {
  return normAddress(a) === normAddress(b);
}
