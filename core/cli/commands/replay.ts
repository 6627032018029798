// `replay --workspace FILE [--settings FILE]`: replays a workspace, prints counts by outcome and
// method, and saves the run (its decisions and traces) into the workspace.

import { openWorkspace, loadReplayInput, saveRun } from '../../node/workspace/index.js';
import { replay } from '../../engine/replay.js';
import { loadSettingsFile } from './token.js';
import { EXIT, InputError, runCommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage: replay --workspace FILE [--settings FILE]

Replays every message of the workspace, prints counts by outcome and correlation method, and saves the
run (its decisions and traces) into the workspace.`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'replay', usage: USAGE, options: { workspace: { type: 'string' }, settings: { type: 'string' } } }, argv, io, ({ values, positionals }) => {
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const file = values.workspace;
    if (!file) throw new UsageError('--workspace FILE is required');
    const settings = loadSettingsFile(values.settings);
    if (!settings.ok) throw new InputError(settings.error);
    let ws;
    try { ws = openWorkspace(file, { create: false }); } catch (e) { io.err((e as Error).message); return EXIT.failure; }
    try {
      const t0 = performance.now();
      const result = replay({ ...loadReplayInput(ws), settings: settings.settings });
      const ms = performance.now() - t0;
      const runId = saveRun(ws, { settings: settings.settings, profileName: values.settings ?? null, decisions: result.decisions, counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod }, durationMs: Math.round(ms) });
      io.out(`Run ${runId}: ${result.decisions.length} messages replayed in ${ms.toFixed(0)} ms`);
      io.out('By outcome:');
      for (const [k, v] of Object.entries(result.countsByOutcome)) io.out(`  ${k.padEnd(24)} ${v}`);
      io.out('By correlation method:');
      for (const [k, v] of Object.entries(result.countsByMethod)) io.out(`  ${k.padEnd(24)} ${v}`);
      return EXIT.ok;
    } finally {
      ws.close();
    }
  });
}
