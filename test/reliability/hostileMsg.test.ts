// Crafted Outlook .msg files (issue 12 item 1): compound files of 2.5 KB whose chains loop, whose directory
// tree loops, or whose streams claim 2 GB. Imported in one run (in a child process, so a parse that ran away
// would show as a timeout or a dead process, not hang the runner), each is quarantined with its problem
// named, and the good files after them are imported. The second line of defence is tested on its own: with
// the structural check turned off, the worker's heap and time limits stop every file, the process lives on,
// and a cancel stops a parse at once.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileMsgFiles, baseHeaders } from '../support/hostile.js';
import { MsgParseCancelled, MsgParser } from '../../core/node/import/msgParser.js';
import { importPaths } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import type { ChildReport } from './support/importChild.js';
import { recordFigures, removeDir, runTsx, tempDir } from './support/env.js';

const files = hostileMsgFiles();
let dir: string;
let inputs: string;

beforeAll(() => {
  dir = tempDir('hostile-msg');
  inputs = path.join(dir, 'inputs');
  fs.mkdirSync(inputs);
  files.forEach((m, i) => fs.writeFileSync(path.join(inputs, `${String(i).padStart(2, '0')}-${m.name}.msg`), m.bytes));
  // A plain message after all of them: the import must reach it.
  fs.writeFileSync(path.join(inputs, 'zz-after.eml'), `${baseHeaders(950)}\r\n\r\nafter the crafted files\r\n`);
});

afterAll(() => {
  if (dir) removeDir(dir);
});

describe('crafted .msg files', () => {
  it('are each quarantined with the problem named; the files after them are imported', () => {
    const wsFile = path.join(dir, 'msg.synclens');
    const t0 = Date.now();
    const res = runTsx(path.join(import.meta.dirname, 'support', 'importChild.ts'), [wsFile, 'alice@contoso.com', inputs], { timeoutMs: 120_000 });
    const ms = Date.now() - t0;
    expect(res.signal, `the import was killed (${res.signal}): ${res.stderr.slice(0, 500)}`).toBeNull();
    expect(res.status, res.stderr.slice(0, 2000)).toBe(0);
    const report = JSON.parse(res.stdout) as ChildReport;
    const bad = files.filter((m) => m.problem);
    expect(report.summary.counts).toMatchObject({ imported: 2, quarantined: bad.length });
    for (const m of bad) {
      const note = report.summary.quarantined.find((q) => path.basename(q.file).endsWith(`-${m.name}.msg`));
      expect(note?.reason, m.description).toMatch(/^Outlook \.msg could not be read: /);
      expect(note?.reason).toMatch(m.problem as RegExp);
    }
    const slowest = Math.max(...Object.entries(report.files).filter(([f]) => f.endsWith('.msg')).map(([, s]) => s.maxMs));
    recordFigures('hostileMsg', { files: files.length, crafted: bad.length, quarantined: report.summary.counts.quarantined,
      peakRssMB: Math.round(report.maxRssMB), slowestMsgMs: Math.round(slowest), wallMs: ms });
    expect(report.maxRssMB).toBeLessThan(300);
  }, 150_000);
});

describe('the .msg reader thread, without the structural check', () => {
  const looping = files.filter((m) => /loop/.test(m.name));

  it('stops every runaway parse by its heap or time limit, and reads a good file next with a fresh thread', async () => {
    const parser = new MsgParser({ checkStructure: false, timeoutMs: 1000, maxHeapMb: 64 });
    try {
      for (const m of looping) {
        const t0 = Date.now();
        const r = await parser.parse(m.bytes).then(() => null, (e: unknown) => e as Error);
        // Some of these msgreader survives (it gives up on its own); the others must be stopped by a limit.
        if (r) expect(r.message, m.name).toMatch(/more than the 64 MB of memory allowed|longer than 1 s|call stack|Invalid|out of memory|reader failed|reader stopped/i);
        expect(Date.now() - t0, m.name).toBeLessThan(10_000);
      }
      const good = files.find((m) => m.problem === null);
      const parsed = await parser.parse(good?.bytes as Buffer);
      expect(parsed.messageId).toBe('<crafted-msg-901@example.com>');
    } finally {
      await parser.close();
    }
  }, 120_000);

  it('is cancelled at once by the abort signal', async () => {
    const parser = new MsgParser({ checkStructure: false, timeoutMs: 60_000, maxHeapMb: 1024 });
    try {
      const m = files.find((x) => x.name === 'msg-directory-chain-loop');
      await parser.start(); // the parse, not the thread's start-up, is what gets cancelled
      const ctl = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ctl.abort(), 1000);
      const r = await parser.parse(m?.bytes as Buffer, ctl.signal).then(() => null, (e: unknown) => e);
      expect(r).toBeInstanceOf(MsgParseCancelled);
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await parser.close();
    }
  }, 60_000);

  it('keeps the import going: each runaway file is quarantined, the rest imported', async () => {
    const ws = openWorkspace(path.join(dir, 'limits.synclens'));
    try {
      const s = await importPaths(ws, [inputs], { mailbox: 'alice@contoso.com', msg: { checkStructure: false, timeoutMs: 1000, maxHeapMb: 64 } });
      expect(s.total).toBe(files.length + 1);
      const names = new Set(s.quarantined.map((q) => path.basename(q.file)));
      for (const m of looping) {
        // msgreader gives up by itself on some loops (a stack overflow, an index out of range): quarantined too.
        expect(names.has(`${String(files.indexOf(m)).padStart(2, '0')}-${m.name}.msg`), m.name).toBe(true);
      }
      const after = ws.db.prepare("SELECT status FROM messages WHERE message_id = '<hostile-950@example.com>'").pluck().get();
      expect(after).toBe('ok');
    } finally {
      ws.close();
    }
  }, 180_000);
});
