// `sweep --workspace FILE [--settings SOURCE] [--grid FILE] [--workers N] [--json|--csv|--html OUT]`: the
// smart-matching tuning sweep (core/analysis/sweep.ts) on worker threads, graded against ground-truth
// conversations; prints every point with precision and recall, the Pareto front and the recommendation.

import { readFileSync } from 'node:fs';
import { defaultSweepGrid, KEYWORD_VARIANTS, parseSweepGrid, SWEPT_KEYS, type SweepGrid } from '../../analysis/sweep.js';
import { envelope } from '../../analysis/report.js';
import { runSweepParallel } from '../../node/analysis/sweepParallel.js';
import { loadReplayInput } from '../../node/workspace/index.js';
import { DEFAULT_SETTINGS } from '../../engine/index.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, InputError, openReadOnly, OUTPUT_HELP, OUTPUT_OPTIONS, outputTargets, resolveSettings, SETTINGS_SOURCE_HELP, std, writeOutputs, type Out } from './analysisIo.js';

export const USAGE = `usage: sweep --workspace FILE [--settings SOURCE] [--grid FILE] [--workers N] [--json OUT] [--csv OUT] [--html OUT]

Replays the workspace under a grid of smart-matching settings and grades every correlation against the
true conversations (Message-ID / In-Reply-To / References threading and Outlook Thread-Index, never
subjects): correlations gained, false correlations (across conversations), missed ones, precision and
recall. Marks the points no other point beats on both, and recommends one with the reason.

  --settings SOURCE  the baseline (default: the simulator's defaults); every point starts from it
  --grid FILE        JSON {"base": {settings}, "product": {setting: [values]}, "points": [{setting: value}]}
                     sweepable: ${SWEPT_KEYS.join(', ')}
                     hashfilterkeywords may be ${Object.keys(KEYWORD_VARIANTS).join(', ')} or a .NET regex
                     default grid: 25 points (address count 2–4 × delta 0–2 × default/out-of-office keywords,
                     then address count 1, rule C, HashMaxCount 5 and 50, auto-reply keywords, 30- and 90-day windows)
  --workers N        worker threads (default: CPU cores)

${SETTINGS_SOURCE_HELP}

${OUTPUT_HELP}`;

export async function run(argv: string[], io: Out = std): Promise<number> {
  const options = { workspace: { type: 'string' }, settings: { type: 'string' }, grid: { type: 'string' }, workers: { type: 'string' }, ...OUTPUT_OPTIONS } as const;
  return runCommand({ name: 'sweep', usage: USAGE, options }, argv, io, (args) => guarded(io, async () => {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const file = args.values['workspace'];
    if (!file) throw new UsageError('--workspace FILE is required');
    const workersRaw = args.values['workers'];
    if (workersRaw !== undefined && !/^[1-9]\d?$/.test(workersRaw)) throw new UsageError(`--workers must be 1–99, got '${workersRaw}'`);
    const targets = outputTargets(args.values);
    let grid: SweepGrid = defaultSweepGrid();
    const gridFile = args.values['grid'];
    if (gridFile) {
      let raw: unknown;
      try { raw = JSON.parse(readFileSync(gridFile, 'utf8')); } catch (e) { throw new InputError(`${gridFile}: cannot read the grid JSON: ${(e as Error).message}`); }
      grid = parseSweepGrid(raw, gridFile);
    }
    const ws = openReadOnly(file);
    let input;
    let baseline = DEFAULT_SETTINGS;
    try {
      const src = args.values['settings'];
      if (src) baseline = resolveSettings(src, ws, '--settings');
      input = loadReplayInput(ws);
    } finally {
      ws.close();
    }
    const tty = process.stderr.isTTY === true && io === std;
    const r = await runSweepParallel(input, baseline, grid, {
      ...(workersRaw ? { workers: Number(workersRaw) } : {}),
      onProgress: (done, total) => { if (tty) process.stderr.write(`\r${done}/${total} replays`); },
    });
    if (tty) process.stderr.write('\r');
    const env = envelope('sweep', r, { source: { workspace: file, settings: args.values['settings'] ?? 'default', grid: gridFile ?? 'default' } });
    if (writeOutputs(env, targets, io)) return 0;
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(6);
    io.out(`Sweep of ${r.points.length} points over ${r.messages} messages (${r.truth.conversations} true conversations) in ${(r.timing.totalMs / 1000).toFixed(1)} s on ${r.timing.workers} worker${r.timing.workers === 1 ? '' : 's'}${r.timing.fallback ? ` (${r.timing.fallback})` : ''}.`);
    const b = r.baseline.metrics;
    io.out(`baseline  ${r.baseline.label}${r.baseline.smartMatching ? '' : ' (smart matching off)'}  precision ${pct(b.precision)} recall ${pct(b.recall)}  correct ${b.correct} false links ${b.falseCorrelations} missed ${b.missed}`);
    for (const p of r.points) {
      const m = p.metrics;
      io.out(`${String(p.id).padStart(3)} ${p.pareto ? '*' : ' '}${p.recommended ? 'R' : ' '}  ${p.label.padEnd(60)} precision ${pct(m.precision)} recall ${pct(m.recall)}  +${m.gained} −${m.lost} false links ${m.falseCorrelations} (new ${m.newFalse}) missed ${m.missed}`);
    }
    io.out('(* Pareto-optimal: no other point has both higher precision and higher recall; R recommended. +gained −lost and "new" false links are against the baseline; "false links" counts them all)');
    if (r.recommendation) {
      io.out(`Recommended: ${r.recommendation.label}.`);
      for (const l of r.recommendation.explanation) io.out(l);
    }
    return 0;
  }));
}
