// Each stage of SIMULATOR §2 against hand-built facts; expectations come from the spec's tables.
import { describe, expect, it } from 'vitest';
import { replay } from '../../../core/engine/replay/replay.js';
import { input, mailbox, msg, tracked, entry, DIR } from './helpers.js';

const one = (i: ReturnType<typeof input>) => {
  const r = replay(i);
  expect(r.decisions).toHaveLength(i.messages.length);
  return r.decisions;
};

describe('processing order (§2)', () => {
  it('orders by newest Received, else Date, ties by mailbox order then message order', () => {
    const a = msg({ key: 'a', date: '2024-03-04T10:00:00Z' });
    const b = msg({ key: 'b', date: '2024-03-04T12:00:00Z', received: '2024-03-04T09:00:00Z' });
    const c = msg({ key: 'c', mailbox: 'sales@contoso.com', date: '2024-03-04T10:00:00Z' });
    const d = one(input([a, c, b], { mailboxes: [mailbox('queue:sales', 'sales@contoso.com', 0), mailbox('user:alice', 'alice@contoso.com', 0)] }));
    expect(d.map((x) => x.key)).toEqual(['b', 'c', 'a']);
  });
  it('puts undated messages last and says so', () => {
    const d = one(input([msg({ key: 'x', date: null }), msg({ key: 'y' })]));
    expect(d.map((x) => x.key)).toEqual(['y', 'x']);
    expect(d[1]?.trace[0]?.result).toBe('no date');
  });
});

describe('stage 1 folder', () => {
  it('Inbox root passes, subfolders and Sent Items stop', () => {
    const d = one(input([msg({ key: 'sub', folder: 'Inbox/Projects' }), msg({ key: 'sent', folder: 'Sent Items' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }));
    expect(d.map((x) => x.outcome)).toEqual(['NotInTrackedFolder', 'NotInTrackedFolder']);
  });
  it('Sent Items with AutoTrackSentFolderItems uses the filter', () => {
    const d = one(input([msg({ key: 'sent', folder: 'Sent Items' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)], settings: { AutoTrackSentFolderItems: true } }));
    expect(d[0]?.outcome).toBe('AcceptAll');
  });
  it('folder-level tracking ignores the filter, has no accepting entity, and its Regarding wins', () => {
    const d = one(input([msg({ key: 'f', folder: 'Inbox/Projects', inReplyTo: '<e1@contoso.com>' })], {
      tracked: [tracked('e1')], mailboxes: [mailbox('user:alice', 'alice@contoso.com', 4, { trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:a1' }] })],
    }));
    expect(d[0]).toMatchObject({ outcome: 'FolderLevelTracking', tracked: true, acceptingEntity: null, correlatedTo: 'e1', regarding: 'account:a1', correlationMethod: 'InReplyTo' });
  });
  it('a message from an unconfigured mailbox is NotInTrackedFolder, never dropped', () => {
    expect(one(input([msg({ key: 'z', mailbox: 'nobody@contoso.com' })]))[0]?.outcome).toBe('NotInTrackedFolder');
  });
});

describe('stages 2–4', () => {
  it('BeforeProcessEmailsFrom', () => {
    const d = one(input([msg({ key: 'old', date: '2024-01-01T00:00:00Z' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0, { processEmailsFrom: '2024-02-01T00:00:00Z' })] }));
    expect(d[0]?.outcome).toBe('BeforeProcessEmailsFrom');
  });
  it('PEC and S/MIME', () => {
    const base = msg({ key: 'p' });
    const mk = (key: string, f: Partial<typeof base.flags>) => msg({ key, flags: { ...base.flags, ...f } });
    const d = one(input([mk('pec', { pec: true }), mk('rcpt', { pecReceipt: true }), mk('enc', { smimeEncrypted: true }), mk('opq', { smimeOpaqueSigned: true }), mk('clr', { smimeSigned: true })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }));
    expect(d.map((x) => x.outcome)).toEqual(['UnsupportedPec', 'UnsupportedPec', 'UnsupportedEncrypted', 'UnsupportedEncrypted', 'AcceptAll']);
  });
  it('Duplicate against pre-tracked and replay-tracked Message-IDs', () => {
    const d = one(input([msg({ key: 'a', messageId: '<e1@contoso.com>' }), msg({ key: 'b', messageId: '<m@x>' }), msg({ key: 'c', messageId: '<m@x>', date: '2024-03-05T00:00:00Z' })], { tracked: [tracked('e1')], mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }));
    expect(d.map((x) => x.outcome)).toEqual(['Duplicate', 'AcceptAll', 'Duplicate']);
  });
});

describe('stage 5 resolution (§5)', () => {
  const shared = [entry('user', 'alice', ['alice@contoso.com']), entry('account', 'acc', ['x@f.com'], { owner: 'user:dave' }), entry('contact', 'con', ['X@F.com '], { owner: 'user:dave' }), entry('lead', 'ld', ['x@f.com'], { owner: 'user:alice' })];
  it('priority order, then ownership by the mailbox owner', () => {
    expect(one(input([msg({ key: 'a', from: 'x@f.com' })], { directory: shared, mailboxes: [mailbox('user:dave', 'alice@contoso.com', 0)] }))[0]?.sender).toBe('contact:con');
    expect(one(input([msg({ key: 'a', from: 'x@f.com' })], { directory: shared, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }))[0]?.sender).toBe('lead:ld');
  });
  it('UnresolveSenderInCaseOfMultipleMatch and OverrideV5SenderConflictResolution', () => {
    expect(one(input([msg({ key: 'a', from: 'x@f.com' })], { directory: shared, settings: { UnresolveSenderInCaseOfMultipleMatch: true } }))[0]?.sender).toBeNull();
    expect(one(input([msg({ key: 'a', from: 'x@f.com' })], { directory: shared, settings: { OverrideV5SenderConflictResolution: true } }))[0]?.outcome).toBe('InvalidSender');
  });
  it('more than 100 matches leaves the sender unresolved', () => {
    const many = Array.from({ length: 101 }, (_, i) => entry('contact', `c${i}`, ['x@f.com']));
    expect(one(input([msg({ key: 'a', from: 'x@f.com' })], { directory: [...DIR, ...many] }))[0]?.sender).toBeNull();
  });
  it('inactive rows: a single match resolves, a disabled user does not, unless ResolveForInactiveEntities', () => {
    const dir1 = [...DIR, entry('contact', 'old', ['old@f.com'], { active: false })];
    expect(one(input([msg({ key: 'a', from: 'old@f.com' })], { directory: dir1 }))[0]?.sender).toBe('contact:old');
    const dir2 = [...DIR, entry('user', 'gone', ['gone@contoso.com'], { active: false })];
    expect(one(input([msg({ key: 'a', from: 'gone@contoso.com' })], { directory: dir2 }))[0]?.sender).toBeNull();
    expect(one(input([msg({ key: 'a', from: 'gone@contoso.com' })], { directory: dir2, settings: { ResolveForInactiveEntities: true } }))[0]?.sender).toBe('user:gone');
  });
});

describe('stage 6 acceptance (§4)', () => {
  const two = [mailbox('user:alice', 'alice@contoso.com', 1), mailbox('queue:sales', 'sales@contoso.com', 0)];
  it('Luisa/Sales: accepting entity is the queue, receiving mailbox the user', () => {
    const d = one(input([msg({ key: 'a', to: ['alice@contoso.com', 'sales@contoso.com'] })], { mailboxes: two }));
    expect(d[0]).toMatchObject({ outcome: 'AcceptAll', acceptingEntity: 'queue:sales', receivingMailbox: 'alice@contoso.com' });
  });
  it('SSSForceFilteringMethodForUserMailboxes and UseFilteringMethodOfSyncingMailboxOnlyForCorrelation keep only the owner', () => {
    const m = () => msg({ key: 'a', to: ['alice@contoso.com', 'sales@contoso.com'] });
    expect(one(input([m()], { mailboxes: two, settings: { SSSForceFilteringMethodForUserMailboxes: 1 } }))[0]?.outcome).toBe('NoCorrelationMatch');
    expect(one(input([m()], { mailboxes: two, settings: { SSSForceFilteringMethodForUserMailboxes: 0 } }))[0]).toMatchObject({ outcome: 'AcceptAll', acceptingEntity: 'user:alice' });
    expect(one(input([m()], { mailboxes: two, settings: { UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: true } }))[0]?.outcome).toBe('NoCorrelationMatch');
  });
  it('Bcc and mailboxes without incoming delivery are not candidates', () => {
    expect(one(input([msg({ key: 'a', bcc: ['sales@contoso.com'] })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2), mailbox('queue:sales', 'sales@contoso.com', 0)], directory: DIR }))[0]?.outcome).toBe('SenderMatch');
    expect(one(input([msg({ key: 'a', from: 'nobody@x.com', bcc: ['sales@contoso.com'] })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2), mailbox('queue:sales', 'sales@contoso.com', 0)] }))[0]?.outcome).toBe('NoRecipientMatch');
    expect(one(input([msg({ key: 'a', from: 'nobody@x.com', to: ['sales@contoso.com'] })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2), mailbox('queue:sales', 'sales@contoso.com', 0, { incoming: false })] }))[0]?.outcome).toBe('NoRecipientMatch');
  });
  it('filters 2 and 3 look at the resolved sender only', () => {
    const dir = [...DIR, entry('record', 'p1', ['info@partner.example'], { ref: 'new_partner:p1', table: 'new_partner' })];
    const m = () => msg({ key: 'a', from: 'info@partner.example' });
    expect(one(input([m()], { directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2)] }))[0]?.outcome).toBe('NoRecipientMatch');
    expect(one(input([m()], { directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 3)] }))[0]?.outcome).toBe('SenderMatch');
  });
  it('internal email check comes first, with the queue exceptions', () => {
    const dir = [...DIR, entry('user', 'dave', ['dave@contoso.com'])];
    const mb = [mailbox('user:alice', 'alice@contoso.com', 0), mailbox('queue:sales', 'sales@contoso.com', 0)];
    expect(one(input([msg({ key: 'a', from: 'dave@contoso.com' })], { directory: dir, mailboxes: mb, settings: { ignoreinternalemail: true } }))[0]?.outcome).toBe('InternalEmailReject');
    expect(one(input([msg({ key: 'a', from: 'dave@contoso.com', to: ['sales@contoso.com'] })], { directory: dir, mailboxes: mb, settings: { ignoreinternalemail: true } }))[0]?.outcome).toBe('AcceptAll');
    expect(one(input([msg({ key: 'a', from: 'dave@contoso.com', to: ['sales@contoso.com'] })], { directory: dir, mailboxes: mb, settings: { ignoreinternalemail: true, DoNotIgnoreInternalEmailToQueues: false } }))[0]?.outcome).toBe('InternalEmailReject');
    expect(one(input([msg({ key: 'a', from: 'sales@contoso.com' })], { directory: dir, mailboxes: mb, settings: { ignoreinternalemail: true, IgnoreInternalEmailFromQueues: true } }))[0]?.outcome).toBe('InternalEmailReject');
    expect(one(input([msg({ key: 'a', from: 'dave@contoso.com' })], { directory: dir, mailboxes: mb }))[0]?.outcome).toBe('AcceptAll');
  });
});

describe('record stage (§2 stage 8, §6)', () => {
  it('internetmessageheaders only with Auto-Submitted or Reply-To; every message has a trace', () => {
    const d = one(input([msg({ key: 'a', headers: { 'auto-submitted': 'auto-replied' } }), msg({ key: 'b', headers: { 'x-mailer': 'x' } })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }));
    expect(d[0]?.internetMessageHeaders).toEqual({ 'Auto-Submitted': 'auto-replied' });
    expect(d[1]?.internetMessageHeaders).toBeNull();
    for (const x of d) expect(x.trace.map((t) => t.stage)).toContain('Record');
  });
});
