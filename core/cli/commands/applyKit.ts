// `apply-kit --baseline SOURCE --proposal SOURCE [--workspace FILE] [--org-uri URL] [--org-id GUID]
// [--current-orgdborgsettings FILE] [--json]`: what the admin applies for a proposal, one route per way of
// applying it (System Settings, the Web API PATCH of the organization row, OrgDBOrgSettings read-merge-PATCH,
// the OrgDBOrgSettings editor), each with how it is applied and its sources, and a change note
// (core/analysis/applyKit.ts). With --workspace the note's "measured effect" comes from a what-if over the
// workspace. SyncLens never connects to an organization.

import { readFileSync } from 'node:fs';
import { buildApplyKit } from '../../analysis/applyKit.js';
import { whatIf } from '../../analysis/whatif.js';
import { loadReplayInput, type Workspace } from '../../node/workspace/index.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, InputError, openReadOnly, resolveSettings, SETTINGS_SOURCE_HELP, std, type Out } from './analysisIo.js';

export const USAGE = `usage: apply-kit --baseline SOURCE --proposal SOURCE [--workspace FILE] [--org-uri https://ORG.crm.dynamics.com] [--org-id GUID] [--current-orgdborgsettings FILE] [--json]

Writes what an admin applies to move an organization from the baseline to the proposal, one route per
way of applying it, each labelled with how it is applied and the documents it rests on:
  System Settings › Email     each column beside its System Settings label and value as the screen shows it
  Web API                     PATCH of the organization row with the changed columns
  OrgDBOrgSettings (Web API)  read the orgdborgsettings column, merge the changed elements, PATCH it back
  OrgDBOrgSettings editor     the settings as the Organization Settings Editor solution lists them
and a change note with before/after values. With --workspace, the note also gives the effect measured by
a what-if over the workspace's messages. Nothing is sent anywhere.

  --current-orgdborgsettings FILE   the organization's current orgdborgsettings value (as the kit's GET
                                    returns it): the PATCH body is then the merged value

${SETTINGS_SOURCE_HELP}`;

const CONFIDENCE: Record<string, string> = {
  documented: 'documented by Microsoft',
  'public-tools': 'format from public tools, not documented by Microsoft',
  unconfirmed: 'UNCONFIRMED: no public source',
};

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'apply-kit', usage: USAGE, options: { workspace: { type: 'string' }, baseline: { type: 'string' }, proposal: { type: 'string' }, 'org-uri': { type: 'string' }, 'org-id': { type: 'string' }, 'current-orgdborgsettings': { type: 'string' }, json: { type: 'boolean' } } }, argv, io, (args) => guarded(io, () => {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const b = args.values['baseline'];
    const p = args.values['proposal'];
    if (!b || !p) throw new UsageError('--baseline and --proposal are required');
    const currentFile = args.values['current-orgdborgsettings'];
    let current: string | undefined;
    if (currentFile) {
      try { current = readFileSync(currentFile, 'utf8'); } catch (e) { throw new InputError(`--current-orgdborgsettings ${currentFile}: ${(e as Error).message}`); }
      // The GET answers JSON: accept the whole answer as well as the bare XML value.
      const t = current.trim();
      if (t.startsWith('{')) {
        try {
          const v = (JSON.parse(t) as { orgdborgsettings?: unknown }).orgdborgsettings;
          if (typeof v !== 'string') throw new Error('no "orgdborgsettings" string in it');
          current = v;
        } catch (e) { throw new InputError(`--current-orgdborgsettings ${currentFile}: not the GET's JSON answer: ${(e as Error).message}`); }
      }
    }
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
        ...(current !== undefined ? { currentOrgDbOrgSettings: current } : {}),
      });
      if (args.values['json'] === true) { io.out(JSON.stringify(kit, null, 2)); return 0; }
      if (kit.routes.length === 0) io.out('Nothing to apply in the organization.');
      for (const r of kit.routes) {
        io.out(`== ${r.title} (${CONFIDENCE[r.confidence] ?? r.confidence})`);
        io.out(r.how);
        io.out(`Why this label: ${r.confidenceNote}`);
        io.out('');
        io.out(r.text);
        io.out('');
        io.out(`Sources: ${r.sources.map((s) => `${s.title} <${s.url}>`).join('; ')}`);
        io.out('');
      }
      io.out('== Change note');
      io.out(kit.note);
      return 0;
    } finally {
      ws?.close();
    }
  }));
}
