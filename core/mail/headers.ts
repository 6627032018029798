// Header block: where it ends in the bytes, and its fields unfolded (RFC 5322 §2.2.3).
// Works on CRLF, LF and mixed line ends. Never throws: oddities become defects the inspector shows.

import { decodeHeaderBytes, toBinaryString } from './bytes.js';

export interface HeaderField {
  /** Name as written. */
  name: string;
  /** Lower-cased name, for lookups. */
  key: string;
  /** Value unfolded (CRLF + WSP → WSP), leading whitespace trimmed, not RFC 2047-decoded. */
  value: string;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Byte offset where the body starts (after the blank line), or raw.length when there is no body. */
  bodyOffset: number;
  /** Byte length of the header block without the separating blank line. */
  headerLength: number;
  /** Header bytes were 8-bit and not valid UTF-8 (decoded as windows-1252). */
  eightBitLegacy: boolean;
  defects: string[];
}

/**
 * True when the header block's lines end in bare CR (classic Mac OS files, some old gateways): its first
 * line break is a CR followed by neither LF nor CR LF. CR CR LF (a doubly converted CRLF) is not bare CR.
 */
export function usesBareCr(raw: Uint8Array, start = 0): boolean {
  const limit = Math.min(raw.length, start + HEADER_LIMITS.blockBytes);
  for (let i = start; i < limit; i++) {
    const b = raw[i];
    if (b === 10) return false;
    if (b === 13) {
      const next = raw[i + 1];
      if (next === 10 || next === undefined) return false;
      return !(next === 13 && raw[i + 2] === 10);
    }
  }
  return false;
}

/** Finds the end of the header block: the first empty line. Returns [headerEnd, bodyStart]. */
export function findHeaderEnd(raw: Uint8Array, start = 0): [number, number] {
  if (usesBareCr(raw, start)) {
    // Lines end in CR alone: the block ends at the first CR CR.
    for (let i = raw.indexOf(13, start); i >= 0; i = raw.indexOf(13, i + 1)) {
      if (i === start) return [start, start + 1];
      if (raw[i + 1] === 13) return [i + 1, i + 2];
    }
    return [raw.length, raw.length];
  }
  // Scan bytes directly: a header block is short, and this avoids decoding the whole message.
  let lineStart = start;
  for (let i = start; i < raw.length; i++) {
    if (raw[i] !== 10) continue;
    const lineLen = i - lineStart;
    if (lineLen === 0 || (lineLen === 1 && raw[lineStart] === 13)) {
      return [lineStart, i + 1];
    }
    lineStart = i + 1;
  }
  // A lone CR line at EOF, or no blank line at all: everything is header.
  return [raw.length, raw.length];
}

/** Bounds that keep one hostile message from stalling an import or filling memory (issue 6). */
export const HEADER_LIMITS = {
  /** Header bytes read; a longer block is cut here (real header blocks are a few KB). */
  blockBytes: 16 * 1024 * 1024,
  /** Characters kept of one field's value; the rest is dropped and reported. */
  fieldChars: 256 * 1024,
  /** Fields kept; more are counted and reported, not stored. */
  fields: 20_000,
  /** More fields than this is reported as abnormal (real messages carry well under a few hundred). */
  fieldsReported: 1000,
} as const;

export function splitHeaderBlock(raw: Uint8Array, start = 0): HeaderBlock {
  const [headerEnd, bodyOffset] = findHeaderEnd(raw, start);
  const defects: string[] = [];
  const readEnd = Math.min(headerEnd, start + HEADER_LIMITS.blockBytes);
  if (readEnd < headerEnd) defects.push(`header block is ${headerEnd - start} bytes long; only its first ${HEADER_LIMITS.blockBytes} bytes were read`);
  // A block that runs to the end of the data with no empty line: a message with no body, or a cut file.
  if (headerEnd === raw.length && headerEnd > start && start === 0) defects.push('no empty line after the header block: the message has no body (truncated?)');
  const decoded = decodeHeaderBytes(raw.subarray(start, readEnd));
  const fields: HeaderField[] = [];
  const bareCr = usesBareCr(raw, start);
  // Bare-CR files would otherwise be one line: every header in one field (issue 12 item 21).
  if (bareCr) defects.push('lines end in a bare CR (no LF); read as line ends');
  const lines = decoded.text.split(bareCr ? /\r/ : /\r?\n/);
  let current: HeaderField | null = null;
  // Characters of continuation lines not appended because the field was already over the limit.
  const overflow = new Map<HeaderField, number>();
  let dropped = 0;
  let badLines = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (current) {
        if (current.value.length < HEADER_LIMITS.fieldChars) current.value += line;
        else overflow.set(current, (overflow.get(current) ?? 0) + line.length);
      } else if (!dropped) defects.push('header block starts with a continuation line');
      continue;
    }
    const colon = line.indexOf(':');
    if (i === 0 && line.startsWith('From ') && (colon < 0 || colon > line.indexOf(' '))) {
      // An mbox "From " separator left in front of the headers: not a field.
      current = null;
      continue;
    }
    const name = colon > 0 ? line.slice(0, colon).replace(/[ \t]+$/, '') : '';
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      // Report the first few; a binary file would otherwise produce thousands of identical defects.
      if (++badLines <= 5) defects.push(`line ${i + 1} is not a header field: ${JSON.stringify(line.slice(0, 60))}`);
      current = null;
      continue;
    }
    if (fields.length >= HEADER_LIMITS.fields) {
      dropped++;
      current = null;
      continue;
    }
    current = { name, key: name.toLowerCase(), value: line.slice(colon + 1) };
    fields.push(current);
  }
  if (badLines > 5) defects.push(`${badLines - 5} more lines are not header fields`);
  if (fields.length + dropped > HEADER_LIMITS.fieldsReported) {
    defects.push(`${fields.length + dropped} header fields (more than ${HEADER_LIMITS.fieldsReported})` +
      (dropped > 0 ? `; only the first ${HEADER_LIMITS.fields} were read` : ''));
  }
  let nulFields = 0;
  for (const f of fields) {
    const extra = overflow.get(f) ?? 0;
    if (extra > 0 || f.value.length > HEADER_LIMITS.fieldChars) {
      const total = f.value.length + extra;
      defects.push(`header field ${f.name.slice(0, 60)} is ${total} characters long; only its first ${HEADER_LIMITS.fieldChars} were kept`);
      f.value = f.value.slice(0, HEADER_LIMITS.fieldChars);
    }
    f.value = f.value.replace(/^[ \t]+/, '').replace(/[ \t\r]+$/, '');
    if (f.value.indexOf('\0') >= 0 && ++nulFields <= 5) defects.push(`NUL byte in header field ${f.name.slice(0, 60)}`);
  }
  if (decoded.eightBit && !decoded.utf8) defects.push('raw 8-bit header bytes that are not UTF-8 (read as windows-1252)');
  return { fields, bodyOffset, headerLength: headerEnd - start, eightBitLegacy: decoded.eightBit && !decoded.utf8, defects };
}

/** First value of a header, or null. */
export function getHeader(fields: readonly HeaderField[], key: string): string | null {
  for (const f of fields) if (f.key === key) return f.value;
  return null;
}

export function getAllHeaders(fields: readonly HeaderField[], key: string): string[] {
  const out: string[] = [];
  for (const f of fields) if (f.key === key) out.push(f.value);
  return out;
}

/** Removes RFC 5322 comments "(…)" (nested, with quoted-pairs) outside quoted strings. */
export function stripComments(value: string): string {
  if (value.indexOf('(') < 0) return value;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\') {
      if (depth === 0) out += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') { depth++; continue; }
    if (!quoted && ch === ')' && depth > 0) { depth--; if (depth === 0) out += ' '; continue; }
    if (depth === 0) out += ch;
  }
  return out;
}

/** Message-ID list (References, In-Reply-To): the `<…>` ids in order; bare ids when no brackets. */
export function parseMsgIdList(value: string | null): string[] {
  if (!value) return [];
  const clean = stripComments(value);
  // Whitespace inside the brackets (old mailers: "<123@ host >") is dropped, as RFC 5322 §4.5 allows CFWS there.
  const ids = clean.match(/<[^<>]*>/g);
  if (ids && ids.length > 0) return ids.map((s) => s.replace(/\s+/g, '')).filter((s) => s !== '<>');
  // Obsolete or broken: bare ids separated by whitespace/commas.
  return clean.split(/[\s,]+/).filter((s) => s.includes('@')).map((s) => `<${s}>`);
}

/** One Message-ID (first of the list) in `<…>` form, or null. */
export function parseMsgId(value: string | null): string | null {
  return parseMsgIdList(value)[0] ?? null;
}

export { toBinaryString };
