// Workspace behaviour the app relies on: inner messages (a PEC envelope's postacert.eml) are
// attachments, not mailbox items, unless asked for; runs remember how long they took; decisions are
// joined to messages by integer row id (schema 2); a foreign-ABI addon is passed through as
// better-sqlite3's nativeBinding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import type { Decision } from '../../../core/engine/model/types.js';
import { importPaths } from '../../../core/node/import/index.js';
import { MIGRATIONS, WorkspaceError, listRuns, loadReplayInput, openWorkspace, saveRun, type Workspace } from '../../../core/node/workspace/index.js';

const PEC = path.resolve(import.meta.dirname, '../../../assets/scenarios/20-pec-envelope-unsupported/messages/01-pec-envelope.eml');

let tmp: string;
let ws: Workspace;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-wslist-'));
  ws = openWorkspace(path.join(tmp, 'w.synclens'));
  await importPaths(ws, [PEC], { mailbox: 'alice@contoso.com' });
});

afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function decision(key: string): Decision {
  return {
    key, outcome: 'UnsupportedPec', tracked: false, correlationMethod: 'None', correlationMethodCode: 0, correlatedTo: null, parent: null,
    regarding: null, acceptingEntity: null, receivingMailbox: 'alice@contoso.com', sender: null, tokenParts: [], subjectHashes: [],
    addressHashes: [], flags: ['pec'], internetMessageHeaders: null, trace: [{ stage: 'Format', result: 'stopped', detail: 'PEC envelope' }],
  };
}

describe('replay input', () => {
  it('holds the PEC envelope once and leaves its postacert.eml out by default', () => {
    const inner = ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NOT NULL').pluck().get() as number;
    // The envelope's message/rfc822 part was stored as an inner row (the importer keeps it for the inspector).
    expect(inner).toBeGreaterThan(0);
    const input = loadReplayInput(ws);
    expect(input.messages).toHaveLength(1);
    expect(input.messages[0]?.flags.pec).toBe(true);
  });

  it('includes inner messages only when asked (the E-mail Router sink unwraps them)', () => {
    const all = loadReplayInput(ws, { includeInner: true });
    const inner = ws.db.prepare('SELECT COUNT(*) FROM messages WHERE parent_id IS NOT NULL').pluck().get() as number;
    expect(all.messages).toHaveLength(1 + inner);
  });
});

describe('runs', () => {
  it('stores how long a replay took, and joins decisions by integer row id', () => {
    const key = String(ws.db.prepare('SELECT id FROM messages WHERE parent_id IS NULL').pluck().get());
    const runId = saveRun(ws, { settings: DEFAULT_SETTINGS, profileName: 'Default', decisions: [decision(key), decision('messages/scenario-file.eml')], counts: { byOutcome: { UnsupportedPec: 2 }, byMethod: {} }, durationMs: 42 });
    expect(listRuns(ws).find((r) => r.id === runId)?.durationMs).toBe(42);
    const rows = ws.db.prepare('SELECT message_key, message_row FROM decisions WHERE run_id = ? ORDER BY seq').all(runId);
    // A scenario key is a file name, not a row id: it has no integer key and joins to nothing.
    expect(rows).toEqual([{ message_key: key, message_row: Number(key) }, { message_key: 'messages/scenario-file.eml', message_row: null }]);
    const plan = ws.db.prepare(`EXPLAIN QUERY PLAN SELECT m.id FROM messages m LEFT JOIN decisions d ON d.run_id = ? AND d.message_row = m.id
      WHERE m.status = 'ok' AND m.parent_id IS NULL ORDER BY m.date, m.id LIMIT 10`).all(runId) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/decisions_row/);
  });

  it('reads runs saved before schema 2 (no duration) as null', () => {
    const runId = saveRun(ws, { settings: DEFAULT_SETTINGS, profileName: null, decisions: [], counts: { byOutcome: {}, byMethod: {} } });
    expect(listRuns(ws).find((r) => r.id === runId)?.durationMs).toBeNull();
  });
});

describe('schema 2 on an existing workspace', () => {
  it('migrates a schema-1 workspace forward and fills the integer keys of its decisions', () => {
    const file = path.join(tmp, 'old.synclens');
    const v1 = MIGRATIONS.filter((m) => m.version === 1);
    const old = openWorkspace(file, { migrations: v1 });
    old.db.prepare("INSERT INTO runs (profile_name, settings_json, created_at, message_count, counts_json) VALUES ('p', '{}', 'now', 2, '{}')").run();
    const ins = old.db.prepare("INSERT INTO decisions (run_id, message_key, seq, outcome, tracked, correlation_method, decision_json) VALUES (1, ?, ?, 'AcceptAll', 1, 'None', '{}')");
    ins.run('17', 0);
    ins.run('a/b.eml', 1);
    old.close();
    const upgraded = openWorkspace(file);
    try {
      expect(upgraded.db.prepare('SELECT message_key, message_row FROM decisions ORDER BY seq').all()).toEqual([
        { message_key: '17', message_row: 17 },
        { message_key: 'a/b.eml', message_row: null },
      ]);
      expect(listRuns(upgraded)[0]?.durationMs).toBeNull();
    } finally {
      upgraded.close();
    }
  });
});

describe('nativeBinding', () => {
  it('loads the addon it is given, and names the workspace when the addon is missing', () => {
    const addon = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const file = path.join(tmp, 'native.synclens');
    openWorkspace(file, { nativeBinding: addon }).close();
    let error: unknown;
    try {
      openWorkspace(file, { nativeBinding: path.join(tmp, 'missing.node') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkspaceError);
    expect((error as WorkspaceError).message).toContain(file);
  });
});
