// All messages of ../shared/corpora (1,356 listed in FEATURES.tsv): each one is imported or quarantined with a
// reason (or recognised as a byte-identical duplicate of one already imported), none crashes the import, and
// counts add up. The corpus is never copied; it is read in place.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { sharedPath } from '../support/shared.js';

const found = sharedPath('corpora/FEATURES.tsv', 'corpora tests');
const corpora = found ? path.dirname(found) : '';
const present = found !== null;

interface Row { source: string; file: string; index: number | null; messageId: string }

function features(): Row[] {
  const lines = fs.readFileSync(path.join(corpora, 'FEATURES.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => {
    const [source, file, , messageId] = l.split('\t');
    const m = /^(.*)#(\d+)$/.exec(file as string);
    return { source: source as string, file: m ? (m[1] as string) : (file as string), index: m ? Number(m[2]) : null, messageId: messageId ?? '' };
  });
}

/** Independent count of messages in an mbox: lines that start with "From " (the mbox definition). */
function countFromLines(file: string): number {
  return fs.readFileSync(file, 'latin1').split('\n').filter((l) => l.startsWith('From ')).length;
}

describe('shared corpora', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-corpora-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(!present)('imports every corpus message or quarantines it with a reason; counts add up; a second import adds nothing', async () => {
    const rows = features();
    expect(rows).toHaveLength(1356);
    const files = [...new Set(rows.map((r) => path.join(corpora, r.source, r.file)))];
    let expected = 0;
    for (const f of files) {
      const isMbox = fs.readFileSync(f).subarray(0, 5).toString('latin1') === 'From ';
      expected += isMbox ? countFromLines(f) : 1;
    }
    // FEATURES.tsv lists MimeKit's issue1189.mbox.txt as one message; the file holds four "From "-separated
    // messages, so the independent count is 1,359.
    expect(expected).toBe(1359);

    const ws = openWorkspace(path.join(tmp, 'corpora.synclens'));
    const s = await importPaths(ws, files, { mailbox: 'corpus@example.com' });
    expect(s.cancelled).toBe(false);
    expect(s.total).toBe(expected);
    expect(s.counts.imported + s.counts.quarantined + s.counts.duplicate).toBe(expected);
    for (const q of s.quarantined) expect(q.reason.length).toBeGreaterThan(5);
    console.log(`corpora: ${s.total} messages in ${files.length} files → ${JSON.stringify(s.counts)}`);

    // Rows in the workspace match the summary; duplicates are byte-identical to an imported row (same SHA-256).
    const n = ws.db.prepare('SELECT status, COUNT(*) AS n FROM messages WHERE parent_id IS NULL GROUP BY status').all() as Array<{ status: string; n: number }>;
    const by = Object.fromEntries(n.map((r) => [r.status, r.n]));
    expect(by.ok ?? 0).toBe(s.counts.imported);
    expect(by.quarantined ?? 0).toBe(s.counts.quarantined);
    expect(ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NOT NULL').pluck().get()).toBe(s.counts.inner);

    // Every Message-ID FEATURES.tsv names is found on an imported row.
    const ids = new Set(ws.db.prepare("SELECT message_id FROM messages WHERE status = 'ok' AND parent_id IS NULL AND message_id IS NOT NULL").pluck().all() as string[]);
    const missing = rows.filter((r) => r.messageId.startsWith('<') && r.messageId.endsWith('>') && !ids.has(r.messageId.replace(/\s+/g, '')));
    expect(missing.map((r) => `${r.source}/${r.file}`)).toEqual([]);

    // Known features: PEC envelopes and receipts, S/MIME and inner messages are recognised.
    const flags = ws.db.prepare('SELECT SUM(flag_pec) AS pec, SUM(flag_pec_receipt) AS receipt, SUM(flag_smime_signed) AS signed, SUM(flag_smime_encrypted) AS enc, SUM(flag_auto_reply) AS auto FROM messages WHERE parent_id IS NULL').get() as Record<string, number>;
    expect(flags.pec).toBeGreaterThanOrEqual(6); // OCA 5 + go-pec 1 envelopes (INDEX.md)
    expect(flags.receipt).toBeGreaterThanOrEqual(7); // OCA 2 + go-pec 3 + biagioT 2
    expect(flags.signed).toBeGreaterThan(10);
    expect(flags.enc).toBeGreaterThan(5);
    expect(flags.auto).toBeGreaterThan(300);

    const again = await importPaths(ws, files, { mailbox: 'corpus@example.com' });
    expect(again.counts).toEqual({ imported: 0, duplicate: expected, quarantined: 0, inner: 0 });
    ws.close();
  });
});
