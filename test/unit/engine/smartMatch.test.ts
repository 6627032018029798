import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { addressHashes, addressOverlap, SmartMatchIndex, subjectHashes, subjectRuleMatches, subjectWords, wordHash } from '../../../core/engine/primitives/smartMatch.js';

const S = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, enablesmartmatching: true, ...over });
const h = (subject: string, s: Settings = S()): number[] => subjectHashes(subject, s).hashes;
const DAY = 86_400_000;

describe('subjectWords (SIMULATOR §3.2 step 1)', () => {
  it('strips the regex matches, lower-cases and splits on whitespace', () => {
    const w = subjectWords('RE: FW:  Hello   World', S());
    expect(w.ok).toBe(true);
    if (!w.ok) return;
    expect(w.stripped.map((m) => m.text)).toEqual(['RE: FW:  ']);
    expect(w.remainder).toBe('Hello   World');
    expect(w.words).toEqual(['hello', 'world']);
  });
  it('case is ignored: "Re: hello" and "Hello" hash the same (D1)', () => {
    expect(h('Re: hello')).toEqual(h('Hello'));
  });
  it('keeps only the first hashmaxcount words (D1: only the first 20 are hashed)', () => {
    const words = Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ');
    const w = subjectWords(words, S());
    expect(w.ok && w.words.length).toBe(20);
    expect(w.ok && w.words[19]).toBe('w19');
    expect(subjectWords(words, S({ hashmaxcount: 3 }))).toMatchObject({ ok: true, words: ['w0', 'w1', 'w2'] });
  });
  it('hashes are a set: repeated words count once', () => {
    expect(h('go go go').length).toBe(1);
  });
  it('the token is one word ("may include the token")', () => {
    expect(subjectWords('Quote CRM:0001001', S())).toMatchObject({ ok: true, words: ['quote', 'crm:0001001'] });
  });
  it('a bad or runaway HashFilterKeywords is reported, not thrown', () => {
    expect(subjectWords('x', S({ hashfilterkeywords: '(?i)re:' })).ok).toBe(false);
    const r = subjectWords(`${'a'.repeat(3000)}!`, S({ hashfilterkeywords: '(a+)+$' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/HashFilterKeywords: .*steps/);
    expect(subjectHashes(`${'a'.repeat(3000)}!`, S({ hashfilterkeywords: '(a+)+$' }))).toMatchObject({ hashes: [] });
  });
});

describe('wordHash', () => {
  it('is FNV-1a 32-bit over UTF-8 as a signed int (known vectors)', () => {
    // FNV-1a test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    expect(wordHash('')).toBe(0x811c9dc5 | 0);
    expect(wordHash('a')).toBe(0xe40c292c | 0);
    expect(wordHash('foobar')).toBe(0xbf9cf968 | 0);
    expect(Number.isInteger(wordHash('привет'))).toBe(true);
    expect(wordHash('привет')).not.toBe(wordHash('привет!'));
  });
  it('hashes exactly the UTF-8 bytes (checked against TextEncoder + a reference FNV-1a)', () => {
    const ref = (w: string): number => {
      let x = 0x811c9dc5;
      for (const b of new TextEncoder().encode(w)) x = Math.imul(x ^ b, 0x01000193);
      return x | 0;
    };
    for (const w of ['réf', 'ответ', '回复', '😀ok', 'a\ud800b', 'x\udc00', 'y\ud800', 'ñ'.repeat(30)]) expect(wordHash(w), w).toBe(ref(w));
  });
});

describe('addressHashes (step 2)', () => {
  it('unique, lower-cased, trimmed sender/To/Cc, at most max', () => {
    const a = addressHashes(' Alice@Contoso.com', ['bob@fabrikam.com', 'alice@contoso.com'], ['CAROL@x.org', ''], 20);
    expect(a.addresses).toEqual(['alice@contoso.com', 'bob@fabrikam.com', 'carol@x.org']);
    expect(a.hashes).toEqual(a.addresses.map(wordHash));
    expect(addressHashes('a@x', ['b@x', 'c@x'], [], 2).addresses).toEqual(['a@x', 'b@x']);
    expect(addressHashes(null, [], [], 20).addresses).toEqual([]);
  });
  it('addressOverlap lists the shared hashes', () => {
    const a = addressHashes('a@x', ['b@x'], [], 20).hashes;
    const b = addressHashes('B@X', ['c@x'], [], 20).hashes;
    expect(addressOverlap(a, b)).toEqual([wordHash('b@x')]);
  });
});

describe('subject rules A / B / C (step 3)', () => {
  const budget = h('Budget review');
  const budget2025 = h('Budget review 2025');
  const other = h('Lunch today');
  it('equal subjects match under every rule', () => {
    for (const r of ['A', 'B', 'C'] as const) expect(subjectRuleMatches(budget, h('RE: budget REVIEW'), r, 0).match).toBe(true);
  });
  it('rule A compares counts only: two unrelated 2-word subjects match', () => {
    expect(subjectRuleMatches(budget, other, 'A', 0)).toMatchObject({ match: true });
    expect(subjectRuleMatches(budget, other, 'B', 0)).toMatchObject({ match: false, sharedCount: 0 });
    expect(subjectRuleMatches(budget, other, 'C', 0)).toMatchObject({ match: false });
  });
  it('delta 1: B accepts an added word (smaller set inside the larger), C too; A on counts', () => {
    expect(subjectRuleMatches(budget2025, budget, 'B', 0).match).toBe(false);
    expect(subjectRuleMatches(budget2025, budget, 'B', 1).match).toBe(true);
    expect(subjectRuleMatches(budget2025, budget, 'C', 1).match).toBe(true);
    expect(subjectRuleMatches(budget2025, budget, 'A', 1).match).toBe(true);
  });
  it('B and C differ: a replaced word with delta 1', () => {
    // 3 vs 3 words, 2 shared: B needs the smaller set entirely inside (no), C needs ≥ 3 − 1 = 2 shared (yes)
    const x = h('Budget review Monday');
    const y = h('Budget review Tuesday');
    expect(subjectRuleMatches(x, y, 'B', 1)).toMatchObject({ match: false, sharedCount: 2 });
    expect(subjectRuleMatches(x, y, 'C', 1)).toMatchObject({ match: true, sharedCount: 2 });
    expect(subjectRuleMatches(x, y, 'A', 0).match).toBe(true);
  });
  it('the reason names the rule and the numbers', () => {
    expect(subjectRuleMatches(budget2025, budget, 'B', 0).reason).toMatch(/rule B: 3 vs 2 subject hashes \(difference 1, allowed 0\).*counts differ/);
  });
});

describe('SmartMatchIndex', () => {
  const manager = 'manager@contoso.com';
  const hr = 'hr@contoso.com';
  const addr = (from: string, ...to: string[]): number[] => addressHashes(from, to, [], 20).hashes;

  it('"New Hire" false positive (research §12, B-2009/D1): same subject, same two people, unrelated threads', () => {
    const idx = new SmartMatchIndex();
    idx.add('aliceOnboarding', h('New Hire'), addr(hr, manager), Date.UTC(2024, 0, 10));
    const r = idx.candidates(h('RE: New Hire'), addr(manager, hr), S(), Date.UTC(2024, 5, 1));
    expect(r.matches.map((m) => m.trackedId)).toEqual(['aliceOnboarding']);
    expect(r.best?.sharedAddressHashes.length).toBe(2);
    expect(r.best?.reason).toMatch(/rule B: 2 vs 2 subject hashes.*2 shared address hashes, need ≥ 2/);
    // one shared address is not enough with hashminaddresscount 2
    const r1 = idx.candidates(h('New Hire'), addr(manager, 'someone@else.com'), S(), Date.UTC(2024, 5, 1), 5);
    expect(r1.matches).toEqual([]);
    expect(r1.nearMisses[0]).toMatchObject({ trackedId: 'aliceOnboarding', subjectMatch: true, addressMatch: false });
  });

  it('rules A, B, C change which tracked emails match', () => {
    const idx = new SmartMatchIndex();
    const t = Date.UTC(2024, 0, 1);
    idx.add('same', h('Budget review'), addr(hr, manager), t);
    idx.add('unrelated', h('Lunch today'), addr(hr, manager), t + 1);
    idx.add('plusWord', h('Budget review 2025'), addr(hr, manager), t + 2);
    const ids = (rule: 'A' | 'B' | 'C', delta = 0): string[] =>
      idx.candidates(h('Budget review'), addr(manager, hr), S({ simSmartMatchingSubjectRule: rule, hashdeltasubjectcount: delta }), t + DAY).matches.map((m) => m.trackedId);
    expect(ids('B')).toEqual(['same']);
    expect(ids('A')).toEqual(['unrelated', 'same']); // counts only; most recent first
    expect(ids('C')).toEqual(['same']);
    expect(ids('B', 1)).toEqual(['plusWord', 'same']);
    expect(ids('A', 1)).toEqual(['plusWord', 'unrelated', 'same']);
  });

  it('window: 90 days excludes older email, 0 = all', () => {
    const idx = new SmartMatchIndex();
    const now = Date.UTC(2024, 6, 1);
    idx.add('old', h('Invoice'), addr(hr, manager), now - 120 * DAY);
    idx.add('recent', h('Invoice'), addr(hr, manager), now - 10 * DAY);
    const q = (days: number): string[] => idx.candidates(h('Invoice'), addr(hr, manager), S({ simSmartMatchingWindowDays: days }), now).matches.map((m) => m.trackedId);
    expect(q(0)).toEqual(['recent', 'old']);
    expect(q(90)).toEqual(['recent']);
    const miss = idx.candidates(h('Invoice'), addr(hr, manager), S({ simSmartMatchingWindowDays: 90 }), now, 5).nearMisses[0];
    expect(miss).toMatchObject({ trackedId: 'old', inWindow: false });
    expect(miss?.reason).toMatch(/outside the 90-day window/);
  });

  it('explanation data lists shared and missing words for the hash-match view', () => {
    const idx = new SmartMatchIndex();
    idx.add('t', h('Budget review 2025'), addr(hr, manager), 0);
    const c = idx.candidates(h('Budget review'), addr(hr, manager), S({ hashdeltasubjectcount: 1 }), 1).best;
    expect(c?.sharedSubjectHashes.sort()).toEqual(h('budget review').sort());
    expect(c?.missingFromNew).toEqual(h('2025'));
    expect(c?.missingFromTracked).toEqual([]);
    expect(idx.explain('t', h('Lunch'), addr(hr), S(), 1)).toMatchObject({ matched: false, subjectMatch: false, addressMatch: false });
    expect(idx.explain('nope', [], [], S(), 1)).toBeNull();
  });

  it('near misses are only computed when asked for', () => {
    const idx = new SmartMatchIndex();
    idx.add('t', h('Budget review 2025'), addr(hr, manager), 0);
    expect(idx.candidates(h('Budget'), addr(hr, manager), S(), 1).nearMisses).toEqual([]);
    expect(idx.candidates(h('Budget'), addr(hr, manager), S(), 1, 3).nearMisses.map((m) => m.trackedId)).toEqual(['t']);
  });

  it('ties on time go to the one tracked later', () => {
    const idx = new SmartMatchIndex();
    idx.add('first', h('Hi'), addr(hr, manager), 5);
    idx.add('second', h('Hi'), addr(hr, manager), 5);
    expect(idx.candidates(h('Hi'), addr(hr, manager), S(), 10).matches.map((m) => m.trackedId)).toEqual(['second', 'first']);
  });

  it('hashminaddresscount 0 still finds matches (via the count buckets / subject postings)', () => {
    const idx = new SmartMatchIndex();
    idx.add('x', h('Quarterly plan'), addr('a@x', 'b@x'), 0);
    for (const rule of ['A', 'B', 'C'] as const) {
      const r = idx.candidates(h('Quarterly plan'), addr('c@y'), S({ hashminaddresscount: 0, simSmartMatchingSubjectRule: rule }), 1);
      expect(r.matches.map((m) => m.trackedId)).toEqual(['x']);
    }
  });

  it('the lookup reads posting lists, not the whole store (examined stays small)', () => {
    const idx = new SmartMatchIndex();
    // The mailbox owner is on every message; senders and subjects vary.
    for (let i = 0; i < 20_000; i++) idx.add(`m${i}`, h(`Order ${i} shipped`), addr(`cust${i % 500}@x.com`, 'owner@contoso.com'), i);
    const r = idx.candidates(h('RE: Order 42 shipped'), addr('owner@contoso.com', 'cust42@x.com'), S(), 30_000);
    expect(r.matches.map((m) => m.trackedId)).toEqual(['m42']);
    expect(r.examined).toBeLessThanOrEqual(40); // cust42's 40 messages, not 20,000
  });

  it('a lookup "as the index was" before a tag sees only the entries added before it; truncate takes entries back', () => {
    const idx = new SmartMatchIndex();
    for (let i = 0; i < 6; i++) idx.add(`m${i}`, h('Budget review'), addr(hr, manager), i * 10, i * 2);
    const ids = (tagLimit: number): string[] => idx.candidates(h('RE: Budget review'), addr(manager, hr), S(), 100, 0, tagLimit).matches.map((m) => m.trackedId);
    expect(ids(Infinity)).toEqual(['m5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    expect(ids(5)).toEqual(['m2', 'm1', 'm0']); // tags 0, 2, 4
    expect(ids(0)).toEqual([]);
    idx.truncate(5);
    expect(idx.size).toBe(3);
    expect(ids(Infinity)).toEqual(['m2', 'm1', 'm0']);
    idx.add('m3', h('Budget review'), addr(hr, manager), 30, 6); // an id taken back can be added again
    expect(ids(Infinity)).toEqual(['m3', 'm2', 'm1', 'm0']);
  });
});
