// "Save as scenario" on the Message view: the case export of core/node/case, replayed on save. It says
// plainly whether the scenario reaches the same decision, and lists the differences when it does not.
import { useState } from 'react';
import type { CaseExportView } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { attempt } from '../../store/actions.js';

const INLINE = { flexDirection: 'row', alignItems: 'baseline', gap: '0.4rem' } as const;

export function SaveCase({ messageKey, decided }: { messageKey: string; decided: boolean }) {
  const [open, setOpen] = useState(false);
  const [out, setOut] = useState('');
  const [anonymize, setAnonymize] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CaseExportView | null>(null);

  async function save() {
    setBusy(true);
    setResult(null);
    const r = await attempt(() => call('case.export', { key: messageKey, anonymize, ...(out.trim() ? { out: out.trim() } : {}) }));
    if (r) setResult(r);
    setBusy(false);
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} disabled={!decided} title={decided ? 'Write this message and what its decision rests on as a scenario folder' : 'Replay first: a case reproduces a decision'} data-testid="save-case-open">
        Save as scenario
      </button>
    );
  }
  return (
    // Inside the message header's row: the open panel takes the whole line under the buttons.
    <section className="panel save-case" style={{ flexBasis: '100%' }} aria-labelledby="save-case-title" data-testid="save-case">
      <h2 id="save-case-title">Save as scenario</h2>
      <p className="muted small">Writes the message, the earlier messages and tracked emails its decision rests on, the directory rows and mailboxes involved and the settings that differ from the defaults, then replays the scenario to check it reaches the same decision.</p>
      <div className="row">
        <label className="grow">Folder to write (new or empty; left blank, a &quot;cases&quot; folder next to the workspace)
          <input type="text" value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/new-folder" data-testid="save-case-path" />
        </label>
      </div>
      <div className="row">
        <label style={INLINE}><input type="checkbox" checked={anonymize} onChange={(e) => setAnonymize(e.target.checked)} data-testid="save-case-anonymize" /> Anonymize (addresses, names, subject words, Message-IDs; tokens and Thread-Index kept; body text removed)</label>
      </div>
      <div className="row">
        <button type="button" onClick={() => void save()} disabled={busy} data-testid="save-case-run">{busy ? 'Saving…' : 'Save and replay'}</button>
        <button type="button" onClick={() => { setOpen(false); setResult(null); }}>Close</button>
      </div>
      {result && (
        <div role="status" data-testid="save-case-result">
          <p className={result.reproduced ? 'ok-text' : 'warn-text'} data-testid="save-case-verdict">
            {result.reproduced
              ? `The scenario reaches the same decision (${result.expectedOutcome}).`
              : `The scenario does not reach the same decision: the workspace decided ${result.expectedOutcome}, the scenario ${result.replayedOutcome ?? 'nothing'}.`}
          </p>
          <p className="small">Saved to <code data-testid="save-case-dir">{result.dir}</code>: {result.messages} message{result.messages === 1 ? '' : 's'}, {result.tracked} tracked email{result.tracked === 1 ? '' : 's'}, {result.directoryRows} directory row{result.directoryRows === 1 ? '' : 's'}, {result.mailboxes} mailbox{result.mailboxes === 1 ? '' : 'es'}{result.anonymized ? ', anonymized' : ''}.</p>
          <p className="muted small">{result.settings.length ? `Settings that differ from the defaults: ${result.settings.join(', ')}.` : 'Every setting has its default value.'}</p>
          {result.differences.length > 0 && <ul className="small">{result.differences.map((d) => <li key={d}>{d}</li>)}</ul>}
        </div>
      )}
    </section>
  );
}
