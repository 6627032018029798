// The loaded org in the workspace (schema 4): provenance, replacement by id, what lands where the replay
// and the audit read, and the audit's view of the same email export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOrgFile } from '../../../core/org/parseFile.js';
import {
  MIGRATIONS, ORG_PROFILE, ensureMailbox, loadOrgAuditInput, loadReplayInput, loadSettingsProfile, openWorkspace, orgMailbox, orgShow, replaceTracked, saveOrgLoad, type Workspace,
} from '../../../core/node/workspace/index.js';

const DIR = path.resolve(new URL('../../fixtures/org', import.meta.url).pathname);
const parse = (rel: string, text?: string): ReturnType<typeof parseOrgFile> => parseOrgFile(text ?? fs.readFileSync(path.join(DIR, rel), 'utf8'), rel);
const jsonFiles = (): ReturnType<typeof parseOrgFile>[] => fs.readdirSync(path.join(DIR, 'json')).sort().map((f) => parse(`json/${f}`));

let dir: string;
let ws: Workspace;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-org-ws-')); ws = openWorkspace(path.join(dir, 'w.synclens')); });
afterEach(() => { ws.close(); fs.rmSync(dir, { recursive: true, force: true }); });

describe('org in the workspace', () => {
  it('migration 4 adds the org tables', () => {
    expect(MIGRATIONS.map((m) => m.version)).toContain(4);
    const tables = (ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'org_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['org_files', 'org_problems', 'org_rows', 'org_settings']);
  });

  it('lands mailboxes, directory, tracked emails and the "org" settings profile where the replay reads them', () => {
    const s = saveOrgLoad(ws, jsonFiles());
    expect(s.landed).toEqual({ mailboxes: 3, directory: 6, tracked: 2, settings: true, unknownSettings: 2 });
    const input = loadReplayInput(ws);
    expect(input.mailboxes.map((m) => [m.address, m.filter, m.incoming])).toEqual([['alice@contoso.com', 1, true], ['bob@contoso.com', 2, true], ['support@contoso.com', 0, false]]);
    expect(input.directory.entries).toHaveLength(6);
    expect(input.tracked.map((t) => t.id)).toEqual(['e1e1e1e1-0000-4000-8000-000000000001', 'e2e2e2e2-0000-4000-8000-000000000002']);
    expect(loadSettingsProfile(ws, ORG_PROFILE)).toMatchObject({ DoNotCorrelateForwardedEmailsAsReplies: true, hashminaddresscount: 2 });
  });

  it('keeps provenance (file, table, row) for rows, settings and problems', () => {
    saveOrgLoad(ws, [...jsonFiles(), parse('bad/usersettings.json')]);
    const show = orgShow(ws);
    expect(show.tables).toContainEqual({ table: 'usersettings', rows: 2 });
    expect(show.settings).toContainEqual({ name: 'CreateQueueItemForSynchronizingMailbox', value: 'true', known: false, source: 'orgdborgsettings', file: 'json/organizations.json', row: 1 });
    expect(show.problems).toContainEqual(expect.objectContaining({ stage: 'row', file: 'bad/usersettings.json', table: 'usersettings', row: 1, column: 'incomingemailfilteringmethod' }));
    const alice = orgMailbox(ws, 'ALICE@contoso.com');
    expect(alice).toMatchObject({ file: 'json/mailboxes.json', row: 1, ownerName: 'Alice Smith' });
    // The later usersettings row (from bad/, filter unreadable) replaced Alice's: her mailbox now has the users' default.
    expect(alice?.filter).toBe(1);
    expect(alice?.filterSource).toMatch(/^not in the export/);
    const prov = ws.db.prepare("SELECT org_file, org_row FROM directory_entries WHERE ref = 'user:5a1ce000-0000-4000-8000-0000000000a1'").get();
    expect(prov).toEqual({ org_file: 'json/systemusers.json', org_row: 1 });
  });

  it('a row loaded again (same table and id) replaces the earlier one; other rows stay', () => {
    saveOrgLoad(ws, jsonFiles());
    const renamed = JSON.stringify({ value: [{ contactid: 'c0c0c000-0000-4000-8000-0000000000c1', fullname: 'Carol Diaz-Ruiz', emailaddress1: 'carol.ruiz@fabrikam.com', statecode: 0 }] });
    saveOrgLoad(ws, [parse('later/contacts.json', renamed)]);
    const carol = loadReplayInput(ws).directory.entries.filter((e) => e.id === 'c0c0c000-0000-4000-8000-0000000000c1');
    expect(carol).toEqual([expect.objectContaining({ name: 'Carol Diaz-Ruiz', emails: ['carol.ruiz@fabrikam.com'] })]);
    expect(loadReplayInput(ws).directory.entries).toHaveLength(6);
    expect(orgShow(ws).tables).toContainEqual({ table: 'contact', rows: 1 });
  });

  it('a mailbox imported before the org keeps its messages and takes the org\'s configuration', () => {
    ensureMailbox(ws, 'alice@contoso.com');
    expect(orgMailbox(ws, 'alice@contoso.com')).toBeNull();
    saveOrgLoad(ws, jsonFiles());
    expect(loadReplayInput(ws).mailboxes.filter((m) => m.address === 'alice@contoso.com')).toEqual([
      { owner: 'user:5a1ce000-0000-4000-8000-0000000000a1', address: 'alice@contoso.com', filter: 1, processEmailsFrom: '2024-03-01T00:00:00.000Z', trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:acc00000-0000-4000-8000-0000000000f1' }], incoming: true },
    ]);
  });

  it('the audit reads the same email export as its record, and replays without those emails pre-tracked', () => {
    replaceTracked(ws, [{ id: 'scenario-1', messageId: '<s@x>', subject: 's', trackingToken: null, conversationIndex: null, direction: 'outgoing', from: null, to: [], cc: [], sentOn: '2024-01-01T00:00:00Z', regarding: null }]);
    saveOrgLoad(ws, jsonFiles());
    const a = loadOrgAuditInput(ws);
    expect(a.emails.map((e) => e.activityId)).toEqual(['e1e1e1e1-0000-4000-8000-000000000001', 'e2e2e2e2-0000-4000-8000-000000000002']);
    expect(a.input.tracked.map((t) => t.id)).toEqual(['scenario-1']);
    expect(loadReplayInput(ws).tracked.map((t) => t.id)).toEqual(['scenario-1', 'e1e1e1e1-0000-4000-8000-000000000001', 'e2e2e2e2-0000-4000-8000-000000000002']);
  });
});

describe('an older workspace', () => {
  it('a schema-3 workspace with a mailbox is upgraded, and the org load takes over that mailbox', () => {
    const file = path.join(dir, 'old.synclens');
    const old = openWorkspace(file, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    ensureMailbox(old, 'bob@contoso.com', 'user:bob');
    old.close();
    const up = openWorkspace(file);
    try {
      saveOrgLoad(up, jsonFiles());
      expect(loadReplayInput(up).mailboxes.find((m) => m.address === 'bob@contoso.com')).toMatchObject({ owner: 'user:5a1ce000-0000-4000-8000-0000000000b0', filter: 2 });
    } finally {
      up.close();
    }
  });
});

describe('the audit over the loaded email export', () => {
  it('outgoing records become the tracked emails replies correlate to; incoming ones are compared with the replay', async () => {
    const { importPaths } = await import('../../../core/node/import/importer.js');
    const { runAudit } = await import('../../../core/analysis/audit.js');
    const { validateSettings } = await import('../../../core/engine/model/settingsMeta.js');
    saveOrgLoad(ws, jsonFiles());
    await importPaths(ws, [path.join(DIR, 'maildir/alice')], { mailbox: 'alice@contoso.com' });
    const { input, emails } = loadOrgAuditInput(ws);
    const v = validateSettings(loadSettingsProfile(ws, ORG_PROFILE));
    if (!v.ok) throw new Error('org settings invalid');
    const r = runAudit({ input, settings: v.settings, emails });
    // The quote Alice sent is added as a tracked email; the pricing question (incoming) is matched to its
    // message. Replayed without being pre-tracked, that message comes from a lead to Alice, who filters
    // "in response", and answers nothing tracked: SyncLens would not track it, Dynamics did.
    expect(r.counts).toMatchObject({ records: 2, incoming: 1, outgoing: 1, matched: 1, agreements: 0, disagreements: 1, addedTracked: 1 });
    expect(r.rows[0]).toMatchObject({ subject: 'Pricing question', agree: false, synclens: { tracked: false } });
  });
});
