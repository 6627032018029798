// Mailbox profile tags (schema 3): the configuration an imported mailbox really used, kept so a replay
// can warn when that configuration could never have produced what it simulates (issue 7). The tag is
// stored as JSON and read back through parseMailboxProfileTag, so a damaged row is reported with the
// workspace file and the mailbox rather than trusted.
import { parseMailboxProfileTag, type MailboxProfileTag } from '../../analysis/supportCheck.js';
import { WorkspaceError } from './errors.js';
import type { Workspace } from './open.js';

export interface StoredProfileTag {
  mailbox: string;
  tag: MailboxProfileTag;
  updatedAt: string;
}

/** Every tag, in mailbox order. */
export function listProfileTags(ws: Workspace): StoredProfileTag[] {
  const rows = ws.db.prepare(`SELECT mb.address AS mailbox, t.tag_json AS json, t.updated_at AS updatedAt
    FROM mailbox_profile_tags t JOIN mailboxes mb ON mb.id = t.mailbox_id ORDER BY mb.position`).all() as { mailbox: string; json: string; updatedAt: string }[];
  return rows.map((r) => {
    let raw: unknown;
    try {
      raw = JSON.parse(r.json);
    } catch (e) {
      throw new WorkspaceError('INVALID_INPUT', ws.file, `the profile tag of mailbox ${r.mailbox} is not valid JSON (${(e as Error).message}); tag the mailbox again`);
    }
    try {
      return { mailbox: r.mailbox, tag: parseMailboxProfileTag(raw, `profile tag of ${r.mailbox}`), updatedAt: r.updatedAt };
    } catch (e) {
      throw new WorkspaceError('INVALID_INPUT', ws.file, `${(e as Error).message}; tag the mailbox again`);
    }
  });
}

/** Tags a mailbox that the workspace knows (by address); null removes its tag. */
export function setProfileTag(ws: Workspace, address: string, tag: MailboxProfileTag | null): void {
  const row = ws.db.prepare('SELECT id FROM mailboxes WHERE address = ?').get(address.trim().toLowerCase()) as { id: number } | undefined;
  if (!row) throw new WorkspaceError('NOT_FOUND', ws.file, `there is no mailbox ${address} in this workspace; import its mail first`);
  if (tag === null) {
    ws.db.prepare('DELETE FROM mailbox_profile_tags WHERE mailbox_id = ?').run(row.id);
    return;
  }
  // Validate before storing, so what is read back is what was accepted.
  const checked = parseMailboxProfileTag(tag, `profile tag of ${address}`);
  ws.db.prepare(`INSERT INTO mailbox_profile_tags (mailbox_id, tag_json, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (mailbox_id) DO UPDATE SET tag_json = excluded.tag_json, updated_at = excluded.updated_at`).run(row.id, JSON.stringify(checked), new Date().toISOString());
}
