// Opening a workspace that cannot be written (issue 6): a read-only workspace file, a workspace in a
// read-only folder, a new workspace in a read-only folder, a workspace on a read-only file system. The
// WorkspaceError names the file, says which of the file or its folder is read-only and what to do, instead
// of SQLite's "attempt to write a readonly database"; the file is left as it was. Root ignores chmod, so
// as root the probe runs as user nobody (setpriv), like test/reliability/workspaceErrors.test.ts does.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { WorkspaceError } from '../../../core/node/workspace/errors.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const PROBE = path.join(import.meta.dirname, 'openProbe.ts');
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

interface ProbeResult { ok: boolean; name?: string; code?: string; message?: string }

/** Opens `file` in a child process as a user file permissions apply to. */
function probe(file: string, mode: 'existing' | 'create'): ProbeResult {
  const cmd = [...(IS_ROOT ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []), process.execPath, TSX, PROBE, file, mode];
  const r = spawnSync(cmd[0] as string, cmd.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: os.tmpdir() } });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`the probe printed no result (status ${r.status}): ${r.stderr}`);
  return JSON.parse(line) as ProbeResult;
}

function hash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

let dir: string;
let good: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-rows-'));
  // The unprivileged probe must reach the files.
  fs.chmodSync(dir, 0o755);
  good = path.join(dir, 'good.synclens');
  openWorkspace(good).close();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the good workspace in its own folder, both writable by anyone until the test restricts them. */
function copyOfGood(sub: string): string {
  const d = path.join(dir, sub);
  fs.mkdirSync(d, { mode: 0o777 });
  fs.chmodSync(d, 0o777);
  const file = path.join(d, 'w.synclens');
  fs.copyFileSync(good, file);
  fs.chmodSync(file, 0o666);
  return file;
}

describe('a workspace that cannot be written', () => {
  it('the probe can open a writable copy (the setup itself is not what fails)', () => {
    expect(probe(copyOfGood('writable'), 'existing')).toEqual({ ok: true });
  });

  it('a read-only workspace file: names the file, says the file is read-only and what to do; the file is unchanged', () => {
    const file = copyOfGood('rofile');
    fs.chmodSync(file, 0o444);
    const before = hash(file);
    const r = probe(file, 'existing');
    expect(r).toMatchObject({ ok: false, name: 'WorkspaceError', code: 'OPEN_FAILED' });
    expect(r.message).toContain(file);
    expect(r.message).toMatch(/the workspace file is read-only/);
    expect(r.message).toMatch(/make it writable .* or copy the workspace to a folder you can write to/);
    expect(r.message).not.toMatch(/attempt to write a readonly database/);
    expect(hash(file)).toBe(before);
  });

  it('a workspace in a read-only folder: names the file and the folder; nothing is created beside it', () => {
    const file = copyOfGood('rodir');
    const folder = path.dirname(file);
    fs.chmodSync(folder, 0o555);
    try {
      const before = hash(file);
      const r = probe(file, 'existing');
      expect(r).toMatchObject({ ok: false, name: 'WorkspaceError', code: 'OPEN_FAILED' });
      expect(r.message).toContain(file);
      expect(r.message).toContain(`its folder ${folder} is read-only`);
      expect(r.message).toMatch(/-wal and -shm/);
      expect(hash(file)).toBe(before);
      expect(fs.readdirSync(folder)).toEqual(['w.synclens']);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });

  it('a new workspace in a read-only folder: says the folder is read-only, creates nothing', () => {
    const folder = path.join(dir, 'rodir-new');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o555);
    try {
      const file = path.join(folder, 'new.synclens');
      const r = probe(file, 'create');
      expect(r).toMatchObject({ ok: false, name: 'WorkspaceError', code: 'OPEN_FAILED' });
      expect(r.message).toContain(file);
      expect(r.message).toContain(`its folder ${folder} is read-only`);
      expect(fs.readdirSync(folder)).toEqual([]);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });

  it('a missing folder is not called read-only: SQLite\'s own reason stays', () => {
    const file = path.join(dir, 'no-such-folder', 'w.synclens');
    let err: unknown;
    try {
      openWorkspace(file).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toMatch(/read-only/);
  });
});

// A read-only file system needs a mount (root in a VM or container): as root, a tmpfs holding a workspace,
// remounted read-only. Made while the tests are collected, so it has its own folder.
function mountReadOnlyWorkspace(): { file: string; unmount: () => void } | null {
  if (!IS_ROOT) return null;
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-rofs-'));
  const cleanup = (): void => { spawnSync('umount', [mnt]); fs.rmSync(mnt, { recursive: true, force: true }); };
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0777', 'tmpfs', mnt]).status !== 0) {
    fs.rmSync(mnt, { recursive: true, force: true });
    return null;
  }
  const file = path.join(mnt, 'w.synclens');
  openWorkspace(file).close();
  if (spawnSync('mount', ['-o', 'remount,ro', mnt]).status !== 0) {
    cleanup();
    return null;
  }
  return { file, unmount: cleanup };
}

describe('a workspace on a read-only file system', () => {
  const ro = mountReadOnlyWorkspace();
  if (!ro) console.warn('SKIPPED the read-only file system test: mounting a tmpfs needs root in a VM or container.');
  afterAll(() => ro?.unmount());

  it.skipIf(!ro)('says the file system is read-only, even to root, and what to do', () => {
    const file = ro!.file;
    let err: unknown;
    try {
      openWorkspace(file, { create: false }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/read-only file system/);
    expect((err as Error).message).toMatch(/copy the workspace to a writable disk/);
  });
});
