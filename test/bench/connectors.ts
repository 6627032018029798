// Benchmarks for issue 16's readers (`npm run bench -- --only pst,pull`):
//  - PST import: the real PST/OST files of ../shared/corpora/pst, each imported into a fresh workspace,
//    several rounds; items/s, peak RSS, wall and CPU time. No tool can write PST files here (SOURCES.md,
//    "Not possible here"), so the files are small (7.9 MB together): the RSS figure shows the reader's
//    per-item footprint, not a 20 GB file's. pst-extractor reads by offset from a file descriptor, so the
//    file size itself is not held in memory; its descriptor index (one entry per item) is.
//  - Graph pull: a mailbox of N messages served by the local Graph stand-in (test/unit/connectors/graphServer.ts)
//    on 127.0.0.1, in pages of 100, each message fetched as MIME; messages/s. The stand-in runs in the same
//    process, so the CPU figure includes serving as well as pulling.
//  - Dataverse pull: the org fixtures plus N email rows (each with its two activity parties, as the Web API
//    returns them with $expand) served by the local Dataverse stand-in (test/unit/connectors/dataverseServer.ts)
//    in pages of 5000 (Dataverse's maximum); rows/s over every table read, and the same CPU caveat. The
//    rows all land through the org loader in one transaction per table, so the figure includes landing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StaticTokenProvider } from '../../core/node/connectors/auth.js';
import { dataverseScopes, pullOrganization } from '../../core/node/connectors/dataverse.js';
import { pullMailbox } from '../../core/node/connectors/graphMail.js';
import { ODataClient } from '../../core/node/connectors/http.js';
import { importPaths } from '../../core/node/import/importer.js';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { SHARED_DIR } from '../support/shared.js';
import { fixtureRows, startDataverseStandIn } from '../unit/connectors/dataverseServer.js';
import { startGraphStandIn } from '../unit/connectors/graphServer.js';

export interface ThroughputFigures {
  label: string;
  items: number;
  wallMs: number;
  cpuMs: number;
  itemsPerSecond: number;
  peakRssMb: number;
}

function meter(): { stop: () => { wallMs: number; cpuMs: number; peakRssMb: number }; sample: () => void } {
  let peak = process.memoryUsage.rss();
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 20);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      const c = process.cpuUsage(c0);
      return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (c.user + c.system) / 1000, peakRssMb: peak / 1048576 };
    },
  };
}

function print(f: ThroughputFigures): ThroughputFigures {
  process.stdout.write(`${f.label.padEnd(40)} ${String(f.items).padStart(7)} items  ${f.wallMs.toFixed(0).padStart(7)} ms wall  ${f.cpuMs.toFixed(0).padStart(7)} ms CPU  ` +
    `${Math.round(f.itemsPerSecond).toString().padStart(6)} items/s  peak RSS ${f.peakRssMb.toFixed(0)} MB\n`);
  return f;
}

export async function benchPst(rounds = 5): Promise<{ cases: ThroughputFigures[] } | { skipped: string }> {
  const dir = SHARED_DIR ? path.join(SHARED_DIR, 'corpora', 'pst') : null;
  if (!dir || !fs.existsSync(dir)) return { skipped: 'the shared PST corpus (../shared/corpora/pst) is absent' };
  const files = fs.readdirSync(dir).filter((f) => /\.(pst|ost)$/i.test(f)).map((f) => path.join(dir, f));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-pst-'));
  try {
    // One unmeasured round first: module loading and JIT warm-up are not the reader's cost.
    const warm = openWorkspace(path.join(tmp, 'warm-up.sqlite'));
    await importPaths(warm, files, { mailbox: 'bench@example.com' });
    warm.close();
    const m = meter();
    let items = 0;
    for (let r = 0; r < rounds; r++) {
      const ws = openWorkspace(path.join(tmp, `round-${r}.sqlite`));
      const s = await importPaths(ws, files, { mailbox: 'bench@example.com', onProgress: m.sample });
      // Items read from the PSTs (mail imported + non-mail counted), i.e. what the reader had to walk.
      items += (s.pstFolders ?? []).reduce((n, f) => n + f.read, 0);
      ws.close();
    }
    const t = m.stop();
    return { cases: [print({ label: `PST import (${files.length} files × ${rounds} rounds)`, items, ...t, itemsPerSecond: items / (t.wallMs / 1000) })] };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** N incoming email rows shaped like the fixture's first email, each its own message (ids differ). */
function emailRows(n: number): unknown[] {
  const template = (fixtureRows().get('emails') ?? [])[0] as Record<string, unknown> & { email_activity_parties: Record<string, unknown>[] };
  const hex = (i: number): string => i.toString(16).padStart(12, '0');
  return Array.from({ length: n }, (_, i) => ({
    ...template,
    activityid: `be000000-0000-4000-8000-${hex(i)}`,
    messageid: `<bench-${i}@fabrikam.com>`,
    subject: `Bench message ${i}`,
    trackingtoken: null,
    directioncode: false,
    createdon: new Date(Date.UTC(2024, 3, 1) + i * 60_000).toISOString(),
    email_activity_parties: template.email_activity_parties.map((p, k) => ({ ...p, activitypartyid: `bf00000${k}-0000-4000-8000-${hex(i)}` })),
  }));
}

export async function benchDataversePull(emails = 20_000): Promise<ThroughputFigures> {
  const server = await startDataverseStandIn({ extraRows: new Map([['emails', emailRows(emails)]]) });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-dataverse-'));
  try {
    const ws = openWorkspace(path.join(tmp, 'org.sqlite'));
    const client = new ODataClient({ tokens: new StaticTokenProvider(['good']), scopes: dataverseScopes(server.root), backoffMs: 1 });
    const m = meter();
    const s = await pullOrganization(ws, client, { url: server.root, pageSize: 5000, onProgress: m.sample });
    const t = m.stop();
    ws.close();
    const n = s.tables.reduce((k, x) => k + x.rows, 0);
    return print({ label: `Dataverse pull, local stand-in (${n} rows)`, items: n, ...t, itemsPerSecond: n / (t.wallMs / 1000) });
  } finally {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function benchPull(messages = 3000): Promise<{ cases: ThroughputFigures[] }> {
  // Both pulls of issue 16: the Dataverse org (rows/s), then the Graph mailbox (messages/s).
  const dataverse = await benchDataversePull();
  const server = await startGraphStandIn({ count: messages, pageSize: 100 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-bench-pull-'));
  try {
    const ws = openWorkspace(path.join(tmp, 'pull.sqlite'));
    const client = new ODataClient({ tokens: new StaticTokenProvider(['good']), scopes: ['https://graph.microsoft.com/Mail.Read'], backoffMs: 1 });
    const m = meter();
    const s = await pullMailbox(ws, client, { user: 'bench@contoso.com', folders: ['Inbox'], base: `${server.base}/v1.0`, pageSize: 100, onProgress: m.sample });
    const t = m.stop();
    ws.close();
    const n = s.folders.reduce((k, f) => k + f.imported + f.duplicate + f.quarantined, 0);
    return { cases: [dataverse, print({ label: `Graph pull, local stand-in (${messages} messages)`, items: n, ...t, itemsPerSecond: n / (t.wallMs / 1000) })] };
  } finally {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
