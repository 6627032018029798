// A message whose Message-ID, From, Date and Subject come after 20,000 other header fields (issue 12 item 12).
// The parser reads 20,000 fields per message (README, "Limits the parsers apply"): the fields past the limit
// are not seen, so the message is quarantined, and the reason must be the limit that was hit, not "no
// Message-ID" or "not an email message". The quarantined row keeps the parser's defects.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../../core/node/import/importer.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { baseHeaders } from '../../support/hostile.js';
import { tempDir } from './helpers.js';

describe('quarantine reason when a header limit is hit', () => {
  it('names the field limit, and the row keeps its defects', async () => {
    const dir = tempDir();
    const filler = Array.from({ length: 20_000 }, (_, i) => `X-Filler-${i}: ${i}`).join('\r\n');
    fs.writeFileSync(path.join(dir, 'late-ids.eml'), `${filler}\r\n${baseHeaders(77)}\r\n\r\nbody\r\n`);
    // Control: the same fields under the limit import as a message.
    const fewer = Array.from({ length: 100 }, (_, i) => `X-Filler-${i}: ${i}`).join('\r\n');
    fs.writeFileSync(path.join(dir, 'ok.eml'), `${fewer}\r\n${baseHeaders(78)}\r\n\r\nbody\r\n`);
    const ws = openWorkspace(path.join(dir, 'w.synclens'));
    try {
      const s = await importPaths(ws, [dir], { mailbox: 'a@example.com' });
      expect(s.counts).toMatchObject({ imported: 1, quarantined: 1 });
      const reason = s.quarantined[0]?.reason ?? '';
      // 20,000 fillers + the 5 fields of baseHeaders.
      expect(reason).toMatch(/^header limit reached: 20005 header fields, only the first 20000 were read \(the limit on header fields per message\)/);
      expect(reason).not.toMatch(/no Message-ID/);
      const row = ws.db.prepare("SELECT quarantine_reason, defects_json FROM messages WHERE status = 'quarantined'").get() as { quarantine_reason: string; defects_json: string };
      expect(row.quarantine_reason).toBe(reason);
      const defects = JSON.parse(row.defects_json) as string[];
      expect(defects.some((d) => /^20005 header fields .*only the first 20000 were read/.test(d)), JSON.stringify(defects)).toBe(true);
    } finally {
      ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
