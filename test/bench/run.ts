// `npm run bench`: every benchmark of the project, each against its target, in one readable table.
// Figures are printed, never asserted (a loaded machine makes timings noisy: run it again, or use
// `--runs 3` for the replay). Each part runs in its own child process so a crash in one does not hide
// the others and peak RSS is that part's own.
//
//   npm run bench                 import (20k + 1 GB mbox), replay (10k, 100k + re-replays, 1M), UI, sweep
//   npm run bench -- --quick      the large mbox is 64 MB instead of 1 GB, and no 1M replay
//   npm run bench -- --only replay,ui   run only these parts (cli, import, replay, ui, sweep, pst, pull)
//   npm run bench -- --runs 3     replay sizes measured 3 times each (all runs and the median printed)

import path from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchCliStart, cliStartRow } from './cliStart.js';
import { MILLION_RSS_TARGET_MB, MILLION_TARGET_MS, REPLAY_NODE_FLAGS, REPLAY_TARGET_MS, REREPLAY_TARGET_MS, benchReplayChild, type ReplayFigures } from './replay.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const RESULT = '@@bench-result ';

type Verdict = 'PASS' | 'MISS' | '—';
interface Row {
  bench: string;
  what: string;
  figure: string;
  target: string;
  verdict: Verdict;
}

const rows: Row[] = [];
function row(bench: string, what: string, figure: string, target = '—', verdict: Verdict = '—'): void {
  rows.push({ bench, what, figure, target, verdict });
}
const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${fmtInt(ms)} ms`);

/** Runs `tsx run.ts --child <part>` and returns the JSON it reports; its output is echoed indented. */
function child(part: string, env: Record<string, string> = {}): Promise<{ result: unknown; lines: string[]; error: string | null }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', part], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let result: unknown = undefined;
    let buf = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(RESULT)) result = JSON.parse(line.slice(RESULT.length));
        else {
          lines.push(line);
          process.stdout.write(`    ${line}\n`);
        }
      }
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    p.on('close', (code, signal) => {
      const why = code === 0 && result !== undefined ? null : `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${err.trim().split('\n').slice(-4).join(' | ').slice(0, 400) || 'no error output'}`;
      resolve({ result, lines, error: why });
    });
  });
}

// ---- the parts ------------------------------------------------------------------------------------

async function importPart(quick: boolean): Promise<void> {
  process.stdout.write('\n== Import (test/bench/import.ts) ==\n');
  // The child reports benchImport's figures as JSON; --quick makes the large mbox 64 MB instead of 1 GB.
  const r = await child(quick ? 'import:64' : 'import');
  const cases = (r.result as { cases?: { label: string; messages: number; bytes: number; messagesPerSecond: number; mbPerSecond: number; peakRssMb: number }[] } | undefined)?.cases ?? [];
  for (const f of cases) {
    row('import', `${f.label} (${fmtInt(f.messages)} msgs, ${(f.bytes / 1048576).toFixed(0)} MB)`, `${fmtInt(f.messagesPerSecond)} msg/s, ${f.mbPerSecond.toFixed(1)} MB/s`, '≥ 10,000 msg/s', verdict(f.messagesPerSecond >= 10_000));
    row('import', `${f.label}: peak RSS`, `${fmtInt(f.peakRssMb)} MB`, '< 300 MB', verdict(f.peakRssMb < 300));
  }
  if (r.error || cases.length === 0) row('import', 'import bench', `did not complete: ${r.error ?? 'no figures reported'}`, '—', 'MISS');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function replayPart(quick: boolean, runs: number): Promise<void> {
  process.stdout.write(`\n== Replay (test/bench/replay.ts; each size in its own process, node ${REPLAY_NODE_FLAGS.join(' ') || '(default flags)'}) ==\n`);
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  for (const n of sizes) {
    const figures: ReplayFigures[] = [];
    for (let k = 0; k < runs; k++) {
      process.stdout.write(`    replaying ${fmtInt(n)} messages (run ${k + 1}/${runs}) …\n`);
      const f = benchReplayChild(n, n === 100_000);
      if ('error' in f) {
        row('replay', `${fmtInt(n)} messages`, `did not complete: ${f.error}`, n === 100_000 ? `< ${fmtMs(REPLAY_TARGET_MS)}` : n === 1_000_000 ? `< ${fmtMs(MILLION_TARGET_MS)}` : '—', 'MISS');
        continue;
      }
      figures.push(f);
    }
    const first = figures[0];
    if (!first) continue;
    const ms = figures.map((f) => f.ms);
    const cpu = figures.map((f) => f.cpuMs);
    const all = runs > 1 ? ` (runs: ${ms.map(fmtMs).join(', ')})` : '';
    const peak = Math.max(...figures.map((f) => f.peakRssMb));
    const fig = `${fmtMs(median(ms))} wall, ${fmtMs(median(cpu))} CPU${all}; peak RSS ${fmtInt(peak)} MB`;
    const after = first.peakRssAfterReReplaysMb;
    const methods = Object.entries(first.byMethod).map(([k, v]) => `${k} ${v}`).join(', ');
    if (n === 100_000) row('replay', `${fmtInt(n)} messages, cold`, fig, `< ${fmtMs(REPLAY_TARGET_MS)}`, verdict(median(ms) < REPLAY_TARGET_MS));
    else if (n === 1_000_000) {
      row('replay', `${fmtInt(n)} messages, cold`, fig, `< ${fmtMs(MILLION_TARGET_MS)}`, verdict(median(ms) < MILLION_TARGET_MS));
      row('replay', `  ${fmtInt(n)}: peak RSS (input included)`, `${fmtInt(peak)} MB`, `< ${fmtInt(MILLION_RSS_TARGET_MB)} MB`, verdict(peak < MILLION_RSS_TARGET_MB));
    } else row('replay', `${fmtInt(n)} messages, cold`, fig, 'growth only', '—');
    // Built before the clock starts; its heap is part of the peak RSS.
    row('replay', `  ${fmtInt(n)}: input (not timed)`, `${fmtInt(first.inputHeapMb)} MB of heap, built in ${fmtMs(first.inputMs)}`);
    row('replay', `  ${fmtInt(n)}: correlation methods`, methods);
    if (after !== undefined) row('replay', `  ${fmtInt(n)}: peak RSS after the re-replays`, `${fmtInt(after)} MB (up to three results alive at once)`);
    if (first.reReplays) {
      for (let c = 0; c < first.reReplays.length; c++) {
        const rr = figures.map((f) => f.reReplays?.[c]).filter((x): x is NonNullable<typeof x> => x !== undefined);
        const label = rr[0]?.label ?? '';
        const rms = median(rr.map((x) => x.ms));
        row('replay', `  re-replay 100,000 after: ${label}`, `${fmtMs(rms)} wall, ${fmtMs(median(rr.map((x) => x.cpuMs)))} CPU; ${fmtInt(rr[0]?.reused ?? 0)} decisions reused`, `< ${fmtMs(REREPLAY_TARGET_MS)}`, verdict(rms < REREPLAY_TARGET_MS));
      }
    }
  }
}

interface UiFigures { messages: number; firstRowsMs: number; filterMs: number[]; filterMedianMs: number; filterWorstMs: number }

async function uiPart(): Promise<void> {
  process.stdout.write('\n== UI (test/bench/ui.ts, Chromium against browser mode) ==\n');
  const r = await child('ui');
  const u = r.result as UiFigures | undefined;
  if (r.error || !u) {
    row('ui', 'UI bench', `did not complete: ${r.error ?? 'no result'}`, '—', 'MISS');
    return;
  }
  row('ui', `time to first rows (${fmtInt(u.messages)} messages)`, fmtMs(u.firstRowsMs), '< 1 s', verdict(u.firstRowsMs < 1000));
  row('ui', 'filter latency (median)', `${fmtMs(u.filterMedianMs)} (all: ${u.filterMs.join(', ')} ms; worst ${u.filterWorstMs} ms)`, '< 150 ms', verdict(u.filterMedianMs < 150));
}

/** Finds a duration in whatever benchSweep returns (its shape belongs to its author). */
function sweepSeconds(x: unknown): number | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  for (const [k, scale] of [['seconds', 1], ['totalSeconds', 1], ['elapsedSeconds', 1], ['ms', 0.001], ['totalMs', 0.001], ['elapsedMs', 0.001], ['wallMs', 0.001]] as const) {
    if (typeof o[k] === 'number') return (o[k] as number) * scale;
  }
  return null;
}

async function sweepPart(): Promise<void> {
  process.stdout.write('\n== Sweep (test/bench/sweep.ts) ==\n');
  if (!existsSync(path.join(HERE, 'sweep.ts'))) {
    process.stdout.write('    test/bench/sweep.ts is not in the project yet: sweep bench skipped.\n');
    row('sweep', '25-point sweep over 100,000 messages', 'not run: test/bench/sweep.ts (benchSweep) is absent', '< 30 s', '—');
    return;
  }
  const r = await child('sweep');
  if (r.error) {
    row('sweep', '25-point sweep over 100,000 messages', `did not complete: ${r.error}`, '< 30 s', 'MISS');
    return;
  }
  const secs = sweepSeconds(r.result);
  const o = (r.result ?? {}) as Record<string, unknown>;
  const num = (k: string): number | null => (typeof o[k] === 'number' ? (o[k] as number) : null);
  const details = [
    num('points') !== null ? `${num('points')} points` : '',
    num('workers') !== null ? `${num('workers')} workers` : '',
    num('slowestReplayMs') !== null ? `slowest replay ${fmtMs(num('slowestReplayMs') as number)}` : '',
    num('peakRssMb') !== null ? `peak RSS ${fmtInt(num('peakRssMb') as number)} MB` : '',
  ].filter((x) => x !== '').join(', ');
  const extra = secs === null ? JSON.stringify(r.result).slice(0, 160) : `${secs.toFixed(1)} s${details ? ` (${details})` : ''}`;
  row('sweep', '25-point sweep over 100,000 messages', extra, '< 30 s', secs === null ? '—' : verdict(secs < 30));
}

function cliPart(): void {
  process.stdout.write('\n== CLI start (test/bench/cliStart.ts) ==\n');
  const r = cliStartRow(benchCliStart(10));
  row('cli', r.what, r.figure, r.target, r.verdict);
}

interface ThroughputCase { label: string; items: number; wallMs: number; cpuMs: number; itemsPerSecond: number; peakRssMb: number }

async function connectorPart(part: 'pst' | 'pull'): Promise<void> {
  process.stdout.write(`\n== ${part === 'pst' ? 'PST import' : 'Graph pull'} (test/bench/connectors.ts) ==\n`);
  const r = await child(part);
  const res = r.result as { cases?: ThroughputCase[]; skipped?: string } | undefined;
  if (res?.skipped) {
    row(part, 'PST import', `not run: ${res.skipped}`);
    return;
  }
  for (const f of res?.cases ?? []) {
    row(part, `${f.label}`, `${fmtInt(f.itemsPerSecond)} items/s (${fmtMs(f.wallMs)} wall, ${fmtMs(f.cpuMs)} CPU)`);
    // Issue 16: peak RSS < 300 MB whatever the PST's size (here: small real files, see connectors.ts).
    row(part, `${f.label}: peak RSS`, `${fmtInt(f.peakRssMb)} MB`, part === 'pst' ? '< 300 MB' : '—', part === 'pst' ? verdict(f.peakRssMb < 300) : '—');
  }
  if (r.error || !res?.cases?.length) row(part, `${part} bench`, `did not complete: ${r.error ?? 'no figures reported'}`, '—', 'MISS');
}

// ---- child mode ----------------------------------------------------------------------------------

async function runChild(part: string): Promise<void> {
  const report = (x: unknown): void => {
    process.stdout.write(`${RESULT}${JSON.stringify(x ?? null)}\n`);
  };
  if (part === 'import' || part.startsWith('import:')) {
    // "import:N": the large mbox is N MB (default 1024).
    const { benchImport } = await import('./import.js');
    report(await benchImport(part === 'import' ? {} : { largeMb: Number(part.slice('import:'.length)) }));
  } else if (part === 'pst') {
    const { benchPst } = await import('./connectors.js');
    report(await benchPst());
  } else if (part === 'pull') {
    const { benchPull } = await import('./connectors.js');
    report(await benchPull());
  } else if (part === 'ui') {
    const { benchUi } = await import('./ui.js');
    report(await benchUi());
  } else if (part === 'sweep') {
    // sweep.ts is written by another part of the project and may not exist yet: imported by path.
    const mod = (await import(path.join(HERE, 'sweep.ts'))) as { benchSweep?: () => unknown };
    if (typeof mod.benchSweep !== 'function') throw new Error('test/bench/sweep.ts does not export benchSweep()');
    report(await mod.benchSweep());
  } else {
    throw new Error(`unknown bench part "${part}" (import, ui, sweep, pst, pull)`);
  }
}

// ---- main ----------------------------------------------------------------------------------------

function printTable(): void {
  const head: Row = { bench: 'Bench', what: 'Case', figure: 'Measured', target: 'Target', verdict: '—' };
  const all = [head, ...rows];
  const w = (k: keyof Row): number => Math.max(...all.map((r) => r[k].length));
  const wb = w('bench');
  const ww = w('what');
  const wf = Math.min(w('figure'), 90);
  const wt = w('target');
  const line = (r: Row, v: string): string => `${r.bench.padEnd(wb)}  ${r.what.padEnd(ww)}  ${r.figure.padEnd(wf)}  ${r.target.padEnd(wt)}  ${v}`;
  process.stdout.write('\n' + line(head, 'Result') + '\n');
  process.stdout.write('-'.repeat(wb + ww + wf + wt + 16) + '\n');
  for (const r of rows) process.stdout.write(line(r, r.verdict) + '\n');
  const miss = rows.filter((r) => r.verdict === 'MISS').length;
  const pass = rows.filter((r) => r.verdict === 'PASS').length;
  process.stdout.write(`\n${pass} PASS, ${miss} MISS. Figures only: nothing here fails the build. A busy machine inflates wall times (compare the CPU column).\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const childAt = args.indexOf('--child');
  if (childAt >= 0) return runChild(args[childAt + 1] ?? '');
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const ALL = ['cli', 'import', 'replay', 'ui', 'sweep', 'pst', 'pull'];
  const parts = new Set(onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : ALL);
  const unknown = [...parts].filter((p) => !ALL.includes(p));
  if (unknown.length) throw new Error(`--only: unknown part(s) ${unknown.join(', ')}; the parts are ${ALL.join(', ')}`);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error(`--runs must be a whole number from 1 to 20, got ${args[runsAt + 1]}`);
  process.stdout.write(`SyncLens benchmarks${quick ? ' (quick)' : ''} — ${new Date().toISOString()}, Node ${process.version}\n`);
  if (parts.has('cli')) cliPart();
  if (parts.has('import')) await importPart(quick);
  if (parts.has('replay')) await replayPart(quick, runs);
  if (parts.has('ui')) await uiPart();
  if (parts.has('sweep')) await sweepPart();
  if (parts.has('pst')) await connectorPart('pst');
  if (parts.has('pull')) await connectorPart('pull');
  printTable();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
