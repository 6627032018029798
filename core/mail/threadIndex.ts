// Thread-Index for the mail layer: a thin adapter over the engine's decoder (core/engine/primitives/threadIndex.ts,
// research §8), which is the one implementation. This module keeps the shape the mail facts, the host
// and the inspector use: ISO times at millisecond precision, structural problems as sentences.

import { decodeBase64, isStrictBase64, toHex } from './bytes.js';
import { decodeThreadIndex as decodeEngine } from '../engine/index.js';

const EPOCH_DIFF_MS = 11644473600000n; // 1601-01-01 → 1970-01-01
const TICKS_PER_MS = 10000n;

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
  /** True when the chosen header time is plausible (the engine's range). */
  plausible: boolean;
  guid: string;
  children: ThreadIndexChild[];
}

/** FILETIME ticks as an ISO string at millisecond precision, or null outside Date's range. */
function ticksToIso(ticks: bigint): string | null {
  const ms = ticks / TICKS_PER_MS - EPOCH_DIFF_MS;
  if (ms < -8640000000000000n || ms > 8640000000000000n) return null;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Structural problems of a Thread-Index value (cheap: no time decoding). */
export function threadIndexProblems(text: string, bytes: Uint8Array): string[] {
  const problems: string[] = [];
  if (!isStrictBase64(text.replace(/\s+/g, ''))) problems.push('not strict base64');
  if (bytes.length < 22) problems.push(`only ${bytes.length} bytes (a header block is 22)`);
  else if ((bytes.length - 22) % 5 !== 0) problems.push(`length ${bytes.length} is not 22 + 5k`);
  return problems;
}

/** Decodes a Thread-Index header value. `referenceIso` (the message Date) picks wraps; never throws. */
export function decodeThreadIndex(value: string, referenceIso: string | null = null): DecodedThreadIndex {
  const text = value.trim();
  // The mail layer's lenient base64 keeps whatever bytes a damaged value still has, for display.
  const bytes = decodeBase64(text);
  const problems = threadIndexProblems(text, bytes);
  const reference = referenceIso ? new Date(referenceIso) : undefined;
  const e = decodeEngine(text, reference && !Number.isNaN(reference.getTime()) ? reference : undefined);
  const h = e.header;
  return {
    bytes,
    hex: toHex(bytes),
    valid: problems.length === 0,
    problems,
    depth: e.children.length,
    variant: h?.variant ?? 'classic',
    headerTime: h ? ticksToIso(h.time.ticks) : null,
    classicTime: h ? ticksToIso(h.classicTime.ticks) : null,
    modernTime: h ? ticksToIso(h.modernTime.ticks) : null,
    plausible: h?.time.plausible ?? false,
    guid: h?.guid ?? '00000000-0000-0000-0000-000000000000',
    children: e.children.map((c) => ({ deltaCode: c.deltaCode, timeDelta: c.timeDelta, random: c.random, time: ticksToIso(c.time.ticks) })),
  };
}
