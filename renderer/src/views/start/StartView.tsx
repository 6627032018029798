import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ImportSummary, QuarantinedMessage } from '../../../../core/contract/contract.js';
import { call, newJobId } from '../../api.js';
import { attempt, createWorkspace, loadRecent, openSample, openWorkspace, refreshWorkspace, runReplay } from '../../store/actions.js';
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
        Keyboard: the digits 1–9 and 0, and S for Support (Alt+key inside a field), switch views; in the message table the arrow keys, Page Up/Down, Home and
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
          {workspace.quarantinedCount > 0 && <QuarantineList count={workspace.quarantinedCount} />}
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
      call('import.start', { jobId: id, paths: list, mailbox: mailbox.trim(), folder: folder.trim() || undefined }),
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
        Files or folders (.eml, mbox, Maildir, .msg), one per line
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
      <div className="row">
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
      {summary && (
        <div className="summary" data-testid="import-summary" role="status">
          {summary.cancelled ? 'Cancelled. ' : ''}Imported <strong>{summary.imported}</strong>, {summary.duplicates} duplicates,{' '}
          {summary.quarantined} quarantined, {summary.innerMessages} inner messages.
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
