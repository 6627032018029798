// Runs one import in its own process so its peak RSS is the import's alone (the test runner's memory is not
// mixed in), and reports per-file outcomes and the slowest messages as JSON on stdout.
// usage: tsx test/reliability/support/importChild.ts WORKSPACE MAILBOX PATH...

import { importPaths, type MessageTiming } from '../../../core/node/import/importer.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';

export interface FileStats {
  messages: number;
  quarantined: number;
  maxMs: number;
}

export interface ChildReport {
  summary: Awaited<ReturnType<typeof importPaths>>;
  files: Record<string, FileStats>;
  slowest: MessageTiming[];
  maxRssMB: number;
}

async function main(): Promise<void> {
  const [wsFile, mailbox, ...paths] = process.argv.slice(2);
  if (!wsFile || !mailbox || paths.length === 0) throw new Error('usage: importChild.ts WORKSPACE MAILBOX PATH...');
  const ws = openWorkspace(wsFile);
  const files: Record<string, FileStats> = {};
  const slowest: MessageTiming[] = [];
  try {
    const summary = await importPaths(ws, paths, {
      mailbox,
      onMessage: (m) => {
        const f = (files[m.file] ??= { messages: 0, quarantined: 0, maxMs: 0 });
        f.messages++;
        if (m.outcome === 'quarantined') f.quarantined++;
        f.maxMs = Math.max(f.maxMs, m.ms);
        slowest.push(m);
        if (slowest.length > 20) {
          slowest.sort((a, b) => b.ms - a.ms);
          slowest.length = 10;
        }
      },
    });
    slowest.sort((a, b) => b.ms - a.ms);
    const report: ChildReport = { summary, files, slowest: slowest.slice(0, 10), maxRssMB: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(JSON.stringify(report));
  } finally {
    ws.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
