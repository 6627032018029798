// The host's connector methods (issue 16): `org.pull` (Dataverse Web API) and `mailbox.pull` (Microsoft
// Graph), long jobs with job.progress and job.cancel like import.start. The HTTP, paging, throttling and
// landing are core/node/connectors' (the CLI runs the same code); this module only chooses the sign-in,
// reports progress and turns the summaries and errors into the contract's shapes.
//
// Sign-in: SYNCLENS_ACCESS_TOKEN (or the host option) gives a fixed token, never stored. Otherwise MSAL's
// interactive flow: MSAL listens on a loopback port in this process and hands us the sign-in address; the
// host cannot open a browser (it is a utility / child process), so it emits `auth.open`, which Electron main
// opens with the system browser and browser mode's page shows as a link.
//
// Token cache: one MsalTokenProvider per (service, tenant, client id) is kept for the life of the host, so
// MSAL's in-memory cache (access and refresh tokens) serves later pulls of the session without a second
// sign-in. Nothing is written to disk: the host runs in a utility process, where Electron's safeStorage is
// not available, and sending every cache write to main for encryption would need a new channel in the
// host protocol; the user signs in again after a restart.

import { isSignInUrl, type AuthOpen, type ErrorCode, type EventName, type Events, type MailboxPullRequest, type MailboxPullSummary, type MethodInput, type MethodOutput, type OrgPullRequest, type OrgPullSummary } from '../../core/contract/contract.js';
import {
  DATAVERSE_CLIENT_ID, GRAPH_CLIENT_ID, GRAPH_MAIL_SCOPES, GRAPH_SHARED_MAIL_SCOPES, MsalTokenProvider, SignInError, StaticTokenProvider, type TokenProvider,
} from '../../core/node/connectors/auth.js';
import { dataverseScopes, environmentRoot, PULL_TABLES, pullOrganization, type PullTable } from '../../core/node/connectors/dataverse.js';
import { GRAPH_BASE, pullMailbox } from '../../core/node/connectors/graphMail.js';
import { ConnectorError, ODataClient } from '../../core/node/connectors/http.js';
import type { Workspace } from '../../core/node/workspace/open.js';
import type { INetworkModule } from '@azure/msal-node';

export interface ConnectOptions {
  /** A bearer token used instead of signing in (tests, or an admin who has one); never stored. */
  accessToken?: string;
  /** Microsoft Graph's base (tests point it at a local stand-in); default https://graph.microsoft.com/v1.0. */
  graphBaseUrl?: string;
  /** Tests only (createHost in-process): MSAL's HTTP client, answering from a local Entra ID stand-in. */
  signInNetwork?: INetworkModule;
}

export interface ConnectDeps {
  requireWs: () => Workspace;
  startJob: (requested: string | undefined, kind: string) => { jobId: string; signal: AbortSignal; done: () => void };
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  /** The workspace's data changed (emits workspace.changed with fresh info). */
  changed: () => void;
  fail: (code: ErrorCode, message: string) => never;
  options: ConnectOptions;
}

/** Table names as an admin knows them (the CLI's labels). */
export const TABLE_LABEL: Record<PullTable, string> = {
  organization: 'organization', emailserverprofile: 'email server profiles', systemuser: 'users', usersettings: 'user settings',
  queue: 'queues', mailbox: 'mailboxes', mailboxtrackingfolder: 'tracked folders', contact: 'contacts', account: 'accounts', lead: 'leads', email: 'email rows',
};

const MAX_LISTED = 200;

/** Resolves when aborted: a sign-in nobody completes must not keep a cancelled job waiting. */
function abortable(tokens: TokenProvider, signal: AbortSignal): TokenProvider {
  return {
    getToken: (scopes, opts) => new Promise<string>((resolve, reject) => {
      if (signal.aborted) return reject(new ConnectorError('CANCELLED', 'cancelled'));
      const onAbort = (): void => reject(new ConnectorError('CANCELLED', 'cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
      tokens.getToken(scopes, opts).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    }),
  };
}

function day(s: string | undefined, what: string, fail: ConnectDeps['fail']): Date | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) fail('INVALID_INPUT', `${what} must be a date such as 2025-01-31, not "${s}".`);
  return d;
}

export function createConnectHandlers(deps: ConnectDeps): {
  'org.pull': (input: MethodInput<'org.pull'>) => Promise<MethodOutput<'org.pull'>>;
  'mailbox.pull': (input: MethodInput<'mailbox.pull'>) => Promise<MethodOutput<'mailbox.pull'>>;
} {
  const providers = new Map<string, MsalTokenProvider>();
  // The job that is waiting for a sign-in, so auth.open names it.
  let signingInFor = '';

  const tokensFor = (service: 'dataverse' | 'graph', req: { tenant?: string; clientId?: string }): TokenProvider => {
    const fixed = deps.options.accessToken ?? process.env['SYNCLENS_ACCESS_TOKEN'];
    if (fixed) return new StaticTokenProvider([fixed]);
    const tenant = req.tenant ?? process.env['SYNCLENS_TENANT'];
    const clientId = req.clientId ?? process.env['SYNCLENS_CLIENT_ID'] ?? (service === 'graph' ? GRAPH_CLIENT_ID : DATAVERSE_CLIENT_ID);
    const key = `${service}|${tenant ?? ''}|${clientId}`;
    let p = providers.get(key);
    if (!p) {
      p = new MsalTokenProvider({
        clientId,
        ...(tenant ? { tenant } : {}),
        ...(deps.options.signInNetwork ? { networkClient: deps.options.signInNetwork } : {}),
        mode: {
          kind: 'interactive',
          openBrowser: (url) => {
            if (!isSignInUrl(url)) return Promise.reject(new SignInError(`the sign-in address is not Microsoft's (${new URL(url).origin}); nothing was opened`));
            deps.emit('auth.open', { url, jobId: signingInFor } satisfies AuthOpen);
            return Promise.resolve();
          },
        },
      });
      providers.set(key, p);
    }
    return p;
  };

  /** A connector failure as the contract's error: its plain sentence, which names what to fix. */
  const failWith = (err: unknown, what: string): never => {
    const sentence = (m: string): string => `${what}: ${m.replace(/\.$/, '')}.`;
    if (err instanceof ConnectorError) {
      const code: ErrorCode = err.code === 'CANCELLED' ? 'CANCELLED' : err.code === 'BAD_URL' ? 'INVALID_INPUT' : err.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'IMPORT_ERROR';
      return deps.fail(code, sentence(err.message));
    }
    if (err instanceof SignInError) return deps.fail('IMPORT_ERROR', sentence(err.message));
    throw err;
  };

  return {
    'org.pull': async (input: OrgPullRequest): Promise<OrgPullSummary> => {
      const w = deps.requireWs();
      let root: string;
      try {
        root = environmentRoot(input.url.trim());
      } catch (err) {
        return failWith(err, 'The environment address is not usable');
      }
      const since = day(input.since, 'Since', deps.fail);
      const mailboxes = (input.mailboxes ?? []).map((m) => m.trim()).filter((m) => m !== '');
      const job = deps.startJob(input.jobId, 'pull');
      signingInFor = job.jobId;
      const total = PULL_TABLES.length;
      let tablesDone = 0;
      try {
        const client = new ODataClient({
          tokens: abortable(tokensFor('dataverse', input), job.signal), scopes: dataverseScopes(root), signal: job.signal,
          // Said at once: a Retry-After can be minutes, and the user may rather cancel than wait.
          onRetry: (r) => deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: tablesDone, total,
            message: r.status === 429 ? `Dataverse service protection limit: waiting ${Math.ceil(r.waitMs / 1000)} s` : `retrying after ${r.status ?? 'a network error'} in ${Math.ceil(r.waitMs / 1000)} s` }),
        });
        deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: 0, total, message: `Connecting to ${root}` });
        const s = await pullOrganization(w, client, {
          url: root, signal: job.signal, ...(since ? { since } : {}), ...(mailboxes.length ? { mailboxes } : {}),
          onProgress: (p) => {
            tablesDone = PULL_TABLES.indexOf(p.table);
            deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: tablesDone, total, message: `${TABLE_LABEL[p.table]}: ${p.rows} rows, page ${p.page}` });
          },
        });
        deps.changed();
        const problems = s.load?.problems ?? [];
        return {
          jobId: job.jobId,
          environment: root,
          tables: s.tables.map((t) => ({ ...t, label: TABLE_LABEL[t.table] })),
          landed: s.load?.landed ?? null,
          problems: problems.slice(0, MAX_LISTED).map((p) => ({ table: p.table, row: p.row, column: p.column, problem: p.problem })),
          problemCount: problems.length,
          cancelled: s.cancelled,
          elapsedMs: s.elapsedMs,
        };
      } catch (err) {
        // Tables stored before the failure stay (the next pull resumes after them): the views must see them.
        deps.changed();
        return failWith(err, `Pulling ${root} stopped`);
      } finally {
        job.done();
      }
    },

    'mailbox.pull': async (input: MailboxPullRequest): Promise<MailboxPullSummary> => {
      const w = deps.requireWs();
      const user = input.user.trim();
      const folders = input.folders.map((f) => f.split('/').map((p) => p.trim()).filter(Boolean).join('/')).filter((f) => f !== '');
      if (folders.length === 0) deps.fail('INVALID_INPUT', 'Give at least one folder, such as Inbox or Inbox/Projects.');
      const since = day(input.since, 'Since', deps.fail);
      const mailbox = input.mailbox?.trim() || user;
      const job = deps.startJob(input.jobId, 'pull');
      signingInFor = job.jobId;
      const clientId = input.clientId ?? process.env['SYNCLENS_CLIENT_ID'] ?? GRAPH_CLIENT_ID;
      let fetched = 0;
      try {
        const client = new ODataClient({
          tokens: abortable(tokensFor('graph', input), job.signal),
          scopes: [...(input.shared ? GRAPH_SHARED_MAIL_SCOPES : GRAPH_MAIL_SCOPES)],
          signal: job.signal,
          permissionHint: `the delegated Graph permission Mail.Read (your own mailbox) or Mail.Read.Shared (a mailbox shared with you), consented for client ${clientId}`,
          onRetry: (r) => deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: fetched, total: null,
            message: r.status === 429 ? `throttled by Exchange Online: waiting ${Math.ceil(r.waitMs / 1000)} s` : `retrying after ${r.status ?? 'a network error'} in ${Math.ceil(r.waitMs / 1000)} s` }),
        });
        deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: 0, total: null, message: `Connecting to ${user}'s mailbox` });
        const s = await pullMailbox(w, client, {
          user, folders, mailbox, signal: job.signal, ...(since ? { since } : {}),
          base: deps.options.graphBaseUrl ?? process.env['SYNCLENS_GRAPH_URL'] ?? GRAPH_BASE,
          onProgress: (p) => {
            fetched = p.fetched;
            deps.emit('job.progress', { jobId: job.jobId, kind: 'pull', done: p.fetched, total: null, message: `${p.folder}: ${p.fetched} messages` });
          },
        });
        deps.changed();
        return {
          jobId: job.jobId,
          user,
          mailbox,
          folders: s.folders,
          // Graph's item ids are internal: the folder and the reason say which message it was.
          quarantined: s.quarantined.slice(0, MAX_LISTED).map((q) => ({ folder: q.folder, reason: q.reason })),
          cancelled: s.cancelled,
          elapsedMs: s.elapsedMs,
        };
      } catch (err) {
        deps.changed();
        return failWith(err, `Pulling ${user}'s mailbox stopped`);
      } finally {
        job.done();
      }
    },
  };
}
