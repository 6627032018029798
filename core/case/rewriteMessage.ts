// Rewrites a message's bytes for an anonymized case. The header fields the engine reads are re-written
// from their decoded values through the Anonymizer (addresses, display names, Subject / Thread-Topic,
// Message-ID / In-Reply-To / References); the fields that only describe structure or time (Date,
// Thread-Index, Content-Type, auto-reply and PEC markers) are kept as they are; every other field is
// dropped, since relays, DKIM and vendor headers carry names, hosts and addresses. Received keeps only
// its date, which decides the processing order. The MIME tree keeps its shape (multiparts, forwarded
// message/rfc822 parts, S/MIME types: the engine's format flags come from it) while every leaf body is
// replaced by a short notice, so no text or attachment of the original leaves.

import { parseAddressList } from '../mail/addresses.js';
import { getHeader, splitHeaderBlock, type HeaderField } from '../mail/headers.js';
import { parseContentType } from '../mail/mime.js';
import { decodeWords } from '../mail/rfc2047.js';
import { toBinaryString } from '../mail/bytes.js';
import type { Anonymizer } from './anonymize.js';

const ADDRESS_FIELDS = new Set(['from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'return-path', 'resent-from', 'resent-to', 'resent-cc', 'delivered-to', 'x-original-to']);
const ID_FIELDS = new Set(['message-id', 'in-reply-to', 'references', 'x-riferimento-message-id', 'resent-message-id']);
const SUBJECT_FIELDS = new Set(['subject', 'thread-topic']);
const KEPT_FIELDS = new Set([
  'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition', 'thread-index', 'importance', 'priority',
  'auto-submitted', 'x-auto-response-suppress', 'precedence', 'x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-apple-action',
  'x-trasporto', 'x-ricevuta', 'x-tiporicevuta',
]);
const NOTICE = 'The content of this part was removed when the case was anonymized.';

const utf8 = new TextEncoder();
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2];
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : B64[c & 63];
  }
  return out;
}

/** Plain ASCII stays as is; anything else becomes one UTF-8 encoded word (RFC 2047). */
function encodeText(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${base64(utf8.encode(s))}?=`;
}

function quoteName(name: string): string {
  if (!name) return '';
  return /^[A-Za-z0-9 ]+$/.test(name) ? `${name} ` : `"${name.replace(/["\\]/g, '\\$&')}" `;
}

function rewriteField(f: HeaderField, anon: Anonymizer, top: boolean): string | null {
  const k = f.key;
  if (top && ADDRESS_FIELDS.has(k)) {
    const list = parseAddressList(f.value);
    const items = list.map((a) => `${a.name ? quoteName(anon.name(a.name)) : ''}<${anon.address(a.address)}>`);
    return items.length ? `${f.name}: ${items.join(',\r\n ')}` : `${f.name}:`;
  }
  if (top && ID_FIELDS.has(k)) return `${f.name}: ${anon.messageIdList(f.value)}`;
  if (top && SUBJECT_FIELDS.has(k)) return `${f.name}: ${encodeText(anon.subject(decodeWords(f.value).replace(/[\r\n]+/g, '')))}`;
  if (top && k === 'received') {
    const semi = f.value.lastIndexOf(';');
    return semi < 0 ? null : `${f.name}: by anonymized.invalid;${f.value.slice(semi + 1)}`;
  }
  if (k === 'content-disposition') return `${f.name}: ${f.value.split(';')[0]?.trim() ?? 'attachment'}`;
  if (k === 'content-type') {
    // Keep type and the parameters structure depends on; drop names (file names leak).
    const ct = parseContentType(f.value);
    const keep = ['boundary', 'smime-type', 'protocol', 'micalg', 'report-type'].filter((p) => ct.params[p] !== undefined).map((p) => `; ${p}="${ct.params[p] as string}"`);
    return `${f.name}: ${ct.mimeType}${keep.join('')}`;
  }
  if (KEPT_FIELDS.has(k)) return `${f.name}: ${f.value}`;
  return null;
}

/** One MIME entity (a whole message when `top`), rewritten. Returns a binary string (one char per byte). */
function rewriteEntity(raw: Uint8Array, anon: Anonymizer, top: boolean, eol: string): string {
  const block = splitHeaderBlock(raw);
  const fields = block.fields;
  const ct = parseContentType(getHeader(fields, 'content-type'));
  const cte = (getHeader(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const body = raw.subarray(block.bodyOffset);
  let newBody: string;
  let newCte: string | null = null;
  if (ct.mimeType.startsWith('multipart/') && ct.params.boundary) {
    newBody = rewriteMultipart(body, ct.params.boundary, anon, eol);
  } else if ((ct.mimeType === 'message/rfc822' || ct.mimeType === 'message/global') && cte !== 'base64' && cte !== 'quoted-printable') {
    // A forwarded message or PEC postacert.eml: the inner message is anonymized as a message of its own.
    newBody = rewriteEntity(body, anon, true, eol);
  } else {
    newCte = cte === 'base64' ? 'base64' : '7bit';
    newBody = (cte === 'base64' ? base64(utf8.encode(NOTICE)) : NOTICE) + eol;
  }
  const lines: string[] = [];
  for (const f of fields) {
    if (f.key === 'content-transfer-encoding' && newCte !== null) { lines.push(`${f.name}: ${newCte}`); continue; }
    const line = rewriteField(f, anon, top);
    if (line !== null) lines.push(line.replace(/\r\n/g, eol));
  }
  // Header text is UTF-8 or ASCII; the binary string holds one char per byte.
  const head = toBinaryString(utf8.encode(lines.join(eol)));
  return `${head}${eol}${eol}${newBody}`;
}

function rewriteMultipart(body: Uint8Array, boundary: string, anon: Anonymizer, eol: string): string {
  const text = toBinaryString(body);
  const delim = `--${boundary}`;
  // Boundary lines: "--boundary" at the start of a line; the last one ends with "--".
  const lines = text.split(/\r?\n/);
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === delim || trimmed === `${delim}--`) {
      if (current) parts.push(current);
      if (trimmed !== delim) { current = null; break; }
      current = [];
      continue;
    }
    if (current) current.push(line);
  }
  if (current) parts.push(current);
  const out: string[] = [];
  for (const p of parts) {
    const bytes = Uint8Array.from(p.join('\n'), (c) => c.charCodeAt(0) & 0xff);
    out.push(`${delim}${eol}${rewriteEntity(bytes, anon, false, eol)}`);
  }
  // An unterminated multipart is closed: the copy is well-formed even when the original was cut.
  return `${out.join('')}${delim}--${eol}`;
}

/** The anonymized bytes of a whole message. */
export function anonymizeMessage(raw: Uint8Array, anon: Anonymizer): Uint8Array {
  const head = toBinaryString(raw.subarray(0, Math.min(raw.length, 4096)));
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const out = rewriteEntity(raw, anon, true, eol);
  return Uint8Array.from(out, (c) => c.charCodeAt(0) & 0xff);
}
