// What must hold of a workspace after any crash (issue 6): it opens, SQLite says it is intact, every stored
// message is whole (its bytes in the source hash to the stored SHA-256; a message with a forward has its
// inner rows), every run is whole (as many decisions as it says), and no message is stored twice.

import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { getMessageBytes } from '../../../core/node/mailparse.js';

export interface WorkspaceCheck {
  messages: number;
  inner: number;
  runs: number;
  decisions: number;
  problems: string[];
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function checkWorkspace(file: string): WorkspaceCheck {
  const problems: string[] = [];
  // Integrity first, on a plain read-only handle, before anything could repair or migrate.
  const raw = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = raw.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 3))}`);
  } finally {
    raw.close();
  }
  const ws = openWorkspace(file, { create: false });
  try {
    const db = ws.db;
    const top = db.prepare('SELECT id, sha256, status, flag_has_forwarded FROM messages WHERE parent_id IS NULL').all() as
      Array<{ id: number; sha256: string; status: string; flag_has_forwarded: number }>;
    for (const m of top) {
      if (m.status !== 'ok') continue;
      const bytes = getMessageBytes(ws, m.id);
      if (sha256(bytes) !== m.sha256) problems.push(`message ${m.id}: stored bytes do not hash to its SHA-256 (not whole)`);
    }
    const missingInner = db.prepare(`SELECT COUNT(*) FROM messages m WHERE m.parent_id IS NULL AND m.status = 'ok' AND m.flag_has_forwarded = 1
      AND NOT EXISTS (SELECT 1 FROM messages i WHERE i.parent_id = m.id)`).pluck().get() as number;
    if (missingInner > 0) problems.push(`${missingInner} messages with a forwarded message have no inner row`);
    const dup = db.prepare(`SELECT COUNT(*) FROM (SELECT mailbox_id, sha256 FROM messages WHERE parent_id IS NULL GROUP BY mailbox_id, sha256 HAVING COUNT(*) > 1)`)
      .pluck().get() as number;
    if (dup > 0) problems.push(`${dup} messages stored twice`);
    const runs = db.prepare('SELECT r.id, r.message_count AS n, (SELECT COUNT(*) FROM decisions d WHERE d.run_id = r.id) AS d FROM runs r').all() as
      Array<{ id: number; n: number; d: number }>;
    for (const r of runs) if (r.n !== r.d) problems.push(`run ${r.id} says ${r.n} messages but has ${r.d} decisions`);
    const orphanTraces = db.prepare('SELECT COUNT(*) FROM traces t WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.run_id = t.run_id AND d.message_key = t.message_key)')
      .pluck().get() as number;
    if (orphanTraces > 0) problems.push(`${orphanTraces} traces without their decision`);
    return {
      messages: top.length,
      inner: db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NOT NULL').pluck().get() as number,
      runs: runs.length,
      decisions: runs.reduce((n, r) => n + r.d, 0),
      problems,
    };
  } finally {
    ws.close();
  }
}
