// Typed repository functions over the workspace tables. Rows stay plain data (core/engine/model/types.ts).

import type { Settings, CorrelationMethod, Decision, Directory, DirectoryEntry, EntityRef, FilteringMethod, MailboxConfig, MessageFacts, MessageFlags, Outcome, ReplayInput, TrackedEmail, TrackedFolder } from '../../engine/index.js';
import type { Workspace } from './open.js';
import { MAILBOX_OVERRIDES_KEY, splitProfile } from '../../analysis/mailboxOverrides.js';
import { WorkspaceError } from './errors.js';

// ---------------------------------------------------------------- mailboxes and folders

interface MailboxRow {
  id: number; address: string; owner: string; filter: number; process_emails_from: string | null;
  tracked_folders: string; incoming: number; position: number;
}

function toMailbox(r: MailboxRow): MailboxConfig & { id: number } {
  return {
    id: r.id,
    owner: r.owner,
    address: r.address,
    filter: r.filter as FilteringMethod,
    processEmailsFrom: r.process_emails_from,
    trackedFolders: JSON.parse(r.tracked_folders) as TrackedFolder[],
    incoming: r.incoming === 1,
  };
}

/** Default filtering method: user mailboxes 1, queues 0 (SIMULATOR §1). */
export function defaultFilter(owner: EntityRef): FilteringMethod {
  return owner.startsWith('queue:') ? 0 : 1;
}

/**
 * Returns the mailbox with this address, creating it when missing. An existing mailbox keeps its settings
 * unless `update` is given.
 */
export function ensureMailbox(ws: Workspace, address: string, owner?: EntityRef, update?: Partial<MailboxConfig>): MailboxConfig & { id: number } {
  const addr = address.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(addr)) throw new WorkspaceError('INVALID_INPUT', ws.file, `mailbox address "${address}" is not an email address`);
  if (owner !== undefined && !/^(user|queue):.+$/.test(owner)) {
    throw new WorkspaceError('INVALID_INPUT', ws.file, `mailbox owner "${owner}" must be user:ID or queue:ID`);
  }
  const existing = ws.db.prepare('SELECT * FROM mailboxes WHERE address = ?').get(addr) as MailboxRow | undefined;
  if (!existing) {
    const own = owner ?? `user:${addr.split('@')[0]}`;
    const pos = (ws.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM mailboxes').get() as { p: number }).p;
    ws.db.prepare(`INSERT INTO mailboxes (address, owner, filter, process_emails_from, tracked_folders, incoming, position)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(addr, own, update?.filter ?? defaultFilter(own), update?.processEmailsFrom ?? null,
      JSON.stringify(update?.trackedFolders ?? []), update?.incoming === false ? 0 : 1, pos);
  } else if (owner !== undefined || update) {
    ws.db.prepare(`UPDATE mailboxes SET owner = ?, filter = ?, process_emails_from = ?, tracked_folders = ?, incoming = ? WHERE id = ?`).run(
      owner ?? existing.owner,
      update?.filter ?? existing.filter,
      update?.processEmailsFrom !== undefined ? update.processEmailsFrom : existing.process_emails_from,
      update?.trackedFolders ? JSON.stringify(update.trackedFolders) : existing.tracked_folders,
      update?.incoming === undefined ? existing.incoming : update.incoming ? 1 : 0,
      existing.id,
    );
  }
  return toMailbox(ws.db.prepare('SELECT * FROM mailboxes WHERE address = ?').get(addr) as MailboxRow);
}

export function listMailboxes(ws: Workspace): Array<MailboxConfig & { id: number }> {
  return (ws.db.prepare('SELECT * FROM mailboxes ORDER BY position').all() as MailboxRow[]).map(toMailbox);
}

export function ensureFolder(ws: Workspace, mailboxId: number, path: string): number {
  const p = path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '') || 'Inbox';
  ws.db.prepare('INSERT OR IGNORE INTO folders (mailbox_id, path) VALUES (?, ?)').run(mailboxId, p);
  return (ws.db.prepare('SELECT id FROM folders WHERE mailbox_id = ? AND path = ?').get(mailboxId, p) as { id: number }).id;
}

// ---------------------------------------------------------------- directory, tracked email, settings profiles

export function replaceDirectory(ws: Workspace, directory: Directory): void {
  // IMMEDIATE: the write lock up front, so a concurrent writer makes this one wait (busy timeout), never fail.
  ws.db.transaction(() => {
    ws.db.prepare('DELETE FROM directory_entries').run();
    const ins = ws.db.prepare(`INSERT INTO directory_entries (ref, kind, entity_id, table_name, name, emails_json, active, owner, tracking_number, position)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    directory.entries.forEach((e, i) => ins.run(e.ref, e.kind, e.id, e.table, e.name, JSON.stringify(e.emails), e.active ? 1 : 0, e.owner, e.trackingNumber ?? null, i));
  }).immediate();
}

export function loadDirectory(ws: Workspace): Directory {
  const rows = ws.db.prepare('SELECT * FROM directory_entries ORDER BY position').all() as Array<{
    ref: string; kind: DirectoryEntry['kind']; entity_id: string; table_name: string; name: string; emails_json: string;
    active: number; owner: string | null; tracking_number: number | null;
  }>;
  return {
    entries: rows.map((r) => {
      const e: DirectoryEntry = {
        kind: r.kind, ref: r.ref, id: r.entity_id, table: r.table_name, name: r.name,
        emails: JSON.parse(r.emails_json) as string[], active: r.active === 1, owner: r.owner,
      };
      if (r.tracking_number !== null) e.trackingNumber = r.tracking_number;
      return e;
    }),
  };
}

export function replaceTracked(ws: Workspace, tracked: readonly TrackedEmail[]): void {
  // IMMEDIATE: the write lock up front, so a concurrent writer makes this one wait (busy timeout), never fail.
  ws.db.transaction(() => {
    ws.db.prepare('DELETE FROM tracked_emails').run();
    const ins = ws.db.prepare(`INSERT INTO tracked_emails (id, message_id, subject, tracking_token, conversation_index, direction, from_addr, to_json, cc_json, sent_on, regarding, position)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    tracked.forEach((t, i) => ins.run(t.id, t.messageId, t.subject, t.trackingToken, t.conversationIndex, t.direction, t.from,
      JSON.stringify(t.to), JSON.stringify(t.cc), t.sentOn, t.regarding, i));
  }).immediate();
}

export function loadTracked(ws: Workspace): TrackedEmail[] {
  const rows = ws.db.prepare('SELECT * FROM tracked_emails ORDER BY position').all() as Array<{
    id: string; message_id: string | null; subject: string; tracking_token: string | null; conversation_index: string | null;
    direction: 'incoming' | 'outgoing'; from_addr: string | null; to_json: string; cc_json: string; sent_on: string; regarding: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id, messageId: r.message_id, subject: r.subject, trackingToken: r.tracking_token, conversationIndex: r.conversation_index,
    direction: r.direction, from: r.from_addr, to: JSON.parse(r.to_json) as string[], cc: JSON.parse(r.cc_json) as string[],
    sentOn: r.sent_on, regarding: r.regarding,
  }));
}

export function saveSettingsProfile(ws: Workspace, name: string, settings: Settings): void {
  const now = new Date().toISOString();
  // The profile's mailbox overrides (mailboxOverrides.ts) live in the same JSON: saving settings keeps them.
  const prev = ws.db.prepare('SELECT settings_json FROM settings_profiles WHERE name = ?').get(name) as { settings_json: string } | undefined;
  const kept = prev ? splitProfile(JSON.parse(prev.settings_json) as Record<string, unknown>).mailboxes : {};
  const json = JSON.stringify(Object.keys(kept).length ? { ...settings, [MAILBOX_OVERRIDES_KEY]: kept } : settings);
  ws.db.prepare(`INSERT INTO settings_profiles (name, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`).run(name, json, now, now);
}

/** Stored profile settings, as saved (the caller merges them over DEFAULT_SETTINGS). */
export function loadSettingsProfile(ws: Workspace, name: string): Partial<Settings> | null {
  const row = ws.db.prepare('SELECT settings_json FROM settings_profiles WHERE name = ?').get(name) as { settings_json: string } | undefined;
  return row ? (splitProfile(JSON.parse(row.settings_json) as Record<string, unknown>).settings as Partial<Settings>) : null;
}

export function listSettingsProfiles(ws: Workspace): Array<{ name: string; updatedAt: string }> {
  return (ws.db.prepare('SELECT name, updated_at FROM settings_profiles ORDER BY name').all() as Array<{ name: string; updated_at: string }>)
    .map((r) => ({ name: r.name, updatedAt: r.updated_at }));
}

// ---------------------------------------------------------------- messages → MessageFacts

export interface MessageRow {
  id: number; mailbox_id: number; folder_id: number; source_id: number; source_offset: number; source_length: number;
  mbox_quoted: number; parent_id: number | null; inner_path: string | null; inner_encoding: string | null; sha256: string;
  status: 'ok' | 'quarantined'; quarantine_reason: string | null; import_order: number; message_id: string | null;
  in_reply_to: string | null; references_json: string; subject: string; from_addr: string | null; from_name: string | null;
  to_json: string; cc_json: string; bcc_json: string; reply_to_json: string; date_raw: string | null; date: string | null;
  received: string | null; thread_index: string | null; thread_index_bytes: Uint8Array | null; thread_topic: string | null;
  auto_submitted: string | null; x_auto_response_suppress: string | null; precedence: string | null; x_autoreply: string | null;
  x_autorespond: string | null; x_apple_action: string | null; content_type: string | null; smime_type: string | null;
  protocol: string | null; x_trasporto: string | null; x_ricevuta: string | null; x_riferimento_message_id: string | null;
  flag_pec: number; flag_pec_receipt: number; flag_smime_encrypted: number; flag_smime_opaque_signed: number;
  flag_smime_signed: number; flag_auto_reply: number; flag_has_forwarded: number; flag_forward_subject: number;
  flag_bad_date: number; flag_missing_message_id: number; auto_reply_reasons: string; headers_json: string; defects_json: string;
  in_reply_to_all: string | null; received_all: string | null;
}

export function rowToFacts(r: MessageRow & { mailbox: string; folder: string }, order: number): MessageFacts {
  const flags: MessageFlags = {
    pec: r.flag_pec === 1,
    pecReceipt: r.flag_pec_receipt === 1,
    smimeEncrypted: r.flag_smime_encrypted === 1,
    smimeOpaqueSigned: r.flag_smime_opaque_signed === 1,
    smimeSigned: r.flag_smime_signed === 1,
    autoReply: r.flag_auto_reply === 1,
    autoReplyReasons: JSON.parse(r.auto_reply_reasons) as string[],
    hasForwardedMessage: r.flag_has_forwarded === 1,
    forwardSubject: r.flag_forward_subject === 1,
    badDate: r.flag_bad_date === 1,
    missingMessageId: r.flag_missing_message_id === 1,
  };
  return {
    key: String(r.id),
    mailbox: r.mailbox,
    folder: r.folder,
    messageId: r.message_id,
    inReplyTo: r.in_reply_to,
    references: JSON.parse(r.references_json) as string[],
    subject: r.subject,
    from: r.from_addr,
    to: JSON.parse(r.to_json) as string[],
    cc: JSON.parse(r.cc_json) as string[],
    bcc: JSON.parse(r.bcc_json) as string[],
    replyTo: JSON.parse(r.reply_to_json) as string[],
    date: r.date,
    received: r.received,
    threadIndex: r.thread_index,
    threadTopic: r.thread_topic,
    headers: JSON.parse(r.headers_json) as Record<string, string>,
    flags,
    order,
    ...(r.in_reply_to_all ? { inReplyToAll: JSON.parse(r.in_reply_to_all) as string[] } : {}),
    ...(r.received_all ? { receivedAll: JSON.parse(r.received_all) as string[] } : {}),
  };
}

export interface LoadOptions {
  /** Only these mailboxes (addresses); default all. */
  mailboxes?: string[];
  /** Include inner (forwarded / postacert) messages as messages of their own; default false (SSS sees only the outer one). */
  includeInner?: boolean;
}

const FACTS_QUERY = `SELECT m.*, mb.address AS mailbox, f.path AS folder FROM messages m
  JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders f ON f.id = m.folder_id
  WHERE m.status = 'ok'`;

/**
 * Messages as MessageFacts in input order (mailbox position, then import order); the engine sorts by
 * received time itself (SIMULATOR §2), using `order` for ties. Quarantined rows are not messages SSS could read.
 */
export function loadMessages(ws: Workspace, opts: LoadOptions = {}): MessageFacts[] {
  const rows = ws.db.prepare(`${FACTS_QUERY} ${opts.includeInner ? '' : 'AND m.parent_id IS NULL'} ORDER BY mb.position, m.import_order, m.id`)
    .all() as Array<MessageRow & { mailbox: string; folder: string }>;
  const wanted = opts.mailboxes ? new Set(opts.mailboxes.map((a) => a.toLowerCase())) : null;
  const out: MessageFacts[] = [];
  for (const r of rows) {
    if (wanted && !wanted.has(r.mailbox)) continue;
    out.push(rowToFacts(r, out.length));
  }
  return out;
}

export function getMessageFacts(ws: Workspace, key: string): MessageFacts | null {
  const r = ws.db.prepare(`SELECT m.*, mb.address AS mailbox, f.path AS folder FROM messages m
    JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders f ON f.id = m.folder_id WHERE m.id = ?`).get(Number(key)) as
    (MessageRow & { mailbox: string; folder: string }) | undefined;
  return r ? rowToFacts(r, 0) : null;
}

export function getMessageRow(ws: Workspace, id: number): (MessageRow & { source_path: string; source_kind: string }) | null {
  const r = ws.db.prepare(`SELECT m.*, s.path AS source_path, s.kind AS source_kind FROM messages m JOIN sources s ON s.id = m.source_id WHERE m.id = ?`).get(id);
  return (r as (MessageRow & { source_path: string; source_kind: string }) | undefined) ?? null;
}

/** ReplayInput without settings: the caller (engine host) adds the settings of the chosen profile. */
export function loadReplayInput(ws: Workspace, opts: LoadOptions = {}): Omit<ReplayInput, 'settings'> {
  const mailboxes = listMailboxes(ws).map(({ id: _id, ...m }) => m);
  return {
    directory: loadDirectory(ws),
    mailboxes: opts.mailboxes ? mailboxes.filter((m) => opts.mailboxes?.map((a) => a.toLowerCase()).includes(m.address)) : mailboxes,
    tracked: loadTracked(ws),
    messages: loadMessages(ws, opts),
  };
}

// ---------------------------------------------------------------- runs, decisions, traces

export interface RunCounts {
  byOutcome: Partial<Record<Outcome, number>>;
  byMethod: Partial<Record<CorrelationMethod, number>>;
}

export interface SaveRunInput {
  settings: Settings;
  profileName: string | null;
  decisions: readonly Decision[];
  counts: RunCounts;
  /** How long the replay took (wall clock), shown in the runs list; null when not measured. */
  durationMs?: number | null;
}

/** A decision key that is a workspace message row id, as the integer the list query joins on. */
function messageRowOf(key: string): number | null {
  if (!/^\d{1,15}$/.test(key)) return null;
  return Number(key);
}

export function saveRun(ws: Workspace, input: SaveRunInput): number {
  // IMMEDIATE: the write lock up front, so a concurrent writer makes this one wait (busy timeout), never fail.
  return ws.db.transaction(() => {
    const info = ws.db.prepare('INSERT INTO runs (profile_name, settings_json, created_at, message_count, counts_json, duration_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.profileName, JSON.stringify(input.settings), new Date().toISOString(), input.decisions.length, JSON.stringify(input.counts),
        input.durationMs ?? null);
    const runId = Number(info.lastInsertRowid);
    const insD = ws.db.prepare(`INSERT INTO decisions (run_id, message_key, message_row, seq, outcome, tracked, correlation_method, correlated_to, regarding, decision_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insT = ws.db.prepare('INSERT INTO traces (run_id, message_key, steps_json) VALUES (?, ?, ?)');
    input.decisions.forEach((d, i) => {
      const { trace, ...rest } = d;
      insD.run(runId, d.key, messageRowOf(d.key), i, d.outcome, d.tracked ? 1 : 0, d.correlationMethod, d.correlatedTo, d.regarding, JSON.stringify(rest));
      insT.run(runId, d.key, JSON.stringify(trace));
    });
    return runId;
  }).immediate();
}

export function getDecision(ws: Workspace, runId: number, messageKey: string): Decision | null {
  const row = ws.db.prepare(`SELECT d.decision_json, t.steps_json FROM decisions d LEFT JOIN traces t ON t.run_id = d.run_id AND t.message_key = d.message_key
    WHERE d.run_id = ? AND d.message_key = ?`).get(runId, messageKey) as { decision_json: string; steps_json: string | null } | undefined;
  if (!row) return null;
  return { ...(JSON.parse(row.decision_json) as Omit<Decision, 'trace'>), trace: row.steps_json ? (JSON.parse(row.steps_json) as Decision['trace']) : [] };
}

/** Decisions of a run in processing order (with traces). */
export function listDecisions(ws: Workspace, runId: number): Decision[] {
  const rows = ws.db.prepare(`SELECT d.decision_json, t.steps_json FROM decisions d LEFT JOIN traces t ON t.run_id = d.run_id AND t.message_key = d.message_key
    WHERE d.run_id = ? ORDER BY d.seq`).all(runId) as Array<{ decision_json: string; steps_json: string | null }>;
  return rows.map((r) => ({ ...(JSON.parse(r.decision_json) as Omit<Decision, 'trace'>), trace: r.steps_json ? (JSON.parse(r.steps_json) as Decision['trace']) : [] }));
}

export interface RunSummary {
  id: number;
  profileName: string | null;
  createdAt: string;
  messageCount: number;
  counts: RunCounts;
  settings: Settings;
  /** Wall-clock time of the replay; null for runs saved without it (before schema 2, or by callers that did not measure). */
  durationMs: number | null;
}

export function listRuns(ws: Workspace): RunSummary[] {
  const rows = ws.db.prepare('SELECT * FROM runs ORDER BY id').all() as Array<{
    id: number; profile_name: string | null; settings_json: string; created_at: string; message_count: number; counts_json: string;
    duration_ms: number | null;
  }>;
  return rows.map((r) => ({
    id: r.id, profileName: r.profile_name, createdAt: r.created_at, messageCount: r.message_count,
    counts: JSON.parse(r.counts_json) as RunCounts, settings: JSON.parse(r.settings_json) as Settings, durationMs: r.duration_ms,
  }));
}

// ---------------------------------------------------------------- statistics

export interface WorkspaceStats {
  file: string;
  schemaVersion: number;
  mailboxes: Array<{ address: string; owner: string; messages: number; quarantined: number; inner: number; folders: Array<{ path: string; messages: number }> }>;
  messages: number;
  quarantined: number;
  inner: number;
  sources: number;
  flags: Record<string, number>;
  directoryEntries: number;
  trackedEmails: number;
  settingsProfiles: number;
  runs: number;
}

export function workspaceStats(ws: Workspace): WorkspaceStats {
  const db = ws.db;
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const mailboxes = listMailboxes(ws).map((m) => {
    const c = db.prepare(`SELECT
      SUM(status = 'ok' AND parent_id IS NULL) AS messages, SUM(status = 'quarantined') AS quarantined, SUM(parent_id IS NOT NULL) AS inner
      FROM messages WHERE mailbox_id = ?`).get(m.id) as { messages: number | null; quarantined: number | null; inner: number | null };
    const folders = db.prepare(`SELECT f.path, COUNT(m.id) AS messages FROM folders f LEFT JOIN messages m ON m.folder_id = f.id AND m.parent_id IS NULL
      WHERE f.mailbox_id = ? GROUP BY f.id ORDER BY f.path`).all(m.id) as Array<{ path: string; messages: number }>;
    return { address: m.address, owner: m.owner, messages: c.messages ?? 0, quarantined: c.quarantined ?? 0, inner: c.inner ?? 0, folders };
  });
  const flagCols = ['flag_pec', 'flag_pec_receipt', 'flag_smime_encrypted', 'flag_smime_opaque_signed', 'flag_smime_signed', 'flag_auto_reply',
    'flag_has_forwarded', 'flag_forward_subject', 'flag_bad_date', 'flag_missing_message_id'];
  const flagRow = db.prepare(`SELECT ${flagCols.map((c) => `SUM(${c}) AS ${c}`).join(', ')}, SUM(thread_index IS NOT NULL) AS thread_index
    FROM messages WHERE status = 'ok' AND parent_id IS NULL`).get() as Record<string, number | null>;
  const flags: Record<string, number> = {};
  for (const [k, v] of Object.entries(flagRow)) flags[k.replace(/^flag_/, '')] = v ?? 0;
  return {
    file: ws.file,
    schemaVersion: one('SELECT COALESCE(MAX(version), 0) AS n FROM schema_migrations'),
    mailboxes,
    messages: one("SELECT COUNT(*) AS n FROM messages WHERE status = 'ok' AND parent_id IS NULL"),
    quarantined: one("SELECT COUNT(*) AS n FROM messages WHERE status = 'quarantined'"),
    inner: one('SELECT COUNT(*) AS n FROM messages WHERE parent_id IS NOT NULL'),
    sources: one('SELECT COUNT(*) AS n FROM sources'),
    flags,
    directoryEntries: one('SELECT COUNT(*) AS n FROM directory_entries'),
    trackedEmails: one('SELECT COUNT(*) AS n FROM tracked_emails'),
    settingsProfiles: one('SELECT COUNT(*) AS n FROM settings_profiles'),
    runs: one('SELECT COUNT(*) AS n FROM runs'),
  };
}
