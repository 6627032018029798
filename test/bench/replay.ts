// Replay benchmark (`npm run bench`): the correlation engine over generated mailboxes of 10k, 100k and
// 1M messages (threads, tracking tokens, Thread-Index, smart matching on), and 100k replayed again after
// a settings change with the same ReplayCache. Targets (issue 14, 2-core machine): 100,000 messages
// under 2 s; 1,000,000 under 20 s with a peak RSS under 1 GB (the input included); every setting change
// re-replayed under 1 s. Figures are printed, never asserted; CPU time is printed beside wall time (the
// machine is shared, and wall time alone says more about the neighbours than about the engine).
//
// Only the replay call is timed. The input is built before it, with its garbage collected (the child
// runs with --expose-gc) so that a collection of the set-up's leftovers is not charged to the replay;
// the input stays alive through the replay, as it does in the app, and counts in the peak RSS.
//
// The messages come from the project's deterministic generator (test/support/generateMailbox.ts),
// turned into MessageFacts directly (no MIME parsing: this measures the engine, the import bench
// measures parsing). Some replies lose their In-Reply-To, Thread-Index or token so that every
// correlation method is exercised; a quarter of the token-carrying threads start from an email
// tracked in Dynamics with a Regarding, which then propagates.
//
// Each size runs in its own process (`tsx test/bench/replay.ts --size N`) so peak RSS is per size; the
// child prints one JSON line. run.ts drives it.

import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateMessages } from '../support/generateMailbox.js';
import { replay, ReplayCache } from '../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS, type Settings } from '../../core/engine/model/settings.js';
import type { DirectoryEntry, MailboxConfig, MessageFacts, ReplayInput, ReplayResult, TrackedEmail } from '../../core/engine/model/types.js';

export const REPLAY_TARGET_MS = 2000;
export const REREPLAY_TARGET_MS = 1000;
export const MILLION_TARGET_MS = 20_000;
export const MILLION_RSS_TARGET_MB = 1024;

const OWNER = 'alice@example.com';
const PEOPLE = ['alice', 'bob', 'carla', 'dmitri', 'elena', 'farid', 'greta', 'hiro', 'ines', 'jonas'];

const NO_FLAGS: MessageFacts['flags'] = Object.freeze({
  pec: false, pecReceipt: false, smimeEncrypted: false, smimeOpaqueSigned: false, smimeSigned: false, autoReply: false,
  autoReplyReasons: Object.freeze([]) as unknown as string[], hasForwardedMessage: false, forwardSubject: false, badDate: false, missingMessageId: false,
});

/** ISO form of a time in ms. */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// The input is part of what the bench's peak RSS measures (1,000,000 messages must fit with the replay
// in 1 GB), so the facts share what repeats: one frozen empty list or record for every empty field,
// one list per recipient address, one string per address and folder. The engine treats its input as
// read-only, and JSON of the input is the same as with a copy per message.
const EMPTY: string[] = Object.freeze([]) as unknown as string[];
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const AUTO_HEADERS: Record<string, string> = Object.freeze({ 'auto-submitted': 'auto-replied' }) as Record<string, string>;
const AUTO_FLAGS: MessageFacts['flags'] = Object.freeze({ ...NO_FLAGS, autoReply: true, autoReplyReasons: Object.freeze(['Auto-Submitted: auto-replied']) as unknown as string[] });

/** One shared value per distinct key. */
function interner<T>(make: (k: string) => T): (k: string) => T {
  const m = new Map<string, T>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = make(k)));
    return v;
  };
}

/** The settings the bench replays with: defaults plus smart matching and Sent Items tracking on. */
export function benchSettings(over: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, enablesmartmatching: true, AutoTrackSentFolderItems: true, ...over };
}

/** A deterministic replay input of `n` messages (same n and seed ⇒ same input). */
export function benchInput(n: number, seed = 11): ReplayInput {
  const messages: MessageFacts[] = new Array<MessageFacts>(n);
  const tracked: TrackedEmail[] = [];
  const address = interner((a) => a);
  const list = interner((a) => Object.freeze([a]) as unknown as string[]);
  let i = 0;
  // raw: false: the generator hands over the header values as data (same values as its raw text).
  for (const g of generateMessages({ seed, messages: n, bodyBytes: 0, fromLines: false, raw: false })) {
    const reply = g.inReplyTo !== null;
    // Which correlation evidence a reply keeps: all; no In-Reply-To; nor Thread-Index; nor token.
    const variant = reply ? i % 8 : 0;
    let subject = g.subject;
    if (variant === 7 && g.token) subject = subject.replace(` ${g.token}`, '');
    const to = address(g.to);
    if (!reply && g.token && g.thread % 4 === 0) {
      tracked.push({
        id: `crm-${seed}-${g.thread}`, messageId: `<crm.${seed}.${g.thread}@contoso.com>`, subject: g.subject, trackingToken: g.token,
        conversationIndex: null, direction: 'outgoing', from: OWNER, to: [to], cc: [],
        sentOn: iso(g.dateMs - 60_000), regarding: `opportunity:o${g.thread}`,
      });
    }
    messages[i] = {
      key: `g${seed}.${i}`,
      mailbox: OWNER,
      folder: g.folder,
      messageId: g.messageId,
      inReplyTo: variant >= 4 ? null : g.inReplyTo,
      references: EMPTY,
      subject,
      from: address(g.from),
      to: list(to),
      cc: g.cc ? list(address(g.cc)) : EMPTY,
      bcc: EMPTY,
      replyTo: EMPTY,
      date: iso(g.dateMs),
      received: iso(g.receivedMs),
      threadIndex: variant >= 6 ? null : g.threadIndex,
      // The generator's Thread-Topic is the thread's subject (one string per thread).
      threadTopic: g.threadTopic,
      headers: g.autoReply ? AUTO_HEADERS : NO_HEADERS,
      flags: g.autoReply ? AUTO_FLAGS : NO_FLAGS,
      order: i,
    };
    i++;
  }
  messages.length = i;
  const entries: DirectoryEntry[] = PEOPLE.map((p, k) => ({
    kind: k < 2 ? 'user' : 'contact', ref: k < 2 ? `user:${p}` : `contact:${p}`, id: p, table: k < 2 ? 'systemuser' : 'contact', name: p,
    emails: [`${p}@example.com`], active: true, owner: k < 2 ? null : 'user:alice', ...(k < 2 ? { trackingNumber: k + 1 } : {}),
  }));
  const mailboxes: MailboxConfig[] = [{
    owner: 'user:alice', address: OWNER, filter: 2, processEmailsFrom: null, incoming: true,
    trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:projects' }],
  }];
  return { settings: benchSettings(), directory: { entries }, mailboxes, tracked, messages };
}

/** The settings changes re-replayed in the bench: what a support engineer tries in a what-if. */
export const SETTING_CHANGES: { label: string; change: Partial<Settings> }[] = [
  { label: 'hashminaddresscount 2→3', change: { hashminaddresscount: 3 } },
  { label: 'smart-matching rule B→C', change: { simSmartMatchingSubjectRule: 'C' } },
  { label: 'DoNotCorrelateForwardedEmailsAsReplies on', change: { DoNotCorrelateForwardedEmailsAsReplies: true } },
  { label: 'ignoreinternalemail on', change: { ignoreinternalemail: true } },
  { label: 'HashFilterKeywords changed (some subject hashes change)', change: { hashfilterkeywords: '^(RE|FW|AW|Automatic reply):\\s*' } },
];

export interface ReplayFigures {
  messages: number;
  tracked: number;
  /** Wall-clock and CPU (user + system, all threads incl. GC) milliseconds of the replay call. */
  ms: number;
  cpuMs: number;
  /** Peak RSS of the process up to the end of the cold replay (input generation included). */
  peakRssMb: number;
  /** Heap held by the input itself (after a full collection), MB, and how long building it took. */
  inputHeapMb: number;
  inputMs: number;
  /** Peak RSS after the re-replays too (several results alive at once). */
  peakRssAfterReReplaysMb?: number;
  byMethod: ReplayResult['countsByMethod'];
  reReplays?: { label: string; ms: number; cpuMs: number; reused: number }[];
}

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

/** Runs one size in this process. */
export function benchReplayHere(n: number, withChanges: boolean): ReplayFigures {
  const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const built = timed(() => benchInput(n));
  const input = built.value;
  // The set-up's garbage is not the replay's: collected before the clock starts.
  gc();
  const inputHeapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  const cache = new ReplayCache();
  const cold = timed(() => replay(input, cache));
  const out: ReplayFigures = {
    messages: input.messages.length, tracked: input.tracked.length, ms: cold.ms, cpuMs: cold.cpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024,
    inputHeapMb, inputMs: built.ms, byMethod: cold.value.countsByMethod,
  };
  if (withChanges) {
    out.reReplays = [];
    let last = cold.value;
    for (const { label, change } of SETTING_CHANGES) {
      // Each change starts from the bench settings: replay them first (not timed), then the change.
      if (last !== cold.value) last = replay(input, cache);
      const r = timed(() => replay({ ...input, settings: benchSettings(change) }, cache));
      const prev = last;
      out.reReplays.push({ label, ms: r.ms, cpuMs: r.cpuMs, reused: r.value.decisions.filter((d, k) => d === prev.decisions[k]).length });
      last = r.value;
    }
  }
  if (withChanges) out.peakRssAfterReReplaysMb = process.resourceUsage().maxRSS / 1024;
  return out;
}

/**
 * V8 flags of the child. A replay allocates a lot of short-lived data next to the decisions it keeps;
 * a 64 MB young generation (Node's default is 16 MB) lets most of it die there instead of being
 * copied, which cut scavenge time by about half here. The engine host process can use the same flag.
 * SYNCLENS_BENCH_REPLAY_FLAGS overrides it (e.g. "" to measure Node's defaults).
 */
export const REPLAY_NODE_FLAGS = (process.env.SYNCLENS_BENCH_REPLAY_FLAGS ?? '--max-semi-space-size=64').split(' ').filter((f) => f !== '');

/** Runs one size in a child process (so its peak RSS is its own). */
export function benchReplayChild(n: number, withChanges: boolean): ReplayFigures | { error: string } {
  const self = new URL(import.meta.url).pathname;
  const heapMb = n >= 500_000 ? 14_000 : 4_000;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--expose-gc', ...REPLAY_NODE_FLAGS, '--import', 'tsx', self, '--size', String(n), ...(withChanges ? ['--changes'] : [])], {
    encoding: 'utf8', maxBuffer: 1 << 24, cwd: path.resolve(path.dirname(self), '../..'),
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ReplayFigures;
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    return { error: `${why}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 300)}` };
  }
}

// Child mode: `tsx test/bench/replay.ts --size 100000 [--changes]` prints one JSON line.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const at = process.argv.indexOf('--size');
  const n = at > 0 ? Number(process.argv[at + 1]) : 100_000;
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--size must be a positive whole number of messages, got ${process.argv[at + 1]}\n`);
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(benchReplayHere(n, process.argv.includes('--changes'))) + '\n');
}
