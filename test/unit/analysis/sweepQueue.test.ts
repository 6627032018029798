// The parallel sweep's work queue (core/node/analysis/sweepQueue.ts): every replay handed out exactly
// once whatever the order in which workers ask, the points of one tracked store kept on one worker, the
// costliest groups first, and the end-of-run sharing of a large remainder.
import { describe, expect, it } from 'vitest';
import { defaultSweepGrid, KEYWORD_VARIANTS, resolvePoints } from '../../../core/analysis/sweep.js';
import { SweepQueue, pointEstimate } from '../../../core/node/analysis/sweepQueue.js';
import { storeSignature } from '../../../core/engine/replay/incremental/internal.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';

/** Job 0 the baseline (smart matching off), then the default grid's 25 points, as runSweepParallel numbers them. */
function defaultJobs(): Settings[] {
  return [DEFAULT_SETTINGS, ...resolvePoints(DEFAULT_SETTINGS, defaultSweepGrid()).map((p) => p.settings)];
}

/** Drains the queue, asking for worker `pick(i)` at step i; returns the jobs each worker got, in order. */
function drain(q: SweepQueue, workers: number, pick: (i: number) => number): number[][] {
  const got: number[][] = Array.from({ length: workers }, () => []);
  const done = new Set<number>();
  for (let i = 0; done.size < workers && i < 10_000; i++) {
    const w = pick(i);
    if (done.has(w)) continue;
    const j = q.next(w);
    if (j === null) done.add(w);
    else got[w]!.push(j);
  }
  return got;
}

// A small deterministic generator (mulberry32) for the order in which workers ask.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SweepQueue', () => {
  it('hands out every job exactly once, whatever order the workers ask in', () => {
    const jobs = defaultJobs();
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const got = drain(new SweepQueue(jobs), 2, () => (r() < 0.5 ? 0 : 1));
      expect(got.flat().sort((a, b) => a - b)).toEqual(jobs.map((_, i) => i));
    }
  });

  it('starts the two largest store groups on the two workers and keeps each worker on its store', () => {
    const jobs = defaultJobs();
    const q = new SweepQueue(jobs);
    const first0 = q.next(0)!;
    const first1 = q.next(1)!;
    // The default keywords at HashMaxCount 20 hold 13 points, the out-of-office keywords 9.
    expect(jobs[first0]!.hashfilterkeywords).toBe(KEYWORD_VARIANTS.default);
    expect(jobs[first0]!.hashmaxcount).toBe(20);
    expect(jobs[first1]!.hashfilterkeywords).toBe(KEYWORD_VARIANTS['out-of-office']);
    const store0 = storeSignature(jobs[first0]!);
    // Worker 0 goes on with the rest of its store before anything else.
    for (let k = 0; k < 12; k++) expect(storeSignature(jobs[q.next(0)!]!)).toBe(store0);
  });

  it('runs the costliest points of a group first', () => {
    const jobs = defaultJobs();
    const got = drain(new SweepQueue(jobs), 1, () => 0)[0]!;
    const costs = got.map((j) => pointEstimate(jobs[j]!));
    const store = got.map((j) => storeSignature(jobs[j]!));
    for (let k = 1; k < got.length; k++) if (store[k] === store[k - 1]) expect(costs[k]).toBeLessThanOrEqual(costs[k - 1]!);
    // One worker alone builds each tracked store once: the groups come whole.
    const switches = store.filter((s, k) => k > 0 && s !== store[k - 1]).length;
    expect(switches + 1).toBe(new Set(store).size);
  });

  it('sends a job ahead only within the group the worker is on', () => {
    const jobs = defaultJobs();
    const q = new SweepQueue(jobs);
    expect(q.next(0, true)).toBeNull(); // no group yet
    const a = q.next(0)!;
    const b = q.next(0, true)!;
    expect(storeSignature(jobs[b]!)).toBe(storeSignature(jobs[a]!));
  });

  it('shares the second half of a large remainder with an idle worker, not a small one', () => {
    const base = { ...DEFAULT_SETTINGS, enablesmartmatching: true };
    // One store: four costly points and six cheap ones (estimates 5 and 0.6).
    const big: Settings[] = [
      ...[1, 2].flatMap((delta) => ['B', 'C'].map((rule) => ({ ...base, hashminaddresscount: 2, hashdeltasubjectcount: delta, simSmartMatchingSubjectRule: rule }) as Settings)),
      ...[3, 4].flatMap((addr) => [0, 1, 2].map((delta) => ({ ...base, hashminaddresscount: addr, hashdeltasubjectcount: delta }))),
    ];
    const q = new SweepQueue(big);
    const first = q.next(0)!;
    expect(pointEstimate(big[first]!)).toBe(5);
    const stolen = drain(q, 2, (i) => (i === 0 ? 1 : i % 2));
    // Worker 1 took a tail of cheap points; worker 0 kept the rest; nothing twice, nothing lost.
    expect(stolen[1]!.length).toBeGreaterThan(0);
    expect(stolen[1]!.every((j) => pointEstimate(big[j]!) < 1)).toBe(true);
    expect([first, ...stolen[0]!, ...stolen[1]!].sort((a, b) => a - b)).toEqual(big.map((_, i) => i));

    // Three cheap points left to a worker are not worth building the store again.
    const small = new SweepQueue(big.slice(4, 8));
    small.next(0);
    expect(small.next(1)).toBeNull();
  });

  it('estimates looser smart matching as costlier, and no cost without smart matching', () => {
    const on = { ...DEFAULT_SETTINGS, enablesmartmatching: true };
    expect(pointEstimate(DEFAULT_SETTINGS)).toBe(0);
    const loose = pointEstimate({ ...on, hashminaddresscount: 2, hashdeltasubjectcount: 1 });
    const few = pointEstimate({ ...on, hashminaddresscount: 1 });
    const addr2 = pointEstimate({ ...on, hashminaddresscount: 2, hashdeltasubjectcount: 0 });
    const strict = pointEstimate({ ...on, hashminaddresscount: 3, hashdeltasubjectcount: 2 });
    expect(loose).toBeGreaterThan(few);
    expect(few).toBeGreaterThan(addr2);
    expect(addr2).toBeGreaterThan(strict);
  });
});
