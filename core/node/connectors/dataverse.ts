// Pulls a Dataverse organization through the Web API, read-only: the tables of SIMULATOR §9 with $select
// of exactly the columns the org loader reads (core/org/tables.ts), email rows with their activity parties
// ($expand=email_activity_parties), paged with Prefer: odata.maxpagesize and @odata.nextLink, through the
// shared OData client (service-protection 429 / Retry-After, 5xx backoff, cancel). Each table's rows go
// through orgResultFromRows and saveOrgLoad: after the HTTP layer, a pulled row lands exactly as the same
// row of a saved Web API export would (one code path).
// Resume: a table is stored when all its pages have arrived; the tables done so far are remembered in
// connector_state, so an interrupted pull starts again at the table it was on, not from the beginning.
// Docs: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api
// (select, expand, paging), https://learn.microsoft.com/power-apps/developer/data-platform/api-limits.

import { orgResultFromRows, organizationSettingColumns, TABLES, type OrgFileResult, type OrgTable } from '../../org/index.js';
import { saveOrgLoad, type OrgLoadSummary } from '../workspace/org.js';
import type { Workspace } from '../workspace/open.js';
import { ConnectorError, type ODataClient } from './http.js';

/** The order a pull reads the tables in: what others refer to first, the (large) email table last. */
export const PULL_TABLES = [
  'organization', 'emailserverprofile', 'systemuser', 'usersettings', 'queue', 'mailbox', 'mailboxtrackingfolder',
  'contact', 'account', 'lead', 'email',
] as const satisfies readonly Exclude<OrgTable, 'record' | 'activityparty'>[];
export type PullTable = (typeof PULL_TABLES)[number];

/**
 * The read privilege each table needs (Dataverse security roles), named in a 403 so the admin knows what
 * to grant. Email is an activity: its rows are read with the Activity privilege.
 */
const READ_PRIVILEGE: Record<PullTable, string> = {
  organization: 'prvReadOrganization', emailserverprofile: 'prvReadEmailServerProfile', systemuser: 'prvReadUser',
  usersettings: 'prvReadUserSettings', queue: 'prvReadQueue', mailbox: 'prvReadMailbox', mailboxtrackingfolder: 'prvReadMailboxTrackingFolder',
  contact: 'prvReadContact', account: 'prvReadAccount', lead: 'prvReadLead', email: 'prvReadActivity',
};

export interface DataversePullOptions {
  /** The environment, e.g. https://contoso.crm.dynamics.com */
  url: string;
  /** Email rows created on or after this moment only (the other tables are always read whole). */
  since?: Date;
  /** Only these mailboxes' rows, and only email rows they received (by receivingmailboxid). */
  mailboxes?: readonly string[];
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: { table: PullTable; rows: number; page: number }) => void;
}

export interface DataversePullSummary {
  tables: { table: PullTable; rows: number; pages: number; resumed: boolean }[];
  load: OrgLoadSummary | null;
  cancelled: boolean;
  elapsedMs: number;
}

/** The environment's root; http is accepted for loopback only (the test stand-ins). */
export function environmentRoot(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConnectorError('BAD_URL', `"${url}" is not an environment address: give it as https://ORG.crm.dynamics.com`);
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new ConnectorError('BAD_URL', `${url} must start with https:// (Dataverse answers only over HTTPS)`);
  }
  if (u.pathname !== '/' && u.pathname !== '') {
    throw new ConnectorError('BAD_URL', `${url} has a path: give only the environment, e.g. ${u.origin} (as in the Power Platform admin center)`);
  }
  return u.origin;
}

/** The delegated scope a token needs for this environment. */
export function dataverseScopes(root: string): string[] {
  return [`${root}/user_impersonation`];
}

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The GET a table is read with: $select of the loader's columns, plus the expand and filters it needs. */
export function tableQuery(root: string, table: PullTable, o: Pick<DataversePullOptions, 'since' | 'mailboxes'>, mailboxIds: readonly string[] = []): string {
  const spec = TABLES[table];
  const select = new Set<string>([spec.id.key]);
  for (const c of spec.columns) {
    if (c.kind === 'parties') continue; // Web API rows carry their parties as email_activity_parties.
    select.add(c.kind === 'lookup' ? `_${c.key}_value` : c.key);
  }
  if (table === 'organization') for (const k of organizationSettingColumns()) select.add(k);
  const q: string[] = [`$select=${[...select].join(',')}`];
  const filters: string[] = [];
  if (table === 'email') {
    q.push('$expand=email_activity_parties($select=participationtypemask,addressused,_partyid_value)');
    if (o.since) filters.push(`createdon ge ${o.since.toISOString()}`);
    if (mailboxIds.length) filters.push(`(${mailboxIds.map((id) => `_receivingmailboxid_value eq ${id}`).join(' or ')})`);
  }
  if (table === 'mailbox' && o.mailboxes?.length) filters.push(`(${o.mailboxes.map((a) => `emailaddress eq ${odataString(a)}`).join(' or ')})`);
  if (filters.length) q.push(`$filter=${filters.join(' and ')}`);
  return `${root}/api/data/v9.2/${spec.entitySet}?${q.map((p) => p.replace(/ /g, '%20')).join('&')}`;
}

function stateKey(root: string): string {
  return `dataverse:${new URL(root).host}:tables-done`;
}

export async function pullOrganization(ws: Workspace, client: ODataClient, o: DataversePullOptions): Promise<DataversePullSummary> {
  const started = Date.now();
  const root = environmentRoot(o.url);
  const getState = ws.db.prepare('SELECT value FROM connector_state WHERE key = ?').pluck();
  const setState = ws.db.prepare(`INSERT INTO connector_state (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const key = stateKey(root);
  const saved = getState.get(key) as string | undefined;
  const done = new Set<string>(saved ? (JSON.parse(saved) as string[]) : []);
  const summary: DataversePullSummary = { tables: [], load: null, cancelled: false, elapsedMs: 0 };
  let load: OrgLoadSummary | null = null;
  let mailboxIds: string[] = [];
  for (const table of PULL_TABLES) {
    if (done.has(table)) {
      summary.tables.push({ table, rows: 0, pages: 0, resumed: true });
      continue;
    }
    if (table === 'email' && o.mailboxes?.length) {
      // The ids of the chosen mailboxes, as loaded (by this pull, or by an earlier one or an export).
      const wanted = new Set(o.mailboxes.map((a) => a.trim().toLowerCase()));
      const loaded = ws.db.prepare("SELECT row_id, record_json FROM org_rows WHERE table_name = 'mailbox'").all() as { row_id: string; record_json: string }[];
      mailboxIds = loaded.filter((r) => wanted.has(String((JSON.parse(r.record_json) as { email?: unknown }).email ?? '').toLowerCase())).map((r) => r.row_id);
      if (mailboxIds.length === 0) {
        throw new ConnectorError('NOT_FOUND', `none of the mailboxes ${o.mailboxes.join(', ')} is in ${root}: check the addresses (Settings › Email configuration › Mailboxes)`);
      }
    }
    const rows: unknown[] = [];
    let pages = 0;
    try {
      for await (const page of client.pages<unknown>(tableQuery(root, table, o, mailboxIds), { maxPageSize: o.pageSize ?? 5000 })) {
        rows.push(...page.value);
        pages += 1;
        o.onProgress?.({ table, rows: rows.length, page: pages });
      }
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'CANCELLED') {
        summary.cancelled = true;
        break;
      }
      if (err instanceof ConnectorError && err.code === 'FORBIDDEN') {
        throw new ConnectorError('FORBIDDEN', `${err.message}; reading ${TABLES[table].displayNames[1] ?? table} needs the Read privilege ${READ_PRIVILEGE[table]} in one of the account's security roles`, 403, { cause: err });
      }
      if (err instanceof ConnectorError && err.code === 'NOT_FOUND') {
        throw new ConnectorError('NOT_FOUND', `${root} has no ${TABLES[table].entitySet} table: check that the address is a Dataverse environment (${err.message})`, 404, { cause: err });
      }
      throw err;
    }
    const result: OrgFileResult = orgResultFromRows(table, rows, { source: `${root}/api/data/v9.2/${TABLES[table].entitySet} (pulled)` });
    load = saveOrgLoad(ws, [result]);
    done.add(table);
    setState.run(key, JSON.stringify([...done]), new Date().toISOString());
    summary.tables.push({ table, rows: rows.length, pages, resumed: false });
  }
  if (!summary.cancelled) ws.db.prepare('DELETE FROM connector_state WHERE key = ?').run(key);
  summary.load = load;
  summary.elapsedMs = Date.now() - started;
  return summary;
}
