// Several imports into one workspace at once (issue 12 item 5): with a plain BEGIN the import read (its
// duplicate check) before it wrote, and SQLite refuses that upgrade at once with SQLITE_BUSY when another
// connection committed meanwhile, without waiting (8 of 19 runs failed). Writers now take the write lock up
// front and wait for it. Three processes import 20,000 messages each into one workspace, several rounds:
// every one finishes, every message is stored once, the workspace is intact.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMbox } from '../support/generateMailbox.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { LONG, recordFigures, removeDir, spawnTsx, tempDir } from './support/env.js';

const IMPORTERS = 3;
const MESSAGES = 20_000;
const ROUNDS = LONG ? 10 : 3;

let dir: string;
const mboxes: string[] = [];

beforeAll(async () => {
  dir = tempDir('concurrent');
  for (let i = 0; i < IMPORTERS; i++) {
    const file = path.join(dir, `m${i}.mbox`);
    await writeMbox(file, { seed: 100 + i * 7919, messages: MESSAGES, fromLines: true });
    mboxes.push(file);
  }
}, 300_000);

afterAll(() => {
  if (dir) removeDir(dir);
});

function run(wsFile: string, mailbox: string, mbox: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  const child = spawnTsx(path.join(import.meta.dirname, 'support', 'importChild.ts'), [wsFile, mailbox, mbox]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout?.resume();
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - t0 })));
}

describe('imports into one workspace at once', () => {
  it(`${IMPORTERS} concurrent imports of ${MESSAGES} messages each all finish, ${ROUNDS} rounds`, async () => {
    const slowest: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const wsFile = path.join(dir, `ws-${round}.synclens`);
      // Created first so that every importer opens an existing, migrated workspace.
      openWorkspace(wsFile).close();
      const results = await Promise.all(mboxes.map((m, i) => run(wsFile, `box${i}@contoso.com`, m)));
      results.forEach((r, i) => expect(r.code, `round ${round}, importer ${i}: ${r.stderr.slice(0, 800)}`).toBe(0));
      slowest.push(Math.max(...results.map((r) => r.ms)));
      const ws = openWorkspace(wsFile, { create: false });
      try {
        expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const perBox = ws.db.prepare(`SELECT b.address AS a, COUNT(*) AS n FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
          WHERE m.parent_id IS NULL GROUP BY b.address ORDER BY b.address`).all() as Array<{ a: string; n: number }>;
        expect(perBox).toEqual(mboxes.map((_, i) => ({ a: `box${i}@contoso.com`, n: MESSAGES })));
      } finally {
        ws.close();
      }
    }
    recordFigures('concurrentImport', { importers: IMPORTERS, messagesEach: MESSAGES, rounds: ROUNDS, slowestImportMs: Math.max(...slowest) });
  }, 900_000);
});
