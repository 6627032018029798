import { useEffect, useMemo, useRef, useState } from 'react';
import type { WhatIfExplainView } from '../../../../core/contract/contract.js';
import { type Settings, validateSettings } from '../../../../core/engine/index.js';
import { call, newJobId } from '../../api.js';
import { attempt, baselineProfile, loadProfiles, runReplay } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { NoWorkspace } from '../messages/MessagesView.js';
import { FieldError, SettingInput, inlineError, rawNumberError, same } from './SettingInput.js';
import { SETTING_GROUPS, type SettingField } from './settingsGroups.js';
import { ApplyKitPanel } from './ApplyKitPanel.js';
import { PresetsPanel } from './PresetsPanel.js';
import { ReportExport } from '../../components/ReportExport.js';

const PROPOSAL = 'what-if';

const FIELDS: SettingField[] = SETTING_GROUPS.flatMap((g) => g.fields);

/** The explained what-if of the latest run, kept while the view is switched away (like the store's whatIf). */
const explained: { current: WhatIfExplainView | null } = { current: null };

export function SettingsView() {
  const workspace = useAppStore((s) => s.workspace);
  const profiles = useAppStore((s) => s.profiles);
  const draft = useAppStore((s) => s.draft);
  const editDraft = useAppStore((s) => s.editDraft);
  const setDraft = useAppStore((s) => s.setDraft);
  const whatIf = useAppStore((s) => s.whatIf);
  const setWhatIf = useAppStore((s) => s.setWhatIf);
  const focusSetting = useAppStore((s) => s.focusSetting);
  const [busy, setBusy] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const progress = useAppStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const finishJob = useAppStore((s) => s.finishJob);
  const [explain, setExplain] = useState<WhatIfExplainView | null>(whatIf ? explained.current : null);
  // Number fields whose text is not a whole number yet (empty while retyped): kept here, never in the
  // draft, so a cleared field is "not set yet" instead of 0.
  const [raw, setRaw] = useState<Partial<Record<keyof Settings, string>>>({});
  const banners = useAppStore((s) => s.banners);
  const dismissBanner = useAppStore((s) => s.dismissBanner);
  // The draft as this view last wrote it: a draft replaced elsewhere (Revert, a preset, a workspace
  // opened) drops the half-typed numbers, which belonged to the old one.
  const ownDraft = useRef<Settings | null>(null);
  useEffect(() => {
    if (draft !== ownDraft.current) setRaw({});
  }, [draft]);
  const edit = <K extends keyof Settings>(name: K, value: Settings[K]) => {
    editDraft(name, value);
    ownDraft.current = useAppStore.getState().draft;
  };
  // Every field checked as it is typed, by the engine's own rules (validateSettings: ranges, the
  // .NET regex of HashFilterKeywords with the position of the problem).
  const fieldErrors = useMemo(() => {
    const out: Partial<Record<keyof Settings, { text: string; position: number | null }>> = {};
    if (!draft) return out;
    const v = validateSettings(draft);
    if (!v.ok) for (const e of v.errors) out[e.key as keyof Settings] ??= inlineError(e.key, e.value, e.message);
    for (const field of FIELDS) {
      const text = raw[field.name];
      if (text !== undefined) out[field.name] = { text: rawNumberError(field, text), position: null };
    }
    return out;
  }, [draft, raw]);
  const invalidCount = Object.keys(fieldErrors).length;
  // A "Settings need a fix" banner from an earlier save goes once every field is valid again.
  useEffect(() => {
    if (invalidCount > 0) return;
    for (const b of banners) if (b.code === 'SETTINGS_INVALID' || (b.code === 'INVALID_INPUT' && b.message.startsWith('Invalid input for settings.save'))) dismissBanner(b.id);
  }, [invalidCount, banners, dismissBanner]);

  useEffect(() => {
    if (workspace && profiles.length === 0) void loadProfiles();
  }, [workspace, profiles.length]);

  // A "Decided by" link in a trace lands here: bring that setting into view and focus it.
  useEffect(() => {
    if (!focusSetting || !draft) return;
    const el = document.getElementById(`setting-${focusSetting}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
    el?.closest('.setting')?.classList.add('flash');
  }, [focusSetting, draft]);

  if (!workspace) return <NoWorkspace />;
  if (!draft) return <section className="view"><p>Loading settings…</p></section>;
  const baseline = baselineProfile();
  const changed = (Object.keys(draft) as (keyof Settings)[]).filter((k) => !same(draft[k], baseline.settings[k]));

  async function runWhatIf() {
    if (!draft) return;
    setBusy('Running what-if…');
    const saved = await attempt(() => call('settings.save', { name: PROPOSAL, settings: draft }));
    if (saved) {
      const id = newJobId('whatif');
      setJobId(id);
      const result = await attempt(() => call('whatif.run', { baseline: baseline.name, proposal: PROPOSAL, jobId: id }));
      finishJob(id);
      setJobId(null);
      if (result) {
        setWhatIf(result);
        // Causes proven by replay (each change alone and left out) and links graded: the extra replays reuse
        // the engine's cache, so this costs far less than the runs just stored.
        setBusy('Finding the cause of each change…');
        const id2 = newJobId('whatif');
        setJobId(id2);
        const e = await attempt(() => call('whatif.explain', { baseline: baseline.name, proposal: PROPOSAL, jobId: id2 }));
        finishJob(id2);
        setJobId(null);
        explained.current = e ?? null;
        setExplain(e ?? null);
      }
    }
    setBusy(null);
  }

  async function apply() {
    if (!draft) return;
    setBusy('Applying and replaying…');
    const saved = await attempt(() => call('settings.save', { name: baseline.name, settings: draft, baseline: true }));
    if (saved) {
      await loadProfiles();
      await runReplay();
      setWhatIf(null);
      explained.current = null;
      setExplain(null);
    }
    setBusy(null);
  }

  return (
    <section className="view settings" aria-labelledby="settings-title" data-testid="settings-view">
      <h1 id="settings-title">Settings and what-if</h1>
      <div className="settings-bar row">
        <span data-testid="changed-count">
          {changed.length === 0 ? `Same as baseline “${baseline.name}”.` : `${changed.length} changed against baseline “${baseline.name}”.`}
        </span>
        <span className="spacer" />
        {invalidCount > 0 && (
          <span className="badge bad" data-testid="settings-invalid-count">
            {invalidCount === 1 ? '1 setting needs a fix' : `${invalidCount} settings need a fix`} (marked below)
          </span>
        )}
        <button type="button" onClick={() => { setRaw({}); setDraft({ ...baseline.settings }); }} disabled={changed.length === 0 && Object.keys(raw).length === 0}>Revert</button>
        <button type="button" onClick={() => void runWhatIf()} disabled={changed.length === 0 || busy !== null || invalidCount > 0} data-testid="run-whatif" title={invalidCount > 0 ? 'Fix the settings marked below first' : undefined}>Run what-if</button>
        <button type="button" onClick={() => void apply()} disabled={!whatIf || busy !== null || invalidCount > 0} data-testid="apply-settings" title="Run the what-if first to see what changes">
          Apply and replay
        </button>
      </div>
      {busy && (
        <p role="status" className="muted row" data-testid="settings-busy">
          {busy}
          {progress && ` ${progress.message ?? ''} (${progress.done} of ${progress.total ?? '?'})`}
          {jobId && (
            <button type="button" onClick={() => void attempt(() => call('job.cancel', { jobId }))} data-testid="cancel-whatif">
              Cancel
            </button>
          )}
        </p>
      )}
      {changed.length > 0 && (
        <table className="small fit" data-testid="changed-settings">
          <thead><tr><th>setting</th><th>baseline</th><th>proposal</th></tr></thead>
          <tbody>
            {changed.map((k) => (
              <tr key={k}><td><code>{k}</code></td><td>{JSON.stringify(baseline.settings[k])}</td><td>{JSON.stringify(draft[k])}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <PresetsPanel />
      {/* Shown once the causes are found (or their search failed), so the groups never appear half-built. */}
      {whatIf && !busy && <WhatIfDiff explain={explain} />}
      {whatIf && <ApplyKitPanel baseline={baseline.name} proposal={PROPOSAL} effectLines={explain ? [...explain.effectLines, ...(explain.gradeSentence ? [`Links, graded against the header threading: ${explain.gradeSentence}`] : [])] : whatIf.effectLines} />}
      {whatIf && <ReportExport kind="whatif" />}
      <div className="setting-groups">
        {SETTING_GROUPS.map((group) => (
          <fieldset key={group.title} className="panel">
            <legend>{group.title}</legend>
            <p className="muted small">{group.where}</p>
            {group.fields.map((field) => {
              const isChanged = !same(draft[field.name], baseline.settings[field.name]);
              const error = fieldErrors[field.name];
              return (
                <div key={field.name} className={`setting${isChanged ? ' changed' : ''}${focusSetting === field.name ? ' focused' : ''}${error ? ' invalid' : ''}`}>
                  <label htmlFor={`setting-${field.name}`}>
                    {field.label} <code className="muted small">{field.name}</code>
                  </label>
                  <SettingInput
                    field={field}
                    value={draft[field.name]}
                    onChange={(v) => edit(field.name, v)}
                    raw={raw[field.name]}
                    onRaw={(text) => setRaw((r) => {
                      const next = { ...r };
                      if (text === null) delete next[field.name];
                      else next[field.name] = text;
                      return next;
                    })}
                    error={error?.text}
                  />
                  {error && <FieldError id={`setting-${field.name}`} error={error} value={draft[field.name]} />}
                  {field.help && <p className="muted small">{field.help}</p>}
                  {field.undocumented && <span className="badge warn">undocumented: simulator choice</span>}
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </section>
  );
}

function Counts({ title, a, b }: { title: string; a: Partial<Record<string, number>>; b: Partial<Record<string, number>> }) {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return (
    <table className="small counts">
      <thead><tr><th>{title}</th><th>baseline</th><th>proposal</th><th>Δ</th></tr></thead>
      <tbody>
        {keys.map((k) => {
          const d = (b[k] ?? 0) - (a[k] ?? 0);
          return (
            <tr key={k} className={d !== 0 ? 'changed' : ''}>
              <td>{k}</td><td>{a[k] ?? 0}</td><td>{b[k] ?? 0}</td><td>{d > 0 ? `+${d}` : d}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const ATTRIBUTION: Record<string, string> = {
  'only-change': 'the only change',
  single: 'proven: this change alone does it',
  either: 'proven: either change alone does it',
  combination: 'proven: only the changes together do it',
  trace: 'named by the traces (too many changes to replay each)',
};

const VERDICT: Record<string, { text: string; cls: string }> = {
  same: { text: 'right: same thread', cls: 'ok' },
  different: { text: 'likely false: different thread', cls: 'bad' },
  unknown: { text: 'not judged', cls: '' },
};

function WhatIfDiff({ explain }: { explain: WhatIfExplainView | null }) {
  const whatIf = useAppStore((s) => s.whatIf);
  const select = useAppStore((s) => s.select);
  if (!whatIf) return null;
  const email = (key: string | null): string => {
    if (key === null) return '';
    const e = explain?.emails[key];
    return e ? `“${e.subject || '(no subject)'}”${e.date ? ` ${e.date.slice(0, 10)}` : ''}` : 'another email';
  };
  const byKey = new Map((explain?.changes ?? []).map((c) => [c.key, c]));
  const SHOWN = 200;
  const side = (s: WhatIfExplainView['changes'][number]['before']): string =>
    `${s.tracked ? 'tracked' : 'not tracked'} (${s.outcome}) · ${s.method}${s.correlatedTo ? ` → ${email(s.correlatedTo)}` : ''}`;
  return (
    <section className="panel whatif" aria-labelledby="whatif-title" data-testid="whatif-diff">
      <h2 id="whatif-title">What-if: “{whatIf.baseline.profileName}” → “{whatIf.proposal.profileName}”</h2>
      <p data-testid="whatif-total"><strong>{whatIf.changed}</strong> of {whatIf.total} messages would change; tracked {whatIf.tracked.baseline} → {whatIf.tracked.proposal}. Nothing is applied until you choose Apply.</p>
      {explain?.gradeSentence && <p data-testid="whatif-grade"><strong>Links:</strong> {explain.gradeSentence}. <span className="muted small">Graded against the conversations the messages&apos; own headers form (Message-ID, In-Reply-To, References, Thread-Index), never subjects.</span></p>}
      {explain && explain.warnings.length > 0 && (
        <ul className="plain" data-testid="whatif-warnings">
          {explain.warnings.map((w) => <li key={w}><span className="badge warn">note</span> {w}</li>)}
        </ul>
      )}
      <div className="row top">
        <Counts title="outcome" a={whatIf.baseline.countsByOutcome} b={whatIf.proposal.countsByOutcome} />
        <Counts title="method" a={whatIf.baseline.countsByMethod} b={whatIf.proposal.countsByMethod} />
      </div>
      {!explain && <p className="muted small">Causes not found yet: run the what-if again.</p>}
      {explain && (
        <p className="muted small">
          Grouped by cause. {explain.attributionMethod === 'replay'
            ? `Causes are proven by replay${explain.attributionReplays ? `: ${explain.attributionReplays} extra replays, each change alone and each left out` : ''}.`
            : 'Causes are the settings each decision\u2019s trace reads.'}
        </p>
      )}
      {explain?.groups.map((g, i) => (
        <details key={g.id} className="whatif-group" open={i === 0} data-testid="whatif-group">
          <summary>
            <span className="count-pill">{g.count}</span> <span data-testid="whatif-sentence">{g.sentence}</span>{g.gradeSentence && <span data-testid="whatif-group-grade"> — {g.gradeSentence}</span>}{' '}
            <span className={`badge ${g.attribution === 'trace' ? 'warn' : 'ok'}`} data-testid="whatif-attribution">{ATTRIBUTION[g.attribution] ?? g.attribution}</span>
            {g.knockOn && <span className="badge">knock-on</span>}
          </summary>
          <table className="small">
            <thead><tr><th>subject</th><th>from · date</th><th>before</th><th>after</th><th>link</th></tr></thead>
            <tbody>
              {g.keys.slice(0, SHOWN).map((key) => {
                const c = byKey.get(key);
                if (!c) return null;
                const v = c.grade.newLink ?? c.grade.lostLink;
                const verdict = v ? VERDICT[v] : null;
                return (
                  <tr key={key}>
                    <td><button type="button" className="link" onClick={() => select(key, 'message')}>{c.subject || '(no subject)'}</button></td>
                    <td className="muted">{c.from ?? '—'} · {c.date ? c.date.slice(0, 16).replace('T', ' ') : '—'}</td>
                    <td>{side(c.before)}</td>
                    <td>{side(c.after)}</td>
                    <td>{verdict ? <span className={`badge ${verdict.cls}`}>{c.grade.newLink ? 'new' : 'lost'}: {verdict.text}</span> : <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {g.keys.length > SHOWN && <p className="muted small">and {g.keys.length - SHOWN} more (export the report for all of them)</p>}
        </details>
      ))}
    </section>
  );
}
