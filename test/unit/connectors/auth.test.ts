// The real MSAL wiring (PublicClientApplication built by MsalTokenProvider) exercised without the internet:
// MSAL's HTTP client is swapped for one that sends its requests to a local Entra ID stand-in on 127.0.0.1,
// which answers with the documented shapes of instance discovery, OpenID configuration, the device
// authorization endpoint and the token endpoint (authorization_pending, then tokens; refresh_token grant)
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code, v2-oauth2-auth-code-flow).
// Checked: the authority and tenant, the client id, the read-only scopes, the device code message shown to
// the user, the interactive loopback redirect, silent reuse from the cache, refresh on forceRefresh, and a
// cache plugin that stores the serialized cache only where the caller says.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import { GRAPH_CLIENT_ID, GRAPH_MAIL_SCOPES, MsalTokenProvider, SignInError, msalConfiguration, type SecretStore } from '../../../core/node/connectors/auth.js';

const TENANT_ID = '8f2a6f0e-1f3c-4d0a-9c55-0b1d2e3f4a5b';
const OID = '0c5d1e2f-3a4b-4c6d-8e9f-a0b1c2d3e4f5';
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

interface Seen { method: string; path: string; body: URLSearchParams }
let server: http.Server;
let base = '';
const seen: Seen[] = [];
let pendingOnce = true;
let tokenNo = 0;

function idToken(aud: string): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud, iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`, iat: now, nbf: now, exp: now + 3600,
    name: 'Bob Admin', oid: OID, preferred_username: 'bob@contoso.com', sub: 'subject', tid: TENANT_ID, ver: '2.0' })}.`;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString(); });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const body = new URLSearchParams(data);
      seen.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      const json = (status: number, o: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      const host = 'https://login.microsoftonline.com';
      if (url.pathname === '/common/discovery/instance') {
        return json(200, { tenant_discovery_endpoint: `${host}/organizations/v2.0/.well-known/openid-configuration`, 'api-version': '1.1',
          metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }] });
      }
      if (url.pathname === '/organizations/v2.0/.well-known/openid-configuration') {
        return json(200, { token_endpoint: `${host}/organizations/oauth2/v2.0/token`, authorization_endpoint: `${host}/organizations/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${host}/organizations/oauth2/v2.0/devicecode`, end_session_endpoint: `${host}/organizations/oauth2/v2.0/logout`,
          issuer: `${host}/{tenantid}/v2.0`, jwks_uri: `${host}/organizations/discovery/v2.0/keys`, response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'] });
      }
      if (url.pathname === '/organizations/oauth2/v2.0/devicecode') {
        return json(200, { user_code: 'FJ4T-9QXK', device_code: 'DAQABAAEAAAD', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 1,
          message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ4T-9QXK to authenticate.' });
      }
      if (url.pathname === '/organizations/oauth2/v2.0/token') {
        // Entra ID documents grant_type urn:ietf:params:oauth:grant-type:device_code and also accepts the short
        // "device_code", which MSAL sends.
        if (/device_code$/.test(body.get('grant_type') ?? '') && pendingOnce) {
          pendingOnce = false;
          return json(400, { error: 'authorization_pending', error_description: 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.', error_codes: [70016] });
        }
        tokenNo++;
        return json(200, { token_type: 'Bearer', scope: 'https://graph.microsoft.com/Mail.Read openid profile offline_access', expires_in: 3599, ext_expires_in: 3599,
          access_token: `access-${tokenNo}`, refresh_token: `refresh-${tokenNo}`, id_token: idToken(body.get('client_id') ?? ''), client_info: b64url({ uid: OID, utid: TENANT_ID }) });
      }
      json(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** MSAL's requests, sent to the local stand-in instead of login.microsoftonline.com. */
const local: INetworkModule = {
  async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions) {
    return send<T>('GET', url, options);
  },
  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions) {
    return send<T>('POST', url, options);
  },
};
async function send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<{ headers: Record<string, string>; body: T; status: number }> {
  const u = new URL(url);
  expect(u.host).toBe('login.microsoftonline.com');
  const res = await fetch(`${base}${u.pathname}${u.search}`, { method, headers: options?.headers ?? {}, ...(options?.body !== undefined ? { body: options.body } : {}) });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => { headers[k] = v; });
  return { headers, body: (await res.json()) as T, status: res.status };
}

describe('MSAL sign-in seam', () => {
  it('configures the documented default authority, client id and no PII logging', () => {
    const c = msalConfiguration({});
    expect(c.auth.authority).toBe('https://login.microsoftonline.com/organizations');
    expect(c.auth.clientId).toBe(GRAPH_CLIENT_ID);
    expect(c.system?.loggerOptions?.piiLoggingEnabled).toBe(false);
    expect(() => msalConfiguration({ tenant: 'contoso.onmicrosoft.com/../x' })).toThrow(SignInError);
  });

  it('device code: shows Microsoft\'s message, polls past authorization_pending, caches, refreshes; the cache goes only to the given store', async () => {
    const codes: string[] = [];
    let stored: string | null = null;
    const store: SecretStore = { read: () => Promise.resolve(stored), write: (s) => { stored = s; return Promise.resolve(); } };
    const p = new MsalTokenProvider({ mode: { kind: 'device-code', onCode: (m) => codes.push(m) }, networkClient: local, cache: store });
    const before = seen.length;
    const t1 = await p.getToken(GRAPH_MAIL_SCOPES);
    expect(t1).toMatch(/^access-\d+$/);
    expect(codes).toEqual(['To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ4T-9QXK to authenticate.']);
    expect(p.tenantId).toBe(TENANT_ID);
    const mine = seen.slice(before);
    const dc = mine.find((s) => s.path.startsWith('/organizations/oauth2/v2.0/devicecode'));
    expect(dc?.body.get('client_id')).toBe(GRAPH_CLIENT_ID);
    expect(dc?.body.get('scope')?.split(' ').sort()).toEqual(['https://graph.microsoft.com/Mail.Read', 'offline_access', 'openid', 'profile']);
    expect(mine.filter((s) => /device_code$/.test(s.body.get('grant_type') ?? '') && s.body.get('device_code') === 'DAQABAAEAAAD')).toHaveLength(2);

    // Silent from the cache: no new request.
    const n = seen.length;
    expect(await p.getToken(GRAPH_MAIL_SCOPES)).toBe(t1);
    expect(seen.length).toBe(n);
    // forceRefresh (after a 401): the refresh token grant.
    const t2 = await p.getToken(GRAPH_MAIL_SCOPES, { forceRefresh: true });
    expect(t2).not.toBe(t1);
    expect(seen.slice(n).some((s) => s.body.get('grant_type') === 'refresh_token')).toBe(true);
    // The serialized cache went to the store (the app encrypts it with safeStorage), nowhere else.
    expect(stored).toContain(t2);
  });

  it('interactive: opens the browser on the authorize URL and takes the code posted to the loopback redirect (http://localhost:PORT)', async () => {
    let opened = '';
    const p = new MsalTokenProvider({
      networkClient: local, tenant: 'organizations',
      mode: {
        kind: 'interactive',
        openBrowser: async (url) => {
          opened = url;
          const u = new URL(url);
          // What the browser does after the user signs in: Entra ID posts the code to the loopback (response_mode=form_post).
          expect(u.searchParams.get('response_mode')).toBe('form_post');
          const form = new URLSearchParams({ code: 'auth-code-123', state: u.searchParams.get('state') as string, client_info: b64url({ uid: OID, utid: TENANT_ID }) });
          void fetch(u.searchParams.get('redirect_uri') as string, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
            .then((r) => r.text());
        },
      },
    });
    const before = seen.length;
    const t = await p.getToken(GRAPH_MAIL_SCOPES);
    expect(t).toMatch(/^access-\d+$/);
    const u = new URL(opened);
    expect(u.origin + u.pathname).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/?$/);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    const tokenReq = seen.slice(before).find((s) => s.body.get('grant_type') === 'authorization_code');
    expect(tokenReq?.body.get('code')).toBe('auth-code-123');
    expect(tokenReq?.body.get('code_verifier')).toBeTruthy();
  });
});
