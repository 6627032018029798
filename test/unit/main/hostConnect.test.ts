// The engine host's connector methods (issue 16): org.pull and mailbox.pull as long jobs (progress, cancel,
// workspace.changed) against the local Dataverse and Graph stand-ins, errors as the connector's sentence,
// and the sign-in address check Electron main relies on. Expected figures come from the stand-ins' data
// (the org fixtures, the Graph stand-in's five Inbox messages), not from running the pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSignInUrl, SIGN_IN_DEFAULTS, type AuthOpen, type Envelope, type JobProgress, type MailboxPullSummary, type OrgPullSummary } from '../../../core/contract/contract.js';
import { DATAVERSE_CLIENT_ID, DEFAULT_TENANT, GRAPH_CLIENT_ID } from '../../../core/node/connectors/auth.js';
import { PULL_TABLES } from '../../../core/node/connectors/dataverse.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { ORG_JSON, startDataverseStandIn, type DataverseStandIn } from '../connectors/dataverseServer.js';
import { startGraphStandIn, type GraphStandIn } from '../connectors/graphServer.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-host-connect-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const fixtureMailboxes = (JSON.parse(fs.readFileSync(path.join(ORG_JSON, 'mailboxes.json'), 'utf8')) as { value: unknown[] }).value.length;

let host: Host;
let dataverse: DataverseStandIn;
let graph: GraphStandIn;
let events: { event: string; payload: unknown }[];
let n = 0;

function value<T>(r: Envelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeEach(async () => {
  dataverse = await startDataverseStandIn();
  graph = await startGraphStandIn({ count: 5, pageSize: 2 });
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp], connect: { accessToken: 'good', graphBaseUrl: `${graph.base}/v1.0` } });
  events = [];
  host.onEvent((event, payload) => events.push({ event, payload }));
  value(await host.invoke('workspace.create', { path: path.join(tmp, `ws-${++n}.synclens`) }));
});
afterEach(async () => {
  host.close();
  await dataverse.close();
  await graph.close();
});

describe('sign-in', () => {
  it('shows the same defaults as the connectors use', () => {
    expect(SIGN_IN_DEFAULTS).toEqual({ tenant: DEFAULT_TENANT, dataverseClientId: DATAVERSE_CLIENT_ID, graphClientId: GRAPH_CLIENT_ID });
  });

  it('hands only Microsoft sign-in pages to a browser', () => {
    expect(isSignInUrl('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x&redirect_uri=http%3A%2F%2Flocalhost%3A5000')).toBe(true);
    for (const bad of ['http://login.microsoftonline.com/x', 'https://login.microsoftonline.com.evil.example/x', 'https://evil.example/?https://login.microsoftonline.com/',
      'https://user@login.microsoftonline.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(isSignInUrl(bad), bad).toBe(false);
    }
  });
});

describe('org.pull', () => {
  it('pulls the organization as a job with progress, lands it and tells the views', async () => {
    const s = value<OrgPullSummary>(await host.invoke('org.pull', { url: dataverse.root, jobId: 'org-1' }));
    expect(s.jobId).toBe('org-1');
    expect(s.cancelled).toBe(false);
    expect(s.tables.map((t) => t.table)).toEqual([...PULL_TABLES]);
    expect(s.tables.find((t) => t.table === 'mailbox')).toMatchObject({ label: 'mailboxes', rows: fixtureMailboxes, resumed: false });
    expect(s.landed?.mailboxes).toBe(fixtureMailboxes);
    const progress = events.filter((e) => e.event === 'job.progress').map((e) => e.payload as JobProgress);
    expect(progress.length).toBeGreaterThan(PULL_TABLES.length);
    expect(progress.every((p) => p.jobId === 'org-1' && p.kind === 'pull' && p.total === PULL_TABLES.length)).toBe(true);
    expect(events.some((e) => e.event === 'workspace.changed')).toBe(true);
    const info = value<{ mailboxes: { address: string }[] }>(await host.invoke('workspace.info', {}));
    expect(info.mailboxes).toHaveLength(fixtureMailboxes);
    expect(dataverse.requests.every((r) => r.method === 'GET' && r.auth === 'Bearer good')).toBe(true);
  });

  it('is cancelled while it waits out a service-protection limit, keeping the tables already stored', async () => {
    // Dataverse asks for 5 minutes' rest on the email table (the documented 429 with Retry-After).
    dataverse.faults.set('emails', [{ status: 429, retryAfter: '300' }]);
    const pending = host.invoke('org.pull', { url: dataverse.root, jobId: 'org-cancel' });
    await expect.poll(() => dataverse.requests.some((r) => r.path.endsWith('/emails')), { timeout: 10_000 }).toBe(true);
    expect(value<{ cancelled: boolean }>(await host.invoke('job.cancel', { jobId: 'org-cancel' })).cancelled).toBe(true);
    const s = value<OrgPullSummary>(await pending);
    expect(s.cancelled).toBe(true);
    expect(s.tables.map((t) => t.table)).not.toContain('email');
    // The mailboxes were stored before the email table: they are in the workspace.
    expect(value<{ mailboxes: unknown[] }>(await host.invoke('workspace.info', {})).mailboxes).toHaveLength(fixtureMailboxes);
  });

  it('names the missing privilege of a 403 and refuses an address that is not an environment', async () => {
    dataverse.faults.set('systemusers', [{ status: 403, privilege: 'prvReadUser' }]);
    const r = await host.invoke('org.pull', { url: dataverse.root });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/needs the Read privilege prvReadUser/);
    const bad = await host.invoke('org.pull', { url: 'http://contoso.crm.dynamics.com' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!bad.ok) expect(bad.error.message).toContain('must start with https://');
    expect(await host.invoke('org.pull', { url: dataverse.root, since: 'last week' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('mailbox.pull', () => {
  it('pulls the Inbox through Graph and the messages are in the workspace', async () => {
    const s = value<MailboxPullSummary>(await host.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: ['Inbox'], jobId: 'mail-1' }));
    expect(s).toMatchObject({ jobId: 'mail-1', user: 'alice@contoso.com', mailbox: 'alice@contoso.com', cancelled: false });
    expect(s.folders).toEqual([expect.objectContaining({ folder: 'Inbox', listed: 5, imported: 5, duplicate: 0, quarantined: 0, incremental: false })]);
    expect(value<{ messageCount: number }>(await host.invoke('workspace.info', {})).messageCount).toBe(5);
    expect(events.some((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === 'mail-1')).toBe(true);
    // A second pull asks only for what changed (the delta link): nothing new.
    const again = value<MailboxPullSummary>(await host.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: ['Inbox'] }));
    expect(again.folders[0]).toMatchObject({ incremental: true, imported: 0 });
  });

  it('says which permission a 403 means is missing', async () => {
    const r = await host.invoke('mailbox.pull', { user: 'denied@contoso.com', folders: ['Inbox'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('Mail.Read');
    expect(await host.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

// ---- interactive sign-in through the host: MSAL's requests go to a local Entra ID stand-in answering the
// documented shapes (instance discovery, OpenID configuration, token endpoint), as in auth.test.ts.
const TENANT_ID = '8f2a6f0e-1f3c-4d0a-9c55-0b1d2e3f4a5b';
const OID = '0c5d1e2f-3a4b-4c6d-8e9f-a0b1c2d3e4f5';
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

async function startEntraStandIn(): Promise<{ network: INetworkModule; close: () => Promise<void> }> {
  const entra = 'https://login.microsoftonline.com';
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString(); });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const json = (o: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (url.pathname === '/common/discovery/instance') {
        return json({ tenant_discovery_endpoint: `${entra}/organizations/v2.0/.well-known/openid-configuration`, 'api-version': '1.1',
          metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }] });
      }
      if (url.pathname === '/organizations/v2.0/.well-known/openid-configuration') {
        return json({ token_endpoint: `${entra}/organizations/oauth2/v2.0/token`, authorization_endpoint: `${entra}/organizations/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${entra}/organizations/oauth2/v2.0/devicecode`, end_session_endpoint: `${entra}/organizations/oauth2/v2.0/logout`,
          issuer: `${entra}/{tenantid}/v2.0`, jwks_uri: `${entra}/organizations/discovery/v2.0/keys`, response_types_supported: ['code'], scopes_supported: ['openid', 'profile', 'offline_access'] });
      }
      if (url.pathname === '/organizations/oauth2/v2.0/token') {
        const body = new URLSearchParams(data);
        const now = Math.floor(Date.now() / 1000);
        const idToken = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud: body.get('client_id'), iss: `${entra}/${TENANT_ID}/v2.0`, iat: now, nbf: now, exp: now + 3600,
          name: 'Bob Admin', oid: OID, preferred_username: 'bob@contoso.com', sub: 'subject', tid: TENANT_ID, ver: '2.0' })}.`;
        // The Graph stand-in accepts the bearer token "good".
        return json({ token_type: 'Bearer', scope: 'https://graph.microsoft.com/Mail.Read openid profile offline_access', expires_in: 3599, ext_expires_in: 3599,
          access_token: 'good', refresh_token: 'refresh-1', id_token: idToken, client_info: b64url({ uid: OID, utid: TENANT_ID }) });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<{ headers: Record<string, string>; body: T; status: number }> => {
    const u = new URL(url);
    const r = await fetch(`${base}${u.pathname}${u.search}`, { method, headers: options?.headers ?? {}, ...(options?.body !== undefined ? { body: options.body } : {}) });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    return { headers, body: (await r.json()) as T, status: r.status };
  };
  return {
    network: { sendGetRequestAsync: (url, o) => send('GET', url, o), sendPostRequestAsync: (url, o) => send('POST', url, o) },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('interactive sign-in', () => {
  it('sends Microsoft\'s sign-in page as auth.open for the job, and pulls once the browser hands back the code', async () => {
    const entra = await startEntraStandIn();
    const saved = process.env['SYNCLENS_ACCESS_TOKEN'];
    delete process.env['SYNCLENS_ACCESS_TOKEN'];
    const h = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp], connect: { graphBaseUrl: `${graph.base}/v1.0`, signInNetwork: entra.network } });
    try {
      const opened: AuthOpen[] = [];
      h.onEvent((event, payload) => {
        if (event !== 'auth.open') return;
        const a = payload as AuthOpen;
        opened.push(a);
        // What the user's browser does after sign-in: Entra ID posts the code to MSAL's loopback redirect.
        const u = new URL(a.url);
        const form = new URLSearchParams({ code: 'auth-code-1', state: u.searchParams.get('state') as string, client_info: b64url({ uid: OID, utid: TENANT_ID }) });
        void fetch(u.searchParams.get('redirect_uri') as string, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }).then((r) => r.text());
      });
      value(await h.invoke('workspace.create', { path: path.join(tmp, `ws-${++n}.synclens`) }));
      const s = value<MailboxPullSummary>(await h.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: ['Inbox'], jobId: 'signed-in' }));
      expect(opened).toHaveLength(1);
      expect(opened[0]?.jobId).toBe('signed-in');
      expect(isSignInUrl(opened[0]?.url ?? '')).toBe(true);
      // The Graph client id by default, asking for Mail.Read only (read-only).
      const u = new URL(opened[0]?.url ?? '');
      expect(u.searchParams.get('client_id')).toBe(GRAPH_CLIENT_ID);
      expect(u.searchParams.get('scope')?.split(' ')).toContain('https://graph.microsoft.com/Mail.Read');
      expect(s.folders[0]).toMatchObject({ imported: 5 });
      // A second pull in the same session reuses MSAL's in-memory cache: no second sign-in.
      value(await h.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: ['Inbox'] }));
      expect(opened).toHaveLength(1);
    } finally {
      h.close();
      await entra.close();
      if (saved !== undefined) process.env['SYNCLENS_ACCESS_TOKEN'] = saved;
    }
  });

  it('a sign-in nobody completes ends when the job is cancelled', async () => {
    const entra = await startEntraStandIn();
    const saved = process.env['SYNCLENS_ACCESS_TOKEN'];
    delete process.env['SYNCLENS_ACCESS_TOKEN'];
    const h = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp], connect: { graphBaseUrl: `${graph.base}/v1.0`, signInNetwork: entra.network } });
    try {
      let opened = false;
      h.onEvent((event) => { if (event === 'auth.open') opened = true; });
      value(await h.invoke('workspace.create', { path: path.join(tmp, `ws-${++n}.synclens`) }));
      const pending = h.invoke('mailbox.pull', { user: 'alice@contoso.com', folders: ['Inbox'], jobId: 'never-signed-in' });
      await expect.poll(() => opened, { timeout: 10_000 }).toBe(true);
      value(await h.invoke('job.cancel', { jobId: 'never-signed-in' }));
      // Like any cancelled pull: a summary that says so, with nothing imported.
      const s = value<MailboxPullSummary>(await pending);
      expect(s.cancelled).toBe(true);
      expect(s.folders.every((f) => f.imported === 0)).toBe(true);
      expect(value<{ messageCount: number }>(await h.invoke('workspace.info', {})).messageCount).toBe(0);
    } finally {
      h.close();
      await entra.close();
      if (saved !== undefined) process.env['SYNCLENS_ACCESS_TOKEN'] = saved;
    }
  });
});
