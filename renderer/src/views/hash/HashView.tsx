import { useState } from 'react';
import type { HashSide } from '../../../../core/contract/contract.js';
import { ApiError, call } from '../../api.js';
import { useAppStore } from '../../store/index.js';
import { NothingSelected, useSelected } from '../message/MessageView.js';

export function HashView() {
  const key = useAppStore((s) => s.selectedKey);
  const candidateId = useAppStore((s) => s.candidateId);
  const setCandidate = useAppStore((s) => s.setCandidate);
  const showSetting = useAppStore((s) => s.showSetting);
  const [candidateInput, setCandidateInput] = useState(candidateId ?? '');
  // Without a candidate the engine compares with the correlated email; a message that has none is
  // the normal case here, so that answer is shown inline as a hint rather than as an error banner.
  const [hint, setHint] = useState<string | null>(null);
  const { value: view, loading } = useSelected(async (k) => {
    setHint(null);
    try {
      return await call('hash.match', { key: k, candidateId });
    } catch (error) {
      if (candidateId === null && error instanceof ApiError && error.code === 'NOT_FOUND') {
        setHint(error.message);
        return null;
      }
      throw error;
    }
  }, [candidateId]);
  if (!key) return <NothingSelected />;
  return (
    <section className="view hash" aria-labelledby="hash-title" data-testid="hash-view">
      <h1 id="hash-title">Hash match</h1>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setCandidate(candidateInput.trim() || null);
        }}
      >
        <label>
          Candidate tracked email (empty: the engine's best candidate)
          <input value={candidateInput} onChange={(e) => setCandidateInput(e.target.value)} data-testid="hash-candidate" />
        </label>
        <button type="submit">Compare</button>
      </form>
      {!view ? (
        <p data-testid="hash-hint">{loading ? 'Loading…' : hint ? `${hint} Type a tracked email id or a message key above.` : 'No comparison available.'}</p>
      ) : (
        <>
          <div className={`verdict ${view.verdict ? 'yes' : 'no'}`} data-testid="hash-verdict" role="status">
            <strong>{view.verdict ? 'Smart matching would correlate these' : 'Smart matching would not correlate these'}</strong>
            <p>{view.explanation}</p>
          </div>
          <dl className="facts">
            <div>
              <dt>Subject rule {view.rule}</dt>
              <dd>{view.subjectVerdict.matches ? '✔ ' : '✘ '}{view.subjectVerdict.reason}</dd>
            </div>
            <div>
              <dt>Addresses</dt>
              <dd data-testid="address-overlap">
                {view.addressOverlap} shared, need at least {view.minAddressCount}{' '}
                <button type="button" className="link setting-link" onClick={() => showSetting('hashminaddresscount')}>hashminaddresscount</button>{' '}
                {view.addressOverlap >= view.minAddressCount ? '✔' : '✘'}
              </dd>
            </div>
          </dl>
          <div className="side-by-side">
            <Side title="Message" side={view.message} />
            <Side title="Candidate" side={view.candidate} />
          </div>
        </>
      )}
    </section>
  );
}

function Side({ title, side }: { title: string; side: HashSide }) {
  const showSetting = useAppStore((s) => s.showSetting);
  return (
    <section className="panel" aria-label={title} data-testid={`hash-side-${title.toLowerCase()}`}>
      <h2>{title} <span className="muted small">{side.id}</span></h2>
      <p className="subject-split">
        <span className="muted">Subject:</span> <span className="stripped" title="removed by HashFilterKeywords">{side.strippedPrefix}</span>
        <span className="remainder">{side.remainder}</span>
      </p>
      <p className="muted small">
        Struck-through text is what{' '}
        <button type="button" className="link setting-link" onClick={() => showSetting('hashfilterkeywords')}>hashfilterkeywords</button> removed.
      </p>
      <table className="small">
        <thead><tr><th>word</th><th>hash</th><th>in both</th></tr></thead>
        <tbody>
          {side.words.map((w, i) => (
            <tr key={i} className={w.shared ? 'shared' : 'missing'}>
              <td>{w.word}</td><td><code>{w.hash}</code></td><td>{w.shared ? 'shared' : 'missing'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="small">
        <thead><tr><th>address</th><th>hash</th><th>in both</th></tr></thead>
        <tbody>
          {side.addresses.map((a, i) => (
            <tr key={i} className={a.shared ? 'shared' : 'missing'}>
              <td>{a.address}</td><td><code>{a.hash}</code></td><td>{a.shared ? 'shared' : 'missing'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
