// The engine host in process (no transport): long jobs stream progress and stop on job.cancel, the
// path allow-list is enforced by the host itself, and calls without a workspace say what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../core/contract/contract.js';
import type { Decision, ReplayInput } from '../../../core/engine/model/types.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { writeMbox } from '../../support/generateMailbox.js';

let tmp: string;
let host: Host;
let generated: { messages: number; bytes: number };

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-host-')));
  generated = await writeMbox(path.join(tmp, 'big.mbox'), { messages: 3000, seed: 7 });
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp] });
});

afterAll(() => {
  host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('engine host', () => {
  it('answers NO_WORKSPACE with an instruction before anything is open', async () => {
    const r = await host.invoke('workspace.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'NO_WORKSPACE' } });
  });

  it('validates input itself, whatever the transport', async () => {
    expect(await host.invoke('nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await host.invoke('job.cancel', { jobId: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await host.invoke('workspace.open', { path: path.join(os.homedir(), 'x.synclens') })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });

  it('refuses to create over an existing file and opening a non-workspace', async () => {
    const file = path.join(tmp, 'not-a-workspace.synclens');
    fs.writeFileSync(file, 'hello');
    expect(await host.invoke('workspace.create', { path: file })).toMatchObject({ ok: false, error: { code: 'WORKSPACE_ERROR' } });
    const r = await host.invoke('workspace.open', { path: file });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(file);
  });

  it('streams import progress and stops when the job is cancelled', async () => {
    const changed: unknown[] = [];
    const progress: JobProgress[] = [];
    let cancelRequested = false;
    const off = host.onEvent((event, payload) => {
      if (event === 'workspace.changed') changed.push(payload);
      if (event === 'job.progress') {
        progress.push(payload as JobProgress);
        if (!cancelRequested && (payload as JobProgress).done > 0) {
          cancelRequested = true;
          void host.invoke('job.cancel', { jobId: 'imp-1' }).then((r) => expect(r).toEqual({ ok: true, value: { cancelled: true } }));
        }
      }
    });
    const created = await host.invoke('workspace.create', { path: path.join(tmp, 'w.synclens') });
    expect(created.ok).toBe(true);
    const r = await host.invoke('import.start', { jobId: 'imp-1', paths: [path.join(tmp, 'big.mbox')], mailbox: 'user@example.com' });
    off();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const summary = r.value as { cancelled: boolean; imported: number };
    expect(summary.cancelled).toBe(true);
    expect(summary.imported).toBeLessThan(generated.messages);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === 'imp-1' && p.kind === 'import')).toBe(true);
    expect(changed.length).toBeGreaterThanOrEqual(1);
    // The job is finished: cancelling it again reports nothing to cancel.
    expect(await host.invoke('job.cancel', { jobId: 'imp-1' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('runs replay and what-if through an injected engine, stores the runs and groups what changed', async () => {
    // A stand-in engine with one rule, so the host's plumbing (profiles → settings → run storage →
    // list join → comparison) is checked on its own: with smart matching on, every "Re:" message is
    // correlated by SmartMatching; otherwise nothing is.
    const replay = (input: ReplayInput): { decisions: Decision[]; countsByOutcome: Record<string, number>; countsByMethod: Record<string, number> } => {
      const decisions = input.messages.map((m): Decision => {
        const linked = input.settings.enablesmartmatching && /^re:/i.test(m.subject);
        return {
          key: m.key, outcome: linked ? 'CorrelationMatch' : 'NoCorrelationMatch', tracked: linked,
          correlationMethod: linked ? 'SmartMatching' : 'None', correlationMethodCode: linked ? 5 : 0,
          correlatedTo: linked ? 'tracked-1' : null, parent: null, regarding: null, acceptingEntity: null, receivingMailbox: m.mailbox,
          sender: null, tokenParts: [], subjectHashes: [], addressHashes: [], flags: [], internetMessageHeaders: null,
          trace: [{ stage: 'Correlate' as Decision['trace'][number]['stage'], result: linked ? 'matched' : 'no match', detail: 'stand-in rule' }],
        };
      });
      const countsByOutcome: Record<string, number> = {};
      for (const d of decisions) countsByOutcome[d.outcome] = (countsByOutcome[d.outcome] ?? 0) + 1;
      return { decisions, countsByOutcome, countsByMethod: {} };
    };
    const h = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp], replay });
    try {
      expect((await h.invoke('workspace.open', { path: path.join(tmp, 'w.synclens') })).ok).toBe(true);
      expect((await h.invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true } })).ok).toBe(true);
      const missing = await h.invoke('replay.run', { profile: 'nope' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      const run = await h.invoke('replay.run', { profile: 'Default', jobId: 'r1' });
      expect(run).toMatchObject({ ok: true, value: { profileName: 'Default' } });
      const runId = (run as { value: { runId: number } }).value.runId;
      const page = await h.invoke('messages.list', { offset: 0, limit: 5, runId, filter: { outcomes: ['NoCorrelationMatch'] } });
      const listed = (page as { value: { total: number; rows: Array<{ outcome: string }> } }).value;
      expect(listed.total).toBeGreaterThan(0);
      expect(listed.rows.every((r) => r.outcome === 'NoCorrelationMatch')).toBe(true);

      const what = await h.invoke('whatif.run', { baseline: 'Default', proposal: 'smart' });
      expect(what.ok).toBe(true);
      const result = (what as { value: { changed: number; effectLines: string[]; changedSettings: Array<{ name: string; before: unknown; after: unknown }>; groups: Array<{ cause: string; changes: Array<{ subject: string; after: { correlationMethod: string } }> }> } }).value;
      expect(result.changedSettings).toEqual([{ name: 'enablesmartmatching', before: false, after: true }]);
      const replies = result.groups.flatMap((g) => g.changes);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((c) => /^re:/i.test(c.subject) && c.after.correlationMethod === 'SmartMatching')).toBe(true);
      // Grouped by core/analysis/whatif.ts, as the CLI prints it: the setting the traces name, then the effect.
      expect(result.groups[0]?.cause).toMatch(/^smart matching on: \d+ repl(y|ies) now tracked, linked by smart matching$/);
      expect(result.changed).toBe(replies.length);
      expect(result.effectLines).toEqual(result.groups.map((g) => g.cause));
      const runs = await h.invoke('runs.list', {});
      expect((runs as { value: unknown[] }).value).toHaveLength(3);
    } finally {
      h.close();
    }
  });
});
