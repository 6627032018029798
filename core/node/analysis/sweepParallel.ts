// The sweep on worker threads (2 cores on the reference machine). Each worker keeps its own copy of the
// input and its own ReplayCache; the points are ordered so that neighbours share cached work
// (reuseOrder), and worker 0 takes points from the front of that order while worker 1 takes them from the
// back, so each worker's successive replays stay similar while the two still finish together. The main
// thread builds the ground truth meanwhile. If no worker can start (e.g. a bundle without the worker
// file), the sweep runs in this thread instead and says so in the result's timing (and onFallback).
// The one-thread path replays one point at a time and yields to the event loop between points, so the
// abort signal stops it too.

import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ReplayCache } from '../../engine/replay.js';
import type { Settings } from '../../engine/settings.js';
import type { ReplayInput } from '../../engine/types.js';
import {
  assembleSweep, buildGroundTruth, replayCompact, resolvePoints, reuseOrder,
  type CompactRun, type ResolvedPoint, type SweepGrid, type SweepResult,
} from '../../analysis/sweep.js';
import type { FromWorker, ToWorker } from './sweepWorker.js';

export interface ParallelSweepOptions {
  /** Worker threads (default: the machine's available parallelism, at most the number of replays). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /** Worker module to start instead of the sibling sweepWorker file (for bundled builds). */
  workerUrl?: URL;
  /** Aborting stops the workers at once; the promise rejects with SweepCancelled. */
  signal?: AbortSignal;
  /** Called once when the workers could not start and the sweep goes on in this thread (the reason). */
  onFallback?: (reason: string) => void;
}

export class SweepCancelled extends Error {
  override readonly name = 'SweepCancelled';
  constructor() { super('the sweep was cancelled'); }
}

/** Starts the worker module; from TypeScript sources (tsx, vitest) it first registers tsx in the worker. */
function startWorker(url: URL, input: Omit<ReplayInput, 'settings'>): Worker {
  // A replay allocates a decision and its trace per message, most of which survive until the next replay:
  // a larger young generation means fewer scavenges copying them (garbage collection was a quarter of a
  // 100,000-message replay's time).
  const resourceLimits = { maxYoungGenerationSizeMb: 64 };
  if (url.pathname.endsWith('.ts')) {
    const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true, workerData: { input }, resourceLimits });
  }
  return new Worker(url, { workerData: { input }, resourceLimits });
}

function defaultWorkerUrl(): URL {
  const own = import.meta.url;
  return new URL(own.endsWith('.ts') ? './sweepWorker.ts' : './sweepWorker.js', own);
}

/**
 * The sweep in this thread, one replay at a time in reuse order with one shared cache (the same replays
 * as runSweep, so the same result), yielding between replays so an abort that arrived meanwhile stops it.
 */
export async function runSweepInThread(
  input: Omit<ReplayInput, 'settings'>, baseline: Settings, grid: SweepGrid, opts: Pick<ParallelSweepOptions, 'onProgress' | 'signal'> = {},
): Promise<SweepResult> {
  const t0 = Date.now();
  const truth = buildGroundTruth(input);
  const points = resolvePoints(baseline, grid);
  const order = reuseOrder(points.map((p) => p.settings));
  const all: Settings[] = [baseline, ...order.map((i) => (points[i] as ResolvedPoint).settings)];
  const cache = new ReplayCache();
  const compact: CompactRun[] = [];
  const ms: number[] = [];
  for (const s of all) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.signal?.aborted) throw new SweepCancelled();
    const started = Date.now();
    compact.push(replayCompact(input, [s], truth, cache)[0] as CompactRun);
    ms.push(Date.now() - started);
    opts.onProgress?.(compact.length, all.length);
  }
  const runs: CompactRun[] = new Array<CompactRun>(points.length);
  const pointMs: number[] = new Array<number>(points.length).fill(0);
  order.forEach((pi, k) => { runs[pi] = compact[k + 1] as CompactRun; pointMs[pi] = ms[k + 1] ?? 0; });
  return assembleSweep(truth, baseline, compact[0] as CompactRun, points, runs, pointMs, { totalMs: Date.now() - t0, workers: 1, replays: all.length });
}

export async function runSweepParallel(input: Omit<ReplayInput, 'settings'>, baseline: Settings, grid: SweepGrid, opts: ParallelSweepOptions = {}): Promise<SweepResult> {
  const t0 = Date.now();
  const points = resolvePoints(baseline, grid);
  const order = reuseOrder(points.map((p) => p.settings));
  const jobs: Settings[] = [baseline, ...order.map((i) => (points[i] as ResolvedPoint).settings)];
  const n = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), jobs.length));
  if (opts.signal?.aborted) throw new SweepCancelled();
  const inThread = { onProgress: opts.onProgress, signal: opts.signal };
  if (n === 1) return runSweepInThread(input, baseline, grid, inThread);

  const url = opts.workerUrl ?? defaultWorkerUrl();
  const runs: (CompactRun | undefined)[] = new Array<CompactRun | undefined>(jobs.length);
  const ms: number[] = new Array<number>(jobs.length).fill(0);
  const workers: Worker[] = [];
  let lo = 0;
  let hi = jobs.length - 1;
  let done = 0;
  let readyCount = 0;

  let onAbort = (): void => {};
  const finished = new Promise<void>((resolve, reject) => {
    const next = (w: Worker, fromBack: boolean): void => {
      if (lo > hi) {
        w.postMessage({ type: 'stop' } satisfies ToWorker);
        return;
      }
      const slot = fromBack ? hi-- : lo++;
      w.postMessage({ type: 'run', slot, settings: jobs[slot] as Settings } satisfies ToWorker);
    };
    // Once settled (done, failed or cancelled), results still in flight from a worker are dropped, so
    // no progress is reported after a cancel.
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    onAbort = () => fail(new SweepCancelled());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    for (let k = 0; k < n; k++) {
      let w: Worker;
      try {
        w = startWorker(url, input);
      } catch (e) {
        fail(e as Error);
        return;
      }
      workers.push(w);
      const fromBack = k % 2 === 1;
      w.on('message', (msg: FromWorker) => {
        if (settled) return;
        if (msg.type === 'ready') {
          readyCount++;
          next(w, fromBack);
        } else if (msg.type === 'done') {
          runs[msg.slot] = { order: msg.order, status: msg.status, target: msg.target, method: msg.method };
          ms[msg.slot] = msg.ms;
          done++;
          opts.onProgress?.(done, jobs.length);
          if (settled) return; // the progress listener cancelled the sweep
          if (done === jobs.length) {
            settled = true;
            for (const x of workers) x.postMessage({ type: 'stop' } satisfies ToWorker);
            resolve();
          } else next(w, fromBack);
        } else fail(new Error(`sweep worker failed on point ${msg.slot}: ${msg.message}`));
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (done < jobs.length && code !== 0) fail(new Error(`sweep worker exited with code ${code}`));
      });
    }
  });

  const truth = buildGroundTruth(input);
  try {
    await finished;
  } catch (e) {
    // Workers that never started (missing worker file, no loader) are not a reason to fail the sweep.
    if (readyCount === 0 && !(e instanceof SweepCancelled)) {
      await Promise.all(workers.map((w) => w.terminate()));
      const reason = `workers could not start (${(e as Error).message})`;
      opts.onFallback?.(reason);
      const r = await runSweepInThread(input, baseline, grid, inThread);
      return { ...r, timing: { ...r.timing, totalMs: Date.now() - t0, fallback: `${reason}; ran in one thread` } };
    }
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const pointRuns: CompactRun[] = new Array<CompactRun>(points.length);
  const pointMs: number[] = new Array<number>(points.length).fill(0);
  order.forEach((pi, k) => { pointRuns[pi] = runs[k + 1] as CompactRun; pointMs[pi] = ms[k + 1] ?? 0; });
  return assembleSweep(truth, baseline, runs[0] as CompactRun, points, pointRuns, pointMs, { totalMs: Date.now() - t0, workers: n, replays: jobs.length });
}
