// The tuning sweep on a hand-built mailbox whose true conversations and smart-matching outcomes are
// known by hand, the grid file format, the Pareto front, and the worker-thread runner against the
// in-thread one.
import { describe, expect, it } from 'vitest';
import {
  buildGroundTruth, compactRun, defaultSweepGrid, drillPoint, KEYWORD_VARIANTS, paretoFront, parseSweepGrid, resolvePoints, runSweep, scoreRun, storeKeys, SweepGridError,
} from '../../../core/analysis/sweep.js';
import { runSweepParallel, SweepCancelled } from '../../../core/node/analysis/sweepParallel.js';
import { replay, ReplayCache } from '../../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { DIR, input, mailbox, msg, tracked } from '../replay/helpers.js';

// e1: Alice's quote to Bob, sent from Dynamics (no Thread-Index, no token).
// r1: Bob's reply from a client that keeps References but drops In-Reply-To → same conversation; only
//     smart matching can link it (correct).
// oof: Bob's auto-reply "Out of office: Quote", References e1 → same conversation; smart matching links it
//      only when HashFilterKeywords strips "Out of office:" (the documented fix).
// n1: a brand-new "Quote" email from Bob, no references → another conversation; smart matching links it
//     to the quote thread (false).
function mailboxInput(): ReturnType<typeof input> {
  const e1 = tracked('e1', { subject: 'Quote', sentOn: '2024-03-01T09:00:00Z' });
  const msgs = [
    msg({ key: 'r1', messageId: '<r1@x>', references: ['<e1@contoso.com>'], subject: 'RE: Quote', date: '2024-03-02T08:00:00Z' }),
    msg({ key: 'oof', messageId: '<oof@x>', references: ['<e1@contoso.com>'], subject: 'Out of office: Quote', date: '2024-03-02T09:00:00Z' }),
    msg({ key: 'n1', messageId: '<n1@x>', subject: 'Quote', date: '2024-03-05T08:00:00Z' }),
  ];
  return input(msgs, { tracked: [e1], directory: DIR, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] });
}

function score(settings: Partial<Settings>, baseline?: Partial<Settings>): ReturnType<typeof scoreRun> {
  const inp = mailboxInput();
  const truth = buildGroundTruth(inp);
  const run = compactRun(replay({ ...inp, settings: { ...DEFAULT_SETTINGS, ...settings } }), truth);
  const base = baseline ? compactRun(replay({ ...inp, settings: { ...DEFAULT_SETTINGS, ...baseline } }), truth) : null;
  return scoreRun(run, truth, base);
}

describe('ground truth and scoring', () => {
  it('threads the tracked email with the messages: r1 and oof with e1, n1 alone', () => {
    const t = buildGroundTruth(mailboxInput());
    const c = (k: string): number => t.conv[t.index.get(k)!]!;
    expect(c('r1')).toBe(c('e1'));
    expect(c('oof')).toBe(c('e1'));
    expect(c('n1')).not.toBe(c('e1'));
    expect(t.conversations).toBe(2);
  });

  it('smart matching off: nothing correlated, r1 and oof missed', () => {
    const m = score({});
    expect(m).toMatchObject({ counted: 3, tracked: 3, correlations: 0, correct: 0, falseCorrelations: 0, missed: 2, precision: 1, recall: 0 });
  });

  it('smart matching on, default keywords: r1 correct, n1 false, oof still missed', () => {
    const m = score({ enablesmartmatching: true }, {});
    expect(m).toMatchObject({ correlations: 2, correct: 1, falseCorrelations: 1, missed: 1, smartMatched: 2, smartFalse: 1, gained: 1, lost: 0, newFalse: 1 });
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(0.5);
  });

  it('the documented "Out of office:" fix links the auto-reply too', () => {
    const m = score({ enablesmartmatching: true, hashfilterkeywords: KEYWORD_VARIANTS['out-of-office'] });
    expect(m).toMatchObject({ correct: 2, falseCorrelations: 1, missed: 0 });
    expect(m.recall).toBe(1);
    expect(KEYWORD_VARIANTS['out-of-office']).toBe(`${DEFAULT_SETTINGS.hashfilterkeywords}|Out of office:`);
  });

  it('HashMinAddressCount 3 (the emails share only 2 addresses) links nothing', () => {
    expect(score({ enablesmartmatching: true, hashminaddresscount: 3 })).toMatchObject({ correlations: 0, missed: 2 });
  });
});

describe('paretoFront', () => {
  it('keeps the points no other point beats on both precision and recall', () => {
    const pts = [{ precision: 1, recall: 0.5 }, { precision: 0.5, recall: 1 }, { precision: 0.5, recall: 0.5 }, { precision: 0.9, recall: 0.5 }, { precision: 1, recall: 0.5 }];
    expect(paretoFront(pts)).toEqual([true, true, false, false, true]);
  });
});

describe('grid', () => {
  it('the default grid has 25 distinct points including the out-of-office variant', () => {
    const g = defaultSweepGrid();
    expect(g.points).toHaveLength(25);
    expect(resolvePoints(DEFAULT_SETTINGS, g)).toHaveLength(25);
    expect(g.points.filter((p) => p.hashfilterkeywords === KEYWORD_VARIANTS['out-of-office'])).toHaveLength(9);
    expect(g.base).toMatchObject({ enablesmartmatching: true });
  });
  it('product × points, variant names for keywords, duplicates dropped', () => {
    const g = parseSweepGrid({ product: { hashminaddresscount: [1, 2], hashfilterkeywords: ['default', 'out-of-office'] }, points: [{ hashminaddresscount: 2 }] }, 'g.json');
    expect(g.points).toHaveLength(5);
    expect(g.points[1]!.hashfilterkeywords).toBe(KEYWORD_VARIANTS['out-of-office']);
    // { hashminaddresscount: 2 } alone is point 3 of the product (default keywords): dropped.
    expect(resolvePoints(DEFAULT_SETTINGS, g)).toHaveLength(4);
  });
  it('bad grids are refused naming the file, the point and the setting', () => {
    expect(() => parseSweepGrid({ points: [{ usetrackingtokens: false }] }, 'g.json')).toThrow(/g\.json: points\[0\]: "usetrackingtokens" cannot be swept/);
    expect(() => parseSweepGrid({ product: { hashminaddresscount: [2, -1] } }, 'g.json')).toThrow(/g\.json: product point 2: hashminaddresscount = -1 is out of range/);
    expect(() => parseSweepGrid({ points: [{ hashfilterkeywords: '(?i)re:' }] }, 'g.json')).toThrow(SweepGridError);
    expect(() => parseSweepGrid({}, 'g.json')).toThrow(/g\.json: the grid has no points/);
    expect(() => parseSweepGrid([], 'g.json')).toThrow(/expected a JSON object/);
    expect(() => parseSweepGrid({ points: [], extra: 1 }, 'g.json')).toThrow(/unknown key "extra"/);
  });
});

describe('storeKeys (which points can share a tracked store)', () => {
  const S = (over: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, enablesmartmatching: true, ...over });
  const oof = KEYWORD_VARIANTS['out-of-office'] as string;
  const auto = KEYWORD_VARIANTS['auto-replies'] as string;

  it('HashMaxCount values above every subject and address count share one store; below, they do not', () => {
    // mailboxInput's longest subject has 4 words ("Out of office: Quote"), every message 2 addresses.
    const k = storeKeys(mailboxInput(), [S({}), S({ hashmaxcount: 50 }), S({ hashmaxcount: 3 }), S({ hashmaxcount: 4 })]);
    expect(k[1]).toBe(k[0]);
    expect(k[2]).not.toBe(k[0]);
    expect(k[3]).toBe(k[0]);
  });

  it('keywords that only add literal alternatives no subject holds share the store; "Out of office:" here does not', () => {
    const k = storeKeys(mailboxInput(), [S({ hashfilterkeywords: oof }), S({ hashfilterkeywords: auto }), S({}), S({ hashfilterkeywords: `${oof}|Out.of` })]);
    expect(k[1]).toBe(k[0]); // "Automatic reply:" etc. appear in no subject
    expect(k[2]).not.toBe(k[0]); // the default keeps "Out of office:", which a subject holds
    expect(k[3]).not.toBe(k[0]); // not a plain literal: not claimed alike
    const withAutoReply = mailboxInput();
    withAutoReply.messages.push(msg({ key: 'ar', messageId: '<ar@x>', subject: 'Automatic reply: Quote', date: '2024-03-06T08:00:00Z' }));
    const k2 = storeKeys(withAutoReply, [S({ hashfilterkeywords: oof }), S({ hashfilterkeywords: auto })]);
    expect(k2[1]).not.toBe(k2[0]);
  });

  it('every pair it calls alike does hash alike: the engine then keeps the store and every decision', () => {
    const inp = mailboxInput();
    const pairs: [Settings, Settings][] = [[S({}), S({ hashmaxcount: 50 })], [S({ hashfilterkeywords: oof }), S({ hashfilterkeywords: auto })]];
    for (const [a, b] of pairs) {
      expect(storeKeys(inp, [a, b])[1]).toBe(storeKeys(inp, [a, b])[0]);
      const cache = new ReplayCache();
      const first = replay({ ...inp, settings: a }, cache);
      const second = replay({ ...inp, settings: b }, cache);
      expect(second).toEqual(replay({ ...inp, settings: b }));
      second.decisions.forEach((d, i) => expect(d).toBe(first.decisions[i]));
    }
  });

  it('token settings always need their own store; smart matching on or off does not', () => {
    const k = storeKeys(mailboxInput(), [S({}), S({ trackingtokeniddigits: 4 }), S({ enablesmartmatching: false })]);
    expect(k[1]).not.toBe(k[0]);
    expect(k[2]).toBe(k[0]);
  });
});

describe('runSweep', () => {
  const grid = parseSweepGrid({ points: [{ hashminaddresscount: 2 }, { hashfilterkeywords: 'out-of-office' }, { hashminaddresscount: 3 }] }, 'g.json');
  const { settings, ...rest } = mailboxInput();

  it('scores every point against the baseline, marks the front and recommends with a reason', () => {
    const r = runSweep(rest, settings, grid);
    expect(r.baseline.smartMatching).toBe(false);
    expect(r.points.map((p) => [p.metrics.correct, p.metrics.falseCorrelations, p.metrics.missed])).toEqual([[1, 1, 1], [2, 1, 0], [0, 0, 2]]);
    // Point 2 beats point 1 on recall at equal precision; point 3 (precision 1, recall 0) is not beaten on precision.
    expect(r.points.map((p) => p.pareto)).toEqual([false, true, true]);
    const rec = r.points.find((p) => p.recommended)!;
    expect(rec.id).toBe(2); // F0.5: (0.667, 1) → 0.714 beats (1, 0) → 0
    // One vocabulary: false links in all (the table's figure) and the new ones (the change), both named.
    expect(r.recommendation?.explanation.join(' ')).toMatch(/gains 2 correct links and loses 0; false links: 1 false links in all \(the baseline has 0\), 1 of them new against the baseline/);
    // The point is named once, by the label; the explanation does not repeat it.
    expect(r.recommendation?.label).toBe(`point 2 (${rec.label})`);
    expect(r.recommendation?.explanation.join(' ')).not.toMatch(/Recommended/);
    expect(r.recommendation?.explanation.join(' ')).toMatch(/hashfilterkeywords = /);
  });

  it('when no point beats the baseline, the advice is to keep it', () => {
    const best = { ...settings, enablesmartmatching: true, hashfilterkeywords: KEYWORD_VARIANTS['out-of-office'] as string };
    const g = parseSweepGrid({ points: [{ hashfilterkeywords: 'default' }, { hashminaddresscount: 3 }] }, 'g.json');
    const r = runSweep(rest, best, g);
    expect(r.baselinePareto).toBe(true);
    expect(r.recommendation?.pointId).toBe(0);
    expect(r.points.some((p) => p.recommended)).toBe(false);
    expect(r.recommendation?.label).toBe('keep the current settings');
    expect(r.recommendation?.explanation.join(' ')).not.toMatch(/Recommended/);
    // Point 1 (default keywords) loses the auto-reply the baseline links.
    expect(r.points[0]!.metrics).toMatchObject({ lost: 1, gained: 0 });
  });

  it('drilling into a point lists its false and missed links, with the Why, as many as the table counts', () => {
    const r = runSweep(rest, settings, grid);
    const points = resolvePoints(settings, grid);
    for (const p of points) {
      const d = drillPoint(rest, p.settings, p);
      const m = r.points.find((x) => x.id === p.id)!.metrics;
      expect([d.falseTotal, d.missedTotal], p.label).toEqual([m.falseCorrelations, m.missed]);
    }
    // Point 1 (default keywords): n1, a new email, is smart-matched into the quote thread, to the most recent
    // candidate (r1, SIMULATOR §3.2); oof keeps "Out of office:" in its subject hash, so it is missed, and the
    // email it should have been linked to is r1, the latest tracked email of its thread before it.
    const d1 = drillPoint(rest, points[0]!.settings, points[0]!);
    expect(d1.falseLinks.map((l) => [l.key, l.subject, l.method, l.linkedTo?.key])).toEqual([['n1', 'Quote', 'SmartMatching', 'r1']]);
    expect(d1.falseLinks[0]!.why).toMatch(/^matched: /);
    expect(d1.missedLinks.map((l) => [l.key, l.subject, l.shouldBe?.key])).toEqual([['oof', 'Out of office: Quote', 'r1']]);
    expect(d1.missedLinks[0]!.trace.every((line, i) => line.startsWith(`Step ${i + 1} · `))).toBe(true);
  });

  it('the two-worker runner gives the same result as the in-thread one', async () => {
    const a = runSweep(rest, settings, grid);
    const b = await runSweepParallel(rest, settings, grid, { workers: 2 });
    expect(b.timing.workers).toBe(2);
    expect(b.timing.fallback).toBeUndefined();
    expect(b.points.map((p) => p.metrics)).toEqual(a.points.map((p) => p.metrics));
    expect(b.baseline).toEqual(a.baseline);
  });

  it('aborting stops the workers and rejects with SweepCancelled', async () => {
    const ac = new AbortController();
    const p = runSweepParallel(rest, settings, grid, { workers: 2, signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(SweepCancelled);
    const pre = new AbortController();
    pre.abort();
    await expect(runSweepParallel(rest, settings, grid, { signal: pre.signal })).rejects.toThrow(/cancelled/);
  });
});
