// Processing order (SIMULATOR §2): received time (newest Received header, else Date), all mailboxes
// interleaved; ties by the order of the mailboxes, then the order of the messages as listed.

import type { MailboxConfig, MessageFacts } from '../model/types.js';
import type { ReceivedHeaderRule } from '../model/settings.js';

/**
 * The Received date a message is placed by (SIMULATOR §8 point 2): the topmost Received header whose date
 * parses (default), or the latest date among all of them. Facts without `receivedAll` have only the topmost.
 */
export function receivedTime(m: MessageFacts, rule: ReceivedHeaderRule = 'topmost'): string | null {
  if (rule === 'latest' && m.receivedAll && m.receivedAll.length > 1) {
    let best: string | null = null;
    let bestT = -Infinity;
    for (const iso of m.receivedAll) {
      const t = Date.parse(iso);
      if (!Number.isNaN(t) && t > bestT) { bestT = t; best = iso; }
    }
    return best ?? m.received;
  }
  return m.received;
}

/** Whether the two rules of SIMULATOR §8 point 2 date this message differently. */
export function receivedRulesDiffer(m: MessageFacts): boolean {
  const a = receivedTime(m, 'topmost');
  const b = receivedTime(m, 'latest');
  return (a ? Date.parse(a) : NaN) !== (b ? Date.parse(b) : NaN) && !(a === null && b === null);
}

/** Milliseconds of the message's processing time, or null when neither Received nor Date parses. */
export function processingTime(m: MessageFacts, rule: ReceivedHeaderRule = 'topmost'): number | null {
  for (const iso of [receivedTime(m, rule), m.date]) {
    if (iso) {
      const t = Date.parse(iso);
      if (!Number.isNaN(t)) return t;
    }
  }
  return null;
}

/** Lower-cased, trimmed address: addresses compare case-insensitively after trimming (§5). */
export function normAddress(a: string): string {
  return a.trim().toLowerCase();
}

/**
 * Messages in processing order. A message without any usable date sorts last (it cannot be placed in
 * time; the trace says so) so it never pre-empts a message it might answer.
 */
export function processingOrder(messages: readonly MessageFacts[], mailboxes: readonly MailboxConfig[], times: ReadonlyMap<MessageFacts, number | null>): MessageFacts[] {
  const mbxRank = new Map<string, number>();
  mailboxes.forEach((m, i) => {
    const k = normAddress(m.address);
    if (!mbxRank.has(k)) mbxRank.set(k, i);
  });
  // Keys are computed once per message, not once per comparison (the sort makes ~n log n of them).
  const keyed = messages.map((m) => ({ m, t: times.get(m) ?? null, r: mbxRank.get(normAddress(m.mailbox)) ?? mailboxes.length }));
  keyed.sort((a, b) => {
    if (a.t !== b.t) {
      if (a.t === null) return 1;
      if (b.t === null) return -1;
      return a.t - b.t;
    }
    return a.r - b.r || a.m.order - b.m.order;
  });
  return keyed.map((k) => k.m);
}
