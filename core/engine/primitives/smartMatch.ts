// Smart matching (SIMULATOR §3.2, research §4.3): subject and address hashes and the candidate search.
// Dataverse stores 32-bit hashes in EmailHash indexed by (Hash, HashType); we mirror that with an
// inverted index keyed by hash so a lookup costs O(words), never a scan of every tracked email.

import type { Settings, SubjectRule } from '../model/settings.js';
import { compileDotNetRegex, type RegexMatch } from './dotnetRegex.js';

export type SubjectWords =
  | { ok: true; stripped: RegexMatch[]; remainder: string; words: string[]; hashes: number[] }
  | { ok: false; error: string };

/**
 * 32-bit FNV-1a of the UTF-8 bytes, as a signed int (EmailHash.Hash is an int). Microsoft's function is
 * unknown; the simulator only needs equal words to give equal hashes. UTF-8 is produced inline because
 * TextEncoder dominated the replay profile.
 */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  // Each byte is mixed in inline (h = imul(h ^ byte, prime)): a local helper closure, allocated per call,
  // showed up in the replay profile.
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = word.charCodeAt(i + 1); // NaN past the end
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd; // lone surrogate: what TextEncoder writes
    }
    if (c < 0x80) h = Math.imul(h ^ c, 0x01000193);
    else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    }
  }
  return h | 0;
}

/** Strip HashFilterKeywords matches, lower-case, split on whitespace, keep the first hashmaxcount words. */
export function subjectWords(subject: string, settings: Pick<Settings, 'hashfilterkeywords' | 'hashmaxcount'>): SubjectWords {
  const c = compileDotNetRegex(settings.hashfilterkeywords);
  if (!c.ok) return { ok: false, error: `HashFilterKeywords: ${c.error}` };
  const r = c.regex.replaceAll(subject, '');
  if (!r.ok) return { ok: false, error: `HashFilterKeywords: ${r.error}` };
  // Plain loops: this runs once per distinct subject of a replay (most subjects are distinct).
  const all = r.output.toLowerCase().split(/\s+/u);
  const nonEmpty: string[] = [];
  for (let i = 0; i < all.length; i++) if (all[i] !== '') nonEmpty.push(all[i] as string);
  const words = nonEmpty.slice(0, settings.hashmaxcount);
  const hashes: number[] = [];
  if (words.length > 32) hashes.push(...new Set(words.map(wordHash)));
  else {
    for (let i = 0; i < words.length; i++) {
      const h = wordHash(words[i] as string);
      if (!hashes.includes(h)) hashes.push(h);
    }
  }
  return { ok: true, stripped: r.matches, remainder: r.output, words, hashes };
}

/** The subject hashes (a set, in first-seen order); empty with the error when the regex fails. */
export function subjectHashes(subject: string, settings: Pick<Settings, 'hashfilterkeywords' | 'hashmaxcount'>): { hashes: number[]; error: string | null } {
  const w = subjectWords(subject, settings);
  return w.ok ? { hashes: w.hashes, error: null } : { hashes: [], error: w.error };
}

/** Unique lower-cased sender, To and Cc addresses (at most `max`) and their hashes. */
export function addressHashes(from: string | null, to: readonly string[], cc: readonly string[], max: number, order: 'header' | 'sorted' = 'header'): { addresses: string[]; hashes: number[] } {
  if (order === 'sorted') {
    // SIMULATOR §8 point 14 alternative: the unique addresses sorted, the first `max` kept.
    const all = [...new Set([from ?? '', ...to, ...cc].map((a) => a.trim().toLowerCase()).filter((a) => a !== ''))].sort();
    const addresses = all.slice(0, Math.max(0, max));
    return { addresses, hashes: addresses.map(wordHash) };
  }
  // Runs once per message: a short list searched in place (no Set, no spread copy) unless the message
  // has many recipients.
  if (to.length + cc.length > 32) {
    const seen = new Set<string>();
    for (const a of [from ?? '', ...to, ...cc]) {
      const norm = a.trim().toLowerCase();
      if (norm && seen.size < max) seen.add(norm);
    }
    const addresses = [...seen];
    return { addresses, hashes: addresses.map(wordHash) };
  }
  const addresses: string[] = [];
  addAddress(addresses, from ?? '', max);
  for (let i = 0; i < to.length; i++) addAddress(addresses, to[i] as string, max);
  for (let i = 0; i < cc.length; i++) addAddress(addresses, cc[i] as string, max);
  const hashes = new Array<number>(addresses.length);
  for (let i = 0; i < addresses.length; i++) hashes[i] = wordHash(addresses[i] as string);
  return { addresses, hashes };
}

/** Adds the normalized address unless empty, already there, or the list holds `max` already. */
function addAddress(list: string[], a: string, max: number): void {
  const norm = a.trim().toLowerCase();
  if (norm && list.length < max && !list.includes(norm)) list.push(norm);
}

function shared(a: readonly number[], b: ReadonlySet<number>): number[] {
  return a.filter((h) => b.has(h));
}

export interface SubjectRuleResult {
  match: boolean;
  reason: string;
  sharedCount: number;
}

/** Subject rule A, B (default) or C of SIMULATOR §3.2. */
export function subjectRuleMatches(newHashes: readonly number[], oldHashes: readonly number[], rule: SubjectRule, delta: number): SubjectRuleResult {
  const n = new Set(newHashes);
  const o = new Set(oldHashes);
  const sharedCount = shared([...n], o).length;
  const diff = Math.abs(n.size - o.size);
  const countsOk = diff <= delta;
  const counts = `${n.size} vs ${o.size} subject hashes (difference ${diff}, allowed ${delta})`;
  if (rule === 'A') return { match: countsOk, sharedCount, reason: `rule A: ${counts}${countsOk ? '' : ' — counts differ too much'}` };
  if (rule === 'B') {
    const smaller = Math.min(n.size, o.size);
    const inside = sharedCount === smaller;
    const match = countsOk && inside;
    const why = !countsOk ? ' — counts differ too much' : !inside ? ` — only ${sharedCount} of the smaller set's ${smaller} hashes are in the larger` : '';
    return { match, sharedCount, reason: `rule B: ${counts}, ${sharedCount} shared${why}` };
  }
  const need = Math.max(n.size, o.size) - delta;
  const match = sharedCount >= need;
  return { match, sharedCount, reason: `rule C: ${sharedCount} shared subject hashes, need ≥ ${Math.max(0, need)} (larger count ${Math.max(n.size, o.size)} − ${delta})` };
}

/** subjectRuleMatches without the explanation, for the hot path. */
function subjectOk(n: number, o: number, sharedCount: number, rule: SubjectRule, delta: number): boolean {
  const countsOk = Math.abs(n - o) <= delta;
  if (rule === 'A') return countsOk;
  if (rule === 'B') return countsOk && sharedCount === Math.min(n, o);
  return sharedCount >= Math.max(n, o) - delta;
}

/** Address hashes both emails carry. */
export function addressOverlap(a: readonly number[], b: readonly number[]): number[] {
  return shared([...new Set(a)], new Set(b));
}

export interface SmartMatchCandidate {
  trackedId: string;
  time: number;
  subjectMatch: boolean;
  subjectReason: string;
  sharedSubjectHashes: number[];
  /** Hashes of the new message the tracked email lacks, and the other way round. */
  missingFromTracked: number[];
  missingFromNew: number[];
  sharedAddressHashes: number[];
  addressMatch: boolean;
  inWindow: boolean;
  matched: boolean;
  reason: string;
}

export interface SmartMatchResult {
  /**
   * Every matching tracked email, most recent first (ties: added later first); `tag` as given to add().
   * Only the most recent one when candidates() was asked for the best match alone.
   */
  matches: { trackedId: string; time: number; tag: number }[];
  /** How many tracked emails match (the length of `matches` unless only the best was asked for). */
  count: number;
  /** The winner (matches[0]) with its explanation; use explain() for any other. */
  best: SmartMatchCandidate | null;
  /** Tracked emails that failed a rule (for the hash-match view), most recent first; only when asked for. */
  nearMisses: SmartMatchCandidate[];
  /** How many tracked emails the index lookup examined. */
  examined: number;
}

type SmartSettings = Pick<Settings, 'simSmartMatchingSubjectRule' | 'hashdeltasubjectcount' | 'hashminaddresscount' | 'simSmartMatchingWindowDays'>;

const DAY_MS = 86_400_000;

/**
 * Number of hashes of `a` (duplicate-free) that `flat[from..to)` holds; both are short (≤ hashmaxcount).
 * The entry's hashes are read from the index's flat column in place: this runs for every member of every
 * lookup's pool, and reading them from one array per entry cost a cache miss each.
 */
function sharedCount(a: readonly number[], flat: Int32Array, from: number, to: number): number {
  let n = 0;
  if (a.length > 32 && to - from > 32) {
    const bs = new Set(flat.subarray(from, to));
    for (const h of a) if (bs.has(h)) n++;
    return n;
  }
  for (let i = 0; i < a.length; i++) {
    const h = a[i] as number;
    for (let j = from; j < to; j++) {
      if (flat[j] === h) {
        n++;
        break;
      }
    }
  }
  return n;
}

/**
 * An append-only column of numbers whose length can be cut back (doubling growth): 32-bit ints for
 * hashes and offsets, doubles for times and tags (times exceed 32 bits).
 */
class Column<A extends Int32Array | Float64Array> {
  length = 0;

  constructor(public a: A, private readonly make: (size: number) => A) {}

  push(v: number): void {
    if (this.length === this.a.length) {
      const grown = this.make(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.length++] = v;
  }

  pushAll(vs: readonly number[]): void {
    for (let i = 0; i < vs.length; i++) this.push(vs[i] as number);
  }
}

const ints = (): Column<Int32Array> => new Column(new Int32Array(1024), (n) => new Int32Array(n));
const doubles = (): Column<Float64Array> => new Column(new Float64Array(1024), (n) => new Float64Array(n));

/**
 * A remembered intersection of posting lists (necessary()). Posting lists only grow at the end with
 * entry numbers larger than any they hold, so an intersection computed over their first elements stays
 * true and can be carried on from where it stopped: a lookup between two busy addresses (a mailbox and
 * the colleague it copies) needs the same intersection of two long lists again and again.
 */
interface Intersection {
  /** The lists, the one walked first (the shortest when the entry was made) first. */
  lists: readonly (readonly number[])[];
  /** Per list: where the search for the next element of lists[0] starts. */
  pos: number[];
  /** Elements of lists[0] before this index are decided. */
  done: number;
  /** Entries in every list, ascending. */
  out: number[];
}

// Below this length, intersecting afresh is as cheap as finding a remembered result.
const REMEMBER_FROM = 64;
const MAX_REMEMBERED = 4096;

/**
 * Entries are numbered in insertion order and kept in parallel arrays; posting lists are arrays of entry
 * numbers, so they are sorted and only ever appended to or truncated from the end. That keeps the
 * index free of per-entry Sets (which dominated garbage collection at 100,000 messages) and lets a
 * caller look at the index "as it was" before a given tag (see `tagLimit`) or cut it back (truncate).
 */
export class SmartMatchIndex {
  private readonly ids: string[] = [];
  private readonly times = doubles();
  private readonly tags = doubles();
  // Each entry's hashes, all entries end to end: entry n's subject hashes are subj[subjEnd[n − 1] ..
  // subjEnd[n]) (from 0 for entry 0), likewise for addresses. No array per entry: 100,000 small arrays
  // were garbage-collector work and a pointer chase per candidate tested.
  private readonly subj = ints();
  private readonly subjEnd = ints();
  private readonly addr = ints();
  private readonly addrEnd = ints();
  private readonly remembered = new Map<string, Intersection>();
  private readonly numById = new Map<string, number>();
  private readonly bySubject = new Map<number, number[]>();
  private readonly byAddress = new Map<number, number[]>();
  private readonly byCount = new Map<number, number[]>();
  /** Per-query stamps for de-duplicating the union of posting lists without a Set. */
  private stamps = new Uint32Array(1024);
  private stamp = 0;

  get size(): number {
    return this.ids.length;
  }

  /**
   * Register a tracked email's hashes; `time` is ms since epoch (sentOn or received time). `tag` is the
   * caller's number for the entry (TrackedStore passes its record sequence); tags must grow with each
   * add for `tagLimit` and truncate() to be meaningful. A second add of the same id is ignored.
   */
  add(trackedId: string, subjectHashes: readonly number[], addressHashes: readonly number[], time: number, tag: number = this.ids.length): void {
    if (this.numById.has(trackedId)) return;
    const n = this.ids.length;
    // The caller's lists are read-only data (often one list shared by every message with that subject):
    // kept as they are unless they hold a duplicate.
    const subject = distinct(subjectHashes);
    const address = distinct(addressHashes);
    this.ids.push(trackedId);
    this.times.push(time);
    this.tags.push(tag);
    this.subj.pushAll(subject);
    this.subjEnd.push(this.subj.length);
    this.addr.pushAll(address);
    this.addrEnd.push(this.addr.length);
    this.numById.set(trackedId, n);
    for (const h of subject) post(this.bySubject, h, n);
    for (const h of address) post(this.byAddress, h, n);
    post(this.byCount, subject.length, n);
  }

  /** Removes every entry whose tag is ≥ `tagLimit` (the index becomes what it was before they were added). */
  truncate(tagLimit: number): void {
    const keep = this.entryLimit(tagLimit);
    if (keep === this.ids.length) return;
    for (let n = this.ids.length - 1; n >= keep; n--) {
      const s0 = this.subjStart(n);
      const s1 = this.subjEnd.a[n] as number;
      for (let j = s0; j < s1; j++) unpost(this.bySubject, this.subj.a[j] as number, n);
      for (let j = this.addrStart(n); j < (this.addrEnd.a[n] as number); j++) unpost(this.byAddress, this.addr.a[j] as number, n);
      unpost(this.byCount, s1 - s0, n);
      this.numById.delete(this.ids[n] as string);
    }
    // Remembered intersections may hold the entries taken back, and their lists may be gone.
    this.remembered.clear();
    this.ids.length = keep;
    this.times.length = keep;
    this.tags.length = keep;
    this.subj.length = keep === 0 ? 0 : (this.subjEnd.a[keep - 1] as number);
    this.subjEnd.length = keep;
    this.addr.length = keep === 0 ? 0 : (this.addrEnd.a[keep - 1] as number);
    this.addrEnd.length = keep;
  }

  private subjStart(n: number): number {
    return n === 0 ? 0 : (this.subjEnd.a[n - 1] as number);
  }

  private addrStart(n: number): number {
    return n === 0 ? 0 : (this.addrEnd.a[n - 1] as number);
  }

  /** Entry n's subject hashes as a list (for explanations only). */
  private subjectOf(n: number): number[] {
    return Array.from(this.subj.a.subarray(this.subjStart(n), this.subjEnd.a[n] as number));
  }

  private addressOf(n: number): number[] {
    return Array.from(this.addr.a.subarray(this.addrStart(n), this.addrEnd.a[n] as number));
  }

  /** Number of entries whose tag is below `tagLimit` (tags grow, so a binary search). */
  private entryLimit(tagLimit: number): number {
    if (tagLimit === Infinity) return this.ids.length;
    let lo = 0;
    let hi = this.tags.length;
    const tags = this.tags.a;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tags[mid] as number) < tagLimit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Tracked emails that smart matching would correlate with. The index lookup is exact (no false
   * negatives): a candidate needing ≥ r shared hashes out of our m must appear in the postings of any
   * m − r + 1 of our hashes, so we read only the rarest m − r + 1 posting lists of whichever side
   * (subject or address) gives the smaller set. Only entries tagged below `tagLimit` are considered.
   */
  candidates(subjectHashes: readonly number[], addressHashes: readonly number[], settings: SmartSettings, now: number, nearMissLimit = 0, tagLimit = Infinity, bestOnly = false): SmartMatchResult {
    const subject = dedupe(subjectHashes);
    const address = dedupe(addressHashes);
    const rule = settings.simSmartMatchingSubjectRule;
    const delta = settings.hashdeltasubjectcount;
    const minAddr = settings.hashminaddresscount;
    const limit = this.entryLimit(tagLimit);
    // Without near misses the pool only has to hold every match, so it may be narrower than the rarest
    // lists' union (necessary()); near misses are the pool's failures, so that view keeps the wider pool.
    const tight = nearMissLimit === 0;
    // Each source is a set of posting lists whose union must contain every match; we size them by the
    // sum of their list lengths and materialise only the cheapest.
    const sources: (readonly number[])[][] = [];
    // Per source (same order): how many of its hashes a match shares, and the hashes (for necessary()).
    const required: number[] = [];
    const all: (readonly number[])[] = [];
    if (minAddr >= 1) {
      if (address.length < minAddr) return { matches: [], count: 0, best: null, nearMisses: [], examined: 0 };
      sources.push(rarest(this.byAddress, address, address.length - minAddr + 1));
      required.push(minAddr);
      all.push(address);
    }
    // Rules B and C need ≥ n − delta shared subject hashes (B: the smaller set lies inside the larger one
    // and counts differ by ≤ delta, so the tracked email lacks at most delta of ours).
    const requiredShared = subject.length - delta;
    if (rule !== 'A' && requiredShared >= 1) {
      sources.push(rarest(this.bySubject, subject, delta + 1));
      required.push(requiredShared);
      all.push(subject);
    }
    if (sources.length === 0 && rule !== 'C') {
      // Only the count constraint remains: read the count buckets within delta.
      const lists: (readonly number[])[] = [];
      for (let c = Math.max(0, subject.length - delta); c <= subject.length + delta; c++) lists.push(this.byCount.get(c) ?? EMPTY);
      sources.push(lists);
    }
    const cost = (lists: (readonly number[])[]): number => lists.reduce((n, l) => n + l.length, 0);
    const costs = sources.map(cost);
    const byCost = sources.map((_, i) => i).sort((a, b) => (costs[a] as number) - (costs[b] as number));
    if (byCost.length > 0) {
      const i = byCost[0] as number;
      // Only the pool's source is narrowed (its intersection is read once); the other is a cheap filter.
      const hashes = all[i];
      const first = tight && hashes !== undefined
        ? this.necessary(hashes === subject ? 's' : 'a', hashes, required[i] as number, limit)
        : (sources[i] as (readonly number[])[]);
      const second = byCost[1] === undefined ? undefined : sources[byCost[1]];
      sources.length = 0;
      sources.push(first);
      if (second) sources.push(second);
    }
    // Rule C with nothing required: every tracked email qualifies on subject (shared ≥ 0); only then is
    // the whole store examined, which needs hashminaddresscount 0 and a subject of ≤ delta words.
    let pool = sources[0] ? this.union(sources[0], limit) : Array.from({ length: limit }, (_, i) => i);
    // Every source is a necessary condition, so a match lies in the union of each. When the second
    // source is not much bigger than the first, keeping only what both hold is cheaper than testing every
    // member of the first (marking costs a few ns an entry; the full test costs tens): generic subjects
    // to a busy mailbox otherwise put thousands of candidates in the pool of every lookup. Not when near
    // misses are wanted: they are the pool's failures.
    const second = sources[1];
    if (second && nearMissLimit === 0 && cost(second) <= 16 * pool.length) pool = this.intersect(second, limit);
    const windowMs = settings.simSmartMatchingWindowDays > 0 ? settings.simSmartMatchingWindowDays * DAY_MS : Infinity;
    const hits: number[] = [];
    const misses: number[] = [];
    // Cheap test first (this runs for every message of a replay); explanations only for what is returned.
    const times = this.times.a;
    const subj = this.subj.a;
    const subjEnd = this.subjEnd.a;
    const addr = this.addr.a;
    const addrEnd = this.addrEnd.a;
    for (let k = 0; k < pool.length; k++) {
      const n = pool[k] as number;
      let ok = now - (times[n] as number) <= windowMs && sharedCount(address, addr, n === 0 ? 0 : (addrEnd[n - 1] as number), addrEnd[n] as number) >= minAddr;
      if (ok) {
        const from = n === 0 ? 0 : (subjEnd[n - 1] as number);
        const to = subjEnd[n] as number;
        ok = subjectOk(subject.length, to - from, sharedCount(subject, subj, from, to), rule, delta);
      }
      if (ok) hits.push(n);
      else if (nearMissLimit > 0) misses.push(n);
    }
    const order = (a: number, b: number): number => (times[b] as number) - (times[a] as number) || b - a;
    let nearMisses: SmartMatchCandidate[] = [];
    if (nearMissLimit > 0) {
      // Near misses also come from the other sources (e.g. same subject, too few shared addresses),
      // read up to a small bound so the hash-match view stays cheap.
      const inPool = new Set(pool);
      for (const src of sources.slice(1)) {
        for (const l of src) {
          for (const n of l) {
            if (misses.length >= nearMissLimit * 5) break;
            if (n < limit && !inPool.has(n)) misses.push(n);
          }
        }
      }
      nearMisses = [...new Set(misses)].sort(order).slice(0, nearMissLimit).map((n) => this.explainEntry(n, subject, address, settings, now));
    }
    let first: number | undefined;
    if (bestOnly) {
      // The replay needs the winner and how many matched, not all of them in order (a generic subject
      // between the same people can match hundreds of earlier emails).
      for (const n of hits) if (first === undefined || order(n, first) < 0) first = n;
    } else {
      hits.sort(order);
      first = hits[0];
    }
    const listed = bestOnly ? (first === undefined ? [] : [first]) : hits;
    return {
      matches: listed.map((n) => ({ trackedId: this.ids[n] as string, time: times[n] as number, tag: this.tags.a[n] as number })),
      count: hits.length,
      best: first === undefined ? null : this.explainEntry(first, subject, address, settings, now),
      nearMisses,
      examined: pool.length,
    };
  }

  /** The full explanation (shared and missing hashes, rule reasons) of one tracked email against a message. */
  explain(trackedId: string, subjectHashes: readonly number[], addressHashes: readonly number[], settings: SmartSettings, now: number): SmartMatchCandidate | null {
    const n = this.numById.get(trackedId);
    return n === undefined ? null : this.explainEntry(n, dedupe(subjectHashes), dedupe(addressHashes), settings, now);
  }

  private explainEntry(n: number, subject: number[], address: number[], settings: SmartSettings, now: number): SmartMatchCandidate {
    const rule = settings.simSmartMatchingSubjectRule;
    const delta = settings.hashdeltasubjectcount;
    const minAddr = settings.hashminaddresscount;
    const es = this.subjectOf(n);
    const ea = this.addressOf(n);
    const time = this.times.a[n] as number;
    const s = subjectRuleMatches(subject, es, rule, delta);
    const sharedAddr = address.filter((h) => ea.includes(h));
    const addressMatch = sharedAddr.length >= minAddr;
    const inWindow = settings.simSmartMatchingWindowDays <= 0 || now - time <= settings.simSmartMatchingWindowDays * DAY_MS;
    const reasons = [s.reason, `${sharedAddr.length} shared address hashes, need ≥ ${minAddr}`];
    if (!inWindow) reasons.push(`outside the ${settings.simSmartMatchingWindowDays}-day window`);
    return {
      trackedId: this.ids[n] as string, time, subjectMatch: s.match, subjectReason: s.reason,
      sharedSubjectHashes: subject.filter((h) => es.includes(h)),
      missingFromTracked: subject.filter((h) => !es.includes(h)),
      missingFromNew: es.filter((h) => !subject.includes(h)),
      sharedAddressHashes: sharedAddr, addressMatch, inWindow, matched: s.match && addressMatch && inWindow, reason: reasons.join('; '),
    };
  }

  /**
   * Posting lists whose union holds every entry sharing at least `required` of the (distinct) `hashes`:
   * the rarest `hashes.length − required` lists as they are, plus the entries (< limit) found in every one
   * of the other `required` lists. An entry in none of the former can only reach `required` shared hashes
   * by being in all of the latter. This is rarest()'s union minus the entries that hold the
   * `hashes.length − required + 1`-th rarest hash and too few of the others: with loose settings (one
   * shared address, subject delta 1–2) that list is a busy mailbox or a common word, and testing each of
   * its thousands of entries dominated the replay. Intersections of long lists are remembered and carried
   * on (Intersection): the same busy pair comes back lookup after lookup.
   */
  private necessary(side: 's' | 'a', hashes: readonly number[], required: number, limit: number): (readonly number[])[] {
    const index = side === 's' ? this.bySubject : this.byAddress;
    const lists = hashes.map((h): readonly number[] => index.get(h) ?? EMPTY).sort((a, b) => a.length - b.length);
    const free = lists.length - required;
    if (required <= 1) return lists.slice(0, free + 1);
    const out = lists.slice(0, free);
    const rest = lists.slice(free);
    const shortest = rest[0] as readonly number[];
    if (shortest.length < REMEMBER_FROM) {
      out.push(intersectSorted(rest, limit));
      return out;
    }
    // The key names the hashes of the lists intersected: the posting lists of those hashes, in any order.
    const restHashes = hashes.filter((h) => rest.includes(index.get(h) ?? EMPTY)).sort((a, b) => a - b);
    const key = `${side}${restHashes.join(',')}`;
    let memo = this.remembered.get(key);
    if (!memo) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      memo = { lists: rest, pos: new Array<number>(rest.length).fill(0), done: 0, out: [] };
      this.remembered.set(key, memo);
    }
    carryOn(memo, limit);
    // Entries at or past `limit` the remembered result may hold are cut off by the reader (union()
    // stops at the first, the lists being sorted).
    out.push(memo.out);
    return out;
  }

  /**
   * Entry numbers (< limit) in the union of the lists that the last union() also returned, each once.
   * Members of that union carry the current stamp; a member found here is re-stamped so it is taken once.
   */
  private intersect(lists: readonly (readonly number[])[], limit: number): number[] {
    const inFirst = this.stamp;
    if (++this.stamp === 0xffffffff) {
      // Wrapping here would confuse the two marks: fall back to a Set (once in four billion lookups).
      const first = new Set<number>();
      for (let n = 0; n < this.stamps.length; n++) if (this.stamps[n] === inFirst) first.add(n);
      this.stamps.fill(0);
      this.stamp = 1;
      const out = new Set<number>();
      for (const l of lists) for (const n of l) if (n < limit && first.has(n)) out.add(n);
      return [...out];
    }
    const taken = this.stamp;
    const out: number[] = [];
    for (const l of lists) {
      for (let i = 0; i < l.length; i++) {
        const n = l[i] as number;
        if (n >= limit) break; // lists are sorted
        if (this.stamps[n] === inFirst) {
          this.stamps[n] = taken;
          out.push(n);
        }
      }
    }
    return out;
  }

  /** Entry numbers (< limit) in the union of the lists, each once, in no particular order. */
  private union(lists: readonly (readonly number[])[], limit: number): number[] {
    if (this.stamps.length < this.ids.length) {
      const grown = new Uint32Array(Math.max(this.ids.length, this.stamps.length * 2));
      grown.set(this.stamps);
      this.stamps = grown;
    }
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    const st = this.stamp;
    const out: number[] = [];
    for (const l of lists) {
      for (let i = 0; i < l.length; i++) {
        const n = l[i] as number;
        if (n >= limit) break; // lists are sorted
        if (this.stamps[n] !== st) {
          this.stamps[n] = st;
          out.push(n);
        }
      }
    }
    return out;
  }
}

/** The `take` smallest posting lists among `hashes`. */
function rarest(index: Map<number, number[]>, hashes: readonly number[], take: number): (readonly number[])[] {
  return hashes.map((h): readonly number[] => index.get(h) ?? EMPTY).sort((a, b) => a.length - b.length).slice(0, take);
}

/** Entries (< limit) present in every list; lists are sorted ascending, shortest first. */
function intersectSorted(lists: readonly (readonly number[])[], limit: number): readonly number[] {
  const memo: Intersection = { lists, pos: new Array<number>(lists.length).fill(0), done: 0, out: [] };
  carryOn(memo, limit);
  return memo.out;
}

/**
 * Extends an intersection over the elements of its first list below `limit` not yet decided. It stops
 * (leaving them undecided) at the first element ≥ limit, or when another list has nothing left at or
 * above the element: the lists may grow later, and the walk then resumes there.
 */
function carryOn(memo: Intersection, limit: number): void {
  const { lists, pos, out } = memo;
  const first = lists[0] as readonly number[];
  let i = memo.done;
  outer: for (; i < first.length; i++) {
    const n = first[i] as number;
    if (n >= limit) break;
    for (let j = 1; j < lists.length; j++) {
      const l = lists[j] as readonly number[];
      // Galloping search for the first element ≥ n from the last position (both lists ascend).
      let lo = pos[j] as number;
      let step = 1;
      let hi = lo;
      while (hi < l.length && (l[hi] as number) < n) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi > l.length) hi = l.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((l[mid] as number) < n) lo = mid + 1;
        else hi = mid;
      }
      pos[j] = lo;
      if (lo >= l.length) break outer; // nothing ≥ n in l yet: n and everything after it stay undecided
      if (l[lo] !== n) continue outer;
    }
    out.push(n);
  }
  memo.done = i;
}

/** The list itself when it has no duplicate, else a duplicate-free copy (never to be written to). */
function distinct(hashes: readonly number[]): readonly number[] {
  if (hashes.length > 32) return dedupe(hashes);
  for (let i = 1; i < hashes.length; i++) if (hashes.lastIndexOf(hashes[i] as number, i - 1) >= 0) return dedupe(hashes);
  return hashes;
}

function dedupe(hashes: readonly number[]): number[] {
  if (hashes.length > 32) return [...new Set(hashes)]; // a huge hashmaxcount: avoid the quadratic scan
  const out: number[] = [];
  for (const h of hashes) if (!out.includes(h)) out.push(h);
  return out;
}

const EMPTY: readonly number[] = [];

function post(index: Map<number, number[]>, h: number, n: number): void {
  const l = index.get(h);
  if (l) l.push(n);
  else index.set(h, [n]);
}

function unpost(index: Map<number, number[]>, h: number, n: number): void {
  const l = index.get(h);
  if (!l) return;
  if (l[l.length - 1] === n) l.pop();
  if (l.length === 0) index.delete(h);
}
