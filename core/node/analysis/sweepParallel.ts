// The sweep on worker threads (2 cores on the reference machine). Each worker keeps its own copy of the
// input and its own ReplayCache. The replays are handed out as workers become idle (sweepQueue.ts): the
// points that share a tracked store go to one worker, costliest groups first, so no store is built twice
// and the costly replays are shared between the workers instead of following a fixed split of the order.
// The input is serialized once for all workers; the ground truth is built in this thread once a worker
// has nothing left to run (a core is free then), and each worker is sent its next replay ahead of time so
// that it never waits while this thread is busy. If no worker can start (e.g. a bundle without the worker
// file), the sweep runs in this thread instead and says so in the result's timing (and onFallback). The
// one-thread path replays one point at a time and yields to the event loop between points, so the abort
// signal stops it too.

import os from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { ReplayCache, type Settings, type ReplayInput } from '../../engine/index.js';
import {
  assembleSweep, buildGroundTruth, replayCompact, resolvePoints, reuseOrder, storeKeys,
  type CompactRun, type ResolvedPoint, type SweepGrid, type SweepResult,
} from '../../analysis/sweep.js';
import type { FromWorker, SweepWorkerData, ToWorker } from './sweepWorker.js';
import { SweepQueue } from './sweepQueue.js';

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

/**
 * The input serialized once into shared memory for every worker (passing the object itself would
 * serialize it again for each worker, half a second each at 100,000 messages, on the main thread).
 */
function sharedInput(input: Omit<ReplayInput, 'settings'>): SweepWorkerData {
  const bytes = serialize(input);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return { input: shared };
}

/** tsx's public ESM API (its package exports map, `tsx/esm/api` under the import condition). */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(join(dirname(pkgFile), entry)).href;
}

/**
 * Starts the worker module. Built code (dist/node for the CLI and browser mode, dist/main for Electron)
 * starts the compiled sweepWorker entry; only the TypeScript sources (under vitest) start sweepWorker.ts,
 * registering tsx in the worker first through its public API (tsx/esm/api), since a worker thread does
 * not inherit the test runner's transform.
 */
function startWorker(url: URL, data: SweepWorkerData): Worker {
  // A replay allocates a decision and its trace per message, most of which survive until the next replay:
  // a larger young generation means fewer scavenges copying them (garbage collection was a quarter of a
  // 100,000-message replay's time).
  const resourceLimits = { maxYoungGenerationSizeMb: 64 };
  if (url.pathname.endsWith('.ts')) {
    const api = tsxEsmApi();
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true, workerData: data, resourceLimits });
  }
  return new Worker(url, { workerData: data, resourceLimits });
}

/**
 * The worker entry beside this module's own file, with the same extension: sweepWorker.ts beside the
 * sources, sweepWorker.js in dist/node, sweepWorker.cjs in dist/main. Both builds make the worker an
 * entry of its own and write every output flat in one folder (main/build/node.mjs, electron.vite.config.ts),
 * so whichever file this code was bundled into, the worker is its sibling.
 */
function defaultWorkerUrl(): URL {
  const own = import.meta.url;
  const ext = /\.[cm]?[jt]s$/.exec(new URL(own).pathname)?.[0] ?? '.js';
  return new URL(`./sweepWorker${ext}`, own);
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
  const order = reuseOrder(points.map((p) => p.settings), storeKeys(input, points.map((p) => p.settings)));
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
  // Job 0 is the baseline, job i + 1 point i.
  const jobs: Settings[] = [baseline, ...points.map((p) => p.settings)];
  const n = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), jobs.length));
  if (opts.signal?.aborted) throw new SweepCancelled();
  const inThread = { onProgress: opts.onProgress, signal: opts.signal };
  if (n === 1) return runSweepInThread(input, baseline, grid, inThread);

  const queue = new SweepQueue(jobs, storeKeys(input, jobs));
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const runs: (CompactRun | undefined)[] = new Array<CompactRun | undefined>(jobs.length);
  const ms: number[] = new Array<number>(jobs.length).fill(0);
  const workers: Worker[] = [];
  let done = 0;
  let readyCount = 0;
  // Resolves when a worker is told there is nothing left for it (or the sweep settled): the ground truth
  // is built then, on the core that worker frees, rather than at the start, where it would slow both
  // workers down.
  let oneIdle = (): void => {};
  const idle = new Promise<void>((resolve) => { oneIdle = resolve; });

  let onAbort = (): void => {};
  const finished = new Promise<void>((resolve, reject) => {
    // Jobs sent to each worker and not yet done. A worker is sent the next job of its group ahead of
    // time, so it goes on at once even while this thread is busy (building the ground truth) and answers
    // late; a new group is only chosen for it once it has nothing left to run.
    const inFlight = new Array<number>(n).fill(0);
    const stopped = new Set<number>();
    const send = (w: Worker, k: number, slot: number): void => {
      inFlight[k] = (inFlight[k] as number) + 1;
      w.postMessage({ type: 'run', slot, settings: jobs[slot] as Settings } satisfies ToWorker);
    };
    const next = (w: Worker, k: number): void => {
      if (stopped.has(k)) return;
      if (inFlight[k] === 0) {
        const slot = queue.next(k);
        if (slot === null) {
          stopped.add(k);
          w.postMessage({ type: 'stop' } satisfies ToWorker);
          oneIdle();
          return;
        }
        send(w, k, slot);
      }
      if (inFlight[k] === 1) {
        const ahead = queue.next(k, true);
        if (ahead !== null) send(w, k, ahead);
      }
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
    let data: SweepWorkerData;
    try {
      data = sharedInput(input);
    } catch (e) {
      fail(e as Error);
      return;
    }
    for (let k = 0; k < n; k++) {
      let w: Worker;
      try {
        w = startWorker(url, data);
      } catch (e) {
        fail(e as Error);
        return;
      }
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (settled) return;
        if (msg.type === 'ready') {
          readyCount++;
          next(w, k);
        } else if (msg.type === 'done') {
          runs[msg.slot] = { order: msg.order, status: msg.status, target: msg.target, method: msg.method };
          ms[msg.slot] = msg.ms;
          done++;
          inFlight[k] = (inFlight[k] as number) - 1;
          opts.onProgress?.(done, jobs.length);
          if (settled) return; // the progress listener cancelled the sweep
          if (done === jobs.length) {
            settled = true;
            for (const x of workers) x.postMessage({ type: 'stop' } satisfies ToWorker);
            resolve();
          } else next(w, k);
        } else fail(new Error(`sweep worker failed on point ${msg.slot}: ${msg.message}`));
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (done < jobs.length && code !== 0) fail(new Error(`sweep worker exited with code ${code}`));
      });
    }
  });

  let failed = false;
  await Promise.race([idle, finished.then(() => undefined, () => { failed = true; })]);
  // After a failure `await finished` below throws (or falls back to one thread, which builds its own).
  const truth = failed ? null : buildGroundTruth(input);
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
  return assembleSweep(truth ?? buildGroundTruth(input), baseline, runs[0] as CompactRun, points, runs.slice(1) as CompactRun[], ms.slice(1), { totalMs: Date.now() - t0, workers: n, replays: jobs.length });
}
