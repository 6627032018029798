// Host handlers of the training views: the scenario library (each step with its decision and the
// settings that decided it) and the E-mail Router mode (router scenarios replayed under an era preset,
// step by step, and two eras compared).
import fs from 'node:fs';
import path from 'node:path';
import type { RouterScenarioSummary, RouterStepView } from '../../core/contract/contract.js';
import { findPreset, PRESETS } from '../../core/analysis/presets.js';
import { checkRouterExpect, compareRouterResults, explainRouterDecision, replayRouter, routerHeadline, sinkViewAfter, toRouterRunResults, type RouterResult } from '../../core/router/index.js';
import { loadRouterScenario, routerInputFor, type LoadedRouterScenario } from '../../core/node/router/load.js';
import { ScenarioLibrary } from '../../core/node/scenario/library.js';
import type { HandlerSlice, HostContext } from './context.js';
import { fail, HostError } from './errors.js';
import { withDecidingSettings } from './why.js';

export type TrainingMethod = 'scenarios.list' | 'scenarios.step' | 'router.list' | 'router.step' | 'router.compare';

export function createTrainingHandlers(ctx: HostContext): HandlerSlice<TrainingMethod> {
  const { scenariosDir } = ctx.options;
  const library = scenariosDir ? new ScenarioLibrary(scenariosDir) : null;
  const requireLibrary = (): ScenarioLibrary => {
    if (!library) throw new HostError('NOT_FOUND', 'This build has no training scenarios: start SyncLens with its assets/scenarios folder.');
    return library;
  };
  const routerScenariosDir = ctx.options.routerScenariosDir ?? (scenariosDir ? path.join(path.dirname(scenariosDir), 'router-scenarios') : null);
  const routerCache = new Map<string, LoadedRouterScenario>();
  const routerDirs = (): string[] => {
    const dir = routerScenariosDir;
    if (!dir || !fs.existsSync(dir)) return fail('NOT_FOUND', 'This build has no E-mail Router scenarios: start SyncLens with its assets/router-scenarios folder.');
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'scenario.json'))).map((e) => e.name).sort();
  };
  const routerScenario = (id: string): LoadedRouterScenario => {
    if (!routerDirs().includes(id)) fail('NOT_FOUND', `There is no router scenario "${id}": pick one from the list.`);
    const cached = routerCache.get(id);
    if (cached) return cached;
    try {
      const loaded = loadRouterScenario(path.join(routerScenariosDir as string, id));
      routerCache.set(id, loaded);
      return loaded;
    } catch (e) {
      return fail('INVALID_INPUT', `The router scenario ${id} does not load: ${(e as Error).message.split('\n')[0] ?? ''}`, (e as Error).message.split('\n'));
    }
  };
  const routerRun = (l: LoadedRouterScenario, preset: string): RouterResult => {
    if (!findPreset(preset)) fail('INVALID_INPUT', `Unknown preset ${preset}: use one of ${PRESETS.map((p) => p.name).join(', ')}.`);
    try {
      return replayRouter(routerInputFor(l, preset));
    } catch (e) {
      return fail('INVALID_INPUT', `The router scenario cannot be replayed under ${preset}: ${(e as Error).message}`);
    }
  };

  return {
    'scenarios.list': () =>
      requireLibrary().list().map(({ dir: _dir, ...s }) => s),

    'scenarios.step': ({ id, index }) => {
      const step = requireLibrary().step(id, index);
      const decision = withDecidingSettings(step.decision);
      return { ...step, decision, trace: decision.trace };
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
      if (index >= total) fail('NOT_FOUND', `Router scenario ${id} has ${total} messages; step ${index + 1} does not exist.`);
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
