// Read-only HTTP for Microsoft Graph and the Dataverse Web API: GET only, bearer token from a
// TokenProvider, OData paging (@odata.nextLink, Prefer: odata.maxpagesize), service-protection limits
// (429 with Retry-After; 503/504/5xx with exponential backoff), bounded retries, cancel through an
// AbortSignal, progress per page, resume from a saved nextLink/deltaLink, and typed errors an admin can act
// on. Throttling rules: Graph https://learn.microsoft.com/graph/throttling, Dataverse
// https://learn.microsoft.com/power-apps/developer/data-platform/api-limits (both: honour Retry-After).

import type { TokenProvider } from './auth.js';

export type ConnectorErrorCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_URL' | 'NETWORK' | 'TENANT_MISMATCH' | 'THROTTLED' | 'SERVER' | 'CANCELLED' | 'BAD_RESPONSE';

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(readonly code: ConnectorErrorCode, message: string, readonly status: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface HttpOptions {
  tokens: TokenProvider;
  /** Scopes asked of the token provider for this service (e.g. Mail.Read). */
  scopes: readonly string[];
  /** Names the permission a 403 means is missing ("Mail.Read (delegated)"). */
  permissionHint?: string;
  /** Tenant the token must belong to (a tid claim that differs gives TENANT_MISMATCH). */
  expectedTenant?: string;
  maxRetries?: number;
  /** Base of the exponential backoff for 5xx and network errors, in ms (doubles each attempt). */
  backoffMs?: number;
  /** Longest a Retry-After is honoured before giving up, in seconds. */
  maxRetryAfterSeconds?: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** For tests: how to wait (default setTimeout, cancellable). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: { url: string; status: number | null; attempt: number; waitMs: number }) => void;
}

export interface Page<T> {
  value: T[];
  nextLink: string | null;
  deltaLink: string | null;
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectorError('CANCELLED', 'cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new ConnectorError('CANCELLED', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After is seconds or an HTTP date (RFC 9110 10.2.3). */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** The tid claim of a JWT access token, without verifying it (the service does that). */
export function tokenTenant(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' ? claims.tid : null;
  } catch {
    return null;
  }
}

interface ODataError {
  error?: { code?: string; message?: string };
}

async function errorText(res: Response): Promise<{ code: string; message: string }> {
  const text = await res.text().catch(() => '');
  try {
    const j = JSON.parse(text) as ODataError;
    return { code: j.error?.code ?? '', message: j.error?.message ?? text.slice(0, 300) };
  } catch {
    return { code: '', message: text.slice(0, 300) };
  }
}

export class ODataClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  constructor(private readonly opts: HttpOptions) {
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.sleep = opts.sleep ?? sleepFor;
  }

  /** One GET with retries; returns the response (2xx) or throws a ConnectorError. */
  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const { maxRetries = 5, backoffMs = 500, maxRetryAfterSeconds = 300, signal } = this.opts;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new ConnectorError('CANCELLED', 'cancelled');
      const token = await this.opts.tokens.getToken(this.opts.scopes, { forceRefresh: refreshed });
      if (this.opts.expectedTenant) {
        const tid = tokenTenant(token);
        if (tid && tid.toLowerCase() !== this.opts.expectedTenant.toLowerCase()) {
          throw new ConnectorError('TENANT_MISMATCH', `signed in to tenant ${tid}, but ${new URL(url).host} belongs to tenant ${this.opts.expectedTenant}: sign in with an account of that tenant (or set --tenant)`);
        }
      }
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method: 'GET', headers: { Accept: 'application/json', ...headers, Authorization: `Bearer ${token}` }, signal: signal ?? null });
      } catch (err) {
        if (signal?.aborted) throw new ConnectorError('CANCELLED', 'cancelled', null, { cause: err });
        const cause = (err as { cause?: { code?: string } }).cause;
        if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') {
          throw new ConnectorError('BAD_URL', `${new URL(url).host} could not be found (DNS): check the address`, null, { cause: err });
        }
        if (attempt >= maxRetries) throw new ConnectorError('NETWORK', `${new URL(url).host} could not be reached: ${(err as Error).message}`, null, { cause: err });
        const waitMs = backoffMs * 2 ** attempt;
        this.opts.onRetry?.({ url, status: null, attempt, waitMs });
        await this.sleep(waitMs, signal);
        continue;
      }
      if (res.ok) return res;
      if (res.status === 401 && !refreshed) {
        // An expired or revoked token: ask the provider for a fresh one once, then give up.
        await res.body?.cancel();
        refreshed = true;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        const wait = retryAfterMs(res.headers.get('retry-after'));
        const e = await errorText(res);
        if (attempt >= maxRetries) {
          throw new ConnectorError(res.status === 429 ? 'THROTTLED' : 'SERVER', `${res.status} from ${new URL(url).host} after ${attempt + 1} attempts: ${e.message || e.code}`, res.status);
        }
        if (wait !== null && wait > maxRetryAfterSeconds * 1000) {
          throw new ConnectorError('THROTTLED', `${new URL(url).host} asks to wait ${Math.round(wait / 1000)} s (Retry-After); run the pull again later, it resumes`, res.status);
        }
        const waitMs = wait ?? backoffMs * 2 ** attempt;
        this.opts.onRetry?.({ url, status: res.status, attempt, waitMs });
        await this.sleep(waitMs, signal);
        continue;
      }
      const e = await errorText(res);
      if (res.status === 401) throw new ConnectorError('UNAUTHORIZED', `sign-in was refused by ${new URL(url).host} (${e.code || 401}: ${e.message}); sign in again`, 401);
      if (res.status === 403) {
        throw new ConnectorError('FORBIDDEN', `access denied by ${new URL(url).host} (${e.code || 403}: ${e.message})` +
          (this.opts.permissionHint ? `; the signed-in account needs ${this.opts.permissionHint}` : ''), 403);
      }
      if (res.status === 404) throw new ConnectorError('NOT_FOUND', `${new URL(url).pathname} was not found (${e.code || 404}: ${e.message})`, 404);
      throw new ConnectorError('BAD_RESPONSE', `${res.status} from ${new URL(url).host}: ${e.message || e.code}`, res.status);
    }
  }

  async getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.get(url, headers);
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw new ConnectorError('BAD_RESPONSE', `${new URL(url).host} answered with something that is not JSON`, res.status, { cause: err });
    }
  }

  /** The body as bytes; a body over maxBytes is refused (by Content-Length before reading, else while reading). */
  async getBytes(url: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
    const res = await this.get(url, { Accept: '*/*' });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const tooBig = (n: number): ConnectorError => new ConnectorError('BAD_RESPONSE', `the response of ${n} bytes exceeds the ${maxBytes}-byte limit`, res.status);
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw tooBig(declared);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) throw tooBig(size);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  /**
   * Pages through an OData collection from `url` (or from a saved nextLink/deltaLink, which is a full URL)
   * and yields each page. `onPage` gets the link to save for resuming (the next page, or the final delta link).
   */
  async *pages<T>(url: string, opts: { maxPageSize?: number; prefer?: readonly string[]; onPage?: (p: Page<T>, pageNo: number) => void } = {}): AsyncGenerator<Page<T>> {
    let next: string | null = url;
    let n = 0;
    // One Prefer header, its preferences comma-separated (RFC 7240), e.g. Dataverse's
    // odata.include-annotations beside odata.maxpagesize.
    const prefer = [...(opts.maxPageSize ? [`odata.maxpagesize=${opts.maxPageSize}`] : []), ...(opts.prefer ?? [])];
    const headers = prefer.length ? { Prefer: prefer.join(',') } : undefined;
    const origin = new URL(url).origin;
    while (next) {
      // The bearer token goes only to the service the pull started with: a next/delta link to another origin
      // (a tampered saved link, a misbehaving proxy) is refused rather than followed.
      if (new URL(next).origin !== origin) throw new ConnectorError('BAD_RESPONSE', `refusing to follow a paging link to ${new URL(next).origin} (the pull is against ${origin})`);
      const body: { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } = await this.getJson(next, headers);
      if (!Array.isArray(body.value)) throw new ConnectorError('BAD_RESPONSE', `${new URL(next).host} answered without a "value" list`);
      const page: Page<T> = { value: body.value, nextLink: body['@odata.nextLink'] ?? null, deltaLink: body['@odata.deltaLink'] ?? null };
      opts.onPage?.(page, ++n);
      yield page;
      next = page.nextLink;
    }
  }
}
