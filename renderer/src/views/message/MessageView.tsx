import { useEffect, useState } from 'react';
import type { EmailRef, MessageBody, MessageDetail, ThreadIndexView } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { EmailRefLink, RefText } from '../../components/EmailRef.js';
import { SafeHtml } from '../../components/SafeHtml.js';
import { TokenLegend, TokenPartsView } from '../../components/TokenPartsView.js';
import { TraceSteps } from '../../components/TraceSteps.js';
import { attempt } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { flagLabel } from '../domain.js';
import { SaveCase } from '../mailboxes/SaveCase.js';

/** Loads one contract value for the selected key; reloads when the key or the latest run changes. */
export function useSelected<T>(load: (key: string) => Promise<T>, deps: unknown[] = []): { value: T | null; loading: boolean } {
  const key = useAppStore((s) => s.selectedKey);
  const runId = useAppStore((s) => s.workspace?.latestRunId ?? null);
  const [state, setState] = useState<{ for: string | null; value: T | null; loading: boolean }>({ for: null, value: null, loading: false });
  useEffect(() => {
    if (!key) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void attempt(() => load(key)).then((value) => {
      if (live) setState({ for: key, value: value ?? null, loading: false });
    });
    return () => {
      live = false;
    };
  }, [key, runId, ...deps]);
  return { value: state.for === key ? state.value : null, loading: state.for !== key || state.loading };
}

export function NothingSelected() {
  const setView = useAppStore((s) => s.setView);
  return (
    <section className="view empty">
      <p>No message selected. Pick one in the Messages view (Enter opens it).</p>
      <button type="button" onClick={() => setView('messages')}>Go to messages</button>
    </section>
  );
}

export function MessageView() {
  const key = useAppStore((s) => s.selectedKey);
  const setView = useAppStore((s) => s.setView);
  const { value: detail, loading } = useSelected((k) => call('messages.get', { key: k }));
  const { value: body, loading: bodyLoading } = useSelected((k) => call('messages.body', { key: k }));
  if (!key) return <NothingSelected />;
  if (!detail) return <section className="view"><p>{loading ? 'Loading…' : 'This message could not be loaded (see the error above).'}</p></section>;
  const d = detail.decision;
  return (
    <section className="view message" aria-labelledby="message-title" data-testid="message-view">
      <header className="message-head">
        {/* The row key is for navigation and tests only; users know the message by subject, sender and date. */}
        <h1 id="message-title" data-key={detail.key}>{detail.subject || '(no subject)'}</h1>
        <p className="muted">
          {detail.from ?? 'no sender'} → {detail.to.join(', ') || '—'} · {detail.date ?? 'no date'} · {detail.mailbox} / {detail.folder}
        </p>
        <div className="row">
          {d ? (
            <span className={`outcome big o-${d.outcome}`} data-testid="message-outcome">{d.outcome}</span>
          ) : (
            <span className="muted">Not replayed yet: run the replay to see a decision.</span>
          )}
          {d && <span className="method">method {d.correlationMethod} ({d.correlationMethodCode})</span>}
          {detail.flags.map((f) => <span key={f} className="flag">{flagLabel(f)}</span>)}
          <span className="spacer" />
          <button type="button" onClick={() => setView('chain')} data-testid="open-chain">Correlation chain</button>
          <button type="button" onClick={() => setView('hash')} data-testid="open-hash">Hash match</button>
          <SaveCase key={detail.key} messageKey={detail.key} decided={d !== null} />
        </div>
      </header>
      <div className="message-grid">
        <div className="col">
          <Why detail={detail} />
          {d && <DecisionFacts detail={detail} />}
        </div>
        <div className="col">
          <Tokens detail={detail} />
          <ThreadIndex view={detail.threadIndex} />
          <Body body={body} loading={bodyLoading} subject={detail.subject} />
          <Headers detail={detail} />
        </div>
      </div>
    </section>
  );
}

function Why({ detail }: { detail: MessageDetail }) {
  const d = detail.decision;
  return (
    <section className="panel" aria-labelledby="why-title" data-testid="why">
      <h2 id="why-title">Why</h2>
      {!d ? (
        <p className="muted">No decision yet.</p>
      ) : (
        <>
          {/* The explanation's first paragraph sums the decision up; the rest restates the steps below. */}
          {summaryOf(detail).map((p, i) => <p key={i} className="explanation"><RefText text={p} refs={detail.refs} names={detail.names} /></p>)}
          <TraceSteps trace={d.trace} refs={detail.refs} names={detail.names} />
        </>
      )}
    </section>
  );
}

/** The explanation paragraphs that are not one of the trace's own steps (the head and the flags). */
function summaryOf(detail: MessageDetail): string[] {
  const details = detail.decision?.trace.map((s) => s.detail).filter((d) => d.length > 0) ?? [];
  return detail.explanation.filter((p) => !details.some((d) => p.includes(d)));
}

function DecisionFacts({ detail }: { detail: MessageDetail }) {
  const d = detail.decision;
  const setCandidate = useAppStore((s) => s.setCandidate);
  const setView = useAppStore((s) => s.setView);
  if (!d) return null;
  const ref = (id: string | null) => (id ? detail.refs[id] : undefined);
  // A directory row by its name and kind ("Alice Ray (user)"); a row the workspace does not hold keeps its reference.
  const named = (entity: string | null) => (entity && detail.names[entity] ? detail.names[entity] : entity);
  const rows: [string, string | null][] = [
    ['Tracked', d.tracked ? 'yes' : 'no'],
    ['Accepting entity', named(d.acceptingEntity)],
    ['Receiving mailbox', d.receivingMailbox],
    ['Sender', named(d.sender)],
    ['Correlated to', d.correlatedTo],
    ['Parent activity', d.parent],
    ['Regarding', named(d.regarding)],
    ['Subject hashes', d.subjectHashes.join(', ') || null],
    ['Address hashes', d.addressHashes.join(', ') || null],
    ['internetmessageheaders', d.internetMessageHeaders ? JSON.stringify(d.internetMessageHeaders) : null],
  ];
  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Activity</h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              {(k === 'Correlated to' || k === 'Parent activity') && ref(v) ? (
                <EmailRefLink r={ref(v) as EmailRef} />
              ) : (
                v ?? <span className="muted">—</span>
              )}
              {k === 'Correlated to' && v && ref(v)?.kind !== 'tracked' && (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => { setCandidate(v); setView('hash'); }}>compare hashes</button>
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Tokens({ detail }: { detail: MessageDetail }) {
  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Tracking tokens</h2>
      {detail.tokens.length === 0 ? (
        <p className="muted">No tracking token in the subject.</p>
      ) : (
        <>
          <ul className="plain">{detail.tokens.map((t, i) => <li key={i}><TokenPartsView parts={t} explain /></li>)}</ul>
          <TokenLegend />
        </>
      )}
    </section>
  );
}

function ThreadIndex({ view }: { view: ThreadIndexView | null }) {
  return (
    <section className="panel" aria-labelledby="ti-title" data-testid="thread-index">
      <h2 id="ti-title">Thread-Index</h2>
      {!view ? (
        <p className="muted">No Thread-Index header.</p>
      ) : (
        <>
          <p><code className="wrap">{view.raw}</code></p>
          {!view.valid && <p className="warn-text">Not a valid Thread-Index: {view.error}</p>}
          <dl className="facts">
            <div><dt>Header time (classic)</dt><dd>{view.headerTimeClassic ?? '—'}</dd></div>
            <div><dt>Header time (modern)</dt><dd>{view.headerTimeModern ?? '—'}</dd></div>
            <div><dt>GUID</dt><dd><code>{view.guid ?? '—'}</code></dd></div>
          </dl>
          {view.children.length > 0 && (
            <table className="small">
              <thead><tr><th>#</th><th>delta code</th><th>time delta</th><th>random</th><th>time</th></tr></thead>
              <tbody>
                {view.children.map((c) => (
                  <tr key={c.index}><td>{c.index}</td><td>{c.deltaCode}</td><td>{c.timeDelta}</td><td>{c.random}</td><td>{c.time ?? '—'}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Body({ body, loading, subject }: { body: MessageBody | null; loading: boolean; subject: string }) {
  const [mode, setMode] = useState<'html' | 'text'>('html');
  if (!body) {
    return (
      <section className="panel">
        <h2>Body</h2>
        <p className="muted">{loading ? 'Loading…' : 'The body could not be read (see the error above).'}</p>
      </section>
    );
  }
  const showHtml = mode === 'html' && body.html !== null;
  return (
    <section className="panel" aria-labelledby="body-title" data-testid="message-body">
      <div className="row">
        <h2 id="body-title">Body</h2>
        <span className="spacer" />
        {body.html !== null && body.text !== null && (
          <button type="button" className="link" onClick={() => setMode(mode === 'html' ? 'text' : 'html')}>
            Show {mode === 'html' ? 'plain text' : 'HTML'}
          </button>
        )}
      </div>
      {showHtml && body.html !== null ? (
        <SafeHtml html={body.html} title={`Body of ${subject}`} />
      ) : body.text !== null ? (
        <pre className="body-text">{body.text}</pre>
      ) : (
        <p className="muted">No readable body (encrypted, opaque-signed or empty).</p>
      )}
      <p className="muted small">Remote content is blocked and scripts never run; links are shown, not followed.</p>
      {body.attachments.length > 0 && (
        <>
          <h3>Attachments (listed, never opened)</h3>
          <ul className="plain" data-testid="attachments">
            {body.attachments.map((a, i) => (
              <li key={i}>{a.filename ?? '(unnamed)'} <span className="muted">{a.contentType}, {a.size.toLocaleString('en')} bytes</span></li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Headers({ detail }: { detail: MessageDetail }) {
  return (
    <details className="panel">
      <summary><h2 className="inline">Headers ({detail.headers.length})</h2></summary>
      <dl className="facts">
        <div><dt>Message-ID</dt><dd><code>{detail.messageId ?? '— (missing; never invented)'}</code></dd></div>
        <div><dt>In-Reply-To</dt><dd><code>{detail.inReplyTo ?? '—'}</code></dd></div>
        <div><dt>References</dt><dd><code className="wrap">{detail.references.join(' ') || '—'}</code></dd></div>
        <div><dt>Source</dt><dd><code className="wrap">{detail.source.file}</code> @{detail.source.offset} ({detail.source.length} bytes)</dd></div>
      </dl>
      <table className="small headers">
        <tbody>
          {detail.headers.map((h, i) => (
            <tr key={i}><th>{h.name}</th><td>{h.value}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
