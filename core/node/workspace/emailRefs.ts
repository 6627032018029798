// What a user recognises an email or a directory record by: the subject, sender and date of a message
// or tracked email, and "Alice Ray (user)" for a directory reference. The views replace the ids a
// decision's texts use with these.
import type { EmailRef } from '../../contract/contract.js';
import type { Workspace } from './open.js';

/** The EmailRef of each id that names a workspace message (by key) or a tracked email (by id); unknown ids are left out. */
export function emailRefs(ws: Workspace, ids: readonly string[]): Record<string, EmailRef> {
  const message = ws.db.prepare('SELECT subject, from_addr, date FROM messages WHERE id = ?');
  const tracked = ws.db.prepare('SELECT subject, from_addr, sent_on FROM tracked_emails WHERE id = ?');
  const refs: Record<string, EmailRef> = {};
  for (const id of ids) {
    // A message tracked during the replay is named by its message key (digits); tracked emails loaded
    // before the replay by their own id, which may also be digits: the tracked table is asked second.
    const m = /^\d{1,15}$/.test(id)
      ? (message.get(Number(id)) as { subject: string; from_addr: string | null; date: string | null } | undefined)
      : undefined;
    if (m) {
      refs[id] = { id, kind: 'message', subject: m.subject, from: m.from_addr, date: m.date };
      continue;
    }
    const t = tracked.get(id) as { subject: string; from_addr: string | null; sent_on: string } | undefined;
    if (t) refs[id] = { id, kind: 'tracked', subject: t.subject, from: t.from_addr, date: t.sent_on };
  }
  return refs;
}

/** "Alice Ray (user)" for each entity reference the directory holds; others are left out. */
export function entityNames(ws: Workspace, refs: readonly (string | null)[]): Record<string, string> {
  const row = ws.db.prepare('SELECT name, kind, table_name FROM directory_entries WHERE ref = ?');
  const names: Record<string, string> = {};
  for (const ref of refs) {
    if (!ref || names[ref]) continue;
    const r = row.get(ref) as { name: string; kind: string; table_name: string } | undefined;
    if (r) names[ref] = `${r.name} (${r.kind === 'record' ? r.table_name : r.kind})`;
  }
  return names;
}
