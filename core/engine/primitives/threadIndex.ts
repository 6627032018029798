// Outlook Thread-Index (PidTagConversationIndex) decoding and encoding, per research §8.
// Times are FILETIME ticks (100 ns since 1601-01-01 UTC) held as bigint: the header keeps only the top
// 40/48 bits and child deltas are shifted by 18 or 23 bits, so Number would lose precision.
// Bad input is reported as data (`errors`), never thrown: the inspector shows whatever it can.

export type HeaderVariant = 'classic' | 'modern';

export interface DecodedTime {
  ticks: bigint;
  /** ISO-8601 UTC with 7 fractional digits (full FILETIME precision). */
  iso: string;
  /** Outside 1980–2100: shown, but flagged, since SSS-originated roots carry odd times (§8.3 ex. 3). */
  plausible: boolean;
}

export interface ThreadIndexChild {
  index: number;
  /** Byte offset of the 5-byte block inside the decoded index. */
  offset: number;
  hex: string;
  deltaCode: 0 | 1;
  timeDelta: number;
  random: number;
  /** Delta in ticks that TimeDelta stands for (TD << 18 or TD << 23). */
  deltaTicks: bigint;
  /** Child time per research §8.2 (classic header: classic + delta; modern: wrap nearest the reference). */
  time: DecodedTime;
  /** How `time` was computed, for the inspector. */
  rule: string;
}

export interface ThreadIndexDecode {
  input: string;
  /** True when the value is base64 of 22 + 5k bytes (times may still be implausible). */
  ok: boolean;
  errors: string[];
  /** Structurally valid but odd (e.g. byte 0 not 0x01): shown, not fatal. */
  warnings: string[];
  bytes: Uint8Array;
  hex: string;
  depth: number;
  header: {
    variant: HeaderVariant;
    reserved: number;
    classicTime: DecodedTime;
    modernTime: DecodedTime;
    /** The reading the variant implies. */
    time: DecodedTime;
    /** GUID with Data1–Data3 big-endian as stored (OXOMSG). */
    guid: string;
    /** What .NET `new Guid(bytes)` shows (Data1–Data3 little-endian). */
    guidDotNet: string;
  } | null;
  children: ThreadIndexChild[];
}

const FILETIME_UNIX_EPOCH_MS = 11644473600000n;
const HEADER_LEN = 22;
const CHILD_LEN = 5;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Strict base64 decode (whitespace ignored, padding optional). Returns an error string on bad input. */
export function decodeBase64(b64: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const s = b64.replace(/\s+/g, '').replace(/=+$/, '');
  if (s.length % 4 === 1) return { ok: false, error: `invalid base64: length ${s.length} leaves a dangling character` };
  const out = new Uint8Array((s.length * 3) >> 2);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (B64_VALUE[c] as number) : -1; // a table, not indexOf: this runs for every message of a replay
    if (v < 0) return { ok: false, error: `invalid base64: character '${s.charAt(i)}' at position ${i}` };
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return { ok: true, bytes: n === out.length ? out : out.slice(0, n) };
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63);
    out += i + 1 < bytes.length ? B64.charAt((n >> 6) & 63) : '=';
    out += i + 2 < bytes.length ? B64.charAt(n & 63) : '=';
  }
  return out;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i] as number] as string;
  return out;
}

function readBE(bytes: Uint8Array, start: number, len: number): bigint {
  let v = 0n;
  for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(bytes[start + i] ?? 0);
  return v;
}

function writeBE(v: bigint, len: number): number[] {
  const out: number[] = [];
  for (let i = len - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

export function filetimeToUnixMs(ticks: bigint): number {
  return Number(ticks / 10000n - FILETIME_UNIX_EPOCH_MS);
}

export function unixMsToFiletime(ms: number): bigint {
  return (BigInt(Math.floor(ms)) + FILETIME_UNIX_EPOCH_MS) * 10000n;
}

export function filetimeToIso(ticks: bigint): string {
  const ms = filetimeToUnixMs(ticks);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return `FILETIME ${ticks.toString()} (out of Date range)`;
  const frac = (ticks % 10000000n).toString().padStart(7, '0');
  const iso = d.toISOString();
  return `${iso.slice(0, iso.lastIndexOf('.'))}.${frac}Z`;
}

function decodedTime(ticks: bigint): DecodedTime {
  const ms = filetimeToUnixMs(ticks);
  const year = new Date(ms).getUTCFullYear();
  return { ticks, iso: filetimeToIso(ticks), plausible: year >= 1980 && year <= 2100 };
}

function guidString(b: number[]): string {
  const h = b.map((x) => x.toString(16).padStart(2, '0'));
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10, 16).join('')}`;
}

/**
 * Which header layout produced these bytes. Both start with 0x01; modern ones (base64 `AQ…`) have the
 * FILETIME's top byte (0x01 until 2057) in byte 1, so byte 1 is tiny, whereas classic ones have the
 * second FILETIME byte there (≥ 0xC0 for dates after 1980) (TI-HEX).
 */
function variantOf(bytes: Uint8Array): HeaderVariant {
  return (bytes[0] ?? 0) === 0x01 && (bytes[1] ?? 0) < 0x40 ? 'modern' : 'classic';
}

/**
 * Decode a Thread-Index. `referenceDate` (usually the message Date) picks the 2^(31+shift)-tick wrap of
 * modern-header children; without it the modern header time is the reference.
 */
export function decodeThreadIndex(b64: string, referenceDate?: Date): ThreadIndexDecode {
  const result: ThreadIndexDecode = { input: b64, ok: false, errors: [], warnings: [], bytes: new Uint8Array(), hex: '', depth: 0, header: null, children: [] };
  const dec = decodeBase64(b64);
  if (!dec.ok) {
    result.errors.push(dec.error);
    return result;
  }
  const bytes = dec.bytes;
  result.bytes = bytes;
  result.hex = toHex(bytes);
  if (bytes.length < HEADER_LEN) {
    result.errors.push(`Thread-Index is ${bytes.length} bytes; a header block alone is ${HEADER_LEN}`);
    return result;
  }
  if ((bytes.length - HEADER_LEN) % CHILD_LEN !== 0) {
    result.errors.push(`Thread-Index is ${bytes.length} bytes; expected 22 + 5k (trailing ${(bytes.length - HEADER_LEN) % CHILD_LEN} bytes ignored)`);
  }
  const classic = readBE(bytes, 0, 6) << 16n;
  const modern = readBE(bytes, 1, 5) << 24n;
  const variant = variantOf(bytes);
  const g = Array.from(bytes.slice(6, 22));
  const dotnet = [g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], ...g.slice(8)].map((x) => x ?? 0);
  result.header = {
    variant,
    reserved: bytes[0] ?? 0,
    classicTime: decodedTime(classic),
    modernTime: decodedTime(modern),
    time: decodedTime(variant === 'modern' ? modern : classic),
    guid: guidString(g),
    guidDotNet: guidString(dotnet),
  };
  if (variant === 'classic' && bytes[0] !== 0x01) {
    result.warnings.push(`header byte 0 is 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')}, not 0x01 (FILETIME top byte is 0x01 for 1829–2057)`);
  }
  const refTicks = referenceDate && !Number.isNaN(referenceDate.getTime()) ? unixMsToFiletime(referenceDate.getTime()) : modern;
  const depth = Math.floor((bytes.length - HEADER_LEN) / CHILD_LEN);
  result.depth = depth;
  for (let i = 0; i < depth; i++) {
    const off = HEADER_LEN + CHILD_LEN * i;
    const word = Number(readBE(bytes, off, 4));
    const dc = (word >>> 31) as 0 | 1;
    const td = word & 0x7fffffff;
    const shift = dc === 1 ? 23n : 18n;
    const deltaTicks = BigInt(td) << shift;
    let ticks = classic + deltaTicks;
    let rule = `classic header + (TimeDelta << ${shift})`;
    if (variant === 'modern') {
      // Exchange computes the delta against the classic reading and truncates it to 31 bits, so the true
      // time is classic + delta + k·2^(31+shift); take the k nearest the reference (research §8.2).
      const wrap = 1n << (31n + shift);
      const diff = refTicks - ticks;
      let k = diff >= 0n ? (diff + wrap / 2n) / wrap : -((-diff + wrap / 2n) / wrap);
      if (k < 0n) k = 0n;
      ticks += k * wrap;
      rule = `classic header + (TimeDelta << ${shift}) + ${k}·2^${31n + shift} ticks (wrap nearest ${referenceDate ? 'the reference date' : 'the modern header time'})`;
    }
    result.children.push({
      index: i + 1, offset: off, hex: toHex(bytes.slice(off, off + CHILD_LEN)), deltaCode: dc, timeDelta: td,
      random: bytes[off + 4] ?? 0, deltaTicks, time: decodedTime(ticks), rule,
    });
  }
  result.ok = result.errors.length === 0;
  return result;
}

/** Root index for a generated message: modern (Exchange Online) or classic (desktop Outlook) header. */
export function encodeThreadIndexRoot(date: Date, guid: Uint8Array, variant: HeaderVariant = 'modern'): string {
  if (guid.length !== 16) throw new RangeError(`GUID must be 16 bytes, got ${guid.length}`);
  const ft = unixMsToFiletime(date.getTime());
  const head = variant === 'modern' ? [0x01, ...writeBE(ft >> 24n, 5)] : writeBE(ft >> 16n, 6);
  return encodeBase64(Uint8Array.from([...head, ...guid]));
}

/** Append a child block for a reply sent at `date`; the delta is taken against the header's classic reading. */
export function encodeThreadIndexChild(parentB64: string, date: Date, random = 0): { ok: true; value: string } | { ok: false; error: string } {
  const dec = decodeBase64(parentB64);
  if (!dec.ok) return dec;
  const b = dec.bytes;
  if (b.length < HEADER_LEN || (b.length - HEADER_LEN) % CHILD_LEN !== 0) return { ok: false, error: `parent Thread-Index is ${b.length} bytes, expected 22 + 5k` };
  const classic = readBE(b, 0, 6) << 16n;
  let delta = unixMsToFiletime(date.getTime()) - classic;
  if (delta < 0n) delta = 0n;
  // OXOMSG: if the high 32 bits of the delta have none of 0x00FE0000 set, use the fine (<<18) encoding.
  const fine = ((delta >> 32n) & 0x00fe0000n) === 0n;
  const td = fine ? (delta >> 18n) & 0x7fffffffn : (delta >> 23n) & 0x7fffffffn;
  const word = (fine ? 0n : 1n << 31n) | td;
  return { ok: true, value: encodeBase64(Uint8Array.from([...b, ...writeBE(word, 4), random & 0xff])) };
}

/** Decoded bytes of a ConversationIndex, or null when it is not valid base64 of 22 + 5k bytes. */
export function conversationIndexBytes(b64: string): Uint8Array | null {
  const dec = decodeBase64(b64);
  if (!dec.ok) return null;
  const n = dec.bytes.length;
  return n >= HEADER_LEN && (n - HEADER_LEN) % CHILD_LEN === 0 ? dec.bytes : null;
}

/** Hex of the parent index (without the last child block), or null for a root or invalid index. */
export function parentIndex(b64: string): string | null {
  const b = conversationIndexBytes(b64);
  if (!b || b.length === HEADER_LEN) return null;
  return toHex(b.slice(0, b.length - CHILD_LEN));
}

/** Hex of every proper prefix 22 + 5j (j < k), longest first: the parent, then the ancestors. */
export function ancestors(b64: string): string[] {
  const b = conversationIndexBytes(b64);
  if (!b) return [];
  const out: string[] = [];
  for (let len = b.length - CHILD_LEN; len >= HEADER_LEN; len -= CHILD_LEN) out.push(toHex(b.slice(0, len)));
  return out;
}

/** Canonical key for comparing ConversationIndex values as bytes (hex), or null when invalid. */
export function conversationIndexKey(b64: string): string | null {
  const b = conversationIndexBytes(b64);
  return b ? toHex(b) : null;
}

/** Hex of the 22-byte header block (the `base` ConversationIndex rule), or null when invalid. */
export function conversationIndexBase(b64: string): string | null {
  const b = conversationIndexBytes(b64);
  return b ? toHex(b.slice(0, HEADER_LEN)) : null;
}
