// `presets list | show NAME | diff A B`: the era presets of core/analysis/presets.ts (CRM 3.0, 4.0,
// 2011/2013+, current Dataverse) with their documented behaviour and what changes between two of them.

import { comparePresets, explainPresetDiff, findPreset, PRESETS, type Preset } from '../../analysis/presets.js';
import { loadScenario } from '../../node/scenario/load.js';
import { EXIT, runCommand, runSubcommand, std, UsageError, type Out } from '../args.js';

const USAGE = `usage:
  presets list
  presets show NAME
  presets diff A B
  presets whatif SCENARIO_DIR A B [--json]   (replays a scenario under both presets)`;


function need(name: string | undefined, io: Out): Preset | null {
  const p = name === undefined ? undefined : findPreset(name);
  if (!p) io.err(`${name === undefined ? 'missing preset name' : `unknown preset ${name}`}; known: ${PRESETS.map((x) => x.name).join(', ')}\n${USAGE}`);
  return p ?? null;
}

/** Subcommands take a fixed number of positionals; too many or too few is a usage error. */
function exactly(n: number, positionals: string[], what: string): void {
  if (positionals.length > n) throw new UsageError(`unexpected argument ${positionals[n]}`);
  if (positionals.length < n && n > 0 && what) throw new UsageError(`${what} is required`);
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const cmd = (name: string) => ({ name: `presets ${name}`, usage: USAGE, options: {} });
  return runSubcommand('presets', USAGE, argv, io, {
    list: (rest) => runCommand(cmd('list'), rest, io, ({ positionals }) => {
      exactly(0, positionals, '');
      for (const p of PRESETS) io.out(`${p.name.padEnd(10)} ${p.title}`);
      return EXIT.ok;
    }),
    show: (rest) => runCommand(cmd('show'), rest, io, ({ positionals }) => {
      exactly(1, positionals, '');
      const p = need(positionals[0], io);
      if (!p) return EXIT.usage;
      io.out(`${p.title}\n${p.description}\n\nSettings:`);
      for (const [k, v] of Object.entries(p.settings)) io.out(`  ${k} = ${JSON.stringify(v)}`);
      io.out('\nDocumented behaviour:');
      for (const x of p.behaviour) io.out(`  - ${x}`);
      io.out('\nNotes:');
      for (const x of p.notes) io.out(`  - ${x}`);
      io.out(`\nSources: ${p.sources.join(', ')}`);
      return EXIT.ok;
    }),
    diff: (rest) => runCommand(cmd('diff'), rest, io, ({ positionals }) => {
      exactly(2, positionals, '');
      const pa = need(positionals[0], io);
      const pb = pa && need(positionals[1], io);
      if (!pa || !pb) return EXIT.usage;
      const d = explainPresetDiff(pa, pb);
      if (d.length === 0) io.out(`${pa.name} and ${pb.name} have the same settings.`);
      for (const c of d) io.out(`${c.key}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} — ${c.effect}`);
      return EXIT.ok;
    }),
    whatif: (rest) => runCommand({ ...cmd('whatif'), options: { json: { type: 'boolean' } } as const }, rest, io, ({ values, positionals }) => {
      exactly(3, positionals, 'SCENARIO_DIR A B');
      const [dir, na, nb] = positionals as [string, string, string];
      const pa = need(na, io);
      const pb = pa && need(nb, io);
      if (!pa || !pb) return EXIT.usage;
      let loaded;
      try { loaded = loadScenario(dir); } catch (e) { io.err((e as Error).message); return EXIT.usage; }
      const cmp = comparePresets(loaded.input, pa, pb);
      if (values.json) { io.out(JSON.stringify(cmp, null, 2)); return EXIT.ok; }
      io.out(`${loaded.scenario.title}: ${pa.name} → ${pb.name}`);
      for (const c of cmp.changed) io.out(`${c.key}: ${c.summary}`);
      io.out(`${cmp.changed.length} changed, ${cmp.unchanged.length} unchanged`);
      return EXIT.ok;
    }),
  });
}
