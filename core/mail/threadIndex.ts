// Outlook Thread-Index / PidTagConversationIndex decoding (research §8): a 22-byte header (reserved/time
// + GUID) and 5-byte child blocks. Two header layouts exist in the wild (§8.2): "classic" (FILETIME>>16
// in bytes 0-5) and "modern" (0x01 + FILETIME>>24 in bytes 1-5). Child deltas are always computed against
// the classic reading, modulo 2^54 ticks for modern headers (§8.2), so the wrap nearest a reference date
// is chosen (for any header layout). Times are shown even when implausible (research §8.3 example 3).

import { decodeBase64, isStrictBase64, toHex } from './bytes.js';

const EPOCH_DIFF_MS = 11644473600000n; // 1601-01-01 → 1970-01-01
const TICKS_PER_MS = 10000n;
const WRAP = 1n << 54n;

export interface ThreadIndexChild {
  deltaCode: 0 | 1;
  timeDelta: number;
  random: number;
  /** ISO time of the child, or null when out of Date range. */
  time: string | null;
}

export interface DecodedThreadIndex {
  bytes: Uint8Array;
  hex: string;
  /** Structurally valid: strict base64, ≥ 22 bytes and 22 + 5k long. */
  valid: boolean;
  problems: string[];
  depth: number;
  variant: 'classic' | 'modern';
  /** Header time under the variant chosen, ISO (may be implausible). */
  headerTime: string | null;
  classicTime: string | null;
  modernTime: string | null;
  /** True when the chosen header time lies between 1990 and 2100. */
  plausible: boolean;
  guid: string;
  children: ThreadIndexChild[];
}

function ticksToIso(ticks: bigint): string | null {
  const ms = ticks / TICKS_PER_MS - EPOCH_DIFF_MS;
  if (ms < -8640000000000000n || ms > 8640000000000000n) return null;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function isoToTicks(iso: string): bigint {
  return (BigInt(Date.parse(iso)) + EPOCH_DIFF_MS) * TICKS_PER_MS;
}

function plausibleTicks(t: bigint): boolean {
  const ms = Number(t / TICKS_PER_MS - EPOCH_DIFF_MS);
  return ms >= Date.UTC(1990, 0, 1) && ms <= Date.UTC(2100, 0, 1);
}

function readBE(bytes: Uint8Array, from: number, count: number): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 8n) | BigInt(bytes[from + i] ?? 0);
  return v;
}

/** Decodes a Thread-Index header value. `referenceIso` (the message Date) picks wraps; never throws. */
/** Structural problems of a Thread-Index value (cheap: no time decoding). */
export function threadIndexProblems(text: string, bytes: Uint8Array): string[] {
  const problems: string[] = [];
  if (!isStrictBase64(text.replace(/\s+/g, ''))) problems.push('not strict base64');
  if (bytes.length < 22) problems.push(`only ${bytes.length} bytes (a header block is 22)`);
  else if ((bytes.length - 22) % 5 !== 0) problems.push(`length ${bytes.length} is not 22 + 5k`);
  return problems;
}

export function decodeThreadIndex(value: string, referenceIso: string | null = null): DecodedThreadIndex {
  const text = value.trim();
  const bytes = decodeBase64(text);
  const problems = threadIndexProblems(text, bytes);
  const classic = readBE(bytes, 0, 6) << 16n;
  const modern = readBE(bytes, 1, 5) << 24n;
  // Byte 0 is 0x01 in both layouts for dates 1829-2057; a modern header has FILETIME's top byte (0x01)
  // in byte 1, which the classic reading would place around 1830 (§8.2 example 2).
  const modernPlausible = bytes[0] === 1 && plausibleTicks(modern);
  const variant: 'classic' | 'modern' = modernPlausible && !plausibleTicks(classic) ? 'modern' : 'classic';
  const headerTicks = variant === 'modern' ? modern : classic;
  const guidBytes = bytes.subarray(6, 22);
  const gh = toHex(guidBytes).padEnd(32, '0');
  const guid = `${gh.slice(0, 8)}-${gh.slice(8, 12)}-${gh.slice(12, 16)}-${gh.slice(16, 20)}-${gh.slice(20, 32)}`;
  const reference = referenceIso ? isoToTicks(referenceIso) : headerTicks;
  const children: ThreadIndexChild[] = [];
  for (let off = 22; off + 5 <= bytes.length; off += 5) {
    const word = Number(readBE(bytes, off, 4));
    const deltaCode = (word >>> 31) as 0 | 1;
    const timeDelta = word & 0x7fffffff;
    const delta = deltaCode === 0 ? BigInt(timeDelta) << 18n : BigInt(timeDelta) << 23n;
    let t = classic + delta;
    // Children are computed against the classic reading truncated to 31 bits (§8.2), so the true time is
    // t + k·2^54 ticks: pick the k ≥ 0 nearest the reference (message Date, else the header time). For a
    // plausible classic header k is 0; for modern or odd headers (§8.3 examples 2 and 3) it is not.
    const k = (reference - t + WRAP / 2n) / WRAP;
    if (k > 0n) t += k * WRAP;
    children.push({ deltaCode, timeDelta, random: bytes[off + 4] ?? 0, time: ticksToIso(t) });
  }
  return {
    bytes,
    hex: toHex(bytes),
    valid: problems.length === 0,
    problems,
    depth: children.length,
    variant,
    headerTime: ticksToIso(headerTicks),
    classicTime: ticksToIso(classic),
    modernTime: ticksToIso(modern),
    plausible: plausibleTicks(headerTicks),
    guid,
    children,
  };
}
