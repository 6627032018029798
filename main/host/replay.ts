// Host handlers of replay: Run replay under a profile, the stored runs, and the what-if (two replays
// stored as runs and compared). Every replay goes through the open workspace's replay session
// (replaySession.ts): the input is loaded once and the engine reuses its previous run, so a what-if after
// a replay only redoes the decisions that read a setting the two profiles set differently.
import type { RunSummary } from '../../core/contract/contract.js';
import { describeOverrides } from '../../core/analysis/mailboxOverrides.js';
import { listRuns, loadMailboxOverrides } from '../../core/node/workspace/index.js';
import { subjectOf } from './analysis.js';
import type { HandlerSlice, HostContext } from './context.js';
import { relabelMailboxGroups, withRunMailboxes } from './mailboxes.js';
import { compareRuns, replayAndSave } from './replayJobs.js';

export type ReplayMethod = 'replay.run' | 'runs.list' | 'whatif.run';

export function createReplayHandlers(ctx: HostContext): HandlerSlice<ReplayMethod> {
  return {
    'replay.run': async ({ profile, jobId }) => {
      const w = ctx.requireWs();
      const settings = ctx.profileSettings(profile);
      const job = ctx.startJob(jobId, 'replay');
      try {
        // The profile's mailbox changes (Mailboxes view) replace the imported mailboxes for this replay only.
        const session = ctx.session();
        const overrides = loadMailboxOverrides(w, profile);
        const r = await replayAndSave(w, ctx.replayFn, profile, withRunMailboxes(settings, overrides), {
          signal: job.signal,
          cache: session.cache,
          onProgress: (done, total, phase) => ctx.emit('job.progress', { jobId: job.jobId, kind: 'replay', done, total, message: `${profile}: ${phase}` }),
        }, session.inputWith(overrides));
        ctx.runsChanged();
        return r.summary;
      } finally {
        job.done();
      }
    },

    'runs.list': (): RunSummary[] =>
      listRuns(ctx.requireWs()).map((r) => ({
        runId: r.id,
        profileName: r.profileName ?? '',
        createdAt: r.createdAt,
        countsByOutcome: r.counts.byOutcome,
        countsByMethod: r.counts.byMethod,
        durationMs: r.durationMs ?? 0,
      })),

    'whatif.run': async ({ baseline, proposal, jobId }) => {
      const w = ctx.requireWs();
      const sets = { baseline: ctx.profileSettings(baseline), proposal: ctx.profileSettings(proposal) };
      const job = ctx.startJob(jobId, 'whatif');
      try {
        const session = ctx.session();
        const loaded = session.input();
        const count = loaded.messages.length;
        const hooks = (step: string, offset: number) => ({
          signal: job.signal,
          cache: session.cache,
          onProgress: (done: number, _total: number, phase: string) =>
            ctx.emit('job.progress', { jobId: job.jobId, kind: 'whatif', done: offset + done, total: 2 * count, message: `${step}: ${phase}` }),
        });
        // Each profile replays with its own mailbox changes (the same arrays when it has none, or the
        // same ones as last time, so the engine reuses its previous run).
        const ovA = loadMailboxOverrides(w, baseline);
        const ovB = loadMailboxOverrides(w, proposal);
        const a = await replayAndSave(w, ctx.replayFn, baseline, withRunMailboxes(sets.baseline, ovA), hooks(baseline, 0), session.inputWith(ovA));
        const b = await replayAndSave(w, ctx.replayFn, proposal, withRunMailboxes(sets.proposal, ovB), hooks(proposal, count), session.inputWith(ovB));
        ctx.runsChanged();
        const { view, analysis } = compareRuns({ ...a, settings: sets.baseline }, { ...b, settings: sets.proposal }, loaded.messages, (key) => subjectOf(w, key));
        // Mailbox changes are listed with the setting changes, each against what the other profile has.
        const before = new Map(describeOverrides(loaded.mailboxes, ovA).map((l) => [l.name, l]));
        const after = new Map(describeOverrides(loaded.mailboxes, ovB).map((l) => [l.name, l]));
        for (const name of new Set([...before.keys(), ...after.keys()])) {
          const x = before.get(name);
          const y = after.get(name);
          const was = x ? x.after : (y?.before ?? null);
          const now = y ? y.after : (x?.before ?? null);
          if (JSON.stringify(was) !== JSON.stringify(now)) view.changedSettings.push({ name, before: was, after: now });
        }
        relabelMailboxGroups(view, loaded.messages, ovA, ovB);
        ctx.latest.whatIf(analysis, { workspace: w.file, baseline, proposal });
        return view;
      } finally {
        job.done();
      }
    },
  };
}
