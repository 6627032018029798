// Builds a workspace from a scenario folder (as the sample workspace does, one scenario at a time),
// replays it with the scenario's settings and saves the run: the state `case export` starts from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replay } from '../../../core/engine/replay/replay.js';
import { importPaths } from '../../../core/node/import/index.js';
import { loadScenario } from '../../../core/node/scenario/load.js';
import { ensureMailbox, listDecisions, listRuns, loadReplayInput, openWorkspace, replaceDirectory, replaceTracked, saveRun } from '../../../core/node/workspace/index.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const LIB = path.join(ROOT, 'assets', 'scenarios');

export function tempDir(prefix = 'synclens-case-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Workspace file built from a scenario; returns the message row id of each scenario file. */
export async function workspaceFromScenario(dir: string, into: string): Promise<{ file: string; keyOf: Map<string, string> }> {
  const { scenario } = loadScenario(dir);
  const file = path.join(into, 'ws.synclens');
  const ws = openWorkspace(file, { create: true });
  const keyOf = new Map<string, string>();
  try {
    for (const b of scenario.mailboxes) ensureMailbox(ws, b.address, b.owner, b);
    for (const m of scenario.messages) {
      await importPaths(ws, [path.join(dir, m.file)], { mailbox: m.mailbox, folder: m.folder });
      const row = ws.db.prepare('SELECT MAX(id) AS id FROM messages WHERE parent_id IS NULL').get() as { id: number };
      keyOf.set(m.file, String(row.id));
    }
    replaceDirectory(ws, { entries: scenario.directory });
    replaceTracked(ws, scenario.tracked);
    const result = replay({ ...loadReplayInput(ws), settings: scenario.settings });
    saveRun(ws, { settings: scenario.settings, profileName: null, decisions: result.decisions, counts: { byOutcome: result.countsByOutcome, byMethod: result.countsByMethod } });
    // Sanity: the run covers every message.
    if (listDecisions(ws, (listRuns(ws).at(-1) as { id: number }).id).length !== scenario.messages.length) throw new Error('run does not cover every message');
  } finally {
    ws.close();
  }
  return { file, keyOf };
}
