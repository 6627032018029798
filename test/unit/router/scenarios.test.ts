// The router training set (assets/router-scenarios): every scenario loads, has a lesson, and meets its
// expectations under its own preset and under every era it lists; bad scenarios are refused with the
// file and the key named; the fixed scenario format (assets/scenarios) is not touched.
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRouterScenario, routerInputFor } from '../../../core/node/router/load.js';
import { replayRouter } from '../../../core/router/replay.js';
import { checkRouterExpect, parseRouterScenario, toRouterRunResults } from '../../../core/router/scenario.js';
import { loadScenario } from '../../../core/node/scenario/load.js';

const ROOT = join(__dirname, '../../../assets/router-scenarios');
const dirs = readdirSync(ROOT).map((d) => join(ROOT, d));

describe('router training scenarios', () => {
  it('cover the set the issue asks for', () => {
    const names = readdirSync(ROOT).join(' ');
    for (const topic of ['sink-mailbox', 'forward-rule', 'inline-forward', 'token-only', 'undeliverable']) expect(names).toContain(topic);
  });
  for (const dir of dirs) {
    it(`${dir.split('/').pop()}: loads, teaches, and meets every expectation`, () => {
      const l = loadRouterScenario(dir);
      expect(l.scenario.lesson.length).toBeGreaterThan(200);
      expect(l.scenario.expect.length).toBe(l.scenario.messages.length);
      const runs: [string, typeof l.scenario.expect][] = [[l.scenario.preset, l.scenario.expect], ...Object.entries(l.scenario.eras)];
      for (const [preset, expect_] of runs) {
        const res = checkRouterExpect(preset, expect_, toRouterRunResults(replayRouter(routerInputFor(l, preset)).decisions));
        expect(res.mismatches, preset).toEqual([]);
        expect(res.passed).toBe(expect_.length);
      }
    });
  }
  it('the token-only scenario differs between the CRM 3.0 and CRM 4.0 presets', () => {
    const l = loadRouterScenario(join(ROOT, '04-token-only-correlation'));
    const fate = (p: string): string[] => replayRouter(routerInputFor(l, p)).decisions.map((d) => `${d.fate}/${d.correlationMethod}`);
    expect(fate('crm3')).not.toEqual(fate('crm4'));
    expect(fate('crm3')).toEqual(fate('dataverse'));
  });
  it('router scenarios are not fixed-format scenarios: `scenario` refuses them, so `scenario check assets/scenarios/*` is unaffected', () => {
    expect(() => loadScenario(dirs[0] as string)).toThrow(/preset: unknown key|sink: unknown key/);
  });
});

describe('parseRouterScenario refuses bad input, naming the file and the key', () => {
  const ok = {
    title: 't', lesson: 'l', preset: 'crm3', sink: 'sink@contoso.com',
    directory: { users: [{ id: 'alice', emails: ['alice@contoso.com'] }] },
    mailboxes: [{ owner: 'user:alice', address: 'alice@contoso.com', filter: 1 }],
    messages: [{ file: 'm.eml' }], expect: [{ file: 'm.eml', fate: 'Delivered' }],
  };
  const parse = (over: Record<string, unknown>): unknown => parseRouterScenario({ ...ok, ...over }, 'x/scenario.json', (f) => f === 'm.eml');
  it('accepts a good one with crm3 settings and overrides on top', () => {
    const sc = parseRouterScenario({ ...ok, organization: { ignoreinternalemail: true } }, 'x/scenario.json', () => true);
    expect(sc.settings.enablesmartmatching).toBe(false);
    expect(sc.settings.ignoreinternalemail).toBe(true);
    expect(sc.overrides).toEqual({ ignoreinternalemail: true });
  });
  it.each([
    [{ preset: 'crm5' }, /x\/scenario\.json: preset: expected one of crm3/],
    [{ sink: 'nobody' }, /sink: expected the sink mailbox address/],
    [{ messages: [{ file: 'gone.eml' }] }, /messages\[0\]\.file: missing file gone\.eml/],
    [{ messages: [{ file: 'm.eml', folder: 'Inbox' }] }, /messages\[0\]\.folder: unknown key/],
    [{ expect: [{ file: 'other.eml' }] }, /expect\[0\]\.file: dangling reference/],
    [{ expect: [{ file: 'm.eml', fate: 'Lost' }] }, /expect\[0\]\.fate: expected one of Delivered/],
    [{ expect: [{ file: 'm.eml', outcome: 'AcceptAll' }] }, /expect\[0\]\.outcome: unknown key/],
    [{ eras: { crm9: [] } }, /eras\.crm9: unknown preset/],
    [{ mailboxes: [{ owner: 'user:nobody', address: 'a@b.c' }] }, /mailboxes\[0\]\.owner/],
    [{ organization: { enablesmartmatching: 'yes' } }, /organization/],
    [{ extra: 1 }, /extra: unknown key/],
  ])('%j', (over, msg) => {
    expect(() => parse(over)).toThrow(msg);
  });
});

describe('loader errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'synclens-router-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it('unreadable JSON names the file', () => {
    writeFileSync(join(tmp, 'scenario.json'), '{ not json');
    expect(() => loadRouterScenario(tmp)).toThrow(/scenario\.json: cannot read router scenario/);
  });
  it('a scenario copied elsewhere still loads its messages relative to its folder', () => {
    const src = join(ROOT, '01-sink-mailbox-forward-as-attachment');
    const dst = join(tmp, 'copy');
    mkdirSync(join(dst, 'messages'), { recursive: true });
    copyFileSync(join(src, 'scenario.json'), join(dst, 'scenario.json'));
    for (const f of readdirSync(join(src, 'messages'))) copyFileSync(join(src, 'messages', f), join(dst, 'messages', f));
    expect(loadRouterScenario(dst).items).toHaveLength(2);
  });
});
