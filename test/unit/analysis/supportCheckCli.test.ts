// `support check FILE.json` (positional form asked for by issue 7) and its errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as support } from '../../../core/cli/commands/support.js';

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}
const dir = mkdtempSync(join(tmpdir(), 'synclens-support-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('support check FILE.json', () => {
  it('reads the positional file: FIPS with Outlook.com is not supported (R7), table output names rule and source', async () => {
    const file = join(dir, 'fips.json');
    writeFileSync(file, JSON.stringify({
      deployment: { kind: 'onpremises', version: '9.1', fips: true },
      mailboxes: [{ id: 'legacy', host: { kind: 'pop3-imap', host: 'outlook.com' }, incoming: { id: 'p', type: 'pop3-smtp' }, outgoing: { id: 'p', type: 'pop3-smtp' }, items: ['email'] }],
    }));
    const c = capture();
    expect(await support(['check', file], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/legacy: not-supported\n {2}email: not-supported\n {6}not-supported R7 .*FIPS.*\[“Supported email service configurations for server-side synchronization”/);
  });
  it('--json with the positional file', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'same' }, incoming: { id: 'p', type: 'exchange-online' }, outgoing: { id: 'p', type: 'exchange-online' } }] }));
    const c = capture();
    expect(await support(['check', file, '--json'], c.io)).toBe(0);
    expect((JSON.parse(c.out.join('\n')) as { mailboxes: { verdict: string }[] }).mailboxes[0]?.verdict).toBe('supported');
  });
  it('a bad file names the file and the field; two files is a usage error', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ deployment: { kind: 'cloud' }, mailboxes: [] }));
    const c = capture();
    expect(await support(['check', file], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/bad\.json: deployment\.kind: must be "online" or "onpremises"/);
    expect(await support(['check', file, file], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/give one configuration file/);
    expect(await support(['check', join(dir, 'missing.json')], c.io)).toBe(2);
    expect(c.err[c.err.length - 1]).toMatch(/missing\.json/);
  });
});

describe('support warnings TAG.json DIR', () => {
  const scenarios = join(__dirname, '../../../assets/scenarios');
  const popTag = (): string => {
    const f = join(dir, 'pop-tag.json');
    writeFileSync(f, JSON.stringify({ incoming: { id: 'p', type: 'pop3-smtp' }, outgoing: { id: 'p', type: 'pop3-smtp' } }));
    return f;
  };
  it('folder-level tracking replayed for a POP3-tagged mailbox is impossible (exit 1)', async () => {
    const c = capture();
    expect(await support(['warnings', popTag(), join(scenarios, '15-folder-level-tracking-regarding-wins')], c.io)).toBe(1);
    expect(c.out.join('\n')).toMatch(/1 folder-level tracked[\s\S]*impossible .*Exchange folders/);
  });
  it('--appointments adds the appointments-over-POP3 warning; --json gives the simulated use', async () => {
    const c = capture();
    expect(await support(['warnings', popTag(), join(scenarios, '02-reply-correlates-by-in-reply-to'), '--appointments', '--json'], c.io)).toBe(1);
    const out = JSON.parse(c.out.join('\n')) as { warnings: { code: string }[]; simulated: { itemKinds: string[] } };
    expect(out.warnings.map((w) => w.code)).toContain('items-over-pop3');
    expect(out.simulated.itemKinds).toEqual(['email', 'appointments-contacts-tasks']);
  });
  it('--router replays a router scenario: only a caution for an SSS-tagged mailbox (exit 0)', async () => {
    const c = capture();
    expect(await support(['warnings', popTag(), join(__dirname, '../../../assets/router-scenarios/01-sink-mailbox-forward-as-attachment'), '--router'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/\(router mode\)[\s\S]*caution/);
  });
  it('a bad tag names the file and the field', async () => {
    const f = join(dir, 'bad-tag.json');
    writeFileSync(f, JSON.stringify({ incoming: { type: 'carrier-pigeon' } }));
    const c = capture();
    expect(await support(['warnings', f, join(scenarios, '02-reply-correlates-by-in-reply-to')], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/bad-tag\.json: incoming\.type: unknown profile type "carrier-pigeon"/);
    expect(await support(['warnings', f], c.io)).toBe(2);
  });
});
