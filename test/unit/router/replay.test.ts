// The sink-mailbox replay on hand-built forwarded-as-attachment and inline-forward messages
// (seed 003; research §10): Check and Deliver as separate trace stages, ReasonCodes, the era's
// correlation, the Undeliverable folder and the sink view.
import { describe, expect, it } from 'vitest';
import { replayRouter, routerSettings, sinkViewAfter } from '../../../core/router/replay.js';
import { explainRouterDecision } from '../../../core/router/explain.js';
import { sinkItemFromBytes } from '../../../core/router/sinkItem.js';
import { REASON_CODES, type RouterDecision, type SinkItem } from '../../../core/router/types.js';
import { alice, E1, input, item, presetSettings } from './helpers.js';

function one(items: SinkItem[], over: Parameters<typeof input>[1] = {}): RouterDecision {
  const r = replayRouter(input(items, over));
  expect(r.decisions).toHaveLength(items.length);
  return r.decisions[0] as RouterDecision;
}

describe('forward as attachment', () => {
  it('the token reply is checked (ShouldDeliver, ReasonCode 2), delivered and removed from the sink', () => {
    const r = replayRouter(input([item('attach-token-reply.eml')]));
    const d = r.decisions[0] as RouterDecision;
    expect(d).toMatchObject({ forward: 'attachment', forwardedBy: 'alice@contoso.com', forwardedByRef: 'user:alice', fate: 'Delivered', delivered: true, correlationMethod: 'TrackingToken', correlationMethodCode: 4, correlatedTo: 'e1', regarding: 'opportunity:o1', sender: 'contact:c1', activityFrom: 'bob@fabrikam.com', activityTo: ['alice@contoso.com'] });
    expect(d.check).toEqual({ shouldDeliver: true, reasonCode: 2, reasonName: 'CorrelationMatch' });
    // Check and Deliver are separate stages, in this order, between Unwrap and Sink.
    const stages = d.trace.map((t) => t.stage);
    expect(stages[0]).toBe('Receive');
    expect(stages[1]).toBe('Unwrap');
    expect(stages.indexOf('Deliver')).toBeGreaterThan(stages.lastIndexOf('Check'));
    expect(stages[stages.length - 1]).toBe('Sink');
    expect(d.trace.filter((t) => t.stage === 'Check').some((t) => /ShouldDeliver = true, ReasonCode 2/.test(t.detail))).toBe(true);
    expect(r.sink).toEqual({ inbox: [], removed: ['attach-token-reply.eml'], undeliverable: [] });
  });
  it('the same original forwarded twice (two users\' rules) is a Duplicate (ReasonCode 0) the second time', () => {
    const r = replayRouter(input([item('attach-token-reply.eml', 0), item('attach-base64-token-reply.eml', 1)]));
    expect(r.decisions.map((d) => [d.fate, d.check?.reasonName])).toEqual([['Delivered', 'CorrelationMatch'], ['Deleted', 'Duplicate']]);
    expect(r.decisions[1]?.check?.reasonCode).toBe(0);
  });
  it('without a resolving token, a recipient tracking "All" accepts (6) and there is no Regarding', () => {
    const d = one([item('attach-token-reply.eml')], { tracked: [], mailboxes: [alice(0)] });
    expect(d.check).toEqual({ shouldDeliver: true, reasonCode: 6, reasonName: 'AcceptAll' });
    expect(d).toMatchObject({ fate: 'Delivered', regarding: null, acceptingEntity: 'user:alice', correlationMethod: 'None' });
  });
  it('without a resolving token, "in response to" only: NoCorrelationMatch (1), deleted without activity', () => {
    const d = one([item('attach-token-reply.eml')], { tracked: [] });
    expect(d.check).toEqual({ shouldDeliver: false, reasonCode: 1, reasonName: 'NoCorrelationMatch' });
    expect(d).toMatchObject({ fate: 'Deleted', delivered: false, activityFrom: null });
    expect(d.trace.some((t) => t.stage === 'Deliver')).toBe(false);
  });
  it('sender from contacts: filter 2 accepts with SenderMatch (5)', () => {
    const d = one([item('attach-token-reply.eml')], { tracked: [], mailboxes: [alice(2)] });
    expect(d.check?.reasonName).toBe('SenderMatch');
    expect(d.check?.reasonCode).toBe(5);
  });
  it('a recipient who does not use the Router is no candidate: NoRecipientMatch (3)', () => {
    const d = one([item('attach-token-reply.eml')], { tracked: [], mailboxes: [{ ...alice(0), incoming: false }] });
    expect(d.check?.reasonName).toBe('NoRecipientMatch');
  });
  it('no From in the original: InvalidSender (7)', () => {
    const base = item('attach-token-reply.eml');
    const d = one([{ ...base, inner: { ...(base.inner as NonNullable<SinkItem['inner']>), from: null } }]);
    expect(d.check).toEqual({ shouldDeliver: false, reasonCode: 7, reasonName: 'InvalidSender' });
    expect(d.fate).toBe('Deleted');
  });
});

describe('inline forward', () => {
  it('is flagged as having lost the original headers; a token still correlates but the parties are the forward\'s', () => {
    const d = one([item('inline-token-reply.eml')]);
    expect(d.flags).toContain('inline-forward-lost-headers');
    expect(d).toMatchObject({ forward: 'inline', fate: 'Delivered', correlationMethod: 'TrackingToken', regarding: 'opportunity:o1', sender: 'user:alice', activityFrom: 'alice@contoso.com', activityTo: ['crm-sink@contoso.com'] });
    expect(d.trace.find((t) => t.stage === 'Deliver')?.detail).toMatch(/customer is not a party/);
  });
  it('without a token its only recipient is the sink: NoRecipientMatch (3), even for a user tracking All', () => {
    const d = one([item('inline-gmail-no-subject-prefix.eml')], { mailboxes: [alice(0)] });
    expect(d.flags).toContain('inline-forward-lost-headers');
    expect(d.check?.reasonName).toBe('NoRecipientMatch');
    expect(d.fate).toBe('Deleted');
  });
  it('internal email rejected (4) when ignoreinternalemail is on: the forwarder is a CRM user', () => {
    const d = one([item('inline-token-reply.eml')], { settings: { ...presetSettings('crm3'), ignoreinternalemail: true } });
    expect(d.check).toEqual({ shouldDeliver: false, reasonCode: 4, reasonName: 'InternalEmailReject' });
  });
  it('mail sent directly to the sink is processed as it is, without the inline flag', () => {
    const d = one([item('direct-to-sink.eml')], { mailboxes: [alice(0)] });
    expect(d.forward).toBe('direct');
    expect(d.forwardedBy).toBeNull();
    expect(d.flags).not.toContain('inline-forward-lost-headers');
    expect(d.check?.reasonName).toBe('NoRecipientMatch');
  });
});

describe('Undeliverable folder', () => {
  it('unprocessable messages are moved there with their reason; processed ones are removed', () => {
    const items = [
      item('attach-no-message-id.eml', 0), item('attach-empty-part.eml', 1), item('attach-smime.eml', 2),
      item('attach-token-reply.eml', 3, 'plug-in threw InvalidPluginExecutionException'),
    ];
    const r = replayRouter(input(items));
    const byKey = new Map(r.decisions.map((d) => [d.key, d]));
    expect(byKey.get('attach-no-message-id.eml')).toMatchObject({ fate: 'Undeliverable', check: null, undeliverableReason: 'no Message-ID for CheckIncomingEmail' });
    expect(byKey.get('attach-empty-part.eml')?.undeliverableReason).toMatch(/attached message cannot be read/);
    expect(byKey.get('attach-smime.eml')?.undeliverableReason).toMatch(/S\/MIME/);
    const failed = byKey.get('attach-token-reply.eml');
    expect(failed?.check?.shouldDeliver).toBe(true);
    expect(failed).toMatchObject({ fate: 'Undeliverable', delivered: false, regarding: null });
    expect(failed?.trace.find((t) => t.stage === 'Deliver')?.result).toBe('failed');
    expect(r.sink.removed).toEqual([]);
    expect(r.sink.undeliverable.map((u) => u.key).sort()).toEqual(items.map((i) => i.key).sort());
    expect(r.countsByFate).toEqual({ Undeliverable: 4 });
  });
  it('a failed delivery creates nothing a later message could correlate or duplicate against', () => {
    const r = replayRouter(input([item('attach-token-reply.eml', 0, 'timeout'), item('attach-base64-token-reply.eml', 1)]));
    expect(r.decisions.map((d) => d.fate)).toEqual(['Undeliverable', 'Delivered']);
  });
});

describe('era correlation in the Router', () => {
  it('header correlation is forced off whatever the preset (C-FKB: never the Email Router)', () => {
    expect(routerSettings(presetSettings('dataverse')).IgnoreConversationIndexAndInReplyToForCorrelation).toBe(true);
    const d = one([item('eras/sink-reply-with-in-reply-to.eml')], { settings: presetSettings('dataverse'), era: 'dataverse' });
    expect(d.correlationMethod).not.toBe('InReplyTo');
    expect(d.check?.reasonName).toBe('NoCorrelationMatch');
    expect(d.trace.some((t) => t.stage === 'Check' && /never correlates by In-Reply-To/.test(t.detail))).toBe(true);
  });
  it('CRM 3.0 (token only) deletes the tokenless reply; the CRM 4.0 router smart-matches it', () => {
    const i = item('eras/sink-reply-with-in-reply-to.eml');
    const d3 = one([i], { settings: presetSettings('crm3'), era: 'crm3' });
    const d4 = one([i], { settings: presetSettings('crm4'), era: 'crm4' });
    expect([d3.fate, d3.correlationMethod]).toEqual(['Deleted', 'None']);
    expect([d4.fate, d4.correlationMethod, d4.correlatedTo, d4.regarding]).toEqual(['Delivered', 'SmartMatching', 'e2', 'opportunity:o2']);
  });
  it('a preset whose era had no sink-mailbox Router is flagged as a what-if', () => {
    const d = one([item('attach-token-reply.eml')], { settings: presetSettings('dataverse'), era: 'dataverse' });
    expect(d.flags).toContain('era-without-router');
    expect(d.trace[0]?.detail).toMatch(/what-if/);
    expect(one([item('attach-token-reply.eml')]).flags).not.toContain('era-without-router');
  });
  it('CRM 3.0 with tokens off and no one accepting all: no activity, correlation Skipped (B-2006a)', () => {
    const d = one([item('attach-token-reply.eml')], { settings: { ...presetSettings('crm3'), usetrackingtokens: false } });
    expect(d).toMatchObject({ fate: 'Deleted', correlationMethod: 'Skipped', correlationMethodCode: 1 });
    expect(d.check?.reasonName).toBe('NoCorrelationMatch');
  });
  it('token correlation is the same in every era', () => {
    for (const p of ['crm3', 'crm4', 'crm2011', 'dataverse']) {
      const d = one([item('attach-token-reply.eml')], { settings: presetSettings(p), era: p, tracked: [E1] });
      expect(d.correlationMethod, p).toBe('TrackingToken');
    }
  });
});

describe('order, sink view and explanation', () => {
  it('messages are processed in the order they arrived in the sink, not the order given', () => {
    const r = replayRouter(input([item('attach-smime.eml', 0), item('attach-token-reply.eml', 1)]));
    expect(r.decisions.map((d) => d.key)).toEqual(['attach-token-reply.eml', 'attach-smime.eml']);
    expect(r.decisions[0]?.trace[0]?.detail).toMatch(/Message #1 in the sink mailbox/);
  });
  it('sinkViewAfter shows pending messages still in the Inbox', () => {
    const r = replayRouter(input([item('attach-token-reply.eml', 0), item('attach-smime.eml', 1)]));
    expect(sinkViewAfter(r, 0)).toEqual({ inbox: ['attach-token-reply.eml', 'attach-smime.eml'], removed: [], undeliverable: [] });
    expect(sinkViewAfter(r, 1)).toEqual({ inbox: ['attach-smime.eml'], removed: ['attach-token-reply.eml'], undeliverable: [] });
    expect(sinkViewAfter(r, 2).undeliverable.map((u) => u.key)).toEqual(['attach-smime.eml']);
  });
  it('the explanation names every stage, the ReasonCode and the sink fate', () => {
    const d = one([item('inline-token-reply.eml')]);
    const text = explainRouterDecision(d).join('\n');
    for (const s of ['1 Receive', '2 Unwrap', '3 Check (CheckIncomingEmail)', '4 Deliver (DeliverIncomingEmail)', '5 Sink mailbox']) expect(text).toContain(s);
    expect(text).toMatch(/ReasonCode 2 CorrelationMatch/);
    expect(text).toMatch(/Flags: .*inline-forward-lost-headers/);
  });
  it('ReasonCode numbers are those of the CRM SDK (API-RC)', () => {
    expect(REASON_CODES).toEqual({ Unknown: -1, Duplicate: 0, NoCorrelationMatch: 1, CorrelationMatch: 2, NoRecipientMatch: 3, InternalEmailReject: 4, SenderMatch: 5, AcceptAll: 6, InvalidSender: 7 });
  });
});

describe('odd input never crashes', () => {
  it('two attached messages: the first is processed, the rest is flagged as undocumented', () => {
    const i = item('attach-two-messages.eml');
    expect(i.attachedCount).toBe(2);
    const d = one([i]);
    expect(d.flags).toContain('several-attached-messages');
    expect(d.messageId).toBe('<reply-1@fabrikam.com>');
    expect(d.trace.find((t) => t.stage === 'Unwrap')?.undocumented).toBe(true);
  });
  it('bytes that are not a message at all end in a sink fate with a readable trace', () => {
    const junk = sinkItemFromBytes(new Uint8Array([0, 1, 2, 255, 10, 13, 10, 58, 58]), { key: 'junk', order: 0, sinkAddress: 'crm-sink@contoso.com' });
    const d = one([junk]);
    expect(['Deleted', 'Undeliverable']).toContain(d.fate);
    expect(d.trace[d.trace.length - 1]?.stage).toBe('Sink');
  });
});
