// Stage results that repeat across the messages of one replay, computed once. A mailbox sees the same
// few senders, recipient lists and folders again and again; their resolution, acceptance and folder
// verdicts (trace steps included) depend only on those inputs and the replay's settings, so one result
// object is shared by every decision that would have built an identical one (decisions are read-only).
// Each memoized result keeps the settings keys its computation read, and a hit marks them as read again:
// to the reuse machinery (settingsReads.ts) a hit is indistinguishable from recomputing.

import type { SettingsReads } from './incremental/settingsReads.js';
import type { DirectoryEntry, MailboxConfig, TraceStep } from '../model/types.js';
import type { RecipientResolution, SenderResolution } from '../stages/resolve.js';
import type { AcceptResult } from '../stages/accept.js';

export interface Memo<T> {
  value: T;
  /** Settings keys read while computing `value` (a mask, settingsReads.ts). */
  reads: Uint32Array;
}

/** Computes `f` recording its settings reads apart (only on a miss: the closure is not on the hot path). */
export function remember<T>(reads: SettingsReads, f: () => T): Memo<T> {
  const saved = reads.begin();
  const value = f();
  return { value, reads: reads.end(saved) };
}

/**
 * Freezes a trace step that several decisions will share (with its settings list and data, one level
 * down), so a caller writing to one decision's step fails loudly instead of changing the others.
 */
export function shareStep(step: TraceStep): TraceStep {
  if (step.settings) Object.freeze(step.settings);
  if (step.data) {
    for (const v of Object.values(step.data)) if (Array.isArray(v)) Object.freeze(v);
    Object.freeze(step.data);
  }
  return Object.freeze(step);
}

/** A memoized value, marking its reads as read by the decision that uses it. */
export function recall<T>(reads: SettingsReads, memo: Memo<T>): T {
  reads.mark(memo.reads);
  return memo.value;
}

export interface FolderVerdict {
  folderLevel: boolean;
  folderTracking: import('../model/types.js').TrackedFolder | undefined;
  step: TraceStep;
  /** The message stops at stage 1 (NotInTrackedFolder). */
  stop: boolean;
}

export interface RecipientsVerdict {
  recipients: RecipientResolution[];
  step: TraceStep;
}

/** A memoized recipient list: the identity acceptances are memoized under. */
export type RecipientsEntry = Memo<RecipientsVerdict>;

/** Acceptances by mailbox, then sender row (null: unresolved), then correlated (index 1) or not (0). */
export type AcceptMemo = Map<MailboxConfig, Map<DirectoryEntry | null, (Memo<AcceptResult> | undefined)[]>>;

export class StageMemo {
  readonly folder = new Map<MailboxConfig, Map<string, Memo<FolderVerdict>>>();
  /** By raw From (null as ''), then the mailbox owner the tie-break uses. */
  readonly sender = new Map<string, Map<string, Memo<SenderResolution>>>();
  readonly recipients = new Map<string, RecipientsEntry>();
  /** The usual list, one To address and no Cc or Bcc, by that address (no key to build). */
  readonly singleTo = new Map<string, RecipientsEntry>();
  /**
   * Acceptances by recipient list. Kept here, not on the list's entry: a later replay that reuses a
   * decision's stages 1–5 reuses that entry, but acceptance must be computed under its own settings.
   */
  readonly accept = new Map<RecipientsEntry, AcceptMemo>();
  /** The StartDate step of a mailbox with a Process Emails From date, for dated messages on or after it. */
  readonly startDate = new Map<MailboxConfig, TraceStep>();
}

/**
 * The key of a recipient list: the exact To, Cc and Bcc strings with their counts, or null when an
 * address holds the separator (such a list is simply not memoized).
 */
export function recipientsKey(to: readonly string[], cc: readonly string[], bcc: readonly string[]): string | null {
  let key = `${to.length},${cc.length},${bcc.length}`;
  for (const list of [to, cc, bcc]) {
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as string;
      if (a.indexOf('\u0000') >= 0) return null;
      key += '\u0000' + a;
    }
  }
  return key;
}
