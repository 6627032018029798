// The app's tuning sweep (sweep.run through the engine host) runs on two worker threads, reports
// job.progress, stops on job.cancel in the middle of the run, and gives the same answer as the
// single-thread sweep of core/analysis (the reference: one replay after another in this thread). When the
// workers cannot start, the sweep still completes in one thread and says why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, JobProgress, SettingsProfile } from '../../../core/contract/contract.js';
import { parseSweepGrid, runSweep, type SweepResult } from '../../../core/analysis/sweep.js';
import type { Settings } from '../../../core/engine/model/settings.js';
import { runSweepParallel } from '../../../core/node/analysis/sweepParallel.js';
import { loadReplayInput, openWorkspace } from '../../../core/node/workspace/index.js';
import { createHost, type Host } from '../../../main/host/host.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// Eight points over three swept settings: enough replays (nine) that a cancel after the first is mid-run.
const GRID = { product: { hashminaddresscount: [1, 2, 3, 4], hashfilterkeywords: ['default', 'out-of-office'] } };
let tmp: string;
let host: Host;
let wsFile: string;

function value<T>(r: Envelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** What must not depend on how the replays were scheduled (timing and per-point milliseconds excluded). */
function answer(r: SweepResult): unknown {
  return { ...r, timing: undefined, points: r.points.map((p) => ({ ...p, ms: undefined })) };
}

/** The profile sweep.run uses when none is given: the baseline profile, else Default (as the host picks it). */
async function baselineSettings(): Promise<Settings> {
  const profiles = value<SettingsProfile[]>(await host.invoke('settings.profiles', {}));
  const p = profiles.find((x) => x.baseline) ?? profiles.find((x) => x.name === 'Default');
  if (!p) throw new Error('the sample workspace has neither a baseline nor a Default profile');
  return p.settings;
}

/** The reference: core/analysis's one-thread sweep over the same workspace and baseline profile. */
async function singleThread(): Promise<SweepResult> {
  const ws = openWorkspace(wsFile, { readonly: true });
  try {
    return runSweep(loadReplayInput(ws), await baselineSettings(), parseSweepGrid(GRID, 'the test grid'));
  } finally {
    ws.close();
  }
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-sweepworkers-')));
  // Two workers whatever the machine (the reference machine has two cores; the default is its parallelism).
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), scenariosDir: path.join(ROOT, 'assets', 'scenarios'), allowedRoots: [tmp], sweepWorkers: 2 });
  wsFile = value<{ path: string }>(await host.invoke('workspace.openSample', {})).path;
}, 120_000);

afterAll(() => {
  host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('sweep.run on worker threads', () => {
  it('uses two workers, reports every replay as job.progress, and equals the single-thread sweep', async () => {
    const progress: JobProgress[] = [];
    const off = host.onEvent((e, p) => e === 'job.progress' && (p as JobProgress).jobId === 'sw-2' && progress.push(p as JobProgress));
    const r = value<SweepResult>(await host.invoke('sweep.run', { jobId: 'sw-2', grid: GRID }));
    off();
    expect(r.timing.workers).toBe(2);
    expect(r.timing.fallback).toBeUndefined();
    expect(r.timing.replays).toBe(9);
    expect(r.points).toHaveLength(8);
    // job.progress contract: kind sweep, a fixed total, done counting up from 0 to the total.
    expect(progress.every((p) => p.kind === 'sweep' && p.total === 9)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(answer(r)).toEqual(answer(await singleThread()));
  });

  it('stops on job.cancel in the middle of the run: CANCELLED, no progress after the cancel, the next sweep works', async () => {
    const progress: JobProgress[] = [];
    let cancelledAt = -1;
    const off = host.onEvent((e, p) => {
      const jp = p as JobProgress;
      if (e !== 'job.progress' || jp.jobId !== 'sw-cancel') return;
      progress.push(jp);
      // After the first replay came back from a worker: the other worker is still busy.
      if (jp.done === 1 && cancelledAt < 0) {
        cancelledAt = progress.length;
        void host.invoke('job.cancel', { jobId: 'sw-cancel' });
      }
    });
    const r = await host.invoke('sweep.run', { jobId: 'sw-cancel', grid: GRID });
    // Let any message a terminated worker had in flight arrive: it must not be reported.
    await new Promise((resolve) => setTimeout(resolve, 200));
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(cancelledAt).toBeGreaterThan(0);
    expect(progress).toHaveLength(cancelledAt);
    expect(Math.max(...progress.map((p) => p.done))).toBeLessThan(9);
    // The cancelled job left nothing behind that stops the next sweep (the workers were terminated).
    const again = value<SweepResult>(await host.invoke('sweep.run', { grid: GRID }));
    expect(again.timing.workers).toBe(2);
    expect(answer(again)).toEqual(answer(await singleThread()));
  });
});

describe('when the workers cannot start', () => {
  it('runs in one thread, says why in timing.fallback and onFallback, with the same answer', async () => {
    const ws = openWorkspace(wsFile, { readonly: true });
    const input = loadReplayInput(ws);
    ws.close();
    const baseline = await baselineSettings();
    const reasons: string[] = [];
    const done: number[] = [];
    const r = await runSweepParallel(input, baseline, parseSweepGrid(GRID, 'the test grid'), {
      workers: 2,
      // A bundle without its worker file (what a packaging mistake would give).
      workerUrl: new URL(`file://${path.join(tmp, 'no-such-sweepWorker.cjs')}`),
      onFallback: (reason) => reasons.push(reason),
      onProgress: (d) => done.push(d),
    });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/workers could not start/);
    expect(r.timing.workers).toBe(1);
    expect(r.timing.fallback).toMatch(/workers could not start .*; ran in one thread/);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(answer(r)).toEqual(answer(await singleThread()));
  });

  it('the one-thread sweep stops on an abort between replays', async () => {
    const ws = openWorkspace(wsFile, { readonly: true });
    const input = loadReplayInput(ws);
    ws.close();
    const baseline = await baselineSettings();
    const ac = new AbortController();
    const done: number[] = [];
    const p = runSweepParallel(input, baseline, parseSweepGrid(GRID, 'the test grid'), {
      workers: 1,
      signal: ac.signal,
      onProgress: (d) => { done.push(d); if (d === 2) ac.abort(); },
    });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(done).toEqual([1, 2]);
  });
});
