// `whatif --workspace FILE --baseline SOURCE --proposal SOURCE [--json|--csv|--html OUT]`: replays the
// workspace under both settings and reports every message whose outcome, method, correlated activity,
// parent or Regarding changes, grouped by cause (core/analysis/whatif.ts).

import { whatIf } from '../../analysis/whatif.js';
import { envelope } from '../../analysis/report.js';
import { loadReplayInput } from '../../node/workspace/index.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, openReadOnly, OUTPUT_HELP, OUTPUT_OPTIONS, outputTargets, resolveSettings, SETTINGS_SOURCE_HELP, std, writeOutputs, type Out } from './analysisIo.js';

export const USAGE = `usage: whatif --workspace FILE --baseline SOURCE --proposal SOURCE [--json OUT] [--csv OUT] [--html OUT] [--limit N]

Replays every message of the workspace twice, under the baseline settings (what the organization runs
today) and under the proposal, and lists every message whose outcome, correlation method, correlated
activity, parent or Regarding changes, grouped by cause. With several settings changed, each change is
also replayed alone and left out (up to 12 changes), so every group names the change(s) that produce it
("either alone", "only … together"). New and lost links are graded against the conversations the
messages' own headers form (Message-ID, In-Reply-To, References, Thread-Index).

${SETTINGS_SOURCE_HELP}

${OUTPUT_HELP}
  --limit N    changed messages listed in the summary (default 20)`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'whatif', usage: USAGE, options: { workspace: { type: 'string' }, baseline: { type: 'string' }, proposal: { type: 'string' }, limit: { type: 'string' }, ...OUTPUT_OPTIONS } }, argv, io, (args) => guarded(io, () => {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const file = args.values['workspace'];
    const b = args.values['baseline'];
    const p = args.values['proposal'];
    if (!file || !b || !p) throw new UsageError('--workspace, --baseline and --proposal are required');
    const limitRaw = args.values['limit'] ?? '20';
    if (!/^\d+$/.test(limitRaw)) throw new UsageError(`--limit must be a whole number, got '${limitRaw}'`);
    const targets = outputTargets(args.values);
    const ws = openReadOnly(file);
    try {
      const baseline = resolveSettings(b, ws, '--baseline');
      const proposal = resolveSettings(p, ws, '--proposal');
      const input = loadReplayInput(ws);
      const r = whatIf(input, baseline, proposal);
      // Links are named by the linked email's subject, never by a row id.
      const subjects = new Map<string, string>([...input.tracked.map((t) => [t.id, t.subject] as const), ...input.messages.map((m) => [m.key, m.subject] as const)]);
      const link = (k: string | null): string => (k === null ? '' : ` → ${JSON.stringify(subjects.get(k) ?? '(an email not in the workspace)')}`);
      const env = envelope('whatif', r, { source: { workspace: file, baseline: b, proposal: p } });
      if (writeOutputs(env, targets, io)) return 0;
      io.out(`What-if over ${r.total} messages: ${r.changed} change${r.changed === 1 ? '' : 's'}.`);
      io.out(r.settingsDiff.length ? 'Settings changed:' : 'The two settings are the same.');
      for (const c of r.settingsDiff) io.out(`  ${c.key}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
      io.out(`Tracked: ${r.baseline.tracked} → ${r.proposal.tracked}`);
      if (r.gradeSentence) io.out(`Links: ${r.gradeSentence}`);
      for (const w of r.warnings) io.out(`Warning: ${w}`);
      if (r.groups.length) io.out(`By cause (${r.attributionMethod === 'replay' ? `proven by replay${r.attributionReplays ? `, ${r.attributionReplays} extra replays` : ''}` : 'named by the traces'}):`);
      for (const g of r.groups) io.out(`  ${String(g.count).padStart(6)}  ${g.sentence}${g.gradeSentence ? ` — ${g.gradeSentence}` : ''}`);
      const limit = Number(limitRaw);
      if (r.changes.length && limit > 0) io.out(`Changed messages${r.changes.length > limit ? ` (first ${limit} of ${r.changes.length})` : ''}:`);
      for (const c of r.changes.slice(0, limit)) {
        io.out(`  ${JSON.stringify(c.subject)} (${c.from ?? 'no sender'}, ${c.date ?? 'no date'}): ${c.before.outcome}/${c.before.method}${link(c.before.correlatedTo)} ⇒ ${c.after.outcome}/${c.after.method}${link(c.after.correlatedTo)}`);
      }
      return 0;
    } finally {
      ws.close();
    }
  }));
}
