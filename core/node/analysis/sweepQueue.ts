// Which replay an idle sweep worker runs next. Each worker keeps its own ReplayCache, and what a replay
// costs there depends on what that worker replayed before. Measured at 100,000 messages: a worker's first
// replay builds the tracked store (~3.5 s on top of the point's own cost); a change of HashFilterKeywords /
// HashMaxCount that alters hashes keeps the store's records but rebuilds its smart-matching index and redoes
// every smart-matching decision (~1–2 s; nothing when every message hashes as before); within one store, a
// change of the smart-matching thresholds redoes the smart-matching decisions, whose cost depends on the
// new settings, not on the previous ones: 4–6 s when few addresses are required and the subject rule is loose, ~1 s at
// HashMinAddressCount 2 with rule B and delta 0, ~0.5 s from 3 addresses up. So the points are grouped by
// tracked store, each group goes whole to one worker (longest first, so the last ones to start are short
// and the workers finish close together), a worker finishes its group before taking another, and when no
// group is left an idle worker takes the second half of the largest remainder if that is worth a store
// rebuild. Within a group the costliest points go first, so what is left to share at the end is cheap.
// The estimates only order and balance the work: every replay gives the same result in any order.
// Pure: no threads here.

import { type Settings, storeSignature } from '../../engine/index.js';

// Rough seconds at 100,000 messages on the reference machine; only compared with each other.
const STORE_BUILD = 3.5;
const LOOSE_POINT = 5;
const FEW_ADDRESSES_POINT = 4;
const ADDR2_POINT = 1.2;
const STRICT_POINT = 0.6;

/** Estimated cost of replaying `s` after another point on the same tracked store. */
export function pointEstimate(s: Settings): number {
  if (!(s.enablesmartmatching && !s.DisableSmartMatching)) return 0;
  if (s.hashminaddresscount >= 3) return STRICT_POINT;
  if (s.hashminaddresscount <= 1) return FEW_ADDRESSES_POINT;
  return s.hashdeltasubjectcount > 0 || s.simSmartMatchingSubjectRule !== 'B' ? LOOSE_POINT : ADDR2_POINT;
}

interface Group {
  store: string;
  /** Jobs left, costliest first. */
  jobs: number[];
  cost: number[];
}

const left = (g: Group): number => g.cost.reduce((a, b) => a + b, 0);

export class SweepQueue {
  private readonly waiting: Group[] = [];
  private readonly running = new Map<number, Group>();

  /**
   * `jobs[i]`: the settings of job i (any order; every job is handed out exactly once). `stores[i]`: the
   * tracked store job i needs (default: its storeSignature; sweep.ts storeKeys gives settings that hash
   * every message alike one store).
   */
  constructor(jobs: readonly Settings[], stores: readonly string[] = jobs.map(storeSignature)) {
    const byStore = new Map<string, Group>();
    jobs.forEach((s, i) => {
      const store = stores[i] as string;
      let g = byStore.get(store);
      if (!g) byStore.set(store, (g = { store, jobs: [], cost: [] }));
      g.jobs.push(i);
      g.cost.push(pointEstimate(s));
    });
    for (const g of byStore.values()) {
      const order = g.jobs.map((_, k) => k).sort((a, b) => (g.cost[b] as number) - (g.cost[a] as number) || (g.jobs[a] as number) - (g.jobs[b] as number));
      this.waiting.push({ store: g.store, jobs: order.map((k) => g.jobs[k] as number), cost: order.map((k) => g.cost[k] as number) });
    }
  }

  /**
   * The next job for this worker, or null when nothing is left to start. With `sameGroup`, only a job of
   * the group it is on (null otherwise): what a worker is sent ahead of time, so that a new group is
   * only chosen when the worker is about to need it.
   */
  next(worker: number, sameGroup = false): number | null {
    let g = this.running.get(worker);
    if (sameGroup && (!g || g.jobs.length === 0)) return null;
    if (!g || g.jobs.length === 0) {
      g = this.take();
      if (!g) {
        this.running.delete(worker);
        return null;
      }
      this.running.set(worker, g);
    }
    g.cost.shift();
    return g.jobs.shift() as number;
  }

  private take(): Group | undefined {
    if (this.waiting.length > 0) {
      let best = 0;
      this.waiting.forEach((g, k) => { if (left(g) > left(this.waiting[best] as Group)) best = k; });
      return this.waiting.splice(best, 1)[0];
    }
    // Nothing left to start: share the largest remainder another worker holds, when half of it is worth
    // building that store a second time.
    let victim: Group | undefined;
    for (const g of this.running.values()) if (g.jobs.length >= 2 && (!victim || left(g) > left(victim))) victim = g;
    if (!victim || left(victim) < 2 * STORE_BUILD) return undefined;
    // The thief pays the store build, so it takes a bit less than half.
    const target = (left(victim) - STORE_BUILD) / 2;
    let k = victim.jobs.length;
    let sum = 0;
    while (k > 1 && sum + (victim.cost[k - 1] as number) <= target) sum += victim.cost[--k] as number;
    if (k === victim.jobs.length) return undefined;
    return { store: victim.store, jobs: victim.jobs.splice(k), cost: victim.cost.splice(k) };
  }
}
