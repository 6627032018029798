// A light MIME structure scan: the top-level Content-Type (with smime-type / protocol for S/MIME, §9.3)
// and the message/rfc822 parts anywhere in the tree (forward-as-attachment, PEC postacert.eml, the parts
// of a multipart/digest, a top-level message/rfc822 body), located by byte range so the inner message can
// be read from the source without copying it.
// It does not decode bodies: mailparser does that on demand (core/node/mailparse.ts).

import { firstInvalidBase64Byte, firstInvalidQuotedPrintableByte, isKnownCharset } from './bytes.js';
import { getHeader, splitHeaderBlock, usesBareCr } from './headers.js';
import { decodeWords } from './rfc2047.js';

export interface ContentType {
  /** `type/subtype` lower-cased; `text/plain` when absent (RFC 2045 §5.2). */
  mimeType: string;
  params: Record<string, string>;
  /** The header was missing or could not be read. */
  defaulted: boolean;
}

export function parseContentType(value: string | null): ContentType {
  if (!value) return { mimeType: 'text/plain', params: {}, defaulted: true };
  const semi = indexOfUnquoted(value, ';');
  const typePart = (semi < 0 ? value : value.slice(0, semi)).replace(/\([^)]*\)/g, '').trim().toLowerCase();
  const params: Record<string, string> = {};
  const continuations: Record<string, string[]> = {};
  let rest = semi < 0 ? '' : value.slice(semi + 1);
  const PARAM = /^\s*([^=;\s]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)\s*;?/;
  while (rest.trim()) {
    const m = PARAM.exec(rest);
    if (!m) {
      const next = rest.indexOf(';');
      if (next < 0) break;
      rest = rest.slice(next + 1);
      continue;
    }
    const name = (m[1] as string).toLowerCase();
    const val = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[2] as string).trim();
    const cont = /^(.+)\*(\d+)\*?$/.exec(name);
    if (cont) (continuations[cont[1] as string] ??= [])[Number(cont[2])] = val;
    else params[name.replace(/\*$/, '')] = name.endsWith('*') ? decodeRfc2231(val) : val;
    rest = rest.slice(m[0].length);
  }
  for (const [name, parts] of Object.entries(continuations)) params[name] ??= decodeRfc2231(parts.join(''));
  const valid = /^[a-z0-9!#$%&'*+.^_`{|}~-]+\/[a-z0-9!#$%&'*+.^_`{|}~-]+$/.test(typePart);
  if (!valid) return { mimeType: 'text/plain', params, defaulted: true };
  return { mimeType: typePart, params, defaulted: false };
}

function decodeRfc2231(value: string): string {
  const m = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!m) return value;
  try {
    return decodeURIComponent(m[2] as string);
  } catch {
    return m[2] as string;
  }
}

function indexOfUnquoted(s: string, ch: string): number {
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === '"') q = !q;
    else if (!q && c === ch) return i;
  }
  return -1;
}

export interface InnerMessageRef {
  /** Byte offset of the inner message in the outer raw bytes. */
  offset: number;
  length: number;
  /** Content-Transfer-Encoding of the part: identity (7bit/8bit/binary) or base64/quoted-printable. */
  encoding: string;
  /** MIME path of the part, e.g. `1.2` (1-based, as IMAP numbers parts). */
  path: string;
  filename: string | null;
}

export interface StructureScan {
  inner: InnerMessageRef[];
  /** Every content type seen, for flags (e.g. TNEF, DSN) — `type/subtype` lower-cased, in order. */
  types: string[];
  defects: string[];
}

const MAX_DEPTH = 12;
const MAX_PARTS = 2000;
/** Parts scanned in one message over all levels (nested multiparts could otherwise multiply). */
const MAX_TOTAL_PARTS = 10_000;

/**
 * Walks multipart bodies by boundary. `raw` is the whole message; `bodyOffset` where its body starts.
 */
export function scanStructure(raw: Uint8Array, topType: ContentType, bodyOffset: number, topEncoding = '7bit'): StructureScan {
  const scan: StructureScan = { inner: [], types: [topType.mimeType], defects: [] };
  checkCharset(topType, '', scan);
  const enc = topEncoding.trim().toLowerCase();
  // A message whose whole body is a message (top-level message/rfc822, e.g. a gateway's wrapper around a
  // digest) encapsulates it like an attached part: the inner message is the body, part 1 as IMAP numbers
  // the body of a non-multipart message. Its own parts are found when that inner message is read.
  if (isMessageType(topType.mimeType)) {
    const start = Math.min(bodyOffset, raw.length);
    scan.inner.push({ offset: start, length: raw.length - start, encoding: enc, path: '1', filename: null });
    return scan;
  }
  // Works on the bytes (no string copy of the message): a 150 MB message must not cost another 150 MB.
  if (!topType.mimeType.startsWith('multipart/')) checkEncoding(raw, bodyOffset, raw.length, enc, '', scan);
  else walk(raw, topType, bodyOffset, raw.length, '', 0, scan, null, enc);
  return scan;
}

/** The encapsulated-message types (RFC 2046 §5.2.1, RFC 6532 §3.5). */
function isMessageType(mimeType: string): boolean {
  return mimeType === 'message/rfc822' || mimeType === 'message/global';
}

function checkCharset(ct: ContentType, path: string, scan: StructureScan): void {
  const cs = ct.params.charset;
  if (cs !== undefined && ct.mimeType.startsWith('text/') && !isKnownCharset(cs)) {
    scan.defects.push(`unknown charset "${cs.slice(0, 40)}" in the Content-Type of part ${path || 'root'} (read as windows-1252)`);
  }
}

/** Reports a body that its Content-Transfer-Encoding cannot decode faithfully (decoding is lenient). */
function checkEncoding(raw: Uint8Array, start: number, end: number, encoding: string, path: string, scan: StructureScan): void {
  if (encoding !== 'base64' && encoding !== 'quoted-printable') return;
  const bad = encoding === 'base64' ? firstInvalidBase64Byte(raw, start, end) : firstInvalidQuotedPrintableByte(raw, start, end);
  if (bad >= 0) {
    scan.defects.push(`invalid ${encoding} in part ${path || 'root'} at byte ${bad} (character 0x${(raw[bad] as number).toString(16).padStart(2, '0')})`);
  }
}

/** First byte of `needle` in `hay` at or after `from` and before `end`, or -1 (native indexOf finds candidates). */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  const first = needle[0] as number;
  for (let i = hay.indexOf(first, from); i >= 0 && i < end; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const utf8 = new TextEncoder();

function walk(
  raw: Uint8Array, ct: ContentType, start: number, end: number, path: string, depth: number,
  scan: StructureScan, filename: string | null, encoding: string,
): void {
  if (depth > MAX_DEPTH) {
    scan.defects.push(`MIME nesting deeper than ${MAX_DEPTH} at part ${path || 'root'}`);
    return;
  }
  if (!ct.mimeType.startsWith('multipart/') && !ct.mimeType.startsWith('message/')) {
    checkCharset(ct, path, scan);
    checkEncoding(raw, start, end, encoding, path, scan);
    return;
  }
  if (isMessageType(ct.mimeType)) {
    // Trim the CRLF that belongs to the next boundary delimiter.
    let e = end;
    if (raw[e - 1] === 10) e--;
    if (raw[e - 1] === 13) e--;
    scan.inner.push({ offset: start, length: Math.max(0, e - start), encoding, path, filename });
    return;
  }
  if (!ct.mimeType.startsWith('multipart/')) return;
  const boundary = ct.params.boundary;
  if (!boundary) {
    scan.defects.push(`multipart without boundary at part ${path || 'root'}`);
    return;
  }
  // The boundary as the bytes it is written with (a header decoded from UTF-8 is re-encoded the same way).
  const delim = utf8.encode('--' + boundary);
  const bareCr = usesBareCr(raw, start);
  const parts: Array<[number, number]> = [];
  let pos = start;
  let partStart = -1;
  let closed = false;
  let seen = false;
  while (pos < end) {
    const idx = indexOfBytes(raw, delim, pos, end);
    if (idx < 0 || idx >= end) break;
    // A line starts after LF, or after a bare CR in files whose lines end in CR alone.
    const atLineStart = idx === start || raw[idx - 1] === 10 || (bareCr && raw[idx - 1] === 13);
    const after = idx + delim.length;
    if (!atLineStart) { pos = after; continue; }
    seen = true;
    const isClose = raw[after] === 45 && raw[after + 1] === 45;
    // The delimiter's preceding line break belongs to the delimiter (RFC 2046 §5.1.1).
    let partEnd = idx;
    if (raw[partEnd - 1] === 10) partEnd--;
    if (raw[partEnd - 1] === 13) partEnd--;
    if (partStart >= 0) parts.push([partStart, Math.max(partStart, partEnd)]);
    const eol = bareCr ? raw.indexOf(13, after) : raw.indexOf(10, after);
    if (isClose) { closed = true; break; }
    if (eol < 0 || eol >= end) { partStart = -1; break; }
    partStart = eol + 1;
    pos = partStart;
    if (parts.length > MAX_PARTS) break;
  }
  if (parts.length > MAX_PARTS) {
    scan.defects.push(`multipart at part ${path || 'root'} has more than ${MAX_PARTS} parts; the rest were not scanned`);
    parts.length = MAX_PARTS;
    closed = true;
  } else if (!seen) {
    scan.defects.push(`multipart boundary "${boundary.slice(0, 70)}" never occurs at part ${path || 'root'}`);
  }
  if (!closed && partStart >= 0 && partStart < end) {
    parts.push([partStart, end]);
    scan.defects.push(`multipart at part ${path || 'root'} has no closing boundary`);
  }
  parts.forEach(([s, e], i) => {
    // scan.types has one entry per part seen so far.
    if (scan.types.length > MAX_TOTAL_PARTS) {
      if (!scan.defects.some((d) => d.startsWith('more than '))) scan.defects.push(`more than ${MAX_TOTAL_PARTS} MIME parts in the message; the rest were not scanned`);
      return;
    }
    const block = splitHeaderBlock(raw.subarray(0, e), s);
    const partCt = parseContentType(getHeader(block.fields, 'content-type'));
    // Default type inside multipart/digest is message/rfc822 (RFC 2046 §5.1.5).
    const effective = partCt.defaulted && ct.mimeType === 'multipart/digest' ? { ...partCt, mimeType: 'message/rfc822' } : partCt;
    scan.types.push(effective.mimeType);
    const disp = getHeader(block.fields, 'content-disposition');
    const name = (disp ? parseContentType('x/x;' + disp.replace(/^[^;]*;?/, '')).params.filename : undefined) ?? effective.params.name ?? null;
    const cte = (getHeader(block.fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    walk(raw, effective, Math.min(block.bodyOffset, e), e, path ? `${path}.${i + 1}` : String(i + 1), depth + 1, scan,
      name === null ? null : decodeWords(name), cte);
  });
}
