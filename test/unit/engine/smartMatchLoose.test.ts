// The replay's lookup (no near misses asked for) narrows its pool to entries that can still share enough
// hashes (SmartMatchIndex.candidates, necessary()). These checks hold it to the rule itself: whatever the
// settings, it returns exactly the tracked emails that explain() says match (SIMULATOR §3.2), most recent
// first, and with loose settings it no longer tests every email of a busy mailbox.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings, type SubjectRule } from '../../../core/engine/model/settings.js';
import { addressHashes, SmartMatchIndex, subjectHashes } from '../../../core/engine/primitives/smartMatch.js';

const S = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, enablesmartmatching: true, ...over });
const h = (subject: string): number[] => subjectHashes(subject, S()).hashes;
const addr = (from: string, ...to: string[]): number[] => addressHashes(from, to, [], 20).hashes;

function lcg(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

describe('SmartMatchIndex.candidates with loose settings', () => {
  const WORDS = ['quick', 'question', 'order', 'out', 'of', 'office:', 'invoice', 'delivery', '123', '456', 'crm:0001001'];
  const PEOPLE = ['a@x.com', 'b@x.com', 'c@y.com', 'd@y.com', 'agent@contoso.com', 'agent2@contoso.com'];
  const rand = lcg(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const subjectOf = (): string => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(WORDS)).join(' ');
  const peopleOf = (): string[] => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(PEOPLE));

  const idx = new SmartMatchIndex();
  const entries: { id: string; time: number; tag: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const [from, ...to] = peopleOf();
    const e = { id: `t${i}`, time: i * 1000, tag: i * 3 };
    idx.add(e.id, h(subjectOf()), addr(from as string, ...to), e.time, e.tag);
    entries.push(e);
  }

  it('returns exactly the emails explain() says match, most recent first, for every rule, delta and address count', () => {
    let compared = 0;
    let matched = 0;
    for (let q = 0; q < 300; q++) {
      const rule = pick<SubjectRule>(['A', 'B', 'C']);
      const s = S({ simSmartMatchingSubjectRule: rule, hashdeltasubjectcount: Math.floor(rand() * 3), hashminaddresscount: Math.floor(rand() * 4), simSmartMatchingWindowDays: 0 });
      const subject = h(subjectOf());
      const [from, ...to] = peopleOf();
      const address = addr(from as string, ...to);
      const now = 400_000;
      const tagLimit = rand() < 0.5 ? Infinity : Math.floor(rand() * 1200);
      const expected = entries
        .filter((e) => e.tag < tagLimit && idx.explain(e.id, subject, address, s, now)?.matched)
        .sort((a, b) => b.time - a.time)
        .map((e) => e.id);
      const all = idx.candidates(subject, address, s, now, 0, tagLimit);
      expect(all.matches.map((m) => m.trackedId)).toEqual(expected);
      expect(all.count).toBe(expected.length);
      // The replay asks for the winner and the count only.
      const best = idx.candidates(subject, address, s, now, 0, tagLimit, true);
      expect(best.count).toBe(expected.length);
      expect(best.best?.trackedId ?? null).toBe(expected[0] ?? null);
      // The hash-match view (near misses asked for) keeps the wide pool and finds the same matches.
      expect(idx.candidates(subject, address, s, now, 3, tagLimit).matches.map((m) => m.trackedId)).toEqual(expected);
      compared++;
      matched += expected.length;
    }
    expect(compared).toBe(300);
    expect(matched).toBeGreaterThan(100); // the random queries do exercise matches, not only misses
  });

  it('rule C with a delta of 1 on a common word: only emails that share enough subject words are tested, not every "order"', () => {
    const busy = new SmartMatchIndex();
    const verbs = ['shipped', 'delayed', 'paid', 'cancelled', 'returned', 'invoiced', 'packed', 'lost', 'found', 'held'];
    // The agent is on every email (agent2 on every tenth); every subject holds "order", one verb in ten each.
    for (let i = 0; i < 5000; i++) {
      const to = i % 10 === 0 ? ['agent@contoso.com', 'agent2@contoso.com'] : ['agent@contoso.com'];
      busy.add(`m${i}`, h(`Order ${i} ${verbs[i % 10] as string}`), addr(`cust${i % 500}@x.com`, ...to), i);
    }
    // Rule C (≥ larger count − delta shared words), as the sweep's loose point uses it.
    const s = S({ hashminaddresscount: 1, hashdeltasubjectcount: 1, simSmartMatchingSubjectRule: 'C' });
    const subject = h('RE: Order 42 paid');
    const address = addr('agent@contoso.com', 'agent2@contoso.com');
    const r = busy.candidates(subject, address, s, 10_000, 0, Infinity, true);
    const expected = Array.from({ length: 5000 }, (_, i) => `m${i}`).filter((id) => busy.explain(id, subject, address, s, 10_000)?.matched);
    expect(expected).toHaveLength(500); // the "order … paid" emails (m42 among them)
    expect(r.count).toBe(500);
    expect(r.best?.trackedId).toBe('m4992'); // the most recent of them
    // Needing 2 of {order, 42, paid}: the emails holding "42" or both "order" and "paid" (500), not all
    // 5,000 holding "order".
    expect(r.examined).toBeLessThanOrEqual(501);
    // The wide pool (near misses asked for) finds the same matches.
    expect(busy.candidates(subject, address, s, 10_000, 2).count).toBe(500);
  });

  it('busy lists: lookups between emails added, at any tag limit and after truncation, still return exactly what explain() matches', () => {
    // Few people and words, so the posting lists grow long (the index then remembers their intersections
    // and carries them on as entries are added); lookups interleave with adds, "as it was" limits and
    // truncations, and every one is checked against explain() over all entries present.
    const rand2 = lcg(99);
    const pick2 = <T>(xs: readonly T[]): T => xs[Math.floor(rand2() * xs.length)] as T;
    const words = ['quick', 'question', 'order', 'invoice', '42', 'crm:0001001'];
    const people = ['a@x.com', 'b@x.com', 'c@x.com', 'agent@contoso.com', 'agent2@contoso.com'];
    const subjectOf2 = (): string => Array.from({ length: 1 + Math.floor(rand2() * 4) }, () => pick2(words)).join(' ');
    const peopleOf2 = (): string[] => Array.from({ length: 2 + Math.floor(rand2() * 3) }, () => pick2(people));
    const idx = new SmartMatchIndex();
    let present: { id: string; time: number; tag: number }[] = [];
    let next = 0;
    let compared = 0;
    let matched = 0;
    for (let round = 0; round < 12; round++) {
      for (let k = 0; k < 250; k++) {
        const [from, ...to] = peopleOf2();
        const e = { id: `t${next}`, time: next * 1000, tag: next * 2 };
        next++;
        idx.add(e.id, h(subjectOf2()), addr(from as string, ...to), e.time, e.tag);
        present.push(e);
      }
      for (let q = 0; q < 25; q++) {
        const s = S({ simSmartMatchingSubjectRule: pick2<SubjectRule>(['B', 'C']), hashdeltasubjectcount: Math.floor(rand2() * 3), hashminaddresscount: 2 + Math.floor(rand2() * 2), simSmartMatchingWindowDays: 0 });
        const subject = h(subjectOf2());
        const [from, ...to] = peopleOf2();
        const address = addr(from as string, ...to);
        const tagLimit = rand2() < 0.5 ? Infinity : Math.floor(rand2() * next * 2);
        const expected = present
          .filter((e) => e.tag < tagLimit && idx.explain(e.id, subject, address, s, next * 1000)?.matched)
          .sort((a, b) => b.time - a.time)
          .map((e) => e.id);
        const got = idx.candidates(subject, address, s, next * 1000, 0, tagLimit, true);
        expect(got.count).toBe(expected.length);
        expect(got.best?.trackedId ?? null).toBe(expected[0] ?? null);
        compared++;
        matched += expected.length;
      }
      if (round % 4 === 3) {
        // Take back the newest fifth (remembered intersections must not outlive it).
        const cut = present[Math.floor(present.length * 0.8)] as { tag: number };
        idx.truncate(cut.tag);
        present = present.filter((e) => e.tag < cut.tag);
        expect(idx.size).toBe(present.length);
      }
    }
    expect(compared).toBe(300);
    expect(matched).toBeGreaterThan(1000);
  });
});
