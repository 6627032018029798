import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { RouterComparison, RouterScenarioSummary, RouterStepView } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { attempt } from '../../store/actions.js';

const PRESETS = [
  { name: 'crm3', label: 'CRM 3.0 (token only)' },
  { name: 'crm4', label: 'CRM 4.0 (smart matching)' },
];

const remembered: { list: RouterScenarioSummary[] | null; id: string | null; index: number; preset: string | null } = { list: null, id: null, index: 0, preset: null };

/**
 * The E-mail Router sink mailbox (CRM 3.0/4.0, seed 003) one message at a time: how the message
 * reached the sink, CheckIncomingEmail (ShouldDeliver, ReasonCode) and DeliverIncomingEmail as two
 * separate stages, and the sink mailbox as the admin saw it after that message.
 */
export function RouterMode() {
  const id = useId();
  const [list, setList] = useState<RouterScenarioSummary[] | null>(remembered.list);
  const [current, setCurrent] = useState<string | null>(remembered.id);
  const [index, setIndex] = useState(remembered.index);
  const [preset, setPreset] = useState<string | null>(remembered.preset);
  const [step, setStep] = useState<RouterStepView | null>(null);
  const [comparison, setComparison] = useState<RouterComparison | null>(null);

  useEffect(() => {
    if (remembered.list) return;
    void attempt(() => call('router.list', {})).then((l) => {
      remembered.list = l ?? [];
      setList(remembered.list);
    });
  }, []);
  useEffect(() => {
    Object.assign(remembered, { id: current, index, preset });
  }, [current, index, preset]);
  useEffect(() => {
    if (!current) return;
    let live = true;
    void attempt(() => call('router.step', { id: current, index, ...(preset ? { preset: preset as 'crm3' } : {}) })).then((s) => {
      if (live) setStep(s ?? null);
    });
    return () => {
      live = false;
    };
  }, [current, index, preset]);

  const scenario = list?.find((s) => s.id === current) ?? null;
  const total = step?.total ?? scenario?.messageCount ?? 0;
  const era = preset ?? scenario?.preset ?? 'crm3';

  async function compare() {
    if (!scenario) return;
    const other = era === 'crm3' ? 'crm4' : 'crm3';
    const r = await attempt(() => call('router.compare', { id: scenario.id, before: era as 'crm3', after: other as 'crm3' }));
    if (r) setComparison(r);
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (!scenario || e.target instanceof HTMLSelectElement) return;
    if (e.key === 'ArrowRight') setIndex((i) => Math.min(total - 1, i + 1));
    else if (e.key === 'ArrowLeft') setIndex((i) => Math.max(0, i - 1));
    else return;
    e.preventDefault();
  }

  return (
    <div className="row top" onKeyDown={onKeyDown} data-testid="router-mode">
      <nav className="panel scenario-list" aria-label="Router scenarios">
        <h2>Router scenarios</h2>
        {list === null ? <p>Loading…</p> : list.length === 0 ? <p className="muted">No router scenarios bundled.</p> : (
          <ul className="plain">
            {list.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`scenario${current === s.id ? ' current' : ''}`}
                  aria-current={current === s.id}
                  disabled={s.error !== undefined}
                  onClick={() => {
                    setCurrent(s.id);
                    setIndex(0);
                    setPreset(null);
                    setStep(null);
                    setComparison(null);
                  }}
                  data-testid="router-scenario"
                >
                  <strong>{s.title}</strong>
                  <span className="muted small">{s.messageCount} message{s.messageCount === 1 ? '' : 's'} · preset {s.preset}</span>
                  {s.error && <span className="warn-text small">Does not load: {s.error}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <div className="grow">
        {!scenario ? <p className="muted">Choose a router scenario to watch the E-mail Router process its sink mailbox one message at a time.</p> : (
          <>
            <section className="panel">
              <h2>{scenario.title}</h2>
              <p className="lesson" data-testid="router-lesson">{scenario.lesson}</p>
              <div className="row" role="toolbar" aria-label="Step">
                <button type="button" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0} data-testid="router-prev">◀ Previous</button>
                <span data-testid="router-position">Message {Math.min(index + 1, total)} of {total}</span>
                <span className="muted small">(← → to step)</span>
                <button type="button" onClick={() => setIndex((i) => Math.min(total - 1, i + 1))} disabled={index >= total - 1} data-testid="router-next">Next ▶</button>
                <span className="spacer" />
                <label htmlFor={`${id}-preset`} className="inline-check">Preset
                  <select id={`${id}-preset`} value={era} onChange={(e) => setPreset(e.target.value)} data-testid="router-preset">
                    {[...PRESETS, ...(PRESETS.some((p) => p.name === scenario.preset) ? [] : [{ name: scenario.preset, label: scenario.preset }])].map((p) => (
                      <option key={p.name} value={p.name}>{p.label}{p.name === scenario.preset ? ' — scenario' : ''}</option>
                    ))}
                  </select>
                </label>
                <button type="button" onClick={() => void compare()} data-testid="router-compare">Compare with {era === 'crm3' ? 'crm4' : 'crm3'}</button>
              </div>
            </section>
            {comparison && <RouterDiff comparison={comparison} />}
            {step && <RouterStep step={step} sink={scenario.sink} />}
          </>
        )}
      </div>
    </div>
  );
}

function StageSteps({ step, stages }: { step: RouterStepView; stages: string[] }) {
  const steps = step.decision.trace.filter((t) => stages.includes(t.stage));
  return (
    <ol className="trace">
      {steps.map((t, i) => (
        <li key={i} className={`trace-step result-${t.result.replace(/\s+/g, '-')}`}>
          <div className="trace-head"><span className="stage">{t.stage}</span><span className="result">{t.result}</span>{t.undocumented && <span className="badge warn">undocumented</span>}</div>
          <p>{t.detail}</p>
          {t.settings && t.settings.length > 0 && <p className="trace-settings">Decided by: {t.settings.join(', ')}</p>}
        </li>
      ))}
    </ol>
  );
}

function RouterStep({ step, sink }: { step: RouterStepView; sink: string }) {
  const d = step.decision;
  return (
    <>
      <section className="panel" data-testid="router-step">
        <h2>{d.subject || '(no subject)'} <span className="muted small">{d.key}</span></h2>
        <p className="small">
          <span className="badge">{d.forward} forward</span>
          {d.forwardedBy && <> by {d.forwardedBy}</>} · preset {step.preset} · Message-ID <code>{d.messageId ?? '—'}</code>
          {d.flags.map((f) => <span key={f} className="badge warn flag-gap">{f}</span>)}
        </p>
        <div className="router-stages">
          <div className="stage-box" data-testid="router-check">
            <h3>Check — CheckIncomingEmail</h3>
            {d.check ? (
              <dl className="facts">
                <div><dt>ShouldDeliver</dt><dd data-testid="router-should-deliver"><span className={d.check.shouldDeliver ? 'badge ok' : 'badge bad'}>{String(d.check.shouldDeliver)}</span></dd></div>
                <div><dt>ReasonCode</dt><dd data-testid="router-reason">{d.check.reasonCode} {d.check.reasonName}</dd></div>
              </dl>
            ) : <p className="muted" data-testid="router-reason">Never checked: the message went to Undeliverable first.</p>}
            <StageSteps step={step} stages={['Receive', 'Unwrap', 'Check']} />
          </div>
          <div className="stage-box" data-testid="router-deliver">
            <h3>Deliver — DeliverIncomingEmail</h3>
            <dl className="facts">
              <div><dt>Fate</dt><dd data-testid="router-fate"><span className={`badge fate-${d.fate}`}>{d.fate}</span></dd></div>
              <div><dt>Correlation</dt><dd>{d.correlationMethod}{d.correlatedTo ? ` → ${d.correlatedTo}` : ''}</dd></div>
              <div><dt>Regarding</dt><dd>{d.regarding ?? '—'}</dd></div>
              {d.undeliverableReason && <div><dt>Undeliverable because</dt><dd>{d.undeliverableReason}</dd></div>}
            </dl>
            <StageSteps step={step} stages={['Deliver', 'Sink', 'Correlate', 'Resolve', 'Accept', 'Record']} />
          </div>
        </div>
        {step.mismatches.length > 0 ? (
          <p className="warn-text small" data-testid="router-expected">✘ The scenario expects otherwise: {step.mismatches.map((m) => `${m.key} = ${JSON.stringify(m.expected)} (got ${JSON.stringify(m.actual)})`).join(', ')}</p>
        ) : <p className="ok-text small" data-testid="router-expected">✔ The replay agrees with the scenario&apos;s expectations for this message.</p>}
      </section>
      <section className="panel" aria-label="Sink mailbox" data-testid="router-sink">
        <h2>Sink mailbox {sink} after message {step.index + 1}</h2>
        <div className="sink-columns">
          <div>
            <h3>Inbox ({step.sink.inbox.length})</h3>
            <ul className="plain" data-testid="sink-inbox">{step.sink.inbox.map((k) => <li key={k}><code>{k}</code></li>)}</ul>
          </div>
          <div>
            <h3>Removed ({step.sink.removed.length})</h3>
            <ul className="plain" data-testid="sink-removed">{step.sink.removed.map((k) => <li key={k}><code>{k}</code></li>)}</ul>
          </div>
          <div>
            <h3>Undeliverable ({step.sink.undeliverable.length})</h3>
            <ul className="plain" data-testid="sink-undeliverable">{step.sink.undeliverable.map((u) => <li key={u.key}><code>{u.key}</code><br /><span className="small muted">{u.reason}</span></li>)}</ul>
          </div>
        </div>
      </section>
    </>
  );
}

function RouterDiff({ comparison }: { comparison: RouterComparison }) {
  return (
    <section className="panel" data-testid="router-diff">
      <h2>{comparison.before} → {comparison.after}: {comparison.changed.length} message{comparison.changed.length === 1 ? '' : 's'} change, {comparison.unchanged.length} do not</h2>
      {comparison.changed.length > 0 && (
        <table className="small">
          <thead><tr><th>message</th><th>what changed and why</th></tr></thead>
          <tbody>{comparison.changed.map((c) => <tr key={c.key} data-testid="router-diff-row"><td><code>{c.key}</code></td><td>{c.summary}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
