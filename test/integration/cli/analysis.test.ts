// The analysis commands as a user runs them: the compiled `synclens` CLI (runCli.ts) spawned on a
// small workspace built from training scenario 06 (Bob's reply that only smart matching can place) plus a
// hostile message, with settings profiles saved in the workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../core/node/import/importer.js';
import { loadScenario } from '../../../core/node/scenario/load.js';
import { ensureMailbox, openWorkspace, replaceDirectory, replaceTracked, saveSettingsProfile } from '../../../core/node/workspace/index.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { ROOT, runCli } from './runCli.js';

const SCENARIO = path.join(ROOT, 'assets/scenarios/06-smart-matching-subject-and-addresses');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-analysis-cli-'));
const WS = path.join(dir, 'w.synclens');
const SMART = path.join(dir, 'smart.json');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  return runCli(args);
}

beforeAll(async () => {
  const { input } = loadScenario(SCENARIO);
  const hostile = path.join(dir, 'mail');
  fs.mkdirSync(hostile);
  fs.writeFileSync(path.join(hostile, 'hostile.eml'), [
    'From: Bob Lee <bob@fabrikam.com>', 'To: alice@contoso.com', 'Subject: <script>alert(1)</script> =cmd', 'Date: Thu, 4 Apr 2024 10:00:00 +0000',
    'Message-ID: <hostile@fabrikam.com>', 'Content-Type: text/plain', '', 'hello', '',
  ].join('\r\n'));
  const ws = openWorkspace(WS);
  try {
    await importPaths(ws, [path.join(SCENARIO, 'messages'), hostile], { mailbox: 'alice@contoso.com', owner: 'user:alice', folder: 'Inbox' });
    ensureMailbox(ws, 'alice@contoso.com', 'user:alice', { filter: 1 });
    replaceDirectory(ws, input.directory);
    replaceTracked(ws, input.tracked);
    saveSettingsProfile(ws, 'today', DEFAULT_SETTINGS);
    saveSettingsProfile(ws, 'smart-on', { ...DEFAULT_SETTINGS, enablesmartmatching: true });
  } finally {
    ws.close();
  }
  fs.writeFileSync(SMART, JSON.stringify({ enablesmartmatching: true }));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('whatif', () => {
  it('between two workspace profiles: the reply is now tracked by smart matching', () => {
    const r = cli('whatif', '--workspace', WS, '--baseline', 'today', '--proposal', 'smart-on');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/What-if over 2 messages: 1 change\./);
    expect(r.out).toContain('enablesmartmatching: false → true');
    expect(r.out).toMatch(/1 {2}smart matching on: 1 reply now tracked, linked by smart matching/);
    expect(r.out).toMatch(/Tracked: 0 → 1/);
  });

  it('--json - writes the report envelope; --html writes a self-contained file; report re-renders it', () => {
    const j = cli('whatif', '--workspace', WS, '--baseline', 'preset:dataverse', '--proposal', SMART, '--json', '-');
    expect(j.code).toBe(0);
    const env = JSON.parse(j.out) as { format: string; kind: string; result: { changed: number; changes: { after: { correlatedTo: string } }[] } };
    expect(env).toMatchObject({ format: 'synclens-report', kind: 'whatif' });
    expect(env.result.changed).toBe(1);
    expect(env.result.changes[0]!.after.correlatedTo).toBe('e1');
    const saved = path.join(dir, 'whatif.json');
    fs.writeFileSync(saved, j.out);
    const html = path.join(dir, 'whatif.html');
    const h = cli('report', '--from', saved, '--html', html, '--csv', '-');
    expect(h.code).toBe(0);
    expect(h.err).toContain(`wrote HTML report to ${html}`);
    expect(h.out.split('\n')[0]).toMatch(/^key,subject,from,change/);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script/i);
  });

  it('an unknown profile exits 2 naming it and the profiles there are', () => {
    const r = cli('whatif', '--workspace', WS, '--baseline', 'tomorrow', '--proposal', 'today');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--baseline tomorrow: no such file or settings profile in .*w\.synclens \(profiles: smart-on, today\)/);
  });
});

describe('apply-kit', () => {
  it('prints the PATCH body, and the measured effect from the workspace', () => {
    const r = cli('apply-kit', '--workspace', WS, '--baseline', 'today', '--proposal', 'smart-on', '--org-uri', 'https://contoso.crm.dynamics.com');
    expect(r.code).toBe(0);
    expect(r.out).toContain('PATCH https://contoso.crm.dynamics.com/api/data/v9.2/organizations(<organizationid>)');
    expect(r.out).toContain('"enablesmartmatching": true');
    expect(r.out).toContain('  - smart matching on: 1 reply now tracked, linked by smart matching');
  });
});

describe('sweep', () => {
  it('a small grid on two workers: every point scored; keeping the baseline is recommended', () => {
    const grid = path.join(dir, 'grid.json');
    fs.writeFileSync(grid, JSON.stringify({ product: { hashminaddresscount: [2, 4] }, points: [{ hashfilterkeywords: 'out-of-office' }] }));
    const r = cli('sweep', '--workspace', WS, '--grid', grid, '--json', '-');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const env = JSON.parse(r.out) as { kind: string; result: { points: { pareto: boolean; recommended: boolean; metrics: { correct: number; falseCorrelations: number } }[]; timing: { workers: number }; recommendation: { pointId: number } } };
    expect(env.kind).toBe('sweep');
    expect(env.result.points).toHaveLength(3);
    // Bob's reply carries no In-Reply-To or References, so by the header-based ground truth it starts a
    // conversation of its own: smart matching it to e1 counts as a false correlation, and no point beats
    // the baseline (smart matching off).
    expect(env.result.points[0]!.metrics.falseCorrelations).toBe(1);
    expect(env.result.points[1]!.metrics.falseCorrelations).toBe(0); // 4 shared addresses needed, 3 exist
    expect(env.result.points.filter((p) => p.recommended)).toHaveLength(0);
    expect(env.result.recommendation.pointId).toBe(0);
    expect(env.result.timing.workers).toBe(2);
  });
  it('a bad grid exits 2 naming the file and the problem', () => {
    const grid = path.join(dir, 'bad-grid.json');
    fs.writeFileSync(grid, JSON.stringify({ points: [{ hashmaxcount: 'many' }] }));
    const r = cli('sweep', '--workspace', WS, '--grid', grid);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${grid}: points[0]: hashmaxcount = "many" is not an integer`);
  });
});

describe('audit', () => {
  it('matches the export to the workspace and writes an escaped HTML report', () => {
    const emails = path.join(dir, 'emails.json');
    fs.writeFileSync(emails, JSON.stringify({
      '@odata.context': 'https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#emails',
      value: [
        { activityid: '11111111-aaaa-bbbb-cccc-000000000001', messageid: '<5512.onb@fabrikam.com>', subject: 'RE: New hire onboarding', correlationmethod: 6, _correlatedactivityid_value: 'e1', directioncode: false },
        { activityid: '11111111-aaaa-bbbb-cccc-000000000002', messageid: '<nowhere@x>', subject: 'Lost', correlationmethod: 0, directioncode: false },
        { activityid: '11111111-aaaa-bbbb-cccc-000000000003', messageid: '<bad@x>', createdon: 'yesterday', directioncode: false },
      ],
    }));
    const html = path.join(dir, 'audit.html');
    const r = cli('audit', '--workspace', WS, '--emails', emails, '--settings', SMART, '--html', html);
    expect(r.code).toBe(0);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toMatch(/<script/i);
    // The directory of the time, exported as an Advanced Find CSV of contacts (the table named on the command line).
    const contacts = path.join(dir, 'contacts.csv');
    fs.writeFileSync(contacts, 'Contact,Full Name,Email\r\n22222222-aaaa-bbbb-cccc-000000000001,Bob Lee,bob@fabrikam.com\r\n22222222-aaaa-bbbb-cccc-000000000002,No Mail,not-an-address\r\n');
    const t = cli('audit', '--workspace', WS, '--emails', emails, '--settings', SMART, '--directory', `contact=${contacts}`);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/import problem, row 2 column Email: .*contacts\.csv: "not-an-address" is not an email address/);
    expect(t.out).toMatch(/matched 1: 1 agree, 0 disagree/);
    expect(t.out).toMatch(/records without a workspace message: 2; workspace messages without a record: 1/);
    expect(t.out).toMatch(/import problem, row 3 column createdon: .*"yesterday" is not a date/);
  });
  it('a missing export exits 2 naming the file', () => {
    const r = cli('audit', '--workspace', WS, '--emails', path.join(dir, 'nope.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.json: cannot read the email export/);
  });
});

describe('dispatcher', () => {
  it('every analysis command has --help; support and presets are reachable', () => {
    for (const c of ['whatif', 'sweep', 'audit', 'report', 'apply-kit']) {
      const r = cli(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.out, c).toMatch(new RegExp(`^usage: ${c} `));
    }
    expect(cli('presets', 'list').code).toBe(0);
    expect(cli('support', 'check').code).toBe(2);
    const h = cli('--help');
    expect(h.out).toMatch(/whatif, apply-kit, sweep, audit, report/);
  });
});
