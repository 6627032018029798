import { useEffect, useState, type KeyboardEvent } from 'react';
import type { EmailRef, ScenarioStep, ScenarioSummary, TrainingEmail } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { TokenPartsView } from '../../components/TokenPartsView.js';
import { TraceSteps } from '../../components/TraceSteps.js';
import { attempt } from '../../store/actions.js';
import { RouterMode } from './RouterMode.js';

/** Where the learner was, kept across visits to other views (the library itself never changes). */
const remembered: { scenarios: ScenarioSummary[] | null; current: ScenarioSummary | null; index: number; mode: 'sss' | 'router'; predict: boolean } = {
  scenarios: null, current: null, index: 0, mode: 'sss', predict: false,
};

/** The library in topic order, each topic's scenarios in teaching order. */
function byTopic(list: ScenarioSummary[]): [string, ScenarioSummary[]][] {
  const groups = new Map<string, ScenarioSummary[]>();
  for (const s of list) groups.set(s.topic, [...(groups.get(s.topic) ?? []), s]);
  return [...groups.entries()];
}

export function TrainingView() {
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(remembered.scenarios);
  const [current, setCurrent] = useState<ScenarioSummary | null>(remembered.current);
  const [index, setIndex] = useState(remembered.index);
  const [step, setStep] = useState<ScenarioStep | null>(null);
  const [mode, setMode] = useState(remembered.mode);
  const [predict, setPredict] = useState(remembered.predict);

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
    remembered.predict = predict;
  }, [current, index, mode, predict]);

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
          <label className="inline-check">
            <input type="checkbox" checked={predict} onChange={(e) => setPredict(e.target.checked)} data-testid="predict-mode" /> Predict, then reveal
          </label>
          {scenarios === null ? <p>Loading…</p> : scenarios.length === 0 ? <p className="muted">No scenarios bundled.</p> : byTopic(scenarios).map(([topic, list]) => (
            <div key={topic} className="topic" data-testid="scenario-topic">
            <h3 className="topic-title">{topic}</h3>
            <ul className="plain">
              {list.map((s) => (
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
            </div>
          ))}
        </nav>
        <div className="grow">
          {!current ? (
            <p className="muted">Choose a scenario to step through it one message at a time.</p>
          ) : (
            <>
              <section className="panel">
                <h2>{current.title}</h2>
                <p className="lesson" data-testid="lesson">{step && step.id === current.id ? lessonText(current.lesson, step.earlier) : current.lesson}</p>
                <div className="row" role="toolbar" aria-label="Step">
                  <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0} data-testid="step-prev">◀ Previous</button>
                  <span data-testid="step-position">Message {Math.min(index + 1, total)} of {total}</span>
                  <span className="muted small">(← → to step)</span>
                  <button type="button" onClick={() => setIndex((i) => Math.min(total - 1, i + 1))} disabled={index >= total - 1} data-testid="step-next">Next ▶</button>
                </div>
              </section>
              {step && <StepDetail key={`${step.id}:${step.index}`} step={step} predict={predict} />}
            </>
          )}
        </div>
      </div>
      )}
    </section>
  );
}

const OUTCOME_CHOICES = [
  'NotInTrackedFolder', 'BeforeProcessEmailsFrom', 'UnsupportedPec', 'UnsupportedEncrypted', 'Duplicate', 'InvalidSender',
  'NoRecipientMatch', 'NoCorrelationMatch', 'InternalEmailReject', 'CorrelationMatch', 'SenderMatch', 'AcceptAll', 'FolderLevelTracking', 'NotProcessed',
] as const;
const METHOD_CHOICES = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'] as const;

/**
 * A lesson names the scenario's tracked emails by the ids of its scenario file ("e1", "e-old"); a trainee
 * knows them by subject, as the step shows them: each such id reads as the email's subject.
 */
function lessonText(lesson: string, earlier: readonly TrainingEmail[]): string {
  let text = lesson;
  for (const e of earlier) {
    if (e.kind !== 'tracked' || !e.id) continue;
    const id = e.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    text = text.replace(new RegExp(`(?<![\\w-])${id}(?![\\w-])`, 'g'), `“${e.subject || '(no subject)'}”`);
  }
  return text;
}

function when(date: string | null): string {
  return date ? date.slice(0, 16).replace('T', ' ') : 'no date';
}

function asRef(e: TrainingEmail): EmailRef {
  return { id: e.id, kind: e.kind, subject: e.subject, from: e.from, date: e.date };
}

function PredictionVerdict({ step, outcome, method }: { step: ScenarioStep; outcome: string; method: string }) {
  const d = step.decision;
  const right = outcome === d.outcome && method === d.correlationMethod;
  return (
    <p className={right ? 'ok-text' : 'warn-text'} data-testid="prediction-verdict">
      You predicted {outcome} by {method}: {right ? '✔ right.' : `✘ the replay says ${d.outcome} by ${d.correlationMethod}. Read the stages below to see why.`}
    </p>
  );
}

function StepDetail({ step, predict }: { step: ScenarioStep; predict: boolean }) {
  const [revealed, setRevealed] = useState(!predict);
  const [guess, setGuess] = useState<{ outcome: string; method: string } | null>(null);
  const d = step.decision;
  const expected = step.expected ? Object.entries(step.expected).filter(([k]) => k !== 'file') : [];
  const correlated = step.earlier.find((e) => e.id === d.correlatedTo);
  const refs: Record<string, EmailRef> = Object.fromEntries(step.earlier.map((e) => [e.id, asRef(e)]));
  return (
    <section className="panel" data-testid="scenario-step">
      <h2>{step.subject || '(no subject)'} <span className="muted small">{step.file}</span></h2>
      <p className="muted small">
        from {step.from ?? '—'} · mailbox {step.mailbox} / {step.folder} · processed {step.index + 1} of {step.total} (by received time)
      </p>
      <Conditions step={step} />
      {!revealed ? (
        <PredictionForm
          onReveal={(g) => {
            setGuess(g);
            setRevealed(true);
          }}
        />
      ) : (
        <>
          {guess && <PredictionVerdict step={step} outcome={guess.outcome} method={guess.method} />}
          <p>
            <span className={`outcome big o-${d.outcome}`} data-testid="step-outcome">{d.outcome}</span>{' '}
            <span className="method">method {d.correlationMethod} ({d.correlationMethodCode})</span>
            {d.correlatedTo && (
              <span data-testid="step-correlated">
                {' '}→ {correlated ? `“${correlated.subject}” · ${correlated.from ?? 'no sender'} · ${when(correlated.date)}` : d.correlatedTo}
              </span>
            )}
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
          <TraceSteps trace={step.trace} refs={refs} />
        </>
      )}
    </section>
  );
}

/** The trainee commits to an outcome and a method before the answer is shown. */
function PredictionForm({ onReveal }: { onReveal: (guess: { outcome: string; method: string }) => void }) {
  const [outcome, setOutcome] = useState('');
  const [method, setMethod] = useState('');
  return (
    <form
      className="prediction row"
      data-testid="prediction"
      onSubmit={(e) => {
        e.preventDefault();
        onReveal({ outcome, method });
      }}
    >
      <label>
        Your prediction: outcome
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="predict-outcome" required>
          <option value="">choose…</option>
          {OUTCOME_CHOICES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      <label>
        correlation method
        <select value={method} onChange={(e) => setMethod(e.target.value)} data-testid="predict-method" required>
          <option value="">choose…</option>
          {METHOD_CHOICES.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <button type="submit" data-testid="reveal">Reveal</button>
    </form>
  );
}

/** What the trainee needs to predict the outcome: the settings in force, the mailboxes, the earlier emails. */
function Conditions({ step }: { step: ScenarioStep }) {
  return (
    <details className="conditions" open data-testid="conditions">
      <summary>What this scenario runs with</summary>
      <p data-testid="step-settings">
        <strong>Settings:</strong>{' '}
        {step.settings.length === 0
          ? 'Microsoft’s defaults.'
          : step.settings.map((x) => `${x.label} (${x.name}) = ${x.value}, default ${x.default}`).join('; ')}
      </p>
      <p>
        <strong>Mailboxes:</strong> {step.mailboxes.map((b) => `${b.address} (${b.owner}): ${b.filter}`).join('; ')}
      </p>
      <div>
        <strong>Earlier emails ({step.earlier.length}):</strong>
        {step.earlier.length === 0 ? (
          <span className="muted"> none: this is the first email the replay sees.</span>
        ) : (
          <ul className="plain earlier" data-testid="earlier-emails">
            {step.earlier.map((e) => (
              <li key={`${e.kind}:${e.id}`}>
                <details data-testid="earlier-email">
                  <summary>
                    “{e.subject || '(no subject)'}” · {e.from ?? 'no sender'} · {when(e.date)}{' '}
                    <span className="muted small">{e.kind === 'tracked' ? 'tracked before the replay' : `earlier message: ${e.outcome ?? ''}`}</span>
                  </summary>
                  <dl className="facts">
                    <div><dt>Message-ID</dt><dd><code className="wrap">{e.messageId ?? '—'}</code></dd></div>
                    <div><dt>Tracking token</dt><dd>{e.token ?? '—'}</dd></div>
                    <div><dt>ConversationIndex</dt><dd><code className="wrap">{e.conversationIndex ?? '—'}</code></dd></div>
                    <div><dt>Regarding</dt><dd>{e.regarding ?? '—'}</dd></div>
                  </dl>
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
