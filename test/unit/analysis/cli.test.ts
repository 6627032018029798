import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as presets } from '../../../core/cli/commands/presets.js';
import { run as support } from '../../../core/cli/commands/support.js';

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'synclens-h6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('support check', () => {
  it('prints per-mailbox verdicts with rule ids; exit 1 when something is unsupported', async () => {
    const file = join(dir, 'cfg.json');
    writeFileSync(file, JSON.stringify({
      deployment: { kind: 'online' },
      mailboxes: [
        { id: 'alice', host: { kind: 'exchange-online', tenant: 'same' }, incoming: { id: 'p', type: 'exchange-online' }, outgoing: { id: 'p', type: 'exchange-online' }, items: ['email', 'appointments-contacts-tasks'] },
        { id: 'gmail', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: { id: 'g', type: 'pop3-smtp' }, outgoing: { id: 'g', type: 'pop3-smtp' }, items: ['email', 'appointments-contacts-tasks'] },
      ],
    }));
    const c = capture();
    expect(await support(['check', '--config', file], c.io)).toBe(1);
    const text = c.out.join('\n');
    expect(text).toMatch(/^alice: supported/m);
    expect(text).toMatch(/^gmail: not-supported/m);
    expect(text).toMatch(/appointments-contacts-tasks: not-supported\n.*R6/);
  });
  it('exit 0 when all supported, --json gives the report', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'same' }, incoming: { id: 'p', type: 'exchange-online' } }] }));
    const c = capture();
    expect(await support(['check', '--config', file, '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n')).mailboxes[0].verdict).toBe('supported');
  });
  it('bad config and usage errors exit 2 with the file name', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"deployment":{"kind":"mars"},"mailboxes":[]}');
    const c = capture();
    expect(await support(['check', '--config', file], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain(`${file}: deployment.kind`);
    const d = capture();
    expect(await support(['check'], d.io)).toBe(2);
    expect(await support(['check', '--config', join(dir, 'missing.json')], d.io)).toBe(2);
    expect(d.err.join('\n')).toMatch(/missing\.json/);
  });
});

describe('presets', () => {
  it('list, show, diff', async () => {
    const c = capture();
    expect(await presets(['list'], c.io)).toBe(0);
    expect(c.out.map((l) => l.split(' ')[0])).toEqual(['crm3', 'crm4', 'crm2011', 'dataverse']);
    const s = capture();
    expect(await presets(['show', 'crm3'], s.io)).toBe(0);
    expect(s.out.join('\n')).toMatch(/emailcorrelationenabled = false[\s\S]*Sources: “Microsoft Dynamics CRM, Email correlation and smart matching” \(Microsoft Dynamics CRM team blog, 2008\)/);
    const d = capture();
    expect(await presets(['diff', 'crm4', 'dataverse'], d.io)).toBe(0);
    expect(d.out.join('\n')).toMatch(/enablesmartmatching: true → false — smart matching is off/);
  });
  it('unknown preset exits 2 listing the known names', async () => {
    const c = capture();
    expect(await presets(['show', 'crm5'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown preset crm5; known: crm3, crm4, crm2011, dataverse/);
    expect(await presets([], c.io)).toBe(2);
  });
});
