// Tracking tokens (SIMULATOR §3.1, research §3): `<prefix>:<designator><user number><counter>`.
// The separator, position and digit split are undocumented, so they follow the sim* settings and the
// parser returns every split a known digit setting could have produced instead of guessing one.

import type { Settings } from '../model/settings.js';
import type { TokenParts } from '../model/types.js';
import { counterDigits } from '../model/settingsMeta.js';

export interface ParsedToken extends TokenParts {
  /** Position of the token in the subject (UTF-16 units) and its length as written. */
  index: number;
  length: number;
  /** The digits after the separator: designator + user number + counter. */
  digits: string;
  userDigits: number;
  counterDigits: number;
  /** True when this split uses the current digit settings. */
  currentDigits: boolean;
  /** True when the prefix is the current one (false: a prefix from trackingprefixhistory). */
  currentPrefix: boolean;
  /** Comparison key, see normalizeToken. */
  normalized: string;
}

function separator(settings: Settings): string {
  return settings.simTokenSeparator === 'system' ? ':' : '';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type TokenResult = { ok: true; token: string; parts: TokenParts } | { ok: false; error: string };

/** Format a token for user n (user number = trackingtokenidbase + n) and counter value. */
export function formatToken(settings: Settings, userN: number, counter: number, designator: 0 | 1 = 0): TokenResult {
  const ud = settings.trackingtokeniddigits;
  const cd = counterDigits(settings);
  const userNumber = String(settings.trackingtokenidbase + userN);
  if (!Number.isInteger(userN) || userN < 0) return { ok: false, error: `user n must be a non-negative integer, got ${userN}` };
  if (userNumber.length > ud) {
    return { ok: false, error: `user number ${userNumber} (trackingtokenidbase ${settings.trackingtokenidbase} + ${userN}) does not fit trackingtokeniddigits = ${ud}` };
  }
  if (!Number.isInteger(counter) || counter < 0 || String(counter).length > cd) {
    return { ok: false, error: `counter ${counter} does not fit ${cd} counter digits (maximumtrackingnumber = ${settings.maximumtrackingnumber})` };
  }
  const parts: TokenParts = {
    token: '',
    prefix: settings.trackingprefix,
    designator: String(designator),
    userNumber: userNumber.padStart(ud, '0'),
    counter: String(counter).padStart(cd, '0'),
  };
  parts.token = `${parts.prefix}${separator(settings)}${parts.designator}${parts.userNumber}${parts.counter}`;
  return { ok: true, token: parts.token, parts };
}

export interface IssuedToken {
  token: string;
  parts: TokenParts;
  counterOwner: string;
  counter: number;
  /** The counter went past maximumtrackingnumber and restarted at 0 to issue this token. */
  wrapped: boolean;
  /** This exact token was issued before in this run (what a wrap leads to, C-KA). */
  duplicate: boolean;
}

/**
 * Issues tokens with one counter per user (research §3.2); a queue passes its owner's key and number
 * because queues use their owner's counter (C-KA).
 */
export class TokenIssuer {
  private readonly counters = new Map<string, number>();
  private readonly issued = new Set<string>();

  constructor(private readonly settings: Settings, private readonly startCounter = 1, startCounters: Record<string, number> = {}) {
    for (const [k, v] of Object.entries(startCounters)) this.counters.set(k, v);
  }

  /** Next token for the counter of `ownerKey` (user n = `userN`). */
  issue(ownerKey: string, userN: number, designator: 0 | 1 = 0): { ok: true; issued: IssuedToken } | { ok: false; error: string } {
    const max = this.settings.maximumtrackingnumber;
    let counter = this.counters.get(ownerKey) ?? this.startCounter;
    let wrapped = false;
    if (counter > max) {
      counter = 0;
      wrapped = true;
    }
    const r = formatToken(this.settings, userN, counter, designator);
    if (!r.ok) return r;
    this.counters.set(ownerKey, counter + 1);
    const duplicate = this.issued.has(r.token);
    this.issued.add(r.token);
    return { ok: true, issued: { token: r.token, parts: r.parts, counterOwner: ownerKey, counter, wrapped, duplicate } };
  }

  /** The counter value the next token of `ownerKey` will use before wrapping. */
  peek(ownerKey: string): number {
    return this.counters.get(ownerKey) ?? this.startCounter;
  }
}

/**
 * Append a token to a subject the way the server writes it: "subject token", the subject cut so the
 * whole fits MaximumSubjectLengthOnMailServer (OrgDBOrgSettings, research §3.2).
 */
export function appendToken(subject: string, token: string, settings: Settings): { subject: string; truncated: boolean } {
  const max = settings.MaximumSubjectLengthOnMailServer;
  const room = max - token.length - 1;
  let s = subject;
  let truncated = false;
  if (s.length > room) {
    s = s.slice(0, Math.max(0, room));
    // Never leave half a surrogate pair behind.
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
    truncated = true;
  }
  s = s.trimEnd();
  return { subject: s ? `${s} ${token}` : token, truncated };
}

/** Prefixes to look for: the current one first, then the history, without duplicates (case-insensitive). */
function knownPrefixes(settings: Settings): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [settings.trackingprefix, ...settings.trackingprefixhistory]) {
    if (p && !seen.has(p.toLowerCase())) {
      seen.add(p.toLowerCase());
      out.push(p);
    }
  }
  return out;
}

/** Digit splits (user digits 1–10, counter digits 1–9) that give `len` = 1 + u + c, current settings first. */
function digitSplits(len: number, settings: Settings): readonly { u: number; c: number; current: boolean }[] {
  const cu = settings.trackingtokeniddigits;
  const cc = counterDigits(settings);
  // The same few (length, digit settings) recur for every token of a replay: computed once each.
  const key = `${len},${cu},${cc}`;
  let splits = splitMemo.get(key);
  if (!splits) {
    if (splitMemo.size >= 256) splitMemo.clear();
    splitMemo.set(key, (splits = computeSplits(len, cu, cc)));
  }
  return splits;
}

const splitMemo = new Map<string, readonly { u: number; c: number; current: boolean }[]>();

function computeSplits(len: number, cu: number, cc: number): { u: number; c: number; current: boolean }[] {
  const out: { u: number; c: number; current: boolean }[] = [];
  for (let u = 1; u <= 10; u++) {
    const c = len - 1 - u;
    if (c >= 1 && c <= 9) out.push({ u, c, current: u === cu && c === cc });
  }
  // Current split first, then the splits closest to the current settings (one digit more or less).
  const dist = (x: { u: number; c: number }): number => Math.abs(x.u - cu) + Math.abs(x.c - cc);
  return out.sort((a, b) => Number(b.current) - Number(a.current) || dist(a) - dist(b) || Math.abs(a.u - cu) - Math.abs(b.u - cu));
}

// The token pattern of a prefix and separator, built once (a replay parses every subject; building the
// RegExp each time showed in its profile). matchAll works on a copy, so sharing a /g RegExp is safe.
const tokenRegexes = new Map<string, RegExp>();

function tokenRegex(prefix: string, sep: string): RegExp {
  const key = `${sep}\u0000${prefix}`;
  let re = tokenRegexes.get(key);
  if (!re) {
    const lead = /^[\p{L}\p{N}]/u.test(prefix) ? '(?<![\\p{L}\\p{N}])' : '';
    re = new RegExp(`${lead}${escapeRe(prefix)}${escapeRe(sep)} ?([01]\\d+)(?!\\d)`, 'giu');
    // Prefixes come from settings files: bound the memo so a long-running host cannot grow it forever.
    if (tokenRegexes.size >= 256) tokenRegexes.clear();
    tokenRegexes.set(key, re);
  }
  return re;
}

/**
 * Every token in a subject: any current or past prefix in any case, the separator (if the system writes
 * it) followed by an optional space, then digits. Each occurrence yields one ParsedToken per plausible
 * digit split, current settings first. With simTokenPosition 'end' only a token ending the subject counts.
 */
export function parseTokens(subject: string, settings: Settings): ParsedToken[] {
  const out: ParsedToken[] = [];
  const sep = separator(settings);
  const prefixes = knownPrefixes(settings);
  const taken = new Set<number>();
  for (const prefix of prefixes) {
    // exec over a shared /g RegExp from 0 gives what matchAll does (a match is never empty: it holds
    // digits), without matchAll's copy of the RegExp per call.
    const re = tokenRegex(prefix, sep);
    re.lastIndex = 0;
    for (let m = re.exec(subject); m !== null; m = re.exec(subject)) {
      const index = m.index;
      if (taken.has(index)) continue; // a longer history prefix may overlap a shorter one
      const digits = m[1] ?? '';
      if (settings.simTokenPosition === 'end' && subject.slice(index + m[0].length).trim() !== '') continue;
      taken.add(index);
      const normalized = `${prefix}${sep}${digits}`;
      for (const split of digitSplits(digits.length, settings)) {
        out.push({
          token: m[0], prefix: m[0].slice(0, prefix.length), designator: digits.charAt(0),
          userNumber: digits.slice(1, 1 + split.u), counter: digits.slice(1 + split.u),
          index, length: m[0].length, digits, userDigits: split.u, counterDigits: split.c,
          currentDigits: split.current, currentPrefix: prefix === settings.trackingprefix, normalized,
        });
      }
    }
  }
  return out.length > 1 ? out.sort((a, b) => a.index - b.index || Number(b.currentDigits) - Number(a.currentDigits)) : out;
}

/**
 * Comparison key for token equality: the configured spelling of the prefix, the separator, the digits.
 * So `CRM: 0001001` and `crm:0001001` equal `CRM:0001001`. Null when `token` holds no token.
 */
export function normalizeToken(token: string, settings: Settings): string | null {
  const found = parseTokens(token, { ...settings, simTokenPosition: 'anywhere' });
  return found[0]?.normalized ?? null;
}

/** Distinct normalized tokens of a subject, in order of appearance. */
export function subjectTokenKeys(subject: string, settings: Settings): string[] {
  return tokenKeysOf(parseTokens(subject, settings));
}

/** subjectTokenKeys from the subject's parseTokens result. */
export function tokenKeysOf(parsed: readonly ParsedToken[]): string[] {
  return [...new Set(parsed.map((t) => t.normalized))];
}
