// `org pull --url https://ORG.crm.dynamics.com --workspace FILE [--since DATE] [--mailbox ADDRESS]...
// [--device-code] [--tenant T] [--client-id ID] [--json]`: reads the organization through the Dataverse Web
// API (GETs only) and loads it as `org import` loads saved exports.
import { parseArgs } from 'node:util';
import { DATAVERSE_CLIENT_ID, DEFAULT_TENANT, MsalTokenProvider, SignInError, StaticTokenProvider, type TokenProvider } from '../../node/connectors/auth.js';
import { dataverseScopes, environmentRoot, pullOrganization, type PullTable } from '../../node/connectors/dataverse.js';
import { ConnectorError, ODataClient } from '../../node/connectors/http.js';
import { openWorkspace } from '../../node/workspace/open.js';
import { WorkspaceError } from '../../node/workspace/errors.js';

type Out = { out: (s: string) => void; err: (s: string) => void };

export const PULL_USAGE = `usage: org pull --url https://ORG.crm.dynamics.com --workspace FILE [--since DATE] [--mailbox ADDRESS]...
                [--device-code] [--tenant TENANT] [--client-id ID] [--json]

Reads the organization through the Dataverse Web API, read-only (GET with $select of the columns SyncLens
needs): settings and orgdborgsettings, server profiles, users and their filtering methods, queues,
mailboxes and their tracked folders, contacts, accounts, leads, and email rows with their parties. The rows
land exactly as \`org import\` lands saved exports. An interrupted pull resumes at the table it was on.

  --since DATE        only email rows created on or after DATE (e.g. 2025-01-31); other tables are read whole
  --mailbox ADDRESS   only this mailbox and the email it received; repeat for more
  --device-code       sign in with a code shown here (the only sign-in of the command line; the app opens
                      the system browser instead)
  --tenant TENANT     tenant id or domain (default ${DEFAULT_TENANT}; or SYNCLENS_TENANT)
  --client-id ID      public client application id (default ${DATAVERSE_CLIENT_ID}, Microsoft's documented
                      Dataverse sample client; or SYNCLENS_CLIENT_ID)
SYNCLENS_ACCESS_TOKEN set to a Dataverse access token is used instead of signing in (never stored).
The signed-in account needs Read on each table (a 403 names the missing privilege).
Exit codes: 0 pulled, 1 failed, 2 usage, 130 cancelled.`;

const LABEL: Record<PullTable, string> = {
  organization: 'organization', emailserverprofile: 'email server profiles', systemuser: 'users', usersettings: 'user settings',
  queue: 'queues', mailbox: 'mailboxes', mailboxtrackingfolder: 'tracked folders', contact: 'contacts', account: 'accounts', lead: 'leads', email: 'email rows',
};

export async function runPull(argv: string[], io: Out): Promise<number> {
  let values: { url?: string; workspace?: string; since?: string; mailbox?: string[]; 'device-code'?: boolean; tenant?: string; 'client-id'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        url: { type: 'string' }, workspace: { type: 'string' }, since: { type: 'string' }, mailbox: { type: 'string', multiple: true },
        'device-code': { type: 'boolean' }, tenant: { type: 'string' }, 'client-id': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.err(`org pull: ${(e as Error).message}\n${PULL_USAGE}`);
    return 2;
  }
  if (values.help) { io.out(PULL_USAGE); return 0; }
  const usage = (m: string): number => { io.err(`org pull: ${m}\n${PULL_USAGE}`); return 2; };
  if (!values.url) return usage('--url https://ORG.crm.dynamics.com is required');
  if (!values.workspace) return usage('--workspace FILE is required');
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.since) || Number.isNaN(since.getTime())) return usage(`--since must be a date such as 2025-01-31, not "${values.since}"`);
  }
  let root: string;
  try { root = environmentRoot(values.url); } catch (e) { return usage((e as Error).message); }
  const tenant = values.tenant ?? process.env.SYNCLENS_TENANT;
  const clientId = values['client-id'] ?? process.env.SYNCLENS_CLIENT_ID ?? DATAVERSE_CLIENT_ID;
  const tokens: TokenProvider = process.env.SYNCLENS_ACCESS_TOKEN
    ? new StaticTokenProvider([process.env.SYNCLENS_ACCESS_TOKEN])
    : new MsalTokenProvider({ clientId, ...(tenant ? { tenant } : {}), mode: { kind: 'device-code', onCode: (m) => io.err(m) } });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const ws = openWorkspace(values.workspace);
    try {
      const client = new ODataClient({
        tokens, scopes: dataverseScopes(root), signal: controller.signal,
        onRetry: (r) => { if (process.stderr.isTTY) process.stderr.write(`\r${r.status === 429 ? 'Dataverse service protection limit' : `retrying (${r.status ?? 'network'})`}; waiting ${Math.ceil(r.waitMs / 1000)} s\x1b[K`); },
      });
      const summary = await pullOrganization(ws, client, {
        url: root, signal: controller.signal,
        ...(since ? { since } : {}), ...(values.mailbox?.length ? { mailboxes: values.mailbox } : {}),
        onProgress: (p) => { if (process.stderr.isTTY) process.stderr.write(`\r${LABEL[p.table]}: ${p.rows} row(s), page ${p.page}\x1b[K`); },
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (values.json) {
        io.out(JSON.stringify(summary, null, 2));
      } else {
        io.out(`${summary.cancelled ? 'Cancelled' : 'Pulled'} ${root} in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
        for (const t of summary.tables) io.out(`  ${LABEL[t.table].padEnd(16)} ${t.resumed ? 'already pulled (resumed)' : `${t.rows} row(s) in ${t.pages} page(s)`}`);
        const l = summary.load;
        if (l) {
          io.out(`Landed: ${l.landed.mailboxes} mailboxes, ${l.landed.directory} directory rows, ${l.landed.tracked} tracked emails${l.landed.settings ? ', the organization\'s settings (profile "org")' : ''}`);
          for (const p of l.problems.slice(0, 20)) io.out(`  ! ${p.table ?? ''} row ${p.row}${p.column ? ` column ${p.column}` : ''}: ${p.problem}`);
          if (l.problems.length > 20) io.out(`  … ${l.problems.length - 20} more (org show lists them)`);
        }
      }
      return summary.cancelled ? 130 : 0;
    } finally {
      ws.close();
    }
  } catch (err) {
    if (err instanceof ConnectorError || err instanceof SignInError || err instanceof WorkspaceError) {
      io.err(`org pull: ${err.message}`);
      return err instanceof ConnectorError && err.code === 'CANCELLED' ? 130 : 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
