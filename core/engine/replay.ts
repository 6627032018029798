// The replay: every message, in processing order, through stages 1–8 of SIMULATOR §2. Pure.

import type { Settings } from './settings.js';
import {
  CORRELATION_METHOD_CODE, TRACKED_OUTCOMES,
  type CorrelationMethod, type Decision, type MailboxConfig, type MessageFacts, type Outcome, type ReplayInput, type ReplayResult, type TraceStep, type TrackedFolder,
} from './types.js';
import { ReplayCache } from './internal.js';
import { normAddress, processingOrder } from './order.js';
import { TrackedStore, normMessageId, mostRecent } from './trackedStore.js';
import { indexDirectory, resolveRecipients, resolveSender } from './resolve.js';
import { accept, mailboxesByOwner } from './accept.js';
import { correlate } from './correlate.js';

export { ReplayCache } from './internal.js';

function folderKey(f: string): string {
  return f.trim().replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
}

function messageFlags(m: MessageFacts): string[] {
  const f = m.flags;
  const out: string[] = [];
  if (f.autoReply) out.push('auto-reply');
  if (f.pec) out.push('pec');
  if (f.pecReceipt) out.push('pec-receipt');
  if (f.smimeEncrypted || f.smimeOpaqueSigned || f.smimeSigned) out.push('smime');
  if (f.smimeEncrypted) out.push('smime-encrypted');
  if (f.smimeOpaqueSigned) out.push('smime-opaque-signed');
  if (f.smimeSigned) out.push('smime-signed');
  if (f.hasForwardedMessage) out.push('forwarded-attachment');
  if (f.forwardSubject) out.push('forward');
  if (f.badDate) out.push('bad-date');
  if (f.missingMessageId) out.push('no-message-id');
  return out;
}

function internetMessageHeaders(m: MessageFacts): Record<string, string> | null {
  const out: Record<string, string> = {};
  const as = m.headers['auto-submitted'];
  const rt = m.headers['reply-to'];
  if (as !== undefined) out['Auto-Submitted'] = as;
  if (rt !== undefined) out['Reply-To'] = rt;
  return Object.keys(out).length ? out : null;
}

/**
 * Replays the messages against the settings. Pass the same `cache` to a later call over the same
 * MessageFacts objects (e.g. after a settings change) to reuse derived data that does not depend on
 * the changed settings.
 */
export function replay(input: ReplayInput, cache: ReplayCache = new ReplayCache()): ReplayResult {
  const s: Settings = input.settings;
  const dirIdx = indexDirectory(input.directory);
  const byOwner = mailboxesByOwner(input.mailboxes);
  const mbxByAddr = new Map<string, MailboxConfig>();
  for (const b of input.mailboxes) if (!mbxByAddr.has(normAddress(b.address))) mbxByAddr.set(normAddress(b.address), b);

  const store = new TrackedStore(s.enablesmartmatching && !s.DisableSmartMatching);
  const trackedSorted = [...input.tracked].sort((a, b) => (Date.parse(a.sentOn) || 0) - (Date.parse(b.sentOn) || 0));
  for (const t of trackedSorted) {
    const ci = cache.ci(t);
    const h = cache.hashes(t, s);
    store.add(t.id, Date.parse(t.sentOn) || 0, t.regarding, 'before replay', {
      messageId: t.messageId, tokens: cache.tokens(t, s), ciHex: ci.hex, ciBaseHex: ci.baseHex, subjectHashes: h.subject, addressHashes: h.address,
    });
  }

  const times = new Map<MessageFacts, number | null>();
  for (const m of input.messages) times.set(m, cache.time(m));
  const ordered = processingOrder(input.messages, input.mailboxes, times);
  const decisions: Decision[] = [];
  const countsByOutcome: Partial<Record<Outcome, number>> = {};
  const countsByMethod: Partial<Record<CorrelationMethod, number>> = {};
  const allOff = !(s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation) && !s.usetrackingtokens && !(s.enablesmartmatching && !s.DisableSmartMatching);

  ordered.forEach((m, position) => {
    const trace: TraceStep[] = [];
    const time = times.get(m) ?? null;
    const now = time ?? Number.MAX_SAFE_INTEGER;
    const mailbox = mbxByAddr.get(normAddress(m.mailbox)) ?? null;
    const d: Decision = {
      key: m.key, outcome: 'NotInTrackedFolder', tracked: false, correlationMethod: allOff ? 'Skipped' : 'None', correlationMethodCode: 0,
      correlatedTo: null, parent: null, regarding: null, acceptingEntity: null, receivingMailbox: null, sender: null,
      tokenParts: s.usetrackingtokens ? cache.tokenParts(m, s) : [],
      subjectHashes: [], addressHashes: [], flags: messageFlags(m), internetMessageHeaders: null, trace,
    };
    const finish = (outcome: Outcome): void => {
      d.outcome = outcome;
      d.tracked = TRACKED_OUTCOMES.includes(outcome);
      d.correlationMethodCode = CORRELATION_METHOD_CODE[d.correlationMethod];
      countsByOutcome[outcome] = (countsByOutcome[outcome] ?? 0) + 1;
      countsByMethod[d.correlationMethod] = (countsByMethod[d.correlationMethod] ?? 0) + 1;
      decisions.push(d);
    };
    trace.push({
      stage: 'Order', result: time === null ? 'no date' : 'placed',
      detail: time === null
        ? `Processed as #${position + 1}: neither a Received header nor a Date header could be read, so it is processed after every dated message.`
        : `Processed as #${position + 1} at ${new Date(time).toISOString()} (${m.received ? 'newest Received header' : 'Date header; no Received header'}).`,
    });

    // Stage 1 — folder.
    if (!mailbox) {
      trace.push({ stage: 'Folder', result: 'stopped', detail: `Mailbox ${m.mailbox} is not configured, so it is not synchronized and nothing in it is evaluated.` });
      return finish('NotInTrackedFolder');
    }
    const fk = folderKey(m.folder);
    const folderTracking: TrackedFolder | undefined = mailbox.trackedFolders.find((f) => folderKey(f.folder) === fk);
    let folderLevel = false;
    if (folderTracking) {
      folderLevel = true;
      trace.push({ stage: 'Folder', result: 'folder-level tracking', detail: `Folder ${m.folder} is under folder-level tracking${folderTracking.regarding ? ` with Regarding ${folderTracking.regarding}` : ''}: the message is tracked whatever the filtering method, skips acceptance, and has no Accepting Entity.` });
    } else if (fk === 'inbox') {
      trace.push({ stage: 'Folder', result: 'passed', detail: 'The message is in the Inbox root, which is evaluated for automatic tracking.' });
    } else if (fk === 'sent items' && s.AutoTrackSentFolderItems) {
      trace.push({ stage: 'Folder', result: 'passed', detail: 'Sent Items is evaluated because AutoTrackSentFolderItems is on (using the incoming filtering method).', settings: ['AutoTrackSentFolderItems'] });
    } else {
      const why = fk === 'sent items'
        ? 'Sent Items is not evaluated unless AutoTrackSentFolderItems is on.'
        : fk.startsWith('inbox/')
          ? 'Only the Inbox root is evaluated; a subfolder is processed only under folder-level tracking (moving the message back to the Inbox later does not help).'
          : 'Only the Inbox root, folder-level-tracked folders and (with AutoTrackSentFolderItems) Sent Items are evaluated.';
      trace.push({ stage: 'Folder', result: 'stopped', detail: `Folder ${m.folder}: ${why}`, settings: fk === 'sent items' ? ['AutoTrackSentFolderItems'] : [] });
      return finish('NotInTrackedFolder');
    }

    // Stage 2 — Process Emails From.
    const pef = mailbox.processEmailsFrom ? Date.parse(mailbox.processEmailsFrom) : NaN;
    if (!Number.isNaN(pef) && time !== null && time < pef) {
      trace.push({ stage: 'StartDate', result: 'stopped', detail: `Received ${new Date(time).toISOString()}, before the mailbox's Process Emails From ${new Date(pef).toISOString()}.` });
      return finish('BeforeProcessEmailsFrom');
    }
    trace.push({ stage: 'StartDate', result: 'passed', detail: Number.isNaN(pef) ? 'The mailbox has no Process Emails From date.' : time === null ? 'The message has no usable date; Process Emails From cannot exclude it.' : `Received on or after Process Emails From ${new Date(pef).toISOString()}.` });

    // Stage 3 — format.
    if (m.flags.pec || m.flags.pecReceipt) {
      trace.push({ stage: 'Format', result: 'stopped', detail: `This is a PEC ${m.flags.pec ? 'transport envelope' : 'receipt'}; SSS cannot read the original message inside it (KB 4490718). Workaround: forward the inner message unwrapped.` });
      return finish('UnsupportedPec');
    }
    if (m.flags.smimeEncrypted || m.flags.smimeOpaqueSigned) {
      trace.push({ stage: 'Format', result: 'stopped', detail: `The message is S/MIME ${m.flags.smimeEncrypted ? 'encrypted' : 'opaque-signed'} (application/pkcs7-mime); SSS cannot read it.` });
      return finish('UnsupportedEncrypted');
    }
    trace.push({ stage: 'Format', result: 'passed', detail: m.flags.smimeSigned ? 'Clear-signed S/MIME (multipart/signed) is readable.' : 'Readable message format.' });

    // Stage 4 — duplicate.
    const mid = normMessageId(m.messageId);
    const dup = mid ? mostRecent(store.byMessageId.get(mid)).winner : null;
    if (dup) {
      trace.push({ stage: 'Duplicate', result: 'stopped', detail: `Message-ID <${mid}> is already tracked as ${dup.id} (${dup.origin}); no second activity is created.` });
      return finish('Duplicate');
    }
    trace.push({ stage: 'Duplicate', result: 'passed', detail: mid ? `Message-ID <${mid}> is not tracked yet.` : 'The message has no Message-ID, so it cannot be recognised as a duplicate.' });

    // Stage 5 — resolve.
    const sender = resolveSender(m.from, dirIdx, mailbox.owner, s);
    d.sender = sender.entry?.ref ?? null;
    trace.push(sender.step);
    if (s.OverrideV5SenderConflictResolution && sender.conflict) {
      trace.push({ stage: 'Resolve', result: 'stopped', detail: `Several rows share the sender address and OverrideV5SenderConflictResolution is on, so the message is not tracked.`, settings: ['OverrideV5SenderConflictResolution'] });
      return finish('InvalidSender');
    }
    const recipients = resolveRecipients(m.to, m.cc, m.bcc, dirIdx, s);
    trace.push({ stage: 'Resolve', result: 'recipients', detail: recipients.length ? `Recipients: ${recipients.map((r) => `${r.field} ${r.note}`).join('; ')}.` : 'The message has no To or Cc recipients.', settings: s.unresolveemailaddressifmultiplematch ? ['unresolveemailaddressifmultiplematch'] : [] });

    // Stage 7 is computed before 6 because filter 1 needs it; its trace step follows Accept.
    const corr = correlate(m, now, store, cache, s);
    let acceptedBy: number | null = null;
    if (!folderLevel) {
      const acc = accept(mailbox, sender.entry, recipients, byOwner, corr.record !== null, s);
      trace.push(acc.step);
      if (acc.outcome) {
        trace.push({ stage: 'Correlate', result: 'not recorded', detail: `The message was not tracked, so no correlation is recorded (what correlation found: ${corr.step.detail})` });
        return finish(acc.outcome);
      }
      d.acceptingEntity = acc.acceptingEntity;
      acceptedBy = acc.acceptedBy;
    } else {
      trace.push({ stage: 'Accept', result: 'skipped', detail: 'Folder-level tracking tracks the message regardless of filtering methods; there is no Accepting Entity.' });
    }
    trace.push(corr.step);
    d.correlationMethod = corr.method;
    if (corr.record) {
      d.correlatedTo = corr.record.id;
      if (corr.method === 'InReplyTo' || corr.method === 'ConversationIndex') d.parent = corr.record.id;
      d.regarding = corr.record.regarding;
    }

    // Stage 8 — record.
    d.receivingMailbox = mailbox.address;
    if (folderLevel && folderTracking?.regarding) d.regarding = folderTracking.regarding;
    d.internetMessageHeaders = internetMessageHeaders(m);
    const h = cache.hashes(m, s);
    const ci = cache.ci(m);
    d.subjectHashes = h.subject;
    d.addressHashes = h.address;
    store.add(m.key, time ?? Number.MAX_SAFE_INTEGER, d.regarding, 'this replay', {
      messageId: m.messageId, tokens: cache.tokens(m, s), ciHex: ci.hex, ciBaseHex: ci.baseHex, subjectHashes: h.subject, addressHashes: h.address,
    });
    const outcome: Outcome = folderLevel ? 'FolderLevelTracking' : acceptedBy === 0 ? 'AcceptAll' : acceptedBy === 1 ? 'CorrelationMatch' : 'SenderMatch';
    const regWhy = folderLevel && folderTracking?.regarding ? `Regarding ${d.regarding} comes from the folder mapping, which wins over a correlated one` : d.correlatedTo ? `Regarding ${d.regarding ?? '(none)'} copied from the correlated email ${d.correlatedTo}` : 'no Regarding (not correlated)';
    trace.push({
      stage: 'Record', result: outcome,
      detail: `Email activity created (${outcome}); Receiving Mailbox ${mailbox.address}; Accepting Entity ${d.acceptingEntity ?? '(none)'}; correlation method ${d.correlationMethod} (${CORRELATION_METHOD_CODE[d.correlationMethod]})${d.parent ? `; parent activity ${d.parent}` : ''}; ${regWhy}; ${h.subject.length} subject and ${h.address.length} address hashes stored for later smart matching${d.internetMessageHeaders ? `; internetmessageheaders ${JSON.stringify(d.internetMessageHeaders)}` : '; internetmessageheaders empty (no Auto-Submitted or Reply-To)'}${m.flags.autoReply ? `. Note: this looks like an auto-reply (${m.flags.autoReplyReasons.join(', ')}); SSS tracks auto-replies like any message` : ''}.`,
    });
    finish(outcome);
  });
  return { decisions, countsByOutcome, countsByMethod };
}
