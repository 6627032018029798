// Hostile and broken input (issue 6): every case from test/support/hostile.ts is imported in ONE import, in a
// child process (so its peak RSS is measured alone). For each case the import must count the expected
// messages, say what is wrong in a message that names the file (a quarantine reason, or a defect stored on
// the message row of that source file), and spend at most a second on any single message. The other cases
// in the same import prove that one bad file does not stop the rest.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCases, type HostileCase } from '../support/hostile.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { loadReplayInput, saveRun } from '../../core/node/workspace/index.js';
import { getMessageContent } from '../../core/node/mailparse.js';
import { replay } from '../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS } from '../../core/engine/model/settings.js';
import type { ChildReport } from './support/importChild.js';
import { MODE, recordFigures, removeDir, runTsx, tempDir } from './support/env.js';

/** The bound: no single message may stall an import for more than a second. */
const MAX_MS_PER_MESSAGE = 1000;

let dir: string;
let wsFile: string;
let report: ChildReport;
const cases: HostileCase[] = hostileCases(MODE);
const casePaths = new Map<string, string>();
let inputBytes = 0;

function sizeOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0);
}

/** Stats of every file under a case's path (a directory case has many files). */
function statsOf(casePath: string): { messages: number; quarantined: number; maxMs: number } {
  const out = { messages: 0, quarantined: 0, maxMs: 0 };
  for (const [file, s] of Object.entries(report.files)) {
    if (file !== casePath && !file.startsWith(casePath + path.sep)) continue;
    out.messages += s.messages;
    out.quarantined += s.quarantined;
    out.maxMs = Math.max(out.maxMs, s.maxMs);
  }
  return out;
}

let defectsByFile: Map<string, string[]> | null = null;

/** Defects stored with the messages, by source file (read once: the long-mode workspace holds 600,000 rows). */
function storedDefects(): Map<string, string[]> {
  if (defectsByFile) return defectsByFile;
  const ws = openWorkspace(wsFile, { create: false, readonly: true });
  try {
    const map = new Map<string, string[]>();
    const rows = ws.db.prepare(`SELECT s.path AS file, m.defects_json AS d FROM messages m JOIN sources s ON s.id = m.source_id
      WHERE m.defects_json <> '[]'`).iterate() as IterableIterator<{ file: string; d: string }>;
    for (const r of rows) {
      const list = map.get(r.file) ?? [];
      if (list.length < 50) list.push(...(JSON.parse(r.d) as string[]));
      map.set(r.file, list);
    }
    defectsByFile = map;
    return map;
  } finally {
    ws.close();
  }
}

beforeAll(async () => {
  dir = tempDir('hostile');
  const inputs = path.join(dir, 'inputs');
  fs.mkdirSync(inputs);
  for (const c of cases) {
    const p = await c.write(inputs);
    casePaths.set(c.name, p);
    inputBytes += sizeOf(p);
  }
  wsFile = path.join(dir, 'hostile.synclens');
  const res = runTsx(path.join(import.meta.dirname, 'support', 'importChild.ts'), [wsFile, 'alice@contoso.com', ...casePaths.values()]);
  if (res.status !== 0) throw new Error(`import child failed (${res.status} ${res.signal ?? ''}): ${res.stderr}`);
  report = JSON.parse(res.stdout) as ChildReport;
}, 3_600_000);

afterAll(() => {
  if (dir) removeDir(dir);
});

describe(`hostile input (${MODE} mode)`, () => {
  it('completes one import of every case without giving up', () => {
    expect(report.summary.cancelled).toBe(false);
    expect(report.summary.files).toBeGreaterThanOrEqual(cases.length);
    recordFigures('hostile', {
      cases: cases.length,
      files: report.summary.files,
      messages: report.summary.total,
      quarantined: report.summary.counts.quarantined,
      inputMB: Math.round(inputBytes / 1048576),
      peakRssMB: Math.round(report.maxRssMB),
      slowestMessageMs: Math.round(report.slowest[0]?.ms ?? 0),
      slowest: report.slowest.slice(0, 3).map((m) => `${path.basename(m.file)}@${m.offset}: ${Math.round(m.ms)} ms`),
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: counted, reported by file and problem, under a second per message', (_name, c) => {
    const p = casePaths.get(c.name) as string;
    const s = statsOf(p);
    expect(s.messages, `${c.description}: messages counted`).toBe(c.expect.messages);
    if (c.expect.quarantined === 'some') expect(s.quarantined).toBeGreaterThan(0);
    else expect(s.quarantined, `${c.description}: quarantined`).toBe(c.expect.quarantined);
    expect(s.maxMs, `${c.description}: slowest message`).toBeLessThan(MAX_MS_PER_MESSAGE);
    if (c.expect.problem) {
      // The import's own report: a quarantine note that names the file, or defects stored with the message.
      const notes = report.summary.quarantined.filter((q) => q.file === p || q.file.startsWith(p + path.sep)).map((q) => `${q.file}: ${q.reason}`);
      const defects = [...storedDefects().entries()].filter(([file]) => file === p || file.startsWith(p + path.sep))
        .flatMap(([file, ds]) => ds.map((d) => `${file}: ${d}`));
      const said = [...notes, ...defects];
      const match = said.find((m) => c.expect.problem?.test(m));
      expect(match, `${c.description}: expected a message matching ${String(c.expect.problem)}, got ${JSON.stringify(said.slice(0, 5))}`).toBeDefined();
      expect(match?.startsWith(p)).toBe(true);
    }
  });

  it('replays the hostile workspace and shows every small hostile message without throwing', async () => {
    const ws = openWorkspace(wsFile, { create: false });
    try {
      const result = replay({ ...loadReplayInput(ws), settings: DEFAULT_SETTINGS });
      // SSS sees top-level messages only (inner forwards are linked rows, not mailbox items).
      const okRows = ws.db.prepare("SELECT COUNT(*) FROM messages WHERE status = 'ok' AND parent_id IS NULL").pluck().get() as number;
      expect(result.decisions.length).toBe(okRows);
      const runId = saveRun(ws, { settings: DEFAULT_SETTINGS, profileName: null, decisions: result.decisions,
        counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod } });
      expect(runId).toBeGreaterThan(0);
      // Bodies are parsed on demand with mailparser: each small hostile message either shows or fails with an Error.
      const small = ws.db.prepare(`SELECT m.id FROM messages m JOIN sources s ON s.id = m.source_id
        WHERE m.parent_id IS NULL AND m.status = 'ok' AND s.size < 4000000 AND s.path NOT LIKE '%tiny-files%' AND s.path NOT LIKE '%big.mbox'`).pluck().all() as number[];
      expect(small.length).toBeGreaterThan(50);
      for (const id of small) {
        const content = await getMessageContent(ws, id).then((c) => c, (e: unknown) => e);
        if (content instanceof Error) expect(content.message).toMatch(/\S/);
        else expect(content).toHaveProperty('attachments');
      }
    } finally {
      ws.close();
    }
  }, 300_000);
});
