// Turns one PST/OST item (a pst-extractor PSTMessage) into RFC 5322 bytes the workspace parses like any
// other message. Two paths, and the caller records which one was taken:
//  - 'pst-transport-headers': the item carries PidTagTransportMessageHeaders (0x007D), the header block the
//    message had on the wire. Those headers are kept as they are, except the MIME content fields, which
//    describe a body we no longer have (its boundary, its transfer encoding) and are replaced by ours.
//  - 'pst-mapi-properties': no transport headers (sent items, drafts, internal mail cached by Outlook):
//    the header fields are mapped from the MAPI properties [MS-OXOMSG]/[MS-OXPROPS]: PidTagInternetMessageId
//    → Message-ID, PidTagInReplyToId → In-Reply-To, PidTagConversationIndex → Thread-Index (base64, research
//    §8), PidTagConversationTopic → Thread-Topic, sender → From, recipient table → To/Cc/Bcc, client submit
//    time (else delivery time) → Date.
// The body is rebuilt from PidTagBody / PidTagBodyHtml (else the decompressed RTF), and attachments are
// added (files up to a size cap, embedded messages as message/rfc822, a few levels deep). Output is
// deterministic (boundaries derive from the item, not from a clock or a random source) so that re-importing
// the same PST yields the same bytes and therefore the same SHA-256: imports stay idempotent.

import crypto from 'node:crypto';
import type { PSTAttachment, PSTMessage } from 'pst-extractor';

export type PstOrigin = 'pst-transport-headers' | 'pst-mapi-properties';

export interface SynthesizedItem {
  bytes: Buffer;
  origin: PstOrigin;
  /** Problems met while building (an unreadable attachment, …): the item is still kept. */
  notes: string[];
}

/** Attachments bigger than this are listed by name in a text/plain placeholder part instead of copied. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
/** Embedded messages (message/rfc822) synthesized below a top-level item. */
const MAX_EMBED_DEPTH = 3;

// MAPI property tags pst-extractor has no getter for (read through its generic property accessors).
const TAG_CONVERSATION_INDEX = 0x0071; // PidTagConversationIndex
const TAG_SENDER_SMTP = 0x5d01; // PidTagSenderSmtpAddress
const TAG_SENT_REPRESENTING_SMTP = 0x5d02; // PidTagSentRepresentingSmtpAddress

interface PropertyAccess {
  getBinaryItem(tag: number): Buffer | null;
  getStringItem(tag: number): string;
}
const props = (m: PSTMessage): PropertyAccess => m as unknown as PropertyAccess;

/** PidTagConversationIndex bytes, or null. */
export function conversationIndexOf(m: PSTMessage): Buffer | null {
  try {
    const b = props(m).getBinaryItem(TAG_CONVERSATION_INDEX);
    return b && b.length > 0 ? b : null;
  } catch {
    return null;
  }
}

/** Header fields that describe the original body; ours replaces them. */
const CONTENT_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'mime-version', 'content-disposition', 'content-id', 'content-description']);

/** Splits a header block into fields (each with its continuation lines), CRLF-normalised. */
function headerFields(block: string): Array<{ name: string; text: string }> {
  const lines = block.replace(/\r\n?/g, '\n').split('\n');
  const fields: Array<{ name: string; text: string }> = [];
  for (const line of lines) {
    if (line === '') {
      // A blank line ends a header block; transport headers sometimes carry a trailing one (or two).
      if (fields.length > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1] as { name: string; text: string };
      last.text += `\r\n${line}`;
    } else {
      const colon = line.indexOf(':');
      fields.push({ name: colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '', text: line });
    }
  }
  return fields;
}

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 B-encoding for non-ASCII text in unstructured fields and display names. */
function encodeWord(s: string): string {
  if (isAscii(s)) return s;
  // Encoded words are limited to 75 characters: split on code points, about 45 bytes of UTF-8 per word.
  const words: string[] = [];
  let chunk = '';
  for (const ch of s) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function displayName(name: string): string {
  const n = name.replace(/[\r\n]+/g, ' ').trim();
  if (!n) return '';
  if (!isAscii(n)) return encodeWord(n);
  return /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(n) ? n : `"${n.replace(/(["\\])/g, '\\$1')}"`;
}

function mailbox(name: string, address: string): string | null {
  const addr = address.trim();
  const dn = displayName(name);
  if (addr.includes('@')) return dn ? `${dn} <${addr}>` : `<${addr}>`;
  // An Exchange (EX) address is an X.500 DN, not an Internet address: keep the name, say no address is known.
  return dn ? `${dn} <>` : null;
}

/** RFC 5322 date-time in UTC. */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function base64Lines(b: Uint8Array): string {
  return (Buffer.from(b).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function boundaryFor(seed: string, depth: number, n: number): string {
  return `----=_SyncLens_${crypto.createHash('sha256').update(`${seed}/${depth}/${n}`).digest('hex').slice(0, 24)}`;
}

function safeString(f: () => string): string {
  try {
    return f() ?? '';
  } catch {
    return '';
  }
}

function senderSmtp(m: PSTMessage): string {
  const p = props(m);
  const candidates = [safeString(() => p.getStringItem(TAG_SENDER_SMTP)), safeString(() => p.getStringItem(TAG_SENT_REPRESENTING_SMTP)),
    safeString(() => m.senderEmailAddress), safeString(() => m.sentRepresentingEmailAddress)];
  return candidates.find((c) => c.includes('@')) ?? '';
}

/** Header fields mapped from MAPI properties (used when the item has no transport headers). */
function mappedHeaders(m: PSTMessage): string[] {
  const out: string[] = [];
  const from = mailbox(safeString(() => m.senderName) || safeString(() => m.sentRepresentingName), senderSmtp(m));
  if (from) out.push(`From: ${from}`);
  const groups: Record<number, string[]> = { 1: [], 2: [], 3: [] };
  const count = (() => {
    try {
      return m.numberOfRecipients;
    } catch {
      return 0;
    }
  })();
  for (let i = 0; i < count; i++) {
    const r = m.getRecipient(i);
    if (!r) continue;
    const addr = [safeString(() => r.smtpAddress), safeString(() => r.emailAddress)].find((a) => a.includes('@')) ?? '';
    const mb = mailbox(safeString(() => r.displayName), addr);
    // PidTagRecipientType: 1 To, 2 Cc, 3 Bcc ([MS-OXOMSG] 2.2.3.1).
    if (mb) (groups[r.recipientType] ?? groups[1] as string[]).push(mb);
  }
  if (groups[1]?.length) out.push(`To: ${groups[1].join(',\r\n ')}`);
  if (groups[2]?.length) out.push(`Cc: ${groups[2].join(',\r\n ')}`);
  if (groups[3]?.length) out.push(`Bcc: ${groups[3].join(',\r\n ')}`);
  const subject = safeString(() => m.subject);
  out.push(`Subject: ${encodeWord(subject.replace(/[\r\n]+/g, ' '))}`);
  const when = m.clientSubmitTime ?? m.messageDeliveryTime;
  if (when && !Number.isNaN(when.getTime())) out.push(`Date: ${rfc5322Date(when)}`);
  const id = safeString(() => m.internetMessageId).trim();
  if (id) out.push(`Message-ID: ${id}`);
  const irt = safeString(() => m.inReplyToId).trim();
  if (irt) out.push(`In-Reply-To: ${irt}`);
  const ci = conversationIndexOf(m);
  if (ci) out.push(`Thread-Index: ${ci.toString('base64')}`);
  const topic = safeString(() => m.conversationTopic);
  if (topic) out.push(`Thread-Topic: ${encodeWord(topic.replace(/[\r\n]+/g, ' '))}`);
  return out;
}

function textPart(type: string, text: string): string {
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(text, 'utf8'))}`;
}

function attachmentName(a: PSTAttachment): string {
  return (safeString(() => a.longFilename) || safeString(() => a.filename) || safeString(() => a.displayName) || 'attachment').replace(/[\r\n"]/g, '_');
}

function attachmentPart(a: PSTAttachment, seed: string, depth: number, notes: string[]): string | null {
  const name = attachmentName(a);
  const embedded = (() => {
    try {
      return a.embeddedPSTMessage;
    } catch (err) {
      notes.push(`embedded message "${name}" could not be read: ${(err as Error).message}`);
      return null;
    }
  })();
  if (embedded) {
    if (depth >= MAX_EMBED_DEPTH) return textPart('text/plain', `[embedded message "${name}" not copied: more than ${MAX_EMBED_DEPTH} levels deep]`);
    const inner = synthesize(embedded, `${seed}/e`, depth + 1, notes);
    return `Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner.bytes.toString('utf8')}`;
  }
  const size = (() => {
    try {
      return a.filesize;
    } catch {
      return 0;
    }
  })();
  const disposition = `Content-Disposition: attachment; filename="${isAscii(name) ? name : encodeWord(name)}"`;
  if (size > MAX_ATTACHMENT_BYTES) {
    notes.push(`attachment "${name}" (${size} bytes) not copied: larger than ${MAX_ATTACHMENT_BYTES} bytes`);
    return textPart('text/plain', `[attachment "${name}" of ${size} bytes not copied into the workspace]`);
  }
  try {
    const stream = a.fileInputStream;
    if (!stream) return null;
    const buf = Buffer.alloc(stream.length.toNumber());
    stream.readCompletely(buf);
    const type = (safeString(() => a.mimeTag) || 'application/octet-stream').replace(/[\r\n;]/g, '');
    const cid = safeString(() => a.contentId).trim();
    return `Content-Type: ${type}; name="${isAscii(name) ? name : encodeWord(name)}"\r\nContent-Transfer-Encoding: base64\r\n${disposition}\r\n` +
      `${cid ? `Content-ID: <${cid.replace(/^<|>$/g, '')}>\r\n` : ''}\r\n${base64Lines(buf)}`;
  } catch (err) {
    notes.push(`attachment "${name}" could not be read: ${(err as Error).message}`);
    return textPart('text/plain', `[attachment "${name}" could not be read from the PST]`);
  }
}

function multipart(subtype: string, parts: string[], boundary: string): string {
  return `Content-Type: multipart/${subtype}; boundary="${boundary}"\r\n\r\n` +
    parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
}

/** The body and attachments as one MIME entity (its own content header fields first). */
function bodyEntity(m: PSTMessage, seed: string, depth: number, notes: string[]): string {
  const text = safeString(() => m.body);
  const html = safeString(() => m.bodyHTML);
  const alternatives: string[] = [];
  if (text) alternatives.push(textPart('text/plain', text));
  if (html) alternatives.push(textPart('text/html', html));
  if (alternatives.length === 0) {
    const rtf = safeString(() => m.bodyRTF);
    alternatives.push(rtf ? textPart('text/rtf', rtf) : textPart('text/plain', ''));
  }
  const body = alternatives.length === 1 ? alternatives[0] as string : multipart('alternative', alternatives, boundaryFor(seed, depth, 1));
  const attachments: string[] = [];
  let n = 0;
  try {
    n = m.hasAttachments ? m.numberOfAttachments : 0;
  } catch (err) {
    notes.push(`attachment table could not be read: ${(err as Error).message}`);
  }
  for (let i = 0; i < n; i++) {
    try {
      const part = attachmentPart(m.getAttachment(i), `${seed}/${i}`, depth, notes);
      if (part) attachments.push(part);
    } catch (err) {
      notes.push(`attachment ${i + 1} could not be read: ${(err as Error).message}`);
    }
  }
  return attachments.length === 0 ? body : multipart('mixed', [body, ...attachments], boundaryFor(seed, depth, 2));
}

/**
 * Builds the RFC 5322 message for one item. `seed` makes boundaries unique and stable (the item's node id).
 * Throws only when the item's own property table cannot be read (the caller quarantines the item).
 */
export function synthesize(m: PSTMessage, seed: string, depth = 0, notes: string[] = []): SynthesizedItem {
  const transport = safeString(() => m.transportMessageHeaders);
  let headers: string[];
  let origin: PstOrigin;
  const fields = transport.trim() ? headerFields(transport).filter((f) => f.name !== '') : [];
  if (fields.length > 0) {
    origin = 'pst-transport-headers';
    headers = fields.filter((f) => !CONTENT_FIELDS.has(f.name)).map((f) => f.text);
    // Exchange assigns PidTagConversationIndex to every item and server-side synchronization reads it
    // through EWS (ConversationIndex, research §8) even when the wire headers had no Thread-Index: add it.
    const ci = conversationIndexOf(m);
    if (ci && !fields.some((f) => f.name === 'thread-index')) headers.push(`Thread-Index: ${ci.toString('base64')}`);
  } else {
    origin = 'pst-mapi-properties';
    headers = mappedHeaders(m);
  }
  const body = bodyEntity(m, seed, depth, notes);
  const text = `${headers.join('\r\n')}\r\nMIME-Version: 1.0\r\n${body}`;
  return { bytes: Buffer.from(text, 'utf8'), origin, notes };
}
