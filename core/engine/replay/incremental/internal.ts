// Per-message derived data (tokens, ConversationIndex bytes, smart-matching hashes) keyed by the
// settings each depends on, so a replay after a settings change recomputes only what that change
// touches (a ReplayCache is reused across replays of the same MessageFacts objects).

import type { ReceivedHeaderRule, Settings } from '../../model/settings.js';
import type { MessageFacts, TokenParts, TrackedEmail } from '../../model/types.js';
import { normalizeToken, parseTokens, tokenKeysOf } from '../../primitives/tokens.js';
import { subjectHashes, addressHashes } from '../../primitives/smartMatch.js';
import { conversationIndexBytes } from '../../primitives/threadIndex.js';
import { processingTime } from '../../stages/order.js';
import { maskOf, readsOf } from './settingsReads.js';
import type { Decision, MailboxConfig, MessageFacts as Facts } from '../../model/types.js';
import type { TrackedStore } from '../../store/trackedStore.js';
import type { DirectoryIndex } from '../../stages/resolve.js';
import type { Front } from '../replay.js';

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
/** The settings smart-matching hashes are computed from (HashFilterKeywords, HashMaxCount). */
export const HASH_MASK = maskOf(HASH_KEYS);

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
  /** Token and hash settings: what the store's keys depend on. */
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

/**
 * What the tracked store's keys depend on: a store built under another signature cannot be reused (unless
 * every hash comes out the same, see sameHashes). Not whether smart matching is on: a replay that turns it
 * on builds the missing smart-matching index over the same records and re-decides only what read it.
 */
export function storeSignature(s: Settings): string {
  return JSON.stringify([tokenSig(s), hashSig(s), shapeSig(s)]);
}

/**
 * The SIMULATOR §8 settings that shape the store itself (which token an incoming email keeps, which of
 * two emails with equal sentOn wins, which addresses are hashed, when each message is placed): a change
 * to one of them rebuilds the store and replays everything, which is exact and rare.
 */
function shapeSig(s: Settings): string {
  return JSON.stringify([s.storeTokenOfIncoming, s.equalSentOnTieBreak, s.addressHashOrder, s.receivedHeaderRule]);
}

function tokenSig(s: Settings): string {
  return JSON.stringify([s.trackingprefix, s.trackingprefixhistory, s.simTokenSeparator, s.simTokenPosition, s.trackingtokeniddigits, s.maximumtrackingnumber]);
}
function hashSig(s: Settings): string {
  // addressHashOrder (SIMULATOR §8 point 14) decides which addresses are hashed past HashMaxCount.
  return JSON.stringify([s.hashfilterkeywords, s.hashmaxcount, s.addressHashOrder]);
}

/**
 * Whether the tracked store's keys differ between two settings only through HashFilterKeywords /
 * HashMaxCount (the same token settings in both).
 */
export function onlyHashSettingsDiffer(a: Settings, b: Settings): boolean {
  return storeSignature({ ...b, hashfilterkeywords: a.hashfilterkeywords, hashmaxcount: a.hashmaxcount }) === storeSignature(a);
}

type SubjectHashResult = { hashes: number[]; error: string | null };

/**
 * Subject hashes by subject text, for the last few HashFilterKeywords / HashMaxCount combinations: the
 * regex is the costliest step of a cold replay, replies in a thread repeat a subject, and comparing two
 * combinations (sameHashes) needs both at hand.
 */
export class SubjectHashMemo {
  private readonly bySig = new Map<string, Map<string, SubjectHashResult>>();

  constructor(private readonly keep = 3) {}

  /** The memo of one signature (made the most recent; the oldest beyond `keep` is dropped). */
  forSig(sig: string): Map<string, SubjectHashResult> {
    let m = this.bySig.get(sig);
    if (m) {
      this.bySig.delete(sig);
    } else {
      m = new Map();
      if (this.bySig.size >= this.keep) this.bySig.delete(this.bySig.keys().next().value as string);
    }
    this.bySig.set(sig, m);
    return m;
  }
}

function subjectHashesIn(memo: Map<string, SubjectHashResult>, subject: string, s: Settings): SubjectHashResult {
  let r = memo.get(subject);
  if (!r) memo.set(subject, (r = subjectHashes(subject, s)));
  return r;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What the smart-matching hashes are computed from. */
type HashSource = Pick<MessageFacts, 'subject' | 'from' | 'to' | 'cc'>;

/**
 * Whether two settings give every listed message and tracked email the same smart-matching hashes: the
 * same subject hashes (or the same regex error) and the same address hashes. When they do, a change
 * between them alters nothing a replay decides or writes (traces quote the hashes' counts and the
 * regex's error, never the settings' values), so the previous replay stands; e.g. HashMaxCount 20 → 50
 * when no subject has more than 20 words, or an extra HashFilterKeywords alternative no subject holds.
 * Stops at the first difference.
 */
export function sameHashes(groups: readonly (readonly HashSource[])[], a: Settings, b: Settings, memo: SubjectHashMemo = new SubjectHashMemo(2)): boolean {
  if (hashSig(a) === hashSig(b)) return true;
  const differs = hashComparer(a, b, memo);
  for (const list of groups) for (let i = 0; i < list.length; i++) if (differs(list[i] as HashSource)) return false;
  return true;
}

/** A test of whether one message's (or tracked email's) hashes differ between two settings (see sameHashes). */
export function hashComparer(a: Settings, b: Settings, memo: SubjectHashMemo): (m: HashSource) => boolean {
  const ma = memo.forSig(hashSig(a));
  const mb = memo.forSig(hashSig(b));
  // A message with no more addresses than both HashMaxCounts keeps all of them under either.
  const fewAddresses = Math.min(a.hashmaxcount, b.hashmaxcount);
  return (m) => {
    const x = subjectHashesIn(ma, m.subject, a);
    const y = subjectHashesIn(mb, m.subject, b);
    if (x !== y && (x.error !== y.error || !sameNumbers(x.hashes, y.hashes))) return true;
    return 1 + m.to.length + m.cc.length > fewAddresses
      && !sameNumbers(addressHashes(m.from, m.to, m.cc, a.hashmaxcount, a.addressHashOrder).hashes, addressHashes(m.from, m.to, m.cc, b.hashmaxcount, b.addressHashOrder).hashes);
  };
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
  /** The HashMaxCount `hashes.address` was computed with (they depend on nothing else of the settings). */
  addressMax: string | undefined = undefined;
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
  private readonly subjectHashMemo = new SubjectHashMemo();
  private bySubjectHashes = new Map<string, SubjectHashResult>();

  private sigs(s: Settings): void {
    if (this.sigFor === s) return;
    this.sigFor = s;
    const tok = tokenSig(s);
    const hash = hashSig(s);
    if (tok !== this.tokSigV) {
      this.bySubjectTokens = new Map();
      this.bySubjectParts = new Map();
    }
    if (hash !== this.hashSigV) this.bySubjectHashes = this.subjectHashMemo.forSig(hash);
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

  time(m: MessageFacts, rule: ReceivedHeaderRule = 'topmost'): number | null {
    const e = this.entry(m);
    // Cached under the default rule only (the other is rare and cheap to recompute).
    if (rule !== 'topmost') return processingTime(m, rule);
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
      const sh = subjectHashesIn(this.bySubjectHashes, m.subject, s);
      // A HashFilterKeywords change leaves the address hashes as they are.
      const addrKey = `${s.hashmaxcount}|${s.addressHashOrder}`;
      const address = e.hashes && e.addressMax === addrKey ? e.hashes.address : addressHashes(m.from, m.to, m.cc, s.hashmaxcount, s.addressHashOrder).hashes;
      e.addressMax = addrKey;
      e.hashes = { subject: sh.hashes, subjectError: sh.error, address };
    }
    return e.hashes;
  }

  /** sameHashes() over these groups with this cache's subject memo (the subjects hashed are kept). */
  sameHashes(groups: readonly (readonly HashSource[])[], a: Settings, b: Settings): boolean {
    const r = sameHashes(groups, a, b, this.subjectHashMemo);
    this.keepCurrentMemo();
    return r;
  }

  /** hashComparer() with this cache's subject memo. */
  hashComparer(a: Settings, b: Settings): (m: HashSource) => boolean {
    const r = hashComparer(a, b, this.subjectHashMemo);
    this.keepCurrentMemo();
    return r;
  }

  // forSig() reorders its memos: the current signature's must not be the one dropped next.
  private keepCurrentMemo(): void {
    if (this.hashSigV) this.bySubjectHashes = this.subjectHashMemo.forSig(this.hashSigV);
  }
}
