// `replay --workspace FILE [--settings FILE]`: replays a workspace, prints counts by outcome and
// method, and saves the run (its decisions and traces) into the workspace.

import { openWorkspace, loadReplayInput, saveRun } from '../../node/workspace/index.js';
import { replay } from '../../engine/replay.js';
import { loadSettingsFile } from './token.js';
import { parseArgs, UsageError } from './args.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function run(argv: string[], io: Out = std): Promise<number> {
  let args;
  try { args = parseArgs(argv, ['workspace', 'settings']); } catch (e) { if (e instanceof UsageError) { io.err(e.message); return 64; } throw e; }
  const file = args.options.get('workspace');
  if (!file) { io.err('usage: replay --workspace FILE [--settings FILE]'); return 64; }
  const settings = loadSettingsFile(args.options.get('settings'));
  if (!settings.ok) { io.err(settings.error); return 2; }
  let ws;
  try { ws = openWorkspace(file, { create: false }); } catch (e) { io.err((e as Error).message); return 2; }
  try {
    const t0 = performance.now();
    const result = replay({ ...loadReplayInput(ws), settings: settings.settings });
    const ms = performance.now() - t0;
    const runId = saveRun(ws, { settings: settings.settings, profileName: args.options.get('settings') ?? null, decisions: result.decisions, counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod }, durationMs: Math.round(ms) });
    io.out(`Run ${runId}: ${result.decisions.length} messages replayed in ${ms.toFixed(0)} ms`);
    io.out('By outcome:');
    for (const [k, v] of Object.entries(result.countsByOutcome)) io.out(`  ${k.padEnd(24)} ${v}`);
    io.out('By correlation method:');
    for (const [k, v] of Object.entries(result.countsByMethod)) io.out(`  ${k.padEnd(24)} ${v}`);
    return 0;
  } finally {
    ws.close();
  }
}
