// A replay that reuses the previous run (same input arrays, same ReplayCache, new settings) must give
// exactly what a fresh replay with the new settings gives: every decision, every trace step, the counts.
// Checked over random walks through many settings changes on a mailbox built to exercise every stage
// (folders, Process Emails From, PEC/S-MIME, duplicates across mailboxes, sender conflicts, internal
// email, queues, forwards, tokens with an old prefix, Thread-Index chains, smart-matching look-alikes,
// Regarding from tracked email and folder mappings), and on the bench's generated mailbox.
import { describe, expect, it } from 'vitest';
import { replay, ReplayCache } from '../../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import type { MessageFacts, ReplayInput, ReplayResult } from '../../../core/engine/model/types.js';
import { encodeThreadIndexChild, encodeThreadIndexRoot } from '../../../core/engine/primitives/threadIndex.js';
import { benchInput, benchSettings, SETTING_CHANGES } from '../../bench/replay.js';
import { entry, mailbox, msg, tracked } from './helpers.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mailbox of `n` messages over three mailboxes, deterministic in `seed`. */
function mixedInput(n: number, seed: number): ReplayInput {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const directory = [
    entry('user', 'alice', ['alice@contoso.com']),
    entry('user', 'bob', ['bob@contoso.com']),
    entry('user', 'olduser', ['old@contoso.com'], { active: false }),
    entry('queue', 'sales', ['sales@contoso.com'], { owner: 'user:alice' }),
    ...Array.from({ length: 8 }, (_, i) => entry('contact', `c${i}`, [`c${i}@fabrikam.com`], { owner: i % 2 ? 'user:alice' : 'user:bob' })),
    entry('account', 'a1', ['c1@fabrikam.com']), // shares an address with contact c1
    entry('lead', 'l1', ['lead@prospect.com']),
    entry('contact', 'gone', ['gone@fabrikam.com'], { active: false }),
    entry('contact', 'gone2', ['gone@fabrikam.com']),
    // SIMULATOR §8 points 6 and 7: a single inactive match, a disabled user, an inactive row beside an active one.
    entry('contact', 'lonely', ['lonely@fabrikam.com'], { active: false }),
    entry('user', 'leaver', ['leaver@contoso.com'], { disabled: true }),
    entry('lead', 'l2', ['c2@fabrikam.com'], { active: false }),
  ];
  const mailboxes = [
    mailbox('user:alice', 'alice@contoso.com', 1, { trackedFolders: [{ folder: 'Inbox/Deals', regarding: 'opportunity:deals' }] }),
    mailbox('queue:sales', 'sales@contoso.com', 0, { processEmailsFrom: '2024-01-03T00:00:00Z' }),
    mailbox('user:bob', 'bob@contoso.com', 2, { incoming: r() < 0.5 }),
  ];
  const externals = ['c0@fabrikam.com', 'c1@fabrikam.com', 'c2@fabrikam.com', 'c3@fabrikam.com', 'lead@prospect.com', 'gone@fabrikam.com', 'nobody@else.org', 'bob@contoso.com', 'old@contoso.com', 'lonely@fabrikam.com', 'leaver@contoso.com'];
  const owners = ['alice@contoso.com', 'sales@contoso.com', 'bob@contoso.com'];
  const topics = ['Quote', 'Budget review', 'Invoice 17', 'Site visit', 'Renewal terms', 'New Hire'];
  const t0 = Date.UTC(2024, 0, 2);
  const trackedEmails = Array.from({ length: 12 }, (_, i) => tracked(`crm${i}`, {
    subject: `${pick(topics)} ${i % 3}`, trackingToken: i % 2 ? `CRM:0001${String(i).padStart(3, '0')}` : `OLD:0001${String(i).padStart(3, '0')}`,
    conversationIndex: encodeThreadIndexRoot(new Date(t0 + i * 3_600_000), Uint8Array.from({ length: 16 }, (_, k) => (i * 31 + k) & 255), 'classic'),
    from: 'alice@contoso.com', to: [pick(externals)], cc: r() < 0.5 ? ['sales@contoso.com'] : [],
    // crm2 and crm3 share a sent time (SIMULATOR §8 point 9).
    sentOn: new Date(t0 + (i === 3 ? 2 : i) * 3_600_000).toISOString(), regarding: i % 3 === 0 ? null : `opportunity:o${i}`,
  }));
  interface Thr { subject: string; ids: string[]; ti: string | null; token: string | null }
  const threads: Thr[] = trackedEmails.map((t) => ({ subject: t.subject, ids: [t.messageId as string], ti: t.conversationIndex, token: t.trackingToken }));
  const messages: MessageFacts[] = [];
  for (let i = 0; i < n; i++) {
    const time = t0 + i * 1_800_000 + Math.floor(r() * 600_000);
    let th: Thr;
    if (r() < 0.3) {
      th = { subject: `${pick(topics)} ${Math.floor(r() * 4)}`, ids: [], ti: encodeThreadIndexRoot(new Date(time), Uint8Array.from({ length: 16 }, () => Math.floor(r() * 256)), 'classic'), token: r() < 0.3 ? `CRM:0002${String(i % 1000).padStart(3, '0')}` : null };
      threads.push(th);
    } else th = pick(threads);
    const fw = r() < 0.08;
    const reply = th.ids.length > 0;
    const ti = th.ti && reply && r() < 0.7 ? encodeThreadIndexChild(th.ti, new Date(time), i & 255) : null;
    const childTi = ti && ti.ok ? ti.value : th.ti;
    const keepToken = th.token && r() < 0.7;
    const subject = `${fw ? (r() < 0.5 ? 'FW: ' : 'RE: FW: ') : reply ? 'RE: ' : ''}${th.subject}${keepToken ? ` ${th.token}` : ''}`;
    const dupOf = r() < 0.05 && messages.length > 0 ? pick(messages) : null;
    const from = r() < 0.15 ? pick(['alice@contoso.com', 'bob@contoso.com', 'sales@contoso.com']) : pick(externals);
    const folder = r() < 0.75 ? 'Inbox' : pick(['Sent Items', 'Inbox/Deals', 'Inbox/Other', 'Junk', 'Inbox/Deals/Won', 'inbox']);
    const date = r() < 0.02 ? null : new Date(time).toISOString();
    const flags = { pec: r() < 0.02, pecReceipt: false, smimeEncrypted: r() < 0.02, smimeOpaqueSigned: false, smimeSigned: r() < 0.03, autoReply: false, autoReplyReasons: [], hasForwardedMessage: false, forwardSubject: fw, badDate: date === null, missingMessageId: false };
    // Several In-Reply-To ids (§8 point 15) and Received headers that disagree (§8 point 2).
    const irtAll = reply && th.ids.length > 1 && r() < 0.3 ? (r() < 0.5 ? th.ids.slice(-2) : th.ids.slice(-2).reverse()) : null;
    const receivedAll = date && r() < 0.1 ? [date, new Date(time + (r() < 0.5 ? 1 : -1) * 3 * 3_600_000).toISOString()] : null;
    const m = msg({
      key: `k${i}`, mailbox: pick(owners), folder, messageId: dupOf ? dupOf.messageId : r() < 0.03 ? null : `<m${seed}.${i}@x>`,
      inReplyTo: reply && r() < 0.5 ? (th.ids[th.ids.length - 1] as string) : null,
      references: reply ? th.ids.slice(-3) : [],
      subject, from, to: [pick([...owners, ...externals])], cc: r() < 0.4 ? [pick([...owners, ...externals])] : [], bcc: r() < 0.1 ? ['sales@contoso.com'] : [],
      ...(irtAll ? { inReplyToAll: irtAll } : {}), ...(receivedAll ? { receivedAll } : {}),
      date, received: receivedAll ? receivedAll[0] as string : null, threadIndex: r() < 0.02 ? 'not base64!' : childTi, headers: r() < 0.1 ? { 'auto-submitted': 'auto-replied' } : {}, flags, order: i,
    });
    messages.push(m);
    if (m.messageId) th.ids.push(m.messageId);
    if (ti && ti.ok) th.ti = ti.value;
  }
  return { settings: { ...DEFAULT_SETTINGS }, directory: { entries: directory }, mailboxes, tracked: trackedEmails, messages };
}

type Change = Partial<Settings>;
/** Settings the walk changes, with values worth trying (every one of them is valid). */
const CHOICES: { [K in keyof Settings]?: readonly Settings[K][] } = {
  emailcorrelationenabled: [true, false],
  usetrackingtokens: [true, false],
  trackingprefix: ['CRM', 'OLD'],
  trackingprefixhistory: [[], ['OLD']],
  trackingtokeniddigits: [3, 4],
  enablesmartmatching: [true, false],
  // The extra alternative strips nothing any subject here holds: the same hashes as the default.
  hashfilterkeywords: [DEFAULT_SETTINGS.hashfilterkeywords, '^(RE|FW):\\s*', '', `${DEFAULT_SETTINGS.hashfilterkeywords}|Out of the office:`],
  // 50 and 20 give the same hashes here (no subject or address list is that long); 2 does not.
  hashmaxcount: [20, 2, 50],
  hashdeltasubjectcount: [0, 1, 2],
  hashminaddresscount: [0, 1, 2, 3],
  ignoreinternalemail: [false, true],
  unresolveemailaddressifmultiplematch: [false, true],
  IgnoreConversationIndexAndInReplyToForCorrelation: [false, true],
  DoNotCorrelateForwardedEmailsAsReplies: [false, true],
  SSSForceFilteringMethodForUserMailboxes: [-1, 0, 1, 2, 3, 4],
  UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: [false, true],
  AutoTrackSentFolderItems: [false, true],
  UnresolveSenderInCaseOfMultipleMatch: [false, true],
  OverrideV5SenderConflictResolution: [false, true],
  DisableSmartMatching: [false, true],
  DoNotIgnoreInternalEmailToQueues: [true, false],
  IgnoreInternalEmailFromQueues: [false, true],
  ResolveForInactiveEntities: [false, true],
  simConversationIndexRule: ['parent', 'exact', 'base'],
  simSmartMatchingSubjectRule: ['A', 'B', 'C'],
  simTokenSeparator: ['system', 'prefix'],
  simTokenPosition: ['anywhere', 'end'],
  simSmartMatchingWindowDays: [0, 1, 90],
  simInReplyToUsesReferences: [false, true],
  // SIMULATOR §8
  skippedScope: ['stage7', 'all'],
  receivedHeaderRule: ['topmost', 'latest'],
  forwardPrefixRule: ['first', 'any'],
  forwardSuppressesConversationIndex: [false, true],
  internalQueueExceptionScope: ['recipient', 'processedMailbox'],
  inactiveSingleSenderMatch: ['resolve', 'never'],
  multipleMatchCountsInactive: [false, true],
  storeTokenOfIncoming: [true, false],
  equalSentOnTieBreak: ['later', 'earlier'],
  filter3AcceptsUsersAndQueues: [true, false],
  sentItemsFilterOn: ['recipients', 'sender'],
  trackedFolderSubfolders: [false, true],
  deliveryOffMailbox: ['notProcessed', 'evaluate'],
  addressHashOrder: ['header', 'sorted'],
  inReplyToIdRule: ['first', 'last', 'any'],
};

function randomChange(r: () => number): Change {
  const keys = Object.keys(CHOICES) as (keyof Settings)[];
  const out: Record<string, unknown> = {};
  const count = 1 + Math.floor(r() * (r() < 0.8 ? 1 : 3));
  for (let i = 0; i < count; i++) {
    const k = keys[Math.floor(r() * keys.length)] as keyof Settings;
    const vals = CHOICES[k] as readonly unknown[];
    out[k] = vals[Math.floor(r() * vals.length)];
  }
  return out as Change;
}

function reusedCount(now: ReplayResult, before: ReplayResult): number {
  return now.decisions.filter((d, i) => d === before.decisions[i]).length;
}

describe('re-replay after a settings change', () => {
  it('gives exactly the decisions of a fresh replay, over random walks of settings changes', () => {
    let walks = 0;
    let reusedSome = 0;
    let reusedAll = 0;
    let recomputedAll = 0;
    for (const seed of [1, 2, 3]) {
      const base = mixedInput(260, seed);
      const r = rng(seed * 7919);
      const cache = new ReplayCache();
      let settings: Settings = { ...base.settings, enablesmartmatching: true, trackingprefixhistory: ['OLD'] };
      let before = replay({ ...base, settings }, cache);
      expect(before).toEqual(replay({ ...base, settings }, new ReplayCache()));
      for (let step = 0; step < 60; step++) {
        settings = { ...settings, ...randomChange(r) };
        const input = { ...base, settings };
        const reused = replay(input, cache);
        const fresh = replay(input, new ReplayCache());
        expect(reused, `seed ${seed} step ${step}: ${JSON.stringify(settings)}`).toEqual(fresh);
        const k = reusedCount(reused, before);
        if (k === fresh.decisions.length) reusedAll++;
        else if (k > 0) reusedSome++;
        else recomputedAll++;
        before = reused;
        walks++;
      }
    }
    // The walk must have exercised every path: whole reuse, partial reuse, and a full recompute.
    expect(walks).toBe(180);
    expect(reusedSome).toBeGreaterThan(10);
    expect(reusedAll).toBeGreaterThan(0);
    expect(recomputedAll).toBeGreaterThan(0);
  });

  it('a change no decision read reuses every decision; changing it back gives the first result again', () => {
    const base = mixedInput(200, 9);
    const cache = new ReplayCache();
    const first = replay(base, cache);
    // Smart matching is off, so no decision read its subject rule.
    const changed = replay({ ...base, settings: { ...base.settings, simSmartMatchingSubjectRule: 'C' } }, cache);
    expect(reusedCount(changed, first)).toBe(first.decisions.length);
    const back = replay(base, cache);
    expect(back).toEqual(first);
  });

  it('a hash-settings change that leaves every hash as it was keeps the tracked store and every decision', () => {
    const base = mixedInput(200, 5);
    const cache = new ReplayCache();
    const settings: Settings = { ...base.settings, enablesmartmatching: true };
    const first = replay({ ...base, settings }, cache);
    // No subject has more than 20 words and no message 20 addresses: HashMaxCount 50 hashes the same.
    const longer = { ...settings, hashmaxcount: 50 };
    const second = replay({ ...base, settings: longer }, cache);
    expect(second).toEqual(replay({ ...base, settings: longer }, new ReplayCache()));
    expect(reusedCount(second, first)).toBe(first.decisions.length);
    // An alternative no subject holds ("Out of the office:") strips nothing more: the same again.
    const kw = { ...longer, hashfilterkeywords: `${DEFAULT_SETTINGS.hashfilterkeywords}|Out of the office:` };
    const third = replay({ ...base, settings: kw }, cache);
    expect(third).toEqual(replay({ ...base, settings: kw }, new ReplayCache()));
    expect(reusedCount(third, first)).toBe(first.decisions.length);
    // A keyword that some subjects hold ("Budget") changes their hashes: the store's records stand, its
    // smart-matching index is rebuilt, and every decision that hashed differently or looked the index up
    // is redone; the result is a fresh replay's.
    const real = { ...kw, hashfilterkeywords: `${DEFAULT_SETTINGS.hashfilterkeywords}|Budget` };
    const fourth = replay({ ...base, settings: real }, cache);
    expect(fourth).toEqual(replay({ ...base, settings: real }, new ReplayCache()));
    const rehashed = fourth.decisions.filter((d, i) => JSON.stringify(d.subjectHashes) !== JSON.stringify(third.decisions[i]?.subjectHashes));
    expect(rehashed.length).toBeGreaterThan(0);
    for (const d of rehashed) expect(third.decisions).not.toContain(d);
    for (const d of fourth.decisions) if (d.trace.some((t) => t.detail.includes('SmartMatching: no match') || t.detail.includes('SmartMatching: tracked'))) expect(third.decisions).not.toContain(d);
    const kept = reusedCount(fourth, third);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(fourth.decisions.length);
  });

  it('a settings object edited in place between replays is still seen as changed', () => {
    const base = mixedInput(120, 4);
    const settings: Settings = { ...base.settings };
    const input = { ...base, settings };
    const cache = new ReplayCache();
    replay(input, cache);
    settings.usetrackingtokens = false;
    settings.trackingprefixhistory.push('OLD');
    expect(replay(input, cache)).toEqual(replay({ ...base, settings: { ...settings } }, new ReplayCache()));
  });

  it('new input arrays are replayed afresh, not from the previous run', () => {
    const a = mixedInput(80, 5);
    const b = mixedInput(80, 6);
    const cache = new ReplayCache();
    replay(a, cache);
    expect(replay(b, cache)).toEqual(replay(b, new ReplayCache()));
  });

  it('on the bench mailbox (generated threads, tokens, Thread-Index, smart matching), each bench change matches a fresh replay', () => {
    const input = benchInput(3000, 5);
    const cache = new ReplayCache();
    const first = replay(input, cache);
    expect(first.countsByMethod.InReplyTo).toBeGreaterThan(0);
    expect(first.countsByMethod.TrackingToken).toBeGreaterThan(0);
    expect(first.countsByMethod.ConversationIndex).toBeGreaterThan(0);
    expect(first.countsByMethod.SmartMatching).toBeGreaterThan(0);
    for (const { label, change } of SETTING_CHANGES) {
      const next = { ...input, settings: benchSettings(change) };
      expect(replay(next, cache), label).toEqual(replay(next, new ReplayCache()));
      expect(replay(input, cache), `${label}, then back`).toEqual(first);
    }
  });

  it('messages without a processing time and a store cut back several times stay consistent', () => {
    const base = mixedInput(150, 11);
    const cache = new ReplayCache();
    // Filtering changes alter what gets tracked early on, so the store is cut back near the start.
    for (const filter of [0, 4, 1, 0, 2, 3] as const) {
      const settings = { ...base.settings, SSSForceFilteringMethodForUserMailboxes: filter, enablesmartmatching: true, simSmartMatchingWindowDays: 1 };
      expect(replay({ ...base, settings }, cache)).toEqual(replay({ ...base, settings }, new ReplayCache()));
    }
    expect(base.messages.some((m) => m.date === null)).toBe(true);
  });
});
