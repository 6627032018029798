// Scenario messages keep what SIMULATOR §8 points 2 and 15 need beyond core/mail's single values:
// every Received date, topmost first, and every In-Reply-To id, in header order.
import { describe, expect, it } from 'vitest';
import { scenarioFacts } from '../../../core/node/scenario/load.js';

const eml = [
  'Received: from relay.contoso.com by mx.contoso.com; Tue, 5 Mar 2024 09:00:00 +0000',
  'Received: from (unparsable date) by relay.contoso.com; yesterday',
  'Received: from mail.fabrikam.com by relay.contoso.com; Tue, 5 Mar 2024 11:00:00 +0000',
  'From: Bob Lee <bob@fabrikam.com>',
  'To: alice@contoso.com',
  'Subject: Both',
  'Date: Tue, 5 Mar 2024 08:00:00 +0000',
  'Message-ID: <m1@fabrikam.com>',
  'In-Reply-To: <a@contoso.com> <b@contoso.com>',
  '',
  'Body',
  '',
].join('\r\n');

describe('scenarioFacts', () => {
  it('keeps every parsable Received date topmost first, and every In-Reply-To id in order', () => {
    const f = scenarioFacts(new TextEncoder().encode(eml), { key: 'm.eml', mailbox: 'alice@contoso.com', folder: 'Inbox', order: 0 });
    expect(f.received).toBe('2024-03-05T09:00:00.000Z');
    expect(f.receivedAll).toEqual(['2024-03-05T09:00:00.000Z', '2024-03-05T11:00:00.000Z']);
    // In the form MessageFacts.inReplyTo has (angle brackets kept).
    expect(f.inReplyToAll).toEqual(['<a@contoso.com>', '<b@contoso.com>']);
    expect(f.inReplyTo).toBe('<b@contoso.com>');
  });
});
