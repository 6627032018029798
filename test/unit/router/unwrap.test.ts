// Unwrapping sink messages built by hand: forwarded as an attachment (7bit and base64 parts), inline
// forwards (Outlook and Gmail separators), direct mail, and unreadable attachments.
import { describe, expect, it } from 'vitest';
import { detectInlineForward, sinkItemFromFacts, unwrapSinkItem } from '../../../core/router/unwrap.js';
import { replayRouter } from '../../../core/router/replay.js';
import { extractFacts } from '../../../core/mail/facts.js';
import { fixture, input } from './helpers.js';
import { item, SINK } from './helpers.js';

describe('sinkItemFromBytes', () => {
  it('forward as attachment: the inner message/rfc822 part gives the original headers', () => {
    const it1 = item('attach-token-reply.eml');
    expect(it1.attachedCount).toBe(1);
    expect(it1.outer.from).toBe('alice@contoso.com');
    expect(it1.outer.to).toEqual([SINK]);
    expect(it1.inner).toMatchObject({ from: 'bob@fabrikam.com', to: ['alice@contoso.com'], messageId: '<reply-1@fabrikam.com>', subject: 'RE: Quote for Q3 CRM:0001001', inReplyTo: '<quote-1@contoso.com>' });
    expect(it1.inlineEvidence).toEqual([]);
  });
  it('a base64-encoded message/rfc822 part is decoded to the same original', () => {
    const a = item('attach-token-reply.eml').inner;
    const b = item('attach-base64-token-reply.eml').inner;
    expect(b?.messageId).toBe(a?.messageId);
    expect(b?.subject).toBe(a?.subject);
    expect(b?.from).toBe(a?.from);
  });
  it('inline forward (Outlook): no rfc822 part, evidence from subject and separator', () => {
    const i = item('inline-token-reply.eml');
    expect(i.attachedCount).toBe(0);
    expect(i.inner).toBeNull();
    expect(i.inlineEvidence.join(' | ')).toMatch(/forward prefix/);
    expect(i.inlineEvidence.join(' | ')).toMatch(/Original Message/);
  });
  it('inline forward without FW: subject is still recognised by the Gmail separator', () => {
    const i = item('inline-gmail-no-subject-prefix.eml');
    expect(i.inlineEvidence).toHaveLength(1);
    expect(i.inlineEvidence[0]).toMatch(/Forwarded message/);
  });
  it('mail sent straight to the sink has no forward evidence', () => {
    const i = item('direct-to-sink.eml');
    expect(i.attachedCount).toBe(0);
    expect(i.inlineEvidence).toEqual([]);
  });
  it('an empty message/rfc822 part is reported, not parsed into nonsense', () => {
    const i = item('attach-empty-part.eml');
    expect(i.attachedCount).toBe(1);
    expect(i.inner).toBeNull();
    expect(i.innerProblem).toMatch(/no header block|neither From/);
  });
  it('an attached S/MIME original keeps its encryption flag', () => {
    expect(item('attach-smime.eml').inner?.flags.smimeEncrypted).toBe(true);
  });
});

describe('unwrapSinkItem', () => {
  it('attachment: the Router works on the inner message, keyed and placed in the sink', () => {
    const u = unwrapSinkItem(item('attach-token-reply.eml'), SINK);
    expect(u.forward).toBe('attachment');
    expect(u.message).toMatchObject({ key: 'attach-token-reply.eml', mailbox: SINK, from: 'bob@fabrikam.com' });
    expect(u.flags).toEqual(['has-forwarded-message']);
    expect(u.steps[0]).toMatchObject({ stage: 'Unwrap', result: 'attachment' });
  });
  it('inline: flagged as having lost the original headers, the outer message is what remains', () => {
    const u = unwrapSinkItem(item('inline-token-reply.eml'), SINK);
    expect(u.forward).toBe('inline');
    expect(u.flags).toContain('inline-forward-lost-headers');
    expect(u.message?.from).toBe('alice@contoso.com');
    expect(u.steps[0]?.detail).toMatch(/must be forwarded as attachments/);
  });
  it('unreadable attachment: no message, a problem for the Undeliverable folder', () => {
    const u = unwrapSinkItem(item('attach-empty-part.eml'), SINK);
    expect(u.message).toBeNull();
    expect(u.problem).toMatch(/cannot be read/);
  });
  it('detectInlineForward ignores ordinary text and finds Apple Mail and quoted header blocks', () => {
    expect(detectInlineForward('Hello', 'Just a note.\nBye\n', false)).toEqual([]);
    expect(detectInlineForward('Hello', 'x\nBegin forwarded message:\n\nFrom: a', false)).toHaveLength(1);
    expect(detectInlineForward('Hello', '> From: Bob\n> Sent: Monday\n', false)[0]).toMatch(/From: … Sent/);
  });
});

describe('sinkItemFromFacts (host path: workspace rows with parent_id)', () => {
  const ctx = { key: 'row-1', mailbox: SINK, folder: 'Inbox', order: 0 };
  it('outer facts + inner facts give the same decision as the bytes path', () => {
    const fromBytes = item('attach-token-reply.eml');
    const fromFacts = sinkItemFromFacts({ key: 'attach-token-reply.eml', outer: fromBytes.outer, inners: [fromBytes.inner as NonNullable<typeof fromBytes.inner>] });
    const a = replayRouter(input([fromBytes])).decisions[0];
    const b = replayRouter(input([fromFacts])).decisions[0];
    expect(b).toEqual(a);
  });
  it('no inner rows: the body text and subject decide inline vs direct', () => {
    const outer = extractFacts(fixture('inline-gmail-no-subject-prefix.eml'), ctx);
    expect(sinkItemFromFacts({ key: 'r', outer, inners: [] }).inlineEvidence).toEqual([]);
    expect(sinkItemFromFacts({ key: 'r', outer, inners: [], bodyText: '---------- Forwarded message ---------\nFrom: x' }).inlineEvidence).toHaveLength(1);
    const fw = extractFacts(fixture('inline-token-reply.eml'), ctx);
    expect(sinkItemFromFacts({ key: 'r', outer: fw, inners: [] }).inlineEvidence[0]).toMatch(/forward prefix/);
  });
  it('a quarantined inner row is an unreadable attachment', () => {
    const outer = extractFacts(fixture('attach-empty-part.eml'), ctx);
    const si = sinkItemFromFacts({ key: 'r', outer, inners: [], innerProblem: 'quarantined: no header block' });
    expect(si.attachedCount).toBe(1);
    expect(unwrapSinkItem(si, SINK).problem).toMatch(/quarantined/);
  });
});
