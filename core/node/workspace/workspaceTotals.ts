// What the workspace header shows: how many messages it holds (top-level, readable), how many an
// import quarantined, and every folder path imported.
import type { Workspace } from './open.js';

export function messageTotals(ws: Workspace): { messages: number; quarantined: number } {
  const c = ws.db.prepare(`SELECT SUM(status = 'ok' AND parent_id IS NULL) AS messages, SUM(status = 'quarantined') AS quarantined FROM messages`)
    .get() as { messages: number | null; quarantined: number | null };
  // SUM over no rows is NULL: an empty workspace holds 0 of each.
  return { messages: c.messages ?? 0, quarantined: c.quarantined ?? 0 };
}

/** Every imported folder path, once each, sorted (the same path in two mailboxes is listed once). */
export function folderPaths(ws: Workspace): string[] {
  return (ws.db.prepare('SELECT DISTINCT path FROM folders ORDER BY path').all() as { path: string }[]).map((r) => r.path);
}

/** The file of every imported mail source (report.export never writes over one). */
export function sourcePaths(ws: Workspace): string[] {
  return (ws.db.prepare('SELECT path FROM sources').all() as { path: string }[]).map((s) => s.path);
}

/** The mailbox address and folder path of a message row's mailbox and folder ids (null when either is gone). */
export function messagePlace(ws: Workspace, mailboxId: number, folderId: number): { mailbox: string; folder: string } | null {
  const r = ws.db.prepare('SELECT mb.address AS mailbox, fo.path AS folder FROM mailboxes mb, folders fo WHERE mb.id = ? AND fo.id = ?')
    .get(mailboxId, folderId) as { mailbox: string; folder: string } | undefined;
  return r ?? null;
}
