import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ScenarioStep, ScenarioSummary } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { TokenPartsView } from '../../components/TokenPartsView.js';
import { TraceSteps } from '../../components/TraceSteps.js';
import { attempt } from '../../store/actions.js';
import { RouterMode } from './RouterMode.js';

/** Where the learner was, kept across visits to other views (the library itself never changes). */
const remembered: { scenarios: ScenarioSummary[] | null; current: ScenarioSummary | null; index: number; mode: 'sss' | 'router' } = { scenarios: null, current: null, index: 0, mode: 'sss' };

export function TrainingView() {
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(remembered.scenarios);
  const [current, setCurrent] = useState<ScenarioSummary | null>(remembered.current);
  const [index, setIndex] = useState(remembered.index);
  const [step, setStep] = useState<ScenarioStep | null>(null);
  const [mode, setMode] = useState(remembered.mode);

  useEffect(() => {
    if (remembered.scenarios) return;
    void attempt(() => call('scenarios.list', {})).then((list) => {
      remembered.scenarios = list ?? [];
      setScenarios(remembered.scenarios);
    });
  }, []);

  useEffect(() => {
    remembered.current = current;
    remembered.index = index;
    remembered.mode = mode;
  }, [current, index, mode]);

  useEffect(() => {
    if (!current) return;
    let live = true;
    void attempt(() => call('scenarios.step', { id: current.id, index })).then((s) => {
      if (live) setStep(s ?? null);
    });
    return () => {
      live = false;
    };
  }, [current, index]);

  const total = step?.total ?? current?.messageCount ?? 0;
  // ← and → step through the scenario from anywhere in the view except a text field.
  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (mode === 'router' || !current || (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox' && e.target.type !== 'radio')) return;
    if (e.key === 'ArrowRight') setIndex((i) => Math.min(total - 1, i + 1));
    else if (e.key === 'ArrowLeft') setIndex((i) => Math.max(0, i - 1));
    else return;
    e.preventDefault();
  }
  return (
    <section className="view training" aria-labelledby="training-title" data-testid="training-view" onKeyDown={onKeyDown}>
      <h1 id="training-title">Training</h1>
      <div className="row mode-switch" role="radiogroup" aria-label="Mode">
        <label className="inline-check">
          <input type="radio" name="training-mode" checked={mode === 'sss'} onChange={() => setMode('sss')} data-testid="mode-sss" /> Server-side sync scenarios
        </label>
        <label className="inline-check">
          <input type="radio" name="training-mode" checked={mode === 'router'} onChange={() => setMode('router')} data-testid="mode-router" /> E-mail Router (CRM 3.0 / 4.0 sink mailbox)
        </label>
      </div>
      {mode === 'router' ? <RouterMode /> : (
      <div className="row top">
        <nav className="panel scenario-list" aria-label="Scenarios">
          <h2>Scenarios</h2>
          {scenarios === null ? <p>Loading…</p> : scenarios.length === 0 ? <p className="muted">No scenarios bundled.</p> : (
            <ul className="plain">
              {scenarios.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className={`scenario${current?.id === s.id ? ' current' : ''}`}
                    aria-current={current?.id === s.id}
                    disabled={s.error !== undefined}
                    onClick={() => {
                      setCurrent(s);
                      setIndex(0);
                      setStep(null);
                    }}
                    data-testid="scenario"
                  >
                    <strong>{s.title}</strong>
                    <span className="muted small">{s.messageCount} message{s.messageCount === 1 ? '' : 's'}</span>
                    {s.error && <span className="warn-text small">Does not load: {s.error}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div className="grow">
          {!current ? (
            <p className="muted">Choose a scenario to step through it one message at a time.</p>
          ) : (
            <>
              <section className="panel">
                <h2>{current.title}</h2>
                <p className="lesson" data-testid="lesson">{current.lesson}</p>
                <div className="row" role="toolbar" aria-label="Step">
                  <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0} data-testid="step-prev">◀ Previous</button>
                  <span data-testid="step-position">Message {Math.min(index + 1, total)} of {total}</span>
                  <span className="muted small">(← → to step)</span>
                  <button type="button" onClick={() => setIndex((i) => Math.min(total - 1, i + 1))} disabled={index >= total - 1} data-testid="step-next">Next ▶</button>
                </div>
              </section>
              {step && <StepDetail step={step} />}
            </>
          )}
        </div>
      </div>
      )}
    </section>
  );
}

function StepDetail({ step }: { step: ScenarioStep }) {
  const d = step.decision;
  const expected = step.expected ? Object.entries(step.expected).filter(([k]) => k !== 'file') : [];
  return (
    <section className="panel" data-testid="scenario-step">
      <h2>{step.subject || '(no subject)'} <span className="muted small">{step.file}</span></h2>
      <p className="muted small">
        from {step.from ?? '—'} · mailbox {step.mailbox} / {step.folder} · processed {step.index + 1} of {step.total} (by received time)
      </p>
      <p>
        <span className={`outcome big o-${d.outcome}`} data-testid="step-outcome">{d.outcome}</span>{' '}
        <span className="method">method {d.correlationMethod} ({d.correlationMethodCode})</span>
        {d.correlatedTo && <span> → {d.correlatedTo}</span>}
      </p>
      {d.tokenParts.map((t, i) => <TokenPartsView key={i} parts={t} />)}
      {expected.length > 0 && (
        <p className={step.mismatches.length === 0 ? 'ok-text' : 'warn-text'} data-testid="step-expected">
          Expected: {expected.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')}
          {step.mismatches.length === 0
            ? ' ✔ the replay agrees'
            : ` ✘ the replay disagrees on ${step.mismatches.map((m) => `${m.field} (got ${JSON.stringify(m.actual)})`).join(', ')}`}
        </p>
      )}
      <h3>Each stage</h3>
      <TraceSteps trace={step.trace} />
    </section>
  );
}
