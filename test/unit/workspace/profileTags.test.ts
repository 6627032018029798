// Schema 3: a mailbox's profile tag (the configuration it really used) is stored in the workspace,
// validated on the way in and on the way out, replaced by a second tag, removed with null, and a
// workspace written before schema 3 gains the table when opened.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, ensureMailbox, listProfileTags, openWorkspace, setProfileTag, type Workspace } from '../../../core/node/workspace/index.js';
import type { MailboxProfileTag } from '../../../core/analysis/supportCheck.js';

let tmp: string;
let ws: Workspace;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-tags-'));
  ws = openWorkspace(path.join(tmp, 'w.synclens'));
  ensureMailbox(ws, 'alice@contoso.com');
  ensureMailbox(ws, 'sales@gmail.com');
});

afterAll(() => {
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const POP: MailboxProfileTag = { host: { kind: 'pop3-imap', host: 'gmail' }, incoming: { id: 'pop', type: 'pop3-smtp' }, outgoing: { id: 'pop', type: 'pop3-smtp' } };

describe('mailbox profile tags', () => {
  it('stores, replaces and removes a tag per mailbox', () => {
    expect(listProfileTags(ws)).toEqual([]);
    setProfileTag(ws, 'Sales@Gmail.com', POP);
    expect(listProfileTags(ws)).toEqual([expect.objectContaining({ mailbox: 'sales@gmail.com', tag: POP })]);
    setProfileTag(ws, 'sales@gmail.com', { incoming: null });
    expect(listProfileTags(ws).map((t) => t.tag)).toEqual([{ incoming: null }]);
    setProfileTag(ws, 'alice@contoso.com', { incoming: { id: 'exo', type: 'exchange-online' } });
    expect(listProfileTags(ws).map((t) => t.mailbox)).toEqual(['alice@contoso.com', 'sales@gmail.com']);
    setProfileTag(ws, 'sales@gmail.com', null);
    expect(listProfileTags(ws).map((t) => t.mailbox)).toEqual(['alice@contoso.com']);
  });

  it('refuses unknown mailboxes and invalid tags, naming the problem', () => {
    expect(() => setProfileTag(ws, 'nobody@contoso.com', POP)).toThrow(/no mailbox nobody@contoso.com/);
    expect(() => setProfileTag(ws, 'alice@contoso.com', { incoming: { id: 'x', type: 'carrier-pigeon' } } as unknown as MailboxProfileTag)).toThrow(/incoming\.type/);
  });

  it('reports a damaged stored tag with the workspace file instead of trusting it', () => {
    ws.db.prepare("UPDATE mailbox_profile_tags SET tag_json = '{\"incoming\": 5}'").run();
    expect(() => listProfileTags(ws)).toThrow(/w\.synclens.*incoming/);
    ws.db.prepare('DELETE FROM mailbox_profile_tags').run();
  });

  it('adds the table when a schema-2 workspace is opened (migrations are versioned, never edited)', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const file = path.join(tmp, 'old.synclens');
    openWorkspace(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) }).close();
    const reopened = openWorkspace(file);
    try {
      const versions = (reopened.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
      ensureMailbox(reopened, 'bob@contoso.com');
      setProfileTag(reopened, 'bob@contoso.com', POP);
      expect(listProfileTags(reopened)).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });
});
