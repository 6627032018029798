import { useId, useState } from 'react';
import type { ApplyKit } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { CopyBlock } from '../../components/CopyBlock.js';
import { attempt } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';

const CONFIDENCE: Record<string, { text: string; cls: string }> = {
  documented: { text: 'documented by Microsoft', cls: 'ok' },
  'public-tools': { text: 'format from public tools, not documented by Microsoft', cls: 'warn' },
  unconfirmed: { text: 'unconfirmed: no public source', cls: 'bad' },
};

/**
 * What the admin applies for the proposal just measured, one route per way of applying it (System
 * Settings, the Web API PATCH of the organization row, OrgDBOrgSettings read-merge-PATCH, the
 * OrgDBOrgSettings editor), each labelled with how it is applied, how sure the format is and the documents
 * it rests on, and a change note with the measured effect (core/analysis/applyKit.ts). SyncLens sends
 * nothing; each part has a Copy button.
 */
export function ApplyKitPanel({ baseline, proposal: measured, effectLines }: { baseline: string; proposal: string; effectLines: string[] }) {
  const whatIf = useAppStore((s) => s.whatIf);
  const profiles = useAppStore((s) => s.profiles);
  const id = useId();
  const [proposal, setProposal] = useState(measured);
  const [uri, setUri] = useState('https://yourorg.crm.dynamics.com');
  const [orgId, setOrgId] = useState('');
  const [kit, setKit] = useState<ApplyKit | null>(null);

  async function build() {
    const result = await attempt(() =>
      call('applykit.build', {
        baseline,
        proposal,
        organizationUri: uri.trim().replace(/\/+$/, ''),
        ...(orgId.trim() ? { organizationId: orgId.trim() } : {}),
        // The measured effect belongs to the proposal the what-if replayed, not to other profiles.
        ...(whatIf && proposal === measured ? { measuredEffect: effectLines } : {}),
      }),
    );
    if (result) setKit(result);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="applykit-panel">
      <h2 id={`${id}-title`}>Apply kit</h2>
      <p className="muted small">What an administrator applies to move the organization from “{baseline}” to the chosen proposal. SyncLens never connects to an organization.</p>
      <div className="row">
        <label htmlFor={`${id}-proposal`}>Proposal
          <select id={`${id}-proposal`} value={proposal} onChange={(e) => { setProposal(e.target.value); setKit(null); }} data-testid="applykit-proposal">
            {[measured, ...profiles.map((p) => p.name).filter((n) => n !== measured && n !== baseline)].map((n) => (
              <option key={n} value={n}>{n === measured ? `${n} (measured by the what-if)` : n}</option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-uri`}>Organization URL
          <input id={`${id}-uri`} value={uri} onChange={(e) => setUri(e.target.value)} size={36} data-testid="applykit-uri" />
        </label>
        <label htmlFor={`${id}-org`}>organizationid (optional)
          <input id={`${id}-org`} value={orgId} onChange={(e) => setOrgId(e.target.value)} size={38} placeholder="00000000-0000-0000-0000-000000000000" />
        </label>
        <button type="button" className="primary" onClick={() => void build()} data-testid="applykit-build">Build apply kit</button>
      </div>
      {kit && (
        <div className="applykit">
          {kit.columns.length > 0 && (
            <table className="small fit" data-testid="applykit-columns">
              <caption className="muted small">Organization columns beside their System Settings › Email labels, values as that screen shows them</caption>
              <thead><tr><th>System Settings label</th><th>column</th><th>baseline</th><th>proposal</th></tr></thead>
              <tbody>
                {kit.columns.map((c) => (
                  <tr key={c.column} title={c.note ?? ''}>
                    <td>{c.label ?? <span className="muted">(no System Settings field: Web API only)</span>}</td>
                    <td><code>{c.column}</code></td><td>{c.fromShown}</td><td>{c.toShown}{c.note && <span className="muted small"> · {c.note}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {kit.routes.length === 0 && <p className="muted" data-testid="applykit-nothing">Nothing to apply in the organization for this proposal.</p>}
          {kit.routes.map((r) => {
            const conf = CONFIDENCE[r.confidence] ?? { text: r.confidence, cls: 'warn' };
            return (
              <section key={r.id} className="applykit-route" data-testid={`applykit-route-${r.id}`} aria-label={r.title}>
                <h3>{r.title} <span className={`badge ${conf.cls}`} data-testid="applykit-confidence">{conf.text}</span></h3>
                <p className="small"><strong>How:</strong> {r.how}</p>
                <p className="muted small">{r.confidenceNote}</p>
                <CopyBlock title="To paste or follow" text={r.text} testId={r.id === 'webapi-columns' ? 'applykit-webapi' : r.id === 'orgdb-webapi' ? 'applykit-orgdb' : `applykit-${r.id}`} />
                <p className="muted small">Sources: {r.sources.map((src, i) => (
                  <span key={src.url}>{i > 0 && '; '}<cite>{src.title}</cite> <code className="url">{src.url}</code></span>
                ))}</p>
              </section>
            );
          })}
          <CopyBlock title="Change note" text={kit.note} testId="applykit-note" />
          {kit.simulatorAssumptions.length > 0 && (
            <p className="badge warn">Simulator-only settings changed ({kit.simulatorAssumptions.map((c) => c.key).join(', ')}): nothing to apply for them.</p>
          )}
        </div>
      )}
    </section>
  );
}
