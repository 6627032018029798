// Host handlers of the analysis views (issues 5 and 7): apply kit, version presets, the tuning sweep,
// the audit of a Dataverse export, report export, the supported-configuration check, mailbox profile
// tags with their replay warnings, and the E-mail Router mode of the training view. Every computation
// is a pure core module (core/analysis, core/router); this file only loads, checks paths, streams
// progress, honours cancellation and keeps the latest result of each kind for the report export.
import fs from 'node:fs';
import path from 'node:path';
import type {
  AuditView,
  MethodInput,
  MethodName,
  MethodOutput,
  PresetComparisonView,
  RouterScenarioSummary,
  RouterStepView,
  SweepDefaults,
} from '../../core/contract/contract.js';
import { ApplyKitError, buildApplyKit } from '../../core/analysis/applyKit.js';
import { runAudit } from '../../core/analysis/audit.js';
import { AuditImportError, parseDirectory, parseEmailActivities } from '../../core/analysis/auditImport.js';
import { applyPreset, compareDecisions, explainPresetDiff, findPreset, PRESETS } from '../../core/analysis/presets.js';
import { envelope, renderCsv, renderHtml, type ReportEnvelope, type ReportKind } from '../../core/analysis/report.js';
import { checkSupport, parseSupportConfig, replayWarnings, simulatedUseFromReplay, SUPPORT_RULES } from '../../core/analysis/supportCheck.js';
import {
  defaultSweepGrid, drillPoint, KEYWORD_VARIANTS, MAX_SWEEP_POINTS, parseSweepGrid, resolvePoints, SweepGridError, SWEPT_KEYS, type SweepGrid,
} from '../../core/analysis/sweep.js';
import { runSweepParallel, SweepCancelled } from '../../core/node/analysis/sweepParallel.js';
import { whatIf, type WhatIfResult as AnalysisWhatIf } from '../../core/analysis/whatif.js';
import { validateSettings, ReplayCache, replay, type Settings, type DirectoryEntry } from '../../core/engine/index.js';
import { checkRouterExpect, compareRouterResults, explainRouterDecision, replayRouter, routerHeadline, sinkViewAfter, toRouterRunResults, type RouterResult } from '../../core/router/index.js';
import { loadRouterScenario, routerInputFor, type LoadedRouterScenario } from '../../core/node/router/load.js';
import { getMessageRow, listDecisions, listProfileTags, listRuns, loadReplayInput, setProfileTag, type Workspace } from '../../core/node/workspace/index.js';
import { checkpoint, JobCancelled } from './replayJobs.js';
import { ReportFileError, writeReportFile, type ProtectedFile } from './reportFile.js';

type Handler<M extends MethodName> = (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

export type AnalysisMethod =
  | 'applykit.build' | 'presets.list' | 'presets.compare' | 'sweep.defaults' | 'sweep.run' | 'sweep.point' | 'whatif.explain' | 'audit.run' | 'report.export'
  | 'support.rules' | 'support.check' | 'mailboxes.tags' | 'mailboxes.setTag' | 'replay.warnings' | 'router.list' | 'router.step' | 'router.compare';

/** What the host gives these handlers (its own helpers, so behaviour matches the other methods). */
export interface AnalysisContext {
  requireWs: () => Workspace;
  profileSettings: (name: string) => Settings;
  baselineName: () => string;
  checkedPath: (p: string) => string;
  startJob: (requested: string | undefined, kind: string) => { jobId: string; signal: AbortSignal; done: () => void };
  progress: (jobId: string, kind: 'sweep' | 'audit' | 'presets' | 'whatif', done: number, total: number | null, message: string) => void;
  fail: (code: 'INVALID_INPUT' | 'NOT_FOUND' | 'IMPORT_ERROR' | 'SETTINGS_INVALID' | 'WORKSPACE_ERROR' | 'FILE_EXISTS', message: string, details?: string[]) => never;
  routerScenariosDir: string | null;
  /** Worker threads of the tuning sweep (default: the machine's available parallelism). */
  sweepWorkers?: number;
}

/** The latest result of each report kind, written by report.export (what the CLI's --json holds). */
export class LatestResults {
  private readonly byKind = new Map<ReportKind, ReportEnvelope>();
  set(env: ReportEnvelope): void {
    this.byKind.set(env.kind, env);
  }
  get(kind: ReportKind): ReportEnvelope | undefined {
    return this.byKind.get(kind);
  }
  clear(): void {
    this.byKind.clear();
  }
  whatIf(result: AnalysisWhatIf, source: Record<string, string>): void {
    this.set(envelope('whatif', result, { source }));
  }
}

/**
 * The sweep worker to start. From sources (tsx in browser mode, vitest) sweepParallel finds its sibling
 * sweepWorker.ts itself; the Electron build bundles the host into dist/main/host.cjs and the worker into
 * dist/main/sweepWorker.cjs beside it (main/build/build.mjs), so the bundled host names that file.
 */
function sweepWorkerUrl(): URL | undefined {
  return import.meta.url.endsWith('.cjs') ? new URL('./sweepWorker.cjs', import.meta.url) : undefined;
}

function readText(file: string, what: string, fail: AnalysisContext['fail']): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail('IMPORT_ERROR', `Cannot read the ${what} ${file}: ${(e as Error).message}.`);
  }
}

export function createAnalysisHandlers(ctx: AnalysisContext, latest: LatestResults): { [M in AnalysisMethod]: Handler<M> } {
  const routerCache = new Map<string, LoadedRouterScenario>();
  const routerDirs = (): string[] => {
    const dir = ctx.routerScenariosDir;
    if (!dir || !fs.existsSync(dir)) return ctx.fail('NOT_FOUND', 'This build has no E-mail Router scenarios: start SyncLens with its assets/router-scenarios folder.');
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'scenario.json'))).map((e) => e.name).sort();
  };
  const routerScenario = (id: string): LoadedRouterScenario => {
    if (!routerDirs().includes(id)) ctx.fail('NOT_FOUND', `There is no router scenario "${id}": pick one from the list.`);
    const cached = routerCache.get(id);
    if (cached) return cached;
    try {
      const loaded = loadRouterScenario(path.join(ctx.routerScenariosDir!, id));
      routerCache.set(id, loaded);
      return loaded;
    } catch (e) {
      return ctx.fail('INVALID_INPUT', `The router scenario ${id} does not load: ${(e as Error).message.split('\n')[0] ?? ''}`, (e as Error).message.split('\n'));
    }
  };
  const routerRun = (l: LoadedRouterScenario, preset: string): RouterResult => {
    if (!findPreset(preset)) ctx.fail('INVALID_INPUT', `Unknown preset ${preset}: use one of ${PRESETS.map((p) => p.name).join(', ')}.`);
    try {
      return replayRouter(routerInputFor(l, preset));
    } catch (e) {
      return ctx.fail('INVALID_INPUT', `The router scenario cannot be replayed under ${preset}: ${(e as Error).message}`);
    }
  };
  const preset = (name: string) => findPreset(name) ?? ctx.fail('NOT_FOUND', `There is no preset "${name}": use one of ${PRESETS.map((p) => p.name).join(', ')}.`);

  return {
    'applykit.build': ({ baseline, proposal, organizationUri, organizationId, measuredEffect }) => {
      try {
        return buildApplyKit(ctx.profileSettings(baseline), ctx.profileSettings(proposal), {
          organizationUri: organizationUri ?? 'https://yourorg.crm.dynamics.com',
          ...(organizationId ? { organizationId } : {}),
          ...(measuredEffect ? { measuredEffect } : {}),
        });
      } catch (e) {
        if (e instanceof ApplyKitError) ctx.fail('SETTINGS_INVALID', `Cannot build the apply kit: ${e.message}.`);
        throw e;
      }
    },

    'presets.list': () =>
      PRESETS.map((p) => ({ name: p.name, title: p.title, description: p.description, behaviour: p.behaviour, notes: p.notes, sources: p.sources, delivery: p.delivery, settings: applyPreset(p) })),

    'presets.compare': async ({ before, after, jobId }): Promise<PresetComparisonView> => {
      const w = ctx.requireWs();
      const a = preset(before);
      const b = preset(after);
      const job = ctx.startJob(jobId, 'presets');
      try {
        const input = loadReplayInput(w);
        const cache = new ReplayCache();
        const total = input.messages.length * 2;
        ctx.progress(job.jobId, 'presets', 0, total, `replaying under ${a.name}`);
        await checkpoint(job.signal);
        const ra = replay({ ...input, settings: applyPreset(a) }, cache);
        ctx.progress(job.jobId, 'presets', total / 2, total, `replaying under ${b.name}`);
        await checkpoint(job.signal);
        const rb = replay({ ...input, settings: applyPreset(b) }, cache);
        ctx.progress(job.jobId, 'presets', total, total, 'compared');
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
        if (e instanceof SweepGridError) return ctx.fail('INVALID_INPUT', e.message.split('\n')[0] ?? e.message, e.message.split('\n'));
        throw e;
      }
      const job = ctx.startJob(jobId, 'sweep');
      try {
        const input = loadReplayInput(w);
        // The baseline plus every point: the replays the progress counts.
        const total = resolvePoints(baseline, parsed).length + 1;
        ctx.progress(job.jobId, 'sweep', 0, total, 'starting the sweep workers; building the true conversations');
        const workerUrl = sweepWorkerUrl();
        let result;
        try {
          result = await runSweepParallel(input, baseline, parsed, {
            signal: job.signal,
            ...(ctx.sweepWorkers !== undefined ? { workers: ctx.sweepWorkers } : {}),
            ...(workerUrl ? { workerUrl } : {}),
            onProgress: (done, all) => ctx.progress(job.jobId, 'sweep', done, all, `replay ${done} of ${all}`),
            onFallback: (reason) => ctx.progress(job.jobId, 'sweep', 0, total, `${reason}: running the sweep in one thread (slower)`),
          });
        } catch (e) {
          // The host's cancellation error, so job.cancel answers CANCELLED like every other job.
          if (e instanceof SweepCancelled) throw new JobCancelled('cancelled');
          throw e;
        }
        latest.set(envelope('sweep', result, { source: { workspace: w.file, settings: name, grid: grid ? 'edited in the app' : 'default' } }));
        return result;
      } finally {
        job.done();
      }
    },

    'sweep.point': async ({ profile, pointId, label, settings, limit }) => {
      const w = ctx.requireWs();
      const base = ctx.profileSettings(profile ?? ctx.baselineName());
      const v = validateSettings({ ...base, ...settings });
      if (!v.ok) return ctx.fail('SETTINGS_INVALID', `The point's settings are not valid: ${v.errors[0]?.message ?? ''}`, v.errors.map((e) => e.message));
      await checkpoint(undefined);
      return drillPoint(loadReplayInput(w), v.settings, { id: pointId, label }, limit ?? 200);
    },

    'whatif.explain': async ({ baseline, proposal, jobId }) => {
      const w = ctx.requireWs();
      const a = ctx.profileSettings(baseline);
      const b = ctx.profileSettings(proposal);
      const job = ctx.startJob(jobId, 'whatif');
      try {
        const input = loadReplayInput(w);
        ctx.progress(job.jobId, 'whatif', 0, null, 'replaying under the baseline');
        await checkpoint(job.signal);
        // The replays run in one synchronous pass each; progress is reported between them.
        const result = whatIf(input, a, b, new ReplayCache(), {
          onProgress: (done, total, what) => ctx.progress(job.jobId, 'whatif', done, total, `replay ${done + 1} of ${total}: ${what}`),
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
        latest.whatIf(result, { workspace: w.file, baseline, proposal });
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
        ctx.progress(job.jobId, 'audit', 0, steps, `reading ${path.basename(emailFile)}`);
        let imported;
        try {
          imported = parseEmailActivities(readText(emailFile, 'email export', ctx.fail), emailFile);
        } catch (e) {
          if (e instanceof AuditImportError) return ctx.fail('IMPORT_ERROR', e.message);
          throw e;
        }
        const directoryProblems: AuditView['directoryProblems'] = [];
        const entries = new Map<string, DirectoryEntry>();
        for (const [i, file] of dirFiles.entries()) {
          await checkpoint(job.signal);
          ctx.progress(job.jobId, 'audit', 1 + i, steps, `reading ${path.basename(file)}`);
          try {
            const d = parseDirectory(readText(file, 'directory export', ctx.fail), undefined, file);
            for (const e of d.rows) entries.set(e.ref, e);
            directoryProblems.push(...d.problems.map((p) => ({ file, ...p })));
          } catch (e) {
            if (e instanceof AuditImportError) return ctx.fail('IMPORT_ERROR', e.message);
            throw e;
          }
        }
        await checkpoint(job.signal);
        ctx.progress(job.jobId, 'audit', steps - 2, steps, 'replaying with the settings of the time');
        const input = loadReplayInput(w);
        // The imported directory completes the workspace's: the same record imported wins (it is what Dynamics held).
        const merged = new Map(input.directory.entries.map((e) => [e.ref, e]));
        for (const [ref, e] of entries) merged.set(ref, e);
        const result = runAudit({ input: { ...input, directory: { entries: [...merged.values()] } }, settings, emails: imported.rows, importProblems: imported.problems });
        await checkpoint(job.signal);
        ctx.progress(job.jobId, 'audit', steps, steps, 'compared');
        latest.set(envelope('audit', result, { source: { workspace: w.file, emails: emailFile, settings: profile, ...(dirFiles.length ? { directory: dirFiles.join(', ') } : {}) } }));
        return { ...result, directoryProblems, directoryImported: entries.size, emailsFormat: imported.format };
      } finally {
        job.done();
      }
    },

    'report.export': ({ kind, format, path: target, overwrite }) => {
      const file = ctx.checkedPath(target);
      const env = latest.get(kind);
      if (!env) {
        const how = kind === 'whatif' ? 'run a what-if (Settings)' : kind === 'sweep' ? 'run a sweep (Tuning)' : 'run an audit (Audit)';
        return ctx.fail('NOT_FOUND', `There is no ${kind} result to export yet: ${how} first.`);
      }
      const text = format === 'json' ? `${JSON.stringify(env, null, 2)}\n` : format === 'csv' ? renderCsv(env) : renderHtml(env);
      const w = ctx.requireWs();
      // Never over the open workspace (nor its journal files) or a mailbox it was imported from.
      const protect: ProtectedFile[] = [
        ...['', '-wal', '-shm', '-journal'].map((suffix) => ({ path: w.file + suffix, what: 'the open workspace' })),
        ...(w.db.prepare('SELECT path FROM sources').all() as { path: string }[]).map((s) => ({ path: s.path, what: 'an imported mail source' })),
      ];
      try {
        return writeReportFile(file, text, { protect, overwrite: overwrite === true });
      } catch (e) {
        if (!(e instanceof ReportFileError)) throw e;
        return ctx.fail(e.problem === 'FILE_EXISTS' ? 'FILE_EXISTS' : 'INVALID_INPUT', e.message);
      }
    },

    'support.rules': () => [...SUPPORT_RULES],

    'support.check': ({ config }) => {
      let parsed;
      try {
        parsed = parseSupportConfig(config, 'the form');
      } catch (e) {
        return ctx.fail('INVALID_INPUT', (e as Error).message);
      }
      return checkSupport(parsed);
    },

    'mailboxes.tags': () => listProfileTags(ctx.requireWs()),

    'mailboxes.setTag': ({ mailbox, tag }) => {
      const w = ctx.requireWs();
      try {
        setProfileTag(w, mailbox, tag);
      } catch (e) {
        if (e instanceof Error && e.name !== 'WorkspaceError') ctx.fail('INVALID_INPUT', e.message);
        throw e;
      }
      return listProfileTags(w);
    },

    'replay.warnings': ({ runId }) => {
      const w = ctx.requireWs();
      const runs = listRuns(w);
      const run = runId === undefined ? (runs[runs.length - 1] ?? null) : runId === null ? null : (runs.find((r) => r.id === runId) ?? ctx.fail('NOT_FOUND', `Run ${runId} does not exist in this workspace.`));
      const tags = listProfileTags(w);
      if (!run || tags.length === 0) return { runId: run?.id ?? null, mailboxes: tags.map((t) => ({ mailbox: t.mailbox, tag: t.tag, warnings: [] })) };
      const messages = loadReplayInput(w).messages;
      const decisions = listDecisions(w, run.id);
      return {
        runId: run.id,
        mailboxes: tags.map((t) => ({ mailbox: t.mailbox, tag: t.tag, warnings: replayWarnings(t.tag, simulatedUseFromReplay(messages, decisions, t.mailbox)) })),
      };
    },

    'router.list': (): RouterScenarioSummary[] =>
      routerDirs().map((id) => {
        try {
          const l = routerScenario(id);
          return { id, title: l.scenario.title, lesson: l.scenario.lesson, preset: l.scenario.preset, sink: l.scenario.sink, messageCount: l.items.length };
        } catch (e) {
          return { id, title: id, lesson: '', preset: '', sink: '', messageCount: 0, error: (e as Error).message };
        }
      }),

    'router.step': ({ id, index, preset: requested }): RouterStepView => {
      const l = routerScenario(id);
      const era = requested ?? l.scenario.preset;
      const result = routerRun(l, era);
      const total = result.decisions.length;
      if (index >= total) ctx.fail('NOT_FOUND', `Router scenario ${id} has ${total} messages; step ${index + 1} does not exist.`);
      const d = result.decisions[index]!;
      const expect = (era === l.scenario.preset ? l.scenario.expect : (l.scenario.eras[era] ?? [])).filter((e) => e.file === d.key);
      const check = checkRouterExpect(era, expect, toRouterRunResults([d]));
      return {
        id, preset: era, index, total, decision: d, headline: routerHeadline(d), explanation: explainRouterDecision(d),
        sink: sinkViewAfter(result, index + 1), countsByFate: result.countsByFate,
        mismatches: check.mismatches.map((m) => ({ key: m.key, expected: m.expected, actual: m.actual })),
      };
    },

    'router.compare': ({ id, before, after }) => {
      const l = routerScenario(id);
      return compareRouterResults(routerRun(l, before), routerRun(l, after));
    },
  };
}

/** The subject of a workspace message for lists (the key itself when it is not a row id). */
export function subjectOf(w: Workspace, key: string): string {
  return /^\d+$/.test(key) ? (getMessageRow(w, Number(key))?.subject ?? key) : key;
}
