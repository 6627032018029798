// Crash safety (issue 6): the CLI import and replay run in child processes and are killed with SIGKILL at
// random (seeded) moments, again and again on the same workspace. After every kill the workspace must open,
// pass PRAGMA integrity_check and hold only whole messages and whole runs; at the end, re-running the same
// import completes it, with every source message stored exactly once and no byte of any message lost.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMbox } from '../support/generateMailbox.js';
import { prng } from '../support/hostile.js';
import { readMbox, unquoteMbox } from '../../core/node/import/mbox.js';
import { checkWorkspace, sha256 } from './support/invariants.js';
import { CLI, LONG, MODE, recordFigures, removeDir, runTsx, spawnTsx, tempDir } from './support/env.js';

const KILLS = LONG ? 50 : 5;
const MBOX_BYTES = LONG ? 20 * 1024 * 1024 : 5 * 1024 * 1024;
const FORWARDS = LONG ? 500 : 50;

let dir: string;
let sources: string[];
/** SHA-256 → byte length of every message in the sources, computed here independently of the importer. */
const expected = new Map<string, number>();

function forwardMessage(i: number): string {
  const inner = `From: inner${i}@example.com\r\nTo: alice@contoso.com\r\nSubject: original ${i}\r\nMessage-ID: <inner-${i}@example.com>\r\n` +
    `Date: Mon, 2 Mar 2026 09:00:00 +0000\r\n\r\noriginal body ${i}\r\n`;
  return `From: fwd${i}@example.com\r\nTo: alice@contoso.com\r\nSubject: FW: original ${i}\r\nMessage-ID: <fwd-${i}@example.com>\r\n` +
    `Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="fw"\r\n\r\n` +
    `--fw\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--fw\r\nContent-Type: message/rfc822\r\n\r\n${inner}\r\n--fw--\r\n`;
}

function importArgs(ws: string): string[] {
  return ['import', ...sources, '--workspace', ws, '--mailbox', 'alice@contoso.com', '--json'];
}

/** Runs the CLI and SIGKILLs it after `delayMs`; resolves with how it ended. */
function runAndKill(args: string[], delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawnTsx(CLI, args);
    child.stdout?.resume();
    child.stderr?.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

beforeAll(async () => {
  dir = tempDir('crash');
  const mbox = path.join(dir, 'src', 'archive.mbox');
  const emls = path.join(dir, 'src', 'forwards');
  fs.mkdirSync(emls, { recursive: true });
  await writeMbox(mbox, { seed: 66, targetBytes: MBOX_BYTES });
  for (let i = 0; i < FORWARDS; i++) fs.writeFileSync(path.join(emls, `fw${String(i).padStart(4, '0')}.eml`), forwardMessage(i));
  sources = [mbox, emls];
  for await (const m of readMbox(mbox)) expected.set(sha256(unquoteMbox(m.bytes)), m.length);
  for (const f of fs.readdirSync(emls)) {
    const b = fs.readFileSync(path.join(emls, f));
    expected.set(sha256(b), b.length);
  }
}, 600_000);

afterAll(() => {
  if (dir) removeDir(dir);
});

describe(`SIGKILL during import and replay (${MODE} mode: ${KILLS} kills)`, () => {
  it('leaves a whole workspace after every kill, and a re-run completes the import without duplicates or lost bytes', async () => {
    // Calibrate: how long a full import takes here, so kill times spread over the whole run.
    const calibration = path.join(dir, 'calibration.synclens');
    const rand = prng(2026);
    const t0 = Date.now();
    const full = runTsx(CLI, importArgs(calibration));
    const fullMs = Date.now() - t0;
    expect(full.status, full.stderr).toBe(0);
    const summary = JSON.parse(full.stdout) as { counts: { imported: number; quarantined: number } };
    expect(summary.counts.imported).toBe(expected.size);
    const r0 = Date.now();
    const fullReplay = runTsx(CLI, ['replay', '--workspace', calibration]);
    const replayMs = Date.now() - r0;
    expect(fullReplay.status, fullReplay.stderr).toBe(0);
    // Start-up (tsx + CLI) before any work: kills are spread over the working part of each run.
    const s0 = Date.now();
    runTsx(CLI, ['import']);
    const startupMs = Date.now() - s0;
    const killAt = (total: number): number => Math.round(startupMs * 0.9 + rand() * Math.max(200, total - startupMs * 0.9));

    // Runs continue on the same workspace until one finishes before its kill; then the next runs start on a
    // fresh workspace (a finished import re-runs in a blink and could not be killed mid-way). Loop until KILLS
    // runs were really killed.
    const workspaces: string[] = [];
    const nextWorkspace = (): string => {
      const file = path.join(dir, `crash-${workspaces.length}.synclens`);
      workspaces.push(file);
      return file;
    };
    let ws = nextWorkspace();
    let killedImports = 0;
    let killedReplays = 0;
    let finished = 0;
    for (let i = 0; killedImports + killedReplays < KILLS && i < KILLS * 4; i++) {
      // Every third run kills a replay of the fully imported calibration workspace; the others an import.
      const doReplay = i % 3 === 2;
      const target = doReplay ? calibration : ws;
      const delay = killAt(doReplay ? replayMs : fullMs);
      const r = await runAndKill(doReplay ? ['replay', '--workspace', target] : importArgs(target), delay);
      if (r.killed) {
        if (doReplay) killedReplays++;
        else killedImports++;
      } else finished++;
      if (fs.existsSync(target)) {
        const check = checkWorkspace(target);
        expect(check.problems, `after run ${i + 1} (${doReplay ? 'replay' : 'import'} ${r.killed ? `killed at ${delay} ms` : 'finished'})`).toEqual([]);
      }
      if (!r.killed && !doReplay) ws = nextWorkspace();
    }
    expect(killedImports + killedReplays).toBe(KILLS);

    // Re-run the same import on every workspace the loop touched: it completes what the killed runs left,
    // storing nothing twice, and a second re-run finds everything already there.
    const Database = (await import('better-sqlite3')).default;
    let bytesLost = 0;
    for (const [k, file] of workspaces.entries()) {
      if (!fs.existsSync(file)) continue; // the loop ended before this one was started
      const rerun = runTsx(CLI, importArgs(file));
      expect(rerun.status, rerun.stderr).toBe(0);
      if (k === 0) {
        // A second re-run of the most-killed workspace finds everything already there.
        const again = runTsx(CLI, importArgs(file));
        expect(again.status, again.stderr).toBe(0);
        const againSummary = JSON.parse(again.stdout) as { counts: { imported: number; duplicate: number } };
        expect(againSummary.counts.imported).toBe(0);
        expect(againSummary.counts.duplicate).toBe(expected.size);
      }
      const check = checkWorkspace(file);
      expect(check.problems).toEqual([]);
      expect(check.messages).toBe(expected.size);
      expect(check.inner).toBe(FORWARDS);
      // Bytes lost: every source message (by content hash) is stored whole in the workspace.
      const db = new Database(file, { readonly: true });
      const stored = new Set(db.prepare("SELECT sha256 FROM messages WHERE parent_id IS NULL AND status = 'ok'").pluck().all() as string[]);
      db.close();
      for (const [hash, length] of expected) if (!stored.has(hash)) bytesLost += length;
    }
    expect(bytesLost).toBe(0);
    const runs = checkWorkspace(calibration);
    expect(runs.problems).toEqual([]);
    expect(runs.runs).toBeGreaterThanOrEqual(1);
    recordFigures('crash', {
      kills: KILLS, killedImports, killedReplays, finishedBeforeKill: finished, workspaces: workspaces.length, messages: expected.size,
      sourceMB: Math.round(MBOX_BYTES / 1048576), fullImportMs: fullMs, fullReplayMs: replayMs, startupMs, completedRuns: runs.runs, bytesLost,
    });
  }, 3_600_000);
});
