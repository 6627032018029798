// Replay and what-if as host jobs: load the workspace's replay input, run the engine's replay with a
// profile's settings, store the run, and (for what-if) compare two runs decision by decision. The
// replay function is injectable (HostOptions.replay, tests) and defaults to core/engine/replay.
//
// The engine's replay runs in slices (replayAsync): between two slices the host's event loop turns, so
// a job.cancel stops the pass itself, and progress is reported as the messages are decided. The phase
// boundaries (loaded, replayed, saved) are checkpoints too; a cancelled job stores no run.
import type { RunSummary, WhatIfChange, WhatIfGroup, WhatIfResult } from '../../core/contract/contract.js';
import { ReplayCache, ReplayCancelled, replayAsync, type Settings, diffSettings, type Decision, type MessageFacts, type ReplayInput, type ReplayResult } from '../../core/engine/index.js';
import { diffReplays, type WhatIfResult as AnalysisWhatIf } from '../../core/analysis/whatif.js';
import { loadReplayInput, saveRun, type Workspace } from '../../core/node/workspace/index.js';

export interface ReplayHooks {
  onProgress?: (done: number, total: number, phase: string) => void;
  signal?: AbortSignal;
  /** Reused across the two replays of a what-if (same MessageFacts objects), see ReplayCache. */
  cache?: ReplayCache;
}

export type ReplayFn = (input: ReplayInput, hooks: ReplayHooks) => ReplayResult | Promise<ReplayResult>;

export class JobCancelled extends Error {
  override readonly name = 'AbortError';
}

/**
 * The engine's own replay (core/engine/replay/replay.ts), in slices: it reports 'replaying' progress and stops
 * with JobCancelled inside the pass once hooks.signal is aborted.
 */
export const defaultReplay: ReplayFn = async (input, hooks) => {
  try {
    return await replayAsync(input, hooks.cache ?? new ReplayCache(), {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      // The pass's last report (done = total) is the job's own 'replayed', sent by replayAndSave.
      onProgress: (done, total) => {
        if (done < total) hooks.onProgress?.(done, total, 'replaying');
      },
    });
  } catch (e) {
    // The host's cancellation error, so job.cancel answers CANCELLED like every other job.
    if (e instanceof ReplayCancelled) throw new JobCancelled('cancelled');
    throw e;
  }
};

/** Lets queued messages (a job.cancel) run, then stops if the job was cancelled. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new JobCancelled('cancelled');
}

/** The replay input without settings, loaded once per job (inner messages excluded: they are attachments). */
export type LoadedInput = Omit<ReplayInput, 'settings'>;

export async function replayAndSave(
  ws: Workspace,
  replay: ReplayFn,
  profileName: string,
  settings: Settings,
  hooks: ReplayHooks,
  loaded?: LoadedInput,
): Promise<{ summary: RunSummary; decisions: Decision[] }> {
  const started = Date.now();
  const base = loaded ?? loadReplayInput(ws);
  const input: ReplayInput = { ...base, settings };
  const total = input.messages.length;
  hooks.onProgress?.(0, total, 'loaded');
  await checkpoint(hooks.signal);
  const result = await replay(input, hooks);
  hooks.onProgress?.(total, total, 'replayed');
  await checkpoint(hooks.signal);
  const durationMs = Date.now() - started;
  const runId = saveRun(ws, { settings, profileName, decisions: result.decisions, counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod }, durationMs });
  hooks.onProgress?.(total, total, 'saved');
  return {
    summary: { runId, profileName, createdAt: new Date().toISOString(), countsByOutcome: result.countsByOutcome, countsByMethod: result.countsByMethod, durationMs },
    decisions: result.decisions,
  };
}

/**
 * The what-if of two stored runs, grouped by cause with the shared core/analysis/whatif.ts (so the app,
 * the CLI and the reports say the same sentences), in the contract's shape. Also returns the analysis
 * result itself, which the report export writes.
 */
export function compareRuns(
  baseline: { summary: RunSummary; decisions: Decision[]; settings: Settings },
  proposal: { summary: RunSummary; decisions: Decision[]; settings: Settings },
  messages: readonly MessageFacts[],
  subjectOf: (key: string) => string,
): { view: WhatIfResult; analysis: AnalysisWhatIf } {
  const asResult = (r: { summary: RunSummary; decisions: Decision[] }): ReplayResult => ({
    decisions: r.decisions, countsByOutcome: r.summary.countsByOutcome, countsByMethod: r.summary.countsByMethod,
  });
  const analysis = diffReplays(asResult(baseline), asResult(proposal), diffSettings(baseline.settings, proposal.settings), messages);
  const byKey = new Map(analysis.changes.map((c) => [c.key, c]));
  const side = (d: AnalysisWhatIf['changes'][number]['before']): WhatIfChange['before'] => ({
    outcome: d.outcome, correlationMethod: d.method, correlatedTo: d.correlatedTo, parent: d.parent, regarding: d.regarding,
  });
  const groups: WhatIfGroup[] = analysis.groups.map((g) => ({
    cause: g.sentence,
    kind: g.kind,
    settings: g.settings,
    knockOn: g.knockOn,
    changes: g.keys.flatMap((key) => {
      const c = byKey.get(key);
      return c ? [{ key, subject: c.subject || subjectOf(key), before: side(c.before), after: side(c.after), fields: c.fields }] : [];
    }),
  }));
  return {
    analysis,
    view: {
      baseline: baseline.summary,
      proposal: proposal.summary,
      changedSettings: analysis.settingsDiff.map((c) => ({ name: c.key, before: c.from, after: c.to })),
      groups,
      total: analysis.total,
      changed: analysis.changed,
      tracked: { baseline: analysis.baseline.tracked, proposal: analysis.proposal.tracked },
      effectLines: analysis.effectLines,
    },
  };
}
