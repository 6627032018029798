// The bundled training workspace: every scenario of the library imported into one workspace, so a
// newcomer can browse replies, tokens, PEC and S/MIME envelopes, auto-replies and chains without
// importing anything. Scenarios are written to stand alone, so merging them needs three rules:
//  - directory entries and mailboxes: the first scenario (in teaching order) that defines one wins;
//  - tracked emails: ids are prefixed with the scenario number ("02-e1"), because every scenario
//    numbers its own from e1;
//  - messages: imported by the real importer, so the sample is a workspace like any other (identical
//    bytes in one mailbox are stored once, as for a user's own import).
// The result is cached next to a fingerprint of the library; a changed scenario rebuilds it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryEntry, MailboxConfig, TrackedEmail } from '../../engine/index.js';
import { importPaths } from '../import/index.js';
import { ensureMailbox, openWorkspace, replaceDirectory, replaceTracked, type Workspace } from '../workspace/index.js';
import { scenarioIds } from './library.js';
import { loadScenario } from './load.js';

export interface SampleBuild {
  file: string;
  /** False when the cached workspace was still current. */
  built: boolean;
  scenarios: number;
  messages: number;
  /** Scenarios left out, with the reason (a broken scenario must not break the sample). */
  skipped: { id: string; problem: string }[];
}

export interface SampleOptions {
  nativeBinding?: string;
  signal?: AbortSignal;
}

/** Changes whenever a scenario.json or message file of the library changes (size and mtime). */
export function libraryFingerprint(scenariosDir: string): string {
  const h = createHash('sha256');
  for (const id of scenarioIds(scenariosDir)) {
    const dir = join(scenariosDir, id);
    const sj = statSync(join(dir, 'scenario.json'));
    h.update(`${id}:${sj.size}:${sj.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/**
 * Returns the sample workspace under `sampleDir`, building it first when missing or stale. The build
 * goes to a temporary file renamed into place, so an interrupted build never leaves half a sample.
 */
export async function ensureSampleWorkspace(scenariosDir: string, sampleDir: string, opts: SampleOptions = {}): Promise<SampleBuild> {
  const file = join(sampleDir, 'sample.synclens');
  const stampFile = join(sampleDir, 'sample.stamp');
  const fingerprint = libraryFingerprint(scenariosDir);
  if (existsSync(file) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint) {
    return { file, built: false, scenarios: 0, messages: 0, skipped: [] };
  }
  mkdirSync(sampleDir, { recursive: true });
  const partial = `${file}.partial`;
  for (const side of ['', '-wal', '-shm']) rmSync(partial + side, { force: true });
  const ws = openWorkspace(partial, { create: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  let result: Omit<SampleBuild, 'file' | 'built'>;
  try {
    result = await fillSample(ws, scenariosDir, opts.signal);
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    ws.close();
  }
  for (const side of ['', '-wal', '-shm']) rmSync(file + side, { force: true });
  renameSync(partial, file);
  for (const side of ['-wal', '-shm']) if (existsSync(partial + side)) renameSync(partial + side, file + side);
  writeFileSync(stampFile, fingerprint);
  return { file, built: true, ...result };
}

async function fillSample(ws: Workspace, scenariosDir: string, signal: AbortSignal | undefined): Promise<Omit<SampleBuild, 'file' | 'built'>> {
  const directory = new Map<string, DirectoryEntry>();
  const mailboxes = new Map<string, MailboxConfig>();
  const tracked: TrackedEmail[] = [];
  const skipped: SampleBuild['skipped'] = [];
  let scenarios = 0;
  let messages = 0;
  for (const id of scenarioIds(scenariosDir)) {
    if (signal?.aborted) throw Object.assign(new Error('sample build cancelled'), { name: 'AbortError' });
    const dir = join(scenariosDir, id);
    let loaded: ReturnType<typeof loadScenario>;
    try {
      loaded = loadScenario(dir);
    } catch (err) {
      skipped.push({ id, problem: (err as Error).message });
      continue;
    }
    const { scenario } = loaded;
    const prefix = id.split('-')[0] ?? id;
    for (const e of scenario.directory) if (!directory.has(e.ref)) directory.set(e.ref, e);
    for (const t of scenario.tracked) tracked.push({ ...t, id: `${prefix}-${t.id}` });
    for (const m of scenario.messages) {
      const address = m.mailbox.toLowerCase();
      if (!mailboxes.has(address)) {
        const config = scenario.mailboxes.find((b) => b.address.toLowerCase() === address);
        if (config) {
          mailboxes.set(address, config);
          ensureMailbox(ws, address, config.owner, config);
        }
      }
      const summary = await importPaths(ws, [join(dir, m.file)], { mailbox: address, folder: m.folder, ...(signal ? { signal } : {}) });
      messages += summary.counts.imported;
    }
    scenarios += 1;
  }
  replaceDirectory(ws, { entries: [...directory.values()] });
  replaceTracked(ws, tracked);
  return { scenarios, messages, skipped };
}
