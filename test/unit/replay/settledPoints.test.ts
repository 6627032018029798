// SIMULATOR.md §8: the 15 points the sources leave open, each a setting whose default is given first.
// Every expectation below is read off the §8 table (and its "details" paragraph), not from a run: for
// each point, the default and each alternative, and the trace saying the decision rested on the point.
import { describe, expect, it } from 'vitest';
import { replay } from '../../../core/engine/replay/replay.js';
import type { Settings } from '../../../core/engine/model/settings.js';
import type { Decision, DirectoryEntry, MailboxConfig, MessageFacts, TrackedEmail } from '../../../core/engine/model/types.js';
import { encodeThreadIndexChild, encodeThreadIndexRoot } from '../../../core/engine/primitives/threadIndex.js';
import { wordHash } from '../../../core/engine/primitives/smartMatch.js';
import { entry, input, mailbox, msg, tracked } from './helpers.js';

type Opts = { settings?: Partial<Settings>; tracked?: TrackedEmail[]; mailboxes?: MailboxConfig[]; directory?: DirectoryEntry[] };

function run(messages: MessageFacts[], opts: Opts = {}): Map<string, Decision> {
  const r = replay(input(messages, opts));
  return new Map(r.decisions.map((d) => [d.key, d]));
}
function get(m: Map<string, Decision>, key: string): Decision {
  const d = m.get(key);
  if (!d) throw new Error(`no decision for ${key}`);
  return d;
}
/** The trace steps that name the setting and say they rest on a §8 point. */
function marked(d: Decision, setting: string): boolean {
  return d.trace.some((t) => t.undocumented === true && (t.settings ?? []).includes(setting) && /SIMULATOR §8 point \d+/.test(t.detail));
}

const ALL_OFF: Partial<Settings> = { emailcorrelationenabled: false, usetrackingtokens: false, enablesmartmatching: false };

describe('§8 point 1: skippedScope', () => {
  const msgs = () => [
    msg({ key: 'junk', folder: 'Junk', date: '2024-03-04T08:00:00Z' }),
    msg({ key: 'inbox', date: '2024-03-04T09:00:00Z' }),
  ];
  it('default "stage7": a message stopped before correlation has None, one that reached it Skipped', () => {
    const d = run(msgs(), { settings: ALL_OFF, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] });
    expect(get(d, 'junk')).toMatchObject({ outcome: 'NotInTrackedFolder', correlationMethod: 'None', correlationMethodCode: 0 });
    expect(get(d, 'inbox')).toMatchObject({ outcome: 'AcceptAll', correlationMethod: 'Skipped', correlationMethodCode: 1 });
    expect(marked(get(d, 'junk'), 'skippedScope')).toBe(true);
  });
  it('"all": every message of the run is Skipped', () => {
    const d = run(msgs(), { settings: { ...ALL_OFF, skippedScope: 'all' }, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] });
    expect(get(d, 'junk')).toMatchObject({ outcome: 'NotInTrackedFolder', correlationMethod: 'Skipped', correlationMethodCode: 1 });
    expect(get(d, 'inbox').correlationMethod).toBe('Skipped');
  });
  it('a message whose filter 1 was evaluated has reached correlation; IgnoreConversationIndexAndInReplyTo counts as disabling 1 and 3', () => {
    const d = run([msg({ key: 'f1' })], { settings: { emailcorrelationenabled: true, IgnoreConversationIndexAndInReplyToForCorrelation: true, usetrackingtokens: false, enablesmartmatching: false } });
    expect(get(d, 'f1')).toMatchObject({ outcome: 'NoCorrelationMatch', correlationMethod: 'Skipped' });
  });
  it('a message stopped in stage 6 without filter 1 being evaluated has None', () => {
    const d = run([msg({ key: 'f4' })], { settings: ALL_OFF, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 4)] });
    expect(get(d, 'f4')).toMatchObject({ outcome: 'NoRecipientMatch', correlationMethod: 'None' });
  });
});

describe('§8 point 2: receivedHeaderRule', () => {
  // Topmost Received (the last hop) says 2 March; an earlier hop's header carries 5 March.
  const m = () => msg({ key: 'm', received: '2024-03-02T10:00:00Z', receivedAll: ['2024-03-02T10:00:00Z', '2024-03-05T10:00:00Z'], date: '2024-03-01T10:00:00Z' });
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 0, { processEmailsFrom: '2024-03-03T00:00:00Z' })];
  it('default "topmost": dated by the topmost Received header whose date parses', () => {
    const d = get(run([m()], { mailboxes: mbx }), 'm');
    expect(d.outcome).toBe('BeforeProcessEmailsFrom');
    expect(marked(d, 'receivedHeaderRule')).toBe(true);
  });
  it('"latest": dated by the latest date among all Received headers', () => {
    expect(get(run([m()], { mailboxes: mbx, settings: { receivedHeaderRule: 'latest' } }), 'm').outcome).toBe('AcceptAll');
  });
  it('the rule also orders the messages', () => {
    const other = msg({ key: 'o', received: '2024-03-04T10:00:00Z' });
    const keys = (s: Partial<Settings>) => replay(input([m(), other], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)], settings: s })).decisions.map((x) => x.key);
    expect(keys({})).toEqual(['m', 'o']);
    expect(keys({ receivedHeaderRule: 'latest' })).toEqual(['o', 'm']);
  });
});

describe('§8 point 3: forwardPrefixRule and forwardSuppressesConversationIndex', () => {
  const t = () => [tracked('t1', { sentOn: '2024-03-01T09:00:00Z' })];
  const base: Partial<Settings> = { DoNotCorrelateForwardedEmailsAsReplies: true, usetrackingtokens: false };
  it('default "first": "RE: FW:" is a reply, so InReplyTo correlates', () => {
    const d = get(run([msg({ key: 'r', subject: 'RE: FW: Quote', inReplyTo: '<t1@contoso.com>' })], { tracked: t(), settings: base }), 'r');
    expect(d).toMatchObject({ outcome: 'CorrelationMatch', correlationMethod: 'InReplyTo', correlatedTo: 't1' });
    expect(marked(d, 'forwardPrefixRule')).toBe(true);
  });
  it('default: "Fwd:" first is a forward, InReplyTo is suppressed', () => {
    const d = get(run([msg({ key: 'f', subject: 'Fwd: Quote', inReplyTo: '<t1@contoso.com>' })], { tracked: t(), settings: base }), 'f');
    expect(d).toMatchObject({ outcome: 'NoCorrelationMatch', correlationMethod: 'None' });
    expect(marked(d, 'forwardPrefixRule')).toBe(true);
  });
  it('"any": a forward prefix anywhere in the chain makes it a forward', () => {
    const d = get(run([msg({ key: 'r', subject: 'RE: FW: Quote', inReplyTo: '<t1@contoso.com>' })], { tracked: t(), settings: { ...base, forwardPrefixRule: 'any' } }), 'r');
    expect(d).toMatchObject({ outcome: 'NoCorrelationMatch', correlationMethod: 'None' });
  });
  it('ConversationIndex still correlates a forward by default; forwardSuppressesConversationIndex stops it', () => {
    const root = encodeThreadIndexRoot(new Date('2024-03-01T09:00:00Z'), new Uint8Array(16).fill(7), 'classic');
    const child = encodeThreadIndexChild(root, new Date('2024-03-02T09:00:00Z'), 1);
    if (!child.ok) throw new Error(child.error);
    const tr = [tracked('t1', { conversationIndex: root })];
    const m = () => msg({ key: 'f', subject: 'FW: Quote', threadIndex: child.value });
    expect(get(run([m()], { tracked: tr, settings: base }), 'f')).toMatchObject({ correlationMethod: 'ConversationIndex', correlatedTo: 't1' });
    const off = get(run([m()], { tracked: tr, settings: { ...base, forwardSuppressesConversationIndex: true } }), 'f');
    expect(off).toMatchObject({ correlationMethod: 'None', outcome: 'NoCorrelationMatch' });
    expect(marked(off, 'forwardSuppressesConversationIndex')).toBe(true);
  });
});

describe('§8 point 4: IgnoreConversationIndexAndInReplyToForCorrelation skips methods 1 and 3', () => {
  it('a reply matching by In-Reply-To and ConversationIndex is not correlated', () => {
    const root = encodeThreadIndexRoot(new Date('2024-03-01T09:00:00Z'), new Uint8Array(16).fill(3), 'classic');
    const child = encodeThreadIndexChild(root, new Date('2024-03-02T09:00:00Z'), 1);
    if (!child.ok) throw new Error(child.error);
    const d = get(run([msg({ key: 'r', subject: 'RE: Quote', inReplyTo: '<t1@contoso.com>', threadIndex: child.value })], {
      tracked: [tracked('t1', { conversationIndex: root })], settings: { IgnoreConversationIndexAndInReplyToForCorrelation: true },
    }), 'r');
    expect(d).toMatchObject({ correlationMethod: 'None', outcome: 'NoCorrelationMatch' });
  });
});

describe('§8 point 5: internalQueueExceptionScope', () => {
  const dir = [
    entry('user', 'alice', ['alice@contoso.com']),
    entry('user', 'bob', ['bob@contoso.com']),
    entry('queue', 'sales', ['sales@contoso.com'], { owner: 'user:alice' }),
  ];
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 0), mailbox('queue:sales', 'sales@contoso.com', 0)];
  const m = (key: string, box: string) => msg({ key, mailbox: box, from: 'bob@contoso.com', to: ['alice@contoso.com', 'sales@contoso.com'] });
  it('default "recipient": a queue with an enabled mailbox among To/Cc waives the rule, and the trace says why', () => {
    const d = get(run([m('a', 'alice@contoso.com')], { directory: dir, mailboxes: mbx, settings: { ignoreinternalemail: true } }), 'a');
    expect(d).toMatchObject({ outcome: 'AcceptAll', acceptingEntity: 'user:alice' });
    const step = d.trace.find((t) => t.stage === 'Accept');
    expect(step?.detail).toContain('queue:sales');
    expect(step?.detail).toContain('DoNotIgnoreInternalEmailToQueues');
    expect(marked(d, 'internalQueueExceptionScope')).toBe(true);
  });
  it('"processedMailbox": waived only in the queue\'s own mailbox', () => {
    const s = { ignoreinternalemail: true, internalQueueExceptionScope: 'processedMailbox' as const };
    const d = run([m('a', 'alice@contoso.com'), m('q', 'sales@contoso.com')], { directory: dir, mailboxes: mbx, settings: s });
    expect(get(d, 'a').outcome).toBe('InternalEmailReject');
    expect(get(d, 'q')).toMatchObject({ outcome: 'AcceptAll', acceptingEntity: 'queue:sales' });
  });
  it('without a queue recipient the rule applies', () => {
    const d = get(run([msg({ key: 'x', from: 'bob@contoso.com', to: ['alice@contoso.com'] })], { directory: dir, mailboxes: mbx, settings: { ignoreinternalemail: true } }), 'x');
    expect(d.outcome).toBe('InternalEmailReject');
  });
});

describe('§8 point 6: inactiveSingleSenderMatch', () => {
  const dir = [
    entry('user', 'alice', ['alice@contoso.com']),
    entry('contact', 'old', ['old@fabrikam.com'], { active: false }),
    entry('user', 'leaver', ['leaver@contoso.com'], { disabled: true }),
  ];
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 2)];
  it('default "resolve": a single inactive match resolves', () => {
    const d = get(run([msg({ key: 'm', from: 'old@fabrikam.com' })], { directory: dir, mailboxes: mbx }), 'm');
    expect(d).toMatchObject({ sender: 'contact:old', outcome: 'SenderMatch' });
    expect(marked(d, 'inactiveSingleSenderMatch')).toBe(true);
  });
  it('"never": inactive rows never resolve', () => {
    const d = get(run([msg({ key: 'm', from: 'old@fabrikam.com' })], { directory: dir, mailboxes: mbx, settings: { inactiveSingleSenderMatch: 'never' } }), 'm');
    expect(d).toMatchObject({ sender: null, outcome: 'NoRecipientMatch' });
  });
  it('a disabled system user never resolves, even under the default', () => {
    const d = get(run([msg({ key: 'm', from: 'leaver@contoso.com' })], { directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 3)] }), 'm');
    expect(d).toMatchObject({ sender: null, outcome: 'NoRecipientMatch' });
  });
});

describe('§8 point 7: multipleMatchCountsInactive', () => {
  it('default: only active rows count toward "more than one"; an inactive second row does not unresolve', () => {
    const dir = [entry('user', 'alice', ['alice@contoso.com']), entry('contact', 'c1', ['x@fabrikam.com']), entry('account', 'a1', ['x@fabrikam.com'], { active: false })];
    const s: Partial<Settings> = { UnresolveSenderInCaseOfMultipleMatch: true };
    const mbx = [mailbox('user:alice', 'alice@contoso.com', 2)];
    const d = get(run([msg({ key: 'm', from: 'x@fabrikam.com' })], { directory: dir, mailboxes: mbx, settings: s }), 'm');
    expect(d).toMatchObject({ sender: 'contact:c1', outcome: 'SenderMatch' });
    expect(marked(d, 'multipleMatchCountsInactive')).toBe(true);
    const alt = get(run([msg({ key: 'm', from: 'x@fabrikam.com' })], { directory: dir, mailboxes: mbx, settings: { ...s, multipleMatchCountsInactive: true } }), 'm');
    expect(alt).toMatchObject({ sender: null, outcome: 'NoRecipientMatch' });
  });
  it('the setting wins over ownership: two active matches stay unresolved even if one is owned by the mailbox owner', () => {
    const dir = [entry('user', 'alice', ['alice@contoso.com']), entry('contact', 'c1', ['x@fabrikam.com'], { owner: 'user:alice' }), entry('account', 'a1', ['x@fabrikam.com'])];
    const d = get(run([msg({ key: 'm', from: 'x@fabrikam.com' })], { directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2)], settings: { UnresolveSenderInCaseOfMultipleMatch: true } }), 'm');
    expect(d).toMatchObject({ sender: null, outcome: 'NoRecipientMatch' });
  });
});

describe('§8 point 8: storeTokenOfIncoming', () => {
  const msgs = () => [
    msg({ key: 'first', subject: 'Order CRM:0001005', date: '2024-03-04T08:00:00Z' }),
    msg({ key: 'reply', subject: 'RE: Order crm: 0001005', date: '2024-03-04T09:00:00Z', messageId: '<reply@x>' }),
  ];
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 0)];
  it('default true: the token is stored and a later reply correlates on it (normalised: prefix case and space do not matter)', () => {
    const d = run(msgs(), { mailboxes: mbx });
    expect(get(d, 'reply')).toMatchObject({ correlationMethod: 'TrackingToken', correlatedTo: 'first' });
    expect(marked(get(d, 'first'), 'storeTokenOfIncoming')).toBe(true);
  });
  it('false: not stored, so the reply does not correlate', () => {
    const d = run(msgs(), { mailboxes: mbx, settings: { storeTokenOfIncoming: false } });
    expect(get(d, 'reply')).toMatchObject({ correlationMethod: 'None', correlatedTo: null });
  });
});

describe('§8 point 9: equalSentOnTieBreak', () => {
  const tr = () => [
    tracked('listedFirst', { trackingToken: 'CRM:0001007', sentOn: '2024-03-01T09:00:00Z' }),
    tracked('listedLater', { trackingToken: 'CRM:0001007', sentOn: '2024-03-01T09:00:00Z' }),
  ];
  const m = () => msg({ key: 'r', subject: 'RE: Quote CRM:0001007' });
  it('default "later": the one listed later wins', () => {
    const d = get(run([m()], { tracked: tr() }), 'r');
    expect(d).toMatchObject({ correlationMethod: 'TrackingToken', correlatedTo: 'listedLater' });
    expect(d.trace.some((t) => t.undocumented && /equalSentOnTieBreak/.test(t.detail))).toBe(true);
  });
  it('"earlier": the one listed first wins', () => {
    expect(get(run([m()], { tracked: tr(), settings: { equalSentOnTieBreak: 'earlier' } }), 'r').correlatedTo).toBe('listedFirst');
  });
});

describe('§8 point 10: filter3AcceptsUsersAndQueues', () => {
  const dir = [entry('user', 'alice', ['alice@contoso.com']), entry('user', 'bob', ['bob@contoso.com'])];
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 3)];
  it('default true: a sender resolving to a user is accepted by filter 3', () => {
    const d = get(run([msg({ key: 'm', from: 'bob@contoso.com' })], { directory: dir, mailboxes: mbx }), 'm');
    expect(d).toMatchObject({ outcome: 'SenderMatch', acceptingEntity: 'user:alice' });
    expect(marked(d, 'filter3AcceptsUsersAndQueues')).toBe(true);
  });
  it('false: rejected', () => {
    expect(get(run([msg({ key: 'm', from: 'bob@contoso.com' })], { directory: dir, mailboxes: mbx, settings: { filter3AcceptsUsersAndQueues: false } }), 'm').outcome).toBe('NoRecipientMatch');
  });
});

describe('§8 point 11: sentItemsFilterOn', () => {
  const dir = [entry('user', 'alice', ['alice@contoso.com']), entry('contact', 'c1', ['c1@fabrikam.com'])];
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 2)];
  const m = () => msg({ key: 's', folder: 'Sent Items', from: 'alice@contoso.com', to: ['c1@fabrikam.com'] });
  it('default "recipients": filter 2 accepts Sent Items mail to a contact', () => {
    const d = get(run([m()], { directory: dir, mailboxes: mbx, settings: { AutoTrackSentFolderItems: true } }), 's');
    expect(d).toMatchObject({ outcome: 'SenderMatch', acceptingEntity: 'user:alice' });
    expect(marked(d, 'sentItemsFilterOn')).toBe(true);
  });
  it('"sender": the sender is the user, so filter 2 rejects', () => {
    const d = get(run([m()], { directory: dir, mailboxes: mbx, settings: { AutoTrackSentFolderItems: true, sentItemsFilterOn: 'sender' } }), 's');
    expect(d.outcome).toBe('NoRecipientMatch');
  });
});

describe('§8 point 12: trackedFolderSubfolders', () => {
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 4, { trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:a1' }] })];
  it('default false: a sub-folder of a mapped folder is not tracked', () => {
    const d = get(run([msg({ key: 'm', folder: 'Inbox/Projects/Alpha' })], { mailboxes: mbx }), 'm');
    expect(d.outcome).toBe('NotInTrackedFolder');
    expect(marked(d, 'trackedFolderSubfolders')).toBe(true);
  });
  it('true: it inherits the mapping, Regarding included', () => {
    const d = get(run([msg({ key: 'm', folder: 'Inbox/Projects/Alpha' })], { mailboxes: mbx, settings: { trackedFolderSubfolders: true } }), 'm');
    expect(d).toMatchObject({ outcome: 'FolderLevelTracking', regarding: 'account:a1' });
  });
  it('folder names compare case-insensitively, Inbox included', () => {
    const d = run([msg({ key: 'p', folder: 'inbox/PROJECTS' }), msg({ key: 'i', folder: 'INBOX' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0, { trackedFolders: [{ folder: 'Inbox/Projects', regarding: null }] })] });
    expect(get(d, 'p').outcome).toBe('FolderLevelTracking');
    expect(get(d, 'i').outcome).toBe('AcceptAll');
    expect(marked(get(d, 'i'), 'trackedFolderSubfolders')).toBe(true);
  });
});

describe('§8 point 13: deliveryOffMailbox', () => {
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 0, { incoming: false })];
  it('default "notProcessed": NotProcessed, before stage 1 (even a folder that would stop it)', () => {
    const d = run([msg({ key: 'm' }), msg({ key: 'j', folder: 'Junk' })], { mailboxes: mbx });
    expect(get(d, 'm')).toMatchObject({ outcome: 'NotProcessed', tracked: false });
    expect(get(d, 'j').outcome).toBe('NotProcessed');
    expect(get(d, 'm').trace.some((t) => t.stage === 'Folder')).toBe(false);
    expect(marked(get(d, 'm'), 'deliveryOffMailbox')).toBe(true);
  });
  it('"evaluate": evaluated as before; the owner is not a candidate', () => {
    const d = get(run([msg({ key: 'm' })], { mailboxes: mbx, settings: { deliveryOffMailbox: 'evaluate' } }), 'm');
    expect(d.outcome).toBe('NoRecipientMatch');
  });
});

describe('§8 point 14: addressHashOrder', () => {
  const m = () => msg({ key: 'm', from: 'zed@x.org', to: ['amy@x.org', 'max@x.org'], cc: ['bea@x.org'] });
  const mbx = [mailbox('user:alice', 'alice@contoso.com', 0)];
  it('default "header": sender, then To, then Cc in header order, the first HashMaxCount kept', () => {
    const d = get(run([m()], { mailboxes: mbx, settings: { hashmaxcount: 2 } }), 'm');
    expect(d.addressHashes).toEqual(['zed@x.org', 'amy@x.org'].map(wordHash));
    expect(marked(d, 'addressHashOrder')).toBe(true);
  });
  it('"sorted": sorted, first N', () => {
    const d = get(run([m()], { mailboxes: mbx, settings: { hashmaxcount: 2, addressHashOrder: 'sorted' } }), 'm');
    expect(d.addressHashes).toEqual(['amy@x.org', 'bea@x.org'].map(wordHash));
  });
});

describe('§8 point 15: inReplyToIdRule', () => {
  const tr = () => [tracked('older', { sentOn: '2024-03-01T09:00:00Z' }), tracked('newer', { sentOn: '2024-03-02T09:00:00Z' })];
  // In-Reply-To lists the older email first, then the newer one.
  const m = () => msg({ key: 'r', subject: 'RE: Quote', inReplyTo: '<newer@contoso.com>', inReplyToAll: ['<older@contoso.com>', '<newer@contoso.com>'] });
  it('default "first": the first id', () => {
    const d = get(run([m()], { tracked: tr() }), 'r');
    expect(d).toMatchObject({ correlationMethod: 'InReplyTo', correlatedTo: 'older', parent: 'older' });
    expect(d.trace.some((t) => t.undocumented && /inReplyToIdRule "first"/.test(t.detail))).toBe(true);
  });
  it('"last": the last id', () => {
    expect(get(run([m()], { tracked: tr(), settings: { inReplyToIdRule: 'last' } }), 'r').correlatedTo).toBe('newer');
  });
  it('"any": every id, the most recent tracked email wins', () => {
    const m2 = msg({ key: 'r', subject: 'RE: Quote', inReplyTo: '<older@contoso.com>', inReplyToAll: ['<newer@contoso.com>', '<older@contoso.com>'] });
    expect(get(run([m2], { tracked: tr(), settings: { inReplyToIdRule: 'any' } }), 'r').correlatedTo).toBe('newer');
    expect(get(run([m2], { tracked: tr(), settings: { inReplyToIdRule: 'last' } }), 'r').correlatedTo).toBe('older');
  });
});

describe('issue 12: traces that gave a wrong reason', () => {
  it('#23: a dropped inactive row is named as inactive, not as losing on the order', () => {
    const dir = [entry('user', 'alice', ['alice@contoso.com']), entry('contact', 'c1', ['x@fabrikam.com'], { active: false }), entry('account', 'a1', ['x@fabrikam.com'])];
    const d = get(run([msg({ key: 'm', from: 'x@fabrikam.com' })], { directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 2)] }), 'm');
    const step = d.trace.find((t) => t.stage === 'Resolve' && t.result === 'resolved');
    expect(d.sender).toBe('account:a1');
    expect(step?.detail).toContain('contact:c1 is inactive');
    expect(step?.detail).not.toContain('comes first in the order');
  });
});
