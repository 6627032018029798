// A workspace path that is not a regular file (issue 12 item 15): /dev/null, a FIFO, a folder. Each is refused
// with a message naming the path and what it is, before SQLite opens it, so nothing is created beside it
// (SQLite opening /dev/null left /dev/null-journal behind) and a FIFO does not block the open.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { WorkspaceError } from '../../core/node/workspace/errors.js';
import { CLI, removeDir, runTsx, tempDir } from './support/env.js';

let dir: string;

beforeAll(() => {
  dir = tempDir('ws-not-regular');
  // A journal left by an earlier, unfixed run would hide the one this test looks for.
  for (const s of ['-journal', '-wal', '-shm']) {
    const p = `/dev/null${s}`;
    if (fs.existsSync(p) && fs.lstatSync(p).isFile()) fs.unlinkSync(p);
  }
});

afterAll(() => {
  if (dir) removeDir(dir);
});

function refusal(file: string): WorkspaceError {
  try {
    openWorkspace(file).close();
  } catch (err) {
    return err as WorkspaceError;
  }
  throw new Error(`${file} was opened as a workspace`);
}

describe('a workspace path that is not a regular file', () => {
  it('/dev/null is refused, and nothing is created beside it', () => {
    const err = refusal('/dev/null');
    expect(err).toBeInstanceOf(WorkspaceError);
    expect(err.message).toBe('/dev/null: is a character device, not a workspace file; give the path of a workspace file (or of a new file to create one)');
    for (const s of ['-journal', '-wal', '-shm']) expect(fs.existsSync(`/dev/null${s}`), `/dev/null${s}`).toBe(false);
  });

  it('a FIFO is refused at once (the open does not block)', () => {
    const fifo = path.join(dir, 'ws.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const t0 = Date.now();
    expect(refusal(fifo).message).toMatch(/is a named pipe \(FIFO\), not a workspace file/);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(fs.readdirSync(dir)).toEqual(['ws.fifo']);
  });

  it('a folder is refused', () => {
    const sub = path.join(dir, 'folder.synclens');
    fs.mkdirSync(sub);
    expect(refusal(sub).message).toMatch(/is a folder, not a workspace file/);
    expect(fs.readdirSync(sub)).toEqual([]);
  });

  it('the CLI says so and exits 1', () => {
    const mail = path.join(dir, 'm.eml');
    fs.writeFileSync(mail, 'From: a@example.com\r\nMessage-ID: <a@example.com>\r\n\r\nx\r\n');
    const res = runTsx(CLI, ['import', mail, '--workspace', '/dev/null', '--mailbox', 'a@example.com'], { timeoutMs: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/\/dev\/null: is a character device, not a workspace file/);
    expect(fs.existsSync('/dev/null-journal')).toBe(false);
  }, 60_000);
});
