import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ImportPreview, ImportSummary, OrgLoadView, QuarantinedMessage } from '../../../../core/contract/contract.js';
import { call, newJobId } from '../../api.js';
import { attempt, createWorkspace, loadProfiles, loadRecent, openSample, openWorkspace, refreshWorkspace, runReplay } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';

export function StartView() {
  const workspace = useAppStore((s) => s.workspace);
  const recent = useAppStore((s) => s.recent);
  const setView = useAppStore((s) => s.setView);
  const [path, setPath] = useState('');

  useEffect(() => {
    void loadRecent();
  }, []);

  async function submit(e: FormEvent, create: boolean) {
    e.preventDefault();
    if (!path.trim()) return;
    const ok = create ? await createWorkspace(path.trim()) : await openWorkspace(path.trim());
    if (ok) setPath('');
  }

  return (
    <section className="view start" aria-labelledby="start-title">
      <h1 id="start-title">SyncLens</h1>
      <p className="lead">Replay Dynamics 365 server-side synchronization offline and see why each message was tracked or not.</p>
      <p className="muted small">
        Keyboard: the digits 1–9 and 0, S (Support), M (Mailboxes) and C (Connect) switch views (Alt+key inside a field); in the message table the arrow keys, Page Up/Down, Home and
        End move, Enter opens.
      </p>
      <div className="cards">
        <form className="card" onSubmit={(e) => void submit(e, false)}>
          <h2>Workspace</h2>
          <label>
            Workspace file (a .synclens file; Create makes a new one)
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/cases.synclens" data-testid="workspace-path" />
          </label>
          <div className="row">
            <button type="submit" data-testid="open-workspace">Open</button>
            <button type="button" onClick={(e) => void submit(e, true)} data-testid="create-workspace">Create</button>
          </div>
          <h3>Recent</h3>
          {recent.length === 0 ? (
            <p className="muted">No recent workspaces.</p>
          ) : (
            <ul className="recent">
              {recent.map((r) => (
                <li key={r.path}>
                  <button type="button" className="link" onClick={() => void openWorkspace(r.path)} title={r.path}>
                    {r.name}
                  </button>{' '}
                  <span className="muted">{r.path} · {r.openedAt.slice(0, 16).replace('T', ' ')}</span>
                </li>
              ))}
            </ul>
          )}
        </form>
        <div className="card">
          <h2>Training workspace</h2>
          <p>The bundled scenarios: tokens, In-Reply-To, Thread-Index, smart matching, filtering methods, PEC and S/MIME.</p>
          <button type="button" onClick={() => void openSample()} data-testid="open-sample">Open the training workspace</button>
        </div>
      </div>
      {workspace && (
        <>
          <div className="card" data-testid="workspace-card">
            <h2>{workspace.name}{workspace.isSample ? ' (training)' : ''}</h2>
            <p className="muted">{workspace.path}</p>
            <p>
              <strong data-testid="workspace-count">{workspace.messageCount}</strong> messages, {workspace.quarantinedCount} quarantined,{' '}
              {workspace.mailboxes.length} mailboxes, {workspace.folders.length} folders.{' '}
              {workspace.latestRunId === null ? 'Not replayed yet.' : `Latest run #${workspace.latestRunId}.`}
            </p>
            {workspace.messageCount === 0 && (
              <p className="muted" data-testid="workspace-empty">
                This workspace has no messages yet: import a mailbox below (a folder of .eml files, an mbox file, a Maildir or .msg files).
              </p>
            )}
            <div className="row">
              <ReplayButton />
              <button type="button" onClick={() => setView('messages')} disabled={workspace.messageCount === 0}>Show messages</button>
            </div>
          </div>
          {workspace.latestRunId !== null && <NothingTracked runId={workspace.latestRunId} />}
          {workspace.quarantinedCount > 0 && <QuarantineList count={workspace.quarantinedCount} />}
          <OrgForm />
          <ImportForm />
        </>
      )}
    </section>
  );
}

/**
 * Run replay, with its progress while the engine decides and a Cancel beside it. A cancelled replay
 * stores no run (the host stops inside the engine pass), so the latest run stays what it was.
 */
export function ReplayButton() {
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  // Read when the replay ends, after the render that set `cancelling`.
  const cancelAsked = useRef(false);
  const jobs = useAppStore((s) => s.jobs);
  const replayJob = Object.values(jobs).find((j) => j.kind === 'replay');
  const progress = replayJob ? `${replayJob.done.toLocaleString('en-US')} of ${replayJob.total === null ? '?' : replayJob.total.toLocaleString('en-US')} messages` : '';
  return (
    <>
      <button
        type="button"
        data-testid="run-replay"
        // The top bar has a Run replay too: one replay at a time, from either.
        disabled={busy || replayJob !== undefined}
        onClick={async () => {
          setBusy(true);
          setCancelled(false);
          const ok = await runReplay();
          setBusy(false);
          setCancelled(!ok && cancelAsked.current);
          cancelAsked.current = false;
          setCancelling(false);
        }}
      >
        {busy ? `Replaying… ${progress}` : 'Run replay'}
      </button>
      {busy && (
        <button
          type="button"
          data-testid="cancel-replay"
          // The job id arrives with the first progress event, a moment after the replay starts.
          disabled={!replayJob || cancelling}
          onClick={() => {
            if (!replayJob) return;
            setCancelling(true);
            cancelAsked.current = true;
            void attempt(() => call('job.cancel', { jobId: replayJob.jobId }));
          }}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
      {cancelled && !busy && (
        <span className="muted" role="status" data-testid="replay-cancelled">Replay cancelled: no run was stored, the latest run is unchanged.</span>
      )}
    </>
  );
}

/** What the imports could not take in, file by file, with the reason: so nothing is lost silently. */
function QuarantineList({ count }: { count: number }) {
  const [rows, setRows] = useState<{ total: number; rows: QuarantinedMessage[] } | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    void attempt(() => call('messages.quarantined', { limit: 500 })).then((r) => r && setRows(r));
  }, [open, count]);
  return (
    <details className="card" data-testid="quarantine" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <h2 className="inline">Quarantined ({count})</h2>
      </summary>
      <p className="muted">
        Messages the import could not read. They are not replayed; the source files are untouched.
      </p>
      {!rows ? (
        <p>Loading…</p>
      ) : (
        <>
          <table className="small" data-testid="quarantine-table">
            <thead>
              <tr><th>File</th><th>Mailbox / folder</th><th>Subject</th><th>Reason</th></tr>
            </thead>
            <tbody>
              {rows.rows.map((r, i) => (
                <tr key={i} data-testid="quarantine-row">
                  <td><code className="wrap">{r.file}</code></td>
                  <td>{r.mailbox} / {r.folder}</td>
                  <td>{r.subject ?? <span className="muted">unreadable</span>}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.total > rows.rows.length && <p className="muted">The first {rows.rows.length} of {rows.total} are shown.</p>}
        </>
      )}
    </details>
  );
}

/** When the latest run tracked nothing, why and what would help, in plain sentences. */
function NothingTracked({ runId }: { runId: number }) {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    void attempt(() => call('replay.nothingTracked', { runId })).then((r) => live && setLines(r?.lines ?? []));
    return () => {
      live = false;
    };
  }, [runId]);
  if (lines.length === 0) return null;
  return (
    <div className="card warn-card" role="status" data-testid="nothing-tracked">
      <h2>{lines[0]}</h2>
      <ul className="plain">{lines.slice(1).map((l) => <li key={l}>{l}</li>)}</ul>
    </div>
  );
}

/**
 * Loads the organization's Dataverse exports (settings, mailboxes, users, queues, contacts, accounts, leads,
 * tracked emails) into the workspace, as `org import` does, and says what landed and what was wrong.
 */
function OrgForm() {
  const setView = useAppStore((s) => s.setView);
  const [paths, setPaths] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<OrgLoadView | null>(null);
  async function load(e: FormEvent) {
    e.preventDefault();
    const list = paths.split('\n').map((p) => p.trim()).filter(Boolean);
    if (list.length === 0) return;
    setBusy(true);
    const r = await attempt(() => call('org.import', { paths: list }));
    setBusy(false);
    if (r) {
      setResult(r);
      await refreshWorkspace();
      await loadProfiles();
    }
  }
  return (
    <form className="card" onSubmit={(e) => void load(e)} data-testid="org-form">
      <h2>Organization</h2>
      <p className="muted small">
        Dataverse exports of your organization: Web API JSON (the body of <code>GET /api/data/v9.2/&lt;table&gt;</code> saved to a file) or Excel /
        Advanced Find exports saved as CSV, for the organization, email server profiles, users, user settings, queues, mailboxes, tracked folders,
        contacts, accounts, leads and emails. Files or folders, one per line. A row loaded again replaces the earlier one.
      </p>
      <label>
        Export files or folders
        <textarea value={paths} onChange={(e) => setPaths(e.target.value)} rows={2} data-testid="org-paths" />
      </label>
      <div className="row">
        <button type="submit" disabled={busy} data-testid="org-load">{busy ? 'Loading…' : 'Load organization'}</button>
        {result && <button type="button" onClick={() => setView('mailboxes')} data-testid="org-open-mailboxes">Show mailboxes</button>}
      </div>
      {result && (
        <div className="summary" role="status" data-testid="org-summary">
          <p>
            Loaded {result.files.reduce((n, f) => n + f.loaded, 0)} rows from {result.files.length} file{result.files.length === 1 ? '' : 's'}: <strong>{result.landed.mailboxes}</strong>{' '}
            mailboxes, {result.landed.directory} directory rows, {result.landed.tracked} tracked emails
            {result.landed.settings ? ', the organization’s settings (profile “org”, now the baseline Run replay and the what-if use)' : ''}
            {result.landed.unknownSettings ? `, ${result.landed.unknownSettings} settings kept but not simulated` : ''}.
          </p>
          <table className="small">
            <thead><tr><th>File</th><th>Table</th><th>Rows</th><th>Loaded</th><th>Problems</th></tr></thead>
            <tbody>
              {result.files.map((f) => (
                <tr key={f.file}><td><code className="wrap">{f.file}</code></td><td>{f.table}</td><td>{f.rows}</td><td>{f.loaded}</td><td>{f.problems}</td></tr>
              ))}
            </tbody>
          </table>
          {(result.failures.length > 0 || result.problemCount > 0) && (
            <ul className="problems" data-testid="org-problems">
              {result.failures.map((f, i) => <li key={`f${i}`}><code>{f.file}</code>: {f.problem}</li>)}
              {result.problems.slice(0, 20).map((p, i) => (
                <li key={i}><code>{p.file}</code> row {p.row}{p.column ? `, column ${p.column}` : ''}: {p.problem}</li>
              ))}
              {result.problemCount > 20 && <li className="muted">… {result.problemCount - 20} more</li>}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(bytes < 10 * 1_048_576 ? 1 : 0);
}

function ImportForm() {
  const workspace = useAppStore((s) => s.workspace);
  const jobs = useAppStore((s) => s.jobs);
  const [paths, setPaths] = useState('');
  const [mailbox, setMailbox] = useState(workspace?.mailboxes[0]?.address ?? '');
  const [folder, setFolder] = useState('Inbox');
  const [jobId, setJobId] = useState<string | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [flatten, setFlatten] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const progress = jobId ? jobs[jobId] : undefined;
  const pendingImport = useAppStore((s) => s.pendingImport);

  useEffect(() => {
    if (pendingImport.length === 0) return;
    setPaths(pendingImport.join('\n'));
    useAppStore.getState().setPendingImport([]);
  }, [pendingImport]);

  async function start(e: FormEvent) {
    e.preventDefault();
    const list = paths.split('\n').map((p) => p.trim()).filter(Boolean);
    // Say what is missing instead of doing nothing.
    if (list.length === 0) return setMissing('Name at least one file or folder to import.');
    if (!mailbox.trim()) return setMissing('A mailbox address is required: the messages are filed under that mailbox, whose filtering method decides what is tracked.');
    setMissing(null);
    const id = newJobId('import');
    setJobId(id);
    setSummary(null);
    const result = await attempt(() =>
      call('import.start', { jobId: id, paths: list, mailbox: mailbox.trim(), folder: folder.trim() || undefined, ...(flatten ? { flatten: true } : {}) }),
    );
    useAppStore.getState().finishJob(id);
    setJobId(null);
    if (result) {
      setSummary(result);
      await refreshWorkspace();
      useAppStore.getState().resetMessages();
    }
  }

  return (
    <form className="card" onSubmit={(e) => void start(e)} data-testid="import-form">
      <h2>Import</h2>
      <label>
        Files or folders (.eml, mbox, Maildir, .msg, Outlook .pst/.ost), one per line
        <textarea value={paths} onChange={(e) => setPaths(e.target.value)} rows={3} data-testid="import-paths" />
      </label>
      <div className="row">
        <label>
          Mailbox address
          <input value={mailbox} onChange={(e) => setMailbox(e.target.value)} list="mailbox-list" data-testid="import-mailbox" />
          <datalist id="mailbox-list">
            {workspace?.mailboxes.map((m) => <option key={m.address} value={m.address} />)}
          </datalist>
        </label>
        <label>
          Folder
          <input value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="import-folder" />
        </label>
      </div>
      <label className="inline-check">
        <input type="checkbox" checked={flatten} onChange={(e) => { setFlatten(e.target.checked); setPreview(null); }} data-testid="import-flatten" />
        Put the mail of every sub-folder into the folder above (instead of one mailbox folder per sub-folder)
      </label>
      <div className="row">
        <button
          type="button"
          data-testid="import-preview"
          onClick={async () => {
            const list = paths.split('\n').map((p) => p.trim()).filter(Boolean);
            if (list.length === 0) return setMissing('Name at least one file or folder to import.');
            if (!mailbox.trim()) return setMissing('A mailbox address is required: the messages are filed under that mailbox, whose filtering method decides what is tracked.');
            setMissing(null);
            const p = await attempt(() => call('import.preview', { paths: list, mailbox: mailbox.trim(), folder: folder.trim() || undefined, ...(flatten ? { flatten: true } : {}) }));
            setPreview(p ?? null);
          }}
        >
          Preview folders
        </button>
        <button type="submit" disabled={jobId !== null} data-testid="start-import">Import</button>
        {jobId && (
          <button type="button" onClick={() => void attempt(() => call('job.cancel', { jobId }))} data-testid="cancel-import">
            Cancel
          </button>
        )}
      </div>
      {jobId && (
        <div className="progress" data-testid="import-progress">
          <progress value={progress?.done ?? 0} max={progress?.total ?? undefined} />
          <span>
            {progress
              ? [
                  progress.message,
                  progress.total !== null ? `${megabytes(progress.done)} of ${megabytes(progress.total)} MB` : null,
                  progress.currentFile,
                ].filter(Boolean).join(' · ')
              : 'Starting…'}
          </span>
        </div>
      )}
      {missing && <p className="warn-text" role="alert" data-testid="import-missing">{missing}</p>}
      {preview && (
        <div data-testid="import-folder-preview">
          <table className="small">
            <thead><tr><th>Mailbox folder</th><th>Files</th><th>MB</th><th>Evaluated by server-side sync</th></tr></thead>
            <tbody>
              {preview.folders.map((f) => (
                <tr key={f.folder} data-testid="preview-folder" className={f.tracked ? '' : 'warn-row'}>
                  <td>{f.folder}</td><td>{f.files}</td><td>{megabytes(f.bytes)}</td>
                  <td>{f.tracked ? '✔ ' : '✘ '}{f.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.dataFiles.length > 0 && <p className="muted small">Outlook data files ({preview.dataFiles.join(', ')}): their own folders become mailbox folders.</p>}
          {preview.skipped > 0 && <p className="muted small">{preview.skipped} paths will be skipped (not regular files or unreadable); the import lists them.</p>}
        </div>
      )}
      {summary && (
        <div className="summary" data-testid="import-summary" role="status">
          {summary.cancelled ? 'Cancelled. ' : ''}Imported <strong>{summary.imported}</strong>, {summary.duplicates} duplicates,{' '}
          {summary.quarantined} quarantined, {summary.innerMessages} inner messages.
          {summary.notTracked.length > 0 && (
            <ul className="problems" data-testid="import-not-tracked">
              {summary.notTracked.map((f) => (
                <li key={f.folder}>
                  <strong>{f.messages} messages in {f.folder} will not be evaluated.</strong> {f.why} Import into Inbox (or tick “Put the mail of every
                  sub-folder into the folder above”), or add the folder under folder-level tracking on the Mailboxes view.
                </li>
              ))}
            </ul>
          )}
          {!summary.cancelled && summary.imported + summary.duplicates + summary.quarantined === 0 && (
            <p data-testid="import-nothing">
              No mail was found there: SyncLens reads .eml and .msg files, mbox files and Maildir folders (cur/new/tmp).
            </p>
          )}
          {summary.problems.length > 0 && (
            <ul className="problems">
              {summary.problems.slice(0, 20).map((p, i) => (
                <li key={i}><code>{p.file}</code>: {p.problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
