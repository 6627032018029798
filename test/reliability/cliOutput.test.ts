// The command line when it cannot go on (issue 12 item 11): a replay on a full disk and a reader that closes
// the pipe (`| head`). Each ends with one plain sentence (or, for the closed pipe, quietly), never a stack trace.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMbox } from '../support/generateMailbox.js';
import { CLI, removeDir, ROOT, runCliRestricted, runTsx, tempDir } from './support/env.js';

const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
let dir: string;
let ws: string;

beforeAll(async () => {
  dir = tempDir('cliout');
  fs.chmodSync(dir, 0o755);
  const mbox = path.join(dir, 'm.mbox');
  await writeMbox(mbox, { seed: 11, messages: 3000 });
  ws = path.join(dir, 'ws.synclens');
  const r = runTsx(CLI, ['import', mbox, '--workspace', ws, '--mailbox', 'alice@contoso.com']);
  expect(r.status, r.stderr).toBe(0);
}, 300_000);

afterAll(() => removeDir(dir));

describe('command line output when it cannot go on', () => {
  it('replay on a full disk: one sentence naming the workspace, exit 1, the workspace intact and without a half run', () => {
    const runsBefore = countRuns(ws);
    // Writes past 256 KB fail with EFBIG (SIGXFSZ ignored), as on a full disk: the run's decisions do not fit.
    const r = runCliRestricted(['replay', '--workspace', ws], { fileSizeLimitKB: 256 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(ws);
    expect(r.stderr).toMatch(/disk is full/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const db = new Database(ws, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(countRuns(ws)).toBe(runsBefore);
  }, 300_000);

  it('a reader that closes the pipe early (| head) ends the command quietly', () => {
    // 100,000 tokens are megabytes of output: most of it is written after head has gone.
    const node = [process.execPath, TSX, CLI, 'token', 'issue', '--user', '1', '--counter', '0', '--count', '100000'].map((a) => `'${a}'`).join(' ');
    const errFile = path.join(dir, 'stderr.txt');
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${node} 2>'${errFile}' | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(fs.readFileSync(errFile, 'utf8')).toBe('');
    expect(r.stdout.trim()).toBe('status=0');
  }, 120_000);
});

function countRuns(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
  } finally {
    db.close();
  }
}
