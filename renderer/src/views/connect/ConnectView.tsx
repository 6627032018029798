import { useEffect, useId, useRef, useState } from 'react';
import { SIGN_IN_DEFAULTS, type MailboxPullSummary, type OrgPullSummary } from '../../../../core/contract/contract.js';
import { ApiError, call, newJobId } from '../../api.js';
import { JobStatus } from '../../components/JobStatus.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';
import { SignInFields, SignInNotice, type SignIn } from './SignIn.js';

/** Form values survive switching views (as the Audit view's do); results belong to this session. */
const orgForm = { url: '', since: '', mailboxes: '', tenant: '', clientId: '' };
const mailForm = { user: '', folders: 'Inbox', since: '', mailbox: '', shared: false, tenant: '', clientId: '' };
let lastOrg: OrgPullSummary | null = null;
let lastMail: MailboxPullSummary | null = null;

/** An engine error as its plain sentence (a 403 names the missing privilege); cancelling is not an error. */
function failure(err: unknown): string | null {
  if (err instanceof ApiError) return err.code === 'CANCELLED' ? null : err.message;
  return err instanceof Error ? err.message : String(err);
}

function signInOf(f: { tenant: string; clientId: string }): SignIn {
  return { ...(f.tenant.trim() ? { tenant: f.tenant.trim() } : {}), ...(f.clientId.trim() ? { clientId: f.clientId.trim() } : {}) };
}

/**
 * Connect: pull an organization from Dataverse and a mailbox from Exchange Online into the open workspace
 * (issue 16), read-only towards both; afterwards everything works offline as after an import.
 */
export function ConnectView() {
  const workspace = useAppStore((s) => s.workspace);
  if (!workspace) return <NoWorkspace />;
  return (
    <section className="view connect" aria-labelledby="connect-title" data-testid="connect-view">
      <h1 id="connect-title">Connect</h1>
      <p className="lead">
        Pull what SyncLens needs straight from your systems, read-only: an organization from Dataverse (settings, mailboxes, the directory and
        email rows) and messages from an Exchange Online mailbox (each as MIME, every header kept). Sign-in opens Microsoft&apos;s page in your browser.
      </p>
      <div className="cards">
        <OrgPullForm />
        <MailboxPullForm />
      </div>
    </section>
  );
}

function OrgPullForm() {
  const id = useId();
  const finishJob = useAppStore((s) => s.finishJob);
  const [f, setF] = useState(orgForm);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<OrgPullSummary | null>(lastOrg);
  const urlField = useRef<HTMLInputElement>(null);
  // Keyboard users arrive in the first field (App keeps focus a view placed itself).
  useEffect(() => urlField.current?.focus({ preventScroll: true }), []);
  useEffect(() => {
    Object.assign(orgForm, f);
  }, [f]);
  const set = (k: keyof typeof orgForm) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));

  async function pull() {
    const job = newJobId('org-pull');
    setJobId(job);
    setError(null);
    const mailboxes = f.mailboxes.split(/[\s,;]+/).filter((m) => m !== '');
    try {
      const r = await call('org.pull', { jobId: job, url: f.url.trim(), ...(f.since ? { since: f.since } : {}), ...(mailboxes.length ? { mailboxes } : {}), ...signInOf(f) });
      lastOrg = r;
      setResult(r);
    } catch (err) {
      setError(failure(err));
    } finally {
      finishJob(job);
      setJobId(null);
    }
  }

  return (
    <form className="panel" aria-labelledby={`${id}-title`} data-testid="org-pull" onSubmit={(e) => { e.preventDefault(); void pull(); }}>
      <h2 id={`${id}-title`}>Dataverse organization</h2>
      <label htmlFor={`${id}-url`}>Environment URL
        <input id={`${id}-url`} type="url" required value={f.url} onChange={set('url')} placeholder="https://contoso.crm.dynamics.com" autoComplete="url" ref={urlField} data-testid="org-url" />
      </label>
      <label htmlFor={`${id}-since`}>Email rows created since (optional; settings, mailboxes and the directory are read whole)
        <input id={`${id}-since`} type="date" value={f.since} onChange={set('since')} data-testid="org-since" />
      </label>
      <label htmlFor={`${id}-mailboxes`}>Only these mailboxes (optional; addresses, separated by spaces or commas)
        <input id={`${id}-mailboxes`} value={f.mailboxes} onChange={set('mailboxes')} placeholder="alice@contoso.com, sales@contoso.com" data-testid="org-mailboxes" />
      </label>
      <SignInFields idPrefix={`${id}-signin`} value={f} defaultClient={SIGN_IN_DEFAULTS.dataverseClientId} onChange={(v) => setF((x) => ({ ...x, ...v }))} testId="org" />
      <div className="row">
        <button type="submit" className="primary" disabled={jobId !== null || f.url.trim() === ''} data-testid="org-pull-start">Sign in and pull</button>
        <span className="muted small">Needs Read on each table (a System Administrator or a role with the Read privileges).</span>
      </div>
      {jobId && <SignInNotice jobId={jobId} />}
      {jobId && <JobStatus jobId={jobId} label="Pulling the organization…" testId="org-pull-job" />}
      {error && <p className="warn-text connect-error" role="alert" data-testid="org-pull-error">{error}</p>}
      {result && !jobId && <OrgSummary r={result} />}
    </form>
  );
}

function OrgSummary({ r }: { r: OrgPullSummary }) {
  const setView = useAppStore((s) => s.setView);
  const l = r.landed;
  return (
    <section aria-label="What landed" data-testid="org-pull-summary">
      <h3>{r.cancelled ? 'Cancelled' : 'Pulled'} {r.environment} in {(r.elapsedMs / 1000).toFixed(1)} s</h3>
      {l && (
        <p data-testid="org-pull-landed">
          Landed: {l.mailboxes} mailboxes, {l.directory} directory rows, {l.tracked} tracked emails{l.settings ? ', the organization\u2019s settings (profile \u201corg\u201d)' : ''}.
        </p>
      )}
      {r.cancelled && <p className="muted small">The tables already pulled are kept; pulling again continues with the next one.</p>}
      <table className="small fit">
        <thead><tr><th>table</th><th>rows</th><th>pages</th></tr></thead>
        <tbody>
          {r.tables.map((t) => (
            <tr key={t.table}><td>{t.label}</td><td>{t.resumed ? 'already pulled' : t.rows}</td><td>{t.resumed ? '' : t.pages}</td></tr>
          ))}
        </tbody>
      </table>
      {r.problemCount > 0 && (
        <details data-testid="org-pull-problems">
          <summary className="warn-text">{r.problemCount} problem{r.problemCount === 1 ? '' : 's'} in the rows</summary>
          <ul className="small">
            {r.problems.map((p, i) => <li key={i}>{p.table ?? 'organization'}{p.row ? ` row ${p.row}` : ''}{p.column ? `, ${p.column}` : ''}: {p.problem}</li>)}
          </ul>
          {r.problemCount > r.problems.length && <p className="muted small">… and {r.problemCount - r.problems.length} more (the CLI&apos;s <code>org show</code> lists them all).</p>}
        </details>
      )}
      {!r.cancelled && (
        <p className="row">
          <button type="button" className="link" onClick={() => setView('mailboxes')}>See the mailboxes</button>
          <span className="muted small">then Run replay (top right) to decide every message with the organization&apos;s settings.</span>
        </p>
      )}
    </section>
  );
}

function MailboxPullForm() {
  const id = useId();
  const finishJob = useAppStore((s) => s.finishJob);
  const setView = useAppStore((s) => s.setView);
  const [f, setF] = useState(mailForm);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<MailboxPullSummary | null>(lastMail);
  useEffect(() => {
    Object.assign(mailForm, f);
  }, [f]);
  const set = (k: 'user' | 'folders' | 'since' | 'mailbox') => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const folders = f.folders.split('\n').map((x) => x.trim()).filter((x) => x !== '');

  async function pull() {
    const job = newJobId('mailbox-pull');
    setJobId(job);
    setError(null);
    try {
      const r = await call('mailbox.pull', {
        jobId: job, user: f.user.trim(), folders, ...(f.since ? { since: f.since } : {}), ...(f.mailbox.trim() ? { mailbox: f.mailbox.trim() } : {}),
        ...(f.shared ? { shared: true } : {}), ...signInOf(f),
      });
      lastMail = r;
      setResult(r);
    } catch (err) {
      setError(failure(err));
    } finally {
      finishJob(job);
      setJobId(null);
    }
  }

  return (
    <form className="panel" aria-labelledby={`${id}-title`} data-testid="mailbox-pull" onSubmit={(e) => { e.preventDefault(); void pull(); }}>
      <h2 id={`${id}-title`}>Exchange Online mailbox</h2>
      <label htmlFor={`${id}-user`}>Mailbox (user principal name or address)
        <input id={`${id}-user`} type="email" required value={f.user} onChange={set('user')} placeholder="alice@contoso.com" data-testid="mail-user" />
      </label>
      <label htmlFor={`${id}-folders`}>Folders, one per line, &ldquo;/&rdquo; between levels
        <textarea id={`${id}-folders`} rows={2} value={f.folders} onChange={set('folders')} data-testid="mail-folders" />
      </label>
      <label htmlFor={`${id}-since`}>Received since (optional; a later pull asks only for what changed)
        <input id={`${id}-since`} type="date" value={f.since} onChange={set('since')} data-testid="mail-since" />
      </label>
      <label htmlFor={`${id}-mailbox`}>Workspace mailbox (optional; default: the mailbox above)
        <input id={`${id}-mailbox`} value={f.mailbox} onChange={set('mailbox')} data-testid="mail-mailbox" />
      </label>
      <label className="inline-check">
        <input type="checkbox" checked={f.shared} onChange={(e) => setF((x) => ({ ...x, shared: e.target.checked }))} data-testid="mail-shared" />
        A mailbox shared with me (asks for Mail.Read.Shared instead of Mail.Read)
      </label>
      <SignInFields idPrefix={`${id}-signin`} value={f} defaultClient={SIGN_IN_DEFAULTS.graphClientId} onChange={(v) => setF((x) => ({ ...x, ...v }))} testId="mail" />
      <div className="row">
        <button type="submit" className="primary" disabled={jobId !== null || f.user.trim() === '' || folders.length === 0} data-testid="mail-pull-start">Sign in and pull</button>
      </div>
      {jobId && <SignInNotice jobId={jobId} />}
      {jobId && <JobStatus jobId={jobId} label="Pulling the mailbox…" testId="mail-pull-job" />}
      {error && <p className="warn-text connect-error" role="alert" data-testid="mail-pull-error">{error}</p>}
      {result && !jobId && (
        <section aria-label="What landed" data-testid="mail-pull-summary">
          <h3>{result.cancelled ? 'Cancelled' : 'Pulled'} {result.user} in {(result.elapsedMs / 1000).toFixed(1)} s</h3>
          <table className="small fit">
            <thead><tr><th>folder</th><th>listed</th><th>imported</th><th>already here</th><th>quarantined</th></tr></thead>
            <tbody>
              {result.folders.map((x) => (
                <tr key={x.folder}>
                  <td>{x.folder}{x.incremental ? <span className="muted"> (changes since the last pull)</span> : null}</td>
                  <td>{x.listed}{x.removed ? ` (${x.removed} removed in Exchange, kept here)` : ''}</td><td>{x.imported}</td><td>{x.duplicate}</td><td>{x.quarantined}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.quarantined.length > 0 && (
            <ul className="small" data-testid="mail-pull-quarantined">{result.quarantined.map((q, i) => <li key={i}>{q.folder}: {q.reason}</li>)}</ul>
          )}
          <button type="button" className="link" onClick={() => setView('messages')}>See the messages</button>
        </section>
      )}
    </form>
  );
}

