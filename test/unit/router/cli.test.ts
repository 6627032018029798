// `router run | check | compare` over assets/router-scenarios, through the command's run() with
// captured output (same entry point as `npm run cli -- router …`).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../core/cli/commands/router.js';

const ROOT = join(__dirname, '../../../assets/router-scenarios');
const S1 = join(ROOT, '01-sink-mailbox-forward-as-attachment');
const S4 = join(ROOT, '04-token-only-correlation');

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'synclens-router-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('router run', () => {
  it('prints one line per sink message and the sink after the run', async () => {
    const c = capture();
    expect(await run(['run', S1], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/01-reply-with-token\.eml: Delivered \(attachment forward; ShouldDeliver true, ReasonCode 2 CorrelationMatch; correlation TrackingToken → e1\)/);
    expect(text).toMatch(/Sink after the run: Inbox 0, removed 2, Undeliverable 0/);
  });
  it('--json is one array with fate, check, correlation, flags and the trace', async () => {
    const c = capture();
    expect(await run(['run', S1, '--json'], c.io)).toBe(0);
    const arr = JSON.parse(c.out.join('\n')) as Record<string, unknown>[];
    expect(arr).toHaveLength(2);
    expect(arr[0]).toMatchObject({ file: 'messages/01-reply-with-token.eml', fate: 'Delivered', shouldDeliver: true, reasonCode: 2, correlationMethod: 'TrackingToken', flags: ['has-forwarded-message'] });
    expect((arr[0]?.trace as { stage: string }[]).map((t) => t.stage)).toContain('Deliver');
  });
  it('--preset replays the same sink under another era', async () => {
    const c = capture();
    expect(await run(['run', S4, '--preset', 'crm4', '--json'], c.io)).toBe(0);
    const arr = JSON.parse(c.out.join('\n')) as { file: string; correlationMethod: string }[];
    expect(arr.find((r) => r.file.includes('02-'))?.correlationMethod).toBe('SmartMatching');
  });
  it('usage errors exit 2, an unknown preset is named', async () => {
    const c = capture();
    expect(await run(['run'], c.io)).toBe(2);
    expect(await run(['run', S1, '--preset', 'crm9'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown preset crm9/);
    expect(await run(['fly'], c.io)).toBe(2);
  });
});

describe('router check', () => {
  it('every shipped scenario passes, under its preset and its eras', async () => {
    const c = capture();
    const dirs = ['01-sink-mailbox-forward-as-attachment', '02-forward-rule-all-mail', '03-inline-forward-mistake', '04-token-only-correlation', '05-undeliverable-cases'].map((d) => join(ROOT, d));
    expect(await run(['check', ...dirs], c.io)).toBe(0);
    expect(c.out[c.out.length - 1]).toMatch(/^\d+ passed, 0 failed$/);
  });
  it('a wrong expectation is one mismatch line and exit 1', async () => {
    const dir = join(tmp, 'wrong');
    cpSync(S1, dir, { recursive: true });
    const sc = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as { expect: { fate?: string }[] };
    (sc.expect[1] as { fate?: string }).fate = 'Undeliverable';
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(sc));
    const c = capture();
    expect(await run(['check', dir], c.io)).toBe(1);
    expect(c.out[0]).toMatch(/\[crm3\]\tmessages\/02-newsletter\.eml\tfate\texpected "Undeliverable"\tactual "Deleted"/);
    expect(c.out[c.out.length - 1]).toBe('1 passed, 1 failed');
  });
  it('an unreadable scenario is reported and exits 2', async () => {
    const c = capture();
    expect(await run(['check', join(tmp, 'nope')], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/nope\/scenario\.json: cannot read router scenario/);
  });
});

describe('router compare', () => {
  it('crm3 → crm4 names the message that changes and why', async () => {
    const c = capture();
    expect(await run(['compare', S4, 'crm3', 'crm4'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/02-reply-without-token\.eml: Deleted under crm3, Delivered under crm4; correlation None → SmartMatching/);
    expect(text).toMatch(/1 changed, 1 unchanged/);
  });
  it('--json gives the comparison object', async () => {
    const c = capture();
    expect(await run(['compare', S4, 'crm4', 'dataverse', '--json'], c.io)).toBe(0);
    const cmp = JSON.parse(c.out.join('\n')) as { before: string; after: string; changed: { key: string }[] };
    expect([cmp.before, cmp.after]).toEqual(['crm4', 'dataverse']);
    expect(cmp.changed.map((x) => x.key)).toEqual(['messages/02-reply-without-token.eml']);
  });
});
