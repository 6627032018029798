import { useEffect, useId, useState } from 'react';
import type { PresetComparisonView, PresetInfo } from '../../../../core/contract/contract.js';
import { call, newJobId } from '../../api.js';
import { JobStatus } from '../../components/JobStatus.js';
import { attempt } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';

let cachedPresets: PresetInfo[] | null = null;

/**
 * Version presets (core/analysis/presets.ts): use one era's documented behaviour as the proposal, or
 * replay the workspace under two presets to see what changed for these mailboxes across an upgrade.
 */
export function PresetsPanel() {
  const setDraft = useAppStore((s) => s.setDraft);
  const finishJob = useAppStore((s) => s.finishJob);
  const id = useId();
  const [presets, setPresets] = useState<PresetInfo[] | null>(cachedPresets);
  const [chosen, setChosen] = useState('crm4');
  const [before, setBefore] = useState('crm4');
  const [after, setAfter] = useState('dataverse');
  const [jobId, setJobId] = useState<string | null>(null);
  const [comparison, setComparison] = useState<PresetComparisonView | null>(null);

  useEffect(() => {
    if (cachedPresets) return;
    void attempt(() => call('presets.list', {})).then((list) => {
      cachedPresets = list ?? [];
      setPresets(cachedPresets);
    });
  }, []);

  async function compare() {
    const job = newJobId('presets');
    setJobId(job);
    setComparison(null);
    const result = await attempt(() => call('presets.compare', { before, after, jobId: job }));
    finishJob(job);
    setJobId(null);
    if (result) setComparison(result);
  }

  if (!presets) return null;
  const current = presets.find((p) => p.name === chosen);
  const options = presets.map((p) => <option key={p.name} value={p.name}>{p.name} — {p.title}</option>);
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="presets-panel">
      <h2 id={`${id}-title`}>Version presets</h2>
      <div className="row top">
        <div className="grow">
          <div className="row">
            <label htmlFor={`${id}-preset`}>Preset
              <select id={`${id}-preset`} value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="preset-select">{options}</select>
            </label>
            <button type="button" onClick={() => current && setDraft({ ...current.settings })} data-testid="preset-apply">Use as proposal</button>
          </div>
          {current && (
            <details className="small">
              <summary>{current.description}</summary>
              <ul>{current.behaviour.map((b, i) => <li key={i}>{b}</li>)}</ul>
              <p className="muted">How it maps onto the settings:</p>
              <ul className="muted">{current.notes.map((b, i) => <li key={i}>{b}</li>)}</ul>
              <p className="muted">Sources:</p>
              <ul className="muted small" data-testid="preset-sources">{current.sources.map((src, i) => <li key={i}>{src}</li>)}</ul>
            </details>
          )}
        </div>
        <div className="grow">
          <div className="row">
            <label htmlFor={`${id}-before`}>Before
              <select id={`${id}-before`} value={before} onChange={(e) => setBefore(e.target.value)} data-testid="preset-before">{options}</select>
            </label>
            <label htmlFor={`${id}-after`}>After
              <select id={`${id}-after`} value={after} onChange={(e) => setAfter(e.target.value)} data-testid="preset-after">{options}</select>
            </label>
            <button type="button" onClick={() => void compare()} disabled={jobId !== null || before === after} data-testid="preset-compare">Compare presets</button>
          </div>
          {jobId && <JobStatus jobId={jobId} label="Replaying under both presets…" testId="presets-job" />}
        </div>
      </div>
      {comparison && (
        <div data-testid="preset-comparison">
          <h3>{comparison.before} → {comparison.after}: {comparison.changed.length} message{comparison.changed.length === 1 ? '' : 's'} change, {comparison.unchangedCount} do not</h3>
          <table className="small fit" data-testid="preset-setting-changes">
            <thead><tr><th>setting</th><th>{comparison.before}</th><th>{comparison.after}</th><th>what it means</th></tr></thead>
            <tbody>
              {comparison.settingChanges.map((c) => (
                <tr key={c.key}><td><code>{c.key}</code></td><td>{JSON.stringify(c.from)}</td><td>{JSON.stringify(c.to)}</td><td>{c.effect}</td></tr>
              ))}
            </tbody>
          </table>
          <table className="small" data-testid="preset-changed">
            <thead><tr><th>message</th><th>what changed and why</th></tr></thead>
            <tbody>
              {comparison.changed.map((c) => (
                <tr key={c.key}><td>{c.subject || '(no subject)'}</td><td>{c.summary}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
