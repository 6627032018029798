import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../../core/contract/contract.js';
import type { Settings } from '../../../../core/engine/settings.js';
import { call, newJobId } from '../../api.js';
import { attempt, baselineProfile, loadProfiles, runReplay } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';
import { SettingInput, same } from './SettingInput.js';
import { SETTING_GROUPS } from './settingsGroups.js';
import { ApplyKitPanel } from './ApplyKitPanel.js';
import { PresetsPanel } from './PresetsPanel.js';
import { ReportExport } from '../../components/ReportExport.js';

const PROPOSAL = 'what-if';

export function SettingsView() {
  const workspace = useAppStore((s) => s.workspace);
  const profiles = useAppStore((s) => s.profiles);
  const draft = useAppStore((s) => s.draft);
  const editDraft = useAppStore((s) => s.editDraft);
  const setDraft = useAppStore((s) => s.setDraft);
  const whatIf = useAppStore((s) => s.whatIf);
  const setWhatIf = useAppStore((s) => s.setWhatIf);
  const focusSetting = useAppStore((s) => s.focusSetting);
  const [busy, setBusy] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const progress = useAppStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const finishJob = useAppStore((s) => s.finishJob);

  useEffect(() => {
    if (workspace && profiles.length === 0) void loadProfiles();
  }, [workspace, profiles.length]);

  // A "Decided by" link in a trace lands here: bring that setting into view and focus it.
  useEffect(() => {
    if (!focusSetting || !draft) return;
    const el = document.getElementById(`setting-${focusSetting}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
    el?.closest('.setting')?.classList.add('flash');
  }, [focusSetting, draft]);

  if (!workspace) return <NoWorkspace />;
  if (!draft) return <section className="view"><p>Loading settings…</p></section>;
  const baseline = baselineProfile();
  const changed = (Object.keys(draft) as (keyof Settings)[]).filter((k) => !same(draft[k], baseline.settings[k]));

  async function runWhatIf() {
    if (!draft) return;
    setBusy('Running what-if…');
    const saved = await attempt(() => call('settings.save', { name: PROPOSAL, settings: draft }));
    if (saved) {
      const id = newJobId('whatif');
      setJobId(id);
      const result = await attempt(() => call('whatif.run', { baseline: baseline.name, proposal: PROPOSAL, jobId: id }));
      finishJob(id);
      setJobId(null);
      if (result) setWhatIf(result);
    }
    setBusy(null);
  }

  async function apply() {
    if (!draft) return;
    setBusy('Applying and replaying…');
    const saved = await attempt(() => call('settings.save', { name: baseline.name, settings: draft, baseline: true }));
    if (saved) {
      await loadProfiles();
      await runReplay();
      setWhatIf(null);
    }
    setBusy(null);
  }

  return (
    <section className="view settings" aria-labelledby="settings-title" data-testid="settings-view">
      <h1 id="settings-title">Settings and what-if</h1>
      <div className="settings-bar row">
        <span data-testid="changed-count">
          {changed.length === 0 ? `Same as baseline “${baseline.name}”.` : `${changed.length} changed against baseline “${baseline.name}”.`}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setDraft({ ...baseline.settings })} disabled={changed.length === 0}>Revert</button>
        <button type="button" onClick={() => void runWhatIf()} disabled={changed.length === 0 || busy !== null} data-testid="run-whatif">Run what-if</button>
        <button type="button" onClick={() => void apply()} disabled={!whatIf || busy !== null} data-testid="apply-settings" title="Run the what-if first to see what changes">
          Apply and replay
        </button>
      </div>
      {busy && (
        <p role="status" className="muted row" data-testid="settings-busy">
          {busy}
          {progress && ` ${progress.message ?? ''} (${progress.done} of ${progress.total ?? '?'})`}
          {jobId && (
            <button type="button" onClick={() => void attempt(() => call('job.cancel', { jobId }))} data-testid="cancel-whatif">
              Cancel
            </button>
          )}
        </p>
      )}
      {changed.length > 0 && (
        <table className="small fit" data-testid="changed-settings">
          <thead><tr><th>setting</th><th>baseline</th><th>proposal</th></tr></thead>
          <tbody>
            {changed.map((k) => (
              <tr key={k}><td><code>{k}</code></td><td>{JSON.stringify(baseline.settings[k])}</td><td>{JSON.stringify(draft[k])}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <PresetsPanel />
      {whatIf && <WhatIfDiff />}
      {whatIf && <ApplyKitPanel baseline={baseline.name} proposal={PROPOSAL} />}
      {whatIf && <ReportExport kind="whatif" />}
      <div className="setting-groups">
        {SETTING_GROUPS.map((group) => (
          <fieldset key={group.title} className="panel">
            <legend>{group.title}</legend>
            <p className="muted small">{group.where}</p>
            {group.fields.map((field) => {
              const isChanged = !same(draft[field.name], baseline.settings[field.name]);
              return (
                <div key={field.name} className={`setting${isChanged ? ' changed' : ''}${focusSetting === field.name ? ' focused' : ''}`}>
                  <label htmlFor={`setting-${field.name}`}>
                    {field.label} <code className="muted small">{field.name}</code>
                  </label>
                  <SettingInput field={field} value={draft[field.name]} onChange={(v) => editDraft(field.name, v)} />
                  {field.help && <p className="muted small">{field.help}</p>}
                  {field.undocumented && <span className="badge warn">undocumented: simulator choice</span>}
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </section>
  );
}

function Counts({ title, a, b }: { title: string; a: Partial<Record<string, number>>; b: Partial<Record<string, number>> }) {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return (
    <table className="small counts">
      <thead><tr><th>{title}</th><th>baseline</th><th>proposal</th><th>Δ</th></tr></thead>
      <tbody>
        {keys.map((k) => {
          const d = (b[k] ?? 0) - (a[k] ?? 0);
          return (
            <tr key={k} className={d !== 0 ? 'changed' : ''}>
              <td>{k}</td><td>{a[k] ?? 0}</td><td>{b[k] ?? 0}</td><td>{d > 0 ? `+${d}` : d}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function WhatIfDiff() {
  const whatIf = useAppStore((s) => s.whatIf);
  const select = useAppStore((s) => s.select);
  if (!whatIf) return null;
  const total = whatIf.changed;
  const summary = (r: RunSummary) => `${r.profileName} (${r.durationMs} ms)`;
  return (
    <section className="panel whatif" aria-labelledby="whatif-title" data-testid="whatif-diff">
      <h2 id="whatif-title">What-if: {summary(whatIf.baseline)} → {summary(whatIf.proposal)}</h2>
      <p data-testid="whatif-total"><strong>{total}</strong> of {whatIf.total} messages would change; tracked {whatIf.tracked.baseline} → {whatIf.tracked.proposal}. Nothing is applied until you choose Apply.</p>
      <p className="muted small">Grouped by cause with the same rules as <code>npm run cli -- whatif</code>: the changed settings that each decision&apos;s trace names, or a knock-on when none decided it.</p>
      <div className="row top">
        <Counts title="outcome" a={whatIf.baseline.countsByOutcome} b={whatIf.proposal.countsByOutcome} />
        <Counts title="method" a={whatIf.baseline.countsByMethod} b={whatIf.proposal.countsByMethod} />
      </div>
      {whatIf.groups.map((g, i) => (
        <details key={i} className="whatif-group" open={i === 0} data-testid="whatif-group">
          <summary>
            <span className="count-pill">{g.changes.length}</span> {g.cause}
            {g.knockOn && <span className="badge">knock-on</span>}
          </summary>
          <table className="small">
            <thead><tr><th>subject</th><th>before</th><th>after</th><th>changed</th></tr></thead>
            <tbody>
              {g.changes.map((c) => (
                <tr key={c.key}>
                  <td><button type="button" className="link" onClick={() => select(c.key, 'message')}>{c.subject || '(no subject)'}</button></td>
                  <td>{c.before.outcome} · {c.before.correlationMethod}{c.before.correlatedTo ? ` → ${c.before.correlatedTo}` : ''}</td>
                  <td>{c.after.outcome} · {c.after.correlationMethod}{c.after.correlatedTo ? ` → ${c.after.correlatedTo}` : ''}</td>
                  <td className="muted">{c.fields.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}
