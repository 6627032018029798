// Sources that are not plain readable files (issue 12 items 3, 8, 20): a file and a folder whose names are not
// valid UTF-8, an unreadable file and an unreadable folder (real permissions: as root the CLI runs as nobody),
// a FIFO, a socket and a symbolic link inside a folder, a loose file in a Maildir root, and a FIFO, /dev/null
// and /dev/zero named on the command line. The import neither hangs nor reads a device: each is skipped,
// counted and named in the summary with the reason, and every ordinary message around them is imported.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseHeaders } from '../support/hostile.js';
import { importPaths, type ImportSummary } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { recordFigures, removeDir, runCliRestricted, tempDir } from './support/env.js';

let dir: string;
let root: string;
let fifo: string;
let server: net.Server;
const msg = (n: number): string => `${baseHeaders(n)}\r\n\r\nbody ${n}\r\n`;

beforeAll(async () => {
  dir = tempDir('not-regular');
  fs.chmodSync(dir, 0o777); // the unprivileged child must reach the sources and write the workspace
  root = path.join(dir, 'mail');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.eml'), msg(501));
  // Names that are not UTF-8 (Latin-1 "café" and a lone 0xFF), as a file and as a folder with a message in it.
  fs.writeFileSync(Buffer.concat([Buffer.from(root + '/caf'), Buffer.from([0xe9]), Buffer.from('.eml')]), msg(502));
  const badDir = Buffer.concat([Buffer.from(root + '/sub-'), Buffer.from([0xff])]);
  fs.mkdirSync(badDir);
  fs.writeFileSync(Buffer.concat([badDir, Buffer.from('/inner.eml')]), msg(503));
  fifo = path.join(root, 'pipe');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(root, 'sock'), resolve));
  fs.symlinkSync(path.join(root, 'a.eml'), path.join(root, 'link.eml'));
  fs.writeFileSync(path.join(root, 'locked.eml'), msg(504));
  fs.chmodSync(path.join(root, 'locked.eml'), 0o000);
  fs.mkdirSync(path.join(root, 'locked-dir'));
  fs.writeFileSync(path.join(root, 'locked-dir', 'in.eml'), msg(505));
  fs.chmodSync(path.join(root, 'locked-dir'), 0o000);
  const md = path.join(root, 'maildir');
  for (const d of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(md, d), { recursive: true });
  fs.writeFileSync(path.join(md, 'new', '1.eml'), msg(506));
  fs.writeFileSync(path.join(md, 'loose.eml'), msg(507));
  fs.writeFileSync(path.join(md, 'dovecot-uidlist'), '3 V1 N2\n'); // bookkeeping: not a problem
  // A second Maildir whose cur/ is a symbolic link to a folder outside the chosen one.
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, '1.eml'), msg(509));
  const md2 = path.join(root, 'maildir2');
  fs.mkdirSync(path.join(md2, 'new'), { recursive: true });
  fs.symlinkSync(outside, path.join(md2, 'cur'));
  fs.writeFileSync(path.join(root, 'z.eml'), msg(508));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (dir) {
    fs.chmodSync(path.join(root, 'locked-dir'), 0o755);
    removeDir(dir);
  }
});

function expectSkipped(s: ImportSummary, unreadable: boolean): void {
  const reasons = new Map(s.skipped.map((e) => [e.path, e.reason]));
  const expected: Array<[string, RegExp]> = [
    [path.join(root, 'caf\\xE9.eml'), /file name is not valid UTF-8/],
    [path.join(root, 'sub-\\xFF'), /folder name is not valid UTF-8/],
    [fifo, /named pipe \(FIFO\), not a regular file/],
    [path.join(root, 'sock'), /a socket, not a regular file/],
    [path.join(root, 'link.eml'), /symbolic link inside a folder, not followed/],
    [path.join(root, 'maildir', 'loose.eml'), /loose file in a Maildir root/],
    [path.join(root, 'maildir2', 'cur'), /symbolic link inside a folder \(the Maildir's cur\/\), not followed/],
    ['/dev/null', /a character device, not a regular file/],
    ['/dev/zero', /a character device, not a regular file/],
  ];
  if (unreadable) {
    expected.push([path.join(root, 'locked.eml'), /cannot be read: permission denied \(EACCES\)/]);
    expected.push([path.join(root, 'locked-dir'), /folder cannot be read: permission denied \(EACCES\)/]);
  }
  for (const [p, re] of expected) expect(reasons.get(p), `${p} in ${JSON.stringify(s.skipped, null, 1)}`).toMatch(re);
  // The FIFO is named twice: inside the folder and on the command line.
  expect(s.skipped.filter((e) => e.path === fifo)).toHaveLength(2);
  expect(s.skippedCount).toBe(expected.length + 1);
  expect(s.skipped.some((e) => e.path.endsWith('dovecot-uidlist'))).toBe(false);
}

describe('sources that are not plain readable files', () => {
  it('CLI as a user permissions apply to: skips, counts and names each; imports the rest; never hangs', () => {
    const ws = path.join(dir, 'cli.synclens');
    const t0 = Date.now();
    const res = runCliRestricted(['import', root, fifo, '/dev/null', '/dev/zero', '--workspace', ws, '--mailbox', 'alice@contoso.com', '--json'], { unprivileged: true });
    expect(res.signal, res.stderr).toBeNull();
    expect(res.status, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout) as ImportSummary;
    expect(s.counts).toMatchObject({ imported: 3, quarantined: 0 });
    expectSkipped(s, true);
    recordFigures('notRegularSources', { skipped: s.skippedCount, imported: s.counts.imported, ms: Date.now() - t0 });
  }, 120_000);

  it('the text summary names each skipped path and says how many', () => {
    const ws = path.join(dir, 'cli-text.synclens');
    const res = runCliRestricted(['import', root, '/dev/zero', '--workspace', ws, '--mailbox', 'alice@contoso.com'], { unprivileged: true });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/skipped\s+10 \(found, not imported\)/);
    expect(res.stdout).toContain(`! ${path.join(root, 'caf\\xE9.eml')}: file name is not valid UTF-8`);
    expect(res.stdout).toContain('! /dev/zero: a character device, not a regular file');
  }, 120_000);

  it('in process: the same, with every good message imported', async () => {
    const ws = openWorkspace(path.join(dir, 'inproc.synclens'));
    try {
      const s = await importPaths(ws, [root, fifo, '/dev/null', '/dev/zero'], { mailbox: 'alice@contoso.com' });
      // Root reads everything whatever its mode, so in this process the two unreadable entries are read
      // (two more messages) when the suite runs as root; the CLI test above covers them as a plain user.
      const isRoot = process.getuid?.() === 0;
      expectSkipped(s, !isRoot);
      const ids = ws.db.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all();
      expect(ids).toEqual(['<hostile-501@example.com>', ...(isRoot ? ['<hostile-504@example.com>', '<hostile-505@example.com>'] : []),
        '<hostile-506@example.com>', '<hostile-508@example.com>']);
      expect(s.counts).toMatchObject({ imported: ids.length, quarantined: 0 });
    } finally {
      ws.close();
    }
  }, 60_000);
});
