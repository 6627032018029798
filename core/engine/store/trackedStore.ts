// The store of tracked email the correlation methods search. Every lookup goes through an index (by
// Message-ID, normalized token, ConversationIndex bytes, base block, and the smart-matching hash
// index), never a scan of all tracked email, so a replay stays linear in the number of messages.

import type { EntityRef } from '../model/types.js';
import { SmartMatchIndex } from '../primitives/smartMatch.js';

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
  /** Keys of the ConversationIndex bytes and of its 22-byte base block (opaque; equal bytes ⇒ equal keys). */
  ciHex: string | null;
  ciBaseHex: string | null;
  subjectHashes: readonly number[];
  addressHashes: readonly number[];
}

/** Message-IDs compare without their angle brackets and surrounding space. */
export function normMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  // Fast path for the usual "<local@domain>" (this runs several times per message of a replay): the
  // same result as the general rule below when nothing but one pair of brackets surrounds the id.
  const n = id.length;
  if (n > 2 && id.charCodeAt(0) === 60 && id.charCodeAt(n - 1) === 62) {
    const first = id.charCodeAt(1);
    const last = id.charCodeAt(n - 2);
    if (first !== 60 && last !== 62 && first > 32 && last > 32 && first !== 0xa0 && last !== 0xa0 && first < 0x1680 && last < 0x1680) return id.slice(1, -1);
  }
  const t = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return t === '' ? null : t;
}

function post(map: Map<string, TrackedRecord[]>, key: string, rec: TrackedRecord): void {
  const list = map.get(key);
  if (list) list.push(rec);
  else map.set(key, [rec]);
}

/**
 * The most recent record: latest time, ties to the one tracked later (SIMULATOR §3). Only records whose
 * seq is below `limit` count (lists are in seq order), so a store can be read as it was earlier.
 */
export function mostRecent(list: readonly TrackedRecord[] | undefined, limit = Infinity): { winner: TrackedRecord | null; count: number; tie: boolean } {
  if (!list || list.length === 0) return { winner: null, count: 0, tie: false };
  let best: TrackedRecord | null = null;
  let count = 0;
  let tie = false;
  for (const r of list) {
    if (r.seq >= limit) break;
    count++;
    if (best !== null && r.time === best.time) tie = true;
    else if (best === null || r.time > best.time) tie = false;
    if (best === null || r.time > best.time || (r.time === best.time && r.seq > best.seq)) best = r;
  }
  return { winner: best, count, tie };
}

export class TrackedStore {
  readonly byId = new Map<string, TrackedRecord>();
  readonly byMessageId = new Map<string, TrackedRecord[]>();
  readonly byToken = new Map<string, TrackedRecord[]>();
  readonly byCi = new Map<string, TrackedRecord[]>();
  readonly byCiBase = new Map<string, TrackedRecord[]>();
  /** Replaced, not edited, when the hash settings change (rehash). */
  smart = new SmartMatchIndex();
  /** Every record by seq, and the keys it was posted under (so truncate() can take it back out). */
  readonly records: TrackedRecord[] = [];
  // The keys by seq, in parallel lists rather than one object per record (one object fewer per tracked
  // message for the garbage collector to copy and mark).
  private readonly mids: (string | null)[] = [];
  private readonly tokenLists: (readonly string[])[] = [];
  private readonly ciHexes: (string | null)[] = [];
  private readonly ciBaseHexes: (string | null)[] = [];
  /** What each record's hashes were computed from (the caller's object, opaque here; for rehash()). */
  private readonly sources: (object | null)[] = [];
  /**
   * Lookups see only records with seq < limit. A replay that reuses the store of an earlier replay over
   * the same messages sets it to the store's size as it was before the message being decided.
   */
  limit = Infinity;

  /**
   * @param withSmartIndex false when smart matching is off for this replay: the index would never be
   * read (a later replay that turns it on builds it, rebuildSmartIndex).
   */
  constructor(private withSmartIndex = true) {}

  get hasSmartIndex(): boolean {
    return this.withSmartIndex;
  }

  get size(): number {
    return this.records.length;
  }

  /** The most recent record posted under `key`, as the store is seen at `limit`. */
  /** `tie`: another record has the winner's time (the winner is then the one added later). */
  find(map: ReadonlyMap<string, TrackedRecord[]>, key: string): { winner: TrackedRecord | null; count: number; tie: boolean } {
    return mostRecent(map.get(key), this.limit);
  }

  add(id: string, time: number, regarding: EntityRef | null, origin: TrackedRecord['origin'], keys: TrackedKeys, source: object | null = null): TrackedRecord {
    const rec: TrackedRecord = { id, time, seq: this.records.length, regarding, origin };
    this.records.push(rec);
    this.byId.set(id, rec);
    const mid = normMessageId(keys.messageId);
    if (mid) post(this.byMessageId, mid, rec);
    // Usually no token or one: keep the caller's list then (it is read-only data) instead of a copy.
    const tokens: readonly string[] = keys.tokens.length <= 1 ? keys.tokens : keys.tokens.filter((t, i) => keys.tokens.indexOf(t) === i);
    for (const t of tokens) post(this.byToken, t, rec);
    if (keys.ciHex) post(this.byCi, keys.ciHex, rec);
    if (keys.ciBaseHex) post(this.byCiBase, keys.ciBaseHex, rec);
    this.mids.push(mid);
    this.tokenLists.push(tokens);
    this.ciHexes.push(keys.ciHex);
    this.ciBaseHexes.push(keys.ciBaseHex);
    this.sources.push(source);
    // Dataverse stores hashes even when smart matching is off (DisableSmartMatchingEmailHashCreation is
    // false by default, research §2.3); the Decision still carries them. Within one replay the index is
    // only read by smart matching; a store built without it (withSmartIndex false) skips it.
    if (this.withSmartIndex) this.smart.add(id, keys.subjectHashes, keys.addressHashes, time, rec.seq);
    return rec;
  }

  /**
   * (Re)builds the smart-matching index over every record, in seq order, with the hashes `hashesOf` gives
   * for the source each record was added with: the records and their other keys stand (replay.ts, after
   * a HashFilterKeywords / HashMaxCount change, or when smart matching is turned on). The index is what
   * a store built afresh would hold, and is kept up to date from then on.
   */
  rebuildSmartIndex(hashesOf: (source: object | null, rec: TrackedRecord) => { subject: readonly number[]; address: readonly number[] }): void {
    this.withSmartIndex = true;
    const idx = new SmartMatchIndex();
    for (const rec of this.records) {
      const h = hashesOf(this.sources[rec.seq] ?? null, rec);
      idx.add(rec.id, h.subject, h.address, rec.time, rec.seq);
    }
    this.smart = idx;
  }

  /** Takes back every record with seq ≥ `size`: the store becomes what it was when it held `size` records. */
  truncate(size: number): void {
    if (size >= this.records.length) return;
    const dropped = new Set<string>();
    for (let seq = this.records.length - 1; seq >= size; seq--) {
      const rec = this.records[seq] as TrackedRecord;
      const mid = this.mids[seq];
      const ciHex = this.ciHexes[seq];
      const ciBaseHex = this.ciBaseHexes[seq];
      if (mid) unpost(this.byMessageId, mid, rec);
      for (const t of this.tokenLists[seq] as readonly string[]) unpost(this.byToken, t, rec);
      if (ciHex) unpost(this.byCi, ciHex, rec);
      if (ciBaseHex) unpost(this.byCiBase, ciBaseHex, rec);
      if (this.byId.get(rec.id) === rec) {
        this.byId.delete(rec.id);
        dropped.add(rec.id);
      }
    }
    this.records.length = size;
    this.mids.length = size;
    this.tokenLists.length = size;
    this.ciHexes.length = size;
    this.ciBaseHexes.length = size;
    this.sources.length = size;
    // An id added twice (rare: a key equal to a tracked email's id) points at its latest remaining record.
    if (dropped.size > 0 && this.byId.size < size) {
      for (const rec of this.records) if (dropped.has(rec.id)) this.byId.set(rec.id, rec);
    }
    if (this.withSmartIndex) this.smart.truncate(size);
  }
}

function unpost(map: Map<string, TrackedRecord[]>, key: string, rec: TrackedRecord): void {
  const list = map.get(key);
  if (!list) return;
  if (list[list.length - 1] === rec) list.pop();
  if (list.length === 0) map.delete(key);
}
