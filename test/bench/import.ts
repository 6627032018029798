// Import benchmark (`npm run bench`): a generated mailbox of 20,000 messages (mbox and .eml tree), then a
// 1 GB mbox generated in a temp directory and streamed in. Prints messages/s, MB/s and peak RSS and returns
// the same figures (test/bench/run.ts builds its table from them). Targets on the 2-core reference
// machine: ≥ 10,000 messages/s, peak RSS < 300 MB whatever the mbox size. Figures are printed, not asserted.
// Options: { largeMb } sets the size of the large mbox (default 1024), { skipLarge } leaves it out; run
// directly with `--large-mb N` / `--skip-large`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importPaths } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { writeMbox, writeEmlTree } from '../support/generateMailbox.js';

/** One case of the benchmark: what was imported and how fast. */
export interface ImportFigures {
  label: string;
  messages: number;
  bytes: number;
  seconds: number;
  messagesPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
}

export interface ImportBenchOptions {
  /** Leave out the large streamed mbox (only the two 20,000-message cases). */
  skipLarge?: boolean;
  /** Size of the large mbox in MB (default 1024). */
  largeMb?: number;
}

/** What benchImport returns: every case measured, in order, and the size of the large mbox (null when skipped). */
export interface ImportBenchResult {
  cases: ImportFigures[];
  largeMb: number | null;
}

export const IMPORT_TARGET_MSGS_PER_S = 10_000;
export const IMPORT_TARGET_PEAK_RSS_MB = 300;

async function measure(label: string, dir: string, sources: string[]): Promise<ImportFigures> {
  const dbFile = path.join(dir, `${label.replace(/\W+/g, '-')}.synclens`);
  const ws = openWorkspace(dbFile);
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = process.hrtime.bigint();
  const summary = await importPaths(ws, sources, {
    mailbox: 'bench@example.com',
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  ws.close();
  const mb = summary.bytes / 1048576;
  return { label, messages: summary.total, bytes: summary.bytes, seconds, messagesPerSecond: summary.total / seconds, mbPerSecond: mb / seconds, peakRssMb: peak / 1048576 };
}

function print(f: ImportFigures): ImportFigures {
  const line = `${f.label.padEnd(28)} ${String(f.messages).padStart(8)} msgs  ${(f.bytes / 1048576).toFixed(1).padStart(8)} MB  ` +
    `${f.seconds.toFixed(2).padStart(7)} s  ${Math.round(f.messagesPerSecond).toString().padStart(7)} msg/s  ` +
    `${f.mbPerSecond.toFixed(1).padStart(6)} MB/s  peak RSS ${f.peakRssMb.toFixed(0)} MB`;
  process.stdout.write(line + '\n');
  return f;
}

export async function benchImport(opts: ImportBenchOptions = {}): Promise<ImportBenchResult> {
  const mb = opts.largeMb ?? 1024;
  if (!opts.skipLarge && !(Number.isFinite(mb) && mb > 0)) throw new Error(`largeMb must be a positive number of MB, got ${String(opts.largeMb)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-'));
  const figures: ImportFigures[] = [];
  try {
    process.stdout.write(`Import benchmark (targets: ≥ ${IMPORT_TARGET_MSGS_PER_S.toLocaleString('en-US')} msg/s, peak RSS < ${IMPORT_TARGET_PEAK_RSS_MB} MB), temp dir ${dir}\n`);
    const mbox20k = path.join(dir, 'generated-20000.mbox');
    await writeMbox(mbox20k, { seed: 7, messages: 20_000 });
    figures.push(print(await measure('20,000 generated (mbox)', dir, [mbox20k])));

    const emlDir = path.join(dir, 'eml');
    writeEmlTree(emlDir, { seed: 8, messages: 20_000 });
    figures.push(print(await measure('20,000 generated (.eml tree)', dir, [emlDir])));

    if (!opts.skipLarge) {
      const big = path.join(dir, `generated-${mb}MB.mbox`);
      const gen = await writeMbox(big, { seed: 9, messages: 50_000, bodyBytes: 4000, targetBytes: mb * 1048576 });
      process.stdout.write(`  (generated ${gen.messages} messages, ${(gen.bytes / 1048576).toFixed(0)} MB)\n`);
      figures.push(print(await measure(`${mb} MB mbox (streamed)`, dir, [big])));
    }
    return { cases: figures, largeMb: opts.skipLarge ? null : mb };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: `npx tsx test/bench/import.ts [--large-mb N] [--skip-large]`.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--large-mb');
  await benchImport({ skipLarge: args.includes('--skip-large'), ...(at >= 0 ? { largeMb: Number(args[at + 1]) } : {}) });
}
