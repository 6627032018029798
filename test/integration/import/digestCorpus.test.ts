// Importing the MimeKit corpus digest (a message/rfc822 wrapper around a multipart/digest of two messages,
// RFC 2046 §5.1.5): the wrapped message and both digest messages are stored as inner messages linked to
// their parents, with their own subjects. The corpus is read in place from the shared folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../core/node/import/importer.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { sharedPath } from '../../support/shared.js';

const corpusFile = sharedPath('corpora/jstedfast__MimeKit/UnitTests/TestData/messages/multipart-digest.txt', 'the digest import test') ?? '';
const present = corpusFile !== '';

describe('import of multipart-digest.txt', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-digest-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(!present)('links the wrapped message and the two digest messages under it', async () => {
    const ws = openWorkspace(path.join(tmp, 'w.synclens'));
    try {
      const s = await importPaths(ws, [corpusFile], { mailbox: 'digest@example.com' });
      expect(s.counts).toMatchObject({ imported: 1, quarantined: 0, inner: 3 });
      const rows = ws.db.prepare("SELECT id, parent_id AS parent, inner_path AS path, subject, status FROM messages ORDER BY id").all() as
        Array<{ id: number; parent: number | null; path: string | null; subject: string; status: string }>;
      const top = rows.find((r) => r.parent === null);
      const wrapped = rows.find((r) => r.parent === top?.id);
      expect(wrapped).toMatchObject({ path: '1', subject: 'submsg', status: 'ok' });
      const digest = rows.filter((r) => r.parent === wrapped?.id).map((r) => [r.path, r.subject, r.status]);
      expect(digest).toEqual([['1', 'm1', 'ok'], ['2', 'm2', 'ok']]);
    } finally {
      ws.close();
    }
  });
});
