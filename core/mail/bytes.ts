// Byte helpers for the pure mail core. Message bytes are often viewed as a "binary string" (one UTF-16
// code unit per byte: windows-1252/Latin-1 decode one byte to one code point) so that ASCII searches with
// indexOf keep byte offsets exact.

const binaryDecoder = new TextDecoder('windows-1252');
const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

// Node's Buffer, when present (the importer): its latin1 decoding is several times faster than TextDecoder,
// which matters for a 150 MB message. Looked up, not imported, so the mail core stays free of Node modules.
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { toString(enc: 'latin1'): string } } }).Buffer;

/**
 * One char per byte, char code = byte value: offsets in the string are offsets in the bytes. For ASCII
 * searching and for byte-exact round trips (base64/QP payloads); never for display.
 */
export function toBinaryString(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/** Header text: UTF-8 when it is valid (RFC 6532), else windows-1252 (raw 8-bit legacy headers). */
export function decodeHeaderBytes(bytes: Uint8Array): { text: string; eightBit: boolean; utf8: boolean } {
  let eightBit = false;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) > 0x7f) {
      eightBit = true;
      break;
    }
  }
  if (!eightBit) return { text: binaryDecoder.decode(bytes), eightBit, utf8: true };
  try {
    return { text: utf8Fatal.decode(bytes), eightBit, utf8: true };
  } catch {
    return { text: decodeWindows1252(bytes), eightBit, utf8: false };
  }
}

// WHATWG maps the Latin-1 labels to windows-1252, but Node's TextDecoder decodes them as ISO-8859-1 (0x80-0x9F
// become C1 controls), so "€" from a windows-1252 message would be lost. Decode that family by table.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP1252_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1',
  'ascii', 'us-ascii', 'ansi_x3.4-1968', 'iso-ir-100', 'csisolatin1', 'ibm819', 'cp819']);

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes: number[] = [];
    const end = Math.min(bytes.length, i + 8192);
    for (let j = i; j < end; j++) {
      const c = bytes[j] as number;
      codes.push(c >= 0x80 && c < 0xa0 ? (CP1252_HIGH[c - 0x80] as number) : c);
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

// One decoder per label: constructing a TextDecoder costs more than decoding a short encoded word, and an
// encoded-word bomb would otherwise build one per word. `null` marks a label TextDecoder does not know.
type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder | null>();

function normalizeLabel(charset: string): string {
  return charset.trim().toLowerCase().replace(/\*.*$/, '');
}

function decoderFor(label: string): Decoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label === '' ? 'utf-8' : label);
    } catch {
      d = null;
    }
    // Bounded: hostile mail can name any number of made-up charsets.
    if (decoders.size < 256) decoders.set(label, d);
  }
  return d;
}

/** True when `decodeCharset` can decode this charset label (else it falls back to windows-1252). */
export function isKnownCharset(charset: string): boolean {
  const label = normalizeLabel(charset);
  return CP1252_LABELS.has(label) || decoderFor(label) !== null;
}

/** Decode bytes in a named charset; unknown labels fall back to windows-1252 (never throws). */
export function decodeCharset(bytes: Uint8Array, charset: string): string {
  const label = normalizeLabel(charset);
  if (CP1252_LABELS.has(label)) return decodeWindows1252(bytes);
  const d = decoderFor(label);
  return d ? d.decode(bytes) : decodeWindows1252(bytes);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62; // base64url, seen from some web clients
B64_INDEX['_'.charCodeAt(0)] = 63;

/** Lenient base64: ignores whitespace and invalid characters, stops at padding. */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) break; // '='
    const v = c < 128 ? (B64_INDEX[c] as number) : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.slice(0, n);
}

/** True when the string is strict base64 (what a well-formed Thread-Index is). */
export function isStrictBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}

/**
 * Where a base64 text (whitespace allowed, '=' padding at the end) first has a character outside the
 * alphabet, or -1 when it has none. Lenient decoding skips such characters; this is for reporting them.
 */
export function firstInvalidBase64(text: string): number {
  const m = /[^A-Za-z0-9+/=\s]|=[^=\s]/.exec(text);
  return m ? m.index : -1;
}

/** Where a quoted-printable text first has an "=" that is neither "=XX" nor a soft line break, or -1. */
export function firstInvalidQuotedPrintable(text: string): number {
  const m = /=(?![0-9A-Fa-f]{2}|\r?\n|[ \t]*(?:\r?\n|$))/.exec(text);
  return m ? m.index : -1;
}

// Byte classes for the body checks below (no string copy of a possibly huge body).
const B64_BODY = new Uint8Array(256); // 1: alphabet, 2: whitespace, 3: '='
for (let i = 0; i < B64.length; i++) B64_BODY[B64.charCodeAt(i)] = 1;
for (const c of [9, 10, 11, 12, 13, 32]) B64_BODY[c] = 2;
B64_BODY[61] = 3;
const HEX = new Uint8Array(256);
for (const c of '0123456789ABCDEFabcdef') HEX[c.charCodeAt(0)] = 1;

/** Byte offset of the first byte a base64 body may not contain (outside the alphabet, or data after '='), or -1. */
export function firstInvalidBase64Byte(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let padded = false;
  for (let i = start; i < end; i++) {
    const k = B64_BODY[bytes[i] as number] as number;
    if (k === 1) {
      if (padded) return i;
    } else if (k === 3) padded = true;
    else if (k !== 2) return i;
  }
  return -1;
}

/** Byte offset of the first "=" in a quoted-printable body that is neither "=XX" nor a soft line break, or -1. */
export function firstInvalidQuotedPrintableByte(bytes: Uint8Array, start = 0, end = bytes.length): number {
  for (let i = bytes.indexOf(61, start); i >= 0 && i < end; i = bytes.indexOf(61, i + 1)) {
    if (HEX[bytes[i + 1] as number] && HEX[bytes[i + 2] as number] && i + 2 < end) continue;
    // Soft line break: "=" then optional spaces/tabs, then CRLF, LF or the end of the body.
    let j = i + 1;
    while (j < end && (bytes[j] === 32 || bytes[j] === 9)) j++;
    if (j >= end || bytes[j] === 10 || (bytes[j] === 13 && bytes[j + 1] === 10)) continue;
    return i;
  }
  return -1;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function decodeQuotedPrintable(text: string, underscoreIsSpace: boolean): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 /* = */) {
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') { i += 2; continue; }
      if (text[i + 1] === '\n') { i += 1; continue; }
      out.push(c);
    } else if (c === 95 /* _ */ && underscoreIsSpace) {
      out.push(32);
    } else if (c > 0xff) {
      // Non-Latin-1 characters in an encoded word are invalid; keep them as UTF-8.
      for (const b of new TextEncoder().encode(String.fromCharCode(c))) out.push(b);
    } else {
      out.push(c);
    }
  }
  return Uint8Array.from(out);
}
