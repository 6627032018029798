// Bench row "CLI start": `synclens --help` as a user starts it (the bin, main/build/synclens.mjs: the
// freshness check of dist/node, then the compiled CLI), target < 150 ms wall. CPU time is printed beside
// wall time because on a shared, loaded machine wall time mostly measures waiting for a core; and bare
// `node -e 0` is measured the same way, the floor no CLI can go under.
// Run directly: `npx tsx test/bench/cliStart.ts [--runs N]`; run.ts can call benchCliStart() for its table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'main', 'build', 'synclens.mjs');
export const CLI_START_TARGET_MS = 150;

export interface StartFigures {
  wallMs: number[];
  cpuMs: number[];
}
export interface CliStartFigures {
  cli: StartFigures;
  node: StartFigures;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Runs `node ARGS` `runs` times. The child's CPU time (user + system since it started, bootstrap
 * included) is written at exit by a one-line --require hook into a file: Node has no rusage of children.
 */
function measure(args: string[], runs: number): StartFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-cli-'));
  const hook = path.join(dir, 'cpu.cjs');
  const out = path.join(dir, 'cpu.txt');
  fs.writeFileSync(hook, `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(${JSON.stringify(out)}, String((u.user + u.system) / 1000)); });`);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--require', hook, ...args], { cwd: ROOT, encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
      wallMs.push(wall);
      cpuMs.push(Number(fs.readFileSync(out, 'utf8')));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { wallMs, cpuMs };
}

export function benchCliStart(runs = 10): CliStartFigures {
  // One start first so a stale dist/node is rebuilt outside the measured runs.
  measure([BIN, '--help'], 1);
  return { cli: measure([BIN, '--help'], runs), node: measure(['-e', '0'], runs) };
}

/** The table row: figure, target and verdict (on the median wall time). */
export function cliStartRow(f: CliStartFigures): { what: string; figure: string; target: string; verdict: 'PASS' | 'MISS' } {
  const fmt = (s: StartFigures): string => `${median(s.wallMs).toFixed(0)} ms wall, ${median(s.cpuMs).toFixed(0)} ms CPU`;
  return {
    what: 'CLI start (`synclens --help`), median',
    figure: `${fmt(f.cli)} (bare \`node -e 0\`: ${fmt(f.node)})`,
    target: `< ${CLI_START_TARGET_MS} ms`,
    verdict: median(f.cli.wallMs) < CLI_START_TARGET_MS ? 'PASS' : 'MISS',
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 10;
  const f = benchCliStart(runs);
  const r = cliStartRow(f);
  process.stdout.write(`cli    ${r.what.padEnd(40)} ${r.figure}  target ${r.target}  ${r.verdict}\n`);
  process.stdout.write(`       runs (wall/CPU ms): ${f.cli.wallMs.map((w, k) => `${w.toFixed(0)}/${(f.cli.cpuMs[k] as number).toFixed(0)}`).join(' ')}\n`);
  process.stdout.write(`       load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores\n`);
}
