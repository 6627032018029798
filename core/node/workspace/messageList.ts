// The message list's queries (the app's main view): one page of top-level messages with the chosen
// run's outcome, and how many messages a filter matches. Kept apart from the host so the SQL is read
// and tested next to the schema it depends on (migrations.ts: messages_list, decisions_row).
import type { MessageFilter, MessageFlag, MessageListRequest, MessageRow } from '../../contract/contract.js';
import type { CorrelationMethod, Outcome } from '../../engine/index.js';
import { WorkspaceError } from './errors.js';
import type { Workspace } from './open.js';

/** The contract's flag names (MESSAGE_FLAGS) and the workspace columns that hold them. */
export const FLAG_COLUMN: Record<MessageFlag, string> = {
  'auto-reply': 'flag_auto_reply',
  pec: 'flag_pec',
  'pec-receipt': 'flag_pec_receipt',
  'smime-encrypted': 'flag_smime_encrypted',
  'smime-opaque-signed': 'flag_smime_opaque_signed',
  'smime-signed': 'flag_smime_signed',
  'has-forwarded-message': 'flag_has_forwarded',
  'forward-subject': 'flag_forward_subject',
  'bad-date': 'flag_bad_date',
  'missing-message-id': 'flag_missing_message_id',
};
const FLAGS = Object.keys(FLAG_COLUMN) as MessageFlag[];

/** The flags set on a messages row (any row holding the flag_* columns). */
export function flagsOf(row: Record<string, unknown>): MessageFlag[] {
  return FLAGS.filter((f) => row[FLAG_COLUMN[f]] === 1);
}

type SortKey = NonNullable<MessageListRequest['sort']>['key'];
const SORT_COLUMN: Record<SortKey, string> = {
  date: 'm.date', mailbox: 'mb.address', folder: 'fo.path', from: 'm.from_addr', subject: 'm.subject', outcome: 'd.outcome', method: 'd.correlation_method',
};

// The decision join is on the integer row id (schema 2), so SQLite walks messages_list in date order and
// probes decisions_row per row.
const DECISION_JOIN = 'LEFT JOIN decisions d ON d.run_id = ? AND d.message_row = m.id';

interface Where {
  sql: string;
  params: (string | number)[];
  needsDecision: boolean;
}

function whereOf(ws: Workspace, f: MessageFilter): Where {
  const where: string[] = ["m.status = 'ok'", 'm.parent_id IS NULL'];
  const params: (string | number)[] = [];
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Message-IDs are only searched for text that can be part of one (a pasted id holds "@" or "<"): a
    // third LIKE over 100,000 ids for every word typed is a third of a keystroke's cost, and an id
    // matching a plain word ("quote") would surprise more than help.
    if (/[@<>]/.test(f.text)) {
      where.push("(m.subject LIKE ? ESCAPE '\\' OR m.from_addr LIKE ? ESCAPE '\\' OR m.message_id LIKE ? ESCAPE '\\')");
      params.push(like, like, like);
    } else {
      where.push("(m.subject LIKE ? ESCAPE '\\' OR m.from_addr LIKE ? ESCAPE '\\')");
      params.push(like, like);
    }
  }
  if (f.mailbox) {
    where.push('mb.address = ?');
    params.push(f.mailbox);
  }
  if (f.folder) {
    where.push('fo.path = ?');
    params.push(f.folder);
  }
  for (const flag of f.flags ?? []) {
    const column = FLAG_COLUMN[flag] as string | undefined;
    if (!column) throw new WorkspaceError('INVALID_INPUT', ws.file, `unknown flag "${flag}": use one of ${FLAGS.join(', ')}`);
    where.push(`m.${column} = 1`);
  }
  if (f.outcomes?.length) {
    where.push(`d.outcome IN (${f.outcomes.map(() => '?').join(', ')})`);
    params.push(...f.outcomes);
  }
  if (f.methods?.length) {
    where.push(`d.correlation_method IN (${f.methods.map(() => '?').join(', ')})`);
    params.push(...f.methods);
  }
  return { sql: `WHERE ${where.join(' AND ')}`, params, needsDecision: Boolean(f.outcomes?.length || f.methods?.length) };
}

/**
 * How many top-level messages the filter matches under run `runId` (null: no run, so no outcome
 * matches). Only joins what its filters need: counting 100,000 rows through three joins is most of a
 * filter keystroke's latency otherwise.
 */
export function countMessages(ws: Workspace, runId: number | null, filter: MessageFilter = {}): number {
  const w = whereOf(ws, filter);
  const joins = [
    filter.mailbox ? 'JOIN mailboxes mb ON mb.id = m.mailbox_id' : '',
    filter.folder ? 'JOIN folders fo ON fo.id = m.folder_id' : '',
    w.needsDecision ? DECISION_JOIN : '',
  ].join(' ');
  const params = w.needsDecision ? [runId ?? -1, ...w.params] : w.params;
  return (ws.db.prepare(`SELECT COUNT(*) AS n FROM messages m ${joins} ${w.sql}`).get(...params) as { n: number }).n;
}

/** One page of the list: top-level messages matching the filter, sorted (ties by row id), with run `runId`'s outcome. */
export function listMessagePage(
  ws: Workspace,
  runId: number | null,
  page: { filter?: MessageFilter; sort?: MessageListRequest['sort']; offset: number; limit: number },
): MessageRow[] {
  const w = whereOf(ws, page.filter ?? {});
  const sort = page.sort ?? { key: 'date', dir: 'asc' };
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  const rows = ws.db
    .prepare(`SELECT m.id, m.date, mb.address AS mailbox, fo.path AS folder, m.from_addr, m.subject, d.outcome, d.correlation_method,
      ${Object.values(FLAG_COLUMN).map((c) => `m.${c}`).join(', ')}
      FROM messages m JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders fo ON fo.id = m.folder_id ${DECISION_JOIN}
      ${w.sql} ORDER BY ${SORT_COLUMN[sort.key]} ${dir}, m.id ${dir} LIMIT ? OFFSET ?`)
    .all(runId ?? -1, ...w.params, page.limit, page.offset) as Array<Record<string, string | number | null>>;
  return rows.map((r): MessageRow => ({
    key: String(r.id),
    date: (r.date as string | null) ?? null,
    mailbox: String(r.mailbox),
    folder: String(r.folder),
    from: (r.from_addr as string | null) ?? null,
    subject: String(r.subject ?? ''),
    outcome: (r.outcome as Outcome | null) ?? null,
    method: (r.correlation_method as CorrelationMethod | null) ?? null,
    flags: flagsOf(r),
  }));
}
