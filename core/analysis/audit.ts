// Audit: compare what Dynamics recorded (email activities exported from Dataverse, auditImport.ts) with
// what SyncLens decides for the same messages under the settings of the time. Each incoming record is
// matched to a workspace message by Message-ID; records and messages that find no partner are reported
// both ways. Outgoing records (email sent from Dynamics) are not replayed; those the workspace does not
// already know become tracked emails of the replay, since Dynamics correlated incoming mail against them.
// Every disagreement carries SyncLens's trace and its cause, but a setting or an undocumented rule is
// offered as the cause only once it is proven: the workspace is replayed with that one change applied
// (smart matching on, tokens off, another subject rule, …) and Dynamics' recorded decision comes out for
// that record. When no change tried does that, the row says "unexplained" and lists the nearest
// candidates with what each gives instead. Pure: data in, data out.

import { replay, ReplayCache, type Settings, type Decision, type MessageFacts, type ReplayInput, type TrackedEmail } from '../engine/index.js';
import { CORRELATION_METHOD_LABELS, type AuditEmail, type ImportProblem, type LookupValue } from './auditImport.js';

export type AuditField = 'tracked' | 'method' | 'correlatedTo' | 'parent' | 'regarding';

export type CauseKind = 'missing-from-import' | 'setting-difference' | 'undocumented-behaviour' | 'not-comparable' | 'unexplained';

export interface AuditCause {
  kind: CauseKind;
  /** A sentence for the auditor. */
  detail: string;
  settings?: string[];
  /** True when a replay with this cause applied gave Dynamics' recorded decision. */
  verified?: boolean;
}

/** A change tried on a row that did not reproduce Dynamics' decision, nearest first. */
export interface AuditCandidate {
  /** e.g. "smart matching on". */
  change: string;
  settings: string[];
  /** What SyncLens decides with it, e.g. "tracked, In-Reply-To → “Quote”". */
  gives: string;
  /** Compared fields that then agree with Dynamics, of those comparable. */
  agreeing: number;
  of: number;
}

export interface SideView {
  tracked: boolean;
  method: string | null;
  methodCode: number | null;
  /** Activity id (Dynamics) or, for SyncLens, the activity id of the matched record when known, else the key. */
  correlatedTo: string | null;
  /** The correlated email as a person reads it: subject and date, or "an email not in the export". */
  correlatedToLabel: string | null;
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
  /** Unexplained rows: the changes tried that came nearest, with what each gives. */
  candidates: AuditCandidate[];
  /** SyncLens's decision as numbered steps (each number once). */
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
  /** The changes replayed to prove causes (empty when every row agrees). */
  verification: { replays: number; changesTried: string[] };
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

/** Method names as an auditor reads them (the option labels of email.correlationmethod, research §1). */
const METHOD_READABLE: Record<string, string> = {
  None: 'no correlation', Skipped: 'correlation skipped', XHeader: 'X-header', InReplyTo: 'In-Reply-To', TrackingToken: 'tracking token',
  ConversationIndex: 'ConversationIndex', SmartMatching: 'smart matching', CustomCorrelation: 'custom correlation',
};

function methodName(code: number | null): string | null {
  return code === null ? null : LABEL_TO_METHOD.get(code) ?? `unknown method ${code}`;
}

/** One change the audit replays to test a cause: a setting of the time, or another undocumented rule. */
export interface CauseChange {
  label: string;
  settings: Partial<Settings>;
  kind: 'setting-difference' | 'undocumented-behaviour';
}

/**
 * The single changes tried on disagreeing rows, from the audited settings: each documented switch flipped,
 * smart matching on (both of its switches), the smart-matching thresholds one step either way, and each
 * other value of the simulator's undocumented rules (SIMULATOR "alternatives").
 */
export function causeChanges(s: Settings): CauseChange[] {
  const out: CauseChange[] = [];
  const smartOn = s.enablesmartmatching && !s.DisableSmartMatching;
  if (!smartOn) out.push({ label: 'smart matching on', settings: { enablesmartmatching: true, DisableSmartMatching: false }, kind: 'setting-difference' });
  else out.push({ label: 'smart matching off', settings: { enablesmartmatching: false }, kind: 'setting-difference' });
  const flips: (keyof Settings)[] = [
    'usetrackingtokens', 'emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation', 'DoNotCorrelateForwardedEmailsAsReplies',
    'ignoreinternalemail', 'UseFilteringMethodOfSyncingMailboxOnlyForCorrelation', 'unresolveemailaddressifmultiplematch', 'UnresolveSenderInCaseOfMultipleMatch',
    'OverrideV5SenderConflictResolution', 'ResolveForInactiveEntities', 'AutoTrackSentFolderItems', 'DoNotIgnoreInternalEmailToQueues', 'IgnoreInternalEmailFromQueues',
  ];
  for (const k of flips) {
    const v = s[k];
    if (typeof v !== 'boolean') continue;
    out.push({ label: `${k} ${v ? 'off' : 'on'}`, settings: { [k]: !v } as Partial<Settings>, kind: 'setting-difference' });
  }
  const smart = (p: Partial<Settings>): Partial<Settings> => (smartOn ? p : { ...p, enablesmartmatching: true, DisableSmartMatching: false });
  const smartNote = smartOn ? '' : ' (with smart matching on)';
  for (const d of [-1, 1]) {
    const n = s.hashminaddresscount + d;
    if (n >= 0) out.push({ label: `HashMinAddressCount ${n}${smartNote}`, settings: smart({ hashminaddresscount: n }), kind: 'setting-difference' });
    const m = s.hashdeltasubjectcount + d;
    if (m >= 0) out.push({ label: `HashDeltaSubjectCount ${m}${smartNote}`, settings: smart({ hashdeltasubjectcount: m }), kind: 'setting-difference' });
  }
  for (const rule of ['A', 'B', 'C'] as const) if (rule !== s.simSmartMatchingSubjectRule) out.push({ label: `smart-matching subject rule ${rule}${smartNote}`, settings: smart({ simSmartMatchingSubjectRule: rule }), kind: 'undocumented-behaviour' });
  for (const w of [0, 90]) if (w !== s.simSmartMatchingWindowDays) out.push({ label: `smart-matching window ${w === 0 ? 'all history' : `${w} days`}${smartNote}`, settings: smart({ simSmartMatchingWindowDays: w }), kind: 'undocumented-behaviour' });
  for (const rule of ['parent', 'exact', 'base'] as const) if (rule !== s.simConversationIndexRule) out.push({ label: `ConversationIndex rule "${rule}"`, settings: { simConversationIndexRule: rule }, kind: 'undocumented-behaviour' });
  out.push({ label: `In-Reply-To ${s.simInReplyToUsesReferences ? 'without' : 'also trying'} the last References id`, settings: { simInReplyToUsesReferences: !s.simInReplyToUsesReferences }, kind: 'undocumented-behaviour' });
  for (const pos of ['anywhere', 'end'] as const) if (pos !== s.simTokenPosition) out.push({ label: `tracking token read only ${pos === 'end' ? 'at the end of the subject' : 'anywhere in the subject'}`, settings: { simTokenPosition: pos }, kind: 'undocumented-behaviour' });
  return out;
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

/** SyncLens's decision as numbered steps, each number once, in a person's words (no row keys, no codes). */
export function auditTrace(d: Decision): string[] {
  const head = `SyncLens: ${d.tracked ? 'tracked' : 'not tracked'} (${d.outcome}), ${METHOD_READABLE[d.correlationMethod] ?? d.correlationMethod}.`;
  return [head, ...d.trace.map((t, i) => {
    const extra: string[] = [];
    if (t.settings?.length) extra.push(`Decided by: ${t.settings.join(', ')}.`);
    if (t.undocumented) extra.push('This rests on an undocumented default of the simulator, not on a Microsoft source.');
    return `Step ${i + 1} · ${t.stage} — ${t.result}. ${t.detail}${extra.length ? ` ${extra.join(' ')}` : ''}`;
  })];
}

interface Ctx {
  activityOfKey: ReadonlyMap<string, string>;
  labelOf: (id: string | null) => string | null;
  exported: { correlatedTo: boolean; parent: boolean; regarding: boolean; method: boolean };
}

function synSide(d: Decision, ctx: Ctx): SideView {
  const target = (k: string | null): string | null => (k === null ? null : ctx.activityOfKey.get(k) ?? k.toLowerCase());
  const correlatedTo = target(d.correlatedTo);
  return {
    tracked: d.tracked, methodCode: d.tracked ? d.correlationMethodCode : null, method: d.tracked ? d.correlationMethod : null,
    correlatedTo, correlatedToLabel: d.correlatedTo === null ? null : ctx.labelOf(correlatedTo) ?? ctx.labelOf(d.correlatedTo), parent: target(d.parent), regarding: refId(d.regarding),
  };
}

function compare(rec: AuditEmail, dyn: SideView, syn: SideView, ctx: Ctx): FieldComparison[] {
  const fields: FieldComparison[] = [];
  const cmp = (field: AuditField, x: string | boolean | null, y: string | boolean | null, comparable: boolean): void => {
    fields.push({ field, dynamics: x, synclens: y, comparable, agree: !comparable || x === y });
  };
  cmp('tracked', true, syn.tracked, true);
  const bothTracked = syn.tracked;
  // Compared by name ("SmartMatching" vs "InReplyTo"), never by option code.
  cmp('method', dyn.method, syn.method, bothTracked && ctx.exported.method && dyn.methodCode !== null);
  // A CSV export gives lookups as names: only ids can be compared.
  const idsKnown = (l: LookupValue | null, col: boolean): boolean => col && (l === null || l.id !== null);
  cmp('correlatedTo', dyn.correlatedTo, syn.correlatedTo, bothTracked && idsKnown(rec.correlatedActivity, ctx.exported.correlatedTo));
  cmp('parent', dyn.parent, syn.parent, bothTracked && idsKnown(rec.parentActivity, ctx.exported.parent));
  cmp('regarding', dyn.regarding, syn.regarding, bothTracked && idsKnown(rec.regarding, ctx.exported.regarding));
  return fields;
}

function gives(syn: SideView): string {
  if (!syn.tracked) return 'not tracked';
  return `tracked, ${METHOD_READABLE[syn.method ?? 'None'] ?? syn.method}${syn.correlatedTo ? ` → ${syn.correlatedToLabel ?? 'an email'}` : ''}`;
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
  const replayInput = { ...input, tracked: added.length ? [...input.tracked, ...added] : input.tracked };
  const result = replay({ ...replayInput, settings }, cache);
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
  // Subjects and dates of everything a link may name, so rows say "“Quote” (2024-03-01)", not an id.
  const labels = new Map<string, string>();
  const label = (subject: string | null | undefined, date: string | null | undefined): string => `“${subject || '(no subject)'}”${date ? ` (${date.slice(0, 10)})` : ''}`;
  for (const e of emails) if (e.activityId) labels.set(e.activityId.toLowerCase(), label(e.subject, e.createdOn));
  for (const t of [...input.tracked, ...added]) if (!labels.has(t.id.toLowerCase())) labels.set(t.id.toLowerCase(), label(t.subject, t.sentOn));
  for (const m of input.messages) labels.set(m.key.toLowerCase(), label(m.subject, m.date));
  const labelOf = (id: string | null): string | null => (id === null ? null : labels.get(id.toLowerCase()) ?? 'an email not in the export or the workspace');

  // A lookup column no record fills was most likely not exported at all: an empty value then says nothing.
  const ctx: Ctx = {
    activityOfKey, labelOf,
    exported: {
      correlatedTo: emails.some((e) => e.correlatedActivity !== null),
      parent: emails.some((e) => e.parentActivity !== null),
      regarding: emails.some((e) => e.regarding !== null),
      method: emails.some((e) => e.correlationMethod !== null),
    },
  };
  const rows: AuditRow[] = matched.map(({ rec, msg }) => {
    const d = decisionOf.get(msg.key) as Decision;
    const dyn: SideView = {
      tracked: true, methodCode: rec.correlationMethod, method: methodName(rec.correlationMethod),
      correlatedTo: rec.correlatedActivity?.id?.toLowerCase() ?? null, correlatedToLabel: rec.correlatedActivity ? (rec.correlatedActivity.id ? labelOf(rec.correlatedActivity.id) : rec.correlatedActivity.name) : null,
      parent: rec.parentActivity?.id?.toLowerCase() ?? null, regarding: rec.regarding?.id?.toLowerCase() ?? null,
    };
    const syn = synSide(d, ctx);
    const fields = compare(rec, dyn, syn, ctx);
    const agree = fields.every((f) => f.agree);
    const causes: AuditCause[] = agree ? [] : factualCauses(dyn, { importedIds, trackedIds });
    if (agree && fields.some((f) => !f.comparable && f.field !== 'method' && syn.tracked && (f.dynamics !== null || f.synclens !== null))) {
      causes.push({ kind: 'not-comparable', detail: 'Some lookups were exported as names, not ids; they were not compared (export the lookup id columns to compare them).' });
    }
    return {
      row: rec.row, activityId: rec.activityId, messageId: rec.messageId ?? '', subject: rec.subject ?? msg.subject, messageKey: msg.key,
      dynamics: dyn, synclens: syn, fields, agree, causes, candidates: [], trace: auditTrace(d),
    };
  });

  // Proof by replay: every change tried once over the whole workspace, each disagreeing row checked against it.
  const open = rows.filter((r) => !r.agree && !r.causes.some((c) => c.kind === 'missing-from-import'));
  const changes = open.length ? causeChanges(settings) : [];
  const tried: { change: CauseChange; sides: Map<string, SideView> }[] = [];
  for (const change of changes) {
    const r = replay({ ...replayInput, settings: { ...settings, ...change.settings } }, cache);
    const want = new Set(open.map((x) => x.messageKey));
    const sides = new Map<string, SideView>();
    for (const d of r.decisions) if (want.has(d.key)) sides.set(d.key, synSide(d, ctx));
    tried.push({ change, sides });
  }
  const recOf = new Map(matched.map(({ rec, msg }) => [msg.key, rec]));
  for (const row of open) {
    const rec = recOf.get(row.messageKey) as AuditEmail;
    const scored = tried.map(({ change, sides }) => {
      const syn = sides.get(row.messageKey);
      if (!syn) return null;
      const f = compare(rec, row.dynamics, syn, ctx);
      const comparable = f.filter((x) => x.comparable);
      return { change, syn, reproduces: f.every((x) => x.agree), agreeing: comparable.filter((x) => x.agree).length, of: comparable.length };
    }).filter((x): x is NonNullable<typeof x> => x !== null);
    const proven = scored.filter((x) => x.reproduces);
    for (const p of proven) {
      const keys = Object.keys(p.change.settings);
      row.causes.push({
        kind: p.change.kind, settings: keys, verified: true,
        detail: p.change.kind === 'setting-difference'
          ? `Replaying with ${p.change.label} gives Dynamics' recorded decision (${gives(row.dynamics)}): the organization's settings at the time probably had ${p.change.label}.`
          : `Replaying with ${p.change.label} (an undocumented rule SyncLens has to choose) gives Dynamics' recorded decision (${gives(row.dynamics)}): Dynamics may work that way here.`,
      });
    }
    if (proven.length === 0) {
      const differing = row.fields.filter((f) => f.comparable && !f.agree).map((f) => f.field);
      const stop = row.synclens.tracked ? null : decisionOf.get(row.messageKey)?.trace.find((t) => t.result === 'stopped');
      const why = !row.synclens.tracked
        ? ` SyncLens does not track it${stop ? ` (${stop.stage}: ${stop.detail})` : ''}; the mailbox's filtering method, the directory or the email being tracked by hand may explain it.`
        : differing.length === 1 && differing[0] === 'regarding' ? ' Only the Regarding differs: it may have been changed after tracking by a user, a workflow or a plug-in, which the export cannot show.' : '';
      row.causes.push({ kind: 'unexplained', detail: `No single change SyncLens tried reproduces Dynamics' decision (${gives(row.dynamics)}; SyncLens: ${gives(row.synclens)}).${why}` });
      row.candidates = scored.sort((x, y) => y.agreeing - x.agreeing).slice(0, 3)
        .map((x) => ({ change: x.change.label, settings: Object.keys(x.change.settings), gives: gives(x.syn), agreeing: x.agreeing, of: x.of }));
    }
  }

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
    verification: { replays: tried.length, changesTried: changes.map((c) => c.label) },
  };
}

interface Known { importedIds: ReadonlySet<string>; trackedIds: ReadonlySet<string> }

/** Causes that are facts of the data, not hypotheses: Dynamics linked to an email nobody exported. */
function factualCauses(dyn: SideView, known: Known): AuditCause[] {
  if (dyn.correlatedTo && !known.importedIds.has(dyn.correlatedTo) && !known.trackedIds.has(dyn.correlatedTo)) {
    return [{ kind: 'missing-from-import', verified: true, detail: `Dynamics correlated this email to an activity that is in neither the import nor the workspace (id ${dyn.correlatedTo}): SyncLens could not find it. Export that activity (and its mailbox's messages) and run the audit again.` }];
  }
  return [];
}
