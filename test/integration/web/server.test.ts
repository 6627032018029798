// Browser mode end to end, in process: the real HTTP server, the real engine host child process, a
// temporary workspace. Each refusal is checked for the right status/code, and one import round trip
// proves the contract works and streams events.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../main/web/server.js';

let server: WebServer;
let tmp: string;
let outside: string;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function invoke(method: unknown, input: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: string[] } } }> {
  const r = await request({
    method: 'POST',
    path: '/api/invoke',
    headers: { 'content-type': 'application/json', 'x-synclens-token': server.token, ...headers },
    body: JSON.stringify({ method, input }),
  });
  return { status: r.status, json: JSON.parse(r.body) as never };
}

const EML = [
  'From: Alice Example <alice@contoso.com>',
  'To: sales@fabrikam.com',
  'Subject: Quote for 40 licences CRM:0001001',
  'Date: Tue, 03 Mar 2026 09:15:00 +0000',
  'Message-ID: <quote-1@contoso.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, please send the quote.',
  '',
].join('\r\n');

// The quote went out from Dynamics with its token; the reply keeps it. Smart matching links them
// (SIMULATOR §3.2): the default hashfilterkeywords strips "RE: ", the words are the same (rule B),
// and both addresses are shared (hashminaddresscount 2).
const REPLY = [
  'From: sales@fabrikam.com',
  'To: Alice Example <alice@contoso.com>',
  'Subject: RE: Quote for 40 licences CRM:0001001',
  'Date: Tue, 03 Mar 2026 10:00:00 +0000',
  'Message-ID: <reply-1@fabrikam.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Attached.',
  '',
].join('\r\n');

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-web-')));
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-outside-')));
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>SyncLens</title>');
  fs.mkdirSync(path.join(tmp, 'data'));
  fs.writeFileSync(path.join(tmp, 'data', 'quote.eml'), EML);
  fs.writeFileSync(path.join(tmp, 'data', 'reply.eml'), REPLY);
  fs.writeFileSync(path.join(outside, 'secret.eml'), EML);
  // A symlink inside the allowed folder that points outside it must not open a way out.
  fs.symlinkSync(outside, path.join(tmp, 'data', 'escape'));
  server = await startWebServer({ allowedRoots: [path.join(tmp, 'data')], stateDir: path.join(tmp, 'state'), rendererDir });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('binds the loopback address and prints a URL carrying the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=`));
    expect(server.url.endsWith(server.token)).toBe(true);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    const traversal = await request({ path: '/..%2f..%2fstate%2frecent.json' });
    expect(traversal.status).toBe(404);
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    const none = await request({ method: 'POST', path: '/api/invoke', headers: { 'content-type': 'application/json' }, body: '{"method":"workspace.info","input":{}}' });
    expect(none.status).toBe(401);
    const wrong = await invoke('workspace.info', {}, { 'x-synclens-token': 'x'.repeat(server.token.length) });
    expect(wrong.status).toBe(401);
    const events = await request({ path: '/api/events?token=nope' });
    expect(events.status).toBe(401);
  });

  it('refuses a cross-origin caller and a foreign Host header (DNS rebinding)', async () => {
    const cross = await invoke('workspace.info', {}, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    const rebinding = await invoke('workspace.info', {}, { host: `attacker.example:${server.port}` });
    expect(rebinding.status).toBe(421);
    const same = await invoke('workspace.recent', {}, { origin: `http://127.0.0.1:${server.port}` });
    expect(same.status).toBe(200);
    expect(same.json.ok).toBe(true);
  });

  it('refuses unknown methods with UNKNOWN_METHOD', async () => {
    for (const name of ['shell.exec', '__proto__', 'constructor', 42]) {
      const r = await invoke(name, {});
      expect(r.json).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('refuses wrong types, unknown fields and oversize strings with INVALID_INPUT naming the field', async () => {
    const wrongType = await invoke('messages.list', { offset: '0', limit: 10 });
    expect(wrongType.json.error?.code).toBe('INVALID_INPUT');
    expect(wrongType.json.error?.details?.join(' ')).toContain('offset');
    const extra = await invoke('workspace.info', { sneaky: true });
    expect(extra.json.error?.code).toBe('INVALID_INPUT');
    expect(extra.json.error?.details?.join(' ')).toContain('sneaky');
    const huge = await invoke('tokens.parse', { subject: 'x'.repeat(100_000), settings: {} });
    expect(huge.json.error?.code).toBe('INVALID_INPUT');
    const badSetting = await invoke('settings.save', { name: 'p', settings: { usetrackingtokens: 'yes' } });
    expect(badSetting.json.error?.code).toBe('INVALID_INPUT');
    const tooMany = await invoke('messages.list', { offset: 0, limit: 1_000_000 });
    expect(tooMany.json.error?.code).toBe('INVALID_INPUT');
  });

  it('refuses paths outside the allowed roots, including through a symlink', async () => {
    const abs = await invoke('workspace.open', { path: path.join(outside, 'x.synclens') });
    expect(abs.json.error?.code).toBe('PATH_NOT_ALLOWED');
    const dotdot = await invoke('workspace.create', { path: path.join(tmp, 'data', '..', 'state', 'evil.synclens') });
    expect(dotdot.json.error?.code).toBe('PATH_NOT_ALLOWED');
    const viaLink = await invoke('import.start', { paths: [path.join(tmp, 'data', 'escape', 'secret.eml')], mailbox: 'sales@fabrikam.com' });
    expect(viaLink.json.error?.code).toBe('PATH_NOT_ALLOWED');
    const relative = await invoke('workspace.open', { path: 'data/x.synclens' });
    expect(relative.json.error?.code).toBe('PATH_NOT_ALLOWED');
  });

  it('says NO_WORKSPACE before a workspace is open', async () => {
    const r = await invoke('messages.list', { offset: 0, limit: 10 });
    expect(r.json.error?.code).toBe('NO_WORKSPACE');
    expect(r.json.error?.message).toMatch(/open/i);
  });

  it('round trip: create a workspace, import a message with progress events, list and read it', async () => {
    const received: string[] = [];
    const sse = http.get({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` });
    const connected = new Promise<http.IncomingMessage>((resolve) => sse.on('response', resolve));
    const res = await connected;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => received.push(chunk));

    const file = path.join(tmp, 'data', 'test.synclens');
    const created = await invoke('workspace.create', { path: file });
    expect(created.json).toMatchObject({ ok: true, value: { path: file, messageCount: 0, isSample: false } });

    const files = [path.join(tmp, 'data', 'quote.eml'), path.join(tmp, 'data', 'reply.eml')];
    const imported = await invoke('import.start', { jobId: 'job-1', paths: files, mailbox: 'sales@fabrikam.com' });
    expect(imported.json).toMatchObject({ ok: true, value: { jobId: 'job-1', imported: 2, duplicates: 0, quarantined: 0, cancelled: false } });
    const again = await invoke('import.start', { paths: files, mailbox: 'sales@fabrikam.com' });
    expect(again.json).toMatchObject({ ok: true, value: { imported: 0, duplicates: 2 } });

    const list = await invoke('messages.list', { offset: 0, limit: 50, filter: { text: 'contoso' } });
    expect(list.json.ok).toBe(true);
    const page = list.json.value as { total: number; rows: Array<{ key: string; subject: string; from: string; mailbox: string }> };
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ subject: 'Quote for 40 licences CRM:0001001', from: 'alice@contoso.com', mailbox: 'sales@fabrikam.com' });

    const detail = await invoke('messages.get', { key: page.rows[0]?.key ?? '' });
    expect(detail.json).toMatchObject({ ok: true, value: { messageId: '<quote-1@contoso.com>', to: ['sales@fabrikam.com'], decision: null } });

    const body = await invoke('messages.body', { key: page.rows[0]?.key ?? '' });
    expect((body.json.value as { text: string }).text).toContain('please send the quote');

    const all = (await invoke('messages.list', { offset: 0, limit: 50, sort: { key: 'date', dir: 'desc' } })).json.value as typeof page;
    expect(all.rows.map((r) => r.subject)).toEqual(['RE: Quote for 40 licences CRM:0001001', 'Quote for 40 licences CRM:0001001']);
    const replyDetail = (await invoke('messages.get', { key: all.rows[0]?.key ?? '' })).json.value as { tokens: Array<{ prefix: string; userNumber: string; counter: string }> };
    expect(replyDetail.tokens[0]).toMatchObject({ prefix: 'CRM', userNumber: '001', counter: '001' });

    const hash = await invoke('hash.match', { key: all.rows[0]?.key ?? '', candidateId: all.rows[1]?.key ?? '', runId: null });
    expect(hash.json).toMatchObject({ ok: true, value: { verdict: true, addressOverlap: 2, minAddressCount: 2, rule: 'B' } });
    const sides = hash.json.value as { message: { strippedPrefix: string; words: Array<{ word: string; shared: boolean }> } };
    expect(sides.message.strippedPrefix).toBe('RE: ');
    expect(sides.message.words.map((w) => w.word)).toEqual(['quote', 'for', '40', 'licences', 'crm:0001001']);
    expect(sides.message.words.every((w) => w.shared)).toBe(true);
    // A run that does not exist is named in the error rather than silently ignored.
    const stricter = await invoke('hash.match', { key: all.rows[0]?.key ?? '', candidateId: all.rows[1]?.key ?? '', runId: 7 });
    expect(stricter.json.error?.code).toBe('NOT_FOUND');

    const missing = await invoke('messages.get', { key: '999999' });
    expect(missing.json.error?.code).toBe('NOT_FOUND');

    const recent = await invoke('workspace.recent', {});
    expect(recent.json.value).toEqual([expect.objectContaining({ path: file, name: 'test' })]);

    await new Promise((r) => setTimeout(r, 200));
    sse.destroy();
    const stream = received.join('');
    expect(stream).toContain('event: workspace.changed');
    expect(stream).toContain('event: job.progress');
    expect(stream).toContain('"jobId":"job-1"');
  });

  it('parses and previews tracking tokens with the default settings (prefix CRM, 3 user digits, 3 counter digits)', async () => {
    const parsed = await invoke('tokens.parse', { subject: 'RE: Order CRM:0001042', settings: {} });
    // Every plausible digit split comes back (the split is undocumented), the current settings' split first.
    const splits = parsed.json.value as Array<{ token: string }>;
    expect(splits[0]).toEqual({ token: 'CRM:0001042', prefix: 'CRM', designator: '0', userNumber: '001', counter: '042' });
    expect(splits.every((t) => t.token === 'CRM:0001042')).toBe(true);
    const preview = await invoke('tokens.preview', { settings: {}, userNumber: 1, startCounter: 998, count: 3 });
    const tokens = (preview.json.value as { tokens: Array<{ token: string; wrapped: boolean }> }).tokens;
    expect(tokens.map((t) => t.token)).toEqual(['CRM:0001998', 'CRM:0001999', 'CRM:0001000']);
    expect(tokens.map((t) => t.wrapped)).toEqual([false, false, true]);
    const bad = await invoke('tokens.parse', { subject: 'x', settings: { maximumtrackingnumber: 1000 } });
    expect(bad.json.error?.code).toBe('SETTINGS_INVALID');
    expect(bad.json.error?.message).toContain('maximumtrackingnumber');
  });

  it('saves settings profiles and lists them', async () => {
    const saved = await invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true }, baseline: false });
    expect(saved.json).toMatchObject({ ok: true, value: { name: 'smart', settings: { enablesmartmatching: true, trackingprefix: 'CRM' } } });
    const list = (await invoke('settings.profiles', {})).json.value as Array<{ name: string; baseline: boolean }>;
    expect(list).toEqual([expect.objectContaining({ name: 'Default', baseline: true }), expect.objectContaining({ name: 'smart', baseline: false })]);
    await invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true }, baseline: true });
    const after = (await invoke('settings.profiles', {})).json.value as Array<{ name: string; baseline: boolean }>;
    expect(after.filter((p) => p.baseline).map((p) => p.name)).toEqual(['smart']);
  });

  it('cancels a job by id and reports unknown ids as not cancelled', async () => {
    const r = await invoke('job.cancel', { jobId: 'no-such-job' });
    expect(r.json).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('carries the analysis methods: router scenarios from assets/router-scenarios, the support rules, the report path allow-list', async () => {
    const list = await invoke('router.list', {});
    expect(list.json.ok).toBe(true);
    expect((list.json.value as { id: string }[]).map((s) => s.id)).toContain('01-sink-mailbox-forward-as-attachment');
    const rules = (await invoke('support.rules', {})).json.value as { id: string; source: string }[];
    expect(rules.map((r) => r.id)).toContain('R7');
    const bad = await invoke('support.check', { config: { deployment: { kind: 'online' }, mailboxes: [{ id: 'x' }] } });
    expect(bad.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const outsideReport = await invoke('report.export', { kind: 'sweep', format: 'html', path: path.join(outside, 'r.html') });
    expect(outsideReport.json).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(fs.existsSync(path.join(outside, 'r.html'))).toBe(false);
  });
});

