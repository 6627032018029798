// Per-message derived data (tokens, ConversationIndex bytes, smart-matching hashes) keyed by the
// settings each depends on, so a replay after a settings change recomputes only what that change
// touches (a ReplayCache is reused across replays of the same MessageFacts objects).

import type { Settings } from './settings.js';
import type { MessageFacts, TokenParts, TrackedEmail } from './types.js';
import { subjectTokenKeys, normalizeToken, parseTokens } from './tokens.js';
import { subjectHashes, addressHashes } from './smartMatch.js';
import { conversationIndexBytes, toHex } from './threadIndex.js';
import { processingTime } from './order.js';

const HEADER_LEN = 22;
const CHILD_LEN = 5;

export interface CiInfo {
  hex: string | null;
  baseHex: string | null;
  /** Proper prefixes 22 + 5j, longest first (parent first). */
  ancestors: string[];
  /** Present but not valid base64 of 22 + 5k bytes. */
  invalid: boolean;
}

export interface HashInfo {
  subject: number[];
  subjectError: string | null;
  address: number[];
}

function tokenSig(s: Settings): string {
  return JSON.stringify([s.trackingprefix, s.trackingprefixhistory, s.simTokenSeparator, s.simTokenPosition, s.trackingtokeniddigits, s.maximumtrackingnumber]);
}
function hashSig(s: Settings): string {
  return JSON.stringify([s.hashfilterkeywords, s.hashmaxcount]);
}

export function ciInfo(b64: string | null): CiInfo {
  if (!b64) return { hex: null, baseHex: null, ancestors: [], invalid: false };
  const bytes = conversationIndexBytes(b64.trim());
  if (!bytes) return { hex: null, baseHex: null, ancestors: [], invalid: true };
  const ancestors: string[] = [];
  for (let len = bytes.length - CHILD_LEN; len >= HEADER_LEN; len -= CHILD_LEN) ancestors.push(toHex(bytes.subarray(0, len)));
  return { hex: toHex(bytes), baseHex: toHex(bytes.subarray(0, HEADER_LEN)), ancestors, invalid: false };
}

interface Entry {
  time?: number | null;
  ci?: CiInfo;
  tokSig?: string;
  tokens?: string[];
  partsSig?: string;
  parts?: TokenParts[];
  hashSig?: string;
  hashes?: HashInfo;
}

/** Reusable derived data; pass the same cache to successive replay() calls over the same messages. */
export class ReplayCache {
  private readonly msgs = new WeakMap<MessageFacts | TrackedEmail, Entry>();
  // Signatures are computed once per settings object, not once per message.
  private sigFor: Settings | null = null;
  private tokSigV = '';
  private hashSigV = '';

  private sigs(s: Settings): void {
    if (this.sigFor === s) return;
    this.sigFor = s;
    this.tokSigV = tokenSig(s);
    this.hashSigV = hashSig(s);
  }

  private entry(m: MessageFacts | TrackedEmail): Entry {
    let e = this.msgs.get(m);
    if (!e) {
      e = {};
      this.msgs.set(m, e);
    }
    return e;
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

  tokens(m: MessageFacts | TrackedEmail, s: Settings): string[] {
    const e = this.entry(m);
    this.sigs(s);
    const sig = this.tokSigV;
    if (e.tokSig !== sig || !e.tokens) {
      e.tokSig = sig;
      if ('trackingToken' in m && m.trackingToken) {
        const n = normalizeToken(m.trackingToken, s);
        e.tokens = n ? [n] : [];
      } else {
        e.tokens = subjectTokenKeys(m.subject, s);
      }
    }
    return e.tokens;
  }

  /** The subject's tokens split by the current digit settings (for the inspector). */
  tokenParts(m: MessageFacts, s: Settings): TokenParts[] {
    const e = this.entry(m);
    this.sigs(s);
    if (e.partsSig !== this.tokSigV || !e.parts) {
      e.partsSig = this.tokSigV;
      e.parts = parseTokens(m.subject, s).filter((t) => t.currentDigits).map(({ token, prefix, designator, userNumber, counter }) => ({ token, prefix, designator, userNumber, counter }));
    }
    return e.parts;
  }

  hashes(m: MessageFacts | TrackedEmail, s: Settings): HashInfo {
    const e = this.entry(m);
    this.sigs(s);
    const sig = this.hashSigV;
    if (e.hashSig !== sig || !e.hashes) {
      e.hashSig = sig;
      const sh = subjectHashes(m.subject, s);
      e.hashes = { subject: sh.hashes, subjectError: sh.error, address: addressHashes(m.from, m.to, m.cc, s.hashmaxcount).hashes };
    }
    return e.hashes;
  }
}
