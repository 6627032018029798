// `mailbox pull` end to end through the CLI entry point, against the local Graph stand-in (127.0.0.1).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../core/cli/commands/mailbox.js';
import { startGraphStandIn, type GraphStandIn } from './graphServer.js';

let out = '';
let err = '';
let server: GraphStandIn | null = null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-mailbox-cli-'));
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await server?.close();
  server = null;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('mailbox CLI', () => {
  it('--help and usage errors', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(out).toMatch(/usage: mailbox pull --user UPN/);
    expect(await run(['pull', '--workspace', 'x'])).toBe(2);
    expect(err).toMatch(/--user UPN is required/);
    expect(await run(['pull', '--user', 'a@b.c', '--workspace', 'x', '--since', 'yesterday'])).toBe(2);
    expect(err).toMatch(/--since must be a date/);
    expect(await run(['pull', '--user', 'a@b.c', '--workspace', 'x', '--bogus'])).toBe(2);
    expect(await run(['push'])).toBe(2);
  });

  it('pulls Inbox and Inbox/Projects, then a second run adds only changes', async () => {
    server = await startGraphStandIn({ count: 3, pageSize: 2 });
    vi.stubEnv('SYNCLENS_ACCESS_TOKEN', 'good');
    vi.stubEnv('SYNCLENS_GRAPH_URL', `${server.base}/v1.0`);
    const ws = path.join(tmp, 'cli.sqlite');
    const args = ['pull', '--user', 'bob@contoso.com', '--folder', 'Inbox', '--folder', 'Inbox/Projects', '--since', '2025-12-01', '--workspace', ws];
    expect(await run(args)).toBe(0);
    expect(out).toMatch(/Inbox: 3 listed, 3 imported, 0 already in the workspace, 0 quarantined/);
    expect(out).toMatch(/Inbox\/Projects: 1 listed, 1 imported/);
    out = '';
    expect(await run([...args, '--json'])).toBe(0);
    const s = JSON.parse(out) as { folders: Array<{ folder: string; incremental: boolean; removed: number }> };
    expect(s.folders.map((f) => [f.folder, f.incremental])).toEqual([['Inbox', true], ['Inbox/Projects', true]]);
  });

  it('a denied mailbox fails with exit 1 and names the permission', async () => {
    server = await startGraphStandIn();
    vi.stubEnv('SYNCLENS_ACCESS_TOKEN', 'good');
    vi.stubEnv('SYNCLENS_GRAPH_URL', `${server.base}/v1.0`);
    expect(await run(['pull', '--user', 'denied@contoso.com', '--workspace', path.join(tmp, 'denied.sqlite')])).toBe(1);
    expect(err).toMatch(/ErrorAccessDenied.*Mail\.Read/);
  });
});
