// `presets list | show NAME | diff A B`: the era presets of core/analysis/presets.ts (CRM 3.0, 4.0,
// 2011/2013+, current Dataverse) with their documented behaviour and what changes between two of them.

import { comparePresets, explainPresetDiff, findPreset, PRESETS, type Preset } from '../../analysis/presets.js';
import { loadScenario } from '../../node/scenario/load.js';

const USAGE = `usage:
  presets list
  presets show NAME
  presets diff A B
  presets whatif SCENARIO_DIR A B [--json]   (replays a scenario under both presets)`;

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

function need(name: string | undefined, io: Out): Preset | null {
  const p = name === undefined ? undefined : findPreset(name);
  if (!p) io.err(`${name === undefined ? 'missing preset name' : `unknown preset ${name}`}; known: ${PRESETS.map((x) => x.name).join(', ')}\n${USAGE}`);
  return p ?? null;
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, a, b, ...extra] = argv;
  if (sub === 'list' && a === undefined) {
    for (const p of PRESETS) io.out(`${p.name.padEnd(10)} ${p.title}`);
    return 0;
  }
  if (sub === 'show' && b === undefined) {
    const p = need(a, io);
    if (!p) return 2;
    io.out(`${p.title}\n${p.description}\n\nSettings:`);
    for (const [k, v] of Object.entries(p.settings)) io.out(`  ${k} = ${JSON.stringify(v)}`);
    io.out('\nDocumented behaviour:');
    for (const x of p.behaviour) io.out(`  - ${x}`);
    io.out('\nNotes:');
    for (const x of p.notes) io.out(`  - ${x}`);
    io.out(`\nSources: ${p.sources.join(', ')}`);
    return 0;
  }
  if (sub === 'diff' && extra.length === 0) {
    const pa = need(a, io);
    const pb = pa && need(b, io);
    if (!pa || !pb) return 2;
    const d = explainPresetDiff(pa, pb);
    if (d.length === 0) io.out(`${pa.name} and ${pb.name} have the same settings.`);
    for (const c of d) io.out(`${c.key}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} — ${c.effect}`);
    return 0;
  }
  if (sub === 'whatif') {
    const json = argv.includes('--json');
    const [dir, na, nb, ...more] = argv.slice(1).filter((x) => x !== '--json');
    if (!dir || more.length) { io.err(USAGE); return 2; }
    const pa = need(na, io);
    const pb = pa && need(nb, io);
    if (!pa || !pb) return 2;
    let loaded;
    try { loaded = loadScenario(dir); } catch (e) { io.err((e as Error).message); return 2; }
    const cmp = comparePresets(loaded.input, pa, pb);
    if (json) { io.out(JSON.stringify(cmp, null, 2)); return 0; }
    io.out(`${loaded.scenario.title}: ${pa.name} → ${pb.name}`);
    for (const c of cmp.changed) io.out(`${c.key}: ${c.summary}`);
    io.out(`${cmp.changed.length} changed, ${cmp.unchanged.length} unchanged`);
    return 0;
  }
  io.err(USAGE);
  return 2;
}
