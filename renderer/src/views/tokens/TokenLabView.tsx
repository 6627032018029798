import { useEffect, useState } from 'react';
import type { TokenPreview } from '../../../../core/contract/contract.js';
import type { TokenParts, Settings } from '../../../../core/engine/index.js';
import { call } from '../../api.js';
import { TokenLegend, TokenPartsView } from '../../components/TokenPartsView.js';
import { attempt, baselineProfile } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { SettingInput } from '../settings/SettingInput.js';
import { SETTING_GROUPS } from '../settings/settingsGroups.js';

const TOKEN_FIELDS = SETTING_GROUPS.flatMap((g) => g.fields).filter((f) =>
  ['trackingprefix', 'trackingprefixhistory', 'trackingtokenidbase', 'trackingtokeniddigits', 'maximumtrackingnumber', 'simTokenSeparator', 'simTokenPosition'].includes(f.name),
);

export function TokenLabView() {
  const profiles = useAppStore((s) => s.profiles);
  const [settings, setSettings] = useState<Settings>(() => ({ ...baselineProfile().settings }));
  const [userNumber, setUserNumber] = useState(1);
  const [startCounter, setStartCounter] = useState(995);
  const [count, setCount] = useState(8);
  const [preview, setPreview] = useState<TokenPreview | null>(null);
  const [subject, setSubject] = useState('RE: Quote for the new office CRM:0001998');
  const [parsed, setParsed] = useState<TokenParts[] | null>(null);

  useEffect(() => {
    setSettings({ ...baselineProfile().settings });
  }, [profiles]);

  useEffect(() => {
    let live = true;
    void attempt(() => call('tokens.preview', { settings, userNumber, startCounter, count })).then((p) => {
      if (live && p) setPreview(p);
    });
    return () => {
      live = false;
    };
  }, [settings, userNumber, startCounter, count]);

  return (
    <section className="view tokens" aria-labelledby="tokens-lab-title" data-testid="token-lab">
      <h1 id="tokens-lab-title">Token lab</h1>
      <div className="row top">
        <fieldset className="panel">
          <legend>Token settings (not saved)</legend>
          {TOKEN_FIELDS.map((field) => (
            <div key={field.name} className="setting">
              <label htmlFor={`setting-${field.name}`}>{field.label} <code className="muted small">{field.name}</code></label>
              <SettingInput field={field} value={settings[field.name]} onChange={(v) => setSettings((s) => ({ ...s, [field.name]: v }))} />
            </div>
          ))}
          <div className="setting">
            <label>User number n <input type="number" min={0} value={userNumber} onChange={(e) => setUserNumber(Number(e.target.value) || 0)} data-testid="token-user" /></label>
          </div>
          <div className="setting">
            <label>Start counter <input type="number" min={0} value={startCounter} onChange={(e) => setStartCounter(Number(e.target.value) || 0)} data-testid="token-start" /></label>
          </div>
          <div className="setting">
            <label>How many <input type="number" min={1} max={200} value={count} onChange={(e) => setCount(Math.min(200, Math.max(1, Number(e.target.value) || 1)))} /></label>
          </div>
        </fieldset>
        <section className="panel grow" aria-labelledby="gen-title">
          <h2 id="gen-title">Generated tokens</h2>
          <TokenLegend />
          {preview && (
            <ol className="plain tokens-list" data-testid="token-preview">
              {preview.tokens.map((t, i) => (
                <li key={i} className={t.wrapped ? 'wrapped' : ''}>
                  <TokenPartsView parts={t.parts} /> {t.wrapped && <span className="badge warn">counter wrapped</span>}
                </li>
              ))}
            </ol>
          )}
          {preview && preview.collisions.length > 0 && (
            <>
              <h3>Collisions with tracked conversations</h3>
              <ul data-testid="token-collisions">
                {preview.collisions.map((c) => (
                  <li key={c.token}><code>{c.token}</code> is already the token of {c.trackedIds.join(', ')}</li>
                ))}
              </ul>
            </>
          )}
          {preview && preview.collisions.length === 0 && <p className="muted">No generated token collides with a tracked conversation.</p>}
          <h2>Parse a subject</h2>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void attempt(() => call('tokens.parse', { subject, settings })).then((p) => setParsed(p ?? null));
            }}
          >
            <input className="grow" value={subject} onChange={(e) => setSubject(e.target.value)} aria-label="Subject to parse" data-testid="token-subject" />
            <button type="submit" data-testid="token-parse">Parse</button>
          </form>
          {parsed && (
            <div data-testid="token-parsed">
              {parsed.length === 0 ? <p>No token found with these settings.</p> : parsed.length > 1 && <p className="muted small">{parsed.length} readings: the digits fit more than one user-number/counter split.</p>}
              {parsed.length > 0 && parsed.map((p, i) => <p key={i}><TokenPartsView parts={p} explain /></p>)}
            </div>
          )}
        </section>
      </div>
    </section>
  );
}
