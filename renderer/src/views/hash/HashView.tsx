import { useEffect, useRef, useState } from 'react';
import type { HashSide, NearMiss } from '../../../../core/contract/contract.js';
import { ApiError, call } from '../../api.js';
import { useAppStore } from '../../store/index.js';
import { NothingSelected, useSelected } from '../message/MessageView.js';

function when(date: string | null): string {
  return date ? date.slice(0, 16).replace('T', ' ') : 'no date';
}

const ORIGIN: Record<NearMiss['origin'], string> = {
  'before replay': 'tracked before the replay',
  'this run': 'tracked earlier in this run',
  'not tracked': 'not tracked',
};

/**
 * Smart matching's view of one message (SIMULATOR §3.2): the tracked emails it came closest to, ranked,
 * each with what it misses by; picking one (or searching by subject or sender) shows the two side by side.
 */
export function HashView() {
  const key = useAppStore((s) => s.selectedKey);
  const candidateId = useAppStore((s) => s.candidateId);
  const setCandidate = useAppStore((s) => s.setCandidate);
  const showSetting = useAppStore((s) => s.showSetting);
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const { value: near, loading: nearLoading } = useSelected((k) => call('hash.nearMisses', { key: k, candidateId, ...(search ? { text: search } : {}) }), [candidateId, search]);
  // Without a candidate the engine compares with the correlated email; a message that has none is the
  // normal case here (pick one from the list), so that answer is not an error banner.
  const { value: view, loading } = useSelected(async (k) => {
    try {
      return await call('hash.match', { key: k, candidateId });
    } catch (error) {
      if (candidateId === null && error instanceof ApiError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }, [candidateId]);
  // A pick further down the page brings the comparison (drawn above the list) into view once it is there.
  const scrollToCompare = useRef(false);
  useEffect(() => {
    if (!view || !scrollToCompare.current) return;
    scrollToCompare.current = false;
    document.getElementById('hash-compare-title')?.scrollIntoView({ block: 'start' });
  }, [view]);
  if (!key) return <NothingSelected />;
  const pick = (m: NearMiss) => {
    scrollToCompare.current = true;
    setCandidate(m.id);
  };
  return (
    <section className="view hash" aria-labelledby="hash-title" data-testid="hash-view">
      <h1 id="hash-title">Hash match</h1>
      {near && (
        <p data-testid="hash-message">
          “{near.message.subject || '(no subject)'}” · {near.message.from ?? 'no sender'} · {when(near.message.date)}
          {near.message.outcome && <> · <span className="badge">{near.message.outcome}</span></>}
          {near.run && <span className="muted small"> (run “{near.run.profileName}”: subject rule {near.rule}, delta {near.delta}, at least {near.minAddresses} shared addresses{near.windowDays > 0 ? `, ${near.windowDays}-day window` : ''})</span>}
        </p>
      )}
      {near?.note && <p className="verdict no" role="note" data-testid="hash-note">{near.note}</p>}
      {near?.error && <p className="verdict no" data-testid="hash-error">{near.error}</p>}

      {view && (
        <section className="panel" aria-labelledby="hash-compare-title" data-testid="hash-compare">
          <h2 id="hash-compare-title">Side by side</h2>
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
            <Side title="Message" side={view.message} about={near ? near.message : null} />
            <Side title="Candidate" side={view.candidate} about={near?.selected ?? null} />
          </div>
        </section>
      )}
      {!view && !loading && near && near.nearest.length > 0 && <p className="muted" data-testid="hash-hint">Pick an email below to compare its hashes with this message side by side.</p>}

      <section className="panel" aria-labelledby="near-title" data-testid="near-misses">
        <h2 id="near-title">Nearest tracked emails</h2>
        {!near ? (
          <p className="muted">{nearLoading ? 'Loading…' : 'No list available (see the message above).'}</p>
        ) : (
          <>
            <p className="muted small" data-testid="near-count">
              {near.candidateCount === 0
                ? 'No email was tracked when this message was processed, so smart matching had nothing to compare it with.'
                : `${near.candidateCount} tracked email${near.candidateCount === 1 ? ' was' : 's were'} there to compare when this message was processed; ${near.sharingCount} share${near.sharingCount === 1 ? 's' : ''} a subject word or an address with it. Closest first: fewest failing conditions, then most shared words and addresses.`}
            </p>
            {near.candidateCount > 0 && <NearList items={near.nearest} selected={near.selected} onPick={pick} testId="near-miss" />}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="hash-search-title">
        <h2 id="hash-search-title">Compare with another email</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(searchInput.trim());
          }}
        >
          <label>
            Subject or sender contains{' '}
            <input value={searchInput} onChange={(e) => setSearchInput(e.target.value)} data-testid="hash-search" spellCheck={false} />
          </label>
          <button type="submit" data-testid="hash-search-go">Search</button>
          {search && <button type="button" className="link" onClick={() => { setSearch(''); setSearchInput(''); }}>Clear search</button>}
        </form>
        <p className="muted small">Searches the tracked emails and every other message of the workspace; one that was not tracked when this message was processed says so.</p>
        {near?.search && (near.search.length === 0
          ? <p data-testid="hash-search-empty">No tracked email or message has “{search}” in its subject or sender.</p>
          : <NearList items={near.search} selected={near.selected} onPick={pick} testId="hash-search-result" />)}
      </section>
    </section>
  );
}

function NearList({ items, selected, onPick, testId }: { items: NearMiss[]; selected: NearMiss | null; onPick: (m: NearMiss) => void; testId: string }) {
  const showSetting = useAppStore((s) => s.showSetting);
  if (items.length === 0) return <p data-testid={`${testId}-empty`}>No tracked email shares a subject word or an address with this message.</p>;
  return (
    <ol className="plain near-list">
      {items.map((m) => (
        <li
          key={m.id}
          className={`panel${selected?.id === m.id ? ' selected' : ''}`}
          data-testid={testId}
          aria-current={selected?.id === m.id ? 'true' : undefined}
          style={selected?.id === m.id ? { borderColor: 'var(--accent)', boxShadow: '0 0 0 1px var(--accent)' } : undefined}
        >
          <div className="row">
            <button type="button" className="link email-ref" onClick={() => onPick(m)} data-testid={`${testId}-open`} title="Compare this email's hashes with the message, side by side">
              “{m.subject || '(no subject)'}” · {m.from ?? 'no sender'} · {when(m.date)}
            </button>
            <span className={`badge ${m.failing === 0 ? 'ok' : 'bad'}`} data-testid={`${testId}-verdict`}>
              {m.failing === 0 ? 'meets every condition' : `misses ${m.failing} condition${m.failing === 1 ? '' : 's'}`}
            </span>
            <span className="muted small">{ORIGIN[m.origin]}</span>
          </div>
          <ul className="plain small">
            {m.criteria.map((c) => (
              <li key={c.kind} data-testid={`${testId}-criterion`} data-ok={c.ok}>
                {c.ok ? '✔' : '✘'} {c.text}
                {!c.ok && c.setting && <>{' '}<button type="button" className="link setting-link" onClick={() => showSetting(c.setting as string)}>{c.setting}</button></>}
              </li>
            ))}
          </ul>
          {(m.sharedWords.length > 0 || m.sharedAddresses.length > 0) && (
            <p className="muted small">
              Shares {m.sharedWords.length > 0 ? <>the words {m.sharedWords.map((w) => `“${w}”`).join(', ')}</> : 'no subject word'}
              {m.sharedAddresses.length > 0 ? ` and ${m.sharedAddresses.join(', ')}` : ' and no address'}.
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function Side({ title, side, about }: { title: string; side: HashSide; about: { subject: string; from: string | null; date: string | null } | null }) {
  const showSetting = useAppStore((s) => s.showSetting);
  return (
    <section className="panel" aria-label={title} data-testid={`hash-side-${title.toLowerCase()}`}>
      <h2>{title}</h2>
      <p className="small" data-testid="hash-side-about">
        “{side.subject || '(no subject)'}”{about && about.subject === side.subject ? ` · ${about.from ?? 'no sender'} · ${when(about.date)}` : ''}
      </p>
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

