// A Dataverse Web API stand-in on 127.0.0.1 for the pull tests. It answers GET /api/data/v9.2/<entity set>
// with the rows of the org fixtures (test/fixtures/org/json, written from Microsoft's documented response
// shapes) in the documented page shape: { "@odata.context", "value": [...], "@odata.nextLink" }, honouring
// Prefer: odata.maxpagesize. Faults can be scripted per entity set: 429 with Retry-After (service protection),
// 401 for an expired token, 403 with Dataverse's missing-privilege error body.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const ORG_JSON = path.resolve(import.meta.dirname, '../../fixtures/org/json');

/** Rows per entity set, from the fixture files (emails come in two files, i.e. two pages). */
export function fixtureRows(): Map<string, unknown[]> {
  const rows = new Map<string, unknown[]>();
  for (const f of fs.readdirSync(ORG_JSON).sort()) {
    const body = JSON.parse(fs.readFileSync(path.join(ORG_JSON, f), 'utf8')) as { '@odata.context': string; value: unknown[] };
    const set = /#([a-z]+)/.exec(body['@odata.context'])?.[1] as string;
    rows.set(set, [...(rows.get(set) ?? []), ...body.value]);
  }
  return rows;
}

export type Fault = { status: 429; retryAfter: string } | { status: 401 } | { status: 403; privilege: string };

export interface DataverseStandIn {
  root: string;
  requests: { method: string; path: string; query: URLSearchParams; prefer: string | null; auth: string | null }[];
  /** Faults to answer, once each, for an entity set. */
  faults: Map<string, Fault[]>;
  close: () => Promise<void>;
}

/** extraRows: more rows per entity set after the fixtures' (the benchmark's large email table). */
export async function startDataverseStandIn(opts: { extraRows?: Map<string, unknown[]> } = {}): Promise<DataverseStandIn> {
  const rows = fixtureRows();
  for (const [set, more] of opts.extraRows ?? []) rows.set(set, [...(rows.get(set) ?? []), ...more]);
  const requests: DataverseStandIn['requests'] = [];
  const faults = new Map<string, Fault[]>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const prefer = req.headers['prefer'] ? String(req.headers['prefer']) : null;
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, prefer, auth: req.headers.authorization ?? null });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0', ...headers });
      res.end(JSON.stringify(body));
    };
    const set = /^\/api\/data\/v9\.2\/([a-z]+)$/.exec(url.pathname)?.[1];
    if (req.method !== 'GET' || !set) return send(404, { error: { code: '0x8006088a', message: `Resource not found for the segment '${url.pathname}'.` } });
    if (req.headers.authorization === 'Bearer expired') {
      return send(401, { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const fault = faults.get(set)?.shift();
    if (fault?.status === 429) {
      return send(429, { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }, { 'retry-after': fault.retryAfter });
    }
    if (fault?.status === 403) {
      return send(403, { error: { code: '0x80040220', message: `Principal user (Id=5a1ce000-0000-4000-8000-0000000000a1, type=8) is missing ${fault.privilege} privilege.` } });
    }
    const all = rows.get(set);
    if (!all) return send(404, { error: { code: '0x80060888', message: `Resource not found for the segment '${set}'.` } });
    const size = Number(/odata\.maxpagesize=(\d+)/.exec(prefer ?? '')?.[1] ?? 5000);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = all.slice(skip, skip + size);
    const next = skip + size < all.length ? new URL(url.toString()) : null;
    next?.searchParams.set('$skiptoken', String(skip + size));
    const root = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    send(200, {
      '@odata.context': `${root}/api/data/v9.2/$metadata#${set}(${url.searchParams.get('$select') ?? ''})`,
      value: page,
      ...(next ? { '@odata.nextLink': `${root}${next.pathname}${next.search}` } : {}),
    }, size < 5000 ? { 'preference-applied': `odata.maxpagesize=${size}` } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { root, requests, faults, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
