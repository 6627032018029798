// The replay in slices (issue 15, "Replay shows progress and can be cancelled inside the engine pass"):
// replayAsync gives the same result as replay(), reports progress while it decides, stops between two
// slices once cancelled, and a cancelled pass leaves nothing half-built behind: the cache's next replay
// equals a cold one, and through the host no run is stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_SLICE, ReplayCache, ReplayCancelled, replay, replayAsync } from '../../../core/engine/replay/replay.js';
import type { JobProgress } from '../../../core/contract/contract.js';
import type { ReplayInput } from '../../../core/engine/model/types.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { benchInput, benchSettings } from '../../bench/replay.js';
import { writeMbox } from '../../support/generateMailbox.js';

// 20,000 messages from the project's mail generator (threads, tokens, Thread-Index, tracked emails).
const generated: ReplayInput = benchInput(20_000, 23);

describe('replayAsync', () => {
  it('decides exactly as replay() does', async () => {
    const sync = replay(generated);
    const sliced = await replayAsync(generated);
    expect(sliced).toEqual(sync);
    // Also after a settings change with a shared cache (the incremental path runs in slices too).
    const changed: ReplayInput = { ...generated, settings: benchSettings({ hashminaddresscount: 3 }) };
    const cacheA = new ReplayCache();
    const cacheB = new ReplayCache();
    replay(generated, cacheA);
    await replayAsync(generated, cacheB);
    expect(await replayAsync(changed, cacheB)).toEqual(replay(changed, cacheA));
  }, 120_000);

  it('reports progress that only increases, in slices, up to the total', async () => {
    const seen: Array<[number, number]> = [];
    await replayAsync(generated, new ReplayCache(), { onProgress: (done, total) => seen.push([done, total]) });
    const total = generated.messages.length;
    expect(seen.every(([, t]) => t === total)).toBe(true);
    const done = seen.map(([d]) => d);
    for (let k = 1; k < done.length; k++) expect(done[k]).toBeGreaterThan(done[k - 1] as number);
    expect(done.at(-1)).toBe(total);
    // One report per slice of REPLAY_SLICE messages, then the end.
    expect(done).toEqual([...Array.from({ length: Math.ceil(total / REPLAY_SLICE) - 1 }, (_, k) => (k + 1) * REPLAY_SLICE), total]);
  }, 120_000);

  it('stops after the slice in which it was cancelled, with ReplayCancelled', async () => {
    const ctl = new AbortController();
    const seen: number[] = [];
    const run = replayAsync(generated, new ReplayCache(), {
      signal: ctl.signal,
      onProgress: (done) => {
        seen.push(done);
        ctl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ReplayCancelled);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([REPLAY_SLICE]);
  }, 120_000);

  it('leaves a cache whose next replay equals a cold replay, after a re-replay cancelled half-way', async () => {
    const cache = new ReplayCache();
    replay(generated, cache);
    // A re-replay after a change that redoes many decisions is stopped half-way: its store was being
    // cut back and rebuilt when it stopped.
    const changed: ReplayInput = { ...generated, settings: benchSettings({ ignoreinternalemail: true }) };
    const ctl = new AbortController();
    const run = replayAsync(changed, cache, { signal: ctl.signal, onProgress: (done) => done >= 3 * REPLAY_SLICE && ctl.abort() });
    await expect(run).rejects.toBeInstanceOf(ReplayCancelled);
    expect(replay(changed, cache)).toEqual(replay(changed));
  }, 120_000);

  it('rejects at once when the signal is already aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const seen: number[] = [];
    await expect(replayAsync(generated, new ReplayCache(), { signal: ctl.signal, onProgress: (d) => seen.push(d) })).rejects.toBeInstanceOf(ReplayCancelled);
    expect(seen).toEqual([]);
  });
});

describe('replay.run in the host', () => {
  let tmp: string;
  let host: Host;
  beforeAll(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-replay-cancel-')));
    await writeMbox(path.join(tmp, 'mail.mbox'), { messages: 3 * REPLAY_SLICE + 500, seed: 5 });
    host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp] });
    expect((await host.invoke('workspace.create', { path: path.join(tmp, 'w.synclens') })).ok).toBe(true);
    const imported = await host.invoke('import.start', { jobId: 'imp', paths: [path.join(tmp, 'mail.mbox')], mailbox: 'user@example.com' });
    expect(imported.ok).toBe(true);
  }, 180_000);
  afterAll(() => {
    host.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('cancelled inside the pass answers CANCELLED and stores no run; a full run reports progress as it decides', async () => {
    const before = await host.invoke('runs.list', {});
    expect(before.ok).toBe(true);
    const runsBefore = (before as { value: unknown[] }).value.length;

    const progress: JobProgress[] = [];
    let cancelled = false;
    const off = host.onEvent((event, payload) => {
      if (event !== 'job.progress') return;
      const p = payload as JobProgress;
      if (p.jobId !== 'rc-1') return;
      progress.push(p);
      // Cancel once the engine pass has decided its first slice: the job is inside the pass.
      if (!cancelled && p.message?.endsWith('replaying') && p.done > 0 && p.done < (p.total ?? 0)) {
        cancelled = true;
        void host.invoke('job.cancel', { jobId: 'rc-1' });
      }
    });
    const r = await host.invoke('replay.run', { profile: 'Default', jobId: 'rc-1' });
    off();
    expect(cancelled).toBe(true);
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // Stopped inside the pass: the pass never reported its end, nor the job a stored run.
    expect(progress.some((p) => p.message?.endsWith('replayed') || p.message?.endsWith('saved'))).toBe(false);
    const after = await host.invoke('runs.list', {});
    expect((after as { value: unknown[] }).value).toHaveLength(runsBefore);

    const full: JobProgress[] = [];
    const off2 = host.onEvent((event, payload) => {
      if (event === 'job.progress' && (payload as JobProgress).jobId === 'rc-2') full.push(payload as JobProgress);
    });
    const ok = await host.invoke('replay.run', { profile: 'Default', jobId: 'rc-2' });
    off2();
    expect(ok.ok).toBe(true);
    const during = full.filter((p) => p.message?.endsWith('replaying')).map((p) => p.done);
    expect(during.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < during.length; k++) expect(during[k]).toBeGreaterThan(during[k - 1] as number);
    expect((await host.invoke('runs.list', {}) as { value: unknown[] }).value).toHaveLength(runsBefore + 1);
  }, 180_000);
});
