// The replay: every message, in processing order, through stages 1–8 of SIMULATOR §2. Pure.
//
// Replaying again after a settings change (same input arrays, same ReplayCache) reuses the previous
// run. The run is a chain: message i is decided from the settings, the message, and the tracked store
// as left by messages 0..i−1. So as long as every earlier message changed the store exactly as before,
// the store is the same, and message i's decision is unchanged if it read none of the changed settings
// (every read is recorded, settingsReads.ts): that decision is reused as is. A message that did read a
// changed setting is decided again against the old store seen "as it was" at that point (lookups are
// limited to records added before it), redoing only stages 6–8 when stages 1–5 read nothing that
// changed. When such a message ends up with another Regarding, its record is updated in place and the
// later decisions that copied it are redone; when it is tracked where it was not (or the reverse), the
// store is cut back to that point and the rest is replayed against the new store, still taking over
// what never looks at the store: decisions that stopped in stages 1–5 (other than as duplicates), and
// stages 1–5 of the others when the duplicate check still finds nothing. The tracked store's keys depend
// on the token settings, so a change to those rebuilds it. After a HashFilterKeywords / HashMaxCount change
// the records stand: when every message and tracked email hashes as before nothing is redone, otherwise
// only the smart-matching index is rebuilt, and the decisions that looked it up or hash differently are
// redone.
// Turning smart matching on or off keeps the store too: its smart-matching index is built then from what
// each record was hashed from, and only the messages that reached smart matching are decided again.
// test/unit/replay/reuse.test.ts checks all of this against fresh replays over random settings walks.
//
// Within one replay, what repeats across messages is computed once (stageMemo.ts: folder, sender,
// recipient and acceptance verdicts with their trace steps, shared read-only by the decisions), and
// the sentences a decision keeps are built flat (text.ts): at 100,000 messages the garbage collector's
// work on the kept traces was the largest single cost of a cold replay.

import type { Settings } from '../model/settings.js';
import {
  CORRELATION_METHOD_CODE, TRACKED_OUTCOMES,
  type CorrelationMethod, type Decision, type DirectoryEntry, type MailboxConfig, type MessageFacts, type Outcome, type ReplayInput, type ReplayResult, type TraceStep, type TrackedEmail, type TrackedFolder,
} from '../model/types.js';
import { HASH_MASK, ReplayCache, onlyHashSettingsDiffer, storeSignature, type RunMemory } from './incremental/internal.js';
import { normAddress, processingOrder, receivedRulesDiffer } from '../stages/order.js';
import { TrackedStore, normMessageId, type TrackedRecord } from '../store/trackedStore.js';
import { indexDirectory, resolveRecipients, resolveSender, type DirectoryIndex, type RecipientResolution, type SenderResolution } from '../stages/resolve.js';
import { MASK_WORDS, SettingsReads, changedMask, maskOf } from './incremental/settingsReads.js';
import { accept, mailboxesByOwner, type AcceptResult } from '../stages/accept.js';
import { StageMemo, recall, recipientsKey, remember, shareStep, type FolderVerdict, type Memo, type RecipientsEntry, type RecipientsVerdict } from './stageMemo.js';
import { correlate } from '../stages/correlate.js';
import { flat } from '../primitives/text.js';

export { ReplayCache } from './incremental/internal.js';

function folderKey(f: string): string {
  return f.trim().replace(/\\/g, '/').replace(/\/+$/, '').toLowerCase();
}

const NO_FLAGS: string[] = [];
// Decisions that stop early carry no hashes and often no token parts: one frozen empty list for all of
// them (decisions are read-only; freezing makes an accidental write fail loudly instead of leaking).
const NONE = Object.freeze([]) as unknown as never[];

function messageFlags(m: MessageFacts): string[] {
  const f = m.flags;
  // Most messages carry no flag: share one empty list instead of allocating one per decision.
  if (!f.autoReply && !f.pec && !f.pecReceipt && !f.smimeEncrypted && !f.smimeOpaqueSigned && !f.smimeSigned && !f.hasForwardedMessage && !f.forwardSubject && !f.badDate && !f.missingMessageId) return NO_FLAGS;
  const out: string[] = [];
  if (f.autoReply) out.push('auto-reply');
  if (f.pec) out.push('pec');
  if (f.pecReceipt) out.push('pec-receipt');
  if (f.smimeEncrypted || f.smimeOpaqueSigned || f.smimeSigned) out.push('smime');
  if (f.smimeEncrypted) out.push('smime-encrypted');
  if (f.smimeOpaqueSigned) out.push('smime-opaque-signed');
  if (f.smimeSigned) out.push('smime-signed');
  if (f.hasForwardedMessage) out.push('has-forwarded-message');
  if (f.forwardSubject) out.push('forward-subject');
  if (f.badDate) out.push('bad-date');
  if (f.missingMessageId) out.push('missing-message-id');
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

// Steps that read the same for every message are shared, not rebuilt 100,000 times (decisions and their
// traces are read-only data).
const STEP_INBOX: TraceStep = Object.freeze({ stage: 'Folder', result: 'passed', detail: 'The message is in the Inbox root, which is evaluated for automatic tracking.' });
const STEP_NO_PEF: TraceStep = Object.freeze({ stage: 'StartDate', result: 'passed', detail: 'The mailbox has no Process Emails From date.' });
const STEP_READABLE: TraceStep = Object.freeze({ stage: 'Format', result: 'passed', detail: 'Readable message format.' });
const STEP_SMIME_SIGNED: TraceStep = Object.freeze({ stage: 'Format', result: 'passed', detail: 'Clear-signed S/MIME (multipart/signed) is readable.' });
const STEP_FOLDER_LEVEL_ACCEPT: TraceStep = Object.freeze({ stage: 'Accept', result: 'skipped', detail: 'Folder-level tracking tracks the message regardless of filtering methods; there is no Accepting Entity.' });

interface Context {
  s: Settings;
  reads: SettingsReads;
  cache: ReplayCache;
  store: TrackedStore;
  dirIdx: DirectoryIndex;
  byOwner: Map<string, MailboxConfig>;
  mbxByAddr: Map<string, MailboxConfig>;
  allOff: boolean;
  memo: StageMemo;
}

/** One message's decision, what it adds to the tracked store (null: nothing), and the seq of the record it correlated to (−1: none). */
interface Decided {
  d: Decision;
  record: { time: number; regarding: string | null } | null;
  corrSeq: number;
}

// SIMULATOR §8 point 1: when every correlation method is disabled, whether a message stopped before
// correlation is Skipped or None. One of these steps closes such a message's trace.
const STEP_SKIPPED_SCOPE_STAGE7: TraceStep = Object.freeze({ stage: 'Correlate', result: 'None', detail: 'Every correlation method is disabled by settings, but the message stopped before correlation, so its correlationmethod is None (0), not Skipped (skippedScope "stage7", an undocumented default, SIMULATOR §8 point 1).', settings: ['skippedScope'], undocumented: true });
const STEP_REACHED_SKIPPED: TraceStep = Object.freeze({ stage: 'Correlate', result: 'skipped', detail: 'Every correlation method is disabled by settings and filter 1 was evaluated, so the message reached correlation: correlationmethod is Skipped (1) (skippedScope "stage7", an undocumented default, SIMULATOR §8 point 1).', settings: ['skippedScope'], undocumented: true });
const STEP_SKIPPED_SCOPE_ALL: TraceStep = Object.freeze({ stage: 'Correlate', result: 'skipped', detail: 'Every correlation method is disabled by settings, so correlationmethod is Skipped (1) for every message of the run, even one that stopped before correlation (skippedScope "all", SIMULATOR §8 point 1).', settings: ['skippedScope'], undocumented: true });

/** A message that stops in stages 1–5 (or before stage 1). */
function stopEarly(d: Decision, outcome: Outcome, c: Context): Decided {
  if (c.allOff) d.trace.push(d.correlationMethod === 'Skipped' ? STEP_SKIPPED_SCOPE_ALL : STEP_SKIPPED_SCOPE_STAGE7);
  return stopped(d, outcome);
}

function stopped(d: Decision, outcome: Outcome): Decided {
  d.outcome = outcome;
  d.tracked = TRACKED_OUTCOMES.includes(outcome);
  d.correlationMethodCode = CORRELATION_METHOD_CODE[d.correlationMethod];
  return { d, record: null, corrSeq: -1 };
}

/** What stages 1–5 found for a message that goes on to correlation (kept to redo only stages 6–8). */
export interface Front {
  mailbox: MailboxConfig;
  folderLevel: boolean;
  folderTracking: TrackedFolder | undefined;
  senderEntry: DirectoryEntry | null;
  recipients: RecipientResolution[];
  /**
   * The memoized recipient list these recipients came from (null: not memoized). Acceptance is memoized
   * under it, in each replay's own StageMemo (a later replay that reuses this Front decides acceptance
   * under its own settings).
   */
  recipientsEntry: RecipientsEntry | null;
  /** Trace steps written by stages 1–5. */
  traceLength: number;
}

/**
 * Decides one message. When it reaches correlation, its stages 1–5 go to `fronts[at]` and the settings
 * they read to `frontMasks` at `at` (kept to redo only stages 6–8 in a later replay).
 */
function decide(m: MessageFacts, position: number, time: number | null, c: Context, fronts: (Front | null)[], frontMasks: Uint32Array, at: number): Decided {
  const r = decideFront(m, position, time, c);
  if ('record' in r) {
    fronts[at] = null;
    return r;
  }
  fronts[at] = r.front;
  frontMasks.set(c.reads.bits, at * MASK_WORDS);
  return decideBack(m, time, r.d, r.front, c);
}

/** Stage 1's verdict for a folder of a mailbox, with its step frozen to be shared. */
function folderVerdict(m: MessageFacts, mailbox: MailboxConfig, s: Settings): FolderVerdict {
  const v = folderVerdictOf(m, mailbox, s);
  shareStep(v.step);
  return v;
}

const CASE_NOTE = ' Folder names compare case-insensitively (an undocumented default, SIMULATOR §8 point 12).';

/**
 * Stage 1 for a folder of a mailbox on its own (the import preview asks it before any message exists):
 * whether mail there is evaluated, and the trace sentence that says why.
 */
export function folderStage(folder: string, mailbox: MailboxConfig, s: Settings): { evaluated: boolean; folderLevel: boolean; why: string } {
  const v = folderVerdictOf({ folder } as MessageFacts, mailbox, s);
  return { evaluated: !v.stop, folderLevel: v.folderLevel, why: v.step.detail };
}

function folderVerdictOf(m: MessageFacts, mailbox: MailboxConfig, s: Settings): FolderVerdict {
  const fk = folderKey(m.folder);
  let folderTracking: TrackedFolder | undefined = mailbox.trackedFolders.find((f) => folderKey(f.folder) === fk);
  let inheritedFrom = '';
  let subfolderNote = '';
  let undocumented = false;
  if (folderTracking && folderTracking.folder.trim() !== m.folder.trim()) undocumented = true;
  if (!folderTracking) {
    // SIMULATOR §8 point 12: a sub-folder of a mapped folder; the nearest mapped ancestor is the one that counts.
    const parents = mailbox.trackedFolders.filter((f) => fk.startsWith(`${folderKey(f.folder)}/`)).sort((a, b) => folderKey(b.folder).length - folderKey(a.folder).length);
    const parent = parents[0];
    if (parent) {
      undocumented = true;
      if (s.trackedFolderSubfolders) {
        folderTracking = parent;
        inheritedFrom = ` (it inherits the mapping of ${parent.folder}: trackedFolderSubfolders true, SIMULATOR §8 point 12)`;
      } else {
        subfolderNote = ` It is a sub-folder of the folder-level-tracked ${parent.folder}, but sub-folders are not tracked unless mapped themselves (trackedFolderSubfolders false, an undocumented default, SIMULATOR §8 point 12).`;
      }
    }
  }
  const p12 = undocumented ? { settings: ['trackedFolderSubfolders'], undocumented: true } : {};
  if (folderTracking) {
    return { folderLevel: true, folderTracking, stop: false, step: { stage: 'Folder', result: 'folder-level tracking', detail: `Folder ${m.folder} is under folder-level tracking${inheritedFrom}${folderTracking.regarding ? ` with Regarding ${folderTracking.regarding}` : ''}: the message is tracked whatever the filtering method, skips acceptance, and has no Accepting Entity.${!inheritedFrom && undocumented ? CASE_NOTE : ''}`, ...p12 } };
  }
  if (fk === 'inbox') {
    if (m.folder.trim().replace(/[\\/]+$/, '') === 'Inbox') return { folderLevel: false, folderTracking, stop: false, step: STEP_INBOX };
    return { folderLevel: false, folderTracking, stop: false, step: { stage: 'Folder', result: 'passed', detail: `The message is in ${m.folder}, the Inbox root, which is evaluated for automatic tracking.${CASE_NOTE}`, settings: ['trackedFolderSubfolders'], undocumented: true } };
  }
  if (fk === 'sent items' && s.AutoTrackSentFolderItems) {
    return { folderLevel: false, folderTracking, stop: false, step: { stage: 'Folder', result: 'passed', detail: 'Sent Items is evaluated because AutoTrackSentFolderItems is on (using the incoming filtering method).', settings: ['AutoTrackSentFolderItems'] } };
  }
  const why = fk === 'sent items'
    ? 'Sent Items is not evaluated unless AutoTrackSentFolderItems is on.'
    : fk.startsWith('inbox/')
      ? 'Only the Inbox root is evaluated; a subfolder is processed only under folder-level tracking (moving the message back to the Inbox later does not help).'
      : 'Only the Inbox root, folder-level-tracked folders and (with AutoTrackSentFolderItems) Sent Items are evaluated.';
  return { folderLevel: false, folderTracking, stop: true, step: { stage: 'Folder', result: 'stopped', detail: `Folder ${m.folder}: ${why}${subfolderNote}`, settings: fk === 'sent items' ? ['AutoTrackSentFolderItems'] : [], ...p12 } };
}

function recipientsVerdict(m: MessageFacts, c: Context): RecipientsVerdict {
  const { s } = c;
  const recipients = resolveRecipients(m.to, m.cc, m.bcc, c.dirIdx, s);
  return { recipients, step: shareStep({ stage: 'Resolve', result: 'recipients', detail: recipients.length ? `Recipients: ${recipients.map((r) => `${r.field} ${r.note}`).join('; ')}.` : 'The message has no To or Cc recipients.', settings: s.unresolveemailaddressifmultiplematch ? ['unresolveemailaddressifmultiplematch'] : [] }) };
}

/** Stage 5's recipients, memoized by the exact To/Cc/Bcc lists (null entry: not memoized). */
function recipientsOf(m: MessageFacts, c: Context): { v: RecipientsVerdict; entry: RecipientsEntry | null } {
  if (m.to.length === 1 && m.cc.length === 0 && m.bcc.length === 0) {
    const to = m.to[0] as string;
    let e = c.memo.singleTo.get(to);
    if (!e) c.memo.singleTo.set(to, (e = remember(c.reads, () => recipientsVerdict(m, c))));
    return { v: recall(c.reads, e), entry: e };
  }
  const key = recipientsKey(m.to, m.cc, m.bcc);
  if (key === null) return { v: recipientsVerdict(m, c), entry: null };
  let e = c.memo.recipients.get(key);
  if (!e) c.memo.recipients.set(key, (e = remember(c.reads, () => recipientsVerdict(m, c))));
  return { v: recall(c.reads, e), entry: e };
}

/** The Decision as stages 1–5 left it, rebuilt from a finished one (stages 6–8 only add to it). */
function reopen(done: Decision, f: Front, allOff: boolean): Decision {
  return {
    key: done.key, outcome: 'NotInTrackedFolder', tracked: false, correlationMethod: allOff ? 'Skipped' : 'None', correlationMethodCode: 0,
    correlatedTo: null, parent: null, regarding: null, acceptingEntity: null, receivingMailbox: null, sender: done.sender,
    tokenParts: done.tokenParts, subjectHashes: NONE, addressHashes: NONE, flags: done.flags, internetMessageHeaders: null, trace: done.trace.slice(0, f.traceLength),
  };
}

/** Stages 1–5: a finished decision when the message stops there, else the decision so far. */
function decideFront(m: MessageFacts, position: number, time: number | null, c: Context): Decided | { d: Decision; front: Front } {
  const { s, cache, store } = c;
  const trace: TraceStep[] = [];
  const mailbox = c.mbxByAddr.get(normAddress(m.mailbox)) ?? null;
  const d: Decision = {
    // SIMULATOR §8 point 1: with every method disabled, a message that never reaches correlation is
    // Skipped only under skippedScope "all" (decideBack sets it for those that do).
    key: m.key, outcome: 'NotInTrackedFolder', tracked: false, correlationMethod: c.allOff && s.skippedScope === 'all' ? 'Skipped' : 'None', correlationMethodCode: 0,
    correlatedTo: null, parent: null, regarding: null, acceptingEntity: null, receivingMailbox: null, sender: null,
    tokenParts: s.usetrackingtokens ? cache.tokenParts(m, s) : NONE,
    subjectHashes: NONE, addressHashes: NONE, flags: messageFlags(m), internetMessageHeaders: null, trace,
  };
  trace.push({
    stage: 'Order', result: time === null ? 'no date' : 'placed',
    detail: time === null
      ? flat`Processed as #${position + 1}: neither a Received header nor a Date header could be read, so it is processed after every dated message.`
      : flat`Processed as #${position + 1} at ${new Date(time).toISOString()} (${m.received ? 'newest Received header' : 'Date header; no Received header'}).`,
  });
  if (m.receivedAll && m.receivedAll.length > 1 && receivedRulesDiffer(m)) {
    // SIMULATOR §8 point 2: the Received headers disagree on which is newest; say which rule placed it.
    const latest = s.receivedHeaderRule === 'latest';
    trace.push({
      stage: 'Order', result: latest ? 'latest Received' : 'topmost Received',
      detail: latest
        ? `The message has ${m.receivedAll.length} Received headers whose dates disagree; it is placed (and compared with Process Emails From) by the latest of their dates (receivedHeaderRule "latest", SIMULATOR §8 point 2).`
        : `The message has ${m.receivedAll.length} Received headers whose dates disagree; it is placed (and compared with Process Emails From) by the topmost one whose date parses, the last hop (receivedHeaderRule "topmost", an undocumented default, SIMULATOR §8 point 2).`,
      settings: ['receivedHeaderRule'], undocumented: true,
    });
  }

  // Before stage 1 — a mailbox whose own incoming delivery is off (SIMULATOR §8 point 13).
  if (mailbox && !mailbox.incoming) {
    if (s.deliveryOffMailbox === 'notProcessed') {
      trace.push({ stage: 'Mailbox', result: 'stopped', detail: flat`Mailbox ${mailbox.address} has incoming delivery off (None), so server-side synchronization never reads it and nothing in it is evaluated: NotProcessed (deliveryOffMailbox "notProcessed", an undocumented default, SIMULATOR §8 point 13).`, settings: ['deliveryOffMailbox'], undocumented: true });
      return stopEarly(d, 'NotProcessed', c);
    }
    trace.push({ stage: 'Mailbox', result: 'evaluated', detail: flat`Mailbox ${mailbox.address} has incoming delivery off, but its messages are evaluated as if it were synchronized (deliveryOffMailbox "evaluate", SIMULATOR §8 point 13); its owner is not a candidate accepting entity.`, settings: ['deliveryOffMailbox'], undocumented: true });
  }

  // Stage 1 — folder.
  if (!mailbox) {
    trace.push({ stage: 'Folder', result: 'stopped', detail: flat`Mailbox ${m.mailbox} is not configured, so it is not synchronized and nothing in it is evaluated.` });
    return stopEarly(d, 'NotInTrackedFolder', c);
  }
  let byFolder = c.memo.folder.get(mailbox);
  if (!byFolder) c.memo.folder.set(mailbox, (byFolder = new Map<string, Memo<FolderVerdict>>()));
  let fm = byFolder.get(m.folder);
  if (!fm) byFolder.set(m.folder, (fm = remember(c.reads, () => folderVerdict(m, mailbox, s))));
  const { folderLevel, folderTracking, step: folderStep, stop } = recall(c.reads, fm);
  trace.push(folderStep);
  if (stop) return stopEarly(d, 'NotInTrackedFolder', c);

  // Stage 2 — Process Emails From.
  const pef = mailbox.processEmailsFrom ? Date.parse(mailbox.processEmailsFrom) : NaN;
  if (!Number.isNaN(pef) && time !== null && time < pef) {
    trace.push({ stage: 'StartDate', result: 'stopped', detail: `Received ${new Date(time).toISOString()}, before the mailbox's Process Emails From ${new Date(pef).toISOString()}.` });
    return stopEarly(d, 'BeforeProcessEmailsFrom', c);
  }
  if (Number.isNaN(pef)) trace.push(STEP_NO_PEF);
  else if (time === null) trace.push({ stage: 'StartDate', result: 'passed', detail: 'The message has no usable date; Process Emails From cannot exclude it.' });
  else {
    let step = c.memo.startDate.get(mailbox);
    if (!step) c.memo.startDate.set(mailbox, (step = shareStep({ stage: 'StartDate', result: 'passed', detail: `Received on or after Process Emails From ${new Date(pef).toISOString()}.` })));
    trace.push(step);
  }

  // Stage 3 — format.
  if (m.flags.pec || m.flags.pecReceipt) {
    trace.push({ stage: 'Format', result: 'stopped', detail: flat`This is a PEC ${m.flags.pec ? 'transport envelope' : 'receipt'}; SSS cannot read the original message inside it (KB 4490718). Workaround: forward the inner message unwrapped.` });
    return stopEarly(d, 'UnsupportedPec', c);
  }
  if (m.flags.smimeEncrypted || m.flags.smimeOpaqueSigned) {
    // The type as the message declares it (legacy senders write application/x-pkcs7-mime).
    const declared = m.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || 'application/pkcs7-mime';
    trace.push({ stage: 'Format', result: 'stopped', detail: flat`The message is S/MIME ${m.flags.smimeEncrypted ? 'encrypted' : 'opaque-signed'} (${declared}); SSS cannot read it.` });
    return stopEarly(d, 'UnsupportedEncrypted', c);
  }
  trace.push(m.flags.smimeSigned ? STEP_SMIME_SIGNED : STEP_READABLE);

  // Stage 4 — duplicate.
  const mid = normMessageId(m.messageId);
  const dup = mid ? store.find(store.byMessageId, mid).winner : null;
  if (dup) {
    trace.push({ stage: 'Duplicate', result: 'stopped', detail: flat`Message-ID <${mid}> is already tracked as ${dup.id} (${dup.origin}); no second activity is created.` });
    return stopEarly(d, 'Duplicate', c);
  }
  trace.push({ stage: 'Duplicate', result: 'passed', detail: mid ? flat`Message-ID <${mid}> is not tracked yet.` : 'The message has no Message-ID, so it cannot be recognised as a duplicate.' });

  // Stage 5 — resolve.
  let byOwner = c.memo.sender.get(m.from ?? '');
  if (!byOwner) c.memo.sender.set(m.from ?? '', (byOwner = new Map<string, Memo<SenderResolution>>()));
  let sm = byOwner.get(mailbox.owner);
  if (!sm) byOwner.set(mailbox.owner, (sm = remember(c.reads, () => sharedSender(m.from, c.dirIdx, mailbox.owner, s))));
  const sender = recall(c.reads, sm);
  d.sender = sender.entry?.ref ?? null;
  trace.push(sender.step);
  if (s.OverrideV5SenderConflictResolution && sender.conflict) {
    trace.push({ stage: 'Resolve', result: 'stopped', detail: `Several rows share the sender address and OverrideV5SenderConflictResolution is on, so the message is not tracked.`, settings: ['OverrideV5SenderConflictResolution'] });
    return stopEarly(d, 'InvalidSender', c);
  }
  const { v: rv, entry: recipientsEntry } = recipientsOf(m, c);
  trace.push(rv.step);
  return { d, front: { mailbox, folderLevel, folderTracking, senderEntry: sender.entry, recipients: rv.recipients, recipientsEntry, traceLength: trace.length } };
}

/** resolveSender, its step frozen to be shared. */
function sharedSender(from: string | null, idx: DirectoryIndex, owner: string, s: Settings): SenderResolution {
  const r = resolveSender(from, idx, owner, s);
  shareStep(r.step);
  return r;
}

/** Stage 6 for these recipients, memoized with them. */
function acceptOf(mailbox: MailboxConfig, f: Front, correlated: boolean, inSent: boolean, c: Context): AcceptResult {
  const e = f.recipientsEntry;
  if (!e) return accept(mailbox, f.senderEntry, f.recipients, c.byOwner, correlated, c.s, inSent);
  let byMailbox = c.memo.accept.get(e);
  if (!byMailbox) c.memo.accept.set(e, (byMailbox = new Map()));
  let bySender = byMailbox.get(mailbox);
  if (!bySender) byMailbox.set(mailbox, (bySender = new Map()));
  let pair = bySender.get(f.senderEntry);
  if (!pair) bySender.set(f.senderEntry, (pair = [undefined, undefined, undefined, undefined]));
  const at = (correlated ? 1 : 0) + (inSent ? 2 : 0);
  let am = pair[at];
  if (!am) {
    pair[at] = am = remember(c.reads, () => {
      const a = accept(mailbox, f.senderEntry, f.recipients, c.byOwner, correlated, c.s, inSent);
      shareStep(a.step);
      return a;
    });
  }
  return recall(c.reads, am);
}

/** Stages 6–8 (correlation, acceptance, record) after decideFront. */
function decideBack(m: MessageFacts, time: number | null, d: Decision, f: Front, c: Context): Decided {
  const { s, cache, store } = c;
  const { mailbox, folderLevel, folderTracking } = f;
  const trace = d.trace;
  const now = time ?? Number.MAX_SAFE_INTEGER;
  // Stage 7 is computed before 6 because filter 1 needs it; its trace step follows Accept.
  const corr = correlate(m, now, store, cache, s);
  let acceptedBy: number | null = null;
  if (!folderLevel) {
    const acc = acceptOf(mailbox, f, corr.record !== null, folderKey(m.folder) === 'sent items', c);
    trace.push(acc.step);
    if (acc.outcome) {
      trace.push({ stage: 'Correlate', result: 'not recorded', detail: flat`The message was not tracked, so no correlation is recorded (what correlation found: ${corr.step.detail})`, ...(corr.step.settings?.length ? { settings: corr.step.settings } : {}), ...(corr.step.undocumented ? { undocumented: true } : {}) });
      if (c.allOff) {
        // SIMULATOR §8 point 1: a message whose filter 1 was evaluated has reached correlation.
        const reached = acc.outcome === 'NoCorrelationMatch';
        d.correlationMethod = s.skippedScope === 'all' || reached ? 'Skipped' : 'None';
        trace.push(s.skippedScope === 'all' ? STEP_SKIPPED_SCOPE_ALL : reached ? STEP_REACHED_SKIPPED : STEP_SKIPPED_SCOPE_STAGE7);
      } else d.correlationMethod = 'None';
      return stopped(d, acc.outcome);
    }
    d.acceptingEntity = acc.acceptingEntity;
    acceptedBy = acc.acceptedBy;
  } else {
    trace.push(STEP_FOLDER_LEVEL_ACCEPT);
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
  d.subjectHashes = h.subject;
  d.addressHashes = h.address;
  const outcome: Outcome = folderLevel ? 'FolderLevelTracking' : acceptedBy === 0 ? 'AcceptAll' : acceptedBy === 1 ? 'CorrelationMatch' : 'SenderMatch';
  // SIMULATOR §8 points 8 and 14: what the record keeps for later correlation.
  let recordNotes = '';
  let recordUndocumented = false;
  const recordSettings: string[] = [];
  const found = s.usetrackingtokens ? cache.tokens(m, s) : NONE;
  if (found.length > 0) {
    recordUndocumented = true;
    recordSettings.push('storeTokenOfIncoming');
    recordNotes += s.storeTokenOfIncoming
      ? `; the token ${found[0]} found in its subject is stored with it, so later replies can correlate on it (storeTokenOfIncoming true, an undocumented default, SIMULATOR §8 point 8)`
      : '; the token found in its subject is not stored (storeTokenOfIncoming false, SIMULATOR §8 point 8)';
  }
  if (new Set([m.from ?? '', ...m.to, ...m.cc].map((a) => a.trim().toLowerCase()).filter((a) => a !== '')).size > s.hashmaxcount) {
    recordUndocumented = true;
    recordSettings.push('addressHashOrder');
    recordNotes += s.addressHashOrder === 'header'
      ? `; it has more addresses than HashMaxCount ${s.hashmaxcount}: the sender, then To, then Cc are kept in header order (addressHashOrder "header", an undocumented default, SIMULATOR §8 point 14)`
      : `; it has more addresses than HashMaxCount ${s.hashmaxcount}: the first ${s.hashmaxcount} in sorted order are kept (addressHashOrder "sorted", SIMULATOR §8 point 14)`;
  }
  const regWhy = folderLevel && folderTracking?.regarding ? `Regarding ${d.regarding} comes from the folder mapping, which wins over a correlated one` : d.correlatedTo ? `Regarding ${d.regarding ?? '(none)'} copied from the correlated email ${d.correlatedTo}` : 'no Regarding (not correlated)';
  trace.push({
    stage: 'Record', result: outcome,
    detail: flat`Email activity created (${outcome}); Receiving Mailbox ${mailbox.address}; Accepting Entity ${d.acceptingEntity ?? '(none)'}; correlation method ${d.correlationMethod} (${CORRELATION_METHOD_CODE[d.correlationMethod]})${d.parent ? `; parent activity ${d.parent}` : ''}; ${regWhy}; ${h.subject.length} subject and ${h.address.length} address hashes stored for later smart matching${d.internetMessageHeaders ? `; internetmessageheaders ${JSON.stringify(d.internetMessageHeaders)}` : '; internetmessageheaders empty (no Auto-Submitted or Reply-To)'}${recordNotes}${m.flags.autoReply ? `. Note: this looks like an auto-reply (${m.flags.autoReplyReasons.join(', ')}); SSS tracks auto-replies like any message` : ''}.`,
    ...(recordUndocumented ? { settings: recordSettings, undocumented: true } : {}),
  });
  stopped(d, outcome);
  return { d, record: { time: time ?? Number.MAX_SAFE_INTEGER, regarding: d.regarding }, corrSeq: corr.record ? corr.record.seq : -1 };
}

function addRecord(store: TrackedStore, cache: ReplayCache, m: MessageFacts, rec: { time: number; regarding: string | null }, s: Settings): void {
  const h = cache.hashes(m, s);
  const ci = cache.ci(m);
  // SIMULATOR §8 point 8: the first token of a known prefix in its subject, unless storeTokenOfIncoming is off.
  const found = s.storeTokenOfIncoming ? cache.tokens(m, s) : NONE;
  store.add(m.key, rec.time, rec.regarding, 'this replay', {
    messageId: m.messageId, tokens: found.length > 1 ? found.slice(0, 1) : found, ciHex: ci.hex, ciBaseHex: ci.baseHex, subjectHashes: h.subject, addressHashes: h.address,
  }, m);
}

/** The settings every smart-matching lookup reads (SmartMatchIndex.candidates), as a mask. */
const SMART_LOOKUP = maskOf(['hashminaddresscount']);

function missingSource(rec: TrackedRecord): never {
  throw new Error(`tracked store record ${rec.id} has no source to hash (a store built outside replay())`);
}

/** Stage 4's question: is the message's Message-ID already tracked (in the store as it is now)? */
function isDuplicate(m: MessageFacts, store: TrackedStore): boolean {
  const mid = normMessageId(m.messageId);
  return mid ? store.find(store.byMessageId, mid).winner !== null : false;
}

function maskHits(masks: Uint32Array, position: number, changed: Uint32Array): boolean {
  const base = position * MASK_WORDS;
  for (let w = 0; w < MASK_WORDS; w++) if (((masks[base + w] as number) & (changed[w] as number)) !== 0) return true;
  return false;
}

/**
 * Replays the messages against the settings. Pass the same `cache` to a later call over the same input
 * arrays (messages, mailboxes, directory, tracked; treated as immutable) after a settings change: it
 * reuses every decision the change cannot affect and gives exactly what a fresh replay would. Decision
 * objects may be shared between the two results, so treat them as read-only.
 */
export function replay(input: ReplayInput, cache: ReplayCache = new ReplayCache()): ReplayResult {
  // The same pass as replayAsync, drained without pausing: one generator resumption per slice of
  // REPLAY_SLICE messages costs nothing measurable next to the messages themselves.
  const pass = replaySlices(input, cache, REPLAY_SLICE);
  for (;;) {
    const r = pass.next();
    if (r.done) return r.value;
  }
}

/** Messages decided between two pauses of replayAsync (and between two of its progress reports). */
export const REPLAY_SLICE = 2000;

export interface ReplayAsyncOptions {
  /** Checked between slices: once aborted, the replay stops and rejects with a ReplayCancelled. */
  signal?: AbortSignal;
  /** Messages decided so far and the total, after each slice (done increases strictly, ends at total). */
  onProgress?: (done: number, total: number) => void;
  /** Messages per slice (REPLAY_SLICE by default). */
  sliceSize?: number;
}

/** A replayAsync stopped by its AbortSignal. Named AbortError, as hosts recognise a cancelled job by name. */
export class ReplayCancelled extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('replay cancelled');
  }
}

/**
 * replay(), in slices: between two slices it gives the event loop a turn (setImmediate, so a cancel or
 * another request can arrive), reports progress and stops if `signal` was aborted. The result equals
 * replay()'s. A cancelled replay leaves `cache` without a previous run (its store was half rebuilt), so
 * the next replay with it starts cold; nothing else is changed.
 */
export async function replayAsync(input: ReplayInput, cache: ReplayCache = new ReplayCache(), options: ReplayAsyncOptions = {}): Promise<ReplayResult> {
  const { signal, onProgress } = options;
  const total = input.messages.length;
  const pass = replaySlices(input, cache, Math.max(1, Math.floor(options.sliceSize ?? REPLAY_SLICE)));
  let finished = false;
  try {
    for (;;) {
      if (signal?.aborted) throw new ReplayCancelled();
      const r = pass.next();
      if (r.done) {
        finished = true;
        onProgress?.(total, total);
        return r.value;
      }
      onProgress?.(r.value, total);
      await nextTurn();
    }
  } finally {
    // Stopped half-way: close the generator (cache.lastRun stays null, see replaySlices).
    if (!finished) pass.return(undefined as unknown as ReplayResult);
  }
}

/**
 * Resolves after the event loop has had a turn: setImmediate where there is one (Node: it runs after
 * pending I/O, so a cancel message is read), else a zero timeout (a browser).
 */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => {
    if (immediate) immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/**
 * The replay pass itself, yielding the number of messages decided after every `every` of them (never
 * after the last: the return value comes then). cache.lastRun is cleared at the start and set only at
 * the end, so a pass abandoned between slices leaves no half-built run to reuse.
 */
function* replaySlices(input: ReplayInput, cache: ReplayCache, every: number): Generator<number, ReplayResult, void> {
  const raw: Settings = input.settings;
  const reads = new SettingsReads(raw);
  const s = reads.view;
  const smartOn = raw.enablesmartmatching && !raw.DisableSmartMatching;
  const allOff = !(raw.emailcorrelationenabled && !raw.IgnoreConversationIndexAndInReplyToForCorrelation) && !raw.usetrackingtokens && !smartOn;
  const storeSig = storeSignature(raw);
  const prev = cache.lastRun;
  const sameInput = prev !== null && prev.messages === input.messages && prev.messageCount === input.messages.length
    && prev.mailboxes === input.mailboxes && prev.directory === input.directory && prev.tracked === input.tracked
    // The Received rule places the messages (SIMULATOR §8 point 2): another rule means another order.
    && prev.settings.receivedHeaderRule === raw.receivedHeaderRule;
  // A store built under other HashFilterKeywords / HashMaxCount still serves when every message and
  // tracked email hashes as before (e.g. HashMaxCount 20 → 50 with no subject that long): then the
  // change reaches nothing the replay decides, and the hash settings are left out of the changed keys.
  const hashOnly = sameInput && prev.allOff === allOff && prev.storeSig !== storeSig && onlyHashSettingsDiffer(prev.settings, raw);
  const hashChangeUnseen = hashOnly && cache.sameHashes([input.messages, input.tracked], prev.settings, raw);
  // When some hashes do change, the store's records and their other keys still stand: only the
  // smart-matching index is rebuilt, and what looked it up or hashed differently is decided again.
  const rehash = hashOnly && !hashChangeUnseen;
  const reuse = sameInput && prev.allOff === allOff && (prev.storeSig === storeSig || hashOnly) ? prev : null;
  // The previous run's store is about to be changed: if this replay were to fail half-way, the cache
  // must not offer it again.
  cache.lastRun = null;

  let dirIdx: DirectoryIndex;
  let byOwner: Map<string, MailboxConfig>;
  let mbxByAddr: Map<string, MailboxConfig>;
  let ordered: MessageFacts[];
  let times: Map<MessageFacts, number | null>;
  let held: object[];
  if (sameInput) {
    ({ dirIdx, byOwner, mbxByAddr, ordered, times, held } = prev);
  } else {
    dirIdx = indexDirectory(input.directory);
    byOwner = mailboxesByOwner(input.mailboxes);
    mbxByAddr = new Map<string, MailboxConfig>();
    for (const b of input.mailboxes) if (!mbxByAddr.has(normAddress(b.address))) mbxByAddr.set(normAddress(b.address), b);
    times = new Map<MessageFacts, number | null>();
    held = new Array<object>(input.messages.length);
    for (let k = 0; k < input.messages.length; k++) {
      const m = input.messages[k] as MessageFacts;
      held[k] = cache.hold(m);
      times.set(m, cache.time(m, raw.receivedHeaderRule));
    }
    ordered = processingOrder(input.messages, input.mailboxes, times);
  }

  let store: TrackedStore;
  if (reuse) {
    store = reuse.store;
    // The index follows the hashes when they changed, and is built when smart matching is turned on
    // over a store built with it off.
    if ((rehash && store.hasSmartIndex) || (smartOn && !store.hasSmartIndex)) {
      store.rebuildSmartIndex((source, rec) => (source ? cache.hashes(source as MessageFacts | TrackedEmail, raw) : missingSource(rec)));
    }
  } else {
    store = new TrackedStore(smartOn);
    // Equal sentOn: the one added later wins a lookup, so the list order decides (SIMULATOR §8 point 9).
    const listed = raw.equalSentOnTieBreak === 'earlier' ? [...input.tracked].reverse() : [...input.tracked];
    const trackedSorted = listed.sort((a, b) => (Date.parse(a.sentOn) || 0) - (Date.parse(b.sentOn) || 0));
    for (const t of trackedSorted) {
      const ci = cache.ci(t);
      const h = cache.hashes(t, raw);
      store.add(t.id, Date.parse(t.sentOn) || 0, t.regarding, 'before replay', {
        messageId: t.messageId, tokens: cache.tokens(t, raw), ciHex: ci.hex, ciBaseHex: ci.baseHex, subjectHashes: h.subject, addressHashes: h.address,
      }, t);
    }
  }

  const n = ordered.length;
  const ctx: Context = { s, reads, cache, store, dirIdx, byOwner, mbxByAddr, allOff, memo: new StageMemo() };
  const decisions: Decision[] = new Array<Decision>(n);
  const masks = new Uint32Array(n * MASK_WORDS);
  const seqBefore = new Int32Array(n);
  const trackedFlag = new Uint8Array(n);
  const regarding: (string | null)[] = new Array<string | null>(n).fill(null);
  const corrSeq = new Int32Array(n).fill(-1);
  // Stages 1–5 of each decision that reached correlation, and the settings they read.
  const fronts: (Front | null)[] = new Array<Front | null>(n).fill(null);
  const frontMasks = new Uint32Array(n * MASK_WORDS);
  // Records of this replay whose Regarding differs from the previous run's (by seq): a decision that
  // correlated to one of them copied its Regarding, so it cannot be reused.
  const dirty = new Set<number>();
  const countsByOutcome: Partial<Record<Outcome, number>> = {};
  const countsByMethod: Partial<Record<CorrelationMethod, number>> = {};
  const changed = reuse ? changedMask(reuse.settings, raw) : null;
  // After a hash-settings change the hash keys themselves are not what decides a redo: a decision that
  // read them is redone when its own message hashes differently (ownHashesChanged), and every decision
  // that looked up the rebuilt index (they all read hashminaddresscount) is redone. Stages 1–5 never
  // read hashes; should they, the hash keys stay in the mask their reuse is checked against.
  const frontChanged = changed ? changed.slice() : null;
  if (changed && hashOnly) for (let w = 0; w < MASK_WORDS; w++) changed[w] = ((changed[w] as number) & ~(HASH_MASK[w] as number)) | (rehash ? (SMART_LOOKUP[w] as number) : 0);
  const ownHashesChanged = rehash && reuse ? cache.hashComparer(reuse.settings, raw) : null;
  // Following the previous run while every message leaves the store as it did.
  let following = reuse !== null;
  let untilPause = every;

  for (let i = 0; i < n; i++) {
    const m = ordered[i] as MessageFacts;
    let d: Decision;
    if (following && reuse && changed) {
      const limit = reuse.seqBefore[i] as number;
      seqBefore[i] = limit;
      store.limit = limit;
      const was = reuse.corrSeq[i] as number;
      if (!maskHits(reuse.masks, i, changed) && (was < 0 || !dirty.has(was)) && !(ownHashesChanged && maskHits(reuse.masks, i, HASH_MASK) && ownHashesChanged(m))) {
        d = reuse.decisions[i] as Decision;
        corrSeq[i] = was;
        masks.set(reuse.masks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS), i * MASK_WORDS);
        trackedFlag[i] = reuse.trackedFlag[i] as number;
        regarding[i] = reuse.regarding[i] ?? null;
        fronts[i] = reuse.fronts[i] ?? null;
        frontMasks.set(reuse.frontMasks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS), i * MASK_WORDS);
      } else {
        reads.reset();
        const front = reuse.fronts[i];
        let r: Decided;
        if (front && !maskHits(reuse.frontMasks, i, frontChanged as Uint32Array)) {
          // Stages 1–5 read nothing that changed and the store is seen as before: only redo 6–8.
          reads.mark(reuse.frontMasks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS));
          r = decideBack(m, times.get(m) ?? null, reopen(reuse.decisions[i] as Decision, front, allOff), front, ctx);
          fronts[i] = front;
          frontMasks.set(reuse.frontMasks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS), i * MASK_WORDS);
        } else {
          r = decide(m, i, times.get(m) ?? null, ctx, fronts, frontMasks, i);
        }
        d = r.d;
        corrSeq[i] = r.corrSeq;
        masks.set(reads.bits, i * MASK_WORDS);
        const wasTracked = reuse.trackedFlag[i] === 1;
        if (r.record) {
          trackedFlag[i] = 1;
          regarding[i] = r.record.regarding;
        }
        if (r.record && wasTracked) {
          if (reuse.regarding[i] !== r.record.regarding) {
            // Same record, another Regarding: change it in place (the store's shape, and so every
            // lookup, stays as before); decisions that copy it are redone (see `dirty`).
            (store.records[limit] as TrackedRecord).regarding = r.record.regarding;
            dirty.add(limit);
          }
        } else if (r.record || wasTracked) {
          // From here on the store differs from the previous run's: cut it back and replay normally.
          following = false;
          store.truncate(limit);
          store.limit = Infinity;
          if (r.record) addRecord(store, cache, m, r.record, raw);
        }
      }
    } else if (reuse && frontChanged && reuse.fronts[i] === null && (reuse.decisions[i] as Decision).outcome !== 'Duplicate' && !maskHits(reuse.masks, i, frontChanged)) {
      // Past the cut the store differs from the previous run's, but a message that stopped in stages
      // 1–5 for a reason other than a duplicate never looked at the store: its decision stands.
      seqBefore[i] = store.size;
      d = reuse.decisions[i] as Decision;
      masks.set(reuse.masks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS), i * MASK_WORDS);
    } else {
      seqBefore[i] = store.size;
      reads.reset();
      const front = reuse && changed ? reuse.fronts[i] : null;
      let r: Decided;
      if (reuse && frontChanged && front && !maskHits(reuse.frontMasks, i, frontChanged) && !isDuplicate(m, store)) {
        // Past the cut, stages 1–5 only read the store for the duplicate check (still no duplicate,
        // so they wrote the same steps): redo 6–8 against the store as it is now.
        const fm = reuse.frontMasks.subarray(i * MASK_WORDS, (i + 1) * MASK_WORDS);
        reads.mark(fm);
        r = decideBack(m, times.get(m) ?? null, reopen(reuse.decisions[i] as Decision, front, allOff), front, ctx);
        fronts[i] = front;
        frontMasks.set(fm, i * MASK_WORDS);
      } else {
        r = decide(m, i, times.get(m) ?? null, ctx, fronts, frontMasks, i);
      }
      d = r.d;
      corrSeq[i] = r.corrSeq;
      masks.set(reads.bits, i * MASK_WORDS);
      if (r.record) {
        trackedFlag[i] = 1;
        regarding[i] = r.record.regarding;
        addRecord(store, cache, m, r.record, raw);
      }
    }
    decisions[i] = d;
    countsByOutcome[d.outcome] = (countsByOutcome[d.outcome] ?? 0) + 1;
    countsByMethod[d.correlationMethod] = (countsByMethod[d.correlationMethod] ?? 0) + 1;
    if (--untilPause === 0 && i + 1 < n) {
      untilPause = every;
      // The store and the cache are this pass's alone until it returns: cache.lastRun is null meanwhile,
      // so another replay with the same cache starts from its own new store.
      yield i + 1;
    }
  }
  store.limit = Infinity;

  const memory: RunMemory = {
    messages: input.messages, messageCount: input.messages.length, mailboxes: input.mailboxes, directory: input.directory, tracked: input.tracked,
    // A copy: a caller that edits its settings object in place must still be seen to have changed it.
    settings: { ...raw, trackingprefixhistory: [...raw.trackingprefixhistory] }, storeSig, allOff, ordered, times, dirIdx, byOwner, mbxByAddr, decisions, masks, seqBefore, trackedFlag, regarding, corrSeq, fronts, frontMasks, store, held,
  };
  cache.lastRun = memory;
  return { decisions, countsByOutcome, countsByMethod };
}
