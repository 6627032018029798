// The HTTP layer and the Graph mailbox pull against a local Graph stand-in on 127.0.0.1 (graphServer.ts).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StaticTokenProvider } from '../../../core/node/connectors/auth.js';
import { pullMailbox } from '../../../core/node/connectors/graphMail.js';
import { ConnectorError, ODataClient, retryAfterMs, tokenTenant } from '../../../core/node/connectors/http.js';
import { getMessageBytes } from '../../../core/node/mailparse.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import { startGraphStandIn, type GraphStandIn } from './graphServer.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-graph-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let server: GraphStandIn | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function client(tokens: string[], waits: number[] = [], signal?: AbortSignal): ODataClient {
  return new ODataClient({ tokens: new StaticTokenProvider(tokens), scopes: ['https://graph.microsoft.com/Mail.Read'], permissionHint: 'the Mail.Read permission (delegated)',
    backoffMs: 10, maxRetries: 3, sleep: (ms) => { waits.push(ms); return Promise.resolve(); }, ...(signal ? { signal } : {}) });
}

describe('HTTP layer', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10000);
    expect(retryAfterMs(null)).toBeNull();
  });

  it('reads the tenant (tid claim) of an access token', () => {
    const payload = Buffer.from(JSON.stringify({ tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' })).toString('base64url');
    expect(tokenTenant(`e30.${payload}.sig`)).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
  });

  it('names the missing permission on 403', async () => {
    server = await startGraphStandIn();
    const err = await client(['good']).getJson(`${server.base}/v1.0/users/denied%40contoso.com/mailFolders/inbox`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('FORBIDDEN');
    expect((err as ConnectorError).message).toMatch(/ErrorAccessDenied.*Mail\.Read permission \(delegated\)/);
  });

  it('refreshes an expired token once (401), then gives up with UNAUTHORIZED', async () => {
    server = await startGraphStandIn();
    const ok = await client(['expired', 'good']).getJson<{ id: string }>(`${server.base}/v1.0/users/bob%40contoso.com/mailFolders/inbox`);
    expect(ok.id).toBe('AAInbox');
    const err = await client(['expired']).getJson(`${server.base}/v1.0/users/bob%40contoso.com/mailFolders/inbox`).catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('UNAUTHORIZED');
    expect((err as ConnectorError).message).toMatch(/token is expired/);
  });

  it('a wrong host is a BAD_URL error naming it', async () => {
    const err = await client(['good']).getJson('https://no-such-org.invalid/api/data/v9.2/WhoAmI').catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('BAD_URL');
    expect((err as ConnectorError).message).toMatch(/no-such-org\.invalid could not be found/);
  });

  it('a Retry-After longer than the limit stops with THROTTLED; 5xx past the retries is a SERVER error; a foreign tenant is refused', async () => {
    const answer = (status: number, headers: Record<string, string> = {}): typeof fetch => () => Promise.resolve(new Response(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } }), { status, headers }));
    const opts = { tokens: new StaticTokenProvider(['t']), scopes: ['x'], sleep: () => Promise.resolve(), maxRetries: 2 };
    const long = await new ODataClient({ ...opts, fetchImpl: answer(429, { 'retry-after': '3600' }) }).getJson('https://org.example/api').catch((e: unknown) => e);
    expect([(long as ConnectorError).code, (long as ConnectorError).message]).toEqual(['THROTTLED', 'org.example asks to wait 3600 s (Retry-After); run the pull again later, it resumes']);
    const five = await new ODataClient({ ...opts, fetchImpl: answer(502) }).getJson('https://org.example/api').catch((e: unknown) => e);
    expect((five as ConnectorError).code).toBe('SERVER');
    expect((five as ConnectorError).message).toMatch(/502 from org\.example after 3 attempts/);
    const tid = Buffer.from(JSON.stringify({ tid: 'aaaaaaaa-0000-0000-0000-000000000001' })).toString('base64url');
    const other = await new ODataClient({ ...opts, tokens: new StaticTokenProvider([`e30.${tid}.s`]), expectedTenant: 'bbbbbbbb-0000-0000-0000-000000000002', fetchImpl: answer(200) })
      .getJson('https://org.example/api').catch((e: unknown) => e);
    expect((other as ConnectorError).code).toBe('TENANT_MISMATCH');
  });

  it('refuses a body over the byte limit, by Content-Length or while reading', async () => {
    const c = (headers: Record<string, string>): ODataClient => new ODataClient({ tokens: new StaticTokenProvider(['t']), scopes: ['x'],
      fetchImpl: () => Promise.resolve(new Response('x'.repeat(100), { status: 200, headers })) });
    await expect(c({ 'content-length': '100' }).getBytes('https://org.example/m', 50)).rejects.toThrow(/100 bytes exceeds the 50-byte limit/);
    await expect(c({}).getBytes('https://org.example/m', 50)).rejects.toThrow(/exceeds the 50-byte limit/);
    expect((await c({}).getBytes('https://org.example/m', 100)).length).toBe(100);
  });

  it('never follows a paging link to another origin (the token would go with it)', async () => {
    const fetchImpl: typeof fetch = () => Promise.resolve(new Response(JSON.stringify({ value: [1], '@odata.nextLink': 'https://evil.example/next' }), { status: 200 }));
    const c = new ODataClient({ tokens: new StaticTokenProvider(['t']), scopes: ['x'], fetchImpl });
    const seen: unknown[] = [];
    const err = await (async () => { for await (const p of c.pages('https://org.example/api/data/v9.2/emails')) seen.push(...p.value); })().catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    expect((err as ConnectorError).message).toMatch(/refusing to follow a paging link to https:\/\/evil\.example/);
  });

  it('cancel stops a pull', async () => {
    server = await startGraphStandIn();
    const ac = new AbortController();
    ac.abort();
    const err = await client(['good'], [], ac.signal).getJson(`${server.base}/v1.0/users/bob%40contoso.com/mailFolders/inbox`).catch((e: unknown) => e);
    expect((err as ConnectorError).code).toBe('CANCELLED');
  });
});

describe('mailbox pull (Graph)', () => {
  it('pages the delta query, honours 429 Retry-After and 5xx backoff, fetches MIME, quarantines what fails, resumes incrementally', async () => {
    server = await startGraphStandIn({ count: 5, pageSize: 2, broken: ['m4'], throttleOnce: true });
    const ws = openWorkspace(path.join(tmp, 'pull.sqlite'));
    try {
      const waits: number[] = [];
      const since = new Date('2025-12-01T00:00:00Z');
      const s = await pullMailbox(ws, client(['good'], waits), { user: 'bob@contoso.com', folders: ['Inbox', 'Inbox/Projects'], since, base: `${server.base}/v1.0`, pageSize: 2 });
      expect(s.folders.map((f) => [f.folder, f.listed, f.imported, f.quarantined, f.incremental])).toEqual([
        ['Inbox', 5, 4, 1, false], ['Inbox/Projects', 1, 1, 0, false]]);
      expect(s.quarantined[0]?.reason).toMatch(/could not be fetched.*500.*internal server error/i);
      // 429 waited for its Retry-After (2 s); the 503 on m2 and the 500s on m4 backed off exponentially (10, 20, 40 ms).
      expect(waits).toContain(2000);
      expect(waits.filter((w) => w < 1000)).toEqual([10, 10, 20, 40]);
      const delta = server.requests.find((r) => r.url.includes('/messages/delta'));
      expect(decodeURIComponent(delta?.url ?? '')).toContain(`$filter=receivedDateTime ge ${since.toISOString()}`);
      expect(delta?.prefer).toBe('odata.maxpagesize=2');
      expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
      // Every header is kept (the MIME was stored as fetched).
      const m2 = ws.db.prepare(`SELECT id, in_reply_to, auto_submitted, thread_index FROM messages WHERE message_id = '<m2@contoso.com>'`).get() as
        { id: number; in_reply_to: string; auto_submitted: string; thread_index: string };
      expect([m2.in_reply_to, m2.auto_submitted, m2.thread_index]).toEqual(['<m1@contoso.com>', 'auto-replied', 'AdtjYmNkZWZnaGlqa2xtbm9wcQ==']);
      expect(getMessageBytes(ws, m2.id).toString()).toContain('Subject: Message m2');
      expect(ws.db.prepare(`SELECT f.path FROM messages m JOIN folders f ON f.id = m.folder_id WHERE message_id = '<p1@contoso.com>'`).pluck().get()).toBe('Inbox/Projects');

      // Second pull: from the saved delta link, only what changed (one new message, one removal reported).
      server.addLater('m6');
      const before = server.requests.length;
      const again = await pullMailbox(ws, client(['good']), { user: 'bob@contoso.com', folders: ['Inbox'], since, base: `${server.base}/v1.0` });
      expect(again.folders.map((f) => [f.listed, f.imported, f.removed, f.incremental])).toEqual([[1, 1, 1, true]]);
      expect(server.requests.slice(before).some((r) => r.url.includes('$deltatoken=t0'))).toBe(true);
      expect(ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NULL').pluck().get()).toBe(7);
    } finally {
      ws.close();
    }
  });

  it('an interrupted pull resumes from the saved next page and adds no duplicates', async () => {
    server = await startGraphStandIn({ count: 6, pageSize: 2 });
    const ws = openWorkspace(path.join(tmp, 'resume.sqlite'));
    try {
      const ac = new AbortController();
      const first = await pullMailbox(ws, client(['good'], [], ac.signal), { user: 'bob@contoso.com', folders: ['Inbox'], base: `${server.base}/v1.0`, pageSize: 2,
        signal: ac.signal, onProgress: (p) => { if (p.fetched === 3) ac.abort(); } });
      // Cancelled in the middle of page 2: page 1 is saved as done, page 2 is not.
      expect(first.folders[0]?.imported).toBe(3);
      expect(first.cancelled).toBe(true);
      const saved = ws.db.prepare(`SELECT value FROM connector_state WHERE key LIKE '%:next'`).pluck().get() as string;
      expect(saved).toContain('$skiptoken=2');
      const second = await pullMailbox(ws, client(['good']), { user: 'bob@contoso.com', folders: ['Inbox'], base: `${server.base}/v1.0`, pageSize: 2 });
      expect(second.folders[0]?.incremental).toBe(true);
      expect(ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NULL').pluck().get()).toBe(6);
    } finally {
      ws.close();
    }
  });

  it('a missing folder and a denied mailbox are errors that say what to do', async () => {
    server = await startGraphStandIn();
    const ws = openWorkspace(path.join(tmp, 'errors.sqlite'));
    try {
      await expect(pullMailbox(ws, client(['good']), { user: 'bob@contoso.com', folders: ['Inbox/Nope'], base: `${server.base}/v1.0` }))
        .rejects.toThrow(/no folder "Inbox\/Nope".*"Other", "Projects"/);
      await expect(pullMailbox(ws, client(['good']), { user: 'denied@contoso.com', folders: ['Inbox'], base: `${server.base}/v1.0` }))
        .rejects.toThrow(/Mail\.Read permission/);
    } finally {
      ws.close();
    }
  });
});
