// `router run DIR [--preset NAME] [--json]`, `router check DIR [DIR...]`, `router compare DIR A B [--json]`:
// the E-mail Router sink-mailbox replay (core/router) over router scenarios (assets/router-scenarios).
// Exit codes as `scenario`: 0 ok, 1 expectations failed, 2 unreadable scenario, 64 usage.

import { loadRouterScenario, routerInputFor, type LoadedRouterScenario } from '../../node/router/load.js';
import { replayRouter } from '../../router/replay.js';
import { routerHeadline } from '../../router/explain.js';
import { compareRouterResults } from '../../router/compare.js';
import { checkRouterExpect, toRouterRunResults } from '../../router/scenario.js';
import { findPreset, PRESETS } from '../../analysis/presets.js';
import { parseArgs, UsageError } from './args.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

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
  const [sub, ...rest] = argv;
  let a;
  try {
    a = parseArgs(rest, ['preset'], ['json']);
    if (sub === 'run') {
      if (a.positionals.length !== 1) throw new UsageError('router run needs exactly one DIR');
      const preset = a.options.get('preset');
      if (preset) knownPreset(preset);
      const l = load(a.positionals[0] as string, io);
      if (!l) return 2;
      const res = replayRouter(routerInputFor(l, preset ?? l.scenario.preset));
      if (a.flags.has('json')) { io.out(JSON.stringify(toRouterRunResults(res.decisions), null, 2)); return 0; }
      io.out(`${l.scenario.title} [preset ${res.era}, sink ${l.scenario.sink}]`);
      for (const d of res.decisions) io.out(routerHeadline(d));
      io.out(`Sink after the run: Inbox ${res.sink.inbox.length}, removed ${res.sink.removed.length}, Undeliverable ${res.sink.undeliverable.length}${res.sink.undeliverable.length ? ` (${res.sink.undeliverable.map((u) => `${u.key}: ${u.reason}`).join('; ')})` : ''}`);
      return 0;
    }
    if (sub === 'check') {
      if (a.positionals.length === 0 || a.options.size || a.flags.size) throw new UsageError('router check needs at least one DIR and no options');
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
      return unreadable ? 2 : failed > 0 ? 1 : 0;
    }
    if (sub === 'compare') {
      if (a.positionals.length !== 3) throw new UsageError('router compare needs DIR PRESET_A PRESET_B');
      const [dir, pa, pb] = a.positionals as [string, string, string];
      knownPreset(pa);
      knownPreset(pb);
      const l = load(dir, io);
      if (!l) return 2;
      const cmp = compareRouterResults(replayRouter(routerInputFor(l, pa)), replayRouter(routerInputFor(l, pb)));
      if (a.flags.has('json')) { io.out(JSON.stringify(cmp, null, 2)); return 0; }
      io.out(`${l.scenario.title}: ${pa} → ${pb}`);
      for (const c of cmp.changed) io.out(`${c.key}: ${c.summary}`);
      io.out(`${cmp.changed.length} changed, ${cmp.unchanged.length} unchanged`);
      return 0;
    }
    if (sub === '--help' || sub === 'help') { io.out(USAGE); return 0; }
    throw new UsageError(sub === undefined ? 'missing subcommand' : `unknown subcommand ${sub}`);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`${e.message}\n${USAGE}`); return 64; }
    throw e;
  }
}
