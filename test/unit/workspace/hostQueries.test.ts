// The workspace queries behind the host's views (core/node/workspace: messageList, quarantine,
// workspaceTotals, emailRefs) over a workspace imported from hand-written messages: every expected
// value below is read off those messages, not from running the queries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import type { Decision } from '../../../core/engine/model/types.js';
import { importPaths } from '../../../core/node/import/index.js';
import { openWorkspace, saveRun, WorkspaceError, type Workspace } from '../../../core/node/workspace/index.js';
import { emailRefs, entityNames } from '../../../core/node/workspace/emailRefs.js';
import { countMessages, listMessagePage } from '../../../core/node/workspace/messageList.js';
import { listQuarantined } from '../../../core/node/workspace/quarantine.js';
import { folderPaths, messagePlace, messageTotals, sourcePaths } from '../../../core/node/workspace/workspaceTotals.js';

let tmp: string;
let ws: Workspace;
let runId: number;
const key: Record<'quote' | 'reply' | 'invoice', string> = { quote: '', reply: '', invoice: '' };

const eml = (headers: string[], body = 'Hello.'): string => `${headers.join('\r\n')}\r\n\r\n${body}\r\n`;

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-queries-')));
  const inbox = path.join(tmp, 'alice');
  const sent = path.join(tmp, 'bob');
  fs.mkdirSync(inbox);
  fs.mkdirSync(sent);
  fs.writeFileSync(path.join(inbox, 'quote.eml'), eml(['From: alice@contoso.com', 'To: dan@fabrikam.com', 'Subject: Quote for April', 'Date: Mon, 01 Apr 2024 09:00:00 +0000', 'Message-ID: <quote@contoso.com>']));
  fs.writeFileSync(path.join(inbox, 'reply.eml'), eml(['From: dan@fabrikam.com', 'To: alice@contoso.com', 'Subject: RE: Quote for April', 'Date: Tue, 02 Apr 2024 09:00:00 +0000',
    'Message-ID: <reply@fabrikam.com>', 'In-Reply-To: <quote@contoso.com>', 'Auto-Submitted: auto-replied']));
  fs.writeFileSync(path.join(sent, 'invoice.eml'), eml(['From: bob@contoso.com', 'To: erin@fabrikam.com', 'Subject: Invoice 100_% paid', 'Date: Fri, 15 Mar 2024 09:00:00 +0000', 'Message-ID: <invoice@contoso.com>']));
  // No header field any message has: the importer quarantines it (core/node/import/writer.ts quarantineReason).
  fs.writeFileSync(path.join(sent, 'notes.eml'), 'Shopping: milk\r\nColour: blue\r\n\r\nnot mail\r\n');
  ws = openWorkspace(path.join(tmp, 'w.synclens'), { create: true });
  await importPaths(ws, [inbox], { mailbox: 'alice@contoso.com', folder: 'Inbox' });
  await importPaths(ws, [sent], { mailbox: 'bob@contoso.com', folder: 'Sent Items' });
  for (const [name, mid] of [['quote', '<quote@contoso.com>'], ['reply', '<reply@fabrikam.com>'], ['invoice', '<invoice@contoso.com>']] as const) {
    key[name] = String(ws.db.prepare('SELECT id FROM messages WHERE message_id = ?').pluck().get(mid));
  }
  const decision = (k: string, outcome: Decision['outcome'], method: Decision['correlationMethod']): Decision => ({
    key: k, outcome, tracked: outcome === 'CorrelationMatch', correlationMethod: method, correlationMethodCode: method === 'InReplyTo' ? 2 : 0,
    correlatedTo: null, parent: null, regarding: null, acceptingEntity: null, receivingMailbox: 'alice@contoso.com', sender: null, tokenParts: [],
    subjectHashes: [], addressHashes: [], flags: [], internetMessageHeaders: null, trace: [{ stage: 'Correlate', result: 'x', detail: 'test' }],
  });
  runId = saveRun(ws, {
    settings: DEFAULT_SETTINGS, profileName: 'Default',
    decisions: [decision(key.quote, 'NoCorrelationMatch', 'None'), decision(key.reply, 'CorrelationMatch', 'InReplyTo'), decision(key.invoice, 'NoCorrelationMatch', 'None')],
    counts: { byOutcome: { NoCorrelationMatch: 2, CorrelationMatch: 1 }, byMethod: { None: 2, InReplyTo: 1 } },
  });
  // A tracked email and a directory record, as an organization load would store them.
  ws.db.prepare(`INSERT INTO tracked_emails (id, message_id, subject, direction, from_addr, sent_on, position) VALUES ('crm-1', '<crm1@contoso.com>', 'Kick-off', 'outgoing', 'alice@contoso.com', '2024-03-01T10:00:00.000Z', 0)`).run();
  ws.db.prepare(`INSERT INTO directory_entries (ref, kind, entity_id, table_name, name, emails_json, position) VALUES ('user:alice', 'user', 'a1', 'systemuser', 'Alice Ray', '["alice@contoso.com"]', 0),
    ('opportunity:o1', 'record', 'o1', 'opportunity', 'Spring deal', '[]', 1)`).run();
});

afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('workspace totals', () => {
  it('counts the readable messages and the quarantined one, and lists each folder once', () => {
    expect(messageTotals(ws)).toEqual({ messages: 3, quarantined: 1 });
    expect(folderPaths(ws)).toEqual(['Inbox', 'Sent Items']);
  });

  it('names every imported source file', () => {
    expect(sourcePaths(ws).map((p) => path.basename(p)).sort()).toEqual(['invoice.eml', 'notes.eml', 'quote.eml', 'reply.eml']);
  });

  it('places a message in its mailbox and folder, and nothing for unknown ids', () => {
    const row = ws.db.prepare('SELECT mailbox_id, folder_id FROM messages WHERE id = ?').get(Number(key.invoice)) as { mailbox_id: number; folder_id: number };
    expect(messagePlace(ws, row.mailbox_id, row.folder_id)).toEqual({ mailbox: 'bob@contoso.com', folder: 'Sent Items' });
    expect(messagePlace(ws, 9999, row.folder_id)).toBeNull();
  });
});

describe('message list', () => {
  it('counts what each filter matches', () => {
    expect(countMessages(ws, runId, {})).toBe(3);
    expect(countMessages(ws, runId, { text: 'quote' })).toBe(2);
    expect(countMessages(ws, runId, { text: 'dan@fabrikam' })).toBe(1);
    // LIKE's wildcards are searched for literally.
    expect(countMessages(ws, runId, { text: '100_%' })).toBe(1);
    expect(countMessages(ws, runId, { text: '_' })).toBe(1);
    expect(countMessages(ws, runId, { mailbox: 'alice@contoso.com' })).toBe(2);
    expect(countMessages(ws, runId, { folder: 'Sent Items' })).toBe(1);
    expect(countMessages(ws, runId, { flags: ['auto-reply'] })).toBe(1);
    expect(countMessages(ws, runId, { outcomes: ['CorrelationMatch'] })).toBe(1);
    expect(countMessages(ws, runId, { methods: ['None'], mailbox: 'alice@contoso.com' })).toBe(1);
    // Without a run no message has an outcome.
    expect(countMessages(ws, null, { outcomes: ['NoCorrelationMatch'] })).toBe(0);
  });

  it('searches Message-IDs only for text that can be part of one', () => {
    expect(countMessages(ws, runId, { text: '<invoice@' })).toBe(1);
    expect(countMessages(ws, runId, { text: 'invoice' })).toBe(1);
    expect(countMessages(ws, runId, { text: 'fabrikam.com>' })).toBe(1);
  });

  it('refuses a flag it does not know, naming the known ones', () => {
    expect(() => countMessages(ws, runId, { flags: ['glitter' as 'pec'] })).toThrow(WorkspaceError);
    expect(() => countMessages(ws, runId, { flags: ['glitter' as 'pec'] })).toThrow(/auto-reply/);
  });

  it('pages through the messages in date order with the run’s outcomes and the flags', () => {
    const all = listMessagePage(ws, runId, { offset: 0, limit: 10 });
    expect(all.map((r) => r.subject)).toEqual(['Invoice 100_% paid', 'Quote for April', 'RE: Quote for April']);
    expect(all[2]).toEqual({
      key: key.reply, date: '2024-04-02T09:00:00.000Z', mailbox: 'alice@contoso.com', folder: 'Inbox', from: 'dan@fabrikam.com',
      subject: 'RE: Quote for April', outcome: 'CorrelationMatch', method: 'InReplyTo', flags: ['auto-reply'],
    });
    expect(all[0]).toMatchObject({ mailbox: 'bob@contoso.com', folder: 'Sent Items', outcome: 'NoCorrelationMatch', flags: [] });
    expect(listMessagePage(ws, runId, { offset: 1, limit: 1 }).map((r) => r.key)).toEqual([key.quote]);
    expect(listMessagePage(ws, runId, { sort: { key: 'date', dir: 'desc' }, offset: 0, limit: 10 }).map((r) => r.key)).toEqual([key.reply, key.quote, key.invoice]);
    expect(listMessagePage(ws, runId, { sort: { key: 'from', dir: 'asc' }, offset: 0, limit: 10 }).map((r) => r.from)).toEqual(['alice@contoso.com', 'bob@contoso.com', 'dan@fabrikam.com']);
    expect(listMessagePage(ws, null, { filter: { mailbox: 'bob@contoso.com' }, offset: 0, limit: 10 })).toMatchObject([{ key: key.invoice, outcome: null, method: null }]);
  });
});

describe('quarantine', () => {
  it('lists the quarantined message with where it came from and why', () => {
    const q = listQuarantined(ws, 10);
    expect(q.total).toBe(1);
    expect(q.rows).toHaveLength(1);
    expect(path.basename(q.rows[0]?.file ?? '')).toBe('notes.eml');
    expect(q.rows[0]).toMatchObject({ mailbox: 'bob@contoso.com', folder: 'Sent Items', subject: null });
    expect(q.rows[0]?.reason).toMatch(/^not an email message/);
    expect(listQuarantined(ws, 0)).toEqual({ total: 1, rows: [] });
  });
});

describe('email references', () => {
  it('names messages by key and tracked emails by id, and leaves unknown ids out', () => {
    expect(emailRefs(ws, [key.quote, 'crm-1', 'nope', '999999'])).toEqual({
      [key.quote]: { id: key.quote, kind: 'message', subject: 'Quote for April', from: 'alice@contoso.com', date: '2024-04-01T09:00:00.000Z' },
      'crm-1': { id: 'crm-1', kind: 'tracked', subject: 'Kick-off', from: 'alice@contoso.com', date: '2024-03-01T10:00:00.000Z' },
    });
  });

  it('names directory records by name and kind (a record by its table)', () => {
    expect(entityNames(ws, ['user:alice', 'opportunity:o1', 'contact:nobody', null])).toEqual({ 'user:alice': 'Alice Ray (user)', 'opportunity:o1': 'Spring deal (opportunity)' });
  });
});
