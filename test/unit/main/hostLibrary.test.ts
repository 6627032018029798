// The host over the real engine and the bundled scenario library: the training workspace is built
// from assets/scenarios and opens already replayed; a message carries its explanation and the
// settings that decided each stage; the chain walks the run's decisions; the training view steps
// through a scenario in processing order and checks it against the scenario's own `expect`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGE_FLAGS,
  type ChainGraph,
  type JobProgress,
  type MessageDetail,
  type MessageListResult,
  type RunSummary,
  type ScenarioStep,
  type ScenarioSummary,
  type WorkspaceInfo,
} from '../../../core/contract/contract.js';
import { createHost, type Host } from '../../../main/host/host.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../../../assets/scenarios');

let tmp: string;
let host: Host;

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-hostlib-')));
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), scenariosDir: SCENARIOS, allowedRoots: [tmp], stateDir: path.join(tmp, 'state') });
});

afterAll(() => {
  host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('training workspace', () => {
  let info: WorkspaceInfo;
  beforeAll(async () => {
    info = value<WorkspaceInfo>(await host.invoke('workspace.openSample', {}));
  });

  it('is built from the scenario library and opens with one replay done', async () => {
    expect(info.isSample).toBe(true);
    expect(info.latestRunId).not.toBeNull();
    const scenarioFolders = fs.readdirSync(SCENARIOS).filter((d) => fs.existsSync(path.join(SCENARIOS, d, 'scenario.json')));
    const files = scenarioFolders.reduce((n, d) => n + (JSON.parse(fs.readFileSync(path.join(SCENARIOS, d, 'scenario.json'), 'utf8')) as { messages: unknown[] }).messages.length, 0);
    // Identical bytes in one mailbox are stored once, so at most one row per scenario message file.
    expect(info.messageCount).toBeGreaterThan(scenarioFolders.length);
    expect(info.messageCount).toBeLessThanOrEqual(files);
    const runs = value<RunSummary[]>(await host.invoke('runs.list', {}));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const decided = Object.values(runs[0]?.countsByOutcome ?? {}).reduce((a, b) => a + (b ?? 0), 0);
    expect(decided).toBe(info.messageCount);
  });

  it('is cached: opening it again reuses the file and its runs', async () => {
    const again = value<WorkspaceInfo>(await host.invoke('workspace.openSample', {}));
    expect(again.path).toBe(info.path);
    expect(again.latestRunId).toBe(info.latestRunId);
  });

  it('excludes inner messages (PEC postacert.eml) from the replay: one decision per mailbox item', async () => {
    const envelopes = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500, filter: { flags: ['pec'] } }));
    const receipts = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500, filter: { flags: ['pec-receipt'] } }));
    expect(envelopes.total).toBeGreaterThan(0);
    // The envelope carries its postacert.eml as a message/rfc822 part; it stays an attachment.
    expect(envelopes.rows.every((r) => r.flags.includes('has-forwarded-message'))).toBe(true);
    // SIMULATOR §2 stage 3: PEC envelopes and receipts are UnsupportedPec, and the inner postacert.eml
    // is not a mailbox item of its own: the run decided exactly the top-level PEC rows, no more.
    const pecKeys = new Set([...envelopes.rows, ...receipts.rows].map((r) => r.key));
    expect([...envelopes.rows, ...receipts.rows].every((r) => r.outcome === 'UnsupportedPec')).toBe(true);
    const run = value<RunSummary[]>(await host.invoke('runs.list', {}))[0];
    expect(run?.countsByOutcome.UnsupportedPec).toBe(pecKeys.size);
    const decided = Object.values(run?.countsByOutcome ?? {}).reduce((a, b) => a + (b ?? 0), 0);
    expect(decided).toBe(info.messageCount);
  });

  it('reports flags in the contract vocabulary and filters by every one of them', async () => {
    const all = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500 }));
    const seen = new Set(all.rows.flatMap((r) => r.flags));
    for (const f of seen) expect(MESSAGE_FLAGS).toContain(f);
    expect(seen).toContain('auto-reply');
    expect(seen).toContain('smime-encrypted');
    for (const flag of MESSAGE_FLAGS) {
      const filtered = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500, filter: { flags: [flag] } }));
      expect(filtered.total).toBe(all.rows.filter((r) => r.flags.includes(flag)).length);
    }
    expect(await host.invoke('messages.list', { offset: 0, limit: 5, filter: { flags: ['auto_reply'] } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('sorts by every column both ways, pages without gaps, and counts what the filters keep', async () => {
    const all = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500 }));
    for (const key of ['date', 'mailbox', 'folder', 'from', 'subject', 'outcome', 'method'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const page1 = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 10, sort: { key, dir } }));
        const page2 = value<MessageListResult>(await host.invoke('messages.list', { offset: 10, limit: 500, sort: { key, dir } }));
        const rows = [...page1.rows, ...page2.rows];
        expect(new Set(rows.map((r) => r.key)).size).toBe(all.total);
        const values = rows.map((r) => r[key] ?? '');
        const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(values).toEqual(dir === 'asc' ? sorted : sorted.reverse());
      }
    }
    const text = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500, filter: { text: 'quote' } }));
    expect(text.total).toBe(all.rows.filter((r) => /quote/i.test(r.subject) || /quote/i.test(r.from ?? '')).length);
    // A pasted Message-ID finds its message.
    const one = value<MessageDetail>(await host.invoke('messages.get', { key: all.rows[0]?.key as string }));
    const byId = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 5, filter: { text: one.messageId as string } }));
    expect(byId.rows.map((r) => r.key)).toContain(one.key);
    const mailbox = all.rows[0]?.mailbox as string;
    const mb = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 500, filter: { mailbox, outcomes: ['CorrelationMatch'] } }));
    expect(mb.total).toBe(all.rows.filter((r) => r.mailbox === mailbox && r.outcome === 'CorrelationMatch').length);
  });

  it('explains a decision and names the settings that decided the correlation', async () => {
    const page = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 5, filter: { methods: ['InReplyTo'] } }));
    const key = page.rows[0]?.key as string;
    const d = value<MessageDetail>(await host.invoke('messages.get', { key }));
    expect(d.decision?.correlationMethod).toBe('InReplyTo');
    expect(d.explanation[0]).toMatch(/correlation method InReplyTo \(3\)/);
    const correlate = d.decision?.trace.find((s) => s.stage === 'Correlate');
    // SIMULATOR §3: In-Reply-To correlation runs only with email correlation on and not ignored.
    expect(correlate?.settings).toEqual(expect.arrayContaining(['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation']));
  });

  it('draws the chain: the reply hangs under the tracked email it correlated to, by a parent edge on the selected path', async () => {
    const page = value<MessageListResult>(await host.invoke('messages.list', { offset: 0, limit: 5, filter: { methods: ['InReplyTo'] } }));
    const key = page.rows[0]?.key as string;
    const d = value<MessageDetail>(await host.invoke('messages.get', { key }));
    const chain = value<ChainGraph>(await host.invoke('chain.get', { key }));
    const selected = chain.nodes.filter((n) => n.selected);
    expect(selected.map((n) => n.id)).toEqual([key]);
    const up = chain.edges.find((e) => e.to === key);
    expect(up).toMatchObject({ from: d.decision?.correlatedTo, method: 'InReplyTo', parent: true, onSelectedPath: true });
    expect(chain.nodes.find((n) => n.id === up?.from)?.kind).toBe('tracked');
    // Every edge joins two listed nodes; every message node except the selected one hangs off an edge.
    const ids = new Set(chain.nodes.map((n) => n.id));
    for (const e of chain.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    expect(await host.invoke('chain.get', { key: '999999' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('streams replay progress by phase and stops a replay cancelled before it stores its run', async () => {
    const progress: JobProgress[] = [];
    const off = host.onEvent((event, payload) => {
      if (event !== 'job.progress') return;
      progress.push(payload as JobProgress);
      if ((payload as JobProgress).jobId === 'cancel-me' && progress.length === 1) void host.invoke('job.cancel', { jobId: 'cancel-me' });
    });
    const before = value<RunSummary[]>(await host.invoke('runs.list', {})).length;
    const r = await host.invoke('replay.run', { profile: 'Default', jobId: 'cancel-me' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(value<RunSummary[]>(await host.invoke('runs.list', {})).length).toBe(before);
    const done = await host.invoke('replay.run', { profile: 'Default', jobId: 'full' });
    off();
    expect(done.ok).toBe(true);
    const phases = progress.filter((p) => p.jobId === 'full').map((p) => p.message);
    expect(phases).toEqual(['Default: loaded', 'Default: replayed', 'Default: saved']);
  });
});

describe('training scenarios', () => {
  it('lists every scenario of the library with its lesson', async () => {
    const list = value<ScenarioSummary[]>(await host.invoke('scenarios.list', {}));
    const folders = fs.readdirSync(SCENARIOS).filter((d) => fs.existsSync(path.join(SCENARIOS, d, 'scenario.json'))).sort();
    expect(list.map((s) => s.id)).toEqual(folders);
    for (const s of list) {
      expect(s.error).toBeUndefined();
      expect(s.lesson.length).toBeGreaterThan(20);
      expect(s.messageCount).toBeGreaterThan(0);
    }
  });

  it('steps through a scenario one message at a time and agrees with its expect entries', async () => {
    const id = '03-changed-subject-drops-in-reply-to';
    const raw = JSON.parse(fs.readFileSync(path.join(SCENARIOS, id, 'scenario.json'), 'utf8')) as { messages: { file: string }[]; expect: { file: string; outcome: string }[] };
    const steps: ScenarioStep[] = [];
    for (let i = 0; i < raw.messages.length; i++) steps.push(value<ScenarioStep>(await host.invoke('scenarios.step', { id, index: i })));
    expect(steps.map((s) => s.index)).toEqual(raw.messages.map((_, i) => i));
    expect(new Set(steps.map((s) => s.file))).toEqual(new Set(raw.messages.map((m) => m.file)));
    for (const s of steps) {
      expect(s.total).toBe(raw.messages.length);
      expect(s.mismatches).toEqual([]);
      expect(s.decision.outcome).toBe(raw.expect.find((e) => e.file === s.file)?.outcome);
      expect(s.trace.length).toBeGreaterThan(0);
      expect(s.explanation[0]).toContain(s.decision.outcome);
    }
    expect(await host.invoke('scenarios.step', { id, index: raw.messages.length })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await host.invoke('scenarios.step', { id: 'no-such-scenario', index: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
