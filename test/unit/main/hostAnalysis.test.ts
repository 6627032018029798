// The analysis methods of the engine host (issues 5 and 7) over the bundled sample workspace and the
// router scenarios: answers come from the scenarios' own expectations, the research's rule table and
// hand-built exports, not from the engine's output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, JobProgress } from '../../../core/contract/contract.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { buildAuditExport } from '../../e2e/support/auditExport.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let tmp: string;
let host: Host;
let wsFile: string;

function value<T>(r: Envelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-analysis-')));
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), scenariosDir: path.join(ROOT, 'assets', 'scenarios'), allowedRoots: [tmp] });
  wsFile = value<{ path: string }>(await host.invoke('workspace.openSample', {})).path;
}, 120_000);

afterAll(() => {
  host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('what-if, apply kit and presets', () => {
  it('builds the apply kit of a proposal: only the changed organization column in the PATCH body', async () => {
    value(await host.invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true } }));
    const kit = value<{ webApi: { method: string; url: string; body: Record<string, unknown> } | null; note: string }>(
      await host.invoke('applykit.build', { baseline: 'Default', proposal: 'smart', organizationUri: 'https://contoso.crm.dynamics.com', measuredEffect: ['3 replies now tracked'] }),
    );
    expect(kit.webApi?.method).toBe('PATCH');
    expect(kit.webApi?.url).toMatch(/^https:\/\/contoso\.crm\.dynamics\.com\/api\/data\/v9\.2\/organizations\(/);
    // research §2.1: enablesmartmatching is a Boolean column of the organization table.
    expect(kit.webApi?.body).toEqual({ enablesmartmatching: true });
    expect(kit.note).toContain('3 replies now tracked');
    expect(await host.invoke('applykit.build', { baseline: 'Default', proposal: 'smart', organizationUri: 'http://plain.example' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('lists the four era presets and compares two of them over the workspace', async () => {
    const presets = value<{ name: string; settings: { enablesmartmatching: boolean; emailcorrelationenabled: boolean } }[]>(await host.invoke('presets.list', {}));
    expect(presets.map((p) => p.name)).toEqual(['crm3', 'crm4', 'crm2011', 'dataverse']);
    // Issue 7: CRM 4.0 has smart matching on by default; current Dataverse has it off; CRM 3.0 had no header correlation.
    expect(presets.find((p) => p.name === 'crm4')?.settings.enablesmartmatching).toBe(true);
    expect(presets.find((p) => p.name === 'dataverse')?.settings.enablesmartmatching).toBe(false);
    expect(presets.find((p) => p.name === 'crm3')?.settings.emailcorrelationenabled).toBe(false);
    const progress: JobProgress[] = [];
    const off = host.onEvent((e, p) => e === 'job.progress' && progress.push(p as JobProgress));
    const cmp = value<{ settingChanges: { key: string }[]; changed: { summary: string }[]; unchangedCount: number }>(
      await host.invoke('presets.compare', { before: 'crm4', after: 'dataverse', jobId: 'p1' }),
    );
    off();
    expect(cmp.settingChanges.map((c) => c.key)).toContain('enablesmartmatching');
    expect(cmp.changed.length).toBeGreaterThan(0);
    expect(progress.some((p) => p.jobId === 'p1' && p.kind === 'presets')).toBe(true);
    expect(await host.invoke('presets.compare', { before: 'crm4', after: 'crm5' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('tuning sweep', () => {
  it('runs an edited grid, marks the Pareto points (the baseline competing) and recommends one of them', async () => {
    type M = { precision: number; recall: number };
    const r = value<{ baseline: { metrics: M }; baselinePareto: boolean; points: { id: number; pareto: boolean; recommended: boolean; metrics: M }[]; recommendation: { pointId: number; explanation: string[] } | null }>(
      await host.invoke('sweep.run', { grid: { product: { hashminaddresscount: [1, 2], hashfilterkeywords: ['default', 'out-of-office'] } } }),
    );
    expect(r.points).toHaveLength(4);
    // Pareto over the points and today's settings: nothing else is at least as good on both and better on one.
    const all = [...r.points.map((p) => p.metrics), r.baseline.metrics];
    const beaten = (m: M): boolean => all.some((q) => q !== m && q.precision >= m.precision && q.recall >= m.recall && (q.precision > m.precision || q.recall > m.recall));
    for (const p of r.points) expect(p.pareto).toBe(!beaten(p.metrics));
    expect(r.baselinePareto).toBe(!beaten(r.baseline.metrics));
    // One recommendation, always on the front: a marked point, or pointId 0 = keep the baseline.
    const rec = r.points.filter((p) => p.recommended);
    expect(r.recommendation).not.toBeNull();
    if (r.recommendation?.pointId === 0) {
      expect(rec).toHaveLength(0);
      expect(r.baselinePareto).toBe(true);
      expect(r.recommendation.explanation.join(' ')).toMatch(/baseline/);
    } else {
      expect(rec).toHaveLength(1);
      expect(rec[0]?.pareto).toBe(true);
      expect(r.recommendation?.pointId).toBe(rec[0]?.id);
    }
  });

  it('refuses a grid key that cannot be swept, naming it, and stops on job.cancel', async () => {
    const bad = await host.invoke('sweep.run', { grid: { points: [{ hashmaxcount: 5 }], product: { hashminaddresscount: [] } } });
    expect(bad.ok).toBe(false);
    let cancelled = false;
    const off = host.onEvent((e, p) => {
      if (e === 'job.progress' && (p as JobProgress).jobId === 's-cancel' && !cancelled) {
        cancelled = true;
        void host.invoke('job.cancel', { jobId: 's-cancel' });
      }
    });
    const r = await host.invoke('sweep.run', { jobId: 's-cancel' });
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});

describe('audit and report export', () => {
  it('imports a Web API export: agreement, disagreement with trace and causes, unmatched record, malformed row', async () => {
    const built = buildAuditExport(wsFile);
    const file = path.join(tmp, 'emails.json');
    fs.writeFileSync(file, built.json);
    const r = value<{
      counts: { matched: number; agreements: number; disagreements: number; unmatchedRecords: number };
      rows: { subject: string; agree: boolean; trace: string[]; causes: unknown[]; fields: { field: string; agree: boolean; comparable: boolean }[] }[];
      unmatchedRecords: { messageId: string | null; reason: string }[];
      importProblems: { row: number; column: string | null }[];
    }>(await host.invoke('audit.run', { emails: file, profile: 'Default' }));
    expect(r.counts.matched).toBe(2);
    const agree = r.rows.find((x) => x.subject === built.agreeSubject);
    const disagree = r.rows.find((x) => x.subject === built.disagreeSubject);
    expect(agree?.agree).toBe(true);
    expect(disagree?.agree).toBe(false);
    expect(disagree?.fields.find((f) => f.field === 'tracked')).toMatchObject({ agree: false, comparable: true });
    expect(disagree?.trace.length).toBeGreaterThan(0);
    expect(disagree?.causes.length).toBeGreaterThan(0);
    expect(r.unmatchedRecords.map((u) => u.messageId)).toContain(built.unmatchedMessageId);
    expect(r.importProblems).toContainEqual(expect.objectContaining({ row: built.malformedRow, column: 'createdon' }));

    const out = path.join(tmp, 'audit.html');
    const written = value<{ path: string; bytes: number }>(await host.invoke('report.export', { kind: 'audit', format: 'html', path: out }));
    expect(written.bytes).toBe(fs.statSync(out).size);
    const html = fs.readFileSync(out, 'utf8');
    // Self-contained: no external loads (no src/href to http(s)).
    expect(html).not.toMatch(/(src|href)=["']https?:/i);
    expect(html).toContain(built.disagreeSubject.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(await host.invoke('report.export', { kind: 'audit', format: 'csv', path: path.join(os.homedir(), 'nope.csv') })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });

  it('says which file cannot be read and refuses files outside the chosen folders', async () => {
    const r = await host.invoke('audit.run', { emails: path.join(tmp, 'missing.json'), profile: 'Default' });
    expect(r).toMatchObject({ ok: false, error: { code: 'IMPORT_ERROR' } });
    if (!r.ok) expect(r.error.message).toContain('missing.json');
    expect(await host.invoke('audit.run', { emails: '/etc/passwd', profile: 'Default' })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });
});

describe('supported-configuration check and profile tags', () => {
  it('answers per mailbox and item kind with rule ids and sources', async () => {
    const report = value<{ mailboxes: { mailboxId: string; verdict: string; items: { itemKind: string; verdict: string; findings: { rule: string; source: string }[] }[] }[] }>(
      await host.invoke('support.check', {
        config: {
          deployment: { kind: 'online' },
          mailboxes: [
            { id: 'gmail', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: { id: 'p', type: 'pop3-smtp' }, outgoing: { id: 'p', type: 'pop3-smtp' }, items: ['email', 'appointments-contacts-tasks'] },
            { id: 'old', host: { kind: 'exchange-server', version: '2007' }, incoming: { id: 'x', type: 'exchange-server' }, outgoing: { id: 'x', type: 'exchange-server' }, items: ['email'] },
          ],
        },
      }),
    );
    // research §11 R6: Gmail over POP3/SMTP synchronizes email only; R5: Exchange 2003/2007 not supported.
    const gmail = report.mailboxes.find((m) => m.mailboxId === 'gmail');
    expect(gmail?.items.find((i) => i.itemKind === 'appointments-contacts-tasks')?.verdict).toBe('not-supported');
    expect(gmail?.items.flatMap((i) => i.findings.map((f) => f.rule))).toContain('R6');
    const old = report.mailboxes.find((m) => m.mailboxId === 'old');
    expect(old?.verdict).toBe('not-supported');
    expect(old?.items[0]?.findings.some((f) => f.rule === 'R5' && f.source.length > 0)).toBe(true);
    expect(await host.invoke('support.check', { config: { deployment: { kind: 'cloud' }, mailboxes: [] } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('stores a mailbox tag in the workspace and warns when the replay could not have happened', async () => {
    const info = value<{ mailboxes: { address: string }[] }>(await host.invoke('workspace.info', {}));
    const warnings0 = value<{ mailboxes: { mailbox: string; warnings: { code: string }[] }[] }>(await host.invoke('replay.warnings', {}));
    // Find a mailbox whose latest run tracked incoming mail, then say its incoming mail was never synchronized.
    let target: string | null = null;
    for (const m of info.mailboxes) {
      value(await host.invoke('mailboxes.setTag', { mailbox: m.address, tag: { incoming: null } }));
      const w = value<{ mailboxes: { mailbox: string; warnings: { code: string }[] }[] }>(await host.invoke('replay.warnings', {}));
      const mine = w.mailboxes.find((x) => x.mailbox === m.address);
      if (mine?.warnings.some((x) => x.code === 'incoming-not-synchronized')) {
        target = m.address;
        break;
      }
      value(await host.invoke('mailboxes.setTag', { mailbox: m.address, tag: null }));
    }
    expect(warnings0.mailboxes).toEqual([]);
    expect(target).not.toBeNull();
    const tags = value<{ mailbox: string; tag: { incoming: unknown } }[]>(await host.invoke('mailboxes.tags', {}));
    expect(tags).toEqual([expect.objectContaining({ mailbox: target, tag: { incoming: null } })]);
    expect(await host.invoke('mailboxes.setTag', { mailbox: 'nobody@nowhere.test', tag: { incoming: null } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    value(await host.invoke('mailboxes.setTag', { mailbox: target!, tag: null }));
  });
});

describe('E-mail Router mode', () => {
  it('lists the router scenarios with their lessons', async () => {
    const list = value<{ id: string; lesson: string; messageCount: number; error?: string }[]>(await host.invoke('router.list', {}));
    expect(list.length).toBeGreaterThanOrEqual(5);
    for (const s of list) {
      expect(s.error).toBeUndefined();
      expect(s.lesson.length).toBeGreaterThan(20);
    }
  });

  it('steps through the sink mailbox: Check and Deliver separately, the sink after each message', async () => {
    const id = '01-sink-mailbox-forward-as-attachment';
    const first = value<{ decision: { check: { shouldDeliver: boolean; reasonCode: number; reasonName: string }; fate: string; key: string }; sink: { inbox: string[]; removed: string[] }; mismatches: unknown[] }>(
      await host.invoke('router.step', { id, index: 0 }),
    );
    // scenario.json expects: ShouldDeliver true, ReasonCode 2 CorrelationMatch, Delivered, removed from the sink.
    expect(first.decision.check).toEqual({ shouldDeliver: true, reasonCode: 2, reasonName: 'CorrelationMatch' });
    expect(first.decision.fate).toBe('Delivered');
    expect(first.sink.removed).toEqual([first.decision.key]);
    expect(first.sink.inbox).toHaveLength(1);
    expect(first.mismatches).toEqual([]);
    const second = value<{ decision: { check: { shouldDeliver: boolean; reasonName: string }; fate: string }; sink: { inbox: string[]; removed: string[] } }>(await host.invoke('router.step', { id, index: 1 }));
    expect(second.decision.check).toMatchObject({ shouldDeliver: false, reasonName: 'NoCorrelationMatch' });
    expect(second.decision.fate).toBe('Deleted');
    expect(second.sink.inbox).toEqual([]);
    expect(await host.invoke('router.step', { id, index: 9 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await host.invoke('router.step', { id: '../scenarios', index: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('lists undeliverable messages with their reasons', async () => {
    const id = '05-undeliverable-cases';
    const list = value<{ id: string; messageCount: number }[]>(await host.invoke('router.list', {}));
    const n = list.find((s) => s.id === id)?.messageCount ?? 0;
    const last = value<{ sink: { undeliverable: { key: string; reason: string }[] } }>(await host.invoke('router.step', { id, index: n - 1 }));
    expect(last.sink.undeliverable.length).toBeGreaterThan(0);
    for (const u of last.sink.undeliverable) expect(u.reason.length).toBeGreaterThan(5);
  });

  it('compares CRM 3.0 with CRM 4.0: smart matching exists only from the 4.0 router on', async () => {
    const list = value<{ id: string }[]>(await host.invoke('router.list', {}));
    const summaries: string[] = [];
    for (const s of list) {
      const cmp = value<{ changed: { summary: string }[] }>(await host.invoke('router.compare', { id: s.id, before: 'crm3', after: 'crm4' }));
      summaries.push(...cmp.changed.map((c) => c.summary));
    }
    expect(summaries.some((x) => /smart matching/.test(x))).toBe(true);
  });
});
