import { useEffect, useState, type FormEvent } from 'react';
import type { ImportSummary } from '../../../../core/contract/contract.js';
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
        Keyboard: digits 1–8 (or Alt+digit inside a field) switch views; in the message table the arrow keys, Page Up/Down, Home and
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
            <div className="row">
              <ReplayButton />
              <button type="button" onClick={() => setView('messages')} disabled={workspace.messageCount === 0}>Show messages</button>
            </div>
          </div>
          <ImportForm />
        </>
      )}
    </section>
  );
}

export function ReplayButton() {
  const [busy, setBusy] = useState(false);
  const jobs = useAppStore((s) => s.jobs);
  const replayJob = Object.values(jobs).find((j) => j.kind === 'replay');
  return (
    <button
      type="button"
      data-testid="run-replay"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await runReplay();
        setBusy(false);
      }}
    >
      {busy ? `Replaying… ${replayJob ? `${replayJob.done}/${replayJob.total ?? '?'}` : ''}` : 'Run replay'}
    </button>
  );
}

function ImportForm() {
  const workspace = useAppStore((s) => s.workspace);
  const jobs = useAppStore((s) => s.jobs);
  const [paths, setPaths] = useState('');
  const [mailbox, setMailbox] = useState(workspace?.mailboxes[0]?.address ?? '');
  const [folder, setFolder] = useState('Inbox');
  const [jobId, setJobId] = useState<string | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
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
    if (list.length === 0 || !mailbox.trim()) return;
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
            {progress ? `${progress.done}${progress.total !== null ? ` / ${progress.total}` : ''} ${progress.currentFile ?? ''}` : 'Starting…'}
          </span>
        </div>
      )}
      {summary && (
        <div className="summary" data-testid="import-summary" role="status">
          {summary.cancelled ? 'Cancelled. ' : ''}Imported <strong>{summary.imported}</strong>, {summary.duplicates} duplicates,{' '}
          {summary.quarantined} quarantined, {summary.innerMessages} inner messages.
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
