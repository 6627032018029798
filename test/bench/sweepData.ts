// A deterministic sales/support organisation for the sweep benchmark and the sweep tests: 20 agents with
// their own mailboxes, 3,000 contacts, conversations of 1–8 turns. Agents answer from Dynamics (tracked
// emails with a tracking token, no Thread-Index, as the web client sends them) or from Outlook without
// tracking (their Message-ID only survives in the customer's References). Customers' replies vary the way
// real clients do: most keep In-Reply-To, some keep only References, some drop the token, some are
// "Out of office:" auto-replies; new conversations with generic subjects ("Quick question") between the
// same people are the bait smart matching falls for. Same seed ⇒ same data.

import { DEFAULT_SETTINGS, type Settings } from '../../core/engine/model/settings.js';
import type { DirectoryEntry, MailboxConfig, MessageFacts, MessageFlags, ReplayInput, TrackedEmail } from '../../core/engine/model/types.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GENERIC = ['Quick question', 'Invoice', 'Meeting tomorrow', 'Follow up', 'Call me back', 'Documents'];
const TOPICS = ['Order', 'Delivery of order', 'Quote', 'Contract renewal for', 'Support case', 'Pricing update for item', 'Site visit request', 'Warranty claim'];

const NO_FLAGS: MessageFlags = {
  pec: false, pecReceipt: false, smimeEncrypted: false, smimeOpaqueSigned: false, smimeSigned: false, autoReply: false,
  autoReplyReasons: [], hasForwardedMessage: false, forwardSubject: false, badDate: false, missingMessageId: false,
};

export interface SweepDataOptions {
  messages: number;
  seed?: number;
  agents?: number;
  contacts?: number;
  settings?: Partial<Settings>;
  /** Share of agent turns sent from Dynamics (tracked emails); the rest from Outlook, untracked (default 0.6). */
  fromDynamics?: number;
  /** Every n-th agent mailbox uses filter 1 "In response" (default 5; 0 = none: every mailbox tracks mail from contacts). */
  inResponseEvery?: number;
}

interface Thread {
  id: number;
  agent: number;
  contact: number;
  subject: string;
  lastSubject: string;
  ids: string[];
  left: number;
  nextByAgent: boolean;
}

/** Inbox messages of the agents' mailboxes, the tracked emails agents sent from Dynamics, and the directory. */
export function generateSweepInput(opts: SweepDataOptions): ReplayInput {
  const rand = mulberry32(opts.seed ?? 11);
  const nAgents = opts.agents ?? 20;
  const nContacts = opts.contacts ?? 3000;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const agent = (i: number): string => `agent${i}@contoso.com`;
  const contact = (i: number): string => `c${i}@customer${i % 400}.example`;

  const entries: DirectoryEntry[] = [];
  for (let i = 0; i < nAgents; i++) entries.push({ kind: 'user', ref: `user:agent${i}`, id: `agent${i}`, table: 'systemuser', name: `Agent ${i}`, emails: [agent(i)], active: true, owner: null, trackingNumber: i + 1 });
  for (let i = 0; i < nContacts; i++) entries.push({ kind: 'contact', ref: `contact:c${i}`, id: `c${i}`, table: 'contact', name: `Customer ${i}`, emails: [contact(i)], active: true, owner: `user:agent${i % nAgents}` });
  // Most agents track mail from known contacts; every fifth only tracks replies to Dynamics email, so
  // there whether a message is tracked at all depends on correlation (and on the swept settings).
  const mailboxes: MailboxConfig[] = [];
  const every = opts.inResponseEvery ?? 5;
  for (let i = 0; i < nAgents; i++) mailboxes.push({ owner: `user:agent${i}`, address: agent(i), filter: every > 0 && i % every === every - 1 ? 1 : 2, processEmailsFrom: null, trackedFolders: [], incoming: true });
  const fromDynamics = opts.fromDynamics ?? 0.6;

  const messages: MessageFacts[] = [];
  const tracked: TrackedEmail[] = [];
  const counters = new Array<number>(nAgents).fill(0);
  const open: Thread[] = [];
  let time = Date.UTC(2024, 0, 2, 8, 0, 0);
  let threads = 0;
  while (messages.length < opts.messages) {
    time += 5_000 + Math.floor(rand() * 90_000);
    const iso = new Date(time).toISOString();
    let th: Thread;
    if (open.length === 0 || rand() < 0.3) {
      const c = Math.floor(rand() * nContacts);
      const generic = rand() < 0.2;
      const subject = generic ? pick(GENERIC) : `${pick(TOPICS)} ${10000 + Math.floor(rand() * 90000)}`;
      th = { id: threads++, agent: c % nAgents, contact: c, subject, lastSubject: subject, ids: [], left: 1 + Math.floor(rand() * 8), nextByAgent: !generic && rand() < 0.5 };
      open.push(th);
      if (open.length > 600) open.shift();
    } else th = open[Math.floor(rand() * open.length)] as Thread;
    const n = messages.length + tracked.length;
    const id = `<g${opts.seed ?? 11}.${n}@${th.nextByAgent ? 'contoso.com' : `customer${th.contact % 400}.example`}>`;
    if (th.nextByAgent) {
      if (rand() < fromDynamics || th.ids.length === 0) {
        // Sent from Dynamics: a new token (designator 0, user number, counter) appended to the subject.
        const ctr = counters[th.agent] = ((counters[th.agent] ?? 0) + 1) % 1000;
        const token = `CRM:0${String(th.agent + 1).padStart(3, '0')}${String(ctr).padStart(3, '0')}`;
        const base = th.ids.length ? `RE: ${th.subject}` : th.subject;
        th.lastSubject = `${base} ${token}`;
        tracked.push({ id: `t${n}`, messageId: id, subject: th.lastSubject, trackingToken: token, conversationIndex: null, direction: 'outgoing', from: agent(th.agent), to: [contact(th.contact)], cc: [], sentOn: iso, regarding: `opportunity:o${th.id}` });
      } else th.lastSubject = `RE: ${th.subject}`; // answered from Outlook, not tracked: only its Message-ID lives on
    } else {
      const reply = th.ids.length > 0;
      const roll = rand();
      const oof = reply && roll < 0.06;
      const refsOnly = reply && !oof && roll < 0.16;
      const dropToken = reply && roll >= 0.16 && roll < 0.22;
      const subject = oof ? `Out of office: ${th.lastSubject}` : !reply ? th.subject : dropToken ? `RE: ${th.subject}` : `RE: ${th.lastSubject.replace(/^RE: /, '')}`;
      const cc = rand() < 0.15 ? [agent((th.agent + 1) % nAgents)] : [];
      messages.push({
        key: `m${messages.length}`, mailbox: agent(th.agent), folder: 'Inbox', messageId: id,
        inReplyTo: reply && !refsOnly && !(oof && rand() < 0.5) ? (th.ids[th.ids.length - 1] as string) : null,
        references: reply ? th.ids.slice(-8) : [], subject, from: contact(th.contact), to: [agent(th.agent)], cc, bcc: [], replyTo: [],
        date: iso, received: new Date(time + 2000).toISOString(), threadIndex: null, threadTopic: null,
        headers: oof ? { 'auto-submitted': 'auto-replied' } : {},
        flags: oof ? { ...NO_FLAGS, autoReply: true, autoReplyReasons: ['Auto-Submitted: auto-replied'] } : NO_FLAGS,
        order: messages.length,
      });
    }
    th.ids.push(id);
    th.nextByAgent = !th.nextByAgent;
    if (--th.left <= 0) open.splice(open.indexOf(th), 1);
  }
  return { settings: { ...DEFAULT_SETTINGS, ...opts.settings }, directory: { entries }, mailboxes, tracked, messages };
}
