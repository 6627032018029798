// Import benchmark (`npm run bench`): a generated mailbox of 20,000 messages, then a 1 GB mbox generated in a
// temp directory and streamed in. Prints messages/s, MB/s and peak RSS. Targets on the 2-core reference
// machine: ≥ 10,000 messages/s, peak RSS < 300 MB whatever the mbox size. Figures are printed, not asserted.
// SYNCLENS_BENCH_MBOX_MB overrides the size of the large mbox (default 1024).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importPaths } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { writeMbox, writeEmlTree } from '../support/generateMailbox.js';

interface Figures {
  label: string;
  messages: number;
  bytes: number;
  seconds: number;
  peakRssMb: number;
}

async function measure(label: string, dir: string, sources: string[]): Promise<Figures> {
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
  return { label, messages: summary.total, bytes: summary.bytes, seconds, peakRssMb: peak / 1048576 };
}

function print(f: Figures): void {
  const line = `${f.label.padEnd(28)} ${String(f.messages).padStart(8)} msgs  ${(f.bytes / 1048576).toFixed(1).padStart(8)} MB  ` +
    `${f.seconds.toFixed(2).padStart(7)} s  ${Math.round(f.messages / f.seconds).toString().padStart(7)} msg/s  ` +
    `${(f.bytes / 1048576 / f.seconds).toFixed(1).padStart(6)} MB/s  peak RSS ${f.peakRssMb.toFixed(0)} MB`;
  process.stdout.write(line + '\n');
}

export async function benchImport(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-'));
  try {
    process.stdout.write(`Import benchmark (targets: ≥ 10,000 msg/s, peak RSS < 300 MB), temp dir ${dir}\n`);
    const mbox20k = path.join(dir, 'generated-20000.mbox');
    await writeMbox(mbox20k, { seed: 7, messages: 20_000 });
    print(await measure('20,000 generated (mbox)', dir, [mbox20k]));

    const emlDir = path.join(dir, 'eml');
    writeEmlTree(emlDir, { seed: 8, messages: 20_000 });
    print(await measure('20,000 generated (.eml tree)', dir, [emlDir]));

    const mb = Number(process.env.SYNCLENS_BENCH_MBOX_MB ?? 1024);
    const big = path.join(dir, `generated-${mb}MB.mbox`);
    const gen = await writeMbox(big, { seed: 9, messages: 50_000, bodyBytes: 4000, targetBytes: mb * 1048576 });
    process.stdout.write(`  (generated ${gen.messages} messages, ${(gen.bytes / 1048576).toFixed(0)} MB)\n`);
    print(await measure(`${mb} MB mbox (streamed)`, dir, [big]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: `npx tsx test/bench/import.ts`.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await benchImport();
}
