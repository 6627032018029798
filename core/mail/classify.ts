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

/** S/MIME from the top-level Content-Type (research §9.3; legacy x-pkcs7 types accepted). */
export function smimeFlags(ct: ContentType): SmimeFlags {
  const t = ct.mimeType;
  const smimeType = ct.params['smime-type']?.toLowerCase() ?? null;
  if (t === 'application/pkcs7-mime' || t === 'application/x-pkcs7-mime') {
    // No smime-type: RFC 8551 receivers must inspect the CMS; we count it as encrypted (the common
    // case for legacy senders) and say so via smimeType null.
    const encrypted = smimeType === null || smimeType === 'enveloped-data' || smimeType === 'authenveloped-data';
    const opaqueSigned = smimeType === 'signed-data';
    return { encrypted, opaqueSigned, signed: false, smimeType };
  }
  if (t === 'multipart/signed') {
    const protocol = ct.params.protocol?.toLowerCase() ?? '';
    const signed = protocol === 'application/pkcs7-signature' || protocol === 'application/x-pkcs7-signature';
    return { encrypted: false, opaqueSigned: false, signed, smimeType };
  }
  return { encrypted: false, opaqueSigned: false, signed: false, smimeType };
}

export type PecKind = 'envelope' | 'anomaly' | 'receipt' | null;

/** PEC per research §9.2: X-Trasporto (posta-certificata / errore) is an envelope, X-Ricevuta a receipt. */
export function pecKind(xTrasporto: string | null, xRicevuta: string | null): PecKind {
  if (xTrasporto !== null) return xTrasporto.trim().toLowerCase() === 'errore' ? 'anomaly' : 'envelope';
  if (xRicevuta !== null) return 'receipt';
  return null;
}
