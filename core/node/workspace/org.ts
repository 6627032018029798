// The loaded organization in the workspace (schema 4): org rows with their provenance, the problems of each
// file, the organization's settings, and what they land as in the tables the replay, what-if, sweep and
// audit read (mailboxes, directory_entries, tracked_emails, and the settings profile "org"). Each load
// re-links every org row loaded so far (assembleOrg), so a users export given after the mailboxes export
// still gives the mailboxes their owners.

import type { AuditEmail } from '../../analysis/auditImport.js';
import { type Settings, SETTINGS_META, type ReplayInput } from '../../engine/index.js';
import { assembleOrg, type AssembledOrg, type OrgMailboxConfig } from '../../org/assemble.js';
import type { OrgFileResult } from '../../org/parseFile.js';
import type { OrgTable } from '../../org/tables.js';
import type { OrgProblem, OrgRecord } from '../../org/types.js';
import type { Workspace } from './open.js';
import { loadReplayInput, saveSettingsProfile, type LoadOptions } from './repo.js';

/** The settings profile an org load writes: the organization's own settings (over the simulator's defaults). */
export const ORG_PROFILE = 'org';

export interface OrgFileLoaded {
  file: string;
  table: OrgTable;
  customTable: string | null;
  shape: 'webapi' | 'csv';
  detectedBy: string;
  rows: number;
  loaded: number;
  problems: number;
}

export interface OrgLoadSummary {
  files: OrgFileLoaded[];
  /** Problems of the files just loaded and of linking every org row loaded so far. */
  problems: OrgProblem[];
  landed: { mailboxes: number; directory: number; tracked: number; settings: boolean; unknownSettings: number };
}

function tableKey(r: OrgRecord): string {
  return r.table === 'record' ? `record/${r.recordTable}` : r.table;
}

/**
 * Stores parsed exports (parseOrgFile results, or rows a Web API pull parsed with parseOrgRows and wrapped
 * the same way) and lands the whole loaded org. One transaction: a failure leaves the workspace as it was.
 */
export function saveOrgLoad(ws: Workspace, results: readonly OrgFileResult[]): OrgLoadSummary {
  const now = new Date().toISOString();
  return ws.db.transaction(() => {
    const db = ws.db;
    const upFile = db.prepare(`INSERT INTO org_files (file, table_name, shape, detected_by, rows, loaded, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (file) DO UPDATE SET table_name = excluded.table_name, shape = excluded.shape, detected_by = excluded.detected_by, rows = excluded.rows, loaded = excluded.loaded, loaded_at = excluded.loaded_at`);
    // seq orders rows by load, so a later export of a row wins when the org is linked again.
    let seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM org_rows').get() as { s: number }).s;
    const upRow = db.prepare(`INSERT INTO org_rows (table_name, row_id, file, source_row, record_json, loaded_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (table_name, row_id) DO UPDATE SET file = excluded.file, source_row = excluded.source_row, record_json = excluded.record_json, loaded_at = excluded.loaded_at, seq = excluded.seq`);
    const insProblem = db.prepare('INSERT INTO org_problems (stage, file, table_name, source_row, column_name, problem) VALUES (?, ?, ?, ?, ?, ?)');
    const files: OrgFileLoaded[] = [];
    const problems: OrgProblem[] = [];
    for (const r of results) {
      db.prepare("DELETE FROM org_problems WHERE stage = 'row' AND file = ?").run(r.file);
      upFile.run(r.file, r.customTable ? `record/${r.customTable}` : r.table, r.shape, r.detectedBy, r.rows, r.records.length, now);
      for (const rec of r.records) upRow.run(tableKey(rec), rec.id, rec.file, rec.row, JSON.stringify(rec), now, ++seq);
      for (const p of r.problems) insProblem.run('row', p.file, p.table, p.row, p.column, p.problem);
      problems.push(...r.problems);
      files.push({ file: r.file, table: r.table, customTable: r.customTable, shape: r.shape, detectedBy: r.detectedBy, rows: r.rows, loaded: r.records.length, problems: r.problems.length });
    }
    const all = loadOrgRecords(ws);
    const org = assembleOrg(all);
    db.prepare("DELETE FROM org_problems WHERE stage = 'link'").run();
    for (const p of org.problems) insProblem.run('link', p.file, p.table, p.row, p.column, p.problem);
    problems.push(...org.problems);
    return { files, problems, landed: land(ws, org, all) };
  })();
}

/** Every org row loaded, in load order. */
export function loadOrgRecords(ws: Workspace): OrgRecord[] {
  return (ws.db.prepare('SELECT record_json FROM org_rows ORDER BY seq').all() as { record_json: string }[]).map((r) => JSON.parse(r.record_json) as OrgRecord);
}

/** The loaded org linked together (directory, mailboxes, tracked emails, audit records, settings). */
export function loadAssembledOrg(ws: Workspace): AssembledOrg {
  return assembleOrg(loadOrgRecords(ws));
}

function land(ws: Workspace, org: AssembledOrg, all: readonly OrgRecord[]): OrgLoadSummary['landed'] {
  const db = ws.db;
  // Directory: an org row replaces any row with the same ref (e.g. one an audit brought in); rows an
  // earlier load landed are replaced by this load's.
  const refs = org.directory.map((e) => e.ref);
  db.prepare('DELETE FROM directory_entries WHERE org_file IS NOT NULL').run();
  const delRef = db.prepare('DELETE FROM directory_entries WHERE ref = ?');
  for (const r of refs) delRef.run(r);
  let pos = (db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM directory_entries').get() as { p: number }).p;
  const insDir = db.prepare(`INSERT INTO directory_entries (ref, kind, entity_id, table_name, name, emails_json, active, owner, tracking_number, position, org_file, org_row)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const rowOf = new Map(all.map((r) => [`${tableKey(r)}:${r.id}`, r]));
  const dirTable = (t: string): string => (['systemuser', 'queue', 'contact', 'account', 'lead'].includes(t) ? t : `record/${t}`);
  for (const e of org.directory) {
    const src = rowOf.get(`${dirTable(e.table)}:${e.id}`);
    insDir.run(e.ref, e.kind, e.id, e.table, e.name, JSON.stringify(e.emails), e.active ? 1 : 0, e.owner, e.trackingNumber ?? null, pos++, src?.file ?? '', src?.row ?? 0);
  }
  // Tracked emails: the same, by activity id.
  db.prepare('DELETE FROM tracked_emails WHERE org_file IS NOT NULL').run();
  const delTracked = db.prepare('DELETE FROM tracked_emails WHERE id = ?');
  let tpos = (db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM tracked_emails').get() as { p: number }).p;
  const insT = db.prepare(`INSERT INTO tracked_emails (id, message_id, subject, tracking_token, conversation_index, direction, from_addr, to_json, cc_json, sent_on, regarding, position, org_file, org_row)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const t of org.tracked) {
    delTracked.run(t.id);
    const src = rowOf.get(`email:${t.id}`);
    insT.run(t.id, t.messageId, t.subject, t.trackingToken, t.conversationIndex, t.direction, t.from, JSON.stringify(t.to), JSON.stringify(t.cc), t.sentOn, t.regarding, tpos++, src?.file ?? '', src?.row ?? 0);
  }
  // Mailboxes: by Dataverse id, else by address; a mailbox with imported messages keeps them.
  for (const m of org.mailboxes) upsertMailbox(ws, m);
  // Settings: the simulated ones become the profile "org"; every one is listed with its source.
  db.prepare('DELETE FROM org_settings').run();
  let settings = false;
  let unknownSettings = 0;
  if (org.organization) {
    const o = org.organization;
    const orgRow = rowOf.get(`organization:${o.id}`);
    const ins = db.prepare('INSERT OR REPLACE INTO org_settings (name, value_json, known, source, file, source_row) VALUES (?, ?, ?, ?, ?, ?)');
    const group = new Map(SETTINGS_META.map((m) => [m.key as string, m.group]));
    for (const [k, v] of Object.entries(o.settings)) ins.run(k, JSON.stringify(v), 1, group.get(k) === 'OrgDBOrgSettings' ? 'orgdborgsettings' : 'column', orgRow?.file ?? '', orgRow?.row ?? 0);
    for (const u of o.unknownSettings) ins.run(u.name, JSON.stringify(u.value), 0, u.source, orgRow?.file ?? '', orgRow?.row ?? 0);
    // Only the organization's own values are stored, so the simulator's defaults apply to the rest.
    saveSettingsProfile(ws, ORG_PROFILE, o.settings as Settings);
    settings = true;
    unknownSettings = o.unknownSettings.length;
  }
  return { mailboxes: org.mailboxes.length, directory: org.directory.length, tracked: org.tracked.length, settings, unknownSettings };
}

type OrgMailboxExtras = Omit<OrgMailboxConfig, 'owner' | 'address' | 'filter' | 'processEmailsFrom' | 'trackedFolders' | 'incoming'>;

function upsertMailbox(ws: Workspace, m: OrgMailboxConfig): void {
  const db = ws.db;
  const { owner, address, filter, processEmailsFrom, trackedFolders, incoming, ...extras } = m;
  const extrasJson = JSON.stringify(extras satisfies OrgMailboxExtras);
  const byId = db.prepare('SELECT id FROM mailboxes WHERE dataverse_id = ?').get(m.dataverseId) as { id: number } | undefined;
  const byAddr = db.prepare('SELECT id FROM mailboxes WHERE address = ?').get(address.toLowerCase()) as { id: number } | undefined;
  const id = byAddr?.id ?? byId?.id;
  if (id !== undefined) {
    db.prepare(`UPDATE mailboxes SET address = ?, owner = ?, filter = ?, process_emails_from = ?, tracked_folders = ?, incoming = ?, dataverse_id = ?, org_json = ? WHERE id = ?`)
      .run(address.toLowerCase(), owner, filter, processEmailsFrom, JSON.stringify(trackedFolders), incoming ? 1 : 0, m.dataverseId, extrasJson, id);
    return;
  }
  const pos = (db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM mailboxes').get() as { p: number }).p;
  db.prepare(`INSERT INTO mailboxes (address, owner, filter, process_emails_from, tracked_folders, incoming, position, dataverse_id, org_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(address.toLowerCase(), owner, filter, processEmailsFrom, JSON.stringify(trackedFolders), incoming ? 1 : 0, pos, m.dataverseId, extrasJson);
}

/** The mailbox with this address as the loaded org defines it, or null when the org does not hold it. */
export function orgMailbox(ws: Workspace, address: string): OrgMailboxConfig | null {
  const r = ws.db.prepare('SELECT * FROM mailboxes WHERE address = ? AND org_json IS NOT NULL').get(address.trim().toLowerCase()) as {
    address: string; owner: string; filter: number; process_emails_from: string | null; tracked_folders: string; incoming: number; org_json: string;
  } | undefined;
  if (!r) return null;
  return {
    ...(JSON.parse(r.org_json) as OrgMailboxExtras), owner: r.owner, address: r.address, filter: r.filter as OrgMailboxConfig['filter'],
    processEmailsFrom: r.process_emails_from, trackedFolders: JSON.parse(r.tracked_folders) as OrgMailboxConfig['trackedFolders'], incoming: r.incoming === 1,
  };
}

export interface OrgShow {
  files: Array<OrgFileLoaded & { loadedAt: string }>;
  /** Rows held per table (after later exports replaced earlier rows with the same id). */
  tables: Array<{ table: string; rows: number }>;
  problems: Array<OrgProblem & { stage: 'row' | 'link' }>;
  settings: Array<{ name: string; value: unknown; known: boolean; source: 'column' | 'orgdborgsettings'; file: string; row: number }>;
  mailboxes: OrgMailboxConfig[];
  landed: { directory: number; tracked: number };
}

/** What was loaded, by table, with counts and problems (`org show`, the app). */
export function orgShow(ws: Workspace): OrgShow {
  const db = ws.db;
  const files = (db.prepare('SELECT * FROM org_files ORDER BY loaded_at, file').all() as Array<{ file: string; table_name: string; shape: 'webapi' | 'csv'; detected_by: string; rows: number; loaded: number; loaded_at: string }>)
    .map((f) => {
      const custom = f.table_name.startsWith('record/') ? f.table_name.slice(7) : null;
      const problems = (db.prepare("SELECT COUNT(*) AS n FROM org_problems WHERE stage = 'row' AND file = ?").get(f.file) as { n: number }).n;
      return { file: f.file, table: (custom ? 'record' : f.table_name) as OrgTable, customTable: custom, shape: f.shape, detectedBy: f.detected_by, rows: f.rows, loaded: f.loaded, problems, loadedAt: f.loaded_at };
    });
  const tables = db.prepare('SELECT table_name AS "table", COUNT(*) AS rows FROM org_rows GROUP BY table_name ORDER BY table_name').all() as Array<{ table: string; rows: number }>;
  const problems = (db.prepare('SELECT * FROM org_problems ORDER BY stage DESC, file, source_row, id').all() as Array<{ stage: 'row' | 'link'; file: string; table_name: string | null; source_row: number; column_name: string | null; problem: string }>)
    .map((p) => ({ stage: p.stage, file: p.file, table: p.table_name as OrgTable | null, row: p.source_row, column: p.column_name, problem: p.problem }));
  const settings = (db.prepare('SELECT * FROM org_settings ORDER BY known DESC, name').all() as Array<{ name: string; value_json: string; known: number; source: 'column' | 'orgdborgsettings'; file: string; source_row: number }>)
    .map((s) => ({ name: s.name, value: JSON.parse(s.value_json) as unknown, known: s.known === 1, source: s.source, file: s.file, row: s.source_row }));
  const mailboxes = (db.prepare('SELECT address FROM mailboxes WHERE org_json IS NOT NULL ORDER BY position').all() as { address: string }[])
    .map((m) => orgMailbox(ws, m.address)).filter((m): m is OrgMailboxConfig => m !== null);
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return { files, tables, problems, settings, mailboxes, landed: { directory: one('SELECT COUNT(*) AS n FROM directory_entries WHERE org_file IS NOT NULL'), tracked: one('SELECT COUNT(*) AS n FROM tracked_emails WHERE org_file IS NOT NULL') } };
}

/**
 * What the audit reads from the loaded org: Dynamics's record of each email (the same email export that is
 * the already-tracked store), and the replay input *without* those emails as tracked emails, since runAudit
 * re-adds the outgoing ones itself and replays the incoming ones to compare (core/analysis/audit.ts).
 */
export function loadOrgAuditInput(ws: Workspace, opts: LoadOptions = {}): { input: Omit<ReplayInput, 'settings'>; emails: AuditEmail[] } {
  const input = loadReplayInput(ws, opts);
  const fromOrg = new Set((ws.db.prepare('SELECT id FROM tracked_emails WHERE org_file IS NOT NULL').all() as { id: string }[]).map((r) => r.id));
  return { input: { ...input, tracked: input.tracked.filter((t) => !fromOrg.has(t.id)) }, emails: loadAssembledOrg(ws).auditEmails };
}
