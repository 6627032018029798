// Flags that describe a message without changing how it is parsed: auto-reply (research §7),
// PEC (§9.2), S/MIME (§9.3) and forward subjects (SIMULATOR §3 DoNotCorrelateForwardedEmailsAsReplies).

import { stripComments } from './headers.js';
import type { ContentType } from './mime.js';

export interface AutoReplyInput {
  autoSubmitted: string | null;
  precedence: string | null;
  xAutoreply: string | null;
  xAutorespond: string | null;
  xAutoresponder: string | null;
  xAppleAction: string | null;
  subject: string;
}

/** Auto-reply subject prefixes from research §7 (sisimai heuristics) plus Exchange's "Automatic reply:". */
const AUTO_SUBJECT = /^\s*(auto:|auto response:|automatic reply:|autoreply:|out of office:|out of the office:|out of office autoreply:)/i;

/**
 * Reasons a message counts as an auto-reply; empty when it does not. SIMULATOR §6: Auto-Submitted other
 * than `no`, X-Autoreply, X-Autorespond, Precedence: auto_reply, X-Apple-Action: vacation, subject prefixes.
 * X-Auto-Response-Suppress is deliberately NOT a marker: it asks others not to auto-reply (research §7).
 */
export function autoReplyReasons(h: AutoReplyInput): string[] {
  const reasons: string[] = [];
  // RFC 3834 §5: the value is a keyword with optional parameters and CFWS, so "no (sent by a person)" is "no".
  const as = h.autoSubmitted === null ? undefined : stripComments(h.autoSubmitted).split(';')[0]?.trim().toLowerCase();
  if (as && as !== 'no') reasons.push(`Auto-Submitted: ${as}`);
  if (h.precedence && /^\s*auto[_-]reply\b/i.test(h.precedence)) reasons.push(`Precedence: ${h.precedence.trim()}`);
  if (h.xAutoreply !== null) reasons.push(`X-Autoreply: ${h.xAutoreply.trim()}`);
  if (h.xAutorespond !== null) reasons.push(`X-Autorespond: ${h.xAutorespond.trim()}`);
  if (h.xAutoresponder !== null) reasons.push(`X-Autoresponder: ${h.xAutoresponder.trim()}`);
  if (h.xAppleAction && /vacation/i.test(h.xAppleAction)) reasons.push(`X-Apple-Action: ${h.xAppleAction.trim()}`);
  const m = AUTO_SUBJECT.exec(h.subject);
  if (m) reasons.push(`subject starts with "${(m[1] as string).trim()}"`);
  return reasons;
}

/** Reply/forward prefixes in several languages (Outlook localises them: R:/I: in Italian, AW:/WG: in German …). */
const REPLY_PREFIX = /^\s*(re|r|aw|sv|vs|antw|odp|ynt|res|rif|ref|回复|答复)\s*(\[\d+\])?\s*:\s*/i;
const FORWARD_PREFIX = /^\s*(fw|fwd|wg|tr|i|enc|rv|doorst|fs|pd|转发)\s*(\[\d+\])?\s*:\s*/i;

/**
 * True when the subject is a forward: after any reply prefixes, it starts with FW:/Fwd: (or a localised
 * forward prefix). "Re: Fwd: x" is a reply to a forward, so only the outermost non-reply prefix counts.
 */
export function isForwardSubject(subject: string): boolean {
  let s = subject;
  for (let i = 0; i < 10; i++) {
    if (FORWARD_PREFIX.test(s)) return true;
    const m = REPLY_PREFIX.exec(s);
    if (!m) return false;
    s = s.slice(m[0].length);
  }
  return false;
}

export interface SmimeFlags {
  encrypted: boolean;
  opaqueSigned: boolean;
  signed: boolean;
  /** smime-type parameter (or inferred) for the inspector. */
  smimeType: string | null;
}

/** The CMS content types an S/MIME body can carry (RFC 5652 §5.1, §6.1; RFC 5083; RFC 3274). */
export type CmsContentType = 'signed-data' | 'enveloped-data' | 'authenveloped-data' | 'compressed-data';

/** OID bodies (the bytes after the 06 tag and length) of the CMS content types under 1.2.840.113549.1. */
const CMS_OIDS: ReadonlyArray<[CmsContentType, readonly number[]]> = [
  ['signed-data', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]], // 1.2.840.113549.1.7.2
  ['enveloped-data', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]], // 1.2.840.113549.1.7.3
  ['authenveloped-data', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17]], // 1.2.840.113549.1.9.16.1.23
  ['compressed-data', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x09]], // 1.2.840.113549.1.9.16.1.9
];

/**
 * The content type of a CMS ContentInfo (`SEQUENCE { contentType OBJECT IDENTIFIER, [0] content }`) from
 * its first bytes (BER or DER: definite or indefinite outer length). Null when the bytes are not one.
 */
export function cmsContentType(der: Uint8Array): CmsContentType | null {
  if (der[0] !== 0x30) return null;
  const len = der[1];
  if (len === undefined) return null;
  // Short form, indefinite (0x80), or long form with 1–4 length bytes.
  let p = 2;
  if (len > 0x80) {
    if (len > 0x84) return null;
    p += len - 0x80;
  }
  if (der[p] !== 0x06) return null;
  const oidLen = der[p + 1] as number;
  const oid = der.subarray(p + 2, p + 2 + oidLen);
  if (oid.length !== oidLen) return null;
  for (const [name, bytes] of CMS_OIDS) {
    if (bytes.length === oid.length && bytes.every((b, i) => oid[i] === b)) return name;
  }
  return null;
}

/**
 * S/MIME from the top-level Content-Type (research §9.3; legacy x-pkcs7 types accepted). `cms` is the
 * start of the decoded body: without an smime-type parameter (legacy senders), RFC 8551 §3.2.2 has the
 * receiver look at the CMS content type, so signedData is opaque-signed and envelopedData encrypted.
 */
export function smimeFlags(ct: ContentType, cms: Uint8Array | null = null): SmimeFlags {
  const t = ct.mimeType;
  const declared = ct.params['smime-type']?.toLowerCase() ?? null;
  if (t === 'application/pkcs7-mime' || t === 'application/x-pkcs7-mime') {
    // Inferred types are shown as such, so the inspector never passes a guess off as a header value.
    const inferred = declared === null && cms ? cmsContentType(cms) : null;
    const smimeType = declared ?? (inferred ? `${inferred} (read from the CMS content; no smime-type parameter)` : null);
    const kind = declared ?? inferred;
    // Neither a parameter nor a readable CMS header: counted as encrypted (the common case for legacy
    // senders), with smimeType null saying it is a default.
    const encrypted = kind === null || kind === 'enveloped-data' || kind === 'authenveloped-data';
    const opaqueSigned = kind === 'signed-data';
    return { encrypted, opaqueSigned, signed: false, smimeType };
  }
  if (t === 'multipart/signed') {
    const protocol = ct.params.protocol?.toLowerCase() ?? '';
    const signed = protocol === 'application/pkcs7-signature' || protocol === 'application/x-pkcs7-signature';
    return { encrypted: false, opaqueSigned: false, signed, smimeType: declared };
  }
  return { encrypted: false, opaqueSigned: false, signed: false, smimeType: declared };
}

export type PecKind = 'envelope' | 'anomaly' | 'receipt' | null;

/** PEC per research §9.2: X-Trasporto (posta-certificata / errore) is an envelope, X-Ricevuta a receipt. */
export function pecKind(xTrasporto: string | null, xRicevuta: string | null): PecKind {
  if (xTrasporto !== null) return xTrasporto.trim().toLowerCase() === 'errore' ? 'anomaly' : 'envelope';
  if (xRicevuta !== null) return 'receipt';
  return null;
}
