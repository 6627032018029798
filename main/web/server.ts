// Browser mode: the same renderer and the same contract, served from Node on 127.0.0.1. The engine
// host runs in a child process (the same code Electron runs in its utilityProcess). Security: bound to
// the loopback address only, a random per-run token on every API call, Host and Origin checked (no
// DNS rebinding, no cross-site posts), strict CSP on every page, inputs validated before the host.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventName } from '../../core/contract/contract.js';
import { validateInput } from '../../core/contract/schemas.js';
import { CONTENT_SECURITY_POLICY } from '../electron/security.js';
import { HOST_OPTIONS_ENV, HostClient, type FromHost } from '../host/protocol.js';
import type { HostOptions } from '../host/host.js';
// The bundle's content types are the ones the app:// protocol serves (one list for both front ends).
import { MIME_TYPES } from '../electron/appProtocol.js';

export interface WebServerOptions {
  /** 0 or omitted: a random free port. */
  port?: number;
  /** A workspace file to open at start (its folder becomes an allowed root). */
  workspace?: string;
  /** Open the bundled sample workspace at start. */
  sample?: boolean;
  /** Folders the renderer may name in paths (browser mode has no native dialog). Default: home and cwd. */
  allowedRoots?: string[];
  /** Built renderer; default dist/renderer. */
  rendererDir?: string;
  /** Recent list + sample cache; default ~/.cache/synclens. */
  stateDir?: string;
}

export interface WebServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const MAX_BODY = 1024 * 1024;


function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the engine host child process; resolves when it says it is ready. */
function startHostProcess(options: HostOptions): Promise<{ child: ChildProcess; client: HostClient }> {
  // Compiled (dist/node/web.js, `npm run web`): the host is the nodeHost.js entry beside it
  // (main/build/node.mjs). From the sources (the tests import this file) it is the .ts run through tsx.
  const compiled = !fileURLToPath(import.meta.url).endsWith('.ts');
  const entry = compiled ? path.join(here, 'nodeHost.js') : path.join(repoRoot, 'main', 'host', 'nodeHostProcess.ts');
  const child = fork(entry, [], {
    execArgv: compiled ? [] : ['--import', 'tsx'],
    env: { ...process.env, [HOST_OPTIONS_ENV]: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: repoRoot,
  });
  const client = new HostClient((m) => child.send(m));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => {
      client.failAll(`exit code ${code}`);
      reject(new Error(`SyncLens engine host exited during start-up (code ${code}).`));
    };
    child.once('exit', onExit);
    child.on('message', (raw) => {
      if ((raw as FromHost).type === 'ready') {
        child.off('exit', onExit);
        child.once('exit', (code) => client.failAll(`exit code ${code}`));
        resolve({ child, client });
      }
      client.receive(raw);
    });
  });
}

/**
 * The request target as a URL on our own origin, or null when it is not an origin-form path (RFC 9112
 * §3.2.1) that parses. Read as a path under the origin: "//host/x" must not become another host.
 */
export function requestUrl(target: string | undefined, origin: string): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  try {
    const url = new URL(`${origin}${target}`);
    return url.origin === new URL(origin).origin ? url : null;
  } catch {
    return null;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  send(res, status, { ok: false, error: { code: 'INVALID_INPUT', message } });
}

export async function startWebServer(opts: WebServerOptions = {}): Promise<WebServer> {
  const token = randomBytes(24).toString('base64url');
  const stateDir = opts.stateDir ?? path.join(os.homedir(), '.cache', 'synclens');
  const rendererDir = path.resolve(opts.rendererDir ?? path.join(repoRoot, 'dist', 'renderer'));
  const allowedRoots = [...(opts.allowedRoots ?? [os.homedir(), process.cwd()])];
  if (opts.workspace) allowedRoots.push(path.dirname(path.resolve(opts.workspace)));
  const { child, client } = await startHostProcess({
    sampleWorkspaceDir: path.join(stateDir, 'sample'),
    scenariosDir: path.join(repoRoot, 'assets', 'scenarios'),
    allowedRoots,
    stateDir,
    allowAdvice: `browser mode reads only the folders it was started with (${allowedRoots.join(', ')}); restart it with \`npm run web -- --allow /that/folder\` (repeat --allow for several folders).`,
  });

  const sseClients = new Set<http.ServerResponse>();
  client.onEvent((event: EventName, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  let origin = '';
  let hostHeader = '';

  const server = http.createServer((req, res) => {
    // Any request line the server cannot read is a 400, before and instead of every other check: `GET //[`
    // once threw out of `new URL` and took the server down (issue 12 item 4).
    const url = requestUrl(req.url, origin);
    if (!url) return refuse(res, 400, 'Malformed request URL.');
    try {
      handle(req, res, url);
    } catch (err) {
      // Nothing a client sends may stop the server; the reason goes to the server's console only.
      process.stderr.write(`SyncLens: browser-mode request ${req.method ?? ''} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) refuse(res, 400, 'The request could not be handled.');
      else res.destroy();
    }
  });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    // DNS rebinding: a page from another name that resolves to 127.0.0.1 sends its own Host.
    if (req.headers.host !== hostHeader) return refuse(res, 421, `Wrong Host header: open ${origin}/ exactly as printed.`);
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST for /api/invoke.');
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return refuse(res, 403, `Cross-origin request refused: only ${origin} may call the engine.`);
      if (!tokenMatches(token, req.headers['x-synclens-token'] as string | undefined)) {
        return refuse(res, 401, 'Missing or wrong x-synclens-token: open the URL SyncLens printed at start (it carries the token).');
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'Send the request as application/json.');
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          refuse(res, 413, `Request body over ${MAX_BODY} bytes refused.`);
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return refuse(res, 400, 'The request body is not valid JSON.');
        }
        const { method, input } = (body ?? {}) as { method?: unknown; input?: unknown };
        // Validate here as well as in the host, so nothing malformed even crosses the process boundary.
        const v = validateInput(method, input);
        if (!v.ok) return send(res, 200, { ok: false, error: v.error });
        void client.invoke(v.method, v.input).then((envelope) => send(res, 200, envelope));
      });
      return;
    }
    if (url.pathname === '/api/events') {
      if (!tokenMatches(token, url.searchParams.get('token'))) return refuse(res, 401, 'Missing or wrong token for /api/events.');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    serveStatic(rendererDir, url.pathname, res);
  };
  // Bytes that are not HTTP at all: answer 400 and close, as Node does by default, never throw.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  hostHeader = `127.0.0.1:${port}`;

  if (opts.workspace) {
    const r = await client.invoke('workspace.open', { path: path.resolve(opts.workspace) });
    if (!r.ok) process.stderr.write(`SyncLens: could not open ${opts.workspace}: ${r.error.message}\n`);
  } else if (opts.sample) {
    const r = await client.invoke('workspace.openSample', {});
    if (!r.ok) process.stderr.write(`SyncLens: could not open the sample workspace: ${r.error.message}\n`);
  }

  return {
    url: `${origin}/#token=${token}`,
    token,
    port,
    close: async () => {
      for (const res of sseClients) res.end();
      sseClients.clear();
      child.disconnect();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return refuse(res, 400, 'Malformed URL.');
  }
  const file = path.resolve(root, `.${rel}`);
  if (!file.startsWith(root + path.sep) || rel.includes('\0')) return refuse(res, 404, 'Not found.');
  fs.readFile(file, (err, data) => {
    if (err) {
      if (!fs.existsSync(path.join(root, 'index.html'))) {
        return refuse(res, 503, `The renderer is not built (${root} is missing): run \`node main/build/build.mjs --renderer\` first.`);
      }
      return refuse(res, 404, `Not found: ${rel}`);
    }
    res.writeHead(200, {
      'content-type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    res.end(data);
  });
}

function parseArgs(argv: string[]): WebServerOptions {
  const opts: WebServerOptions = {};
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a === '--sample') opts.sample = true;
    if (!next || !['--port', '--workspace', '--allow'].includes(a ?? '')) continue;
    if (a === '--port') opts.port = Number(next);
    else if (a === '--workspace') opts.workspace = next;
    else roots.push(path.resolve(next));
    i++;
  }
  if (roots.length) opts.allowedRoots = roots;
  if (!opts.workspace && opts.sample === undefined) opts.sample = true;
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  startWebServer(parseArgs(process.argv.slice(2))).then(
    (s) => {
      process.stdout.write(`SyncLens (browser mode): ${s.url}\n`);
      const stop = (): void => void s.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`SyncLens: browser mode could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
