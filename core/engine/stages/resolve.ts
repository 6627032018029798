// Address resolution (SIMULATOR §5, research §6): the sender resolves to one row, each recipient to
// every matching row.

import type { Settings } from '../model/settings.js';
import type { Directory, DirectoryEntry, DirectoryKind, EntityRef, TraceStep } from '../model/types.js';
import { normAddress } from './order.js';

export type DirectoryIndex = Map<string, DirectoryEntry[]>;

export function indexDirectory(dir: Directory): DirectoryIndex {
  const idx: DirectoryIndex = new Map();
  for (const e of dir.entries) {
    for (const a of new Set(e.emails.map(normAddress))) {
      if (!a) continue;
      const l = idx.get(a);
      if (l) l.push(e);
      else idx.set(a, [e]);
    }
  }
  return idx;
}

/** Sender priority of D-RES: system user, contact, account, lead, other email-enabled rows, queue. */
const SENDER_PRIORITY: Record<DirectoryKind, number> = { user: 0, contact: 1, account: 2, lead: 3, record: 4, queue: 5 };

export interface SenderResolution {
  entry: DirectoryEntry | null;
  matches: DirectoryEntry[];
  /** Several rows share the sender address (OverrideV5SenderConflictResolution makes this InvalidSender). */
  conflict: boolean;
  step: TraceStep;
}

export interface RecipientResolution {
  address: string;
  field: 'to' | 'cc' | 'bcc';
  entries: DirectoryEntry[];
  note: string;
}

function usable(e: DirectoryEntry, s: Settings): boolean {
  return (e.active && !e.disabled) || s.ResolveForInactiveEntities;
}

/** A system user that is disabled (isdisabled), or inactive as older scenarios write it. */
function disabledUser(e: DirectoryEntry): boolean {
  return e.kind === 'user' && (e.disabled === true || !e.active);
}

function state(e: DirectoryEntry): string {
  return disabledUser(e) ? 'disabled' : e.active ? 'active' : 'inactive';
}

export function resolveSender(from: string | null, idx: DirectoryIndex, mailboxOwner: EntityRef, s: Settings): SenderResolution {
  const settings: string[] = [];
  if (!from) {
    return { entry: null, matches: [], conflict: false, step: { stage: 'Resolve', result: 'unresolved', detail: 'The message has no From address, so the sender is unresolved.' } };
  }
  const addr = normAddress(from);
  const matches = idx.get(addr) ?? [];
  let undocumented = false;
  const base = (result: string, detail: string, entry: DirectoryEntry | null): SenderResolution => ({
    entry, matches, conflict: matches.length > 1,
    step: { stage: 'Resolve', result, detail, settings: [...settings], ...(undocumented ? { undocumented: true } : {}), data: { sender: addr, matches: matches.map((m) => m.ref) } },
  });
  if (matches.length === 0) return base('unresolved', `Sender ${addr} matches no row of the directory.`, null);
  // Inactive rows count toward the 100 limit (SIMULATOR §8 point 7).
  if (matches.length > 100) return base('unresolved', `Sender ${addr} matches ${matches.length} rows (more than 100), so it is left unresolved.`, null);
  if (matches.length > 1 && s.UnresolveSenderInCaseOfMultipleMatch) {
    settings.push('UnresolveSenderInCaseOfMultipleMatch', 'multipleMatchCountsInactive');
    undocumented = true;
    // SIMULATOR §8 point 7: the setting wins over the ownership tie-break; by default only active rows
    // count toward "more than one".
    const countsInactive = s.multipleMatchCountsInactive;
    const counted = countsInactive ? matches : matches.filter((m) => usable(m, s));
    const rule = countsInactive
      ? 'inactive rows count too (multipleMatchCountsInactive true, SIMULATOR §8 point 7)'
      : 'only active rows count (multipleMatchCountsInactive false, an undocumented default, SIMULATOR §8 point 7)';
    if (counted.length > 1) {
      return base('unresolved', `Sender ${addr} matches ${counted.length} ${countsInactive ? '' : 'active '}rows (${counted.map((m) => m.ref).join(', ')}) and UnresolveSenderInCaseOfMultipleMatch is on, so it is left unresolved, even if one of them is owned by the mailbox owner; ${rule}.`, null);
    }
    if (counted.length === 1) {
      const only = counted[0] as DirectoryEntry;
      return base('resolved', `Sender ${addr} matches ${matches.length} rows, but only ${only.ref} (${only.name}) is active, so UnresolveSenderInCaseOfMultipleMatch does not apply (${rule}); it resolves to ${only.ref}.`, only);
    }
    settings.length = 0;
    undocumented = false;
  }
  if (matches.length === 1) {
    const only = matches[0] as DirectoryEntry;
    if (only.active && !only.disabled) return base('resolved', `Sender ${addr} resolves to ${only.ref} (${only.name}), the only matching row.`, only);
    if (s.ResolveForInactiveEntities) {
      settings.push('ResolveForInactiveEntities');
      return base('resolved', `Sender ${addr} resolves to ${only.ref} (${only.name}), the only matching row; it is ${state(only)}, and ResolveForInactiveEntities is on.`, only);
    }
    // D-ODB: disabled users never resolve.
    if (disabledUser(only)) {
      settings.push('ResolveForInactiveEntities');
      return base('unresolved', `Sender ${addr} matches only the disabled user ${only.ref}; disabled users never resolve (ResolveForInactiveEntities is off).`, null);
    }
    // D-RES: a single match resolves regardless of its state (SIMULATOR §8 point 6).
    settings.push('inactiveSingleSenderMatch');
    undocumented = true;
    if (s.inactiveSingleSenderMatch === 'never') {
      return base('unresolved', `Sender ${addr} matches only the inactive row ${only.ref} (${only.name}); inactive rows never resolve (inactiveSingleSenderMatch "never", SIMULATOR §8 point 6).`, null);
    }
    return base('resolved', `Sender ${addr} resolves to ${only.ref} (${only.name}), the only matching row, even though it is inactive: a single match resolves regardless of its state (inactiveSingleSenderMatch "resolve", an undocumented default, SIMULATOR §8 point 6).`, only);
  }
  const candidates = matches.filter((m) => usable(m, s));
  const dropped = matches.filter((m) => !usable(m, s));
  if (!s.ResolveForInactiveEntities && dropped.length > 0) settings.push('ResolveForInactiveEntities');
  const droppedText = dropped.length ? ` ${dropped.map((m) => `${m.ref} is ${state(m)}`).join(', ')}, so ${dropped.length === 1 ? 'it is' : 'they are'} not used (ResolveForInactiveEntities is off).` : '';
  if (candidates.length === 0) return base('unresolved', `Sender ${addr} matches ${matches.length} rows, all inactive, so it is left unresolved.${droppedText}`, null);
  const sorted = [...candidates].sort((a, b) => SENDER_PRIORITY[a.kind] - SENDER_PRIORITY[b.kind]);
  const owned = sorted.find((m) => m.owner === mailboxOwner);
  const pick = owned ?? (sorted[0] as DirectoryEntry);
  const why = candidates.length === 1
    ? 'it is the only active one'
    : owned
      ? `it is owned by ${mailboxOwner}, the owner of the mailbox being processed, which wins over rows it does not own`
      : 'it comes first in the order system user, contact, account, lead, other email-enabled rows, queue';
  return base('resolved', `Sender ${addr} matches ${matches.length} rows (${matches.map((m) => m.ref).join(', ')});${droppedText} It resolves to ${pick.ref} because ${why}.`, pick);
}

export function resolveRecipients(to: readonly string[], cc: readonly string[], bcc: readonly string[], idx: DirectoryIndex, s: Settings): RecipientResolution[] {
  const out: RecipientResolution[] = [];
  const one = (a: string, field: RecipientResolution['field']): void => {
    const addr = normAddress(a);
    const all = idx.get(addr) ?? [];
    const entries = all.filter((e) => usable(e, s));
    if (entries.length > 1 && s.unresolveemailaddressifmultiplematch) {
      out.push({ address: addr, field, entries: [], note: `${addr} matches ${entries.length} rows and unresolveemailaddressifmultiplematch is on: stored as one unresolved party` });
      return;
    }
    const skipped = all.length - entries.length;
    const note = entries.length === 0
      ? `${addr} resolves to nothing${skipped ? ` (${skipped} inactive row(s) ignored)` : ''}`
      : `${addr} resolves to ${entries.map((e) => e.ref).join(' and ')}`;
    out.push({ address: addr, field, entries, note });
  };
  for (const a of to) one(a, 'to');
  for (const a of cc) one(a, 'cc');
  for (const a of bcc) one(a, 'bcc');
  return out;
}
