import { useEffect, useId, useMemo, useState } from 'react';
import type { PointDrill, SweepDefaults, SweepGridInput, SweepResult, SweptKey } from '../../../../core/contract/contract.js';
import type { Settings } from '../../../../core/engine/index.js';
import { call, newJobId } from '../../api.js';
import { JobStatus } from '../../components/JobStatus.js';
import { ReportExport } from '../../components/ReportExport.js';
import { attempt, baselineProfile, loadProfiles } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';
import { SweepChart } from './SweepChart.js';

/** The grid editor's rows: one list of values per swept setting (empty = keep the baseline's value). */
const GRID_FIELDS: { key: SweptKey; label: string; help: string; numeric: boolean }[] = [
  { key: 'hashminaddresscount', label: 'HashMinAddressCount', help: 'shared addresses needed', numeric: true },
  { key: 'hashdeltasubjectcount', label: 'HashDeltaSubjectCount', help: 'subject word-hash difference allowed', numeric: true },
  { key: 'hashmaxcount', label: 'HashMaxCount', help: 'give up above this many candidates', numeric: true },
  { key: 'simSmartMatchingSubjectRule', label: 'Subject rule', help: 'A, B or C (simulator)', numeric: false },
  { key: 'hashfilterkeywords', label: 'HashFilterKeywords', help: 'variant names or a .NET regex', numeric: false },
  { key: 'simSmartMatchingWindowDays', label: 'Window (days)', help: '0 = all', numeric: true },
];

/** Defaults: the product part of the CLI's default grid (address count 2–4 × delta 0–2 × two keyword variants). */
const DEFAULT_VALUES: Record<SweptKey, string> = {
  hashminaddresscount: '2, 3, 4',
  hashdeltasubjectcount: '0, 1, 2',
  hashmaxcount: '',
  simSmartMatchingSubjectRule: '',
  hashfilterkeywords: 'default, out-of-office',
  simSmartMatchingWindowDays: '',
};

const editor: { values: Record<SweptKey, string>; useDefault: boolean } = { values: { ...DEFAULT_VALUES }, useDefault: false };

function parseValues(raw: string, numeric: boolean): (number | string)[] {
  return raw.split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => (numeric && /^-?\d+$/.test(v) ? Number(v) : v));
}

type SortKey = 'id' | 'label' | 'gained' | 'falseCorrelations' | 'newFalse' | 'missed' | 'precision' | 'recall' | 'f05';

// One vocabulary with the recommendation text (core/analysis/sweep.ts falseLinksPhrase): "false links" are all
// links across true conversations at the point; "new false" are those the baseline does not make.
const COLUMNS: { key: SortKey; label: string; numeric: boolean; title?: string }[] = [
  { key: 'id', label: '#', numeric: true },
  { key: 'label', label: 'settings', numeric: false },
  { key: 'gained', label: 'correct gained (vs baseline)', numeric: true },
  { key: 'falseCorrelations', label: 'false links (all)', numeric: true, title: 'Every link across different true conversations at this point' },
  { key: 'newFalse', label: 'new false (vs baseline)', numeric: true, title: 'False links this point makes that the baseline does not' },
  { key: 'missed', label: 'missed', numeric: true },
  { key: 'precision', label: 'precision', numeric: true },
  { key: 'recall', label: 'recall', numeric: true },
  { key: 'f05', label: 'F0.5', numeric: true },
];

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function SweepView() {
  const workspace = useAppStore((s) => s.workspace);
  const profiles = useAppStore((s) => s.profiles);
  const result = useAppStore((s) => s.sweep);
  const setSweep = useAppStore((s) => s.setSweep);
  const finishJob = useAppStore((s) => s.finishJob);
  const id = useId();
  const [values, setValues] = useState(editor.values);
  const [useDefault, setUseDefault] = useState(editor.useDefault);
  const [defaults, setDefaults] = useState<SweepDefaults | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);

  useEffect(() => {
    if (workspace && profiles.length === 0) void loadProfiles();
  }, [workspace, profiles.length]);
  useEffect(() => {
    void attempt(() => call('sweep.defaults', {})).then((d) => setDefaults(d ?? null));
  }, []);
  useEffect(() => {
    editor.values = values;
    editor.useDefault = useDefault;
  }, [values, useDefault]);

  const grid: SweepGridInput = useMemo(() => {
    const product: SweepGridInput['product'] = {};
    for (const f of GRID_FIELDS) {
      const list = parseValues(values[f.key], f.numeric);
      if (list.length) product[f.key] = list;
    }
    return { product };
  }, [values]);
  const pointCount = useDefault ? (defaults?.defaultPoints ?? 25) : Object.values(grid.product ?? {}).reduce((n, list) => n * list.length, 1);

  if (!workspace) return <NoWorkspace />;

  async function run() {
    const job = newJobId('sweep');
    setJobId(job);
    setCancelled(false);
    const r = await attempt(() => call('sweep.run', { jobId: job, profile: baselineProfile().name, ...(useDefault ? {} : { grid }) }));
    finishJob(job);
    setJobId(null);
    if (r) setSweep(r);
    else setCancelled(true);
  }

  return (
    <section className="view sweep" aria-labelledby="sweep-title" data-testid="sweep-view">
      <h1 id="sweep-title">Tuning sweep</h1>
      <p className="lead">
        Replays the workspace under a grid of smart-matching settings and grades every correlation against the true conversations
        (Message-ID, In-Reply-To, References and Thread-Index threading, never subjects). Every point starts from the baseline “{baselineProfile().name}” with smart matching on.
      </p>
      <fieldset className="panel" data-testid="sweep-grid">
        <legend>Grid</legend>
        <label className="inline-check" htmlFor={`${id}-default`}>
          <input id={`${id}-default`} type="checkbox" checked={useDefault} onChange={(e) => setUseDefault(e.target.checked)} data-testid="sweep-use-default" />
          Use the CLI&apos;s default {defaults?.defaultPoints ?? 25}-point grid
        </label>
        <div className="grid-editor">
          {GRID_FIELDS.map((f) => (
            <label key={f.key} htmlFor={`${id}-${f.key}`}>
              <span>{f.label} <span className="muted small">{f.help}</span></span>
              <input
                id={`${id}-${f.key}`}
                value={values[f.key]}
                disabled={useDefault}
                placeholder="baseline value"
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                data-testid={`grid-${f.key}`}
              />
            </label>
          ))}
        </div>
        {defaults && (
          <p className="muted small">
            Comma-separated values; the grid is every combination. HashFilterKeywords variants: {Object.keys(defaults.keywordVariants).join(', ')} (“out-of-office” is the documented “Out of office:” fix). At most {defaults.maxPoints} points.
          </p>
        )}
        <div className="row">
          <span data-testid="sweep-point-count">{pointCount} point{pointCount === 1 ? '' : 's'}</span>
          <button type="button" onClick={() => setValues({ ...DEFAULT_VALUES })} disabled={useDefault}>Reset</button>
          <button type="button" className="primary" onClick={() => void run()} disabled={jobId !== null || pointCount < 1 || pointCount > (defaults?.maxPoints ?? 400)} data-testid="sweep-run">
            Run sweep
          </button>
        </div>
        {jobId && <JobStatus jobId={jobId} label="Sweeping…" testId="sweep-job" />}
        {cancelled && !jobId && <p className="muted" role="status" data-testid="sweep-stopped">The sweep did not finish; earlier results are kept.</p>}
      </fieldset>
      {result && <SweepResults result={result} />}
      {result && <ReportExport kind="sweep" />}
    </section>
  );
}

function SweepResults({ result }: { result: SweepResult }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'f05', dir: -1 });
  const [highlight, setHighlight] = useState<number | null>(null);
  const [drill, setDrill] = useState<PointDrill | null>(null);
  const [drilling, setDrilling] = useState<number | null>(null);
  const setDraft = useAppStore((s) => s.setDraft);
  const setView = useAppStore((s) => s.setView);
  const settingsOf = (p: SweepResult['points'][number]): Partial<Settings> => Object.fromEntries(p.changes.map((c) => [c.key, c.value])) as Partial<Settings>;
  async function openDrill(p: SweepResult['points'][number]) {
    setDrilling(p.id);
    const d = await attempt(() => call('sweep.point', { profile: baselineProfile().name, pointId: p.id, label: p.label, settings: settingsOf(p) }));
    setDrilling(null);
    if (d) setDrill(d);
  }
  function useAsProposal(p: SweepResult['points'][number]) {
    // The what-if's draft: the baseline with this point's settings; Settings shows what changed and runs it.
    setDraft({ ...baselineProfile().settings, ...settingsOf(p) } as Settings);
    setView('settings');
  }
  const rows = useMemo(() => {
    const value = (p: SweepResult['points'][number], k: SortKey): number | string => (k === 'id' ? p.id : k === 'label' ? p.label : p.metrics[k]);
    return [...result.points].sort((a, b) => {
      const va = value(a, sort.key);
      const vb = value(b, sort.key);
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c * sort.dir || a.id - b.id;
    });
  }, [result, sort]);
  const b = result.baseline.metrics;
  return (
    <section className="panel" aria-labelledby="sweep-results-title" data-testid="sweep-results">
      <h2 id="sweep-results-title">
        {result.points.length} points over {result.messages} messages ({result.truth.conversations} true conversations) in {(result.timing.totalMs / 1000).toFixed(1)} s
      </h2>
      <p className="small">
        Baseline <code>{result.baseline.label}</code>{result.baseline.smartMatching ? '' : ' (smart matching off)'}: precision {pct(b.precision)}, recall {pct(b.recall)}, {b.correct} correct, {b.falseCorrelations} false links, {b.missed} missed.
      </p>
      {result.recommendation && (
        <div className="recommendation" data-testid="sweep-recommendation">
          <h3>★ Recommended: {result.recommendation.label}</h3>
          {result.recommendation.explanation.map((line, i) => <p key={i}>{line}</p>)}
          {result.recommendation.pointId > 0 && (() => {
            const p = result.points.find((x) => x.id === result.recommendation?.pointId);
            return p ? (
              <div className="row">
                <button type="button" onClick={() => void openDrill(p)} data-testid="sweep-rec-drill">Show its false and missed links</button>
                <button type="button" className="primary" onClick={() => useAsProposal(p)} data-testid="sweep-rec-propose">Use as proposal</button>
              </div>
            ) : null;
          })()}
        </div>
      )}
      <div className="row top sweep-layout">
        <SweepChart result={result} highlight={highlight} onHighlight={setHighlight} />
        <div className="grow table-scroll">
          <table className="small sweep-table" data-testid="sweep-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'} className={c.numeric ? 'num' : ''} title={c.title}>
                    <button
                      type="button"
                      className="th-button"
                      onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : c.numeric ? -1 : 1 }))}
                      data-testid={`sweep-sort-${c.key}`}
                    >
                      {c.label}{sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                ))}
                <th>marks</th>
                <th><span className="sr-only">actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr
                  key={p.id}
                  className={`${p.recommended ? 'recommended' : ''}${highlight === p.id ? ' highlight' : ''}`}
                  onMouseEnter={() => setHighlight(p.id)}
                  onMouseLeave={() => setHighlight(null)}
                  data-testid="sweep-row"
                >
                  <td className="num">{p.id}</td>
                  <td><code>{p.label}</code></td>
                  <td className="num">{p.metrics.gained}</td>
                  <td className="num">{p.metrics.falseCorrelations}</td>
                  <td className="num">{p.metrics.newFalse}</td>
                  <td className="num">{p.metrics.missed}</td>
                  <td className="num">{pct(p.metrics.precision)}</td>
                  <td className="num">{pct(p.metrics.recall)}</td>
                  <td className="num">{p.metrics.f05.toFixed(3)}</td>
                  <td>
                    {p.pareto && <span className="badge pareto" title="No other point has both higher precision and higher recall">Pareto</span>}
                    {p.recommended && <span className="badge ok">★ recommended</span>}
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <button type="button" className="link" onClick={() => void openDrill(p)} disabled={drilling !== null} data-testid="sweep-drill">{drilling === p.id ? 'Loading…' : 'Links'}</button>
                    {' · '}
                    <button type="button" className="link" onClick={() => useAsProposal(p)} data-testid="sweep-propose">Use as proposal</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {drill && <DrillPanel drill={drill} onClose={() => setDrill(null)} onPropose={() => { const p = result.points.find((x) => x.id === drill.pointId); if (p) useAsProposal(p); }} />}
    </section>
  );
}

function DrillPanel({ drill, onClose, onPropose }: { drill: PointDrill; onClose: () => void; onPropose: () => void }) {
  const select = useAppStore((s) => s.select);
  const email = (e: PointDrill['falseLinks'][number]['linkedTo']): string => (e ? `“${e.subject || '(no subject)'}”${e.date ? ` ${e.date.slice(0, 10)}` : ''}` : '—');
  const list = (title: string, links: PointDrill['falseLinks'], total: number, kind: 'false' | 'missed') => (
    <section aria-label={title} data-testid={`sweep-drill-${kind}`}>
      <h3>{title} ({total}{links.length < total ? `, first ${links.length} listed` : ''})</h3>
      {links.length === 0 ? <p className="muted">None.</p> : (
        <ul className="plain drill-list">
          {links.map((l) => (
            <li key={l.key}>
              <details data-testid="sweep-drill-link">
                <summary>
                  <button type="button" className="link" onClick={(e) => { e.preventDefault(); select(l.key, 'message'); }}>{l.subject || '(no subject)'}</button>
                  <span className="muted small"> {l.from ?? '—'} · {l.date ? l.date.slice(0, 16).replace('T', ' ') : '—'}</span>
                  {kind === 'false'
                    ? <> — linked by {l.method} to {email(l.linkedTo)}, another conversation</>
                    : <> — {l.linkedTo ? <>linked to {email(l.linkedTo)}, another conversation;</> : 'not linked;'} its conversation holds {email(l.shouldBe)}</>}
                </summary>
                <p className="small"><strong>Why:</strong> {l.why}</p>
                <ol className="small muted trace-steps">{l.trace.map((t, i) => <li key={i}>{t.replace(/^Step \d+ · /, '')}</li>)}</ol>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <div className="panel drill" data-testid="sweep-drill-panel">
      <div className="row">
        <h2 className="inline">Point {drill.pointId}: <code>{drill.label}</code></h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={onPropose} data-testid="sweep-drill-propose">Use as proposal</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {list('False links: linked across different true conversations', drill.falseLinks, drill.falseTotal, 'false')}
      {list('Missed links: their conversation already had a tracked email, but they are not linked to it', drill.missedLinks, drill.missedTotal, 'missed')}
    </div>
  );
}
