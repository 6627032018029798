// Unwrapping a sink-mailbox message (seed 003): the Router works on the message a user's rule forwarded
// *as an attachment*, i.e. the first message/rfc822 part of the outer message. An inline forward keeps
// only quoted text, so the original sender, recipients, Message-ID and In-Reply-To are gone. Pure.

import type { MessageFacts } from '../engine/index.js';
import type { ForwardKind, RouterTraceStep, SinkItem } from './types.js';
import { cite } from '../sources.js';

/** Body markers mail clients write above an inline-forwarded message. */
const INLINE_MARKERS: { re: RegExp; label: string }[] = [
  { re: /^[ \t>]*-{2,}\s*Original Message\s*-{2,}/im, label: '"-----Original Message-----" separator (Outlook)' },
  { re: /^[ \t>]*-{2,}\s*Forwarded message\s*-{2,}/im, label: '"---------- Forwarded message ---------" separator (Gmail)' },
  { re: /^[ \t>]*Begin forwarded message:/im, label: '"Begin forwarded message:" (Apple Mail)' },
  { re: /^[ \t>]*-{2,}\s*(?:Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato)\s*-{2,}/im, label: 'localized forwarded-message separator' },
  { re: /^[ \t>]*From:[^\n]*\n[ \t>]*Sent:[^\n]*\n/im, label: 'quoted "From: … Sent: …" header block' },
];

/**
 * Evidence that a message body carries an inline-forwarded message. The subject alone (FW:/Fwd:) counts
 * too, because a user forwarding by hand almost always keeps it.
 */
export function detectInlineForward(subject: string, bodyText: string, forwardSubject: boolean): string[] {
  const out: string[] = [];
  if (forwardSubject) out.push(`subject starts with a forward prefix ("${subject.slice(0, 60)}")`);
  for (const m of INLINE_MARKERS) if (m.re.test(bodyText)) out.push(m.label);
  return out;
}

export interface Unwrapped {
  forward: ForwardKind;
  /** The message the Router hands to CheckIncomingEmail; null when the item cannot be processed. */
  message: MessageFacts | null;
  /** Why the item cannot be processed (it goes to Undeliverable). */
  problem: string | null;
  flags: string[];
  steps: RouterTraceStep[];
}

function who(m: MessageFacts): string {
  return `From ${m.from ?? '(none)'}, To ${m.to.join(', ') || '(none)'}${m.cc.length ? `, Cc ${m.cc.join(', ')}` : ''}`;
}

/** Decides how the item reached the sink and which message the Router works on. */
export function unwrapSinkItem(item: SinkItem, sinkAddress: string): Unwrapped {
  const o = item.outer;
  const flags: string[] = [];
  const steps: RouterTraceStep[] = [];
  if (item.attachedCount > 0) {
    flags.push('has-forwarded-message');
    if (item.attachedCount > 1) flags.push('several-attached-messages');
    if (item.innerProblem || !item.inner) {
      const problem = `the attached message cannot be read (${item.innerProblem ?? 'no readable header block'})`;
      flags.push('unreadable-attachment');
      steps.push({ stage: 'Unwrap', result: 'unreadable', detail: `The message was forwarded as an attachment, but ${problem}; the Router has no message to hand to CRM.` });
      return { forward: 'attachment', message: null, problem, flags, steps };
    }
    const inner = item.inner;
    steps.push({
      stage: 'Unwrap', result: 'attachment',
      detail: `Forwarded as an attachment by ${o.from ?? '(unknown)'}: the Router unwraps the message/rfc822 part and uses the original headers (${who(inner)}; Message-ID ${inner.messageId ?? '(none)'}; subject "${inner.subject}"). The forwarding envelope (${who(o)}) is ignored, as the ${cite('routerWhitePaper')} intends.${item.attachedCount > 1 ? ` The outer message carries ${item.attachedCount} attached messages; only the first is processed here (how the Router treated the others is not documented).` : ''}`,
      undocumented: item.attachedCount > 1 || undefined,
      data: { innerMessageId: inner.messageId, innerFrom: inner.from, innerTo: inner.to, outerFrom: o.from },
    });
    return { forward: 'attachment', message: { ...inner, key: item.key, mailbox: sinkAddress, folder: 'Inbox', order: o.order }, problem: null, flags, steps };
  }
  if (item.inlineEvidence.length > 0) {
    flags.push('inline-forward-lost-headers');
    steps.push({
      stage: 'Unwrap', result: 'inline forward',
      detail: `Forwarded inline, not as an attachment (${item.inlineEvidence.join('; ')}). Seed 003: messages "must be forwarded as attachments … This enables message header information to be retained." The original sender, recipients, Message-ID, In-Reply-To and Thread-Index are lost; the Router can only see the forward itself (${who(o)}; subject "${o.subject}").`,
      data: { evidence: item.inlineEvidence },
    });
    return { forward: 'inline', message: { ...o, key: item.key, mailbox: sinkAddress, folder: 'Inbox' }, problem: null, flags, steps };
  }
  steps.push({ stage: 'Unwrap', result: 'direct', detail: `Not a forward: the message was sent to the sink mailbox directly (${who(o)}); the Router processes it as it is.` });
  return { forward: 'direct', message: { ...o, key: item.key, mailbox: sinkAddress, folder: 'Inbox' }, problem: null, flags, steps };
}

export interface SinkItemFacts {
  /** Workspace row id or file name. */
  key: string;
  outer: MessageFacts;
  /** Facts of the message/rfc822 children of the outer message, in MIME order (workspace rows with parent_id). */
  inners: MessageFacts[];
  /** Decoded text of the outer body, for inline-forward markers (omit when unknown: the subject still counts). */
  bodyText?: string;
  /** Set when a message/rfc822 part exists but could not be parsed (the importer quarantined it). */
  innerProblem?: string | null;
  deliverFailure?: string | null;
}

/**
 * SinkItem from already-extracted facts (e.g. a workspace row and its inner rows): the pure entry for a
 * host that has facts, not bytes.
 */
export function sinkItemFromFacts(f: SinkItemFacts): SinkItem {
  const first = f.inners[0] ?? null;
  const attachedCount = f.inners.length + (f.innerProblem && f.inners.length === 0 ? 1 : 0);
  return {
    key: f.key, outer: f.outer, inner: first, attachedCount, innerProblem: first ? null : (f.innerProblem ?? null),
    inlineEvidence: attachedCount > 0 ? [] : detectInlineForward(f.outer.subject, f.bodyText ?? '', f.outer.flags.forwardSubject),
    deliverFailure: f.deliverFailure ?? null,
  };
}
