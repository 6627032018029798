// Replay and what-if as host jobs: load the workspace's replay input, run the engine's replay with a
// profile's settings, store the run, and (for what-if) compare two runs decision by decision. The
// replay function is injectable (HostOptions.replay, tests) and defaults to core/engine/replay.
//
// The engine's replay is one synchronous pass, so a job reports progress and honours cancellation at
// its phase boundaries (loaded, replayed, saved): between phases the host yields to its event loop, so
// a job.cancel that arrived meanwhile aborts the job before its run is stored.
import type { RunSummary, WhatIfChange, WhatIfGroup, WhatIfResult } from '../../core/contract/contract.js';
import { ReplayCache, replay as engineReplay } from '../../core/engine/replay.js';
import type { Settings } from '../../core/engine/settings.js';
import { diffSettings } from '../../core/engine/settingsMeta.js';
import type { Decision, ReplayInput, ReplayResult } from '../../core/engine/types.js';
import { loadReplayInput, saveRun, type Workspace } from '../../core/node/workspace/index.js';

export interface ReplayHooks {
  onProgress?: (done: number, total: number, phase: string) => void;
  signal?: AbortSignal;
  /** Reused across the two replays of a what-if (same MessageFacts objects), see ReplayCache. */
  cache?: ReplayCache;
}

export type ReplayFn = (input: ReplayInput, hooks: ReplayHooks) => ReplayResult | Promise<ReplayResult>;

/** The engine's own replay (core/engine/replay.ts). */
export const defaultReplay: ReplayFn = (input, hooks) => engineReplay(input, hooks.cache ?? new ReplayCache());

export class JobCancelled extends Error {
  override readonly name = 'AbortError';
}

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

type Visible = WhatIfChange['before'];
const visible = (d: Decision): Visible => ({ outcome: d.outcome, correlationMethod: d.correlationMethod, correlatedTo: d.correlatedTo, parent: d.parent, regarding: d.regarding });
const same = (a: Visible, b: Visible): boolean =>
  a.outcome === b.outcome && a.correlationMethod === b.correlationMethod && a.correlatedTo === b.correlatedTo && a.parent === b.parent && a.regarding === b.regarding;

/** One readable cause per kind of transition, e.g. "SmartMatching now correlates 27 messages (was None)". */
function causeOf(before: Visible, after: Visible): string {
  if (before.correlationMethod !== after.correlationMethod) {
    return after.correlationMethod === 'None' || after.correlationMethod === 'Skipped'
      ? `no longer correlated (was ${before.correlationMethod}, now ${after.correlationMethod})`
      : `${after.correlationMethod} now correlates (was ${before.correlationMethod})`;
  }
  if (before.outcome !== after.outcome) return `outcome ${before.outcome} → ${after.outcome}`;
  if (before.correlatedTo !== after.correlatedTo) return `${after.correlationMethod} now picks a different email`;
  return 'Regarding or parent changed';
}

export function compareRuns(
  baseline: { summary: RunSummary; decisions: Decision[]; settings: Settings },
  proposal: { summary: RunSummary; decisions: Decision[]; settings: Settings },
  subjectOf: (key: string) => string,
): WhatIfResult {
  const before = new Map(baseline.decisions.map((d) => [d.key, d]));
  const groups = new Map<string, WhatIfChange[]>();
  for (const d of proposal.decisions) {
    const b = before.get(d.key);
    if (!b) continue;
    const vb = visible(b);
    const va = visible(d);
    if (same(vb, va)) continue;
    const cause = causeOf(vb, va);
    groups.set(cause, [...(groups.get(cause) ?? []), { key: d.key, subject: subjectOf(d.key), before: vb, after: va }]);
  }
  const grouped: WhatIfGroup[] = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([cause, changes]) => ({ cause: `${cause}: ${changes.length} message${changes.length === 1 ? '' : 's'}`, changes }));
  return {
    baseline: baseline.summary,
    proposal: proposal.summary,
    changedSettings: diffSettings(baseline.settings, proposal.settings).map((c) => ({ name: c.key, before: c.from, after: c.to })),
    groups: grouped,
  };
}
