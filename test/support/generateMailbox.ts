// Deterministic mailbox generator for tests and the import benchmark: threads with In-Reply-To and
// References, Outlook Thread-Index chains (research §8.1 encoding recipe, classic header), tracking tokens in
// subjects (CRM:0001234 form, research §3.1) and auto-replies (Auto-Submitted / "Automatic reply:", §7).
// Same seed ⇒ same bytes. Writes mbox (streamed, any size), .eml folders and Maildir.

import fs from 'node:fs';
import path from 'node:path';

export interface GeneratedMessage {
  raw: string;
  messageId: string;
  inReplyTo: string | null;
  threadIndex: string | null;
  subject: string;
  autoReply: boolean;
  token: string | null;
  folder: string;
  /** Index of the thread the message belongs to. */
  thread: number;
  /** The header values as data (the bench builds MessageFacts from them without parsing `raw`). */
  from: string;
  to: string;
  /** The Thread-Topic header: the thread's subject (one string per thread). */
  threadTopic: string;
  cc: string | null;
  /** Date header and topmost Received header times, ms (the headers carry whole seconds). */
  dateMs: number;
  receivedMs: number;
}

export interface GenerateOptions {
  seed?: number;
  /** Stop after this many messages (default 1000). */
  messages?: number;
  /** Extra body bytes per message, on average (to reach a size in MB for the mbox benchmark). */
  bodyBytes?: number;
  /** Put "From " lines in bodies now and then, to exercise mbox quoting (default true). */
  fromLines?: boolean;
  /**
   * Build `raw` (default true). False leaves it '' and skips the body: the replay bench needs only the
   * fields, and building 1,000,000 header blocks was most of its set-up time. The random sequence, and
   * so every other field, is the same either way.
   */
  raw?: boolean;
}

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

const PEOPLE = ['alice', 'bob', 'carla', 'dmitri', 'elena', 'farid', 'greta', 'hiro', 'ines', 'jonas'];
const TOPICS = ['Quarterly forecast', 'Contract renewal', 'Invoice 4471', 'Site visit', 'Support case', 'Pricing update',
  'Kick-off meeting', 'Delivery schedule', 'Réunion de suivi', 'Angebot Nr. 17'];
const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');
const EPOCH_DIFF_MS = 11644473600000n;

function filetime(ms: number): bigint {
  return (BigInt(ms) + EPOCH_DIFF_MS) * 10000n;
}

function b64(bytes: number[]): string {
  return Buffer.from(bytes).toString('base64');
}

/** Root Thread-Index, classic layout: BE48(FILETIME >> 16) ‖ GUID. */
export function rootThreadIndex(ms: number, rand: () => number): number[] {
  const ft = filetime(ms) >> 16n;
  const out: number[] = [];
  for (let i = 5; i >= 0; i--) out.push(Number((ft >> BigInt(i * 8)) & 0xffn));
  for (let i = 0; i < 16; i++) out.push(Math.floor(rand() * 256));
  return out;
}

/** Child block: delta from the header's classic time (research §8.1), DC=0 when below ~1.78 years. */
export function childBlock(header: number[], ms: number, rand: () => number): number[] {
  let classic = 0n;
  for (let i = 0; i < 6; i++) classic = (classic << 8n) | BigInt(header[i] ?? 0);
  classic <<= 16n;
  const delta = filetime(ms) - classic;
  const dc = (delta >> 32n & 0x00fe0000n) === 0n ? 0 : 1;
  const td = Number((dc === 0 ? delta >> 18n : delta >> 23n) & 0x7fffffffn);
  const word = ((dc << 31) | td) >>> 0;
  return [word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff, Math.floor(rand() * 256)];
}

function rfcDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Yields messages in time order: interleaved threads of 1–6 messages. */
export function* generateMessages(opts: GenerateOptions = {}): Generator<GeneratedMessage> {
  const rand = mulberry32(opts.seed ?? 1);
  const total = opts.messages ?? 1000;
  const bodyBytes = opts.bodyBytes ?? 300;
  const fromLines = opts.fromLines ?? true;
  const withRaw = opts.raw ?? true;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  interface Thread { id: number; subject: string; token: string | null; ids: string[]; ti: number[]; people: [string, string]; left: number }
  const open: Thread[] = [];
  let t = Date.UTC(2024, 0, 8, 9, 0, 0);
  let threads = 0;
  for (let n = 0; n < total; n++) {
    t += 30_000 + Math.floor(rand() * 600_000);
    let th: Thread;
    let reply = false;
    if (open.length === 0 || rand() < 0.35) {
      const a = pick(PEOPLE);
      let b = pick(PEOPLE);
      if (b === a) b = PEOPLE[(PEOPLE.indexOf(a) + 1) % PEOPLE.length] as string;
      const token = rand() < 0.4 ? `CRM:0${String(1 + Math.floor(rand() * 20)).padStart(3, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}` : null;
      th = { id: threads++, subject: `${pick(TOPICS)} ${n}`, token, ids: [], ti: rootThreadIndex(t, rand), people: [a, b], left: 1 + Math.floor(rand() * 6) };
      open.push(th);
    } else {
      th = pick(open);
      reply = true;
    }
    const auto = reply && rand() < 0.08;
    const [a, b] = th.ids.length % 2 === 0 ? th.people : [th.people[1], th.people[0]];
    const messageId = `<gen.${opts.seed ?? 1}.${n}@example.com>`;
    const ti = reply ? [...th.ti, ...childBlock(th.ti.slice(0, 22), t, rand)] : th.ti;
    const baseSubject = th.token ? `${th.subject} ${th.token}` : th.subject;
    const subject = auto ? `Automatic reply: ${baseSubject}` : reply ? `RE: ${baseSubject}` : baseSubject;
    const folder = a === 'alice' ? 'Sent Items' : rand() < 0.1 ? 'Inbox/Projects' : 'Inbox';
    const cc = rand() < 0.3 ? `${pick(PEOPLE)}@example.org` : null;
    let raw = '';
    if (withRaw) {
      const headers = [
        `Received: from mx.example.com by mail.example.com; ${rfcDate(t + 2000)}`,
        `From: ${a[0]?.toUpperCase()}${a.slice(1)} <${a}@example.com>`,
        `To: ${b}@example.com`,
        ...(cc !== null ? [`Cc: ${cc}`] : []),
        `Subject: ${/[^\x20-\x7e]/.test(subject) ? `=?utf-8?B?${Buffer.from(subject).toString('base64')}?=` : subject}`,
        `Date: ${rfcDate(t)}`,
        `Message-ID: ${messageId}`,
        ...(reply ? [`In-Reply-To: ${th.ids[th.ids.length - 1]}`, `References: ${th.ids.slice(-10).join(' ')}`] : []),
        `Thread-Topic: ${th.subject}`,
        `Thread-Index: ${b64(reply ? ti : th.ti)}`,
        ...(auto ? ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
      ];
      const words: string[] = [];
      const target = Math.floor(bodyBytes * (0.5 + rand()));
      let len = 0;
      while (len < target) {
        const w = pick(WORDS);
        words.push(w);
        len += w.length + 1;
      }
      const lines: string[] = [];
      for (let i = 0; i < words.length; i += 12) lines.push(words.slice(i, i + 12).join(' '));
      if (fromLines && rand() < 0.05) lines.push('From the desk of the sender: this line must be quoted in mbox.');
      raw = headers.join('\r\n') + '\r\n\r\n' + lines.join('\r\n') + '\r\n';
    } else {
      // The same draws as above without the text: the body length, its words, the "From " line.
      const target = Math.floor(bodyBytes * (0.5 + rand()));
      let len = 0;
      while (len < target) len += pick(WORDS).length + 1;
      if (fromLines) rand();
    }
    th.ids.push(messageId);
    if (reply) th.ti = ti;
    if (--th.left <= 0) open.splice(open.indexOf(th), 1);
    yield {
      raw, messageId, inReplyTo: reply ? (th.ids[th.ids.length - 2] ?? null) : null, threadIndex: b64(reply ? ti : th.ti), subject, autoReply: auto, token: th.token, folder, thread: th.id,
      from: `${a}@example.com`, to: `${b}@example.com`, threadTopic: th.subject, cc, dateMs: t - (t % 1000), receivedMs: t + 2000 - ((t + 2000) % 1000),
    };
  }
}

/** mboxrd quoting of one message, LF line ends as most mbox writers use. */
function mboxEntry(m: GeneratedMessage, n: number): string {
  const body = m.raw.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  return `From gen${n}@example.com Mon Jan  8 09:00:00 2024\n${body}\n`;
}

/** Streams messages into an mbox file; with `targetBytes`, repeats the generator until the file reaches it. */
export async function writeMbox(file: string, opts: GenerateOptions & { targetBytes?: number } = {}): Promise<{ messages: number; bytes: number }> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let messages = 0;
  const write = (s: string): Promise<void> | void => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) return new Promise((r) => out.once('drain', () => r()));
  };
  let round = 0;
  do {
    for (const m of generateMessages({ ...opts, seed: (opts.seed ?? 1) + round })) {
      const w = write(mboxEntry(m, messages++));
      if (w) await w;
      if (opts.targetBytes !== undefined && bytes >= opts.targetBytes) break;
    }
    round++;
  } while (opts.targetBytes !== undefined && bytes < opts.targetBytes);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { messages, bytes };
}

/** One .eml per message in a folder tree (the message's folder becomes sub-directories). */
export function writeEmlTree(dir: string, opts: GenerateOptions = {}): GeneratedMessage[] {
  const all = [...generateMessages(opts)];
  all.forEach((m, i) => {
    const d = path.join(dir, ...m.folder.split('/').filter((f) => f !== 'Inbox'));
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, `${String(i).padStart(6, '0')}.eml`), m.raw);
  });
  return all;
}

/** Maildir++: Inbox in cur/new, other folders as ".Sub.Folder". */
export function writeMaildir(dir: string, opts: GenerateOptions = {}): GeneratedMessage[] {
  const all = [...generateMessages(opts)];
  all.forEach((m, i) => {
    const parts = m.folder.split('/').filter((f) => f !== 'Inbox');
    const base = parts.length === 0 ? dir : path.join(dir, '.' + parts.join('.'));
    const sub = i % 3 === 0 ? 'new' : 'cur';
    for (const s of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(base, s), { recursive: true });
    fs.writeFileSync(path.join(base, sub, `${1700000000 + i}.${i}.gen${sub === 'cur' ? ':2,S' : ''}`), m.raw);
  });
  return all;
}
