// A workspace from a newer version, a corrupt or truncated workspace, a read-only file or folder, a full
// disk (issue 6): the CLI stops with a message that names the workspace file and the problem, and the file
// is not damaged (byte-identical, or for the full disk: intact with everything imported before).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMbox } from '../support/generateMailbox.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { importPaths } from '../../core/node/import/importer.js';
import { mountTinyTmpfs, removeDir, runCliRestricted, tempDir } from './support/env.js';

let dir: string;
let small: string;
let big: string;
let good: string;

function hashFile(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function importArgs(ws: string, src = small): string[] {
  return ['import', src, '--workspace', ws, '--mailbox', 'alice@contoso.com'];
}

beforeAll(async () => {
  dir = tempDir('wserr');
  // The unprivileged child must reach the files.
  fs.chmodSync(dir, 0o755);
  small = path.join(dir, 'small.mbox');
  big = path.join(dir, 'big.mbox');
  await writeMbox(small, { seed: 5, messages: 40 });
  await writeMbox(big, { seed: 8, targetBytes: 6 * 1024 * 1024 });
  good = path.join(dir, 'good.synclens');
  const ws = openWorkspace(good);
  try {
    await importPaths(ws, [small], { mailbox: 'alice@contoso.com' });
  } finally {
    ws.close();
  }
}, 120_000);

afterAll(() => {
  if (dir) removeDir(dir);
});

/** Copies the good workspace to `name` (inside `sub` when given) and returns its path. */
function copyOfGood(name: string, sub?: string): string {
  const d = sub ? path.join(dir, sub) : dir;
  fs.mkdirSync(d, { recursive: true });
  const p = path.join(d, name);
  fs.copyFileSync(good, p);
  return p;
}

/** Runs import and replay against `file`; both must fail naming the file and matching `problem`; the file must not change. */
function expectRefusedUnchanged(file: string, problem: RegExp, opts: { unprivileged?: boolean } = {}): void {
  const before = hashFile(file);
  const mtime = fs.statSync(file).mtimeMs;
  for (const args of [importArgs(file), ['replay', '--workspace', file]]) {
    const r = runCliRestricted(args, opts);
    expect(r.status, `${args[0]}: ${r.stdout}`).not.toBe(0);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(problem);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }
  expect(hashFile(file)).toBe(before);
  expect(fs.statSync(file).mtimeMs).toBe(mtime);
  for (const side of ['-wal', '-shm', '-journal']) {
    if (fs.existsSync(file + side)) expect(fs.statSync(file + side).size, `${side} left behind`).toBe(0);
  }
}

describe('workspace problems give a clear message and leave the file as it was', () => {
  it('a workspace written by a newer SyncLens', () => {
    const file = copyOfGood('future.synclens');
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'from-the-future', new Date().toISOString());
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expectRefusedUnchanged(file, /newer SyncLens.*update SyncLens/);
  });

  it('a corrupt workspace (random bytes)', () => {
    const file = path.join(dir, 'random.synclens');
    fs.writeFileSync(file, crypto.randomBytes(64 * 1024));
    expectRefusedUnchanged(file, /file is not a database/);
  });

  it('a truncated workspace (cut in half)', () => {
    const file = path.join(dir, 'truncated.synclens');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectRefusedUnchanged(file, /malformed|not a database|not a usable workspace/);
  });

  it('a workspace whose pages were overwritten in the middle', () => {
    const file = copyOfGood('scribbled.synclens');
    const fd = fs.openSync(file, 'r+');
    // Page 2 onwards: the schema page (page 1) survives, the tables do not.
    fs.writeSync(fd, crypto.randomBytes(8192), 0, 8192, 4096);
    fs.closeSync(fd);
    expectRefusedUnchanged(file, /malformed|not a database|not a usable workspace/);
  });

  it('a read-only workspace file', () => {
    const file = copyOfGood('readonly.synclens', 'rofile');
    fs.chmodSync(file, 0o444);
    try {
      const r = runCliRestricted(importArgs(file), { unprivileged: true });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/read-?only/i);
      expect(hashFile(file)).toBe(hashFile(good));
    } finally {
      fs.chmodSync(file, 0o644);
    }
  });

  it('a workspace in a read-only folder', () => {
    const file = copyOfGood('w.synclens', 'rodir');
    const folder = path.dirname(file);
    fs.chmodSync(folder, 0o555);
    try {
      const r = runCliRestricted(importArgs(file), { unprivileged: true });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/read-?only/i);
      expect(hashFile(file)).toBe(hashFile(good));
      expect(fs.readdirSync(folder)).toEqual(['w.synclens']);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });

  it('a full disk: the import stops with a clear message; what was imported before is intact', () => {
    const mount = mountTinyTmpfs(path.join(dir, 'tiny'), '1m');
    const where = mount ? mount.dir : path.join(dir, 'ulimit');
    fs.mkdirSync(where, { recursive: true });
    try {
      const file = path.join(where, 'full.synclens');
      fs.copyFileSync(good, file);
      const keep = new Database(file, { readonly: true });
      const before = keep.prepare('SELECT sha256 FROM messages ORDER BY id').pluck().all();
      keep.close();
      // Without a tmpfs: files may not grow past 1 MB (ulimit -f), which fails writes the same way.
      const r = runCliRestricted(importArgs(file, big), mount ? {} : { fileSizeLimitKB: 1024 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/disk is full|could not be written/);
      expect(r.stderr).toMatch(/Messages imported before this point are kept/);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const after = db.prepare('SELECT sha256 FROM messages ORDER BY id').pluck().all();
        // Everything from before is still there; whatever the failed run committed is whole (checked by hash in the crash suite).
        expect(after.slice(0, before.length)).toEqual(before);
      } finally {
        db.close();
      }
    } finally {
      mount?.unmount();
    }
  });
});
