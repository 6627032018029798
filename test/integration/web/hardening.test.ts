// Browser mode against the defects of issue 12's attack round: requests the server cannot parse (item 4),
// a Maildir whose cur/ is a symbolic link out of the allowed folders (item 9), a body the mail parser
// refuses (item 11) and report.export over the workspace, a source or another existing file (item 2).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../main/web/server.js';

let server: WebServer;
let tmp: string;
let data: string;
let outside: string;
let wsFile: string;

type Json = { ok: boolean; value?: unknown; error?: { code: string; message: string; details?: string[] } };

function post(body: string): Promise<{ status: number; json: Json }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/invoke', headers: { 'content-type': 'application/json', 'x-synclens-token': server.token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const invoke = async (method: string, input: unknown): Promise<Json> => (await post(JSON.stringify({ method, input }))).json;

/** Sends raw bytes and returns the status line of the answer (or '' when the server closed without one). */
function raw(requestText: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    let got = '';
    s.on('data', (c) => (got += c.toString('latin1')));
    s.on('error', () => resolve(got.split('\r\n')[0] ?? ''));
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    s.write(requestText);
    setTimeout(() => s.destroy(), 10_000);
  });
}

const msg = (id: string, subject: string, extraHeaders = ''): string =>
  `From: bob@fabrikam.com\r\nTo: alice@contoso.com\r\nSubject: ${subject}\r\nDate: Tue, 03 Mar 2026 09:15:00 +0000\r\nMessage-ID: <${id}@fabrikam.com>\r\n${extraHeaders}MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBody of ${subject}.\r\n`;

const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-webhard-')));
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-webhard-outside-')));
  data = path.join(tmp, 'data');
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>SyncLens</title>');
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, 'quote.eml'), msg('q1', 'Quote for 40 licences'));
  // 1.2 MB of header fields: within SyncLens's own limits (16 MB), past mailparser's 1 MB per MIME node.
  const many = Array.from({ length: 12_000 }, (_, i) => `X-Trace-${i}: ${'x'.repeat(90)}\r\n`).join('');
  fs.writeFileSync(path.join(data, 'bighead.eml'), msg('big1', 'Huge header block', many));
  // A Maildir whose cur/ is a link to a folder outside the allowed ones, holding someone else's mail.
  fs.mkdirSync(path.join(outside, 'cur'));
  fs.writeFileSync(path.join(outside, 'cur', '1700000000.1.host:2,S'), msg('secret1', 'Outside secret', '').replace('Body of', 'SECRET body of'));
  const md = path.join(data, 'Maildir');
  fs.mkdirSync(path.join(md, 'new'), { recursive: true });
  fs.mkdirSync(path.join(md, 'tmp'));
  fs.symlinkSync(path.join(outside, 'cur'), path.join(md, 'cur'));
  server = await startWebServer({ allowedRoots: [data], stateDir: path.join(tmp, 'state'), rendererDir });
  wsFile = path.join(data, 'hard.synclens');
  expect(await invoke('workspace.create', { path: wsFile })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('requests the server cannot parse (item 4)', () => {
  it('answers 400 to each, without the token, and keeps serving', async () => {
    for (const target of ['//[', '//[::1', '/x//[', '*', 'http://evil.example/api/invoke', '//evil.example/api/invoke?x=%zz', '']) {
      const status = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
      // "//[" and "//evil.example/…" are paths on this server (never another host): a static-file answer
      // (404, or 503 here where the renderer folder has no such file) or a 400; never a crash.
      expect(status, target).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
    expect(await raw('NOT-HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await invoke('workspace.info', {})).toMatchObject({ ok: true });
  });
});

describe('message sources behind symbolic links (item 9)', () => {
  it('never serves the body of a file outside the allowed folders, even when its folder was linked in', async () => {
    await invoke('import.start', { paths: [path.join(data, 'Maildir')], mailbox: 'alice@contoso.com' });
    const list = (await invoke('messages.list', { offset: 0, limit: 50 })).value as { rows: Array<{ key: string; subject: string }> };
    const secret = list.rows.find((r) => r.subject === 'Outside secret');
    // Whether the importer follows the link (a later fix counts such links instead), the body API must refuse it.
    if (secret) {
      const body = await invoke('messages.body', { key: secret.key });
      expect(body.ok).toBe(false);
      expect(body.error?.code).toBe('PATH_NOT_ALLOWED');
      expect(body.error?.message).toContain('Outside secret');
      expect(JSON.stringify(body)).not.toContain('SECRET body');
      const detail = await invoke('messages.get', { key: secret.key });
      expect(JSON.stringify(detail)).not.toContain('SECRET body');
    }
  });

  it('resolves the recorded source path with realpath at read time: a folder swapped for a link out is refused', async () => {
    // Imported from a real folder; afterwards the folder is replaced by a link to a folder outside.
    const inbox = path.join(data, 'Later');
    fs.mkdirSync(inbox);
    fs.writeFileSync(path.join(inbox, 'a.eml'), msg('later1', 'Later message'));
    expect(await invoke('import.start', { paths: [inbox], mailbox: 'alice@contoso.com' })).toMatchObject({ ok: true, value: { imported: 1 } });
    const list = (await invoke('messages.list', { offset: 0, limit: 50 })).value as { rows: Array<{ key: string; subject: string }> };
    const key = list.rows.find((r) => r.subject === 'Later message')?.key ?? '';
    expect((await invoke('messages.body', { key })).ok).toBe(true);
    fs.mkdirSync(path.join(outside, 'Later'));
    fs.writeFileSync(path.join(outside, 'Later', 'a.eml'), msg('later1', 'Later message').replace('Body of', 'SECRET body of'));
    fs.rmSync(inbox, { recursive: true });
    fs.symlinkSync(path.join(outside, 'Later'), inbox);
    const body = await invoke('messages.body', { key });
    expect(body).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(body.error?.message).toContain('"Later message"');
    expect(JSON.stringify(body)).not.toContain('SECRET body');
  });
});

describe('a body the mail parser refuses (item 11)', () => {
  it('is one sentence naming the message by its subject, without a stack', async () => {
    await invoke('import.start', { paths: [path.join(data, 'bighead.eml'), path.join(data, 'quote.eml')], mailbox: 'alice@contoso.com' });
    const list = (await invoke('messages.list', { offset: 0, limit: 50 })).value as { rows: Array<{ key: string; subject: string }> };
    const big = list.rows.find((r) => r.subject === 'Huge header block');
    expect(big).toBeDefined();
    const body = await invoke('messages.body', { key: big?.key ?? '' });
    expect(body.ok).toBe(false);
    expect(body.error?.code).not.toBe('INTERNAL');
    expect(body.error?.message).toContain('"Huge header block"');
    expect(body.error?.message).toMatch(/header block larger than the mail parser reads/);
    expect(JSON.stringify(body.error)).not.toMatch(/\n\s+at /);
    const ok = await invoke('messages.body', { key: list.rows.find((r) => r.subject === 'Quote for 40 licences')?.key ?? '' });
    expect((ok.value as { text: string }).text).toContain('Body of Quote');
  });
});

describe('report.export never destroys data (item 2)', () => {
  beforeAll(async () => {
    expect(await invoke('settings.save', { name: 'smart', settings: { enablesmartmatching: true } })).toMatchObject({ ok: true });
    expect(await invoke('whatif.run', { baseline: 'Default', proposal: 'smart' })).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses the open workspace and its journal files, also through a symbolic link', async () => {
    const before = sha(wsFile);
    for (const target of [wsFile, `${wsFile}-wal`, path.join(data, 'sub', '..', 'hard.synclens')]) {
      const r = await invoke('report.export', { kind: 'whatif', format: 'html', path: target, overwrite: true });
      expect(r, target).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(r.error?.message).toMatch(/open workspace/);
    }
    fs.symlinkSync(wsFile, path.join(data, 'link-to-ws.html'));
    const viaLink = await invoke('report.export', { kind: 'whatif', format: 'html', path: path.join(data, 'link-to-ws.html'), overwrite: true });
    expect(viaLink).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(sha(wsFile)).toBe(before);
    const db = new Database(wsFile, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('refuses an imported source file', async () => {
    const source = path.join(data, 'quote.eml');
    const before = sha(source);
    const r = await invoke('report.export', { kind: 'whatif', format: 'csv', path: source, overwrite: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(r.error?.message).toMatch(/imported mail source/);
    expect(sha(source)).toBe(before);
  });

  it('asks before replacing another existing file (FILE_EXISTS), replaces it when confirmed, leaves no temporary file', async () => {
    const other = path.join(data, 'notes.txt');
    fs.writeFileSync(other, 'my notes');
    const asked = await invoke('report.export', { kind: 'whatif', format: 'json', path: other });
    expect(asked).toMatchObject({ ok: false, error: { code: 'FILE_EXISTS' } });
    expect(asked.error?.message).toContain(other);
    expect(fs.readFileSync(other, 'utf8')).toBe('my notes');
    const confirmed = await invoke('report.export', { kind: 'whatif', format: 'json', path: other, overwrite: true });
    expect(confirmed).toMatchObject({ ok: true, value: { path: other } });
    expect(JSON.parse(fs.readFileSync(other, 'utf8'))).toMatchObject({ kind: 'whatif' });
    const fresh = await invoke('report.export', { kind: 'whatif', format: 'html', path: path.join(data, 'new-report.html') });
    expect(fresh).toMatchObject({ ok: true });
    expect(fs.readdirSync(data).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
