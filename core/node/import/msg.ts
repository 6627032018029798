// Outlook .msg (CFB/OLE) via @kenjiuno/msgreader. The transport headers (PidTagTransportMessageHeaders)
// carry the Internet headers when the message came from SMTP; MAPI properties fill what they lack:
// PidTagInternetMessageId, PidTagConversationIndex (→ Thread-Index), PidTagConversationTopic (→ Thread-Topic),
// subject, sender, recipients and PidTagClientSubmitTime. The result is a synthetic header block parsed by
// the same code as every other message, so facts are extracted one way only.

import MsgReaderModule from '@kenjiuno/msgreader';
import { parseMessage, type ParsedMessage } from '../../mail/facts.js';
import { checkCfb } from './cfbCheck.js';

type MsgReaderCtor = typeof MsgReaderModule;
// The package is CommonJS with a default export; under tsx/vitest the class may sit on `.default`.
const MsgReader: MsgReaderCtor = ((MsgReaderModule as unknown as { default?: MsgReaderCtor }).default ?? MsgReaderModule);

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isCfb(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && CFB_MAGIC.every((v, i) => bytes[i] === v);
}

export interface MsgRead {
  parsed: ParsedMessage;
  /** The synthetic header block that was parsed (for the inspector). */
  headerText: string;
  messageClass: string | null;
  /** Names of attached messages (embedded .msg) — not imported as linked rows yet. */
  embeddedMessages: string[];
}

function headerSafe(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').trim();
}

function encodeWord(v: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(v) ? headerSafe(v) : `=?utf-8?B?${Buffer.from(headerSafe(v), 'utf8').toString('base64')}?=`;
}

function addr(name: string | undefined, email: string | undefined): string | null {
  if (!email) return null;
  return name && name !== email ? `${encodeWord(name).replace(/"/g, "'")} <${email}>` : `<${email}>`;
}

export interface ReadMsgOptions {
  /**
   * Check the compound file's structure before msgreader reads it (default true). Only the tests of the
   * second line of defence (the worker's memory and time limits, msgParser.ts) turn it off.
   */
  checkStructure?: boolean;
}

/** Reads a .msg; throws an Error with a readable message when the file is not a usable .msg. */
export function readMsg(bytes: Uint8Array, opts: ReadMsgOptions = {}): MsgRead {
  if (!isCfb(bytes)) throw new Error('not an Outlook .msg (no compound-file signature)');
  // msgreader trusts the file's chains and sizes; a crafted file makes it loop or allocate gigabytes.
  if (opts.checkStructure !== false) checkCfb(bytes);
  let conversationIndex: Uint8Array | null = null;
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const reader = new MsgReader(ab);
  reader.parserConfig = {
    propertyObserver: (_fields, tag, raw) => {
      // PidTagConversationIndex = 0x0071, PT_BINARY (0x0102); only the top-level message's value is wanted.
      if (tag >>> 16 === 0x0071 && raw && conversationIndex === null) conversationIndex = raw.slice();
    },
  };
  const data = reader.getFileData();
  if (data.error) throw new Error(`msgreader: ${data.error}`);
  const transport = (data.headers ?? '').replace(/\r?\n/g, '\r\n').replace(/(\r\n)+$/, '');
  const probe = transport ? parseMessage(new TextEncoder().encode(transport + '\r\n\r\n')) : null;
  const has = (k: string): boolean => probe?.fields.some((f) => f.key === k) ?? false;
  const extra: string[] = [];
  const d = data as typeof data & { messageId?: string; senderSmtpAddress?: string; conversationTopic?: string; clientSubmitTime?: string; messageDeliveryTime?: string };
  if (!has('message-id') && d.messageId) extra.push(`Message-ID: ${headerSafe(d.messageId)}`);
  if (!has('subject') && data.subject !== undefined) extra.push(`Subject: ${encodeWord(data.subject)}`);
  if (!has('from')) {
    const from = addr(data.senderName, d.senderSmtpAddress ?? data.senderEmail);
    if (from) extra.push(`From: ${from}`);
  }
  for (const kind of ['to', 'cc', 'bcc'] as const) {
    if (has(kind)) continue;
    const list = (data.recipients ?? []).filter((r) => (r.recipType ?? 'to') === kind)
      .map((r) => addr(r.name, r.smtpAddress ?? r.email)).filter((x): x is string => x !== null);
    if (list.length) extra.push(`${kind === 'to' ? 'To' : kind === 'cc' ? 'Cc' : 'Bcc'}: ${list.join(', ')}`);
  }
  const when = d.clientSubmitTime ?? d.messageDeliveryTime;
  if (!has('date') && when) {
    const t = new Date(when);
    if (!Number.isNaN(t.getTime())) extra.push(`Date: ${t.toUTCString().replace('GMT', '+0000')}`);
  }
  const ci = conversationIndex as Uint8Array | null;
  if (!has('thread-index') && ci && ci.length > 0) extra.push(`Thread-Index: ${Buffer.from(ci).toString('base64')}`);
  if (!has('thread-topic') && d.conversationTopic) extra.push(`Thread-Topic: ${encodeWord(d.conversationTopic)}`);
  const cls = data.messageClass ?? null;
  if (!has('content-type') && cls) {
    // MS-OXOSMIME: IPM.Note.SMIME = opaque-signed or encrypted; IPM.Note.SMIME.MultipartSigned = clear-signed.
    if (/^IPM\.Note\.SMIME\.MultipartSigned/i.test(cls)) extra.push('Content-Type: multipart/signed; protocol="application/pkcs7-signature"');
    else if (/^IPM\.Note\.SMIME/i.test(cls)) extra.push('Content-Type: application/pkcs7-mime');
  }
  const headerText = [transport, ...extra].filter(Boolean).join('\r\n');
  const parsed = parseMessage(new TextEncoder().encode(headerText + '\r\n\r\n'));
  const embedded = (data.attachments ?? []).filter((a) => a.innerMsgContent).map((a) => a.fileName ?? a.name ?? 'attached message');
  if (embedded.length > 0) parsed.flags.hasForwardedMessage = true;
  return { parsed, headerText, messageClass: cls, embeddedMessages: embedded };
}
