// `mailbox pull --user UPN --folder Inbox [--folder "Inbox/Projects"]... [--since DATE] --workspace FILE`
// Pulls an Exchange Online mailbox through Microsoft Graph (read-only, Mail.Read) into the workspace.

import { parseArgs } from 'node:util';
import { DEFAULT_TENANT, GRAPH_CLIENT_ID, GRAPH_MAIL_SCOPES, GRAPH_SHARED_MAIL_SCOPES, MsalTokenProvider, SignInError, StaticTokenProvider, type TokenProvider } from '../../node/connectors/auth.js';
import { GRAPH_BASE, pullMailbox, type PullProgress } from '../../node/connectors/graphMail.js';
import { ConnectorError, ODataClient } from '../../node/connectors/http.js';
import { openWorkspace } from '../../node/workspace/open.js';
import { WorkspaceError } from '../../node/workspace/errors.js';

export const USAGE = `usage: mailbox pull --user UPN --workspace FILE [--folder PATH]... [--since DATE] [--mailbox ADDRESS]
                    [--shared] [--tenant TENANT] [--client-id ID] [--json]

Pulls messages from an Exchange Online mailbox through Microsoft Graph, each as MIME so every header is kept,
into the workspace (read-only towards the mailbox; scope Mail.Read, or Mail.Read.Shared with --shared).
A second pull asks only for what changed (delta query); an interrupted pull resumes.

  --user UPN          the mailbox to read (user principal name or address)
  --folder PATH       a folder, "/" between levels (default Inbox); repeat for more
  --since DATE        only messages received on or after DATE (ISO 8601, e.g. 2025-01-31) on a first pull
  --mailbox ADDRESS   the workspace mailbox to import into (default: --user)
  --shared            another user's mailbox shared with you: asks for Mail.Read.Shared instead of Mail.Read
  --tenant TENANT     tenant id or domain (default ${DEFAULT_TENANT}; or SYNCLENS_TENANT)
  --client-id ID      public client application id (or SYNCLENS_CLIENT_ID; default ${GRAPH_CLIENT_ID},
                      Microsoft Graph Command Line Tools)
Sign-in: device code (open the page shown and enter the code). SYNCLENS_ACCESS_TOKEN set to a Graph access
token is used instead (never stored). Exit codes: 0 done, 1 failed, 2 usage, 130 cancelled.`;

class UsageError extends Error {}

function parse(argv: string[]): { user: string; workspace: string; folders: string[]; since?: Date; mailbox?: string; tenant?: string; clientId?: string; json: boolean; shared: boolean } {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      user: { type: 'string' }, workspace: { type: 'string' }, folder: { type: 'string', multiple: true }, since: { type: 'string' },
      mailbox: { type: 'string' }, tenant: { type: 'string' }, 'client-id': { type: 'string' }, json: { type: 'boolean' }, shared: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.user) throw new UsageError('--user UPN is required');
  if (!values.workspace) throw new UsageError('--workspace FILE is required');
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.since) || Number.isNaN(since.getTime())) throw new UsageError(`--since must be a date such as 2025-01-31, not "${values.since}"`);
  }
  const folders = (values.folder ?? ['Inbox']).map((f) => f.split('/').map((p) => p.trim()).filter(Boolean).join('/'));
  if (folders.some((f) => f === '')) throw new UsageError('--folder needs a folder name');
  return {
    user: values.user, workspace: values.workspace, folders, json: values.json === true, shared: values.shared === true,
    ...(since ? { since } : {}), ...(values.mailbox ? { mailbox: values.mailbox } : {}),
    ...((values.tenant ?? process.env.SYNCLENS_TENANT) ? { tenant: values.tenant ?? process.env.SYNCLENS_TENANT } : {}),
    ...((values['client-id'] ?? process.env.SYNCLENS_CLIENT_ID) ? { clientId: values['client-id'] ?? process.env.SYNCLENS_CLIENT_ID } : {}),
  };
}

function progress(p: PullProgress): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\r${p.folder}: ${p.fetched}/${p.listed} message(s)\x1b[K`);
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (sub !== 'pull') {
    process.stderr.write(`mailbox: ${sub ? `unknown sub-command "${sub}"` : 'give a sub-command'}\n${USAGE}\n`);
    return 2;
  }
  let a;
  try {
    a = parse(rest);
  } catch (err) {
    process.stderr.write(`mailbox pull: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const scopes = [...(a.shared ? GRAPH_SHARED_MAIL_SCOPES : GRAPH_MAIL_SCOPES)];
  const tokens: TokenProvider = process.env.SYNCLENS_ACCESS_TOKEN
    ? new StaticTokenProvider([process.env.SYNCLENS_ACCESS_TOKEN])
    : new MsalTokenProvider({ ...(a.clientId ? { clientId: a.clientId } : {}), ...(a.tenant ? { tenant: a.tenant } : {}), mode: { kind: 'device-code', onCode: (m) => process.stderr.write(`${m}\n`) } });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const ws = openWorkspace(a.workspace);
    try {
      const client = new ODataClient({
        tokens, scopes, signal: controller.signal,
        permissionHint: `the delegated Graph permission Mail.Read (your own mailbox) or ${GRAPH_SHARED_MAIL_SCOPES[0].split('/').pop() as string} (a mailbox shared with you), consented for client ${a.clientId ?? GRAPH_CLIENT_ID}`,
        onRetry: (r) => { if (process.stderr.isTTY) process.stderr.write(`\r${r.status === 429 ? 'throttled by Exchange Online' : `retrying (${r.status ?? 'network'})`}; waiting ${Math.ceil(r.waitMs / 1000)} s\x1b[K`); },
      });
      const summary = await pullMailbox(ws, client, {
        user: a.user, folders: a.folders, signal: controller.signal, onProgress: progress,
        ...(a.since ? { since: a.since } : {}), ...(a.mailbox ? { mailbox: a.mailbox } : {}),
        // For the local stand-in in tests and benchmarks (never needed against Microsoft Graph).
        base: process.env.SYNCLENS_GRAPH_URL ?? GRAPH_BASE,
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (a.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`${summary.cancelled ? 'Cancelled' : 'Pulled'} ${a.user} in ${(summary.elapsedMs / 1000).toFixed(1)} s\n`);
        for (const f of summary.folders) {
          process.stdout.write(`  ${f.folder}: ${f.listed} listed${f.incremental ? ' (changes since the last pull)' : ''}, ${f.imported} imported, ` +
            `${f.duplicate} already in the workspace, ${f.quarantined} quarantined${f.removed ? `, ${f.removed} removed in Exchange (kept here)` : ''}\n`);
        }
        for (const q of summary.quarantined.slice(0, 20)) process.stdout.write(`  ! ${q.folder}: ${q.reason}\n`);
      }
      return summary.cancelled ? 130 : 0;
    } finally {
      ws.close();
    }
  } catch (err) {
    if (err instanceof ConnectorError || err instanceof SignInError || err instanceof WorkspaceError) {
      process.stderr.write(`mailbox pull: ${err.message}\n`);
      return err instanceof ConnectorError && err.code === 'CANCELLED' ? 130 : 1;
    }
    if (err instanceof Error) {
      process.stderr.write(`mailbox pull: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
