// Security of what reaches the engine from outside (issue 6): catastrophic .NET patterns from settings stop
// within their step budget with a clear message; every contract method refuses wrong types, oversize strings,
// oversize lists and unknown fields; paths outside what the user chose are refused; browser mode refuses
// requests without its token, from other origins, with a foreign Host, or as a cross-site "simple" request.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDotNetRegex, DEFAULT_STEP_BUDGET } from '../../core/engine/primitives/dotnetRegex.js';
import { subjectWords } from '../../core/engine/primitives/smartMatch.js';
import { DEFAULT_SETTINGS } from '../../core/engine/model/settings.js';
import { validateSettings } from '../../core/engine/model/settingsMeta.js';
import { METHOD_NAMES, type MethodName } from '../../core/contract/contract.js';
import { LIMITS, validateInput } from '../../core/contract/schemas.js';
import { PathAllowList } from '../../main/host/paths.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { recordFigures, removeDir, tempDir } from './support/env.js';

// ------------------------------------------------------------------ regexes from settings

/** Patterns known to backtrack catastrophically (ReDoS classics) and inputs that trigger them. */
const CATASTROPHIC = ['(a+)+$', '(a|a)*b', '(a|aa)+$', '(.*a){20}', '((a+)+)+c', '^(\\w+\\s?)+$', '(?:a*)*b', '(a*)*$', '(.*)*x',
  '(?=(a+)+b)', '(?<=(a+)+)b', '(a{1,1000}){1,1000}b', '^(([a-z])+.)+[A-Z]([a-z])+$'];
const EVIL_INPUTS = ['a'.repeat(40) + '!', 'a'.repeat(5000) + '!', `RE: ${'word '.repeat(400)}!`];

describe('catastrophic regexes (core/engine/primitives/dotnetRegex.ts)', () => {
  it('every catastrophic pattern is stopped by the step budget (or the depth guard) with a message naming it', () => {
    let slowest = 0;
    for (const pattern of CATASTROPHIC) {
      const c = compileDotNetRegex(pattern);
      expect(c.ok, pattern).toBe(true);
      if (!c.ok) continue;
      for (const input of EVIL_INPUTS) {
        const t0 = performance.now();
        const r = c.regex.replaceAll(input, '');
        slowest = Math.max(slowest, performance.now() - t0);
        if (r.ok) continue; // some inputs do not trigger this pattern: then it simply finished
        expect(r.error).toContain(pattern);
        expect(r.error).toMatch(new RegExp(`gave up after ${DEFAULT_STEP_BUDGET} steps|nested too deeply`));
      }
      // The short input (40 "a" then "!") needs about 2^40 steps under every one of them: each must be stopped.
      const r = c.regex.replaceAll(EVIL_INPUTS[0] as string, '');
      expect(r.ok, `${pattern} was not stopped on the short input`).toBe(false);
    }
    recordFigures('regex', { patterns: CATASTROPHIC.length, inputs: EVIL_INPUTS.length, budgetSteps: DEFAULT_STEP_BUDGET, slowestMs: Math.round(slowest) });
  });

  it('a catastrophic HashFilterKeywords setting makes smart matching report the error instead of hanging', () => {
    const r = subjectWords(`RE: ${'a'.repeat(3000)}!`, { ...DEFAULT_SETTINGS, hashfilterkeywords: '(a+)+$' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^HashFilterKeywords: regex '\(a\+\)\+\$' (gave up after|nested too deeply)/);
  });

  it('a pattern nested thousands deep (within the 4096-character setting limit) is refused, not thrown', () => {
    const deep = '('.repeat(2000) + 'a' + ')'.repeat(2000);
    expect(deep.length).toBeLessThanOrEqual(LIMITS.settingString);
    let result: ReturnType<typeof compileDotNetRegex> | Error;
    try {
      result = compileDotNetRegex(deep);
    } catch (e) {
      result = e as Error;
    }
    expect(result instanceof Error ? `threw ${result.name}: ${result.message}` : 'returned').toBe('returned');
    // Either refused with a message, or compiled and then bounded at match time.
    if (!(result instanceof Error) && result.ok) expect(result.regex.replaceAll('a'.repeat(100), '').ok).toBeTypeOf('boolean');
    if (!(result instanceof Error) && !result.ok) expect(result.error).toMatch(/cannot use \.NET regex/);
    const v = (() => {
      try {
        return validateSettings({ hashfilterkeywords: deep });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(v instanceof Error ? `threw ${v.message}` : 'returned').toBe('returned');
  });
});

// ------------------------------------------------------------------ contract inputs

/**
 * A valid input for each method this suite knows field by field (mutated one field at a time below). Methods
 * added later without an entry still get the generic checks: unknown fields and wrong whole-input types.
 */
const VALID: Partial<Record<MethodName, Record<string, unknown>>> = {
  'workspace.open': { path: '/tmp/w.synclens' },
  'workspace.create': { path: '/tmp/w.synclens' },
  'workspace.openSample': {},
  'workspace.info': {},
  'workspace.recent': {},
  'import.start': { paths: ['/tmp/a.mbox'], mailbox: 'alice@contoso.com', owner: 'user:1', folder: 'Inbox', jobId: 'j1' },
  'job.cancel': { jobId: 'j1' },
  'messages.list': { runId: 1, filter: { text: 'x', outcomes: ['CorrelationMatch'], methods: ['InReplyTo'], flags: ['pec'], mailbox: 'a@b.c', folder: 'Inbox' },
    sort: { key: 'date', dir: 'asc' }, offset: 0, limit: 100 },
  'messages.get': { key: '1', runId: 1 },
  'messages.body': { key: '1' },
  'chain.get': { key: '1', runId: null },
  'hash.match': { key: '1', candidateId: '2', runId: 1 },
  'tokens.preview': { settings: { trackingprefix: 'CRM' }, userNumber: 1, startCounter: 1, count: 10 },
  'tokens.parse': { subject: 'RE: hello CRM:0001001', settings: {} },
  'settings.profiles': {},
  'settings.save': { name: 'p', settings: { hashmaxcount: 10 }, baseline: true },
  'replay.run': { profile: 'p', jobId: 'j2' },
  'runs.list': {},
  'whatif.run': { baseline: 'a', proposal: 'b', jobId: 'j3' },
  'scenarios.list': {},
  'scenarios.step': { id: 's', index: 0 },
  'dialog.choose': { purpose: 'open-workspace' },
  'applykit.build': { baseline: 'a', proposal: 'b', organizationUri: 'https://contoso.crm.dynamics.com', organizationId: '00000000-0000-0000-0000-000000000001', measuredEffect: ['2 replies now tracked'] },
  'presets.list': {},
  'presets.compare': { before: 'crm4', after: 'dataverse', jobId: 'j4' },
  'sweep.defaults': {},
  'sweep.run': { jobId: 'j5', profile: 'p', grid: { product: { hashminaddresscount: [2, 3] }, points: [{ hashmaxcount: 5 }] } },
  'audit.run': { jobId: 'j6', emails: '/tmp/emails.json', directory: ['/tmp/contacts.csv'], profile: 'p' },
  'report.export': { kind: 'whatif', format: 'html', path: '/tmp/r.html' },
  'support.rules': {},
  'support.check': { config: { deployment: { kind: 'online' }, mailboxes: [{ id: 'a@b.c', host: { kind: 'exchange-online', tenant: 'same' }, incoming: null, outgoing: null, items: ['email'] }] } },
  'mailboxes.tags': {},
  'mailboxes.setTag': { mailbox: 'a@b.c', tag: { incoming: { id: 'p', type: 'pop3-smtp' } } },
  'replay.warnings': { runId: 1 },
  'router.list': {},
  'router.step': { id: 's', index: 0, preset: 'crm3' },
  'router.compare': { id: 's', before: 'crm3', after: 'crm4' },
};

const HUGE = 'x'.repeat(1024 * 1024);

/** Every way to break one field of a valid input: the wrong type, an oversize string, an oversize list. */
function mutations(value: unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [['null', null], ['an object', { nested: true }]];
  if (typeof value === 'string') out.push(['a number', 42], ['a 1 MB string', HUGE], ['an array', [value]]);
  else if (typeof value === 'number') out.push(['a string', '1'], ['a fraction', 1.5], ['a huge number', 1e300], ['NaN-like', 'NaN']);
  else if (typeof value === 'boolean') out.push(['a string', 'true']);
  else if (Array.isArray(value)) out.push(['a string', 'x'], ['100,001 entries', Array.from({ length: 100_001 }, () => value[0])], ['a list of numbers', [1, 2]]);
  else if (value && typeof value === 'object') out.push(['a string', 'x'], ['an array', []]);
  return out;
}

describe('contract inputs (core/contract/schemas.ts validateInput)', () => {
  it('every valid input in the table passes (so the refusals below are about the mutation)', () => {
    const known = METHOD_NAMES.filter((m) => VALID[m]);
    expect(known.length).toBeGreaterThanOrEqual(22);
    for (const m of known) {
      const r = validateInput(m, VALID[m]);
      expect(r.ok, `${m}: ${r.ok ? '' : r.error.message}`).toBe(true);
    }
  });

  it.each([...METHOD_NAMES])('%s: refuses unknown fields, missing input, wrong types and oversize values, naming the field', (m) => {
    const valid = VALID[m] ?? {};
    for (const bad of [{ ...valid, unexpected: 1 }, { ...valid, __proto__: { polluted: 1 }, constructor: 'x' }]) {
      const r = validateInput(m, bad);
      expect(r.ok, `${m} accepted an unknown field`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(r.error.details?.join(' ') ?? r.error.message).toMatch(/unexpected|constructor/);
      }
    }
    for (const whole of [undefined, null, 'string', 42, []]) expect(validateInput(m, whole).ok, `${m} accepted ${JSON.stringify(whole)}`).toBe(false);
    for (const [field, value] of Object.entries(VALID[m] ?? {})) {
      for (const [what, broken] of mutations(value)) {
        const r = validateInput(m, { ...valid, [field]: broken });
        // A nullable field may be null; otherwise every mutation must be refused and the field named.
        if (broken === null && r.ok) continue;
        expect(r.ok, `${m}.${field} = ${what} was accepted`).toBe(false);
        if (!r.ok) expect(r.error.details?.join(' ') ?? r.error.message, `${m}.${field} = ${what}`).toContain(field);
      }
    }
  });

  it('refuses unknown methods and prototype keys as method names', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'workspace.open ', 'WORKSPACE.OPEN', '', 42, null]) {
      const r = validateInput(name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
    }
  });

  it('refuses settings of the wrong type, oversize and unknown settings inside settings objects', () => {
    for (const settings of [{ hashmaxcount: '10' }, { trackingprefix: HUGE }, { notASetting: 1 }, { trackingprefixhistory: Array(101).fill('x') },
      { simTokenSeparator: 'both' }, { hashmaxcount: 1e12 }]) {
      const r = validateInput('settings.save', { name: 'p', settings });
      expect(r.ok, JSON.stringify(settings).slice(0, 80)).toBe(false);
    }
  });
});

// ------------------------------------------------------------------ paths outside what the user chose

describe('path allow-list (main/host/paths.ts)', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    root = tempDir('allow');
    outside = tempDir('outside');
    fs.mkdirSync(path.join(root, 'mail'));
    fs.writeFileSync(path.join(outside, 'secret.eml'), 'x');
    fs.symlinkSync(outside, path.join(root, 'mail', 'escape'));
    fs.symlinkSync(path.join(outside, 'secret.eml'), path.join(root, 'mail', 'secret-link.eml'));
  });
  afterAll(() => {
    removeDir(root);
    removeDir(outside);
  });

  it('allows what is under a chosen folder, including files that do not exist yet', () => {
    const list = new PathAllowList([path.join(root, 'mail')]);
    expect(list.check(path.join(root, 'mail', 'a.mbox'))).toBe(path.join(fs.realpathSync(root), 'mail', 'a.mbox'));
    expect(list.check(path.join(root, 'mail', 'new', 'w.synclens'))).not.toBeNull();
  });

  it('refuses siblings, parents, relative paths, ".." and symlinks that lead outside', () => {
    const list = new PathAllowList([path.join(root, 'mail')]);
    for (const p of [
      root, outside, path.join(outside, 'secret.eml'), '/etc/passwd', 'mail/a.mbox', './a.mbox', '',
      path.join(root, 'mail', '..', 'x.mbox'), `${path.join(root, 'mail')}/../../etc/passwd`, `${path.join(root, 'mail')}-evil/a.mbox`,
      path.join(root, 'mail', 'escape', 'secret.eml'), path.join(root, 'mail', 'secret-link.eml'), path.join(root, 'mail', 'escape'),
    ]) {
      expect(list.check(p), p).toBeNull();
    }
  });
});

// ------------------------------------------------------------------ browser mode

describe('browser mode (main/web/server.ts)', () => {
  let server: WebServer;
  let stateDir: string;
  let allowed: string;
  beforeAll(async () => {
    stateDir = tempDir('web-state');
    allowed = tempDir('web-allowed');
    server = await startWebServer({ port: 0, allowedRoots: [allowed], stateDir });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    removeDir(stateDir);
    removeDir(allowed);
  });

  function post(headers: Record<string, string | undefined>, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/invoke', headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const origin = (): string => new URL(server.url).origin;
  const good = (): Record<string, string> => ({ 'content-type': 'application/json', 'x-synclens-token': server.token, origin: origin(), host: new URL(server.url).host });
  const recent = JSON.stringify({ method: 'workspace.recent', input: {} });

  it('answers a well-formed call (so the refusals below are refusals, not a dead server)', async () => {
    const r = await post(good(), recent);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true });
  });

  it('refuses a call without the token, with a wrong one, or with one of the wrong length', async () => {
    for (const token of [undefined, '', 'x', server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A'), server.token + 'x']) {
      const r = await post({ ...good(), 'x-synclens-token': token }, recent);
      expect(r.status, String(token)).toBe(401);
      expect(r.body).toMatch(/x-synclens-token/);
    }
  });

  it('refuses other origins, a foreign Host (DNS rebinding) and cross-site "simple" requests', async () => {
    for (const o of ['http://evil.example', 'null', `http://localhost:${server.port}`, 'http://127.0.0.1:1']) {
      const r = await post({ ...good(), origin: o }, recent);
      expect(r.status, o).toBe(403);
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, `localhost:${server.port}`]) {
      const r = await post({ ...good(), host }, recent);
      expect(r.status, host).toBe(421);
    }
    // A form post or a no-cors fetch can only send text/plain: refused even with the token.
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await post({ ...good(), 'content-type': ct }, recent);
      expect(r.status, ct).toBe(415);
    }
  });

  it('refuses oversize bodies, broken JSON and paths outside the allowed roots', async () => {
    // Raw socket: the server answers 413 and drops the connection while the body is still being sent.
    const bigBody = JSON.stringify({ method: 'tokens.parse', input: { subject: 'x'.repeat(2 * 1024 * 1024), settings: {} } });
    const answer = await new Promise<string>((resolve) => {
      const sock = net.connect(server.port, '127.0.0.1');
      let got = '';
      sock.on('data', (c: Buffer) => (got += c.toString('latin1')));
      sock.on('error', () => resolve(got));
      sock.on('close', () => resolve(got));
      const h = good();
      sock.write(`POST /api/invoke HTTP/1.1\r\nHost: ${h.host}\r\nOrigin: ${h.origin}\r\nContent-Type: application/json\r\n` +
        `X-SyncLens-Token: ${server.token}\r\nContent-Length: ${bigBody.length}\r\nConnection: close\r\n\r\n`);
      sock.write(bigBody, () => sock.end());
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    const broken = await post(good(), '{"method": "workspace.recent", "input": ');
    expect(broken.status).toBeGreaterThanOrEqual(400);
    for (const p of [path.join(os.homedir(), 'x.synclens'), '/etc/passwd', path.join(allowed, '..', 'x.synclens')]) {
      const r = await post(good(), JSON.stringify({ method: 'workspace.open', input: { path: p } }));
      const json = JSON.parse(r.body) as { ok: boolean; error?: { message: string } };
      expect(json.ok, p).toBe(false);
      expect(json.error?.message).toMatch(/outside|not allowed|allowed|chose/i);
    }
  });
});
