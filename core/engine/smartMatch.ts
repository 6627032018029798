// Smart matching (SIMULATOR §3.2, research §4.3): subject and address hashes and the candidate search.
// Dataverse stores 32-bit hashes in EmailHash indexed by (Hash, HashType); we mirror that with an
// inverted index keyed by hash so a lookup costs O(words), never a scan of every tracked email.

import type { Settings, SubjectRule } from './settings.js';
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
  const add = (b: number): void => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = word.charCodeAt(i + 1); // NaN past the end
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd; // lone surrogate: what TextEncoder writes
    }
    if (c < 0x80) add(c);
    else if (c < 0x800) {
      add(0xc0 | (c >> 6));
      add(0x80 | (c & 63));
    } else if (c < 0x10000) {
      add(0xe0 | (c >> 12));
      add(0x80 | ((c >> 6) & 63));
      add(0x80 | (c & 63));
    } else {
      add(0xf0 | (c >> 18));
      add(0x80 | ((c >> 12) & 63));
      add(0x80 | ((c >> 6) & 63));
      add(0x80 | (c & 63));
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
  const words = r.output.toLowerCase().split(/\s+/u).filter((w) => w !== '').slice(0, settings.hashmaxcount);
  return { ok: true, stripped: r.matches, remainder: r.output, words, hashes: [...new Set(words.map(wordHash))] };
}

/** The subject hashes (a set, in first-seen order); empty with the error when the regex fails. */
export function subjectHashes(subject: string, settings: Pick<Settings, 'hashfilterkeywords' | 'hashmaxcount'>): { hashes: number[]; error: string | null } {
  const w = subjectWords(subject, settings);
  return w.ok ? { hashes: w.hashes, error: null } : { hashes: [], error: w.error };
}

/** Unique lower-cased sender, To and Cc addresses (at most `max`) and their hashes. */
export function addressHashes(from: string | null, to: readonly string[], cc: readonly string[], max: number): { addresses: string[]; hashes: number[] } {
  const seen = new Set<string>();
  for (const a of [from ?? '', ...to, ...cc]) {
    const norm = a.trim().toLowerCase();
    if (norm && seen.size < max) seen.add(norm);
  }
  const addresses = [...seen];
  return { addresses, hashes: addresses.map(wordHash) };
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
  /** Every matching tracked email, most recent first (ties: added later first). */
  matches: { trackedId: string; time: number }[];
  /** The winner (matches[0]) with its explanation; use explain() for any other. */
  best: SmartMatchCandidate | null;
  /** Tracked emails that failed a rule (for the hash-match view), most recent first; only when asked for. */
  nearMisses: SmartMatchCandidate[];
  /** How many tracked emails the index lookup examined. */
  examined: number;
}

interface Entry {
  id: string;
  seq: number;
  time: number;
  subject: number[];
  subjectSet: Set<number>;
  address: number[];
  addressSet: Set<number>;
}

type SmartSettings = Pick<Settings, 'simSmartMatchingSubjectRule' | 'hashdeltasubjectcount' | 'hashminaddresscount' | 'simSmartMatchingWindowDays'>;

const DAY_MS = 86_400_000;

export class SmartMatchIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly bySubject = new Map<number, Set<string>>();
  private readonly byAddress = new Map<number, Set<string>>();
  private readonly byCount = new Map<number, Set<string>>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Register a tracked email's hashes; `time` is ms since epoch (sentOn or received time). */
  add(trackedId: string, subjectHashes: readonly number[], addressHashes: readonly number[], time: number): void {
    if (this.entries.has(trackedId)) return;
    const subject = [...new Set(subjectHashes)];
    const address = [...new Set(addressHashes)];
    const e: Entry = { id: trackedId, seq: this.seq++, time, subject, subjectSet: new Set(subject), address, addressSet: new Set(address) };
    this.entries.set(trackedId, e);
    for (const h of subject) post(this.bySubject, h, trackedId);
    for (const h of address) post(this.byAddress, h, trackedId);
    post(this.byCount, subject.length, trackedId);
  }

  /**
   * Tracked emails that smart matching would correlate with. The index lookup is exact (no false
   * negatives): a candidate needing ≥ r shared hashes out of our m must appear in the postings of any
   * m − r + 1 of our hashes, so we read only the rarest m − r + 1 posting lists of whichever side
   * (subject or address) gives the smaller set.
   */
  candidates(subjectHashes: readonly number[], addressHashes: readonly number[], settings: SmartSettings, now: number, nearMissLimit = 0): SmartMatchResult {
    const subject = [...new Set(subjectHashes)];
    const address = [...new Set(addressHashes)];
    const rule = settings.simSmartMatchingSubjectRule;
    const delta = settings.hashdeltasubjectcount;
    const minAddr = settings.hashminaddresscount;
    // Each source is a set of posting lists whose union must contain every match; we size them by the
    // sum of their list lengths and materialise only the cheapest.
    const sources: ReadonlySet<string>[][] = [];
    if (minAddr >= 1) {
      if (address.length < minAddr) return { matches: [], best: null, nearMisses: [], examined: 0 };
      sources.push(this.rarest(this.byAddress, address, address.length - minAddr + 1));
    }
    // Rules B and C need ≥ n − delta shared subject hashes (B: the smaller set lies inside the larger one
    // and counts differ by ≤ delta, so the tracked email lacks at most delta of ours).
    const requiredShared = subject.length - delta;
    if (rule !== 'A' && requiredShared >= 1) sources.push(this.rarest(this.bySubject, subject, delta + 1));
    if (sources.length === 0 && rule !== 'C') {
      // Only the count constraint remains: read the count buckets within delta.
      const lists: ReadonlySet<string>[] = [];
      for (let c = Math.max(0, subject.length - delta); c <= subject.length + delta; c++) lists.push(this.byCount.get(c) ?? EMPTY);
      sources.push(lists);
    }
    const cost = (lists: ReadonlySet<string>[]): number => lists.reduce((n, l) => n + l.size, 0);
    sources.sort((a, b) => cost(a) - cost(b));
    // Rule C with nothing required: every tracked email qualifies on subject (shared ≥ 0); only then is
    // the whole store examined, which needs hashminaddresscount 0 and a subject of ≤ delta words.
    const pool = sources[0] ? unionOf(sources[0]) : new Set(this.entries.keys());
    const windowMs = settings.simSmartMatchingWindowDays > 0 ? settings.simSmartMatchingWindowDays * DAY_MS : Infinity;
    const explain = (e: Entry): SmartMatchCandidate => this.explainEntry(e, subject, address, settings, now);
    // Cheap test first (this runs for every message of a replay); explanations only for what is returned.
    const passes = (e: Entry): boolean => {
      if (now - e.time > windowMs) return false;
      let sharedAddr = 0;
      for (const h of address) if (e.addressSet.has(h)) sharedAddr++;
      if (sharedAddr < minAddr) return false;
      let sharedSubj = 0;
      for (const h of subject) if (e.subjectSet.has(h)) sharedSubj++;
      return subjectOk(subject.length, e.subject.length, sharedSubj, rule, delta);
    };
    const order = (a: Entry, b: Entry): number => b.time - a.time || b.seq - a.seq;
    const hits: Entry[] = [];
    const misses: Entry[] = [];
    for (const id of pool) {
      const e = this.entries.get(id) as Entry;
      (passes(e) ? hits : misses).push(e);
    }
    let nearMisses: SmartMatchCandidate[] = [];
    if (nearMissLimit > 0) {
      // Near misses also come from the other sources (e.g. same subject, too few shared addresses),
      // read up to a small bound so the hash-match view stays cheap.
      for (const src of sources.slice(1)) {
        for (const l of src) {
          for (const id of l) {
            if (misses.length >= nearMissLimit * 5) break;
            if (!pool.has(id)) misses.push(this.entries.get(id) as Entry);
          }
        }
      }
      nearMisses = [...new Set(misses)].sort(order).slice(0, nearMissLimit).map(explain);
    }
    hits.sort(order);
    const first = hits[0];
    return { matches: hits.map((e) => ({ trackedId: e.id, time: e.time })), best: first ? explain(first) : null, nearMisses, examined: pool.size };
  }

  /** The full explanation (shared and missing hashes, rule reasons) of one tracked email against a message. */
  explain(trackedId: string, subjectHashes: readonly number[], addressHashes: readonly number[], settings: SmartSettings, now: number): SmartMatchCandidate | null {
    const e = this.entries.get(trackedId);
    return e ? this.explainEntry(e, [...new Set(subjectHashes)], [...new Set(addressHashes)], settings, now) : null;
  }

  private explainEntry(e: Entry, subject: number[], address: number[], settings: SmartSettings, now: number): SmartMatchCandidate {
    const rule = settings.simSmartMatchingSubjectRule;
    const delta = settings.hashdeltasubjectcount;
    const minAddr = settings.hashminaddresscount;
    const subjectSet = new Set(subject);
    const s = subjectRuleMatches(subject, e.subject, rule, delta);
    const sharedAddr = address.filter((h) => e.addressSet.has(h));
    const addressMatch = sharedAddr.length >= minAddr;
    const inWindow = settings.simSmartMatchingWindowDays <= 0 || now - e.time <= settings.simSmartMatchingWindowDays * DAY_MS;
    const reasons = [s.reason, `${sharedAddr.length} shared address hashes, need ≥ ${minAddr}`];
    if (!inWindow) reasons.push(`outside the ${settings.simSmartMatchingWindowDays}-day window`);
    return {
      trackedId: e.id, time: e.time, subjectMatch: s.match, subjectReason: s.reason,
      sharedSubjectHashes: subject.filter((h) => e.subjectSet.has(h)),
      missingFromTracked: subject.filter((h) => !e.subjectSet.has(h)),
      missingFromNew: e.subject.filter((h) => !subjectSet.has(h)),
      sharedAddressHashes: sharedAddr, addressMatch, inWindow, matched: s.match && addressMatch && inWindow, reason: reasons.join('; '),
    };
  }

  /** The `take` smallest posting lists among `hashes`. */
  private rarest(index: Map<number, Set<string>>, hashes: readonly number[], take: number): ReadonlySet<string>[] {
    return hashes.map((h): ReadonlySet<string> => index.get(h) ?? EMPTY).sort((a, b) => a.size - b.size).slice(0, take);
  }
}

function unionOf(lists: readonly ReadonlySet<string>[]): Set<string> {
  const out = new Set<string>();
  for (const l of lists) for (const id of l) out.add(id);
  return out;
}

const EMPTY: ReadonlySet<string> = new Set();

function post(index: Map<number, Set<string>>, h: number, id: string): void {
  let s = index.get(h);
  if (!s) index.set(h, (s = new Set()));
  s.add(id);
}
