// Raw bytes of a message found in the sink mailbox → SinkItem: the outer facts, the facts of its first
// message/rfc822 part (decoded from base64 / quoted-printable when the part was encoded), and the
// inline-forward evidence of its body. Pure (bytes in, data out); never throws on malformed mail.

import { parseMessage, toFacts } from '../mail/facts.js';
import { getHeader } from '../mail/headers.js';
import { decodeBase64, decodeQuotedPrintable, toBinaryString } from '../mail/bytes.js';
import { detectInlineForward } from './unwrap.js';
import type { SinkItem } from './types.js';

export interface SinkItemContext {
  key: string;
  /** Position in the input, for stable ordering of ties. */
  order: number;
  sinkAddress: string;
  deliverFailure?: string | null;
}

function decodePart(bytes: Uint8Array, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase();
  if (enc === 'base64') return decodeBase64(toBinaryString(bytes));
  if (enc === 'quoted-printable') return decodeQuotedPrintable(toBinaryString(bytes), false);
  return bytes;
}

/**
 * The outer body as text, for the inline-forward markers. A single-part body is decoded by its
 * Content-Transfer-Encoding; a multipart body is scanned as it is (text parts are usually 7bit or
 * quoted-printable, where the short markers survive).
 */
export function outerBodyText(raw: Uint8Array, bodyOffset: number, contentTransferEncoding: string | null): string {
  const body = raw.subarray(bodyOffset);
  const enc = (contentTransferEncoding ?? '7bit').trim().toLowerCase();
  return toBinaryString(enc === 'base64' || enc === 'quoted-printable' ? decodePart(body, enc) : body);
}

export function sinkItemFromBytes(raw: Uint8Array, ctx: SinkItemContext): SinkItem {
  const p = parseMessage(raw, { decodeThreadIndex: false });
  const outer = toFacts(p, { key: ctx.key, mailbox: ctx.sinkAddress, folder: 'Inbox', order: ctx.order });
  let inner = null;
  let innerProblem: string | null = null;
  const first = p.inner[0];
  if (first) {
    const bytes = decodePart(raw.subarray(first.offset, first.offset + first.length), first.encoding);
    const ip = parseMessage(bytes, { decodeThreadIndex: false });
    if (ip.fields.length === 0) innerProblem = 'the message/rfc822 part has no header block';
    else if (!ip.from && !ip.messageId && !ip.subject) innerProblem = 'the message/rfc822 part has neither From, Message-ID nor Subject';
    else inner = toFacts(ip, { key: ctx.key, mailbox: ctx.sinkAddress, folder: 'Inbox', order: ctx.order });
  }
  const bodyText = first ? '' : outerBodyText(raw, p.bodyOffset, getHeader(p.fields, 'content-transfer-encoding'));
  return {
    key: ctx.key, outer, inner, attachedCount: p.inner.length, innerProblem,
    inlineEvidence: first ? [] : detectInlineForward(p.subject, bodyText, p.flags.forwardSubject),
    deliverFailure: ctx.deliverFailure ?? null,
  };
}
