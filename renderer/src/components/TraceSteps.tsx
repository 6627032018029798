import type { EmailRef } from '../../../core/contract/contract.js';
import type { TraceStep } from '../../../core/engine/index.js';
import { useAppStore } from '../store/index.js';
import { EmailRefLink, RefText } from './EmailRef.js';

/**
 * The decision's trace as numbered steps; each setting that decided links to its editor, and each email a
 * step names is shown by subject, sender and date when `refs` knows it.
 */
export function TraceSteps({ trace, refs, names }: { trace: TraceStep[]; refs?: Record<string, EmailRef>; names?: Record<string, string> }) {
  const showSetting = useAppStore((s) => s.showSetting);
  return (
    <ol className="trace" data-testid="trace">
      {trace.map((step, i) => (
        <li key={i} className={`trace-step result-${step.result.replace(/\s+/g, '-')}`} data-testid="trace-step">
          <div className="trace-head">
            <span className="stage">{step.stage}</span>
            <span className="result">{step.result}</span>
            {step.undocumented && (
              <span className="badge warn" title="This step rested on an undocumented default of SIMULATOR.md">
                undocumented default
              </span>
            )}
          </div>
          <p><RefText text={step.detail} refs={refs} names={names} /></p>
          {step.data && Object.keys(step.data).length > 0 && (
            <details className="trace-data">
              <summary>Facts compared</summary>
              <dl className="facts">
                {Object.entries(step.data).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>
                      {typeof v === 'string' && refs?.[v] ? (
                        <EmailRefLink r={refs[v]} />
                      ) : (
                        <code className="wrap">{typeof v === 'string' ? v : JSON.stringify(v)}</code>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </details>
          )}
          {step.settings && step.settings.length > 0 && (
            <p className="trace-settings">
              Decided by:{' '}
              {step.settings.map((name) => (
                <button key={name} type="button" className="link setting-link" onClick={() => showSetting(name)} data-testid="setting-link">
                  {name}
                </button>
              ))}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
