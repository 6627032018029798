import { useEffect, useId, useState } from 'react';
import type { AuditView as AuditResultView } from '../../../../core/contract/contract.js';
import { AUDIT_EMAIL_COLUMNS } from '../../../../core/analysis/auditImport.js';
import { call, newJobId } from '../../api.js';
import { hasNativeDialogs } from '../../bridge.js';
import { JobStatus } from '../../components/JobStatus.js';
import { ReportExport } from '../../components/ReportExport.js';
import { attempt, baselineProfile, loadProfiles } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';

const form = { emails: '', directory: '', profile: '' };

/**
 * Audit: what Dynamics recorded (a Dataverse email export, Web API JSON or Advanced Find CSV) against
 * what SyncLens decides for the same messages under the settings of the time (core/analysis/audit.ts).
 */
export function AuditView() {
  const workspace = useAppStore((s) => s.workspace);
  const profiles = useAppStore((s) => s.profiles);
  const result = useAppStore((s) => s.audit);
  const setAudit = useAppStore((s) => s.setAudit);
  const finishJob = useAppStore((s) => s.finishJob);
  const id = useId();
  const [emails, setEmails] = useState(form.emails);
  const [directory, setDirectory] = useState(form.directory);
  const [profile, setProfile] = useState(form.profile);
  const [jobId, setJobId] = useState<string | null>(null);

  useEffect(() => {
    if (workspace && profiles.length === 0) void loadProfiles();
  }, [workspace, profiles.length]);
  useEffect(() => {
    Object.assign(form, { emails, directory, profile });
  }, [emails, directory, profile]);

  if (!workspace) return <NoWorkspace />;
  const chosenProfile = profile || baselineProfile().name;

  async function choose(target: 'emails' | 'directory') {
    const chosen = await attempt(() => call('dialog.choose', { purpose: 'open-export' }));
    if (!chosen?.paths.length) return;
    if (target === 'emails') setEmails(chosen.paths[0] ?? '');
    else setDirectory((d) => [...d.split('\n').filter((l) => l.trim() !== ''), ...chosen.paths].join('\n'));
  }

  async function run() {
    const job = newJobId('audit');
    setJobId(job);
    const dirs = directory.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const r = await attempt(() => call('audit.run', { jobId: job, emails: emails.trim(), profile: chosenProfile, ...(dirs.length ? { directory: dirs } : {}) }));
    finishJob(job);
    setJobId(null);
    if (r) setAudit(r);
  }

  return (
    <section className="view audit" aria-labelledby="audit-title" data-testid="audit-view">
      <h1 id="audit-title">Audit</h1>
      <p className="lead">
        Compare what Dynamics recorded with what SyncLens decides: import email activities exported from Dataverse, match each to the workspace&apos;s messages by Message-ID,
        replay with the settings of the time and list every agreement and disagreement.
      </p>
      <fieldset className="panel">
        <legend>Import</legend>
        <div className="row">
          <label htmlFor={`${id}-emails`} className="grow">Email export (Web API JSON or CSV)
            <input id={`${id}-emails`} value={emails} onChange={(e) => setEmails(e.target.value)} placeholder="/path/emails.json" data-testid="audit-emails" />
          </label>
          {hasNativeDialogs() && <button type="button" onClick={() => void choose('emails')}>Choose…</button>}
        </div>
        <div className="row top">
          <label htmlFor={`${id}-dir`} className="grow">Directory exports, one path per line (optional: contacts, accounts, leads, systemusers, queues)
            <textarea id={`${id}-dir`} rows={2} value={directory} onChange={(e) => setDirectory(e.target.value)} data-testid="audit-directory" />
          </label>
          {hasNativeDialogs() && <button type="button" onClick={() => void choose('directory')}>Choose…</button>}
        </div>
        <div className="row">
          <label htmlFor={`${id}-profile`}>Settings of the time
            <select id={`${id}-profile`} value={chosenProfile} onChange={(e) => setProfile(e.target.value)} data-testid="audit-profile">
              {profiles.map((p) => <option key={p.name} value={p.name}>{p.name}{p.baseline ? ' (baseline)' : ''}</option>)}
            </select>
          </label>
          <button type="button" className="primary" disabled={emails.trim() === '' || jobId !== null} onClick={() => void run()} data-testid="audit-run">Import and compare</button>
        </div>
        {jobId && <JobStatus jobId={jobId} label="Auditing…" testId="audit-job" />}
        <details className="small" data-testid="audit-columns">
          <summary>Columns the audit reads</summary>
          <p className="muted">Export the email table with these columns: the Web API name (JSON, <code>GET …/api/data/v9.2/emails?$select=…</code>) or, in an Advanced Find / Excel CSV, one of the header names. Sample files: <code>assets/audit-samples/</code>.</p>
          <table className="small fit">
            <thead><tr><th>Web API</th><th>CSV header</th><th>used for</th></tr></thead>
            <tbody>
              {AUDIT_EMAIL_COLUMNS.map((col) => (
                <tr key={col.webApi}><td><code>{col.webApi}</code>{col.required && <span className="badge warn">required</span>}</td><td>{col.csv.join(' · ')}</td><td>{col.use}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      </fieldset>
      {result && <AuditResults result={result} />}
      {result && <ReportExport kind="audit" />}
    </section>
  );
}

const CAUSE_LABEL: Record<string, string> = {
  'missing-from-import': 'missing from the export',
  'setting-difference': 'settings of the time',
  'undocumented-behaviour': 'undocumented rule',
  'not-comparable': 'not comparable',
  unexplained: 'unexplained',
};

const FIELD_LABEL: Record<string, string> = { tracked: 'tracked', method: 'correlation method', correlatedTo: 'correlated to', parent: 'parent', regarding: 'Regarding' };

/** Field values as read: booleans as yes/no; method names as they are (never option codes). */
function shown(v: string | boolean | null): string {
  return v === null ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
}

function AuditResults({ result }: { result: AuditResultView }) {
  const select = useAppStore((s) => s.select);
  const [show, setShow] = useState<'disagreements' | 'all'>('disagreements');
  const c = result.counts;
  const rows = show === 'all' ? result.rows : result.rows.filter((r) => !r.agree);
  return (
    <>
      <section className="panel" aria-labelledby="audit-summary-title" data-testid="audit-summary">
        <h2 id="audit-summary-title">
          {c.matched} of {c.incoming} incoming records matched: <span className="ok-text">{c.agreements} agree</span>, <span className="warn-text">{c.disagreements} disagree</span>
        </h2>
        <p className="small muted">
          {c.records} records ({result.emailsFormat.toUpperCase()}): {c.incoming} incoming, {c.outgoing} outgoing; {c.unmatchedRecords} records and {c.unmatchedMessages} workspace messages without a partner;
          {' '}{c.addedTracked} outgoing records added as tracked emails; {result.directoryImported} directory records imported.
        </p>
        {result.causes.length > 0 && (
          <ul className="plain causes" data-testid="audit-causes">
            {result.causes.map((k) => <li key={k.kind}><span className={`badge cause-${k.kind}`}>{CAUSE_LABEL[k.kind] ?? k.kind}</span> {k.count}</li>)}
          </ul>
        )}
        {result.verification.replays > 0 && (
          <p className="muted small" data-testid="audit-verification">
            A cause is shown only when replaying with it gives Dynamics&apos; recorded decision: {result.verification.replays} changes were replayed ({result.verification.changesTried.slice(0, 6).join(', ')}{result.verification.changesTried.length > 6 ? ', …' : ''}).
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="audit-rows-title">
        <div className="row">
          <h2 id="audit-rows-title" className="inline">Records</h2>
          <span className="spacer" />
          <div role="radiogroup" aria-label="Show" className="row">
            <label className="inline-check"><input type="radio" name="audit-show" checked={show === 'disagreements'} onChange={() => setShow('disagreements')} data-testid="audit-show-disagreements" /> disagreements</label>
            <label className="inline-check"><input type="radio" name="audit-show" checked={show === 'all'} onChange={() => setShow('all')} data-testid="audit-show-all" /> all</label>
          </div>
        </div>
        {rows.length === 0 ? <p className="muted">No {show === 'all' ? 'matched records' : 'disagreements'}.</p> : rows.map((r) => (
          <details key={`${r.row}-${r.messageKey}`} className={`audit-row ${r.agree ? 'agree' : 'disagree'}`} data-testid={r.agree ? 'audit-agreement' : 'audit-disagreement'}>
            <summary>
              <span className={r.agree ? 'badge ok' : 'badge bad'}>{r.agree ? 'agrees' : 'disagrees'}</span>{' '}
              {r.subject || '(no subject)'} <span className="muted small">(export row {r.row})</span>
            </summary>
            <table className="small fit">
              <thead><tr><th>field</th><th>Dynamics</th><th>SyncLens</th><th /></tr></thead>
              <tbody>
                {r.fields.map((f) => (
                  <tr key={f.field} className={!f.comparable ? 'muted' : f.agree ? '' : 'changed'}>
                    <td>{FIELD_LABEL[f.field] ?? f.field}</td>
                    <td>{f.field === 'correlatedTo' ? (r.dynamics.correlatedToLabel ?? '—') : shown(f.dynamics)}</td>
                    <td>{f.field === 'correlatedTo' ? (r.synclens.correlatedToLabel ?? '—') : shown(f.synclens)}</td>
                    <td>{!f.comparable ? 'not comparable' : f.agree ? '✔' : '✘'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.causes.length > 0 && (
              <>
                <h3>{r.causes.some((k) => k.verified) ? 'Cause' : 'Cause not found'}</h3>
                <ul data-testid="audit-row-causes">{r.causes.map((k, i) => (
                  <li key={i}>
                    <span className={`badge cause-${k.kind}`}>{CAUSE_LABEL[k.kind] ?? k.kind}</span>{k.verified && <span className="badge ok">proven by replay</span>} {k.detail}
                  </li>
                ))}</ul>
              </>
            )}
            {r.candidates.length > 0 && (
              <>
                <h4>Nearest candidates tried</h4>
                <table className="small fit" data-testid="audit-candidates">
                  <thead><tr><th>replayed with</th><th>SyncLens then decides</th><th>fields agreeing</th></tr></thead>
                  <tbody>{r.candidates.map((c) => <tr key={c.change}><td>{c.change}</td><td>{c.gives}</td><td>{c.agreeing} of {c.of}</td></tr>)}</tbody>
                </table>
              </>
            )}
            <h3>What SyncLens decided</h3>
            <div className="explanation small" data-testid="audit-trace">{r.trace.map((p, i) => <p key={i}>{p}</p>)}</div>
            <button type="button" className="link" onClick={() => select(r.messageKey, 'message')}>Open the message</button>
          </details>
        ))}
      </section>
      {result.unmatchedRecords.length > 0 && (
        <section className="panel" aria-labelledby="audit-unmatched-title" data-testid="audit-unmatched">
          <h2 id="audit-unmatched-title">Records not matched to a message ({result.unmatchedRecords.length})</h2>
          <table className="small">
            <thead><tr><th>row</th><th>Message-ID</th><th>subject</th><th>why</th></tr></thead>
            <tbody>{result.unmatchedRecords.map((u) => <tr key={u.row}><td>{u.row}</td><td><code>{u.messageId ?? '—'}</code></td><td>{u.subject ?? ''}</td><td>{u.reason}</td></tr>)}</tbody>
          </table>
        </section>
      )}
      {result.unmatchedMessages.some((m) => m.synclensTracked) && (
        <section className="panel" aria-labelledby="audit-missing-title">
          <details open={result.unmatchedMessages.filter((m) => m.synclensTracked).length <= 10}>
            <summary><h2 id="audit-missing-title" className="inline">Messages SyncLens would track that have no record ({result.unmatchedMessages.filter((m) => m.synclensTracked).length})</h2></summary>
            <p className="muted small">Either Dynamics did not track them, or the export does not cover them (a filter, a date range, another mailbox).</p>
            <ul>{result.unmatchedMessages.filter((m) => m.synclensTracked).map((m) => <li key={m.key}>{m.subject || '(no subject)'} <span className="muted small">{m.outcome}</span></li>)}</ul>
          </details>
        </section>
      )}
      {(result.importProblems.length > 0 || result.directoryProblems.length > 0) && (
        <section className="panel" aria-labelledby="audit-problems-title" data-testid="audit-problems">
          <h2 id="audit-problems-title">Rows that could not be imported as they are</h2>
          <table className="small">
            <thead><tr><th>file</th><th>row</th><th>column</th><th>problem</th></tr></thead>
            <tbody>
              {result.importProblems.map((p, i) => <tr key={`e${i}`} data-testid="audit-problem"><td>email export</td><td>{p.row === 0 ? 'file' : p.row}</td><td>{p.column ?? ''}</td><td>{p.problem}</td></tr>)}
              {result.directoryProblems.map((p, i) => <tr key={`d${i}`} data-testid="audit-problem"><td>{p.file.split(/[\\/]/).pop()}</td><td>{p.row === 0 ? 'file' : p.row}</td><td>{p.column ?? ''}</td><td>{p.problem}</td></tr>)}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
