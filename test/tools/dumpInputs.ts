// The inputs of the decision dump, built the same way on every commit: the real corpora, a generated mailbox
// with a directory and tracked emails that make every correlation method and many outcomes occur, and the
// settings profiles every input is replayed under. Nothing here reads the project under test.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateMessages, type GeneratedMessage } from '../support/generateMailbox.js';

/**
 * Settings profiles (SIMULATOR.md §8 names, merged onto the defaults by `replay --settings FILE` and by a
 * scenario's "organization"). Beside the defaults: smart matching on, the documented switches that turn
 * correlation paths off, the simulator's alternative answers to the open points, and correlation off.
 * SSSForceFilteringMethodForUserMailboxes 0 ("all email") makes imported mailboxes, which have no tracked
 * emails of their own, track mail so that later messages correlate to earlier ones.
 */
export const PROFILES: Record<string, Record<string, unknown>> = {
  default: {},
  smart: { SSSForceFilteringMethodForUserMailboxes: 0, enablesmartmatching: true, hashminaddresscount: 1, hashmaxcount: 50 },
  strict: {
    SSSForceFilteringMethodForUserMailboxes: 0, IgnoreConversationIndexAndInReplyToForCorrelation: true, ignoreinternalemail: true,
    DoNotCorrelateForwardedEmailsAsReplies: true, UnresolveSenderInCaseOfMultipleMatch: true, enablesmartmatching: true,
    hashfilterkeywords: '^[\\s]*((RE|FW|AW|Automatic reply)\\s?:[\\s]*)+',
  },
  alternatives: {
    SSSForceFilteringMethodForUserMailboxes: 0, skippedScope: 'all', receivedHeaderRule: 'latest', forwardPrefixRule: 'any',
    inReplyToIdRule: 'any', simInReplyToUsesReferences: true, simConversationIndexRule: 'exact', AutoTrackSentFolderItems: true,
    trackedFolderSubfolders: true, addressHashOrder: 'sorted', equalSentOnTieBreak: 'earlier', sentItemsFilterOn: 'sender',
    deliveryOffMailbox: 'evaluate', simTokenPosition: 'end', ResolveForInactiveEntities: true, forwardSuppressesConversationIndex: true,
  },
  nocorrelation: { emailcorrelationenabled: false, AutoTrackSentFolderItems: true, SSSForceFilteringMethodForUserMailboxes: 2 },
};

export function sha256(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** First value of a header in raw message text (unfolded, trimmed, at most 120 characters). */
export function headerValue(raw: string, name: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return (m?.[1] ?? '').trim().slice(0, 120);
}

export function labelOf(raw: string): string {
  return [headerValue(raw, 'Subject') || '(no subject)', headerValue(raw, 'Date') || '(no date)', headerValue(raw, 'Message-ID') || '(no Message-ID)'].join(' | ');
}

// ---------- corpora ----------

export interface CorpusFile {
  /** Path under the corpora folder. */
  rel: string;
  abs: string;
  /** Pieces of an mbox file ("From " first line), or the whole file. */
  messages: Buffer[];
}

/**
 * The corpus message files, as FEATURES.tsv lists them (1,285 files, 1,356 messages; the PST folder is
 * left out: its files are not in FEATURES.tsv). Files that start with "From " are mbox files and are
 * split on "From " lines after a blank line, as INDEX.md says.
 */
export function corpusFiles(corpora: string): CorpusFile[] {
  const tsv = readFileSync(path.join(corpora, 'FEATURES.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim());
  const rels = [...new Set(tsv.map((l) => {
    const [source, file] = l.split('\t');
    return `${source}/${(file ?? '').replace(/#\d+$/, '')}`;
  }))].sort();
  return rels.map((rel) => {
    const abs = path.join(corpora, rel);
    const bytes = readFileSync(abs);
    return { rel, abs, messages: bytes.subarray(0, 5).toString('latin1') === 'From ' ? splitMbox(bytes) : [bytes] };
  });
}

function splitMbox(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const starts: number[] = [];
  const re = /(^|\n\r?\n)From /g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[1]!.length);
  return starts.map((s, i) => {
    const end = starts[i + 1] ?? text.length;
    const nl = text.indexOf('\n', s);
    return bytes.subarray(nl < 0 ? end : Math.min(nl + 1, end), end);
  }).filter((b) => b.length > 0);
}

// ---------- generated mailbox ----------

export interface GenMailbox {
  address: string;
  owner: string;
  /** The file's folder in the mailbox. */
  messages: { file: string; folder: string; raw: string }[];
}

export interface GeneratedSet {
  mailboxes: GenMailbox[];
  /** scenario.json without messages/expect: directory, mailboxes, tracked. */
  scenario: Record<string, unknown>;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function fromAddress(raw: string): string {
  return (/<([^>]+)>/.exec(headerValue(raw, 'From'))?.[1] ?? headerValue(raw, 'From')).toLowerCase();
}

/**
 * Four mailboxes from four seeds of the generator: alice (user, "in response", a folder-level tracked
 * Inbox/Projects), bob (user, "all", a Process Emails From date in the middle of his mail), the support queue
 * (filter 3) and carla (a disabled user whose mailbox is not synchronized). Every fifth thread root of
 * alice's mail is an already-tracked email, in four variants that leave In-Reply-To, the tracking token,
 * the ConversationIndex or only the subject to correlate by; the first variant keeps the Message-ID, so the
 * root itself is a duplicate.
 */
export function generatedSet(seed: number, total: number): GeneratedSet {
  const plan = [
    { address: 'alice@example.com', owner: 'user:alice', share: 0.55, me: 'alice' },
    { address: 'bob@example.com', owner: 'user:bob', share: 0.3, me: 'bob' },
    { address: 'support@example.com', owner: 'queue:support', share: 0.1, me: 'support' },
    { address: 'carla@example.com', owner: 'user:carla', share: 0.05, me: 'carla' },
  ];
  const tracked: Record<string, unknown>[] = [];
  const mailboxes: GenMailbox[] = [];
  let bobMid = '';
  plan.forEach((p, mi) => {
    const count = Math.max(1, Math.round(total * p.share));
    const msgs: GeneratedMessage[] = [...generateMessages({ seed: seed + mi, messages: count })];
    let roots = 0;
    const out: GenMailbox['messages'] = [];
    msgs.forEach((m, i) => {
      const from = fromAddress(m.raw);
      // The generator files alice's own mail in Sent Items; in other mailboxes their owner's mail goes there.
      const folder = from === `${p.me}@example.com` ? 'Sent Items' : m.folder === 'Sent Items' ? 'Inbox' : m.folder;
      out.push({ file: `${p.me}/${String(i).padStart(5, '0')}.eml`, folder, raw: m.raw });
      if (p.me === 'alice' && m.inReplyTo === null && m.thread % 5 === 0) {
        const variant = roots++ % 4;
        const date = Date.parse(headerValue(m.raw, 'Date'));
        tracked.push({
          id: `t${tracked.length + 1}`,
          messageId: variant === 0 ? m.messageId : `<crm-${i}@crm.example.com>`,
          subject: m.subject,
          trackingToken: variant <= 1 ? m.token : null,
          conversationIndex: variant <= 2 ? m.threadIndex : null,
          direction: 'outgoing',
          from,
          to: [headerValue(m.raw, 'To').toLowerCase()],
          cc: [],
          sentOn: iso(date - 60_000),
          regarding: `opportunity:o${tracked.length + 1}`,
        });
      }
    });
    if (p.me === 'bob') bobMid = iso(Date.parse(headerValue(msgs[Math.floor(msgs.length / 2)]?.raw ?? '', 'Date')));
    mailboxes.push({ address: p.address, owner: p.owner, messages: out });
  });
  const scenario = {
    title: `Generated mailbox, seed ${seed}`,
    lesson: 'Equivalence input (test/tools/decisionDump.ts), not a lesson.',
    directory: {
      users: [
        { id: 'alice', name: 'Alice', emails: ['alice@example.com'], trackingNumber: 1 },
        { id: 'bob', name: 'Bob', emails: ['bob@example.com'], trackingNumber: 2 },
        { id: 'carla', name: 'Carla', emails: ['carla@example.com'], trackingNumber: 3, disabled: true },
      ],
      queues: [{ id: 'support', name: 'Support', emails: ['support@example.com'], owner: 'alice' }],
      contacts: [
        { id: 'dmitri', name: 'Dmitri', emails: ['dmitri@example.com'], owner: 'alice' },
        { id: 'elena', name: 'Elena', emails: ['elena@example.com'], owner: 'bob' },
        { id: 'elena2', name: 'Elena (old)', emails: ['elena@example.com'], owner: 'bob' },
        { id: 'farid', name: 'Farid', emails: ['farid@example.com'], owner: 'alice', active: false },
      ],
      accounts: [{ id: 'greta', name: 'Greta GmbH', emails: ['greta@example.com'], owner: 'alice' }],
      leads: [{ id: 'hiro', name: 'Hiro', emails: ['hiro@example.com'], owner: 'bob' }],
      records: [{ table: 'new_partner', id: 'p1', emails: ['ines@example.com'] }],
    },
    mailboxes: [
      { owner: 'user:alice', address: 'alice@example.com', filter: 1, trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:greta' }] },
      { owner: 'user:bob', address: 'bob@example.com', filter: 0, processEmailsFrom: bobMid },
      { owner: 'queue:support', address: 'support@example.com', filter: 3 },
      { owner: 'user:carla', address: 'carla@example.com', filter: 2, incoming: false },
    ],
    tracked,
  };
  return { mailboxes, scenario };
}
