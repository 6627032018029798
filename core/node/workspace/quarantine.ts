// The messages an import set aside (a parse failure, a size limit), with where each came from, for the
// Import view's problem list.
import type { Workspace } from './open.js';

export interface QuarantinedRow {
  file: string;
  mailbox: string;
  folder: string;
  subject: string | null;
  reason: string;
}

/** How many messages are quarantined, and the first `limit` of them in import order. */
export function listQuarantined(ws: Workspace, limit: number): { total: number; rows: QuarantinedRow[] } {
  const total = (ws.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'quarantined'").get() as { n: number }).n;
  const rows = ws.db.prepare(`SELECT s.path AS file, mb.address AS mailbox, fo.path AS folder, m.subject, m.quarantine_reason AS reason
      FROM messages m JOIN sources s ON s.id = m.source_id JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders fo ON fo.id = m.folder_id
      WHERE m.status = 'quarantined' ORDER BY m.id LIMIT ?`).all(limit) as { file: string; mailbox: string; folder: string; subject: string | null; reason: string | null }[];
  return {
    total,
    // An empty subject is no subject; a row without a reason predates reasons being stored.
    rows: rows.map((r) => ({ file: r.file, mailbox: r.mailbox, folder: r.folder, subject: r.subject || null, reason: r.reason ?? 'no reason was recorded' })),
  };
}
