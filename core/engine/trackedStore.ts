// The store of tracked email the correlation methods search. Every lookup goes through an index (by
// Message-ID, normalized token, ConversationIndex bytes, base block, and the smart-matching hash
// index), never a scan of all tracked email, so a replay stays linear in the number of messages.

import type { EntityRef } from './types.js';
import { SmartMatchIndex } from './smartMatch.js';

export interface TrackedRecord {
  /** TrackedEmail id or the key of a message tracked during the replay. */
  id: string;
  /** sentOn (before the replay) or processing time (during it), ms. */
  time: number;
  /** Insertion sequence: ties in time go to the one tracked later. */
  seq: number;
  regarding: EntityRef | null;
  /** Where it came from, for the trace. */
  origin: 'before replay' | 'this replay';
}

export interface TrackedKeys {
  messageId: string | null;
  tokens: readonly string[];
  /** Hex of the ConversationIndex bytes, and of its 22-byte base block. */
  ciHex: string | null;
  ciBaseHex: string | null;
  subjectHashes: readonly number[];
  addressHashes: readonly number[];
}

/** Message-IDs compare without their angle brackets and surrounding space. */
export function normMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const t = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return t === '' ? null : t;
}

function post(map: Map<string, TrackedRecord[]>, key: string, rec: TrackedRecord): void {
  const list = map.get(key);
  if (list) list.push(rec);
  else map.set(key, [rec]);
}

/** The most recent record: latest time, ties to the one tracked later (SIMULATOR §3). */
export function mostRecent(list: readonly TrackedRecord[] | undefined): { winner: TrackedRecord | null; count: number } {
  if (!list || list.length === 0) return { winner: null, count: 0 };
  let best = list[0] as TrackedRecord;
  for (const r of list) if (r.time > best.time || (r.time === best.time && r.seq > best.seq)) best = r;
  return { winner: best, count: list.length };
}

export class TrackedStore {
  readonly byId = new Map<string, TrackedRecord>();
  readonly byMessageId = new Map<string, TrackedRecord[]>();
  readonly byToken = new Map<string, TrackedRecord[]>();
  readonly byCi = new Map<string, TrackedRecord[]>();
  readonly byCiBase = new Map<string, TrackedRecord[]>();
  readonly smart = new SmartMatchIndex();
  private seq = 0;

  /** @param withSmartIndex false when smart matching is off for this replay: the index would never be read. */
  constructor(private readonly withSmartIndex = true) {}

  add(id: string, time: number, regarding: EntityRef | null, origin: TrackedRecord['origin'], keys: TrackedKeys): TrackedRecord {
    const rec: TrackedRecord = { id, time, seq: this.seq++, regarding, origin };
    this.byId.set(id, rec);
    const mid = normMessageId(keys.messageId);
    if (mid) post(this.byMessageId, mid, rec);
    for (let i = 0; i < keys.tokens.length; i++) {
      const t = keys.tokens[i] as string;
      if (keys.tokens.indexOf(t) === i) post(this.byToken, t, rec);
    }
    if (keys.ciHex) post(this.byCi, keys.ciHex, rec);
    if (keys.ciBaseHex) post(this.byCiBase, keys.ciBaseHex, rec);
    // Dataverse stores hashes even when smart matching is off (DisableSmartMatchingEmailHashCreation is
    // false by default, research §2.3); the Decision still carries them. Within one replay the index is
    // only read by smart matching, so it is skipped when that is off.
    if (this.withSmartIndex) this.smart.add(id, keys.subjectHashes, keys.addressHashes, time);
    return rec;
  }
}
