// The E-mail Router sink-mailbox replay (seed 003, research §10): every message that arrived in the
// sink is unwrapped, checked (CheckIncomingEmail → ShouldDeliver + ReasonCode), delivered
// (DeliverIncomingEmail) and then deleted from the sink, or moved to its "Undeliverable" folder when it
// cannot be processed. Correlation is the era's (settings from a version preset), but never by
// In-Reply-To / ConversationIndex: that came with CRM 2013 for SSS and the Outlook client, "not the
// Email Router" (C-FKB). Pure: data in, data out; reuses the engine's resolution and correlation.

import { type Settings, CORRELATION_METHOD_CODE, type DirectoryEntry, type EntityRef, type MailboxConfig, type MessageFacts, ReplayCache, normAddress, TrackedStore, mostRecent, normMessageId, indexDirectory, resolveRecipients, resolveSender, type DirectoryIndex, type RecipientResolution, correlate, type CorrelationOutcome, FILTER_NAMES } from '../engine/index.js';
import { unwrapSinkItem } from './unwrap.js';
import { findPreset } from '../analysis/presets.js';
import {
  REASON_CODES,
  type CheckResult, type ReasonName, type RouterDecision, type RouterInput, type RouterResult, type RouterTraceStep, type SinkFate, type SinkItem,
} from './types.js';
import { cite } from '../sources.js';

/** Settings as the Router applies them: the era's, with header correlation forced off (C-FKB). */
export function routerSettings(s: Settings): Settings {
  return { ...s, IgnoreConversationIndexAndInReplyToForCorrelation: true };
}

function check(name: ReasonName, shouldDeliver: boolean): CheckResult {
  return { shouldDeliver, reasonCode: REASON_CODES[name], reasonName: name };
}

interface CheckOutcome {
  result: CheckResult;
  steps: RouterTraceStep[];
  corr: CorrelationOutcome | null;
  sender: DirectoryEntry | null;
  acceptingEntity: EntityRef | null;
}

/**
 * CheckIncomingEmail (API-CIE): from MessageId, Subject, From, To, Cc, Bcc decide whether CRM wants the
 * message. Order: duplicate, sender, internal email, correlation, then the recipients' tracking options.
 * B-2007: "no token ⇒ deleted unless some recipient accepts all; token resolves ⇒ activity created".
 */
function checkIncoming(
  m: MessageFacts, now: number, store: TrackedStore, cache: ReplayCache, s: Settings,
  dirIdx: DirectoryIndex, byOwner: ReadonlyMap<EntityRef, MailboxConfig>, forwarderRef: EntityRef | null,
): CheckOutcome {
  const steps: RouterTraceStep[] = [];
  const mid = normMessageId(m.messageId);
  const dup = mid ? mostRecent(store.byMessageId.get(mid)).winner : null;
  if (dup) {
    steps.push({ stage: 'Check', result: 'Duplicate (0)', detail: `Message-ID <${mid}> is already an e-mail activity (${dup.id}, ${dup.origin}): ShouldDeliver = false, ReasonCode 0 Duplicate. This is what happens when two users' rules forward the same message.` });
    return { result: check('Duplicate', false), steps, corr: null, sender: null, acceptingEntity: null };
  }
  steps.push({ stage: 'Check', result: 'not a duplicate', detail: `CheckIncomingEmail receives MessageId <${mid}>, Subject "${m.subject}", From ${m.from ?? '(none)'}, To ${m.to.join(', ') || '(none)'}${m.cc.length ? `, Cc ${m.cc.join(', ')}` : ''}${m.bcc.length ? `, Bcc ${m.bcc.join(', ')}` : ''}. The Message-ID is not tracked yet.` });

  if (!m.from) {
    steps.push({ stage: 'Check', result: 'InvalidSender (7)', detail: 'The message has no From address, so CRM cannot name a sender: ShouldDeliver = false, ReasonCode 7 InvalidSender.', undocumented: true });
    return { result: check('InvalidSender', false), steps, corr: null, sender: null, acceptingEntity: null };
  }
  const sender = resolveSender(m.from, dirIdx, forwarderRef ?? '', s);
  steps.push({ ...sender.step, stage: 'Check' });

  if (s.ignoreinternalemail && sender.entry && (sender.entry.kind === 'user' || sender.entry.kind === 'queue')) {
    steps.push({ stage: 'Check', result: 'InternalEmailReject (4)', detail: `The sender ${sender.entry.ref} is a CRM ${sender.entry.kind} and ignoreinternalemail is on: ShouldDeliver = false, ReasonCode 4 InternalEmailReject.`, settings: ['ignoreinternalemail'], undocumented: true });
    return { result: check('InternalEmailReject', false), steps, corr: null, sender: sender.entry, acceptingEntity: null };
  }

  const corr = correlate(m, now, store, cache, s);
  steps.push({ ...corr.step, stage: 'Check', detail: `${corr.step.detail} (The Router never correlates by In-Reply-To or ConversationIndex: that came with CRM 2013 for server-side sync and the Outlook client only: ${cite('correlationCrm2013')}.)` });

  const recipients: RecipientResolution[] = resolveRecipients(m.to, m.cc, m.bcc, dirIdx, s);
  const candidates: { ref: EntityRef; filter: MailboxConfig['filter']; why: string }[] = [];
  const seen = new Set<EntityRef>();
  const notes: string[] = [];
  for (const r of recipients) {
    if (r.field === 'bcc') continue;
    for (const e of r.entries) {
      if ((e.kind !== 'user' && e.kind !== 'queue') || seen.has(e.ref)) continue;
      const mb = byOwner.get(e.ref);
      if (!mb || !mb.incoming) { notes.push(`${e.ref} (${r.field} ${r.address}) does not receive e-mail through the Router.`); continue; }
      seen.add(e.ref);
      candidates.push({ ref: e.ref, filter: mb.filter, why: `${r.field} recipient ${r.address}` });
    }
  }
  if (corr.record) {
    // B-2007: a resolving token (from 4.0 on: any correlation) is enough to create the activity.
    const acc = candidates[0]?.ref ?? null;
    steps.push({ stage: 'Check', result: 'ShouldDeliver (2 CorrelationMatch)', detail: `${corr.method} correlation found ${corr.record.id}: ShouldDeliver = true, ReasonCode 2 CorrelationMatch ("token resolves ⇒ activity created", ${cite('outlookExperienceBlog2007')}).${acc ? ` ${acc} is the first CRM recipient.` : ' No recipient is a CRM user or queue; the activity is created on the strength of the correlation alone.'}`, data: { candidates: candidates.map((c) => ({ ref: c.ref, filter: c.filter })) } });
    return { result: check('CorrelationMatch', true), steps, corr, sender: sender.entry, acceptingEntity: acc };
  }
  const lines = [...notes];
  for (const c of candidates) {
    const f = c.filter;
    if (f === 0) {
      lines.push(`${c.ref} (${c.why}) tracks "${FILTER_NAMES[0]}".`);
      steps.push({ stage: 'Check', result: 'ShouldDeliver (6 AcceptAll)', detail: `${lines.join(' ')} ShouldDeliver = true, ReasonCode 6 AcceptAll; the activity has no Regarding because nothing correlated (${cite('trackingTokenBlog2006')}).`, data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } });
      return { result: check('AcceptAll', true), steps, corr, sender: sender.entry, acceptingEntity: c.ref };
    }
    if ((f === 2 && sender.entry && ['contact', 'account', 'lead'].includes(sender.entry.kind)) || (f === 3 && sender.entry)) {
      lines.push(`${c.ref} (${c.why}) tracks "${FILTER_NAMES[f]}" and the sender resolved to ${sender.entry?.ref}.`);
      steps.push({ stage: 'Check', result: 'ShouldDeliver (5 SenderMatch)', detail: `${lines.join(' ')} ShouldDeliver = true, ReasonCode 5 SenderMatch.`, undocumented: true, data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) } });
      return { result: check('SenderMatch', true), steps, corr, sender: sender.entry, acceptingEntity: c.ref };
    }
    lines.push(`${c.ref} (${c.why}) tracks "${FILTER_NAMES[f]}", which does not take this message.`);
  }
  const anyInResponse = candidates.some((c) => c.filter === 1);
  const name: ReasonName = anyInResponse ? 'NoCorrelationMatch' : 'NoRecipientMatch';
  if (candidates.length === 0) lines.push('No To/Cc recipient is a CRM user or queue that receives e-mail through the Router.');
  steps.push({
    stage: 'Check', result: `ShouldDeliver = false (${REASON_CODES[name]} ${name})`,
    detail: `${lines.join(' ')} ShouldDeliver = false, ReasonCode ${REASON_CODES[name]} ${name}: ${anyInResponse ? `the message answers no tracked CRM e-mail ("no token ⇒ deleted unless some recipient accepts all", ${cite('outlookExperienceBlog2007')})` : 'no CRM recipient wants it'}.`,
    data: { candidates: candidates.map((x) => ({ ref: x.ref, filter: x.filter })) },
  });
  return { result: check(name, false), steps, corr, sender: sender.entry, acceptingEntity: null };
}

function sinkStep(fate: SinkFate, reason: string | null): RouterTraceStep {
  if (fate === 'Undeliverable') return { stage: 'Sink', result: 'moved to Undeliverable', detail: `The message could not be processed (${reason}); it is moved to the sink mailbox's Undeliverable folder, where an administrator can find it (${cite('routerWhitePaper')}; ${cite('outlookExperienceBlog2007')}).` };
  if (fate === 'Delivered') return { stage: 'Sink', result: 'deleted from sink', detail: `Processed: the e-mail activity exists, so the message is deleted from the sink mailbox (${cite('routerWhitePaper')}).` };
  return { stage: 'Sink', result: 'deleted from sink', detail: `Processed: CRM did not want it, so it is deleted from the sink mailbox without an activity (${cite('outlookExperienceBlog2007')}). The user still has the original in their own mailbox and can promote it by hand (Track in CRM).` };
}

/** Order in which the sink receives the items: the outer message's arrival time, then input order. */
function arrivalOrder(items: readonly SinkItem[], cache: ReplayCache): { item: SinkItem; t: number | null }[] {
  const keyed = items.map((item) => ({ item, t: cache.time(item.outer) }));
  keyed.sort((a, b) => {
    if (a.t !== b.t) {
      if (a.t === null) return 1;
      if (b.t === null) return -1;
      return a.t - b.t;
    }
    return a.item.outer.order - b.item.outer.order;
  });
  return keyed;
}

export function replayRouter(input: RouterInput, cache: ReplayCache = new ReplayCache()): RouterResult {
  const s = routerSettings(input.settings);
  const dirIdx = indexDirectory(input.directory);
  const byOwner = new Map<EntityRef, MailboxConfig>();
  for (const b of input.mailboxes) if (!byOwner.has(b.owner)) byOwner.set(b.owner, b);
  const userByAddress = new Map<string, EntityRef>();
  for (const b of input.mailboxes) userByAddress.set(normAddress(b.address), b.owner);

  const store = new TrackedStore(s.enablesmartmatching && !s.DisableSmartMatching);
  const trackedSorted = [...input.tracked].sort((a, b) => (Date.parse(a.sentOn) || 0) - (Date.parse(b.sentOn) || 0));
  for (const t of trackedSorted) {
    const h = cache.hashes(t, s);
    store.add(t.id, Date.parse(t.sentOn) || 0, t.regarding, 'before replay', { messageId: t.messageId, tokens: cache.tokens(t, s), ciHex: null, ciBaseHex: null, subjectHashes: h.subject, addressHashes: h.address });
  }

  // A preset whose era had no sink-mailbox Router (current Dataverse) can still be replayed as a what-if;
  // every trace says so.
  const preset = findPreset(input.era);
  const noRouter = preset !== undefined && !preset.delivery.includes('router-sink');
  const decisions: RouterDecision[] = [];
  const countsByFate: RouterResult['countsByFate'] = {};
  const countsByReason: RouterResult['countsByReason'] = {};
  const sink: RouterResult['sink'] = { inbox: [], undeliverable: [], removed: [] };

  arrivalOrder(input.items, cache).forEach(({ item, t }, position) => {
    const o = item.outer;
    const forwarderRef = o.from ? userByAddress.get(normAddress(o.from)) ?? dirIdx.get(normAddress(o.from))?.find((e) => e.kind === 'user')?.ref ?? null : null;
    const trace: RouterTraceStep[] = [{
      stage: 'Receive', result: t === null ? 'no date' : 'arrived',
      detail: `Message #${position + 1} in the sink mailbox ${input.sinkAddress}${t === null ? ' (no readable Received or Date header; processed last)' : ` at ${new Date(t).toISOString()}`}, from ${o.from ?? '(unknown)'}${forwarderRef ? ` (${forwarderRef})` : ''}. The Router (era preset ${input.era}) monitors only this mailbox (${cite('routerWhitePaper')}).${noRouter ? ` Note: in the ${preset?.title ?? input.era} era mail reaches CRM through ${preset?.delivery.join(', ')}, not the sink-mailbox Router; this replay is a what-if with that era's correlation settings.` : ''}`,
    }];
    const u = unwrapSinkItem(item, input.sinkAddress);
    trace.push(...u.steps);
    const d: RouterDecision = {
      key: item.key, forward: u.forward, forwardedBy: u.forward === 'direct' ? null : o.from, forwardedByRef: u.forward === 'direct' ? null : forwarderRef,
      messageId: u.message?.messageId ?? null, subject: u.message?.subject ?? o.subject,
      check: null, delivered: false, fate: 'Undeliverable', undeliverableReason: null,
      correlationMethod: 'None', correlationMethodCode: 0, correlatedTo: null, regarding: null, acceptingEntity: null, sender: null,
      activityFrom: null, activityTo: [], flags: [...u.flags, ...(noRouter ? ['era-without-router'] : [])], trace,
    };
    const finish = (fate: SinkFate, reason: string | null = null): void => {
      d.fate = fate;
      d.undeliverableReason = reason;
      d.correlationMethodCode = CORRELATION_METHOD_CODE[d.correlationMethod];
      trace.push(sinkStep(fate, reason));
      if (fate === 'Undeliverable') sink.undeliverable.push({ key: item.key, reason: reason ?? 'unknown' });
      else sink.removed.push(item.key);
      countsByFate[fate] = (countsByFate[fate] ?? 0) + 1;
      if (d.check) countsByReason[d.check.reasonName] = (countsByReason[d.check.reasonName] ?? 0) + 1;
      decisions.push(d);
    };

    const m = u.message;
    if (!m) return finish('Undeliverable', u.problem);
    if (!normMessageId(m.messageId)) {
      trace.push({ stage: 'Check', result: 'cannot call', detail: 'The message has no Message-ID, and CheckIncomingEmail requires one (MessageId is its one required parameter, per the “CheckIncomingEmail function” reference), so the Router cannot ask CRM about it.', undocumented: true });
      d.flags.push('missing-message-id');
      return finish('Undeliverable', 'no Message-ID for CheckIncomingEmail');
    }
    if (m.flags.smimeEncrypted || m.flags.smimeOpaqueSigned) {
      d.flags.push('smime');
      trace.push({ stage: 'Check', result: 'cannot read', detail: `The ${u.forward === 'attachment' ? 'attached ' : ''}message is S/MIME ${m.flags.smimeEncrypted ? 'encrypted' : 'opaque-signed'}; its body cannot be read for DeliverIncomingEmail (“Set up server-side synchronization of email, appointments, contacts, and tasks” lists encrypted items as unsupported).`, undocumented: true });
      return finish('Undeliverable', 'S/MIME-protected message cannot be read');
    }

    const now = t ?? Number.MAX_SAFE_INTEGER;
    const c = checkIncoming(m, now, store, cache, s, dirIdx, byOwner, forwarderRef);
    trace.push(...c.steps);
    d.check = c.result;
    d.sender = c.sender?.ref ?? null;
    if (c.corr && c.result.shouldDeliver) {
      d.correlationMethod = c.corr.method;
      d.correlatedTo = c.corr.record?.id ?? null;
      d.regarding = c.corr.record?.regarding ?? null;
    } else if (c.corr?.skipped) d.correlationMethod = 'Skipped';
    d.acceptingEntity = c.acceptingEntity;
    if (!c.result.shouldDeliver) return finish('Deleted');

    // Deliver step: DeliverIncomingEmail creates the activity from the message details.
    if (item.deliverFailure) {
      trace.push({ stage: 'Deliver', result: 'failed', detail: `DeliverIncomingEmail failed: ${item.deliverFailure}. Nothing was created; a transient failure sends the message to Undeliverable (${cite('outlookExperienceBlog2007')}; a plug-in failure does the same under server-side sync: ${cite('notTrackedKb')}).` });
      d.correlationMethod = 'None';
      d.correlatedTo = null;
      d.regarding = null;
      return finish('Undeliverable', `DeliverIncomingEmail failed: ${item.deliverFailure}`);
    }
    d.delivered = true;
    d.activityFrom = m.from;
    d.activityTo = [...m.to, ...m.cc];
    const h = cache.hashes(m, s);
    store.add(item.key, now, d.regarding, 'this replay', { messageId: m.messageId, tokens: cache.tokens(m, s), ciHex: null, ciBaseHex: null, subjectHashes: h.subject, addressHashes: h.address });
    const lost = u.forward === 'inline'
      ? ` Because the message was forwarded inline, the activity records the forward, not the original: sender ${m.from ?? '(none)'} (the forwarding user), recipient ${m.to.join(', ')} (the sink), Message-ID of the forward, received time of the forward. The customer is not a party of the activity.`
      : '';
    trace.push({
      stage: 'Deliver', result: 'created',
      detail: `DeliverIncomingEmail created e-mail activity ${item.key}: From ${m.from}, To ${m.to.join(', ') || '(none)'}${m.cc.length ? `, Cc ${m.cc.join(', ')}` : ''}; SubmittedBy ${o.from ?? '(unknown)'}; ReceivedOn ${m.received ?? m.date ?? '(unknown)'}; correlation ${d.correlationMethod}${d.correlatedTo ? ` to ${d.correlatedTo}` : ''}; Regarding ${d.regarding ?? '(none)'}.${lost}`,
      data: { activityFrom: d.activityFrom, activityTo: d.activityTo, submittedBy: o.from },
    });
    finish('Delivered');
  });
  return { era: input.era, decisions, sink, countsByFate, countsByReason };
}

/** The sink mailbox as an administrator would see it after the first `n` processed messages. */
export function sinkViewAfter(result: RouterResult, n: number): RouterResult['sink'] {
  const done = result.decisions.slice(0, Math.max(0, n));
  return {
    inbox: result.decisions.slice(Math.max(0, n)).map((d) => d.key),
    undeliverable: done.filter((d) => d.fate === 'Undeliverable').map((d) => ({ key: d.key, reason: d.undeliverableReason ?? 'unknown' })),
    removed: done.filter((d) => d.fate !== 'Undeliverable').map((d) => d.key),
  };
}
