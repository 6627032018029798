// Correlation (SIMULATOR §3): order, gates, tie rule, Skipped vs None, parent and Regarding.
import { describe, expect, it } from 'vitest';
import { replay, ReplayCache } from '../../../core/engine/replay/replay.js';
import { encodeThreadIndexRoot, encodeThreadIndexChild } from '../../../core/engine/primitives/threadIndex.js';
import { input, msg, tracked, mailbox } from './helpers.js';

const first = (i: ReturnType<typeof input>) => replay(i).decisions[0];
const root = encodeThreadIndexRoot(new Date('2024-03-01T09:00:00Z'), new Uint8Array(16).fill(7));
const child = (p: string, day: number): string => {
  const r = encodeThreadIndexChild(p, new Date(`2024-03-0${day}T09:00:00Z`), day);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('method order and gates', () => {
  it('InReplyTo wins over a token pointing elsewhere', () => {
    const d = first(input([msg({ key: 'r', inReplyTo: '<e1@contoso.com>', subject: 'RE: x CRM:0001002' })], { tracked: [tracked('e1'), tracked('e2', { trackingToken: 'CRM:0001002' })] }));
    expect(d).toMatchObject({ outcome: 'CorrelationMatch', correlationMethod: 'InReplyTo', correlationMethodCode: 3, correlatedTo: 'e1', parent: 'e1', regarding: 'opportunity:e1' });
  });
  it('token: no parent; tracked token taken from the subject when trackingToken is null', () => {
    const d = first(input([msg({ key: 'r', subject: 'RE: Quote crm: 0001002' })], { tracked: [tracked('e2', { subject: 'Quote CRM:0001002' })] }));
    expect(d).toMatchObject({ correlationMethod: 'TrackingToken', correlationMethodCode: 4, correlatedTo: 'e2', parent: null });
  });
  it('ConversationIndex: parent first, then the longest tracked ancestor; rules exact and base', () => {
    const c1 = child(root, 2);
    const c2 = child(child(root, 3), 4);
    const t = [tracked('e1', { conversationIndex: root })];
    expect(first(input([msg({ key: 'a', threadIndex: c1 })], { tracked: t }))).toMatchObject({ correlationMethod: 'ConversationIndex', correlationMethodCode: 5, correlatedTo: 'e1', parent: 'e1' });
    expect(first(input([msg({ key: 'a', threadIndex: c2 })], { tracked: t }))).toMatchObject({ correlationMethod: 'ConversationIndex', correlatedTo: 'e1' });
    expect(first(input([msg({ key: 'a', threadIndex: root })], { tracked: t }))?.outcome).toBe('NoCorrelationMatch');
    expect(first(input([msg({ key: 'a', threadIndex: root })], { tracked: t, settings: { simConversationIndexRule: 'exact' } }))?.correlatedTo).toBe('e1');
    expect(first(input([msg({ key: 'a', threadIndex: c2 })], { tracked: [tracked('e9', { conversationIndex: c1 })], settings: { simConversationIndexRule: 'base' } }))?.correlatedTo).toBe('e9');
  });
  it('smart matching needs the setting and is blocked by DisableSmartMatching', () => {
    const t = [tracked('e1', { subject: 'New hire', to: ['bob@fabrikam.com', 'carol@fabrikam.com'] })];
    const m = () => msg({ key: 'a', subject: 'RE: new HIRE', to: ['alice@contoso.com', 'carol@fabrikam.com'] });
    expect(first(input([m()], { tracked: t }))?.outcome).toBe('NoCorrelationMatch');
    expect(first(input([m()], { tracked: t, settings: { enablesmartmatching: true } }))).toMatchObject({ correlationMethod: 'SmartMatching', correlationMethodCode: 6, parent: null, correlatedTo: 'e1' });
    expect(first(input([m()], { tracked: t, settings: { enablesmartmatching: true, DisableSmartMatching: true } }))?.outcome).toBe('NoCorrelationMatch');
    expect(first(input([m()], { tracked: t, settings: { enablesmartmatching: true, hashminaddresscount: 4 } }))?.outcome).toBe('NoCorrelationMatch');
  });
  it('forwards and DoNotCorrelateForwardedEmailsAsReplies; IgnoreConversationIndexAndInReplyToForCorrelation', () => {
    const f = () => { const m = msg({ key: 'f', subject: 'FW: Quote', inReplyTo: '<e1@contoso.com>' }); m.flags.forwardSubject = true; return m; };
    expect(first(input([f()], { tracked: [tracked('e1')] }))?.correlationMethod).toBe('InReplyTo');
    expect(first(input([f()], { tracked: [tracked('e1')], settings: { DoNotCorrelateForwardedEmailsAsReplies: true } }))?.outcome).toBe('NoCorrelationMatch');
    expect(first(input([msg({ key: 'r', inReplyTo: '<e1@contoso.com>' })], { tracked: [tracked('e1')], settings: { IgnoreConversationIndexAndInReplyToForCorrelation: true } }))?.outcome).toBe('NoCorrelationMatch');
  });
  it('References alternative only with simInReplyToUsesReferences', () => {
    const m = () => msg({ key: 'r', inReplyTo: '<unknown@x>', references: ['<e1@contoso.com>'] });
    expect(first(input([m()], { tracked: [tracked('e1')] }))?.outcome).toBe('NoCorrelationMatch');
    expect(first(input([m()], { tracked: [tracked('e1')], settings: { simInReplyToUsesReferences: true } }))?.correlatedTo).toBe('e1');
  });
});

describe('ties, Skipped vs None, chains', () => {
  it('the most recent tracked email wins (sentOn; replay-tracked by received time)', () => {
    const t = [tracked('late', { trackingToken: 'CRM:0001005', sentOn: '2024-02-01T00:00:00Z' }), tracked('early', { trackingToken: 'CRM:0001005', sentOn: '2023-02-01T00:00:00Z' })];
    expect(first(input([msg({ key: 'r', subject: 'x CRM:0001005' })], { tracked: t }))?.correlatedTo).toBe('late');
  });
  it('a message tracked during the replay is a correlation target for later ones', () => {
    const d = replay(input([msg({ key: 'b', inReplyTo: '<a@x>', date: '2024-03-05T00:00:00Z' }), msg({ key: 'a', date: '2024-03-04T00:00:00Z' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] })).decisions;
    expect(d.map((x) => [x.key, x.correlatedTo])).toEqual([['a', null], ['b', 'a']]);
  });
  it('Skipped when all four methods are disabled, None otherwise', () => {
    const off = { emailcorrelationenabled: false, usetrackingtokens: false };
    expect(first(input([msg({ key: 'a' })], { settings: off, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }))).toMatchObject({ correlationMethod: 'Skipped', correlationMethodCode: 1, outcome: 'AcceptAll' });
    expect(first(input([msg({ key: 'a' })], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }))).toMatchObject({ correlationMethod: 'None', correlationMethodCode: 0 });
  });
  it('counts by outcome and method add up to the messages', () => {
    const r = replay(input([msg({ key: 'a' }), msg({ key: 'b', folder: 'Junk' })]));
    expect(Object.values(r.countsByOutcome).reduce((a, b) => a + (b ?? 0), 0)).toBe(2);
    expect(Object.values(r.countsByMethod).reduce((a, b) => a + (b ?? 0), 0)).toBe(2);
  });
  it('a ReplayCache reused across settings changes gives the same answers as a fresh replay', () => {
    const cache = new ReplayCache();
    const msgs = [msg({ key: 'r', subject: 'RE: Quote ACME:0001002' })];
    const t = [tracked('e2', { trackingToken: 'ACME:0001002' })];
    expect(replay(input(msgs, { tracked: t }), cache).decisions[0]?.outcome).toBe('NoCorrelationMatch');
    const s2 = { trackingprefix: 'ACME' };
    expect(replay(input(msgs, { tracked: t, settings: s2 }), cache).decisions[0]?.correlatedTo).toBe('e2');
  });
});
