import { useId, useState } from 'react';
import type { ApplyKit } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { CopyBlock } from '../../components/CopyBlock.js';
import { attempt } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';

/**
 * What the admin applies for the proposal just measured: the Dataverse Web API PATCH of the
 * organization row, the OrgDBOrgSettings XML and a change note with the measured effect
 * (core/analysis/applyKit.ts). SyncLens sends nothing; each part has a Copy button.
 */
export function ApplyKitPanel({ baseline, proposal: measured }: { baseline: string; proposal: string }) {
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
        ...(whatIf && proposal === measured ? { measuredEffect: whatIf.effectLines } : {}),
      }),
    );
    if (result) setKit(result);
  }

  const request = kit?.webApi
    ? [`${kit.webApi.method} ${kit.webApi.url}`, ...Object.entries(kit.webApi.headers).map(([k, v]) => `${k}: ${v}`), '', kit.webApi.bodyText].join('\n')
    : '(no organization column changes)';
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
          <CopyBlock title="Dataverse Web API request" text={request} testId="applykit-webapi" />
          <CopyBlock title="OrgDBOrgSettings (XML)" text={kit.orgDbXml ?? '(no OrgDBOrgSettings changes)'} testId="applykit-orgdb" />
          <CopyBlock title="Change note" text={kit.note} testId="applykit-note" />
          {kit.simulatorAssumptions.length > 0 && (
            <p className="badge warn">Simulator-only settings changed ({kit.simulatorAssumptions.map((c) => c.key).join(', ')}): nothing to apply for them.</p>
          )}
        </div>
      )}
    </section>
  );
}
