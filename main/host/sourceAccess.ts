// Reading a stored message's bytes back from its source, for the body and header views (issue 12 items 9
// and 11). The source path recorded at import is resolved with realpath first: a Maildir `cur` or `new`
// that is a symbolic link to a folder outside the allowed ones must not make that folder's files readable
// through the API. And a source that cannot be parsed is described by its subject, never by a stack.
import fs from 'node:fs';
import path from 'node:path';
import { getMessageRow, type Workspace } from '../../core/node/workspace/index.js';
import type { PathAllowList } from './paths.js';

/** How a user recognises a message: its subject and date, not the workspace's row id. */
function describe(w: Workspace, id: number): string {
  const row = getMessageRow(w, id);
  if (!row) return 'this message';
  const subject = row.subject ? `"${row.subject.slice(0, 120)}"` : 'the message without a subject';
  return row.date ? `${subject} of ${row.date.slice(0, 10)}` : subject;
}

/** The top-level row whose file holds the message (an inner message lives in its outer one's bytes). */
function topSource(w: Workspace, id: number): string | null {
  let row = getMessageRow(w, id);
  for (let depth = 0; row && row.parent_id !== null && depth < 100; depth++) row = getMessageRow(w, row.parent_id);
  return row ? row.source_path : null;
}

/**
 * Why the message's source must not be read, or null when it may. Allowed: the resolved file lies inside
 * an allowed folder, or the recorded path is already its own realpath (the file was imported from where it
 * is, through no symbolic link; e.g. a workspace reopened after importing from another folder). Refused: a
 * path that resolves through a link to a file outside every allowed folder.
 */
export function sourceRefusal(w: Workspace, id: number, allow: PathAllowList): string | null {
  const recorded = topSource(w, id);
  if (recorded === null) return null; // no such row: the read itself reports NOT_FOUND
  let real: string;
  try {
    real = fs.realpathSync.native(recorded);
  } catch {
    return null; // gone or unreadable: the read reports that, naming the file
  }
  if (allow.check(real) !== null || real === path.resolve(recorded)) return null;
  return `The source of ${describe(w, id)} (${recorded}) leads through a symbolic link to ${real}, outside the folders you chose: open that folder through File › Open to read it.`;
}

/** One sentence for a body that cannot be shown. */
export function bodyFailure(w: Workspace, id: number, err: unknown): string {
  // A workspace error reads "<workspace>: message <id>: …"; the user knows the message by its subject.
  const text = ((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '').replace(/^.*?message \d+: /, '');
  if (/max header size/i.test(text)) {
    return `The body of ${describe(w, id)} cannot be shown: one of its MIME parts has a header block larger than the mail parser reads (${text}). Its header facts and decision are still shown.`;
  }
  return `The body of ${describe(w, id)} cannot be shown: ${text.replace(/\.$/, '')}.`;
}
