// The host's replay session (main/host/replaySession.ts): one per open workspace, so Run replay and the
// what-if after it reuse the engine's previous run as the bench does. Checked through the host's
// injectable replay (the engine's own replay, recorded): the input arrays are loaded once, a replay
// under unchanged settings hands back the previous decisions themselves, every reused run equals a cold
// replay, and a change of the workspace's data starts a new session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../core/contract/contract.js';
import { ReplayCache, replay as coldReplay, type ReplayInput, type ReplayResult } from '../../../core/engine/index.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { defaultReplay, type ReplayFn } from '../../../main/host/replayJobs.js';
import { WorkspaceReplaySession } from '../../../main/host/replaySession.js';
import { openWorkspace } from '../../../core/node/workspace/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let tmp: string;
let host: Host;
const calls: { input: ReplayInput; result: ReplayResult }[] = [];

const recorded: ReplayFn = async (input, hooks) => {
  const result = await defaultReplay(input, hooks);
  calls.push({ input, result });
  return result;
};

function value<T>(r: Envelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** How many decisions of `b` are the very objects `a` holds at the same position (the engine's reuse). */
const reused = (a: ReplayResult, b: ReplayResult): number => b.decisions.filter((d, i) => d === a.decisions[i]).length;
const fresh = (input: ReplayInput): ReplayResult => coldReplay(input, new ReplayCache());

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-session-')));
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), scenariosDir: path.join(ROOT, 'assets', 'scenarios'), allowedRoots: [tmp], replay: recorded });
  value(await host.invoke('workspace.openSample', {}));
  value(await host.invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true } }));
}, 120_000);

afterAll(() => {
  host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('one replay session per open workspace', () => {
  it('replays the sample once on open, then a what-if reuses that run and loads nothing again', async () => {
    expect(calls).toHaveLength(1);
    const first = calls[0]!;
    expect(first.result.decisions.length).toBeGreaterThan(20);
    value(await host.invoke('whatif.run', { baseline: 'Default', proposal: 'smart' }));
    expect(calls).toHaveLength(3);
    const [, base, smart] = calls as [unknown, { input: ReplayInput; result: ReplayResult }, { input: ReplayInput; result: ReplayResult }];
    // The same arrays as the first replay: the input was not read from the workspace again.
    expect(base.input.messages).toBe(first.input.messages);
    expect(base.input.tracked).toBe(first.input.tracked);
    expect(smart.input.mailboxes).toBe(first.input.mailboxes);
    // Same settings as the run before: every decision is the previous one, untouched.
    expect(reused(first.result, base.result)).toBe(base.result.decisions.length);
    // The proposal takes over what does not read smart matching, and still equals a cold replay.
    expect(reused(base.result, smart.result)).toBeGreaterThan(0);
    expect(smart.result).toEqual(fresh(smart.input));
  });

  it('a second what-if reuses both ways and answers as the first did', async () => {
    const before = calls.length;
    const firstView = value<{ changed: number }>(await host.invoke('whatif.run', { baseline: 'Default', proposal: 'smart' }));
    const again = value<{ changed: number }>(await host.invoke('whatif.run', { baseline: 'Default', proposal: 'smart' }));
    expect(again).toMatchObject({ changed: firstView.changed });
    const [b1, s1, b2, s2] = calls.slice(before) as { input: ReplayInput; result: ReplayResult }[];
    // Baseline after the proposal: only what read a changed setting is redone; the result is the cold one.
    expect(reused(s1!.result, b2!.result)).toBeGreaterThan(0);
    expect(b2!.result).toEqual(fresh(b2!.input));
    expect(b2!.result).toEqual(b1!.result);
    expect(s2!.result).toEqual(s1!.result);
  });

  it('drops the session when the workspace data changes (a mailbox change), then loads the input again', async () => {
    const loadedBefore = calls[0]!.input.messages;
    value(await host.invoke('replay.run', { profile: 'Default' }));
    expect(calls.at(-1)!.input.messages).toBe(loadedBefore);
    const info = value<{ mailboxes: { address: string }[] }>(await host.invoke('workspace.info', {}));
    const address = info.mailboxes[0]!.address;
    value(await host.invoke('mailboxes.override', { profile: 'smart', address, override: { incoming: false } }));
    value(await host.invoke('replay.run', { profile: 'Default' }));
    const after = calls.at(-1)!;
    expect(after.input.messages).not.toBe(loadedBefore);
    expect(after.input.messages).toEqual(loadedBefore);
    // The profile with the mailbox change replays over its own mailbox list and the session's other arrays.
    value(await host.invoke('replay.run', { profile: 'smart' }));
    const withChange = calls.at(-1)!;
    expect(withChange.input.messages).toBe(after.input.messages);
    expect(withChange.input.mailboxes.find((m) => m.address === address)?.incoming).toBe(false);
    expect(withChange.result).toEqual(fresh(withChange.input));
  });

  it('starts a new session for another workspace', async () => {
    const previous = calls.at(-1)!.input.messages;
    const copy = path.join(tmp, 'copy.synclens');
    fs.copyFileSync(value<{ path: string }>(await host.invoke('workspace.info', {})).path, copy);
    value(await host.invoke('workspace.open', { path: copy }));
    value(await host.invoke('replay.run', { profile: 'Default' }));
    expect(calls.at(-1)!.input.messages).not.toBe(previous);
  });
});

describe('WorkspaceReplaySession', () => {
  it('loads once and keeps one mailbox list per set of mailbox changes', () => {
    const file = path.join(tmp, 'session.synclens');
    fs.copyFileSync(path.join(tmp, 'copy.synclens'), file);
    const ws = openWorkspace(file);
    try {
      const s = new WorkspaceReplaySession(ws);
      const base = s.input();
      expect(s.input()).toBe(base);
      expect(s.inputWith({})).toBe(base);
      const address = base.mailboxes[0]!.address.toLowerCase();
      const a = s.inputWith({ [address]: { filter: 0 } });
      expect(a.messages).toBe(base.messages);
      expect(a.directory).toBe(base.directory);
      expect(a.mailboxes).not.toBe(base.mailboxes);
      expect(a.mailboxes[0]!.filter).toBe(0);
      expect(s.inputWith({ [address]: { filter: 0 } })).toBe(a);
      expect(s.inputWith({ [address]: { filter: 2 } }).mailboxes).not.toBe(a.mailboxes);
      expect(s.loads).toBe(1);
    } finally {
      ws.close();
    }
  });
});
