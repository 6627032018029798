// Mailboxes & Directory (issue 13): every mailbox with its owner, filtering method and incoming delivery
// in Microsoft's labels, Process Emails From, folder-level tracking and what the latest run decided per
// folder. An edit goes into a settings profile (never over what was imported), so the what-if can
// compare it with the baseline. The directory search shows each row's addresses and, for an address
// several rows share, which row a sender resolves to and why (the engine's resolver, SIMULATOR §5).
import { useEffect, useRef, useState } from 'react';
import type { DirectorySearchResult, MailboxesView as MailboxesData, MailboxOverrideInput, MailboxView, WhatIfResult } from '../../../../core/contract/contract.js';
import type { FilteringMethod, TrackedFolder } from '../../../../core/engine/index.js';
import { call, newJobId } from '../../api.js';
import { attempt, baselineProfile, loadProfiles } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';

const DEFAULT_TARGET = 'Mailbox changes';

export function MailboxesView() {
  const workspace = useAppStore((s) => s.workspace);
  const setWhatIf = useAppStore((s) => s.setWhatIf);
  const finishJob = useAppStore((s) => s.finishJob);
  const [data, setData] = useState<MailboxesData | null>(null);
  const [target, setTarget] = useState(DEFAULT_TARGET);
  const [editing, setEditing] = useState<string | null>(null);
  const [whatIf, setLocalWhatIf] = useState<WhatIfResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The profile on screen survives a reload (a replay or a saved change refreshes the workspace).
  const shown = useRef<string | null>(null);
  useEffect(() => { shown.current = data?.profile ?? null; }, [data]);

  useEffect(() => {
    if (!workspace) return;
    void (async () => {
      await loadProfiles();
      const names = useAppStore.getState().profiles.map((p) => p.name);
      const want = shown.current && names.includes(shown.current) ? shown.current : names.includes(DEFAULT_TARGET) && baselineProfile().name !== DEFAULT_TARGET ? DEFAULT_TARGET : null;
      const r = await attempt(() => call('mailboxes.list', want ? { profile: want } : {}));
      if (r) setData(r);
    })();
    // Reload when another workspace is opened or a replay changed the counts.
  }, [workspace]);

  if (!workspace) return <NoWorkspace />;
  if (!data) return <section className="view"><p>Loading mailboxes…</p></section>;
  const baseline = baselineProfile().name;

  async function showProfile(name: string) {
    const r = await attempt(() => call('mailboxes.list', { profile: name }));
    if (r) setData(r);
  }

  async function save(address: string, override: MailboxOverrideInput | null) {
    const name = target.trim();
    if (!name) return;
    setBusy('Saving the change…');
    const r = await attempt(() => call('mailboxes.override', { profile: name, address, override }));
    if (r) {
      setData(r);
      setEditing(null);
      setLocalWhatIf(null);
      await loadProfiles();
    }
    setBusy(null);
  }

  async function compare() {
    setBusy(`Comparing ${data?.profile ?? ''} with ${baseline}…`);
    const id = newJobId('whatif');
    const r = await attempt(() => call('whatif.run', { baseline, proposal: data?.profile ?? baseline, jobId: id }));
    finishJob(id);
    if (r) {
      setLocalWhatIf(r);
      setWhatIf(r);
    }
    setBusy(null);
  }

  const changedCount = data.mailboxes.filter((m) => m.overridden).length;
  return (
    <section className="view mailboxes" aria-labelledby="mailboxes-title" data-testid="mailboxes-view">
      <h1 id="mailboxes-title">Mailboxes &amp; Directory</h1>
      <p className="lead">What was imported stays as imported: a change is kept in a settings profile, and the what-if replays the same messages with it to show what would change.</p>
      <div className="row panel" data-testid="mailbox-profile-bar">
        <label>Showing profile{' '}
          <select value={data.profile} onChange={(e) => void showProfile(e.target.value)} data-testid="mailbox-profile">
            {data.profiles.map((p) => <option key={p} value={p}>{p}{p === baseline ? ' (baseline)' : ''}</option>)}
          </select>
        </label>
        <label>Changes go into{' '}
          <input type="text" value={target} onChange={(e) => setTarget(e.target.value)} list="mailbox-profiles" data-testid="mailbox-target" />
          <datalist id="mailbox-profiles">{data.profiles.filter((p) => p !== baseline).map((p) => <option key={p} value={p} />)}</datalist>
        </label>
        <span className="spacer" />
        <span className="muted small">{changedCount ? `${changedCount} mailbox${changedCount === 1 ? '' : 'es'} changed in ${data.profile}` : `${data.profile} changes no mailbox`}</span>
        <button type="button" onClick={() => void compare()} disabled={busy !== null || data.profile === baseline} data-testid="mailbox-whatif">{data.profile === baseline ? 'What-if: show a profile with changes first' : `What-if: ${data.profile} vs ${baseline}`}</button>
      </div>
      {busy && <p role="status" className="muted">{busy}</p>}
      {whatIf && <WhatIfSummary r={whatIf} />}
      <p className="muted small">{data.run ? `Counts by outcome from the latest run (#${data.run.runId}, ${data.run.profileName || 'default settings'}).` : 'No replay yet: run the replay to see outcomes per folder.'}</p>
      <table className="small mailbox-table" data-testid="mailbox-table">
        <thead>
          <tr><th>Mailbox</th><th>Owner</th><th>Filtering method</th><th>Incoming delivery</th><th>Process Emails From</th><th>Tracked folders</th><th>Messages by folder and outcome</th><th /></tr>
        </thead>
        <tbody>
          {data.mailboxes.map((m) => (
            <MailboxRow key={m.address} m={m} target={target.trim()} labels={data.filterLabels} editing={editing === m.address} onEdit={() => setEditing(editing === m.address ? null : m.address)} onSave={(o) => void save(m.address, o)} />
          ))}
        </tbody>
      </table>
      <DirectoryPanel />
    </section>
  );
}

function Changed({ before, after }: { before: string; after: string }) {
  if (before === after) return <>{after}</>;
  return <><span className="changed-value" data-testid="changed-value">{after}</span><br /><span className="muted small">imported: {before}</span></>;
}

function folderText(f: TrackedFolder[], names: Record<string, string>): string {
  return f.length ? f.map((x) => `${x.folder}${x.regarding ? ` → ${names[x.regarding] ?? x.regarding}` : ''}`).join('; ') : 'none';
}

function MailboxRow({ m, target, labels, editing, onEdit, onSave }: { m: MailboxView; target: string; labels: string[]; editing: boolean; onEdit: () => void; onSave: (o: MailboxOverrideInput | null) => void }) {
  const i = m.imported;
  const e = m.effective;
  return (
    <>
      <tr className={m.overridden ? 'changed' : ''} data-testid="mailbox-row">
        <td><strong>{m.address}</strong></td>
        <td style={{ whiteSpace: 'nowrap' }}>{m.ownerName ?? <span className="warn-text">not in the directory</span>}<br /><span className="muted small">{m.ownerKind === 'queue' ? 'Queue' : 'User'}</span></td>
        <td><Changed before={i.filterLabel} after={e.filterLabel} /></td>
        <td>
          <Changed before={m.org?.deliveryLabel && !m.overridden ? m.org.deliveryLabel : i.deliveryLabel} after={m.org?.deliveryLabel && !m.overridden ? m.org.deliveryLabel : e.deliveryLabel} />
          {m.org && (
            <details className="org-facts" data-testid="mailbox-org-facts">
              <summary className="muted small">from the organization</summary>
              <ul className="plain small">
                <li>Filtering method: {m.org.filterSource}</li>
                <li>Process Emails From: {m.org.processEmailsFromSource}</li>
                {m.org.notes.map((n) => <li key={n}>{n}</li>)}
                <li className="muted">{m.org.source}</li>
              </ul>
            </details>
          )}
        </td>
        <td><Changed before={i.processEmailsFrom ? i.processEmailsFrom.slice(0, 16).replace('T', ' ') : 'not set'} after={e.processEmailsFrom ? e.processEmailsFrom.slice(0, 16).replace('T', ' ') : 'not set'} /></td>
        <td><Changed before={folderText(i.trackedFolders, m.regardingNames)} after={folderText(e.trackedFolders, m.regardingNames)} /></td>
        <td>
          {m.folders.length === 0 ? <span className="muted">no messages</span> : (
            <ul className="plain">
              {m.folders.map((f) => (
                <li key={f.path}><strong>{f.path}</strong> {f.messages}: <span className="muted">{Object.entries(f.byOutcome).map(([o, n]) => `${o} ${n}`).join(', ') || 'not replayed'}</span></li>
              ))}
            </ul>
          )}
        </td>
        <td><button type="button" onClick={onEdit} aria-expanded={editing} data-testid="mailbox-edit">{editing ? 'Close' : 'Change…'}</button></td>
      </tr>
      {editing && (
        <tr className="mailbox-editor-row">
          <td colSpan={8}><MailboxEditor m={m} target={target} labels={labels} onSave={onSave} /></td>
        </tr>
      )}
    </>
  );
}

function MailboxEditor({ m, target, labels, onSave }: { m: MailboxView; target: string; labels: string[]; onSave: (o: MailboxOverrideInput | null) => void }) {
  const e = m.effective;
  const [filter, setFilter] = useState<FilteringMethod>(e.filter);
  const [incoming, setIncoming] = useState(e.incoming);
  const [pef, setPef] = useState(e.processEmailsFrom ?? '');
  const [folders, setFolders] = useState<TrackedFolder[]>(e.trackedFolders);
  const [newFolder, setNewFolder] = useState('');
  const [newRegarding, setNewRegarding] = useState('');
  const pefValid = pef.trim() === '' || (/^\d{4}-\d{2}-\d{2}/.test(pef.trim()) && !Number.isNaN(Date.parse(pef.trim())));
  const candidates = m.folders.map((f) => f.path).filter((p) => !folders.some((x) => x.folder.toLowerCase() === p.toLowerCase()));
  return (
    <form className="mailbox-editor" onSubmit={(ev) => { ev.preventDefault(); if (pefValid) onSave({ filter, incoming, processEmailsFrom: pef.trim() ? new Date(pef.trim()).toISOString() : null, trackedFolders: folders }); }} data-testid="mailbox-editor">
      <div className="row top">
        <label>Incoming email filtering method (owner&apos;s)
          <select value={filter} onChange={(ev) => setFilter(Number(ev.target.value) as FilteringMethod)} data-testid="edit-filter">
            {labels.map((l, n) => <option key={n} value={n}>{l}</option>)}
          </select>
        </label>
        <label>Incoming email delivery method
          <select value={incoming ? '2' : '0'} onChange={(ev) => setIncoming(ev.target.value === '2')} data-testid="edit-delivery">
            <option value="2">Server-Side Synchronization or Email Router</option>
            <option value="0">None</option>
          </select>
        </label>
        <label>Process Emails From (ISO date, blank: none)
          <input type="text" value={pef} onChange={(ev) => setPef(ev.target.value)} placeholder="2024-01-01T00:00:00Z" aria-invalid={!pefValid} data-testid="edit-pef" />
          {!pefValid && <span className="warn-text small">expected a date such as 2024-01-01 or 2024-01-01T09:00:00Z</span>}
        </label>
      </div>
      <fieldset className="plain-fieldset">
        <legend>Folder-level tracking</legend>
        <ul className="plain">
          {folders.map((f) => (
            <li key={f.folder}>{f.folder}{f.regarding ? ` → Regarding ${m.regardingNames[f.regarding] ?? f.regarding}` : ''} <button type="button" className="link" onClick={() => setFolders(folders.filter((x) => x !== f))}>remove</button></li>
          ))}
          {folders.length === 0 && <li className="muted">No folder is tracked at folder level.</li>}
        </ul>
        <div className="row">
          <input type="text" value={newFolder} onChange={(ev) => setNewFolder(ev.target.value)} list={`folders-${m.address}`} placeholder="Inbox/Projects" aria-label="Folder to track" data-testid="edit-folder" />
          <datalist id={`folders-${m.address}`}>{candidates.map((p) => <option key={p} value={p} />)}</datalist>
          <input type="text" value={newRegarding} onChange={(ev) => setNewRegarding(ev.target.value)} placeholder="Regarding, e.g. account:a1 (optional)" aria-label="Regarding" />
          <button type="button" disabled={!newFolder.trim()} onClick={() => { setFolders([...folders, { folder: newFolder.trim(), regarding: newRegarding.trim() || null }]); setNewFolder(''); setNewRegarding(''); }}>Add folder</button>
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" disabled={!pefValid || !target} data-testid="edit-save">{target ? `Save into ${target}` : 'Name a profile to save into'}</button>
        {m.overridden && <button type="button" onClick={() => onSave(null)} data-testid="edit-reset">Back to imported</button>}
      </div>
    </form>
  );
}

function WhatIfSummary({ r }: { r: WhatIfResult }) {
  const select = useAppStore((s) => s.select);
  return (
    <section className="panel whatif" aria-labelledby="mbx-whatif-title" data-testid="mailbox-whatif-result">
      <h2 id="mbx-whatif-title">What-if: {r.baseline.profileName} → {r.proposal.profileName}</h2>
      <p data-testid="mailbox-whatif-total"><strong>{r.changed}</strong> of {r.total} messages would change; tracked {r.tracked.baseline} → {r.tracked.proposal}.</p>
      {r.changedSettings.length > 0 && (
        <table className="small fit">
          <thead><tr><th>change</th><th>{r.baseline.profileName}</th><th>{r.proposal.profileName}</th></tr></thead>
          <tbody>{r.changedSettings.map((c) => <tr key={c.name}><td>{c.name}</td><td>{String(c.before)}</td><td>{String(c.after)}</td></tr>)}</tbody>
        </table>
      )}
      {r.groups.map((g, i) => (
        <details key={i} className="whatif-group" open={i === 0}>
          <summary><span className="count-pill">{g.changes.length}</span> {g.cause}</summary>
          <ul className="small">
            {g.changes.map((c) => (
              <li key={c.key}><button type="button" className="link" onClick={() => select(c.key, 'message')}>{c.subject || '(no subject)'}</button>: {c.before.outcome} → {c.after.outcome}</li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}

function DirectoryPanel() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<DirectorySearchResult | null>(null);
  useEffect(() => {
    const t = setTimeout(() => {
      void (async () => {
        const r = await attempt(() => call('directory.search', { text, limit: 200 }));
        if (r) setResult(r);
      })();
    }, 150);
    return () => clearTimeout(t);
  }, [text]);
  return (
    <section className="panel directory" aria-labelledby="directory-title" data-testid="directory-panel">
      <h2 id="directory-title">Directory</h2>
      <div className="row">
        <label>Search by address or name <input type="search" value={text} onChange={(e) => setText(e.target.value)} data-testid="directory-search" /></label>
        {result && <span className="muted small" data-testid="directory-count">{result.total} row{result.total === 1 ? '' : 's'}{result.total > result.rows.length ? ` (first ${result.rows.length} shown)` : ''}; sender rule under {result.profile}</span>}
      </div>
      {result && (
        <table className="small directory-table" data-testid="directory-table">
          <thead><tr><th>Name</th><th>Type</th><th>State</th><th>Owner</th><th>Addresses</th></tr></thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.ref} data-testid="directory-row">
                <td>{r.name}</td>
                <td>{r.typeLabel}</td>
                <td>{r.active ? 'Active' : <span className="warn-text">Inactive</span>}</td>
                <td style={{ whiteSpace: 'nowrap' }}>{r.owner ? (r.owner.name ?? r.owner.ref) : <span className="muted">none</span>}</td>
                <td>
                  {r.addresses.length === 0 && <span className="muted">no address</span>}
                  {r.addresses.map((a) => (
                    <div key={a.address} className="dir-address">
                      <code>{a.address}</code>
                      {a.sharedWith.length > 0 && (
                        <div className="shared" data-testid="shared-address">
                          <span className="badge warn">shared with {a.sharedWith.map((s) => `${s.name} (${s.kind})`).join(', ')}</span>
                          {a.senderWinner && <p className="small">As a sender: {a.senderWinner.why}</p>}
                          {a.byMailbox.map((b) => <p key={b.mailbox} className="small muted">In {b.mailbox}: {b.why}</p>)}
                        </div>
                      )}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
