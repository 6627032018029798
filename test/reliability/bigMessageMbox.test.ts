// One 405 MB message inside an mbox (issue 12 item 10): the splitter joined its whole buffer with every 1 MB
// chunk (55 s, 1.34 GB) before the 150 MB per-message limit applied. The limit now applies while streaming:
// the message is quarantined with its size and place, its bytes are never held past the limit, the messages
// around it are imported byte for byte, and the import's peak RSS stays under the 300 MB the bench targets.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseHeaders, streamFile } from '../support/hostile.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { getMessageBytes } from '../../core/node/mailparse.js';
import type { ChildReport } from './support/importChild.js';
import { recordFigures, removeDir, runTsx, tempDir } from './support/env.js';

const BIG_BYTES = 405 * 1024 * 1024;
const LIMIT = 150 * 1024 * 1024; // README: "150 MB per message"

let dir: string;
let mbox: string;
let bigOffset = 0;
let bigLength = 0;
let afterOffset = 0;

const before = `From a@example.com Mon Mar  2 10:00:00 2026\n${baseHeaders(601)}\r\n\r\nbefore the big one\r\n\n`;
const after = `${baseHeaders(603)}\r\n\r\nafter the big one\r\n`;

beforeAll(async () => {
  dir = tempDir('big-message');
  mbox = path.join(dir, 'one-big.mbox');
  const head = `From b@example.com Mon Mar  2 10:00:00 2026\n${baseHeaders(602, ['MIME-Version: 1.0', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'])}\r\n\r\n`;
  const line = `${'QUJD'.repeat(19)}\r\n`; // 78 bytes
  const block = line.repeat(13_000); // about 1 MB
  bigOffset = Buffer.byteLength(before) + head.indexOf('\n') + 1;
  await streamFile(mbox, BIG_BYTES, (i) => (i === 0 ? before + head : block));
  const size = fs.statSync(mbox).size;
  bigLength = size - bigOffset;
  const tail = `\nFrom c@example.com Mon Mar  2 10:00:00 2026\n`;
  fs.appendFileSync(mbox, tail + after);
  afterOffset = size + tail.length;
}, 300_000);

afterAll(() => {
  if (dir) removeDir(dir);
});

describe('a 405 MB message inside an mbox', () => {
  it('is quarantined by the 150 MB limit while streaming; the others are imported; RSS stays under 300 MB', () => {
    const wsFile = path.join(dir, 'w.synclens');
    const t0 = Date.now();
    const res = runTsx(path.join(import.meta.dirname, 'support', 'importChild.ts'), [wsFile, 'alice@contoso.com', mbox], { timeoutMs: 300_000 });
    const ms = Date.now() - t0;
    expect(res.status, res.stderr.slice(0, 1000)).toBe(0);
    const report = JSON.parse(res.stdout) as ChildReport;
    expect(report.summary.counts).toMatchObject({ imported: 2, quarantined: 1 });
    const q = report.summary.quarantined[0];
    expect(q).toMatchObject({ file: mbox, offset: bigOffset, length: bigLength });
    expect(q?.reason).toBe(`message of ${bigLength} bytes exceeds the ${LIMIT}-byte (150 MB) limit per message; it was not read`);
    recordFigures('bigMessageMbox', { messageMB: Math.round(bigLength / 1048576), peakRssMB: Math.round(report.maxRssMB), importMs: ms });
    expect(report.maxRssMB).toBeLessThan(300);
    const ws = openWorkspace(wsFile, { create: false });
    try {
      const rows = ws.db.prepare('SELECT id, source_offset, message_id FROM messages WHERE status = ? ORDER BY source_offset').all('ok') as Array<{ id: number; source_offset: number; message_id: string }>;
      expect(rows.map((r) => r.message_id)).toEqual(['<hostile-601@example.com>', '<hostile-603@example.com>']);
      expect(rows[1]?.source_offset).toBe(afterOffset);
      expect(getMessageBytes(ws, rows[1]?.id as number).toString('latin1')).toBe(after);
    } finally {
      ws.close();
    }
  }, 400_000);
});
