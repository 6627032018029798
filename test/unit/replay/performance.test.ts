// The corpus the replay benchmark used to time here (threads of 5: a root, then replies by In-Reply-To,
// token, Thread-Index-less subject only), now checked for what a unit test can check: every index is
// exercised and a replay reusing the ReplayCache after settings changes equals a fresh replay. Speed
// is measured by `npm run bench` (test/bench/replay.ts), never asserted in unit tests.
import { describe, expect, it } from 'vitest';
import { replay, ReplayCache } from '../../../core/engine/replay/replay.js';
import { input, msg, mailbox } from './helpers.js';
import type { MessageFacts } from '../../../core/engine/model/types.js';

function corpus(n: number): MessageFacts[] {
  const out: MessageFacts[] = [];
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const thread = Math.floor(i / 5);
    const k = i % 5;
    const subj = `Order ${thread} status update ${thread % 97}`;
    out.push(msg({
      key: `m${i}`, messageId: `<m${i}@x>`, date: new Date(t0 + i * 1000).toISOString(),
      subject: k === 0 ? `${subj} CRM:0001${String(thread % 1000).padStart(3, '0')}` : k === 2 ? `RE: ${subj} CRM:0001${String(thread % 1000).padStart(3, '0')}` : `RE: ${subj}`,
      inReplyTo: k === 1 ? `<m${i - 1}@x>` : null,
      from: `c${thread % 500}@fabrikam.com`, to: ['alice@contoso.com'], cc: [`d${thread % 300}@fabrikam.com`],
    }));
  }
  return out;
}

describe('replay at volume', () => {
  const msgs = corpus(2000);
  const base = input(msgs, { settings: { enablesmartmatching: true }, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] });

  it('threads correlate by In-Reply-To, token and smart matching, one decision per message', () => {
    const r = replay(base);
    expect(r.decisions).toHaveLength(2000);
    expect(new Set(r.decisions.map((d) => d.key)).size).toBe(2000);
    // Per thread of 5: the root is new; k=1 by In-Reply-To; k=2 by its token (which the root carries);
    // k=3 and k=4 have neither, so only smart matching ("RE: <same subject>", same sender and Cc) finds them.
    expect(r.countsByMethod.InReplyTo).toBe(400);
    expect(r.countsByMethod.TrackingToken).toBeGreaterThanOrEqual(400);
    expect(r.countsByMethod.SmartMatching).toBeGreaterThan(0);
    const byKey = new Map(r.decisions.map((d) => [d.key, d]));
    expect(byKey.get('m6')).toMatchObject({ correlationMethod: 'InReplyTo', correlatedTo: 'm5' });
    expect(byKey.get('m8')).toMatchObject({ correlationMethod: 'SmartMatching' });
  });

  it('settings changes replayed with the same cache equal fresh replays (cache reuse gives identical results)', () => {
    const cache = new ReplayCache();
    const first = replay(base, cache);
    const changes = [
      { DoNotCorrelateForwardedEmailsAsReplies: true, hashminaddresscount: 3 },
      { hashminaddresscount: 1 },
      { simSmartMatchingSubjectRule: 'C' as const },
      { usetrackingtokens: false },
      { enablesmartmatching: false },
    ];
    for (const c of changes) {
      const next = { ...base, settings: { ...base.settings, ...c } };
      expect(replay(next, cache), JSON.stringify(c)).toEqual(replay(next, new ReplayCache()));
    }
    expect(replay(base, cache)).toEqual(first);
  });
});
