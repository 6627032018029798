import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runImport } from '../../../core/cli/commands/import.js';
import { run as runInspect } from '../../../core/cli/commands/inspect.js';
import { run as runWorkspace } from '../../../core/cli/commands/workspace.js';
import { FIXTURES, tempDir } from './helpers.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());
const dir = tempDir('synclens-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CLI commands', () => {
  it('import, then workspace stats', async () => {
    const ws = path.join(dir, 'w.synclens');
    const code = await runImport([path.join(FIXTURES, 'quoting.mbox'), path.join(FIXTURES, 'forward-as-attachment.eml'), path.join(FIXTURES, 'not-a-message.txt'),
      '--workspace', ws, '--mailbox', 'alice@example.com', '--owner', 'user:alice', '--folder', 'Inbox']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/imported\s+5/);
    expect(out).toMatch(/quarantined\s+1/);
    expect(out).toMatch(/inner\s+2/);
    expect(out).toMatch(/not-a-message\.txt @0\+\d+: not an email message/);
    out = '';
    expect(await runWorkspace(['stats', '--workspace', ws])).toBe(0);
    expect(out).toMatch(/messages 5, quarantined 1, inner 2, sources 3/);
    expect(out).toMatch(/mailbox alice@example\.com \(user:alice\)/);
    out = '';
    expect(await runWorkspace(['stats', '--workspace', ws, '--json'])).toBe(0);
    expect(JSON.parse(out).flags.has_forwarded).toBe(1);
  });

  it('inspect prints ids, parties, decoded Thread-Index and flags', async () => {
    expect(await runInspect([path.join(FIXTURES, 'auto-reply-exchange.eml')])).toBe(0);
    expect(out).toContain('Message-ID   <oof.1@example.com>');
    expect(out).toContain('In-Reply-To  <orig.1@example.com>');
    expect(out).toContain('From         bob@example.com');
    expect(out).toContain('classic header, time 2018-07-16T07:40:00.279Z');
    expect(out).toContain('child 1: DC=0 delta=0x1d745e random=0x00 → 2018-07-16T21:43:22.827Z');
    expect(out).toMatch(/Flags\s+autoReply/);
    out = '';
    expect(await runInspect([path.join(FIXTURES, 'no-message-id.eml'), '--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ messageId: null, flags: { missingMessageId: true } });
  });

  it('usage and input errors give exit codes and name the problem', async () => {
    expect(await runImport(['--workspace', 'x'])).toBe(2);
    expect(err).toMatch(/give at least one PATH/);
    expect(await runImport(['a', '--workspace', 'x', '--mailbox', 'a@b.c', '--owner', 'team:1'])).toBe(2);
    expect(err).toMatch(/--owner must be user:ID or queue:ID/);
    expect(await runImport([path.join(dir, 'nope'), '--workspace', path.join(dir, 'n.synclens'), '--mailbox', 'a@b.c'])).toBe(1);
    expect(err).toMatch(/nope: no such file or directory/);
    expect(await runInspect([path.join(dir, 'missing.eml')])).toBe(1);
    expect(err).toMatch(/missing\.eml: cannot read \(ENOENT\)/);
    expect(await runWorkspace(['stats', '--workspace', path.join(dir, 'absent.synclens')])).toBe(1);
    expect(err).toMatch(/no workspace at this path/);
    expect(await runWorkspace(['drop'])).toBe(2);
  });
});
