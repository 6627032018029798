// The plain "nothing can be tracked" sentences (issue 13), from a run's outcomes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import type { MailboxConfig } from '../../../core/engine/model/types.js';
import { nothingTrackedLines, whyNothingTracked } from '../../../core/org/nothingTracked.js';

const box = (address: string, owner: string, filter: MailboxConfig['filter']): MailboxConfig => ({ address, owner, filter, processEmailsFrom: null, trackedFolders: [], incoming: true });

describe('whyNothingTracked', () => {
  it('the issue\'s case: thousands of messages under "in response" and no tracked emails', () => {
    const messages = Array.from({ length: 5975 }, (_, i) => ({ key: String(i), mailbox: 'me@contoso.com' }));
    const r = whyNothingTracked({
      mailboxes: [box('me@contoso.com', 'user:me', 1)], directory: { entries: [] }, trackedBefore: 0, messages,
      decisions: messages.map((m) => ({ key: m.key, outcome: 'NoCorrelationMatch', tracked: false })), settings: DEFAULT_SETTINGS,
    });
    expect(nothingTrackedLines(r)).toEqual([
      'None of the 5,975 messages can be tracked:',
      "  - 5,975 messages in mailboxes filtering 'in response' and 0 tracked emails: load the org's emails or change the filter",
    ]);
  });

  it('one sentence per cause, most messages first; filter 2 names the directory\'s contacts, accounts and leads', () => {
    const messages = [{ key: 'a', mailbox: 'b@contoso.com' }, { key: 'b', mailbox: 'b@contoso.com' }, { key: 'c', mailbox: 'b@contoso.com' }];
    const r = whyNothingTracked({
      mailboxes: [box('b@contoso.com', 'user:b', 2)], directory: { entries: [] }, trackedBefore: 3, messages,
      decisions: [{ key: 'a', outcome: 'NoRecipientMatch', tracked: false }, { key: 'b', outcome: 'NoRecipientMatch', tracked: false }, { key: 'c', outcome: 'NotInTrackedFolder', tracked: false }],
      settings: DEFAULT_SETTINGS,
    });
    expect(r?.reasons.map((x) => [x.outcome, x.count])).toEqual([['NoRecipientMatch', 2], ['NotInTrackedFolder', 1]]);
    expect(r?.reasons[0]!.sentence).toBe("2 messages in mailboxes filtering 'from leads, contacts and accounts' come from senders the directory does not hold as a contact, account or lead (it has 0 such rows): load the org's contacts, accounts and leads or change the filter");
    expect(r?.reasons[1]!.sentence).toMatch(/^1 message is in folders server-side synchronization does not read/);
  });

  it('SSSForceFilteringMethodForUserMailboxes decides the filter a user mailbox is counted under', () => {
    const r = whyNothingTracked({
      mailboxes: [box('b@contoso.com', 'user:b', 0)], directory: { entries: [] }, trackedBefore: 0, messages: [{ key: 'a', mailbox: 'b@contoso.com' }],
      decisions: [{ key: 'a', outcome: 'NoRecipientMatch', tracked: false }], settings: { ...DEFAULT_SETTINGS, SSSForceFilteringMethodForUserMailboxes: 4 },
    });
    expect(r?.reasons[0]!.sentence).toBe("1 message in mailboxes set to 'no email messages': change the filter to track any");
  });

  it('says nothing when something was tracked, or there was nothing to replay', () => {
    const base = { mailboxes: [], directory: { entries: [] }, trackedBefore: 0, messages: [], settings: DEFAULT_SETTINGS };
    expect(whyNothingTracked({ ...base, decisions: [] })).toBeNull();
    expect(whyNothingTracked({ ...base, decisions: [{ key: 'a', outcome: 'AcceptAll', tracked: true }, { key: 'b', outcome: 'NoCorrelationMatch', tracked: false }] })).toBeNull();
  });
});

describe('whyNothingTrackedFromCounts (a what-if side)', () => {
  it('names the filter when every message is in mailboxes of one filter', async () => {
    const { whyNothingTrackedFromCounts } = await import('../../../core/org/nothingTracked.js');
    const ctx = { mailboxes: [box('a@contoso.com', 'user:a', 1)], directory: { entries: [] }, trackedBefore: 0, messages: [{ key: '1', mailbox: 'a@contoso.com' }, { key: '2', mailbox: 'a@contoso.com' }], settings: DEFAULT_SETTINGS };
    expect(nothingTrackedLines(whyNothingTrackedFromCounts(ctx, { NoCorrelationMatch: 2 }, 0))).toEqual([
      'None of the 2 messages can be tracked:',
      "  - 2 messages in mailboxes filtering 'in response' and 0 tracked emails: load the org's emails or change the filter",
    ]);
    expect(whyNothingTrackedFromCounts(ctx, { NoCorrelationMatch: 1, AcceptAll: 1 }, 1)).toBeNull();
  });
});
