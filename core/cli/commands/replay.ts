// `replay --workspace FILE [--settings SOURCE]`: replays a workspace, prints counts by outcome and
// method, and saves the run (its decisions and traces) into the workspace. Without --settings the
// organization's own settings are used when an org was loaded (the profile "org", org import), else the
// simulator's defaults; the summary says which. When nothing can be tracked it says so and why.

import { openWorkspace, loadReplayInput, loadSettingsProfile, saveRun, ORG_PROFILE } from '../../node/workspace/index.js';
import { replay } from '../../engine/index.js';
import { nothingTrackedLines, whyNothingTracked } from '../../org/nothingTracked.js';
import { resolveSettings, SETTINGS_SOURCE_HELP } from './analysisIo.js';
import { EXIT, InputError, runCommand, std, UsageError, type Out } from '../args.js';

export const USAGE = `usage: replay --workspace FILE [--settings SOURCE]

Replays every message of the workspace, prints the counts by outcome and by correlation method, and saves
the run. Without --settings: the organization's settings when an org was loaded (profile "${ORG_PROFILE}"),
else the simulator's defaults. When nothing can be tracked, says why.

${SETTINGS_SOURCE_HELP}`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'replay', usage: USAGE, options: { workspace: { type: 'string' }, settings: { type: 'string' } } }, argv, io, ({ values, positionals }) => {
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const file = values.workspace;
    if (!file) throw new UsageError('--workspace FILE is required');
    let ws;
    try { ws = openWorkspace(file, { create: false }); } catch (e) { io.err((e as Error).message); return EXIT.failure; }
    try {
      let source = values.settings ?? null;
      if (source === null && loadSettingsProfile(ws, ORG_PROFILE)) source = ORG_PROFILE;
      let settings;
      try { settings = resolveSettings(source ?? 'default', ws, '--settings'); } catch (e) { throw new InputError((e as Error).message); }
      const input = loadReplayInput(ws);
      const t0 = performance.now();
      const result = replay({ ...input, settings });
      const ms = performance.now() - t0;
      const runId = saveRun(ws, { settings, profileName: source, decisions: result.decisions, counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod }, durationMs: Math.round(ms) });
      io.out(`Run ${runId}: ${result.decisions.length} messages replayed in ${ms.toFixed(0)} ms`);
      io.out(`Settings: ${source === null ? 'the simulator\'s defaults' : source === ORG_PROFILE && values.settings === undefined ? `the loaded organization's (profile "${ORG_PROFILE}")` : source}`);
      io.out('By outcome:');
      for (const [k, v] of Object.entries(result.countsByOutcome)) io.out(`  ${k.padEnd(24)} ${v}`);
      io.out('By correlation method:');
      for (const [k, v] of Object.entries(result.countsByMethod)) io.out(`  ${k.padEnd(24)} ${v}`);
      const why = whyNothingTracked({ mailboxes: input.mailboxes, directory: input.directory, trackedBefore: input.tracked.length, messages: input.messages, decisions: result.decisions, settings });
      for (const line of nothingTrackedLines(why)) io.out(line);
      return EXIT.ok;
    } finally {
      ws.close();
    }
  });
}
