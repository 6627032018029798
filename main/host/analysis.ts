// Host handlers of the analysis views (issues 5 and 7): apply kit, version presets, the tuning sweep,
// the explained what-if, the audit of a Dataverse export and the report export. Every computation is a
// pure core module (core/analysis); this file only loads, checks paths, streams progress, honours
// cancellation and keeps the latest result of each kind for the report export. Replays go through the
// workspace's replay session, so they reuse the last replay's work.
import fs from 'node:fs';
import path from 'node:path';
import type { AuditView, JobProgress, PresetComparisonView, SweepDefaults } from '../../core/contract/contract.js';
import { ApplyKitError, buildApplyKit } from '../../core/analysis/applyKit.js';
import { runAudit } from '../../core/analysis/audit.js';
import { AuditImportError, parseDirectory, parseEmailActivities } from '../../core/analysis/auditImport.js';
import { applyPreset, compareDecisions, explainPresetDiff, findPreset, PRESETS } from '../../core/analysis/presets.js';
import { envelope, renderCsv, renderHtml } from '../../core/analysis/report.js';
import {
  defaultSweepGrid, drillPoint, KEYWORD_VARIANTS, MAX_SWEEP_POINTS, parseSweepGrid, resolvePoints, SweepGridError, SWEPT_KEYS, type SweepGrid,
} from '../../core/analysis/sweep.js';
import { runSweepParallel, SweepCancelled } from '../../core/node/analysis/sweepParallel.js';
import { whatIf } from '../../core/analysis/whatif.js';
import { validateSettings, replay, type DirectoryEntry } from '../../core/engine/index.js';
import { getMessageRow, type Workspace } from '../../core/node/workspace/index.js';
import { sourcePaths } from '../../core/node/workspace/workspaceTotals.js';
import type { HandlerSlice, HostContext } from './context.js';
import { fail } from './errors.js';
import { checkpoint, JobCancelled } from './replayJobs.js';
import { ReportFileError, writeReportFile, type ProtectedFile } from './reportFile.js';

export type AnalysisMethod = 'applykit.build' | 'presets.list' | 'presets.compare' | 'sweep.defaults' | 'sweep.run' | 'sweep.point' | 'whatif.explain' | 'audit.run' | 'report.export';

/**
 * The sweep worker to start. From sources (tsx in browser mode, vitest) sweepParallel finds its sibling
 * sweepWorker.ts itself; the Electron build bundles the host into dist/main/host.cjs and the worker into
 * dist/main/sweepWorker.cjs beside it (main/build/build.mjs), so the bundled host names that file.
 */
function sweepWorkerUrl(): URL | undefined {
  return import.meta.url.endsWith('.cjs') ? new URL('./sweepWorker.cjs', import.meta.url) : undefined;
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail('IMPORT_ERROR', `Cannot read the ${what} ${file}: ${(e as Error).message}.`);
  }
}

export function createAnalysisHandlers(ctx: HostContext): HandlerSlice<AnalysisMethod> {
  const progress = (jobId: string, kind: JobProgress['kind'], done: number, total: number | null, message: string): void =>
    ctx.emit('job.progress', { jobId, kind, done, total, message });
  const preset = (name: string) => findPreset(name) ?? fail('NOT_FOUND', `There is no preset "${name}": use one of ${PRESETS.map((p) => p.name).join(', ')}.`);

  return {
    'applykit.build': ({ baseline, proposal, organizationUri, organizationId, measuredEffect }) => {
      try {
        return buildApplyKit(ctx.profileSettings(baseline), ctx.profileSettings(proposal), {
          organizationUri: organizationUri ?? 'https://yourorg.crm.dynamics.com',
          ...(organizationId ? { organizationId } : {}),
          ...(measuredEffect ? { measuredEffect } : {}),
        });
      } catch (e) {
        if (e instanceof ApplyKitError) fail('SETTINGS_INVALID', `Cannot build the apply kit: ${e.message}.`);
        throw e;
      }
    },

    'presets.list': () =>
      PRESETS.map((p) => ({ name: p.name, title: p.title, description: p.description, behaviour: p.behaviour, notes: p.notes, sources: p.sources, delivery: p.delivery, settings: applyPreset(p) })),

    'presets.compare': async ({ before, after, jobId }): Promise<PresetComparisonView> => {
      const a = preset(before);
      const b = preset(after);
      const job = ctx.startJob(jobId, 'presets');
      try {
        // The workspace's session: the presets' replays reuse each other's work and the last replay's.
        const session = ctx.session();
        const input = session.input();
        const cache = session.cache;
        const total = input.messages.length * 2;
        progress(job.jobId, 'presets', 0, total, `replaying under ${a.name}`);
        await checkpoint(job.signal);
        const ra = replay({ ...input, settings: applyPreset(a) }, cache);
        progress(job.jobId, 'presets', total / 2, total, `replaying under ${b.name}`);
        await checkpoint(job.signal);
        const rb = replay({ ...input, settings: applyPreset(b) }, cache);
        progress(job.jobId, 'presets', total, total, 'compared');
        const cmp = compareDecisions(ra, rb, [a.name, b.name], explainPresetDiff(a, b));
        const subject = new Map(input.messages.map((m) => [m.key, m.subject]));
        return {
          before: cmp.before, after: cmp.after, settingChanges: cmp.settingChanges,
          changed: cmp.changed.map((c) => ({ key: c.key, subject: subject.get(c.key) ?? c.key, summary: c.summary })),
          unchangedCount: cmp.unchanged.length, countsBefore: cmp.countsBefore, countsAfter: cmp.countsAfter,
        };
      } finally {
        job.done();
      }
    },

    'sweep.defaults': (): SweepDefaults => ({
      keywordVariants: { ...KEYWORD_VARIANTS }, sweptKeys: [...SWEPT_KEYS], defaultPoints: defaultSweepGrid().points.length, maxPoints: MAX_SWEEP_POINTS,
    }),

    'sweep.run': async ({ jobId, profile, grid }) => {
      const w = ctx.requireWs();
      const name = profile ?? ctx.baselineName();
      const baseline = ctx.profileSettings(name);
      let parsed: SweepGrid;
      try {
        parsed = grid ? parseSweepGrid(grid, 'the grid') : defaultSweepGrid();
      } catch (e) {
        if (e instanceof SweepGridError) return fail('INVALID_INPUT', e.message.split('\n')[0] ?? e.message, e.message.split('\n'));
        throw e;
      }
      const job = ctx.startJob(jobId, 'sweep');
      try {
        const input = ctx.session().input();
        // The baseline plus every point: the replays the progress counts.
        const total = resolvePoints(baseline, parsed).length + 1;
        progress(job.jobId, 'sweep', 0, total, 'starting the sweep workers; building the true conversations');
        const workerUrl = sweepWorkerUrl();
        let result;
        try {
          result = await runSweepParallel(input, baseline, parsed, {
            signal: job.signal,
            ...(ctx.options.sweepWorkers !== undefined ? { workers: ctx.options.sweepWorkers } : {}),
            ...(workerUrl ? { workerUrl } : {}),
            onProgress: (done, all) => progress(job.jobId, 'sweep', done, all, `replay ${done} of ${all}`),
            onFallback: (reason) => progress(job.jobId, 'sweep', 0, total, `${reason}: running the sweep in one thread (slower)`),
          });
        } catch (e) {
          // The host's cancellation error, so job.cancel answers CANCELLED like every other job.
          if (e instanceof SweepCancelled) throw new JobCancelled('cancelled');
          throw e;
        }
        ctx.latest.set(envelope('sweep', result, { source: { workspace: w.file, settings: name, grid: grid ? 'edited in the app' : 'default' } }));
        return result;
      } finally {
        job.done();
      }
    },

    'sweep.point': async ({ profile, pointId, label, settings, limit }) => {
      const base = ctx.profileSettings(profile ?? ctx.baselineName());
      const v = validateSettings({ ...base, ...settings });
      if (!v.ok) return fail('SETTINGS_INVALID', `The point's settings are not valid: ${v.errors[0]?.message ?? ''}`, v.errors.map((e) => e.message));
      await checkpoint(undefined);
      const session = ctx.session();
      return drillPoint(session.input(), v.settings, { id: pointId, label }, limit ?? 200, session.cache);
    },

    'whatif.explain': async ({ baseline, proposal, jobId }) => {
      const w = ctx.requireWs();
      const a = ctx.profileSettings(baseline);
      const b = ctx.profileSettings(proposal);
      const job = ctx.startJob(jobId, 'whatif');
      try {
        const session = ctx.session();
        const input = session.input();
        progress(job.jobId, 'whatif', 0, null, 'replaying under the baseline');
        await checkpoint(job.signal);
        // The replays run in one synchronous pass each; progress is reported between them.
        const result = whatIf(input, a, b, session.cache, {
          onProgress: (done, total, what) => progress(job.jobId, 'whatif', done, total, `replay ${done + 1} of ${total}: ${what}`),
        });
        await checkpoint(job.signal);
        const facts = new Map<string, { subject: string; date: string | null; from: string | null }>();
        for (const m of input.messages) facts.set(m.key, { subject: m.subject, date: m.date, from: m.from });
        for (const t of input.tracked) if (!facts.has(t.id)) facts.set(t.id, { subject: t.subject, date: t.sentOn, from: t.from });
        const emails: Record<string, { subject: string; date: string | null; from: string | null }> = {};
        for (const c of result.changes) {
          for (const k of [c.key, c.before.correlatedTo, c.after.correlatedTo, c.before.parent, c.after.parent]) {
            if (k !== null && !(k in emails)) emails[k] = facts.get(k) ?? { subject: '(an email not in the workspace)', date: null, from: null };
          }
        }
        ctx.latest.whatIf(result, { workspace: w.file, baseline, proposal });
        return { ...result, baselineName: baseline, proposalName: proposal, emails };
      } finally {
        job.done();
      }
    },

    'audit.run': async ({ jobId, emails, directory, profile }): Promise<AuditView> => {
      const w = ctx.requireWs();
      const settings = ctx.profileSettings(profile);
      const emailFile = ctx.checkedPath(emails);
      const dirFiles = (directory ?? []).map(ctx.checkedPath);
      const job = ctx.startJob(jobId, 'audit');
      try {
        const steps = 3 + dirFiles.length;
        progress(job.jobId, 'audit', 0, steps, `reading ${path.basename(emailFile)}`);
        let imported;
        try {
          imported = parseEmailActivities(readText(emailFile, 'email export'), emailFile);
        } catch (e) {
          if (e instanceof AuditImportError) return fail('IMPORT_ERROR', e.message);
          throw e;
        }
        const directoryProblems: AuditView['directoryProblems'] = [];
        const entries = new Map<string, DirectoryEntry>();
        for (const [i, file] of dirFiles.entries()) {
          await checkpoint(job.signal);
          progress(job.jobId, 'audit', 1 + i, steps, `reading ${path.basename(file)}`);
          try {
            const d = parseDirectory(readText(file, 'directory export'), undefined, file);
            for (const e of d.rows) entries.set(e.ref, e);
            directoryProblems.push(...d.problems.map((p) => ({ file, ...p })));
          } catch (e) {
            if (e instanceof AuditImportError) return fail('IMPORT_ERROR', e.message);
            throw e;
          }
        }
        await checkpoint(job.signal);
        progress(job.jobId, 'audit', steps - 2, steps, 'replaying with the settings of the time');
        const input = ctx.session().input();
        // The imported directory completes the workspace's: the same record imported wins (it is what Dynamics held).
        const merged = new Map(input.directory.entries.map((e) => [e.ref, e]));
        for (const [ref, e] of entries) merged.set(ref, e);
        const result = runAudit({ input: { ...input, directory: { entries: [...merged.values()] } }, settings, emails: imported.rows, importProblems: imported.problems });
        await checkpoint(job.signal);
        progress(job.jobId, 'audit', steps, steps, 'compared');
        ctx.latest.set(envelope('audit', result, { source: { workspace: w.file, emails: emailFile, settings: profile, ...(dirFiles.length ? { directory: dirFiles.join(', ') } : {}) } }));
        return { ...result, directoryProblems, directoryImported: entries.size, emailsFormat: imported.format };
      } finally {
        job.done();
      }
    },

    'report.export': ({ kind, format, path: target, overwrite }) => {
      const file = ctx.checkedPath(target);
      const env = ctx.latest.get(kind);
      if (!env) {
        const how = kind === 'whatif' ? 'run a what-if (Settings)' : kind === 'sweep' ? 'run a sweep (Tuning)' : 'run an audit (Audit)';
        return fail('NOT_FOUND', `There is no ${kind} result to export yet: ${how} first.`);
      }
      const text = format === 'json' ? `${JSON.stringify(env, null, 2)}\n` : format === 'csv' ? renderCsv(env) : renderHtml(env);
      const w = ctx.requireWs();
      // Never over the open workspace (nor its journal files) or a mailbox it was imported from.
      const protect: ProtectedFile[] = [
        ...['', '-wal', '-shm', '-journal'].map((suffix) => ({ path: w.file + suffix, what: 'the open workspace' })),
        ...sourcePaths(w).map((s) => ({ path: s, what: 'an imported mail source' })),
      ];
      try {
        return writeReportFile(file, text, { protect, overwrite: overwrite === true });
      } catch (e) {
        if (!(e instanceof ReportFileError)) throw e;
        return fail(e.problem === 'FILE_EXISTS' ? 'FILE_EXISTS' : 'INVALID_INPUT', e.message);
      }
    },
  };
}

/** The subject of a workspace message for lists (the key itself when it is not a row id). */
export function subjectOf(w: Workspace, key: string): string {
  return /^\d+$/.test(key) ? (getMessageRow(w, Number(key))?.subject ?? key) : key;
}
