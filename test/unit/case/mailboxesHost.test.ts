// The engine host's Mailboxes & Directory methods and "Save as scenario" on a workspace built from the
// reply-chain fixture: what the view lists, a filter change kept in a profile (the imported mailbox
// untouched) that the what-if compares, the directory rows, and the case export. Expected values come
// from the fixture's scenario.json and SIMULATOR §1/§4 (rule 0 accepts as AcceptAll).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../core/contract/contract.js';
import { listMailboxes, openWorkspace } from '../../../core/node/workspace/index.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { tempDir, workspaceFromScenario } from './support.js';

const CHAIN = path.join(import.meta.dirname, 'fixtures', 'reply-chain');
let tmp: string;
let host: Host;
let wsFile: string;

function value<T>(env: Envelope<unknown>): T {
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
  return env.value as T;
}

beforeAll(async () => {
  tmp = tempDir();
  wsFile = (await workspaceFromScenario(CHAIN, tmp)).file;
  host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), allowedRoots: [tmp] });
  value(await host.invoke('workspace.open', { path: wsFile }));
});
afterAll(() => {
  host?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('mailboxes and directory host methods', () => {
  it('lists the mailbox with its owner, Microsoft labels and the latest run per folder and outcome', async () => {
    const v = value<import('../../../core/contract/contract.js').MailboxesView>(await host.invoke('mailboxes.list', {}));
    expect(v.profile).toBe('Default');
    const m = v.mailboxes[0];
    expect(m?.address).toBe('alice@contoso.com');
    expect(m?.ownerName).toBe('Alice Ray');
    expect(m?.ownerKind).toBe('user');
    expect(m?.imported.filterLabel).toBe('Email messages in response to Dynamics 365 email');
    expect(m?.imported.deliveryLabel).toBe('Server-Side Synchronization or Email Router');
    expect(m?.folders).toEqual([{ path: 'Inbox', messages: 4, byOutcome: { CorrelationMatch: 3, NoCorrelationMatch: 1 } }]);
  });

  it('keeps a filter change in a profile, leaves the imported mailbox as it was, and the what-if compares it', async () => {
    const v = value<import('../../../core/contract/contract.js').MailboxesView>(await host.invoke('mailboxes.override', { profile: 'All mail', address: 'alice@contoso.com', override: { filter: 0 } }));
    expect(v.profile).toBe('All mail');
    expect(v.mailboxes[0]?.effective.filterLabel).toBe('All email messages');
    expect(v.mailboxes[0]?.imported.filter).toBe(1);
    expect(v.mailboxes[0]?.overridden).toBe(true);
    const refused = await host.invoke('mailboxes.override', { profile: 'Default', address: 'alice@contoso.com', override: { filter: 0 } });
    expect(refused.ok).toBe(false);
    const w = value<import('../../../core/contract/contract.js').WhatIfResult>(await host.invoke('whatif.run', { baseline: 'Default', proposal: 'All mail' }));
    // Rule 0 accepts every message as AcceptAll: the three replies change outcome, the unrelated one is now tracked.
    expect(w.changed).toBe(4);
    expect(w.tracked).toEqual({ baseline: 3, proposal: 4 });
    expect(w.changedSettings).toContainEqual({ name: 'alice@contoso.com filtering method', before: 'Email messages in response to Dynamics 365 email', after: 'All email messages' });
    expect(w.groups.every((g) => !g.knockOn)).toBe(true);
    // Nothing imported changed.
    const ws = openWorkspace(wsFile, { create: false, readonly: true });
    try { expect(listMailboxes(ws)[0]?.filter).toBe(1); } finally { ws.close(); }
    // Back to imported removes the change.
    const back = value<import('../../../core/contract/contract.js').MailboxesView>(await host.invoke('mailboxes.override', { profile: 'All mail', address: 'alice@contoso.com', override: null }));
    expect(back.mailboxes[0]?.overridden).toBe(false);
  });

  it('searches the directory by name and address', async () => {
    const r = value<import('../../../core/contract/contract.js').DirectorySearchResult>(await host.invoke('directory.search', { text: 'fabrikam' }));
    expect(r.rows.map((x) => [x.name, x.typeLabel, x.active, x.owner?.name])).toEqual([['Bob Lee', 'Contact', true, 'Alice Ray']]);
    expect(r.rows[0]?.addresses.map((a) => a.address)).toEqual(['bob@fabrikam.com']);
    expect(r.rows[0]?.addresses[0]?.sharedWith).toEqual([]);
  });

  it('saves a message as a scenario that reproduces its decision', async () => {
    const out = path.join(tmp, 'saved-case');
    const list = value<{ rows: { key: string; subject: string }[] }>(await host.invoke('messages.list', { offset: 0, limit: 10 }));
    const third = list.rows.find((r) => r.subject === 'Delivery dates') as { key: string };
    const r = value<import('../../../core/contract/contract.js').CaseExportView>(await host.invoke('case.export', { key: third.key, out }));
    expect(r.reproduced).toBe(true);
    expect(r.messages).toBe(3);
    expect(fs.existsSync(path.join(out, 'scenario.json'))).toBe(true);
    const outside = await host.invoke('case.export', { key: third.key, out: '/definitely/not/allowed' });
    expect(outside.ok).toBe(false);
  });
});
