// The engine host's connector methods (issue 16): org.pull and mailbox.pull as long jobs (progress, cancel,
// workspace.changed) against the local Dataverse and Graph stand-ins, errors as the connector's sentence,
// and the sign-in address check Electron main relies on. Expected figures come from the stand-ins' data
// (the org fixtures, the Graph stand-in's five Inbox messages), not from running the pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSignInUrl, SIGN_IN_DEFAULTS, type Envelope, type JobProgress, type MailboxPullSummary, type OrgPullSummary } from '../../../core/contract/contract.js';
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
