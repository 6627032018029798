// A local stand-in for Microsoft Graph on 127.0.0.1, answering with the response shapes Microsoft documents:
// mailFolder (GET /users/{id}/mailFolders/inbox), childFolders pages with @odata.nextLink, message delta pages
// (@odata.nextLink, then @odata.deltaLink; removed items as {"id", "@removed": {"reason"}}), MIME content
// from /messages/{id}/$value (text/plain body of RFC 5322 text), throttling (429 + Retry-After), errors as
// {"error": {"code", "message"}} (401 InvalidAuthenticationToken, 403 ErrorAccessDenied, 5xx).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphStandIn {
  base: string;
  requests: Array<{ method: string; url: string; auth: string | undefined; prefer: string | undefined }>;
  /** Messages added later (served from the delta link on the next pull). */
  addLater(id: string): void;
  close(): Promise<void>;
}

export function mime(id: string, subject: string, extra = ''): string {
  return `From: Alice <alice@contoso.com>\r\nTo: bob@contoso.com\r\nSubject: ${subject}\r\nDate: Tue, 02 Dec 2025 10:00:00 +0000\r\n` +
    `Message-ID: <${id}@contoso.com>\r\nThread-Index: AdtjYmNkZWZnaGlqa2xtbm9wcQ==\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody of ${subject}\r\n`;
}

export interface StandInOptions {
  /** Message ids whose $value always fails with 500 (partial failure). */
  broken?: string[];
  /** Number of messages in the initial delta (split into pages of pageSize by the server). */
  count?: number;
  pageSize?: number;
  throttleOnce?: boolean;
}

export async function startGraphStandIn(opts: StandInOptions = {}): Promise<GraphStandIn> {
  const requests: GraphStandIn['requests'] = [];
  const count = opts.count ?? 5;
  const pageSize = opts.pageSize ?? 2;
  const ids = Array.from({ length: count }, (_, i) => `m${i + 1}`);
  const later: string[] = [];
  let throttled = !opts.throttleOnce;
  const flaky = new Set(['m2']);
  let base = '';
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ method: req.method ?? '', url: url.pathname + url.search, auth: req.headers.authorization, prefer: req.headers.prefer as string | undefined });
    if (req.headers.authorization === 'Bearer expired') {
      return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } });
    }
    if (req.headers.authorization !== 'Bearer good') return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    const m = /^\/v1\.0\/users\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (!m) return send(res, 404, { error: { code: 'ResourceNotFound', message: 'Resource not found' } });
    const user = decodeURIComponent(m[1] as string);
    const rest = m[2] as string;
    if (user === 'denied@contoso.com') return send(res, 403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } });
    const prefix = `${base}/v1.0/users/${encodeURIComponent(user)}`;
    if (rest === 'mailFolders/inbox') return send(res, 200, { '@odata.context': `${base}/v1.0/$metadata#users('${user}')/mailFolders/$entity`, id: 'AAInbox', displayName: 'Inbox' });
    if (rest === 'mailFolders/AAInbox/childFolders') {
      if (url.searchParams.get('$skip') === '1') return send(res, 200, { value: [{ id: 'AAProjects', displayName: 'Projects' }] });
      return send(res, 200, { value: [{ id: 'AAOther', displayName: 'Other' }], '@odata.nextLink': `${prefix}/mailFolders/AAInbox/childFolders?$select=id,displayName&$skip=1` });
    }
    const delta = /^mailFolders\/(AAInbox|AAProjects)\/messages\/delta$/.exec(rest);
    if (delta) {
      const folderIds = delta[1] === 'AAProjects' ? ['p1'] : ids;
      if (url.searchParams.has('$deltatoken')) {
        const value = later.splice(0).map((id) => ({ '@odata.type': '#microsoft.graph.message', id, receivedDateTime: '2025-12-03T10:00:00Z' }));
        return send(res, 200, { value: [...value, { '@odata.type': '#microsoft.graph.message', id: 'm1', '@removed': { reason: 'deleted' } }],
          '@odata.deltaLink': `${prefix}/mailFolders/${delta[1]}/messages/delta?$deltatoken=t${Date.now()}` });
      }
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      if (skip > 0 && !throttled) {
        throttled = true;
        return send(res, 429, { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } }, { 'retry-after': '2' });
      }
      const slice = folderIds.slice(skip, skip + pageSize).map((id) => ({ '@odata.type': '#microsoft.graph.message', '@odata.etag': 'W/"x"', id, receivedDateTime: '2025-12-02T10:00:00Z' }));
      const more = skip + pageSize < folderIds.length;
      return send(res, 200, {
        '@odata.context': `${base}/v1.0/$metadata#Collection(message)`, value: slice,
        ...(more ? { '@odata.nextLink': `${prefix}/mailFolders/${delta[1]}/messages/delta?$skiptoken=${skip + pageSize}` }
          : { '@odata.deltaLink': `${prefix}/mailFolders/${delta[1]}/messages/delta?$deltatoken=t0` }),
      });
    }
    const value = /^messages\/([^/]+)\/\$value$/.exec(rest);
    if (value) {
      const id = decodeURIComponent(value[1] as string);
      if (opts.broken?.includes(id)) return send(res, 500, { error: { code: 'ErrorInternalServerError', message: 'An internal server error occurred. The operation failed.' } });
      if (flaky.delete(id)) return send(res, 503, { error: { code: 'ErrorServiceUnavailable', message: 'Service Unavailable' } });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(mime(id, `Message ${id}`, id === 'm2' ? 'In-Reply-To: <m1@contoso.com>\r\nAuto-Submitted: auto-replied\r\n' : ''));
    }
    return send(res, 404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base, requests,
    addLater: (id) => { later.push(id); ids.push(id); },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
