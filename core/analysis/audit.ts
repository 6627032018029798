// Audit: compare what Dynamics recorded (email activities exported from Dataverse, auditImport.ts) with
// what SyncLens decides for the same messages under the settings of the time. Each incoming record is
// matched to a workspace message by Message-ID; records and messages that find no partner are reported
// both ways. Outgoing records (email sent from Dynamics) are not replayed; those the workspace does not
// already know become tracked emails of the replay, since Dynamics correlated incoming mail against them.
// Every disagreement carries SyncLens's trace and the likely causes. Pure: data in, data out.

import { replay, ReplayCache } from '../engine/replay.js';
import { explainDecision } from '../engine/explain.js';
import type { Settings } from '../engine/settings.js';
import { type CorrelationMethod, type Decision, type MessageFacts, type ReplayInput, type TrackedEmail } from '../engine/types.js';
import { CORRELATION_METHOD_LABELS, type AuditEmail, type ImportProblem, type LookupValue } from './auditImport.js';

export type AuditField = 'tracked' | 'method' | 'correlatedTo' | 'parent' | 'regarding';

export type CauseKind = 'missing-from-import' | 'setting-difference' | 'undocumented-behaviour' | 'not-comparable' | 'unexplained';

export interface AuditCause {
  kind: CauseKind;
  /** A sentence for the auditor. */
  detail: string;
  settings?: string[];
}

export interface SideView {
  tracked: boolean;
  method: string | null;
  methodCode: number | null;
  /** Activity id (Dynamics) or, for SyncLens, the activity id of the matched record when known, else the key. */
  correlatedTo: string | null;
  parent: string | null;
  regarding: string | null;
}

export interface FieldComparison {
  field: AuditField;
  dynamics: string | boolean | null;
  synclens: string | boolean | null;
  /** false when one side cannot be known (e.g. a CSV export holds lookup names, not ids). */
  comparable: boolean;
  agree: boolean;
}

export interface AuditRow {
  /** Row of the import (1-based), activity id and Message-ID as imported. */
  row: number;
  activityId: string | null;
  messageId: string;
  subject: string;
  messageKey: string;
  dynamics: SideView;
  synclens: SideView;
  fields: FieldComparison[];
  agree: boolean;
  causes: AuditCause[];
  /** SyncLens's decision as readable paragraphs (explainDecision). */
  trace: string[];
}

export interface UnmatchedRecord { row: number; activityId: string | null; messageId: string | null; subject: string | null; reason: string }
export interface UnmatchedMessage { key: string; messageId: string | null; subject: string; synclensTracked: boolean; outcome: string }

export interface AuditResult {
  counts: {
    records: number; incoming: number; outgoing: number; matched: number; agreements: number; disagreements: number;
    unmatchedRecords: number; unmatchedMessages: number; addedTracked: number;
  };
  rows: AuditRow[];
  unmatchedRecords: UnmatchedRecord[];
  /** Workspace messages no record names; only those SyncLens would track are a finding, the rest are listed for completeness. */
  unmatchedMessages: UnmatchedMessage[];
  /** Count of disagreements per cause kind. */
  causes: { kind: CauseKind; count: number }[];
  importProblems: ImportProblem[];
}

export interface AuditInput {
  /** Workspace replay input without settings. */
  input: Omit<ReplayInput, 'settings'>;
  /** The organization's settings at the time of the records. */
  settings: Settings;
  emails: readonly AuditEmail[];
  importProblems?: readonly ImportProblem[];
}

/** `<a@b>` → `a@b` (Dataverse stores messageid with its angle brackets). */
function mid(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const t = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return t === '' ? null : t;
}

function refId(ref: string | null): string | null {
  if (!ref) return null;
  const i = ref.indexOf(':');
  return (i >= 0 ? ref.slice(i + 1) : ref).toLowerCase();
}

function lookupRef(l: LookupValue | null): string | null {
  if (!l) return null;
  if (l.id) return `${l.table ?? 'record'}:${l.id}`;
  return null;
}

const LABEL_TO_METHOD = new Map<number, string>(CORRELATION_METHOD_LABELS.map((l, i) => [i, l]));
const SMART_SETTINGS = ['enablesmartmatching', 'DisableSmartMatching', 'hashfilterkeywords', 'hashmaxcount', 'hashdeltasubjectcount', 'hashminaddresscount', 'simSmartMatchingSubjectRule', 'simSmartMatchingWindowDays'];
const METHOD_GATE: Partial<Record<CorrelationMethod, (s: Settings) => string[]>> = {
  InReplyTo: (s) => [...(!s.emailcorrelationenabled ? ['emailcorrelationenabled'] : []), ...(s.IgnoreConversationIndexAndInReplyToForCorrelation ? ['IgnoreConversationIndexAndInReplyToForCorrelation'] : [])],
  ConversationIndex: (s) => [...(!s.emailcorrelationenabled ? ['emailcorrelationenabled'] : []), ...(s.IgnoreConversationIndexAndInReplyToForCorrelation ? ['IgnoreConversationIndexAndInReplyToForCorrelation'] : [])],
  TrackingToken: (s) => (!s.usetrackingtokens ? ['usetrackingtokens'] : []),
  SmartMatching: (s) => [...(!s.enablesmartmatching ? ['enablesmartmatching'] : []), ...(s.DisableSmartMatching ? ['DisableSmartMatching'] : [])],
};

function methodName(code: number | null): string | null {
  return code === null ? null : LABEL_TO_METHOD.get(code) ?? String(code);
}

/** Tracked emails for the replay from outgoing records the workspace does not know (by Message-ID). */
function importedTracked(emails: readonly AuditEmail[], known: ReadonlySet<string>): TrackedEmail[] {
  const out: TrackedEmail[] = [];
  for (const e of emails) {
    if (e.direction !== 'outgoing') continue;
    const m = mid(e.messageId);
    if (m && known.has(m)) continue;
    if (!e.activityId) continue;
    out.push({
      id: e.activityId, messageId: e.messageId, subject: e.subject ?? '', trackingToken: e.trackingToken, conversationIndex: e.conversationIndex,
      direction: 'outgoing', from: e.sender, to: (e.toRecipients ?? '').split(/[;,]/).map((x) => x.trim().toLowerCase()).filter((x) => x !== ''), cc: [],
      sentOn: e.createdOn ?? '1970-01-01T00:00:00Z', regarding: lookupRef(e.regarding),
    });
  }
  return out;
}

export function runAudit(a: AuditInput, cache: ReplayCache = new ReplayCache()): AuditResult {
  const { input, settings, emails } = a;
  const byMid = new Map<string, MessageFacts[]>();
  for (const m of input.messages) {
    const k = mid(m.messageId);
    if (!k) continue;
    const list = byMid.get(k);
    if (list) list.push(m);
    else byMid.set(k, [m]);
  }
  const known = new Set<string>([...byMid.keys(), ...input.tracked.map((t) => mid(t.messageId)).filter((x): x is string => x !== null)]);
  const added = importedTracked(emails, known);
  const result = replay({ ...input, tracked: added.length ? [...input.tracked, ...added] : input.tracked, settings }, cache);
  const decisionOf = new Map<string, Decision>(result.decisions.map((d) => [d.key, d]));

  // Record ↔ message matching.
  const matched: { rec: AuditEmail; msg: MessageFacts }[] = [];
  const unmatchedRecords: UnmatchedRecord[] = [];
  const usedKeys = new Set<string>();
  const seenMid = new Map<string, number>();
  const incoming = emails.filter((e) => e.direction !== 'outgoing');
  for (const e of incoming) {
    const k = mid(e.messageId);
    const base = { row: e.row, activityId: e.activityId, messageId: e.messageId, subject: e.subject };
    if (!k) { unmatchedRecords.push({ ...base, reason: 'the record has no Message-ID, so it cannot be matched to a message' }); continue; }
    const prior = seenMid.get(k);
    if (prior !== undefined) { unmatchedRecords.push({ ...base, reason: `a second record with Message-ID <${k}> (row ${prior} is matched); Dynamics keeps one activity per Message-ID` }); continue; }
    seenMid.set(k, e.row);
    const candidates = byMid.get(k) ?? [];
    // The same message in several mailboxes: the one SyncLens tracks is the copy Dynamics would have kept.
    const msg = candidates.find((m) => decisionOf.get(m.key)?.tracked) ?? candidates[0];
    if (!msg) { unmatchedRecords.push({ ...base, reason: `no workspace message has Message-ID <${k}>: the message is missing from the imported mailboxes` }); continue; }
    for (const c of candidates) usedKeys.add(c.key);
    matched.push({ rec: e, msg });
  }
  // Activity id of each message key's record, to name SyncLens's correlation target in Dynamics terms.
  const activityOfKey = new Map<string, string>();
  for (const { rec, msg } of matched) if (rec.activityId) activityOfKey.set(msg.key, rec.activityId.toLowerCase());
  const importedIds = new Set(emails.map((e) => e.activityId?.toLowerCase()).filter((x): x is string => !!x));
  const trackedIds = new Set([...input.tracked, ...added].map((t) => t.id.toLowerCase()));

  // A lookup column no record fills was most likely not exported at all: an empty value then says nothing.
  const exported = {
    correlatedTo: emails.some((e) => e.correlatedActivity !== null),
    parent: emails.some((e) => e.parentActivity !== null),
    regarding: emails.some((e) => e.regarding !== null),
    method: emails.some((e) => e.correlationMethod !== null),
  };
  const rows: AuditRow[] = matched.map(({ rec, msg }) => {
    const d = decisionOf.get(msg.key) as Decision;
    const dyn: SideView = {
      tracked: true, methodCode: rec.correlationMethod, method: methodName(rec.correlationMethod),
      correlatedTo: rec.correlatedActivity?.id ?? null, parent: rec.parentActivity?.id ?? null, regarding: rec.regarding?.id ?? null,
    };
    const target = (k: string | null): string | null => (k === null ? null : activityOfKey.get(k) ?? k.toLowerCase());
    const syn: SideView = {
      tracked: d.tracked, methodCode: d.tracked ? d.correlationMethodCode : null, method: d.tracked ? d.correlationMethod : null,
      correlatedTo: target(d.correlatedTo), parent: target(d.parent), regarding: refId(d.regarding),
    };
    const fields: FieldComparison[] = [];
    const cmp = (field: AuditField, x: string | boolean | null, y: string | boolean | null, comparable: boolean): void => {
      fields.push({ field, dynamics: x, synclens: y, comparable, agree: !comparable || x === y });
    };
    cmp('tracked', true, syn.tracked, true);
    const bothTracked = syn.tracked;
    cmp('method', dyn.methodCode === null ? null : String(dyn.methodCode), syn.methodCode === null ? null : String(syn.methodCode), bothTracked && exported.method && dyn.methodCode !== null);
    // A CSV export gives lookups as names: only ids can be compared.
    const idsKnown = (l: LookupValue | null, col: boolean): boolean => col && (l === null || l.id !== null);
    cmp('correlatedTo', dyn.correlatedTo, syn.correlatedTo, bothTracked && idsKnown(rec.correlatedActivity, exported.correlatedTo));
    cmp('parent', dyn.parent, syn.parent, bothTracked && idsKnown(rec.parentActivity, exported.parent));
    cmp('regarding', dyn.regarding, syn.regarding, bothTracked && idsKnown(rec.regarding, exported.regarding));
    const agree = fields.every((f) => f.agree);
    const causes = agree ? [] : likelyCauses(rec, d, dyn, syn, fields, settings, { importedIds, trackedIds, activityOfKey });
    if (agree && fields.some((f) => !f.comparable && f.field !== 'method' && bothTracked && (f.dynamics !== null || f.synclens !== null))) {
      causes.push({ kind: 'not-comparable', detail: 'Some lookups were exported as names, not ids; they were not compared (export the lookup id columns to compare them).' });
    }
    return {
      row: rec.row, activityId: rec.activityId, messageId: rec.messageId ?? '', subject: rec.subject ?? msg.subject, messageKey: msg.key,
      dynamics: dyn, synclens: syn, fields, agree, causes, trace: explainDecision(d),
    };
  });

  const unmatchedMessages: UnmatchedMessage[] = [];
  for (const m of input.messages) {
    if (usedKeys.has(m.key)) continue;
    const d = decisionOf.get(m.key);
    unmatchedMessages.push({ key: m.key, messageId: m.messageId, subject: m.subject, synclensTracked: d?.tracked ?? false, outcome: d?.outcome ?? 'unknown' });
  }

  const causeCounts = new Map<CauseKind, number>();
  for (const r of rows) if (!r.agree) for (const k of new Set(r.causes.map((c) => c.kind))) causeCounts.set(k, (causeCounts.get(k) ?? 0) + 1);
  const agreements = rows.filter((r) => r.agree).length;
  return {
    counts: {
      records: emails.length, incoming: incoming.length, outgoing: emails.length - incoming.length, matched: rows.length, agreements,
      disagreements: rows.length - agreements, unmatchedRecords: unmatchedRecords.length, unmatchedMessages: unmatchedMessages.length, addedTracked: added.length,
    },
    rows, unmatchedRecords, unmatchedMessages,
    causes: [...causeCounts.entries()].map(([kind, count]) => ({ kind, count })).sort((x, y) => y.count - x.count),
    importProblems: [...(a.importProblems ?? [])],
  };
}

interface Known { importedIds: ReadonlySet<string>; trackedIds: ReadonlySet<string>; activityOfKey: ReadonlyMap<string, string> }

/** Heuristics, most specific first; each names what to check. */
export function likelyCauses(rec: AuditEmail, d: Decision, dyn: SideView, syn: SideView, fields: readonly FieldComparison[], s: Settings, known: Known): AuditCause[] {
  const causes: AuditCause[] = [];
  const dynMethod = (dyn.method ?? '').replace(/\s+/g, '') as CorrelationMethod;
  // 1. Dynamics correlated to an email neither the import nor the workspace holds.
  if (dyn.correlatedTo && !known.importedIds.has(dyn.correlatedTo) && !known.trackedIds.has(dyn.correlatedTo)) {
    causes.push({ kind: 'missing-from-import', detail: `Dynamics correlated this email to activity ${dyn.correlatedTo}, which is in neither the import nor the workspace: SyncLens could not find it. Export that activity (and its mailbox's messages) and run the audit again.` });
  }
  // 2. Dynamics used a method the settings given for the audit disable.
  const gate = METHOD_GATE[dynMethod]?.(s) ?? [];
  if (gate.length) {
    causes.push({ kind: 'setting-difference', settings: gate, detail: `Dynamics correlated by ${dyn.method}, which the audited settings turn off (${gate.join(', ')}): the organization's settings at the time probably differed.` });
  }
  // 3. SyncLens used a method Dynamics never reached.
  if (syn.tracked && syn.method && syn.method !== 'None' && syn.method !== 'Skipped' && dyn.method && dyn.method !== syn.method && (dyn.methodCode === 0 || dyn.methodCode === null)) {
    const why = syn.method === 'SmartMatching' ? SMART_SETTINGS : syn.method === 'TrackingToken' ? ['usetrackingtokens', 'trackingprefix', 'trackingprefixhistory'] : ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation'];
    causes.push({ kind: 'setting-difference', settings: why, detail: `SyncLens correlated by ${syn.method} where Dynamics recorded no correlation: check ${why.slice(0, 3).join(', ')} as they were then, or whether the email SyncLens linked to (${syn.correlatedTo ?? '?'}) existed in Dynamics at that time.` });
  }
  // 4. Not tracked by SyncLens although Dynamics has a record.
  if (!syn.tracked) {
    const step = d.trace.find((t) => t.result === 'stopped' || t.stage === 'Accept');
    const st = step?.settings?.length ? step.settings : undefined;
    causes.push({ kind: st ? 'setting-difference' : 'unexplained', ...(st ? { settings: st } : {}), detail: `SyncLens would not track this message (${d.outcome}): ${step?.detail ?? 'see the trace'} Dynamics did: the mailbox's filtering method, the directory, or the settings of the time may have differed, or the email was tracked by hand.` });
  }
  // 5. Same method, different email: several candidates, SyncLens's choice rests on an undocumented rule.
  const undocumented = d.trace.filter((t) => t.undocumented);
  const targetDiffers = fields.some((f) => f.field === 'correlatedTo' && f.comparable && !f.agree);
  if (undocumented.length && (targetDiffers || causes.length === 0)) {
    causes.push({ kind: 'undocumented-behaviour', detail: `SyncLens's decision rests on behaviour Microsoft does not document (${undocumented.map((t) => t.stage).join(', ')}: e.g. the most recent of several candidates wins, the smart-matching subject rule, the ConversationIndex rule); Dynamics may do otherwise here.` });
  }
  // 6. Only the Regarding differs: Dynamics lets users and plug-ins change it after tracking.
  const diffFields = fields.filter((f) => f.comparable && !f.agree).map((f) => f.field);
  if (causes.length === 0 && diffFields.length === 1 && diffFields[0] === 'regarding') {
    causes.push({ kind: 'unexplained', detail: 'Only the Regarding differs: it may have been set or changed after tracking (by a user, a workflow or a plug-in), which the export cannot show.' });
  }
  if (causes.length === 0) causes.push({ kind: 'unexplained', detail: `No likely cause found for the difference in ${diffFields.join(', ')}; compare the trace with the record.` });
  return causes;
}

