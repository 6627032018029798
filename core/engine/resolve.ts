// Address resolution (SIMULATOR §5, research §6): the sender resolves to one row, each recipient to
// every matching row.

import type { Settings } from './settings.js';
import type { Directory, DirectoryEntry, DirectoryKind, EntityRef, TraceStep } from './types.js';
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
  return e.active || s.ResolveForInactiveEntities;
}

export function resolveSender(from: string | null, idx: DirectoryIndex, mailboxOwner: EntityRef, s: Settings): SenderResolution {
  const settings: string[] = [];
  if (!from) {
    return { entry: null, matches: [], conflict: false, step: { stage: 'Resolve', result: 'unresolved', detail: 'The message has no From address, so the sender is unresolved.' } };
  }
  const addr = normAddress(from);
  const matches = idx.get(addr) ?? [];
  const base = (result: string, detail: string, entry: DirectoryEntry | null, extra: Partial<TraceStep> = {}): SenderResolution => ({
    entry, matches, conflict: matches.length > 1,
    step: { stage: 'Resolve', result, detail, settings: [...settings], data: { sender: addr, matches: matches.map((m) => m.ref) }, ...extra },
  });
  if (matches.length === 0) return base('unresolved', `Sender ${addr} matches no row of the directory.`, null);
  if (matches.length > 100) return base('unresolved', `Sender ${addr} matches ${matches.length} rows (more than 100), so it is left unresolved.`, null);
  if (matches.length > 1 && s.UnresolveSenderInCaseOfMultipleMatch) {
    settings.push('UnresolveSenderInCaseOfMultipleMatch');
    return base('unresolved', `Sender ${addr} matches ${matches.length} rows (${matches.map((m) => m.ref).join(', ')}) and UnresolveSenderInCaseOfMultipleMatch is on, so it is left unresolved.`, null);
  }
  if (matches.length === 1) {
    const only = matches[0] as DirectoryEntry;
    // D-RES: a single match resolves regardless of its state; D-ODB: disabled users never resolve.
    if (!only.active && only.kind === 'user' && !s.ResolveForInactiveEntities) {
      settings.push('ResolveForInactiveEntities');
      return base('unresolved', `Sender ${addr} matches only the disabled user ${only.ref}; disabled users never resolve (ResolveForInactiveEntities is off).`, null);
    }
    return base('resolved', `Sender ${addr} resolves to ${only.ref} (${only.name}), the only matching row${only.active ? '' : ', even though it is inactive (a single match resolves regardless of state)'}.`, only);
  }
  const candidates = matches.filter((m) => usable(m, s));
  if (!s.ResolveForInactiveEntities && candidates.length < matches.length) settings.push('ResolveForInactiveEntities');
  if (candidates.length === 0) return base('unresolved', `Sender ${addr} matches ${matches.length} rows, all inactive, so it is left unresolved.`, null);
  const sorted = [...candidates].sort((a, b) => SENDER_PRIORITY[a.kind] - SENDER_PRIORITY[b.kind]);
  const owned = sorted.find((m) => m.owner === mailboxOwner);
  const pick = owned ?? (sorted[0] as DirectoryEntry);
  const why = owned
    ? `it is owned by ${mailboxOwner}, the owner of the mailbox being processed, which wins over rows it does not own`
    : 'it comes first in the order system user, contact, account, lead, other email-enabled rows, queue';
  return base('resolved', `Sender ${addr} matches ${matches.length} rows (${matches.map((m) => m.ref).join(', ')}); it resolves to ${pick.ref} because ${why}.`, pick);
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
