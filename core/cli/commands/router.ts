// `router run DIR [--preset NAME] [--json]`, `router check DIR [DIR...]`, `router compare DIR A B [--json]`:
// the E-mail Router sink-mailbox replay (core/router) over router scenarios (assets/router-scenarios).
// Exit codes as `scenario`: 0 ok, 1 expectations failed, 2 usage or an unreadable scenario.

import { loadRouterScenario, routerInputFor, type LoadedRouterScenario } from '../../node/router/load.js';
import { replayRouter } from '../../router/replay.js';
import { routerHeadline } from '../../router/explain.js';
import { compareRouterResults } from '../../router/compare.js';
import { checkRouterExpect, toRouterRunResults } from '../../router/scenario.js';
import { findPreset, PRESETS } from '../../analysis/presets.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';


const USAGE = `usage:
  router run DIR [--preset NAME] [--json]
  router check DIR [DIR...]
  router compare DIR PRESET_A PRESET_B [--json]
presets: ${PRESETS.map((p) => p.name).join(', ')}`;

function load(dir: string, io: Out): LoadedRouterScenario | null {
  try {
    return loadRouterScenario(dir);
  } catch (e) {
    io.err((e as Error).message);
    return null;
  }
}

function knownPreset(name: string): void {
  if (!findPreset(name)) throw new UsageError(`unknown preset ${name}`);
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const cmd = <O extends Parameters<typeof runCommand>[0]['options']>(name: string, options: O) => ({ name: `router ${name}`, usage: USAGE, options });
  return runSubcommand('router', USAGE, argv, io, {
    run: (rest) => runCommand(cmd('run', { preset: { type: 'string' }, json: { type: 'boolean' } } as const), rest, io, (a) => {
      if (a.positionals.length !== 1) throw new UsageError('router run needs exactly one DIR');
      const preset = a.values.preset;
      if (preset) knownPreset(preset);
      const l = load(a.positionals[0] as string, io);
      if (!l) return EXIT.usage;
      const res = replayRouter(routerInputFor(l, preset ?? l.scenario.preset));
      if (a.values.json) { io.out(JSON.stringify(toRouterRunResults(res.decisions), null, 2)); return EXIT.ok; }
      io.out(`${l.scenario.title} [preset ${res.era}, sink ${l.scenario.sink}]`);
      for (const d of res.decisions) io.out(routerHeadline(d));
      io.out(`Sink after the run: Inbox ${res.sink.inbox.length}, removed ${res.sink.removed.length}, Undeliverable ${res.sink.undeliverable.length}${res.sink.undeliverable.length ? ` (${res.sink.undeliverable.map((u) => `${u.key}: ${u.reason}`).join('; ')})` : ''}`);
      return EXIT.ok;
    }),
    check: (rest) => runCommand(cmd('check', {}), rest, io, (a) => {
      if (a.positionals.length === 0) throw new UsageError('router check needs at least one DIR');
      let passed = 0;
      let failed = 0;
      let unreadable = false;
      for (const dir of a.positionals) {
        const l = load(dir, io);
        if (!l) { unreadable = true; continue; }
        const runs: [string, typeof l.scenario.expect][] = [[l.scenario.preset, l.scenario.expect], ...Object.entries(l.scenario.eras)];
        for (const [preset, expect] of runs) {
          const res = checkRouterExpect(preset, expect, toRouterRunResults(replayRouter(routerInputFor(l, preset)).decisions));
          for (const m of res.mismatches) io.out(`${dir}\t[${m.preset}]\t${m.file}\t${m.key}\texpected ${JSON.stringify(m.expected)}\tactual ${JSON.stringify(m.actual)}`);
          passed += res.passed;
          failed += res.failed;
        }
      }
      io.out(`${passed} passed, ${failed} failed`);
      return unreadable ? EXIT.usage : failed > 0 ? EXIT.failure : EXIT.ok;
    }),
    compare: (rest) => runCommand(cmd('compare', { json: { type: 'boolean' } } as const), rest, io, (a) => {
      if (a.positionals.length !== 3) throw new UsageError('router compare needs DIR PRESET_A PRESET_B');
      const [dir, pa, pb] = a.positionals as [string, string, string];
      knownPreset(pa);
      knownPreset(pb);
      const l = load(dir, io);
      if (!l) return EXIT.usage;
      const cmp = compareRouterResults(replayRouter(routerInputFor(l, pa)), replayRouter(routerInputFor(l, pb)));
      if (a.values.json) { io.out(JSON.stringify(cmp, null, 2)); return EXIT.ok; }
      io.out(`${l.scenario.title}: ${pa} → ${pb}`);
      for (const c of cmp.changed) io.out(`${c.key}: ${c.summary}`);
      io.out(`${cmp.changed.length} changed, ${cmp.unchanged.length} unchanged`);
      return EXIT.ok;
    }),
  });
}
