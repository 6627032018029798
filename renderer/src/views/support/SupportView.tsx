import { useEffect, useId, useState } from 'react';
import type { MailboxProfileTag, MailboxTagEntry, ReplayWarningsView, RuleInfo, SupportConfig, SupportReport } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { attempt } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { MailboxForm, newMailbox, type MailboxDraft, toHost, toProfile } from './MailboxForm.js';

type Deployment = SupportConfig['deployment'];

const state: { deployment: Deployment; mailboxes: MailboxDraft[] } = {
  deployment: { kind: 'online', version: '9.2', fips: false, mfa: false, mixedOutlookSyncAndSss: false, owaInHybrid: false, networkInspection: false, massEmail: false, protocolExtensibility: false },
  mailboxes: [newMailbox(1, 'exchange-online'), newMailbox(2, 'gmail')],
};

const DEPLOYMENT_FLAGS: { key: keyof Deployment; label: string }[] = [
  { key: 'fips', label: 'FIPS 140-2 compliance required' },
  { key: 'mfa', label: 'Multi-factor authentication required' },
  { key: 'owaInHybrid', label: 'Hybrid: Outlook on the web with on-premises Dynamics + Exchange Online' },
  { key: 'mixedOutlookSyncAndSss', label: 'Outlook sync and server-side sync both used for appointments, contacts, tasks' },
  { key: 'networkInspection', label: 'A proxy/appliance inspects traffic to the mail server' },
  { key: 'massEmail', label: 'Mass email marketing through server-side sync' },
  { key: 'protocolExtensibility', label: 'Custom email providers / extended protocols' },
];

export function configOf(deployment: Deployment, mailboxes: MailboxDraft[]): SupportConfig {
  return {
    deployment,
    mailboxes: mailboxes.map((m) => ({
      id: m.id.trim() || 'mailbox',
      host: toHost(m),
      incoming: toProfile(m, 'incoming'),
      outgoing: toProfile(m, 'outgoing'),
      items: m.items,
      ...(m.smime ? { smimeOrThirdPartyEncryption: true } : {}),
      ...(m.alias ? { aliasOrDistributionList: true } : {}),
      ...(m.manualTracking ? { manualTrackingInOutlook: true } : {}),
    })),
  };
}

const VERDICT_TEXT: Record<string, string> = { supported: 'supported', 'not-supported': 'not supported', limited: 'supported with limits' };

export function VerdictBadge({ verdict }: { verdict: string }) {
  return <span className={`verdict-badge v-${verdict}`} data-testid="verdict">{VERDICT_TEXT[verdict] ?? verdict}</span>;
}

/**
 * The supported-configuration check (core/analysis/supportCheck.ts): the admin describes the deployment
 * and each mailbox; SyncLens answers per mailbox and item kind with the rule and its source. A workspace
 * mailbox can be tagged with one of these descriptions so its replay warns about the impossible.
 */
export function SupportView() {
  const report = useAppStore((s) => s.support);
  const setReport = useAppStore((s) => s.setSupport);
  const id = useId();
  const [deployment, setDeployment] = useState<Deployment>(state.deployment);
  const [mailboxes, setMailboxes] = useState<MailboxDraft[]>(state.mailboxes);
  const [rules, setRules] = useState<RuleInfo[]>([]);

  useEffect(() => {
    void attempt(() => call('support.rules', {})).then((r) => setRules(r ?? []));
  }, []);
  useEffect(() => {
    state.deployment = deployment;
    state.mailboxes = mailboxes;
  }, [deployment, mailboxes]);

  async function check() {
    const r = await attempt(() => call('support.check', { config: configOf(deployment, mailboxes) }));
    if (r) setReport(r);
  }

  const update = (i: number, m: MailboxDraft) => setMailboxes(mailboxes.map((x, j) => (j === i ? m : x)));
  return (
    <section className="view support" aria-labelledby="support-title" data-testid="support-view">
      <h1 id="support-title">Supported-configuration check</h1>
      <p className="lead">Describe the deployment and each mailbox&apos;s email server profiles; SyncLens answers per mailbox and item kind with the rule and the Microsoft source it comes from.</p>
      <div className="row top support-layout">
        <form className="grow" onSubmit={(e) => { e.preventDefault(); void check(); }} aria-label="Configuration">
          <fieldset className="panel" data-testid="support-deployment">
            <legend>Deployment</legend>
            <div className="row">
              <label htmlFor={`${id}-kind`}>Dynamics
                <select id={`${id}-kind`} value={deployment.kind} onChange={(e) => setDeployment({ ...deployment, kind: e.target.value as Deployment['kind'] })} data-testid="deployment-kind">
                  <option value="online">online</option>
                  <option value="onpremises">on-premises</option>
                </select>
              </label>
              <label htmlFor={`${id}-version`}>Version
                <input id={`${id}-version`} value={deployment.version ?? ''} size={8} onChange={(e) => setDeployment({ ...deployment, version: e.target.value })} />
              </label>
            </div>
            <div className="checks">
              {DEPLOYMENT_FLAGS.map((f) => (
                <label key={f.key} className="inline-check">
                  <input type="checkbox" checked={deployment[f.key] === true} onChange={(e) => setDeployment({ ...deployment, [f.key]: e.target.checked })} data-testid={`deployment-${f.key}`} />
                  {f.label}
                </label>
              ))}
            </div>
          </fieldset>
          {mailboxes.map((m, i) => (
            <MailboxForm key={m.key} mailbox={m} onChange={(next) => update(i, next)} onRemove={mailboxes.length > 1 ? () => setMailboxes(mailboxes.filter((_, j) => j !== i)) : null} />
          ))}
          <div className="row">
            <button type="button" onClick={() => setMailboxes([...mailboxes, newMailbox(Math.max(0, ...mailboxes.map((m) => m.key)) + 1, 'exchange-online')])} data-testid="support-add-mailbox">Add mailbox</button>
            <button type="submit" className="primary" data-testid="support-check">Check</button>
          </div>
        </form>
        <div className="grow">
          {report ? <SupportResults report={report} /> : <p className="muted">Press Check to see the verdicts.</p>}
          <ProfileTags deployment={deployment} mailboxes={mailboxes} />
          <details className="panel">
            <summary>All {rules.length} rules</summary>
            <table className="small">
              <thead><tr><th>rule</th><th>summary</th><th>source</th></tr></thead>
              <tbody>{rules.map((r) => <tr key={r.id}><td>{r.id}</td><td>{r.summary}</td><td className="muted">{r.source}</td></tr>)}</tbody>
            </table>
          </details>
        </div>
      </div>
    </section>
  );
}

function SupportResults({ report }: { report: SupportReport }) {
  return (
    <section className="panel" aria-labelledby="support-results-title" data-testid="support-results">
      <h2 id="support-results-title">Verdicts</h2>
      {report.organization.length > 0 && (
        <div data-testid="support-organization">
          <h3>Organization</h3>
          <ul className="plain findings">
            {report.organization.map((f, i) => <li key={i}><VerdictBadge verdict={f.verdict} /> <strong>{f.rule}</strong> {f.reason} <span className="muted small">— {f.source}</span></li>)}
          </ul>
        </div>
      )}
      {report.mailboxes.map((m) => (
        <div key={m.mailboxId} className="mailbox-verdict" data-testid="support-mailbox">
          <h3>{m.mailboxId} <VerdictBadge verdict={m.verdict} /></h3>
          <table className="small">
            <thead><tr><th>items</th><th>verdict</th><th>rule</th><th>why</th><th>source</th></tr></thead>
            <tbody>
              {m.items.flatMap((it) =>
                it.findings.length === 0
                  ? [<tr key={it.itemKind}><td>{it.itemKind}</td><td><VerdictBadge verdict={it.verdict} /></td><td colSpan={3} className="muted">no rule applies</td></tr>]
                  : it.findings.map((f, i) => (
                    <tr key={`${it.itemKind}-${i}`} data-testid="support-finding">
                      <td>{i === 0 ? it.itemKind : ''}</td>
                      <td><VerdictBadge verdict={f.verdict} /></td>
                      <td><strong>{f.rule}</strong></td>
                      <td>{f.reason}</td>
                      <td className="muted small">{f.source}</td>
                    </tr>
                  )),
              )}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

/** Tag a workspace mailbox with one of the form's mailboxes; the latest run's replay warnings for tagged ones. */
function ProfileTags({ deployment, mailboxes }: { deployment: Deployment; mailboxes: MailboxDraft[] }) {
  const workspace = useAppStore((s) => s.workspace);
  const runs = useAppStore((s) => s.runs);
  const id = useId();
  const [tags, setTags] = useState<MailboxTagEntry[]>([]);
  const [warnings, setWarnings] = useState<ReplayWarningsView | null>(null);
  const [target, setTarget] = useState('');
  const [source, setSource] = useState(0);
  const latestRun = runs[runs.length - 1]?.runId ?? null;

  useEffect(() => {
    if (!workspace) return;
    void attempt(() => call('mailboxes.tags', {})).then((t) => setTags(t ?? []));
  }, [workspace]);
  useEffect(() => {
    if (!workspace) return;
    void attempt(() => call('replay.warnings', {})).then((w) => setWarnings(w ?? null));
  }, [workspace, tags, latestRun]);

  if (!workspace) return <p className="muted panel">Open a workspace to tag its mailboxes with their configuration.</p>;
  const address = target || workspace.mailboxes[0]?.address || '';

  async function tag(remove: boolean) {
    const m = mailboxes[source];
    if (!address || (!remove && !m)) return;
    const value: MailboxProfileTag | null = remove || !m ? null : { host: toHost(m), incoming: toProfile(m, 'incoming'), outgoing: toProfile(m, 'outgoing'), deployment };
    const t = await attempt(() => call('mailboxes.setTag', { mailbox: address, tag: value }));
    if (t) setTags(t);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="profile-tags">
      <h2 id={`${id}-title`}>Tag a workspace mailbox</h2>
      <p className="muted small">Say which configuration an imported mailbox really used: the replay then warns when that configuration could never have produced what it simulates.</p>
      <div className="row">
        <label htmlFor={`${id}-mb`}>Workspace mailbox
          <select id={`${id}-mb`} value={address} onChange={(e) => setTarget(e.target.value)} data-testid="tag-mailbox">
            {workspace.mailboxes.map((m) => <option key={m.address} value={m.address}>{m.address}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-src`}>used the configuration of
          <select id={`${id}-src`} value={source} onChange={(e) => setSource(Number(e.target.value))} data-testid="tag-source">
            {mailboxes.map((m, i) => <option key={m.key} value={i}>{m.id || `mailbox ${i + 1}`}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void tag(false)} data-testid="tag-save">Tag</button>
        <button type="button" onClick={() => void tag(true)} disabled={!tags.some((t) => t.mailbox === address)}>Remove tag</button>
      </div>
      {warnings && (
        <div data-testid="replay-warnings">
          <h3>Replay warnings{warnings.runId !== null ? ` (run #${warnings.runId})` : ' (no run yet: replay first)'}</h3>
          {warnings.mailboxes.length === 0 ? <p className="muted small">No mailbox is tagged.</p> : (
            <ul className="plain">
              {warnings.mailboxes.map((m) => (
                <li key={m.mailbox} data-testid="tagged-mailbox">
                  <strong>{m.mailbox}</strong> <span className="muted small">incoming {m.tag.incoming?.type ?? 'not synchronized'}, outgoing {m.tag.outgoing?.type ?? 'not synchronized'}</span>
                  {m.warnings.length === 0 ? <p className="ok-text small">The configuration could have produced this replay.</p> : (
                    <ul>
                      {m.warnings.map((w) => (
                        <li key={w.code} className={`warning w-${w.severity}`} data-testid="replay-warning">
                          <span className="badge warn">{w.severity}</span> {w.rule && <strong>{w.rule} </strong>}{w.message} <span className="muted small">— {w.source}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
