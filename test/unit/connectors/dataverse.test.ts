// The Dataverse Web API pull against a local stand-in (dataverseServer.ts): only GETs with $select of the
// loader's columns, paging by Prefer: odata.maxpagesize and @odata.nextLink, throttling and expired tokens
// honoured, a missing privilege named, an interrupted pull resumed; and the pulled org lands exactly as the
// same rows loaded from saved Web API exports (org import), because both go through one loader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StaticTokenProvider } from '../../../core/node/connectors/auth.js';
import { dataverseScopes, environmentRoot, pullOrganization, PULL_TABLES } from '../../../core/node/connectors/dataverse.js';
import { ConnectorError, ODataClient } from '../../../core/node/connectors/http.js';
import { readOrgExports } from '../../../core/node/org/readExports.js';
import { openWorkspace, type Workspace } from '../../../core/node/workspace/open.js';
import { loadSettingsProfile, saveOrgLoad } from '../../../core/node/workspace/index.js';
import { ORG_JSON, startDataverseStandIn, type DataverseStandIn } from './dataverseServer.js';
import { run as orgCommand } from '../../../core/cli/commands/org.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-dataverse-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let server: DataverseStandIn | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});
let n = 0;
const newWorkspace = (): Workspace => openWorkspace(path.join(tmp, `ws-${++n}.synclens`), { create: true });

function client(root: string, tokens: string[] = ['good'], waits: number[] = []): ODataClient {
  return new ODataClient({ tokens: new StaticTokenProvider(tokens), scopes: dataverseScopes(root), backoffMs: 1, maxRetries: 3, sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
}

/** What the replay reads of an org, without provenance (which names the file or URL it came from). */
function landed(ws: Workspace): unknown {
  const q = (sql: string) => ws.db.prepare(sql).all();
  return {
    mailboxes: q('SELECT address, owner, filter, process_emails_from, tracked_folders, incoming, dataverse_id FROM mailboxes ORDER BY address'),
    directory: q('SELECT ref, kind, entity_id, table_name, name, emails_json, active, owner, tracking_number FROM directory_entries ORDER BY ref'),
    tracked: q('SELECT id, message_id, subject, tracking_token, conversation_index, direction, from_addr, to_json, cc_json, sent_on, regarding FROM tracked_emails ORDER BY id'),
    settings: loadSettingsProfile(ws, 'org'),
  };
}

describe('Dataverse Web API pull', () => {
  it('reads only with GET and $select, pages by maxpagesize and nextLink, and lands the org as an export import does', async () => {
    server = await startDataverseStandIn();
    const pulled = newWorkspace();
    const summary = await pullOrganization(pulled, client(server.root), { url: server.root, pageSize: 1 });
    expect(summary.cancelled).toBe(false);
    expect(server.requests.every((r) => r.method === 'GET' && r.query.has('$select') && r.auth === 'Bearer good')).toBe(true);
    expect(server.requests.every((r) => r.prefer === 'odata.maxpagesize=1')).toBe(true);
    // Three mailboxes at one row per page: three requests, the 2nd and 3rd from @odata.nextLink.
    expect(server.requests.filter((r) => r.path.endsWith('/mailboxes'))).toHaveLength(3);
    const emailQuery = server.requests.find((r) => r.path.endsWith('/emails'))?.query;
    expect(emailQuery?.get('$expand')).toBe('email_activity_parties($select=participationtypemask,addressused,_partyid_value)');
    expect(emailQuery?.get('$select')?.split(',')).toEqual(expect.arrayContaining(['activityid', 'messageid', 'conversationindex', '_regardingobjectid_value', '_correlatedactivityid_value']));
    expect(summary.tables.map((t) => t.table)).toEqual([...PULL_TABLES]);

    const imported = newWorkspace();
    saveOrgLoad(imported, readOrgExports([ORG_JSON]).results);
    expect(landed(pulled)).toEqual(landed(imported));
    expect((landed(pulled) as { mailboxes: unknown[] }).mailboxes).toHaveLength(3);
    expect((landed(pulled) as { directory: unknown[] }).directory.length).toBeGreaterThan(3);
    expect((landed(pulled) as { tracked: unknown[] }).tracked.length).toBe(2);
    pulled.close();
    imported.close();
  });

  it('waits out 429 Retry-After and refreshes an expired token', async () => {
    server = await startDataverseStandIn();
    server.faults.set('contacts', [{ status: 429, retryAfter: '7' }]);
    const waits: number[] = [];
    const ws = newWorkspace();
    const summary = await pullOrganization(ws, client(server.root, ['expired', 'good'], waits), { url: server.root });
    expect(waits).toContain(7000);
    expect(summary.tables.find((t) => t.table === 'contact')?.rows).toBe(1);
    ws.close();
  });

  it('names the missing privilege on 403 and resumes at that table on the next pull', async () => {
    server = await startDataverseStandIn();
    server.faults.set('leads', [{ status: 403, privilege: 'prvReadLead' }]);
    const ws = newWorkspace();
    const err = await pullOrganization(ws, client(server.root), { url: server.root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('FORBIDDEN');
    expect((err as ConnectorError).message).toMatch(/missing prvReadLead privilege.*Read privilege prvReadLead/);
    server.requests.length = 0;
    const again = await pullOrganization(ws, client(server.root), { url: server.root });
    // Everything before leads was stored by the first pull: only leads and emails are read again.
    expect(new Set(server.requests.map((r) => r.path.split('/').pop()))).toEqual(new Set(['leads', 'emails']));
    expect(again.tables.filter((t) => t.resumed).map((t) => t.table)).toEqual(PULL_TABLES.slice(0, PULL_TABLES.indexOf('lead')));
    ws.close();
  });

  it('filters email rows by date and by the chosen mailboxes', async () => {
    server = await startDataverseStandIn();
    const ws = newWorkspace();
    await pullOrganization(ws, client(server.root), { url: server.root, since: new Date('2024-03-01T00:00:00Z'), mailboxes: ['alice@contoso.com'] });
    expect(server.requests.find((r) => r.path.endsWith('/mailboxes'))?.query.get('$filter')).toBe("(emailaddress eq 'alice@contoso.com')");
    const emailFilter = server.requests.find((r) => r.path.endsWith('/emails'))?.query.get('$filter') ?? '';
    // Alice's mailbox only (mailboxes.json: her row's mailboxid).
    const alice = ws.db.prepare("SELECT dataverse_id FROM mailboxes WHERE address = 'alice@contoso.com'").pluck().get() as string;
    expect(emailFilter).toBe(`createdon ge 2024-03-01T00:00:00.000Z and (_receivingmailboxid_value eq ${alice})`);
    ws.close();
  });

  it('refuses an address that is not an environment, saying what to give', () => {
    expect(() => environmentRoot('contoso')).toThrow(/https:\/\/ORG.crm.dynamics.com/);
    expect(() => environmentRoot('http://contoso.crm.dynamics.com')).toThrow(/must start with https:\/\//);
    expect(() => environmentRoot('https://contoso.crm.dynamics.com/main.aspx')).toThrow(/give only the environment, e.g. https:\/\/contoso.crm.dynamics.com/);
    expect(environmentRoot('https://contoso.crm4.dynamics.com/')).toBe('https://contoso.crm4.dynamics.com');
  });

  it('org pull on the command line: signs in with a given token, prints what landed, and says what to fix on 403', async () => {
    server = await startDataverseStandIn();
    const file = path.join(tmp, 'cli.synclens');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    process.env.SYNCLENS_ACCESS_TOKEN = 'good';
    try {
      expect(await orgCommand(['pull', '--url', server.root, '--workspace', file], io)).toBe(0);
      expect(out.join('\n')).toMatch(/Landed: 3 mailboxes, \d+ directory rows, 2 tracked emails, the organization's settings/);
      expect(server.requests.every((r) => r.auth === 'Bearer good')).toBe(true);
      server.faults.set('systemusers', [{ status: 403, privilege: 'prvReadUser' }]);
      fs.rmSync(file);
      expect(await orgCommand(['pull', '--url', server.root, '--workspace', file], io)).toBe(1);
      expect(err.join('\n')).toMatch(/org pull: .*Read privilege prvReadUser/);
      expect(await orgCommand(['pull', '--url', 'http://contoso.crm.dynamics.com', '--workspace', file], io)).toBe(2);
    } finally {
      delete process.env.SYNCLENS_ACCESS_TOKEN;
    }
  });
});
