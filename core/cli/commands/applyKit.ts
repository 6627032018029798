// `apply-kit --baseline SOURCE --proposal SOURCE [--workspace FILE] [--org-uri URL] [--org-id GUID] [--json]`:
// what the admin applies for a proposal — the Web API PATCH of the organization row, the OrgDBOrgSettings
// XML fragment and a change note (core/analysis/applyKit.ts). With --workspace the note's "measured
// effect" comes from a what-if over the workspace. SyncLens never connects to an organization.

import { buildApplyKit } from '../../analysis/applyKit.js';
import { whatIf } from '../../analysis/whatif.js';
import { loadReplayInput, type Workspace } from '../../node/workspace/index.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, openReadOnly, resolveSettings, SETTINGS_SOURCE_HELP, std, type Out } from './analysisIo.js';

export const USAGE = `usage: apply-kit --baseline SOURCE --proposal SOURCE [--workspace FILE] [--org-uri https://ORG.crm.dynamics.com] [--org-id GUID] [--json]

Writes what an admin applies to move an organization from the baseline to the proposal: the Dataverse
Web API request (PATCH of the organization row with the changed columns), the OrgDBOrgSettings changes
as XML, and a change note with before/after values. With --workspace, the note also gives the effect
measured by a what-if over the workspace's messages. Nothing is sent anywhere.

${SETTINGS_SOURCE_HELP}`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'apply-kit', usage: USAGE, options: { workspace: { type: 'string' }, baseline: { type: 'string' }, proposal: { type: 'string' }, 'org-uri': { type: 'string' }, 'org-id': { type: 'string' }, json: { type: 'boolean' } } }, argv, io, (args) => guarded(io, () => {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const b = args.values['baseline'];
    const p = args.values['proposal'];
    if (!b || !p) throw new UsageError('--baseline and --proposal are required');
    const file = args.values['workspace'];
    const ws: Workspace | null = file ? openReadOnly(file) : null;
    try {
      const baseline = resolveSettings(b, ws, '--baseline');
      const proposal = resolveSettings(p, ws, '--proposal');
      const measuredEffect = ws ? whatIf(loadReplayInput(ws), baseline, proposal).effectLines : undefined;
      const orgId = args.values['org-id'];
      const kit = buildApplyKit(baseline, proposal, {
        organizationUri: args.values['org-uri'] ?? 'https://yourorg.crm.dynamics.com',
        ...(orgId ? { organizationId: orgId } : {}),
        ...(measuredEffect ? { measuredEffect } : {}),
      });
      if (args.values['json'] === true) { io.out(JSON.stringify(kit, null, 2)); return 0; }
      io.out('== Web API request');
      if (kit.webApi) {
        io.out(`${kit.webApi.method} ${kit.webApi.url}`);
        for (const [k, v] of Object.entries(kit.webApi.headers)) io.out(`${k}: ${v}`);
        io.out('');
        io.out(kit.webApi.bodyText);
      } else io.out('(no organization column changes)');
      io.out('\n== OrgDBOrgSettings');
      io.out(kit.orgDbXml ?? '(no OrgDBOrgSettings changes)');
      io.out('\n== Change note');
      io.out(kit.note);
      return 0;
    } finally {
      ws?.close();
    }
  }));
}
