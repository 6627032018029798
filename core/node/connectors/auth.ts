// Sign-in seam for the connectors. Pulls ask a TokenProvider for a bearer token; the real provider is
// @azure/msal-node's PublicClientApplication (Microsoft's library for it): device code flow in the CLI,
// interactive sign-in (system browser, loopback redirect on 127.0.0.1) in the app. Tests pass a static
// provider, or the real MSAL provider with a networkClient that answers from a local server.
//
// Tokens: kept in MSAL's in-memory cache, or through a cache plugin whose storage the caller supplies (the
// Electron app backs it with safeStorage, i.e. the OS keychain). Never written into the workspace, never
// logged (MSAL's logger is given no PII and its output is dropped below warnings). @azure/msal-node-extensions
// (the keychain-backed plugin Microsoft ships) could not be installed here: its keytar dependency needs a
// native build; the plugin seam below takes its place.

import { LogLevel, PublicClientApplication, type Configuration, type ICachePlugin, type INetworkModule, type TokenCacheContext } from '@azure/msal-node';

export interface TokenProvider {
  /** A bearer token for these scopes; forceRefresh after a 401 (expired or revoked token). */
  getToken(scopes: readonly string[], opts?: { forceRefresh?: boolean }): Promise<string>;
}

/** A fixed token (tests, or a token the user pasted): the only provider that never signs in. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly tokens: readonly string[]) {}
  private i = 0;
  getToken(_scopes: readonly string[], opts?: { forceRefresh?: boolean }): Promise<string> {
    if (opts?.forceRefresh && this.i < this.tokens.length - 1) this.i++;
    return Promise.resolve(this.tokens[this.i] as string);
  }
}

/**
 * Default tenant: "organizations" (any work or school account; personal accounts have no Exchange Online
 * mailbox or Dataverse org). Default client ids: Microsoft's public client applications that Microsoft
 * documents for these APIs, so a first pull needs no app registration:
 *  - Graph: "Microsoft Graph Command Line Tools" (14d82eec-204b-4c2f-b7e8-296a70dab67e), the client of the
 *    Microsoft Graph PowerShell SDK; delegated Mail.Read is consented per user unless the tenant forbids it.
 *  - Dataverse: the sample client 51f81489-12ee-4a9e-aaae-a2591f45987d that Microsoft's Dataverse Web API
 *    quick starts use (redirect http://localhost), meant for development and test.
 * Organisations that block these register their own public client (allow public client flows, redirect
 * http://localhost) and pass --client-id/--tenant (or SYNCLENS_CLIENT_ID / SYNCLENS_TENANT).
 */
export const DEFAULT_TENANT = 'organizations';
export const GRAPH_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
export const DATAVERSE_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';
export const AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Read-only Graph scopes for a mailbox pull: the user's own mail, or shared mailboxes they can read. */
export const GRAPH_MAIL_SCOPES = ['https://graph.microsoft.com/Mail.Read'] as const;
export const GRAPH_SHARED_MAIL_SCOPES = ['https://graph.microsoft.com/Mail.Read.Shared'] as const;

/** Where a token cache is kept between runs (the app: safeStorage-encrypted; nothing else). */
export interface SecretStore {
  read(): Promise<string | null>;
  write(serialized: string): Promise<void>;
}

/** An MSAL cache plugin over a SecretStore (the app's safeStorage-backed store). */
export function secretStoreCachePlugin(store: SecretStore): ICachePlugin {
  return {
    async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
      const s = await store.read();
      if (s) ctx.tokenCache.deserialize(s);
    },
    async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
      if (ctx.cacheHasChanged) await store.write(ctx.tokenCache.serialize());
    },
  };
}

export type SignInMode = { kind: 'device-code'; onCode: (message: string) => void } | { kind: 'interactive'; openBrowser: (url: string) => Promise<void> };

export interface MsalOptions {
  clientId?: string;
  tenant?: string;
  authorityHost?: string;
  mode: SignInMode;
  cache?: SecretStore;
  /** For tests: MSAL's HTTP client (answers from a local server). */
  networkClient?: INetworkModule;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** MSAL configuration (exported so tests can check authority, client id and logging without signing in). */
export function msalConfiguration(o: Omit<MsalOptions, 'mode'>): Configuration {
  const tenant = o.tenant ?? DEFAULT_TENANT;
  if (!/^[A-Za-z0-9.-]+$/.test(tenant)) throw new SignInError(`tenant "${tenant}" is not a tenant id or domain`);
  return {
    auth: { clientId: o.clientId ?? GRAPH_CLIENT_ID, authority: `${o.authorityHost ?? AUTHORITY_HOST}/${tenant}` },
    ...(o.cache ? { cache: { cachePlugin: secretStoreCachePlugin(o.cache) } } : {}),
    system: {
      ...(o.networkClient ? { networkClient: o.networkClient } : {}),
      // Tokens and account names are PII: never logged.
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Warning, loggerCallback: () => undefined },
    },
  };
}

export class MsalTokenProvider implements TokenProvider {
  readonly app: PublicClientApplication;
  /** Tenant id of the signed-in account (from the last token), for tenant-mismatch messages. */
  tenantId: string | null = null;

  constructor(private readonly o: MsalOptions) {
    this.app = new PublicClientApplication(msalConfiguration(o));
  }

  async getToken(scopes: readonly string[], opts?: { forceRefresh?: boolean }): Promise<string> {
    const list = [...scopes];
    const [account] = await this.app.getTokenCache().getAllAccounts();
    if (account) {
      try {
        const r = await this.app.acquireTokenSilent({ account, scopes: list, forceRefresh: opts?.forceRefresh === true });
        this.tenantId = r.tenantId || null;
        return r.accessToken;
      } catch {
        // No usable refresh token (expired, revoked, consent needed): sign in again below.
      }
    }
    try {
      const r = this.o.mode.kind === 'device-code'
        ? await this.app.acquireTokenByDeviceCode({ scopes: list, deviceCodeCallback: (d) => (this.o.mode as { onCode: (m: string) => void }).onCode(d.message) })
        : await this.app.acquireTokenInteractive({ scopes: list, openBrowser: (this.o.mode as { openBrowser: (u: string) => Promise<void> }).openBrowser,
          successTemplate: 'Signed in. You can close this window and return to SyncLens.', errorTemplate: 'Sign-in failed: {{error}}. Return to SyncLens.' });
      if (!r) throw new SignInError('sign-in returned no token');
      this.tenantId = r.tenantId || null;
      return r.accessToken;
    } catch (err) {
      if (err instanceof SignInError) throw err;
      const e = err as { errorCode?: string; errorMessage?: string; message?: string };
      throw new SignInError(`sign-in failed (${e.errorCode ?? 'error'}): ${(e.errorMessage ?? e.message ?? '').split('\n')[0]}`, { cause: err });
    }
  }
}
