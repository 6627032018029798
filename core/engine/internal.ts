// Per-message derived data (tokens, ConversationIndex bytes, smart-matching hashes) keyed by the
// settings each depends on, so a replay after a settings change recomputes only what that change
// touches (a ReplayCache is reused across replays of the same MessageFacts objects).

import type { Settings } from './settings.js';
import type { MessageFacts, TokenParts, TrackedEmail } from './types.js';
import { normalizeToken, parseTokens, tokenKeysOf } from './tokens.js';
import { subjectHashes, addressHashes } from './smartMatch.js';
import { conversationIndexBytes } from './threadIndex.js';
import { processingTime } from './order.js';
import { maskOf, readsOf } from './settingsReads.js';
import type { Decision, MailboxConfig, MessageFacts as Facts } from './types.js';
import type { TrackedStore } from './trackedStore.js';
import type { DirectoryIndex } from './resolve.js';
import type { Front } from './replay.js';

const HEADER_LEN = 22;
const CHILD_LEN = 5;

export interface CiInfo {
  /**
   * The ConversationIndex bytes as a lookup key: one char per byte (not hex: half as long, so cheaper
   * to hash in the store's maps). Only compared for equality, never shown.
   */
  hex: string | null;
  baseHex: string | null;
  /** Keys of the proper prefixes 22 + 5j, longest first (parent first). */
  ancestors: string[];
  /** Present but not valid base64 of 22 + 5k bytes. */
  invalid: boolean;
}

export interface HashInfo {
  subject: number[];
  subjectError: string | null;
  address: number[];
}

const TOKEN_KEYS = ['trackingprefix', 'trackingprefixhistory', 'simTokenSeparator', 'simTokenPosition', 'trackingtokeniddigits', 'maximumtrackingnumber'] as const;
const HASH_KEYS = ['hashfilterkeywords', 'hashmaxcount'] as const;
const TOKEN_MASK = maskOf(TOKEN_KEYS);
const HASH_MASK = maskOf(HASH_KEYS);

/**
 * What a replay leaves behind for the next replay over the same input arrays: the decisions in
 * processing order, the settings keys each one read, what each one added to the tracked store, and the
 * store itself (see replay.ts for how it is reused).
 */
export interface RunMemory {
  messages: readonly Facts[];
  messageCount: number;
  mailboxes: readonly MailboxConfig[];
  directory: object;
  tracked: readonly TrackedEmail[];
  settings: Settings;
  /** Token and hash settings and whether smart matching is on: what the store's keys depend on. */
  storeSig: string;
  allOff: boolean;
  ordered: Facts[];
  times: Map<Facts, number | null>;
  dirIdx: DirectoryIndex;
  byOwner: Map<string, MailboxConfig>;
  mbxByAddr: Map<string, MailboxConfig>;
  decisions: Decision[];
  /** MASK_WORDS words per position: the settings keys the decision read. */
  masks: Uint32Array;
  /** Store size before each position. */
  seqBefore: Int32Array;
  /** 1 when the message was tracked (added to the store). */
  trackedFlag: Uint8Array;
  regarding: (string | null)[];
  /** Seq of the store record each decision correlated to (−1: none). */
  corrSeq: Int32Array;
  /** Stages 1–5 of each decision that reached correlation (replay.ts Front), and the settings they read. */
  fronts: (Front | null)[];
  frontMasks: Uint32Array;
  store: TrackedStore;
  /** The cache entries of `messages`, held (see ReplayCache.hold). */
  held: object[];
}

/** What the tracked store's keys depend on: a store built under another signature cannot be reused. */
export function storeSignature(s: Settings): string {
  return JSON.stringify([tokenSig(s), hashSig(s), s.enablesmartmatching && !s.DisableSmartMatching]);
}

function tokenSig(s: Settings): string {
  return JSON.stringify([s.trackingprefix, s.trackingprefixhistory, s.simTokenSeparator, s.simTokenPosition, s.trackingtokeniddigits, s.maximumtrackingnumber]);
}
function hashSig(s: Settings): string {
  return JSON.stringify([s.hashfilterkeywords, s.hashmaxcount]);
}

/** One char per byte (chunked: a pathological index of many KB must not overflow the argument list). */
function bytesKey(bytes: Uint8Array): string {
  let out = '';
  // apply() takes the typed array as it is; a spread would walk it through the iterator protocol.
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  return out;
}

// Cached per message and read-only: the common answers are shared, frozen, instead of one copy each.
const NO_ANCESTORS = Object.freeze([]) as unknown as string[];
const NO_CI: CiInfo = Object.freeze({ hex: null, baseHex: null, ancestors: NO_ANCESTORS, invalid: false });
const INVALID_CI: CiInfo = Object.freeze({ hex: null, baseHex: null, ancestors: NO_ANCESTORS, invalid: true });

export function ciInfo(b64: string | null): CiInfo {
  if (!b64) return NO_CI;
  const bytes = conversationIndexBytes(b64.trim());
  if (!bytes) return INVALID_CI;
  const key = bytesKey(bytes);
  const ancestors: string[] = bytes.length - CHILD_LEN >= HEADER_LEN ? [] : NO_ANCESTORS;
  for (let len = bytes.length - CHILD_LEN; len >= HEADER_LEN; len -= CHILD_LEN) ancestors.push(key.slice(0, len));
  return { hex: key, baseHex: key.slice(0, HEADER_LEN), ancestors, invalid: false };
}

/**
 * Derived data is computed from the plain settings (so the signature is computed once per settings
 * object); when the caller reads through a recording view, the whole group of keys is marked as read.
 */
function unwrap(s: Settings, group: Uint32Array): Settings {
  const r = readsOf(s);
  if (!r) return s;
  r.mark(group);
  return r.raw;
}

/**
 * What is cached for one message. A class with every field set up front: 100,000 of them stay alive
 * per replay, and one fixed shape keeps each compact (an object grown field by field needs a second,
 * out-of-object store for the fields past its first few).
 */
class Entry {
  time: number | null | undefined = undefined;
  ci: CiInfo | undefined = undefined;
  tokSig: string | undefined = undefined;
  tokens: string[] | undefined = undefined;
  partsSig: string | undefined = undefined;
  parts: TokenParts[] | undefined = undefined;
  hashSig: string | undefined = undefined;
  hashes: HashInfo | undefined = undefined;
}

// Most subjects carry no token: one frozen empty list serves them all (cached data is read-only).
const NO_TOKENS = Object.freeze([]) as unknown as never[];

/**
 * Reusable derived data; pass the same cache to successive replay() calls over the same messages. */
export class ReplayCache {
  private readonly msgs = new WeakMap<MessageFacts | TrackedEmail, Entry>();
  /** The last engine replay run with this cache (replay.ts). */
  lastRun: RunMemory | null = null;
  // Signatures are computed once per settings object, not once per message.
  private sigFor: Settings | null = null;
  private tokSigV = '';
  private hashSigV = '';

  // Subject-derived data by subject text under the current signatures: replies in a thread repeat a
  // subject, and the HashFilterKeywords regex is the costliest step of a cold replay.
  private bySubjectTokens = new Map<string, string[]>();
  private bySubjectParts = new Map<string, TokenParts[]>();
  private bySubjectHashes = new Map<string, { hashes: number[]; error: string | null }>();

  private sigs(s: Settings): void {
    if (this.sigFor === s) return;
    this.sigFor = s;
    const tok = tokenSig(s);
    const hash = hashSig(s);
    if (tok !== this.tokSigV) {
      this.bySubjectTokens = new Map();
      this.bySubjectParts = new Map();
    }
    if (hash !== this.hashSigV) this.bySubjectHashes = new Map();
    this.tokSigV = tok;
    this.hashSigV = hash;
  }

  // The replay asks for several things about the same message in a row: the last entry is kept at hand
  // (a WeakMap lookup each time showed in the profile).
  private lastM: MessageFacts | TrackedEmail | null = null;
  private lastE: Entry | null = null;

  private entry(m: MessageFacts | TrackedEmail): Entry {
    if (m === this.lastM) return this.lastE as Entry;
    let e = this.msgs.get(m);
    if (!e) {
      e = new Entry();
      this.msgs.set(m, e);
    }
    this.lastM = m;
    this.lastE = e;
    return e;
  }

  /**
   * The message's cache entry, as an opaque object for the caller to hold. The entries live in a
   * WeakMap, and V8 marks a WeakMap's values only in the final, stop-the-world part of a full
   * collection: with 100,000 entries that pause doubled. A replay holds the entries of its input
   * (replay.ts RunMemory), which keeps nothing alive longer than the input it also holds, and lets the
   * collector reach them the ordinary way, concurrently.
   */
  hold(m: MessageFacts): object {
    return this.entry(m);
  }

  time(m: MessageFacts): number | null {
    const e = this.entry(m);
    if (e.time === undefined) e.time = processingTime(m);
    return e.time;
  }

  ci(m: MessageFacts | TrackedEmail): CiInfo {
    const e = this.entry(m);
    if (!e.ci) e.ci = ciInfo('threadIndex' in m ? m.threadIndex : m.conversationIndex);
    return e.ci;
  }

  tokens(m: MessageFacts | TrackedEmail, settings: Settings): string[] {
    const s = unwrap(settings, TOKEN_MASK);
    const e = this.entry(m);
    this.sigs(s);
    const sig = this.tokSigV;
    if (e.tokSig !== sig || !e.tokens) {
      e.tokSig = sig;
      if ('trackingToken' in m && m.trackingToken) {
        const n = normalizeToken(m.trackingToken, s);
        e.tokens = n ? [n] : [];
      } else {
        let t = this.bySubjectTokens.get(m.subject);
        if (!t) {
          this.parseSubject(m.subject, s);
          t = this.bySubjectTokens.get(m.subject) as string[];
        }
        e.tokens = t;
      }
    }
    return e.tokens;
  }

  /** The subject's tokens split by the current digit settings (for the inspector). */
  tokenParts(m: MessageFacts, settings: Settings): TokenParts[] {
    const s = unwrap(settings, TOKEN_MASK);
    const e = this.entry(m);
    this.sigs(s);
    if (e.partsSig !== this.tokSigV || !e.parts) {
      e.partsSig = this.tokSigV;
      let p = this.bySubjectParts.get(m.subject);
      if (!p) {
        this.parseSubject(m.subject, s);
        p = this.bySubjectParts.get(m.subject) as TokenParts[];
      }
      e.parts = p;
    }
    return e.parts;
  }

  /**
   * Parses a subject's tokens once for both its token keys (correlation) and its token parts (the
   * inspector): a replay asks for both for nearly every message, and most subjects are unique.
   */
  private parseSubject(subject: string, s: Settings): void {
    const parsed = parseTokens(subject, s);
    if (parsed.length === 0) {
      this.bySubjectTokens.set(subject, NO_TOKENS);
      this.bySubjectParts.set(subject, NO_TOKENS);
      return;
    }
    if (!this.bySubjectTokens.has(subject)) this.bySubjectTokens.set(subject, tokenKeysOf(parsed));
    if (!this.bySubjectParts.has(subject)) {
      const parts = parsed.filter((t) => t.currentDigits).map(({ token, prefix, designator, userNumber, counter }) => ({ token, prefix, designator, userNumber, counter }));
      this.bySubjectParts.set(subject, parts.length === 0 ? NO_TOKENS : parts);
    }
  }

  hashes(m: MessageFacts | TrackedEmail, settings: Settings): HashInfo {
    const s = unwrap(settings, HASH_MASK);
    const e = this.entry(m);
    this.sigs(s);
    const sig = this.hashSigV;
    if (e.hashSig !== sig || !e.hashes) {
      e.hashSig = sig;
      let sh = this.bySubjectHashes.get(m.subject);
      if (!sh) this.bySubjectHashes.set(m.subject, (sh = subjectHashes(m.subject, s)));
      e.hashes = { subject: sh.hashes, subjectError: sh.error, address: addressHashes(m.from, m.to, m.cc, s.hashmaxcount).hashes };
    }
    return e.hashes;
  }
}
