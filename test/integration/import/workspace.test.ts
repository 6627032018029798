import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import type { Decision } from '../../../core/engine/model/types.js';
import { WorkspaceError } from '../../../core/node/workspace/errors.js';
import { MIGRATIONS } from '../../../core/node/workspace/migrations.js';
import { openWorkspace } from '../../../core/node/workspace/open.js';
import {
  ensureMailbox, getDecision, listDecisions, listRuns, loadReplayInput, loadSettingsProfile, replaceDirectory, replaceTracked, saveRun,
  saveSettingsProfile,
} from '../../../core/node/workspace/repo.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
const file = (name: string): string => {
  const d = tempDir('synclens-ws-');
  dirs.push(d);
  return path.join(d, name);
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkspaceError);
    return (err as WorkspaceError).code;
  }
}

describe('opening and migrating', () => {
  it('creates a WAL database with foreign keys and the current schema', () => {
    const f = file('a.synclens');
    const ws = openWorkspace(f);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const versions = ws.db.prepare('SELECT version FROM schema_migrations').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    ws.close();
    // Re-opening applies nothing new and keeps data.
    const again = openWorkspace(f);
    ensureMailbox(again, 'x@example.com');
    again.close();
    expect(openWorkspace(f).db.prepare('SELECT COUNT(*) FROM mailboxes').pluck().get()).toBe(1);
  });

  it('refuses a workspace from the future', () => {
    const f = file('future.synclens');
    openWorkspace(f).close();
    const db = new Database(f);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'later', '2030-01-01')").run();
    db.close();
    expect(codeOf(() => openWorkspace(f))).toBe('FROM_THE_FUTURE');
  });

  it('refuses a workspace listing a migration this build does not know', () => {
    const f = file('fork.synclens');
    const next = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
    openWorkspace(f, { migrations: [...MIGRATIONS, { version: next, name: 'fork-only', sql: 'CREATE TABLE x (a)' }] }).close();
    // A version newer than this build knows is the "from the future" case; a renamed first migration is the unknown one.
    const g = file('renamed.synclens');
    openWorkspace(g, { migrations: [{ ...(MIGRATIONS[0] as (typeof MIGRATIONS)[number]), name: 'other-initial' }] }).close();
    expect(codeOf(() => openWorkspace(g))).toBe('UNKNOWN_MIGRATION');
    expect(codeOf(() => openWorkspace(f))).toBe('FROM_THE_FUTURE');
  });

  it('refuses other SQLite files and garbage, and a missing file when asked not to create', () => {
    const other = file('other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (a)');
    db.close();
    expect(codeOf(() => openWorkspace(other))).toBe('NOT_A_WORKSPACE');
    const junk = file('junk.synclens');
    fs.writeFileSync(junk, 'this is not sqlite at all, just text long enough to have a header '.repeat(20));
    expect(codeOf(() => openWorkspace(junk))).toBe('OPEN_FAILED');
    expect(codeOf(() => openWorkspace(file('missing.synclens'), { create: false }))).toBe('NOT_FOUND');
  });

  it('rejects bad mailbox input with a typed error', () => {
    const ws = openWorkspace(file('b.synclens'));
    expect(codeOf(() => ensureMailbox(ws, 'not-an-address'))).toBe('INVALID_INPUT');
    expect(codeOf(() => ensureMailbox(ws, 'a@example.com', 'team:x'))).toBe('INVALID_INPUT');
    ws.close();
  });
});

describe('replay input and runs', () => {
  it('round-trips directory, tracked email, mailboxes, settings profiles, runs, decisions and traces', () => {
    const ws = openWorkspace(file('c.synclens'));
    ensureMailbox(ws, 'sales@example.com', 'queue:sales', { trackedFolders: [{ folder: 'Inbox/Deals', regarding: 'opportunity:o1' }], processEmailsFrom: '2024-01-01T00:00:00.000Z' });
    replaceDirectory(ws, { entries: [
      { kind: 'user', ref: 'user:alice', id: 'alice', table: 'systemuser', name: 'Alice', emails: ['alice@example.com'], active: true, owner: null, trackingNumber: 1 },
      { kind: 'contact', ref: 'contact:c1', id: 'c1', table: 'contact', name: 'C', emails: ['c@x.org', 'c2@x.org'], active: false, owner: 'user:alice' },
    ] });
    replaceTracked(ws, [{ id: 't1', messageId: '<m@x>', subject: 'Hi CRM:0001001', trackingToken: 'CRM:0001001', conversationIndex: null, direction: 'outgoing', from: 'alice@example.com', to: ['c@x.org'], cc: [], sentOn: '2024-01-02T00:00:00.000Z', regarding: 'account:a1' }]);
    saveSettingsProfile(ws, 'strict', { ...DEFAULT_SETTINGS, usetrackingtokens: false });
    expect(loadSettingsProfile(ws, 'strict')?.usetrackingtokens).toBe(false);
    const input = loadReplayInput(ws);
    expect(input.mailboxes[0]).toEqual({ owner: 'queue:sales', address: 'sales@example.com', filter: 0, processEmailsFrom: '2024-01-01T00:00:00.000Z', trackedFolders: [{ folder: 'Inbox/Deals', regarding: 'opportunity:o1' }], incoming: true });
    expect(input.directory.entries[0]?.trackingNumber).toBe(1);
    expect(input.directory.entries[1]).toMatchObject({ active: false, emails: ['c@x.org', 'c2@x.org'] });
    expect(input.directory.entries[1]).not.toHaveProperty('trackingNumber');
    expect(input.tracked[0]?.regarding).toBe('account:a1');

    const decision: Decision = {
      key: '1', outcome: 'NoRecipientMatch', tracked: false, correlationMethod: 'None', correlationMethodCode: 0, correlatedTo: null, parent: null,
      regarding: null, acceptingEntity: null, receivingMailbox: 'sales@example.com', sender: null, tokenParts: [], subjectHashes: [], addressHashes: [],
      flags: [], internetMessageHeaders: null, trace: [{ stage: 'Accept', result: 'stopped', detail: 'No candidate accepted.' }],
    };
    const runId = saveRun(ws, { settings: DEFAULT_SETTINGS, profileName: 'default', decisions: [decision, { ...decision, key: '2', outcome: 'AcceptAll', tracked: true }], counts: { byOutcome: { NoRecipientMatch: 1, AcceptAll: 1 }, byMethod: { None: 2 } } });
    expect(getDecision(ws, runId, '1')).toEqual(decision);
    expect(getDecision(ws, runId, 'missing')).toBeNull();
    expect(listDecisions(ws, runId).map((d) => d.key)).toEqual(['1', '2']);
    expect(listRuns(ws)).toMatchObject([{ id: runId, profileName: 'default', messageCount: 2, counts: { byOutcome: { AcceptAll: 1 } } }]);
    // Deleting a run cascades to its decisions and traces (foreign keys on).
    ws.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    expect(ws.db.prepare('SELECT COUNT(*) FROM traces').pluck().get()).toBe(0);
    ws.close();
  });
});
