// The main entry of the mail core: raw message bytes in, the facts correlation needs out.
// `parseMessage` gives the rich view (every header, decoded Thread-Index, structure, defects) used by the
// workspace and the inspector; `extractFacts` projects it to the engine's MessageFacts.

import type { MessageFacts, MessageFlags } from '../engine/index.js';
import { parseAddressList, type Address } from './addresses.js';
import { autoReplyReasons, isForwardSubject, pecKind, smimeFlags, type PecKind } from './classify.js';
import { parseDate, parseReceivedDate } from './dates.js';
import { getAllHeaders, getHeader, parseMsgId, parseMsgIdList, splitHeaderBlock, type HeaderField } from './headers.js';
import { parseContentType, scanStructure, type ContentType, type InnerMessageRef } from './mime.js';
import { decodeWords, decodeWordsChecked } from './rfc2047.js';
import { decodeThreadIndex, threadIndexProblems, type DecodedThreadIndex } from './threadIndex.js';
import { decodeBase64, toBinaryString } from './bytes.js';

/** Headers copied verbatim into MessageFacts.headers (lower-cased names), when present. */
export const SELECTED_HEADERS = [
  'auto-submitted', 'x-auto-response-suppress', 'precedence', 'x-autoreply', 'x-autorespond', 'x-autoresponder',
  'x-apple-action', 'reply-to', 'content-type', 'x-trasporto', 'x-ricevuta', 'x-riferimento-message-id',
  'x-tiporicevuta', 'thread-index', 'thread-topic', 'return-path',
] as const;

/** More recipients than this in one header is reported: it is a list explosion or a bomb, not correspondence. */
const MANY_ADDRESSES = 1000;

export interface ParsedMessage {
  fields: HeaderField[];
  bodyOffset: number;
  messageId: string | null;
  /** Raw Message-ID header value, when present but unreadable as an id. */
  rawMessageId: string | null;
  inReplyTo: string | null;
  /** Every In-Reply-To id in order (SIMULATOR §8 point 15 chooses among them). */
  inReplyToAll: string[];
  references: string[];
  subject: string;
  from: Address | null;
  /** All From mailboxes (RFC 5322 allows several; the first is used as sender). */
  fromAll: Address[];
  sender: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  dateRaw: string | null;
  date: string | null;
  receivedRaw: string | null;
  received: string | null;
  /** Every Received date that parses, topmost first (SIMULATOR §8 point 2). */
  receivedAll: string[];
  threadIndex: string | null;
  /** The Thread-Index bytes (base64-decoded), compared byte-wise by correlation (SIMULATOR §3). */
  threadIndexBytes: Uint8Array | null;
  /** Full decode (times, GUID, children); null when absent or when parsed with `decodeThreadIndex: false`. */
  threadIndexDecoded: DecodedThreadIndex | null;
  threadTopic: string | null;
  contentType: ContentType;
  contentTypeRaw: string | null;
  smimeType: string | null;
  protocol: string | null;
  pec: PecKind;
  inner: InnerMessageRef[];
  mimeTypes: string[];
  headers: Record<string, string>;
  flags: MessageFlags;
  defects: string[];
}

export interface ParseOptions {
  /** Decode Thread-Index times and children (default true; the importer skips it for speed). */
  decodeThreadIndex?: boolean;
}

export function parseMessage(raw: Uint8Array, opts: ParseOptions = {}): ParsedMessage {
  const block = splitHeaderBlock(raw);
  const fields = block.fields;
  const h = (k: string): string | null => getHeader(fields, k);
  const defects = [...block.defects];

  const rawMessageId = h('message-id');
  const messageId = parseMsgId(rawMessageId);
  if (rawMessageId === null) defects.push('no Message-ID header');
  else if (messageId === null) defects.push(`Message-ID is not an id: ${JSON.stringify(rawMessageId.slice(0, 80))}`);

  const subjectDecoded = decodeWordsChecked(h('subject') ?? '');
  for (const p of subjectDecoded.problems) defects.push(`Subject: ${p}`);
  const subject = subjectDecoded.text.replace(/[\r\n]+/g, '');
  const fromAll = parseAddressList(h('from'));
  const dateRaw = h('date');
  const date = parseDate(dateRaw);
  if (dateRaw === null) defects.push('no Date header');
  else if (date.bad) defects.push(`unreadable Date: ${JSON.stringify(dateRaw.slice(0, 80))}`);

  // The newest Received header is the top-most one (each hop prepends).
  const receivedAll = getAllHeaders(fields, 'received');
  let receivedRaw: string | null = null;
  let received: string | null = null;
  for (const r of receivedAll) {
    const d = parseReceivedDate(r);
    if (d.iso) {
      receivedRaw = r;
      received = d.iso;
      break;
    }
  }

  const threadIndex = h('thread-index')?.replace(/\s+/g, '') ?? null;
  const threadIndexBytes = threadIndex ? decodeBase64(threadIndex) : null;
  const threadIndexDecoded = threadIndex && opts.decodeThreadIndex !== false ? decodeThreadIndex(threadIndex, date.iso) : null;
  const tiProblems = threadIndex && threadIndexBytes ? threadIndexProblems(threadIndex, threadIndexBytes) : [];
  if (tiProblems.length > 0) defects.push(`Thread-Index: ${tiProblems.join('; ')}`);

  const contentTypeRaw = h('content-type');
  const contentType = parseContentType(contentTypeRaw);
  if (contentTypeRaw !== null && contentType.defaulted) defects.push(`unreadable Content-Type: ${JSON.stringify(contentTypeRaw.slice(0, 80))}`);
  const structure = scanStructure(raw, contentType, block.bodyOffset, h('content-transfer-encoding') ?? '7bit');
  const declaredLength = h('content-length');
  if (declaredLength !== null) {
    // Content-Length (mbox writers, RFC 1049-era tools) is never trusted to split mail; a value that lies is reported.
    // Two bytes of slack: mbox storage may drop or add the final line end.
    const bodyBytes = raw.length - block.bodyOffset;
    const n = /^\d{1,15}$/.test(declaredLength.trim()) ? Number(declaredLength.trim()) : NaN;
    if (Number.isNaN(n)) defects.push(`Content-Length is not a number: ${JSON.stringify(declaredLength.slice(0, 40))}`);
    else if (Math.abs(n - bodyBytes) > 2) defects.push(`Content-Length says ${n} bytes but the body is ${bodyBytes} bytes`);
  }
  defects.push(...structure.defects);
  const smime = smimeFlags(contentType, smimeBodyStart(raw, contentType, block.bodyOffset, h('content-transfer-encoding')));
  const pec = pecKind(h('x-trasporto'), h('x-ricevuta'));

  const reasons = autoReplyReasons({
    autoSubmitted: h('auto-submitted'),
    precedence: h('precedence'),
    xAutoreply: h('x-autoreply'),
    xAutorespond: h('x-autorespond'),
    xAutoresponder: h('x-autoresponder'),
    xAppleAction: h('x-apple-action'),
    subject,
  });

  const headers: Record<string, string> = {};
  for (const k of SELECTED_HEADERS) {
    const v = h(k);
    if (v !== null) headers[k] = v;
  }

  const flags: MessageFlags = {
    pec: pec === 'envelope' || pec === 'anomaly',
    pecReceipt: pec === 'receipt',
    smimeEncrypted: smime.encrypted,
    smimeOpaqueSigned: smime.opaqueSigned,
    smimeSigned: smime.signed,
    autoReply: reasons.length > 0,
    autoReplyReasons: reasons,
    hasForwardedMessage: structure.inner.length > 0,
    forwardSubject: isForwardSubject(subject),
    badDate: date.bad,
    missingMessageId: messageId === null,
  };

  const to = parseAddressList(joinAll(fields, 'to'));
  const cc = parseAddressList(joinAll(fields, 'cc'));
  const bcc = parseAddressList(joinAll(fields, 'bcc'));
  for (const [name, list] of [['To', to], ['Cc', cc], ['Bcc', bcc]] as const) {
    if (list.length > MANY_ADDRESSES) defects.push(`${name} lists ${list.length} addresses (more than ${MANY_ADDRESSES})`);
  }
  const irt = parseMsgIdList(h('in-reply-to'));
  return {
    fields,
    bodyOffset: block.bodyOffset,
    messageId,
    rawMessageId,
    // In-Reply-To may list several ids (RFC 5322 §3.6.4); the last is the direct parent by convention.
    inReplyTo: irt.length > 0 ? (irt[irt.length - 1] as string) : null,
    inReplyToAll: irt,
    references: parseMsgIdList(h('references')),
    subject,
    from: fromAll[0] ?? null,
    fromAll,
    sender: parseAddressList(h('sender'))[0] ?? null,
    to,
    cc,
    bcc,
    replyTo: parseAddressList(h('reply-to')),
    dateRaw,
    date: date.iso,
    receivedRaw,
    received,
    receivedAll: receivedAll.map((r) => parseReceivedDate(r).iso).filter((x): x is string => typeof x === 'string'),
    threadIndex,
    threadIndexBytes,
    threadIndexDecoded,
    threadTopic: h('thread-topic') === null ? null : decodeWords(h('thread-topic') as string),
    contentType,
    contentTypeRaw,
    smimeType: smime.smimeType,
    protocol: contentType.params.protocol ?? null,
    pec,
    inner: structure.inner,
    mimeTypes: structure.types,
    headers,
    flags,
    defects,
  };
}

/**
 * The first decoded bytes of an application/(x-)pkcs7-mime body without smime-type: enough to read the CMS
 * content type (a few dozen bytes; 4 KB of base64 covers any line layout). Null for other messages.
 */
function smimeBodyStart(raw: Uint8Array, ct: ContentType, bodyOffset: number, cte: string | null): Uint8Array | null {
  if ((ct.mimeType !== 'application/pkcs7-mime' && ct.mimeType !== 'application/x-pkcs7-mime') || ct.params['smime-type'] !== undefined) return null;
  const head = raw.subarray(bodyOffset, Math.min(raw.length, bodyOffset + 4096));
  const enc = (cte ?? '').trim().toLowerCase();
  if (enc !== 'base64') return head;
  // Whitespace and line ends dropped; a group cut at the 4 KB mark only loses its incomplete last byte.
  return decodeBase64(toBinaryString(head).replace(/[^A-Za-z0-9+/=]/g, ''));
}

/** Several To/Cc headers occur in broken mail; all their addresses count. */
function joinAll(fields: readonly HeaderField[], key: string): string | null {
  const all = getAllHeaders(fields, key);
  return all.length === 0 ? null : all.join(', ');
}

export interface FactsContext {
  key: string;
  mailbox: string;
  folder: string;
  order: number;
}

/** Projects a parsed message to the engine's MessageFacts. */
export function toFacts(p: ParsedMessage, ctx: FactsContext): MessageFacts {
  return {
    key: ctx.key,
    mailbox: ctx.mailbox,
    folder: ctx.folder,
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    subject: p.subject,
    from: p.from?.address ?? null,
    to: p.to.map((a) => a.address),
    cc: p.cc.map((a) => a.address),
    bcc: p.bcc.map((a) => a.address),
    replyTo: p.replyTo.map((a) => a.address),
    date: p.date,
    received: p.received,
    // Only when there is a choice to make: facts stay small for the usual one id / one date.
    ...(p.inReplyToAll.length > 1 ? { inReplyToAll: p.inReplyToAll } : {}),
    ...(p.receivedAll.length > 1 ? { receivedAll: p.receivedAll } : {}),
    threadIndex: p.threadIndex,
    threadTopic: p.threadTopic,
    headers: p.headers,
    flags: p.flags,
    order: ctx.order,
  };
}

/** Raw message bytes → MessageFacts. Never throws on malformed input (defects are in parseMessage). */
export function extractFacts(raw: Uint8Array, ctx: FactsContext): MessageFacts {
  return toFacts(parseMessage(raw), ctx);
}
