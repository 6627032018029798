// Import of history exported from Dataverse: email activities (to compare what Dynamics really did with
// the replay) and directory tables (contacts, accounts, leads, users, queues). Two formats: the Web API
// JSON (`{"@odata.context":…, "value":[…]}`) and the CSV of an Advanced Find / Excel export whose header
// row holds display names (logical names are accepted too). A bad row is reported with its row number,
// column and problem, and the other rows are still imported. Pure: file contents in, data out.

import type { DirectoryEntry, DirectoryKind } from '../engine/index.js';

export interface ImportProblem {
  /** 1-based data row (CSV: the header is row 0; JSON: index in `value` + 1). 0 = the whole file. */
  row: number;
  column: string | null;
  problem: string;
}

export interface ImportResult<T> {
  format: 'json' | 'csv';
  rows: T[];
  problems: ImportProblem[];
}

export class AuditImportError extends Error {
  constructor(file: string, problem: string) { super(`${file}: ${problem}`); this.name = 'AuditImportError'; }
}

export const CORRELATION_METHOD_LABELS = ['None', 'Skipped', 'XHeader', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching', 'CustomCorrelation'] as const;

export interface LookupValue { id: string | null; table: string | null; name: string | null }

export interface AuditEmail {
  row: number;
  activityId: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  conversationIndex: string | null;
  trackingToken: string | null;
  subject: string | null;
  /** research §1: 0 None … 3 InReplyTo, 4 TrackingToken, 5 ConversationIndex, 6 SmartMatching. */
  correlationMethod: number | null;
  correlationMethodLabel: string | null;
  correlatedActivity: LookupValue | null;
  parentActivity: LookupValue | null;
  regarding: LookupValue | null;
  acceptingEntity: LookupValue | null;
  receivingMailbox: LookupValue | null;
  /** ISO UTC. Web API values carry a zone; CSV exports show the exporting user's local time without a
   * zone, which is read in the zone of the machine running the import. */
  createdOn: string | null;
  /** directioncode: true = outgoing, false = incoming. */
  direction: 'incoming' | 'outgoing' | null;
  sender: string | null;
  toRecipients: string | null;
}

// ---------------------------------------------------------------- CSV

/** RFC 4180 CSV: quoted fields may hold commas, CR/LF and doubled quotes; a leading BOM is dropped. */
export function parseCsv(text: string): { records: string[][]; problems: ImportProblem[] } {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const problems: ImportProblem[] = [];
  let field = '';
  let rec: string[] = [];
  let inQuotes = false;
  let quotedStartRecord = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') { inQuotes = true; quotedStartRecord = records.length; continue; }
    if (ch === ',') { rec.push(field); field = ''; continue; }
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      rec.push(field); field = '';
      records.push(rec); rec = [];
      continue;
    }
    field += ch;
  }
  if (inQuotes) problems.push({ row: quotedStartRecord, column: null, problem: 'a quoted field is never closed; the rest of the file was read as that field' });
  if (field !== '' || rec.length > 0) { rec.push(field); records.push(rec); }
  return { records: records.filter((r) => !(r.length === 1 && r[0] === '')), problems };
}

function norm(h: string): string {
  return h.toLowerCase().replace(/\(do not modify\)/g, '').replace(/[^a-z0-9]/g, '');
}

/** Field aliases: logical name first, then display names seen in Advanced Find / Excel exports. */
type Aliases = Record<string, string[]>;

const EMAIL_FIELDS: Aliases = {
  activityid: ['activityid', 'emailid', 'email', 'activity', 'emailmessage'],
  messageid: ['messageid'],
  inreplyto: ['inreplyto', 'inreplytomessage'],
  conversationindex: ['conversationindex'],
  trackingtoken: ['trackingtoken'],
  subject: ['subject'],
  correlationmethod: ['correlationmethod'],
  correlatedactivityid: ['_correlatedactivityid_value', 'correlatedactivityid', 'correlatedactivity'],
  parentactivityid: ['_parentactivityid_value', 'parentactivityid', 'parentactivity'],
  regardingobjectid: ['_regardingobjectid_value', 'regardingobjectid', 'regarding'],
  acceptingentityid: ['_acceptingentityid_value', 'acceptingentityid', 'acceptingentity'],
  receivingmailboxid: ['_receivingmailboxid_value', 'receivingmailboxid', 'receivingmailbox'],
  createdon: ['createdon'],
  directioncode: ['directioncode', 'direction'],
  sender: ['sender', 'from'],
  torecipients: ['torecipients', 'to'],
};

function headerMap(headers: string[], aliases: Aliases): Map<string, number> {
  const m = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = norm(h);
    for (const [field, names] of Object.entries(aliases)) {
      if (!m.has(field) && names.some((a) => norm(a) === n)) m.set(field, i);
    }
  });
  return m;
}

// ---------------------------------------------------------------- value coercion

const FV = '@OData.Community.Display.V1.FormattedValue';
const LLN = '@Microsoft.Dynamics.CRM.lookuplogicalname';

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

class RowProblem extends Error {
  constructor(public column: string, public problem: string) { super(problem); }
}

function correlation(raw: unknown, label: unknown, column: string): { value: number | null; label: string | null } {
  if (raw === null || raw === undefined || raw === '') return { value: null, label: str(label) };
  if (typeof raw === 'number' || /^\s*\d+\s*$/.test(String(raw))) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n >= CORRELATION_METHOD_LABELS.length) throw new RowProblem(column, `correlation method ${String(raw)} is not a value of email_correlationmethod (0–7)`);
    return { value: n, label: str(label) ?? CORRELATION_METHOD_LABELS[n] ?? null };
  }
  // CSV exports carry the label ("In Reply To", "Smart Matching", …).
  const n = CORRELATION_METHOD_LABELS.findIndex((l) => norm(l) === norm(String(raw)));
  if (n < 0) throw new RowProblem(column, `unknown correlation method "${String(raw)}" (expected ${CORRELATION_METHOD_LABELS.join(', ')})`);
  return { value: n, label: String(raw).trim() };
}

function direction(raw: unknown, column: string): AuditEmail['direction'] {
  if (raw === null || raw === undefined || raw === '') return null;
  const t = String(raw).trim().toLowerCase();
  if (raw === true || t === 'true' || t === '1' || t === 'outgoing') return 'outgoing';
  if (raw === false || t === 'false' || t === '0' || t === 'incoming') return 'incoming';
  throw new RowProblem(column, `direction "${String(raw)}" is neither Incoming/Outgoing nor true/false`);
}

function date(raw: unknown, column: string): string | null {
  const t = str(raw);
  if (t === null) return null;
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new RowProblem(column, `"${t}" is not a date`);
  return new Date(ms).toISOString();
}

const GUID_RE = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** A CSV lookup cell holds the display name of the record (or, in some exports, its GUID). */
function csvLookup(raw: string | undefined): LookupValue | null {
  const t = str(raw);
  if (t === null) return null;
  return GUID_RE.test(t) ? { id: t.replace(/[{}]/g, '').toLowerCase(), table: null, name: null } : { id: null, table: null, name: t };
}

function jsonLookup(o: Record<string, unknown>, field: string): LookupValue | null {
  const key = `_${field}_value`;
  const id = str(o[key]);
  if (id === null) return null;
  return { id: id.toLowerCase(), table: str(o[`${key}${LLN}`]), name: str(o[`${key}${FV}`]) };
}

// ---------------------------------------------------------------- format detection

/**
 * JSON when the file is named .json or its text opens like JSON; otherwise CSV. The name counts first: a
 * corrupt or truncated .json file must be reported as bad JSON, not as a CSV without known header columns.
 */
function detect(text: string, file: string): 'json' | 'csv' {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.csv$/i.test(file)) return 'csv';
  const t = text.replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('{') || t.startsWith('[') ? 'json' : 'csv';
}

/** One column of an email export SyncLens reads: its Web API name, the CSV header names it accepts, its use. */
export interface ExportColumn { webApi: string; csv: string[]; use: string; required: boolean }

/**
 * The email-activity export columns the audit reads (research §1, the email table), in the Web API JSON and
 * as an Advanced Find / Excel CSV header (display names, or the logical names). Shown by the audit view, the
 * CLI's help and the README.
 */
export const AUDIT_EMAIL_COLUMNS: readonly ExportColumn[] = [
  { webApi: 'messageid', csv: ['Message ID', 'messageid'], use: 'matches the record to a workspace message (required to audit it)', required: true },
  { webApi: 'activityid', csv: ['Email', 'Email Message', 'Activity', 'activityid'], use: 'names the record, so other records\' links to it can be compared', required: false },
  { webApi: 'subject', csv: ['Subject'], use: 'shown with the record; the subject of outgoing emails replies correlate to', required: false },
  { webApi: 'directioncode', csv: ['Direction'], use: 'incoming records are audited; outgoing ones become the emails replies correlate to (true/Outgoing, false/Incoming)', required: false },
  { webApi: 'correlationmethod', csv: ['Correlation Method'], use: 'how Dynamics correlated it: a code 0–7 or its label (None, Skipped, XHeader, InReplyTo, TrackingToken, ConversationIndex, SmartMatching, CustomCorrelation)', required: false },
  { webApi: '_correlatedactivityid_value', csv: ['Correlated Activity'], use: 'the email it was correlated to (compared only as an id: a CSV name is shown, not compared)', required: false },
  { webApi: '_parentactivityid_value', csv: ['Parent Activity'], use: 'its parent email (as above)', required: false },
  { webApi: '_regardingobjectid_value', csv: ['Regarding'], use: 'its Regarding record (as above; the lookuplogicalname annotation names the table)', required: false },
  { webApi: 'createdon', csv: ['Created On'], use: 'date of outgoing emails (for smart matching\'s window)', required: false },
  { webApi: 'sender', csv: ['From', 'Sender'], use: 'sender of outgoing emails (their address hashes)', required: false },
  { webApi: 'torecipients', csv: ['To'], use: 'recipients of outgoing emails (their address hashes)', required: false },
  { webApi: 'trackingtoken', csv: ['Tracking Token'], use: 'token of outgoing emails', required: false },
  { webApi: 'conversationindex', csv: ['Conversation Index'], use: 'Thread-Index of outgoing emails', required: false },
  { webApi: 'inreplyto', csv: ['In Reply To'], use: 'shown only', required: false },
  { webApi: '_acceptingentityid_value', csv: ['Accepting Entity'], use: 'shown only', required: false },
  { webApi: '_receivingmailboxid_value', csv: ['Receiving Mailbox'], use: 'shown only', required: false },
];

function jsonRows(text: string, file: string): { rows: Record<string, unknown>[]; context: string | null } {
  let parsed: unknown;
  try { parsed = JSON.parse(text.replace(/^\uFEFF/, '')); } catch (e) {
    throw new AuditImportError(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const value = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown> | null)?.value;
  if (!Array.isArray(value)) throw new AuditImportError(file, 'expected a Web API response {"value":[…]} or an array of rows');
  const context = Array.isArray(parsed) ? null : str((parsed as Record<string, unknown>)['@odata.context']);
  return { rows: value as Record<string, unknown>[], context };
}

// ---------------------------------------------------------------- email activities

export function parseEmailActivities(text: string, file = 'email export'): ImportResult<AuditEmail> {
  const format = detect(text, file);
  const rows: AuditEmail[] = [];
  const problems: ImportProblem[] = [];
  // A bad cell is reported and read as empty; the row itself is kept, since its other columns
  // (Message-ID, subject, …) are still what the comparison with the replay needs.
  const soft = <T>(row: number, fallback: T, read: () => T): T => {
    try { return read(); } catch (e) {
      if (e instanceof RowProblem) { problems.push({ row, column: e.column, problem: `${e.problem}; read as empty` }); return fallback; }
      throw e;
    }
  };
  const NO_CM = { value: null, label: null };
  if (format === 'json') {
    const { rows: raw } = jsonRows(text, file);
    raw.forEach((o, i) => {
      const row = i + 1;
      if (typeof o !== 'object' || o === null || Array.isArray(o)) { problems.push({ row, column: null, problem: 'row is not an object' }); return; }
      {
        const cm = soft(row, NO_CM, () => correlation(o.correlationmethod, o[`correlationmethod${FV}`], 'correlationmethod'));
        rows.push({
          row,
          activityId: str(o.activityid ?? o.emailid)?.toLowerCase() ?? null,
          messageId: str(o.messageid), inReplyTo: str(o.inreplyto), conversationIndex: str(o.conversationindex),
          trackingToken: str(o.trackingtoken), subject: str(o.subject),
          correlationMethod: cm.value, correlationMethodLabel: cm.label,
          correlatedActivity: jsonLookup(o, 'correlatedactivityid'), parentActivity: jsonLookup(o, 'parentactivityid'),
          regarding: jsonLookup(o, 'regardingobjectid'), acceptingEntity: jsonLookup(o, 'acceptingentityid'),
          receivingMailbox: jsonLookup(o, 'receivingmailboxid'),
          createdOn: soft(row, null, () => date(o.createdon, 'createdon')), direction: soft(row, null, () => direction(o.directioncode, 'directioncode')),
          sender: str(o.sender), toRecipients: str(o.torecipients),
        });
      }
    });
    return { format, rows, problems };
  }
  const csv = parseCsv(text);
  problems.push(...csv.problems);
  const [headers, ...data] = csv.records;
  if (!headers) throw new AuditImportError(file, 'the file is empty (no header row)');
  const map = headerMap(headers, EMAIL_FIELDS);
  if (!map.has('messageid') && !map.has('subject') && !map.has('activityid')) {
    throw new AuditImportError(file, `no known email columns in the header row (${headers.join(', ')}); expected e.g. Subject, Message ID, Correlation Method`);
  }
  data.forEach((cells, i) => {
    const row = i + 1;
    const get = (f: string): string | undefined => { const idx = map.get(f); return idx === undefined ? undefined : cells[idx]; };
    const col = (f: string): string => headers[map.get(f) ?? -1] ?? f;
    if (cells.length !== headers.length) problems.push({ row, column: null, problem: `has ${cells.length} fields, the header has ${headers.length}; missing fields read as empty` });
    {
      const cm = soft(row, NO_CM, () => correlation(get('correlationmethod'), undefined, col('correlationmethod')));
      const id = str(get('activityid'));
      rows.push({
        row,
        activityId: id && GUID_RE.test(id) ? id.replace(/[{}]/g, '').toLowerCase() : id,
        messageId: str(get('messageid')), inReplyTo: str(get('inreplyto')), conversationIndex: str(get('conversationindex')),
        trackingToken: str(get('trackingtoken')), subject: str(get('subject')),
        correlationMethod: cm.value, correlationMethodLabel: cm.label,
        correlatedActivity: csvLookup(get('correlatedactivityid')), parentActivity: csvLookup(get('parentactivityid')),
        regarding: csvLookup(get('regardingobjectid')), acceptingEntity: csvLookup(get('acceptingentityid')),
        receivingMailbox: csvLookup(get('receivingmailboxid')),
        createdOn: soft(row, null, () => date(get('createdon'), col('createdon'))), direction: soft(row, null, () => direction(get('directioncode'), col('directioncode'))),
        sender: str(get('sender')), toRecipients: str(get('torecipients')),
      });
    }
  });
  return { format, rows, problems };
}

// ---------------------------------------------------------------- directory

export type DirectoryTable = 'contact' | 'account' | 'lead' | 'systemuser' | 'queue';

const DIRECTORY: Record<DirectoryTable, { kind: DirectoryKind; prefix: string; id: string[]; name: string[]; emails: string[][] }> = {
  contact: { kind: 'contact', prefix: 'contact', id: ['contactid', 'contact'], name: ['fullname', 'fullname'], emails: [['emailaddress1', 'email'], ['emailaddress2', 'emailaddress2'], ['emailaddress3', 'emailaddress3']] },
  account: { kind: 'account', prefix: 'account', id: ['accountid', 'account'], name: ['name', 'accountname'], emails: [['emailaddress1', 'email'], ['emailaddress2', 'emailaddress2'], ['emailaddress3', 'emailaddress3']] },
  lead: { kind: 'lead', prefix: 'lead', id: ['leadid', 'lead'], name: ['fullname', 'name'], emails: [['emailaddress1', 'email'], ['emailaddress2', 'emailaddress2'], ['emailaddress3', 'emailaddress3']] },
  systemuser: { kind: 'user', prefix: 'user', id: ['systemuserid', 'user'], name: ['fullname', 'fullname'], emails: [['internalemailaddress', 'primaryemail'], ['personalemailaddress', 'alternateemail']] },
  queue: { kind: 'queue', prefix: 'queue', id: ['queueid', 'queue'], name: ['name', 'queuename'], emails: [['emailaddress', 'incomingemail', 'email']] },
};

const CONTEXT_TABLE: Record<string, DirectoryTable> = { contacts: 'contact', accounts: 'account', leads: 'lead', systemusers: 'systemuser', queues: 'queue' };

/** Which directory table a file is, from the Web API @odata.context or the CSV id column. */
function detectTable(text: string, format: 'json' | 'csv'): DirectoryTable | null {
  if (format === 'json') {
    const m = /"@odata\.context"\s*:\s*"[^"]*\$metadata#(\w+)/.exec(text);
    return m ? CONTEXT_TABLE[m[1]!] ?? null : null;
  }
  const first = (parseCsv(text.split(/\r?\n/, 1)[0] ?? '').records[0] ?? []).map(norm);
  for (const t of Object.keys(DIRECTORY) as DirectoryTable[]) if (DIRECTORY[t].id.some((a) => first.includes(norm(a)))) return t;
  return null;
}

function active(raw: unknown, table: DirectoryTable, isDisabled: unknown): boolean {
  if (table === 'systemuser' && isDisabled !== undefined && isDisabled !== null && isDisabled !== '') {
    return !(isDisabled === true || /^(true|1|yes|disabled)$/i.test(String(isDisabled).trim()));
  }
  if (raw === undefined || raw === null || raw === '') return true;
  const t = String(raw).trim().toLowerCase();
  // statecode 0 = Active (Open for leads); display exports say "Active" / "Open".
  return t === '0' || t === 'active' || t === 'open';
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

export function parseDirectory(text: string, table?: DirectoryTable, file = 'directory export'): ImportResult<DirectoryEntry> {
  const format = detect(text, file);
  const t = table ?? detectTable(text, format);
  if (!t) throw new AuditImportError(file, 'cannot tell which table this is; pass contact, account, lead, systemuser or queue');
  const spec = DIRECTORY[t];
  const rows: DirectoryEntry[] = [];
  const problems: ImportProblem[] = [];

  const build = (row: number, get: (names: string[]) => unknown, colName: (names: string[]) => string, owner: { id: string | null; table: string | null }): void => {
    const id = str(get(spec.id));
    if (!id) { problems.push({ row, column: colName(spec.id), problem: `missing the ${spec.id[0]} id; row skipped` }); return; }
    const emails: string[] = [];
    for (const names of spec.emails) {
      const e = str(get(names));
      if (e === null) continue;
      if (!EMAIL_RE.test(e)) { problems.push({ row, column: colName(names), problem: `"${e}" is not an email address; ignored` }); continue; }
      if (!emails.includes(e.toLowerCase())) emails.push(e.toLowerCase());
    }
    const ownerPrefix = owner.table === 'team' ? 'team' : 'user';
    rows.push({
      kind: spec.kind, ref: `${spec.prefix}:${id.replace(/[{}]/g, '').toLowerCase()}`, id: id.replace(/[{}]/g, '').toLowerCase(), table: t,
      name: str(get(spec.name)) ?? '', emails,
      active: active(get(['statecode', 'status']), t, get(['isdisabled', 'userstatus'])),
      owner: owner.id ? `${ownerPrefix}:${owner.id}` : null,
    });
  };

  if (format === 'json') {
    const { rows: raw } = jsonRows(text, file);
    raw.forEach((o, i) => {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) { problems.push({ row: i + 1, column: null, problem: 'row is not an object' }); return; }
      const get = (names: string[]): unknown => { for (const n of names) if (o[n] !== undefined) return o[n]; return undefined; };
      const oid = str(o._ownerid_value);
      build(i + 1, get, (names) => names[0] ?? '', { id: oid?.toLowerCase() ?? null, table: str(o[`_ownerid_value${LLN}`]) });
    });
    return { format, rows, problems };
  }
  const csv = parseCsv(text);
  problems.push(...csv.problems);
  const [headers, ...data] = csv.records;
  if (!headers) throw new AuditImportError(file, 'the file is empty (no header row)');
  const normHeaders = headers.map(norm);
  data.forEach((cells, i) => {
    const idx = (names: string[]): number => { for (const n of names) { const k = normHeaders.indexOf(norm(n)); if (k >= 0) return k; } return -1; };
    const get = (names: string[]): unknown => { const k = idx(names); return k < 0 ? undefined : cells[k]; };
    const colName = (names: string[]): string => headers[idx(names)] ?? names[0] ?? '';
    // CSV owner cells hold a display name or a GUID; only a GUID can become an entity ref.
    const ownerRaw = str(get(['_ownerid_value', 'ownerid', 'owner']));
    const ownerId = ownerRaw && GUID_RE.test(ownerRaw) ? ownerRaw.replace(/[{}]/g, '').toLowerCase() : null;
    if (ownerRaw && !ownerId) problems.push({ row: i + 1, column: colName(['owner']), problem: `owner "${ownerRaw}" is a name, not an id; owner left empty (export the owner id column to keep it)` });
    build(i + 1, get, colName, { id: ownerId, table: null });
  });
  return { format, rows, problems };
}
