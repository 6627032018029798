// What-if (SIMULATOR §7): two replays over the same messages, one with the baseline settings (what the
// org runs today) and one with a proposal. Every message whose outcome, correlation method, correlated
// activity, parent or Regarding differs is listed, and the changes are grouped by cause: the kind of change
// ("now linked", "no longer tracked", …), the method involved, and the setting change(s) that produce it.
// Causes are found by counterfactual replays, not guessed from traces: with several settings changed, the
// workspace is replayed with each change alone (from the baseline) and with each change left out (from the
// proposal). A change that alone reproduces a message's new decision caused it; when none does, the changes
// whose removal undoes it are named as a combination ("only X and Y together"). The engine's ReplayCache
// makes the extra replays cheap: each one redoes only the decisions that read a setting it changed.
// A message whose own decision read none of the changed settings changed because an earlier message did
// (its correlated email is tracked differently): a knock-on, still attributed to the change upstream.
// Every new or lost link is graded against the sweep's ground truth (threading.ts: Message-ID, In-Reply-To,
// References and Thread-Index, never subjects), so "what would this do" says "and is it right".
// Pure: data in, data out; the result is plain data the CLI, the reports and the app render.

import { replay, ReplayCache, type Settings, diffSettings, type CorrelationMethod, type Decision, type MessageFacts, type Outcome, type ReplayInput, type ReplayResult, type TrackedEmail } from '../engine/index.js';
import { buildGroundTruth, type GroundTruth } from './sweep.js';
import { whyNothingTracked } from '../org/nothingTracked.js';

export type ChangedField = 'outcome' | 'method' | 'correlatedTo' | 'parent' | 'regarding';

export type ChangeKind =
  | 'newly-tracked' | 'no-longer-tracked' | 'now-correlated' | 'no-longer-correlated'
  | 'method-changed' | 'target-changed' | 'regarding-changed' | 'outcome-changed';

/** The fields of a decision a what-if compares. */
export interface DecisionSummary {
  outcome: Outcome;
  tracked: boolean;
  method: CorrelationMethod;
  correlatedTo: string | null;
  parent: string | null;
  regarding: string | null;
  /** The Correlate step of the trace, as a sentence (why the method found or did not find an email). */
  correlateDetail: string | null;
}

/** How a link compares with the true conversations: same thread, different thread, or not known. */
export type LinkVerdict = 'same' | 'different' | 'unknown';

export interface LinkGrade {
  /** The proposal's link, when it is new (none before, or another email before). */
  newLink: LinkVerdict | null;
  /** The baseline's link, when the proposal loses it (no link after, or another email after). */
  lostLink: LinkVerdict | null;
}

/**
 * How a change was attributed. `single`: that change alone reproduces it. `either`: each of several changes
 * alone reproduces it. `combination`: no change alone does; the ones named are those whose removal undoes it.
 * `only-change`: one setting changed, so it is the cause. `trace`: too many changes to replay each, the
 * settings the two decisions' traces read.
 */
export type AttributionKind = 'single' | 'either' | 'combination' | 'only-change' | 'trace';

export interface MessageChange {
  key: string;
  subject: string;
  from: string | null;
  date: string | null;
  /** Position in processing order (0-based). */
  position: number;
  before: DecisionSummary;
  after: DecisionSummary;
  fields: ChangedField[];
  kind: ChangeKind;
  /** The setting change(s) that produce this change (see attribution). */
  settings: string[];
  attribution: AttributionKind;
  /** Its own decision read none of the changed settings: it changed because an earlier email did. */
  knockOn: boolean;
  grade: LinkGrade;
  /** Id of the ChangeGroup it belongs to. */
  group: string;
}

export interface GradeCounts {
  newLinks: number; newRight: number; newFalse: number; newUnknown: number;
  lostLinks: number; lostRight: number; lostFalse: number; lostUnknown: number;
}

export interface ChangeGroup {
  id: string;
  kind: ChangeKind;
  /** Method the sentence is about (after, or before for losses). */
  method: CorrelationMethod | null;
  settings: string[];
  attribution: AttributionKind;
  knockOn: boolean;
  count: number;
  grade: GradeCounts;
  /** e.g. "smart matching on: smart matching now links 27 replies". */
  sentence: string;
  /** The grade alone, e.g. "27 new links, 1 likely false: different thread" ('' when no link changed). */
  gradeSentence: string;
  keys: string[];
}

export interface SettingChange { key: keyof Settings; from: unknown; to: unknown }

export interface WhatIfResult {
  settingsDiff: SettingChange[];
  total: number;
  changed: number;
  baseline: Pick<ReplayResult, 'countsByOutcome' | 'countsByMethod'> & { tracked: number };
  proposal: Pick<ReplayResult, 'countsByOutcome' | 'countsByMethod'> & { tracked: number };
  /** Largest first. */
  groups: ChangeGroup[];
  /** In processing order. */
  changes: MessageChange[];
  /** One line per group, for the apply kit's "measured effect". */
  effectLines: string[];
  /** Every new and lost link graded against the true conversations. */
  grade: GradeCounts;
  gradeSentence: string;
  /** How causes were found: counterfactual replays, or the traces when too many settings changed. */
  attributionMethod: 'replay' | 'trace';
  /** Extra replays run to attribute causes. */
  attributionReplays: number;
  /** Why (part of) the proposal cannot change anything, and other cautions. */
  warnings: string[];
}

/** Settings a correlation method reads besides the gates the trace names. */
const METHOD_SETTINGS: Record<CorrelationMethod, readonly string[]> = {
  None: [],
  Skipped: [],
  InReplyTo: ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation', 'DoNotCorrelateForwardedEmailsAsReplies', 'simInReplyToUsesReferences'],
  TrackingToken: ['usetrackingtokens', 'trackingprefix', 'trackingprefixhistory', 'trackingtokenidbase', 'trackingtokeniddigits', 'maximumtrackingnumber', 'simTokenSeparator', 'simTokenPosition'],
  ConversationIndex: ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation', 'simConversationIndexRule'],
  SmartMatching: ['enablesmartmatching', 'DisableSmartMatching', 'hashfilterkeywords', 'hashmaxcount', 'hashdeltasubjectcount', 'hashminaddresscount', 'simSmartMatchingSubjectRule', 'simSmartMatchingWindowDays'],
};

const METHOD_PHRASE: Record<CorrelationMethod, string> = {
  None: 'no correlation', Skipped: 'correlation skipped', InReplyTo: 'In-Reply-To', TrackingToken: 'the tracking token',
  ConversationIndex: 'the ConversationIndex', SmartMatching: 'smart matching',
};

function summarize(d: Decision): DecisionSummary {
  const step = d.trace.find((t) => t.stage === 'Correlate');
  return {
    outcome: d.outcome, tracked: d.tracked, method: d.correlationMethod, correlatedTo: d.correlatedTo, parent: d.parent,
    regarding: d.regarding, correlateDetail: step ? step.detail : null,
  };
}

function changedFields(a: DecisionSummary, b: DecisionSummary): ChangedField[] {
  const out: ChangedField[] = [];
  if (a.outcome !== b.outcome) out.push('outcome');
  if (a.method !== b.method) out.push('method');
  if (a.correlatedTo !== b.correlatedTo) out.push('correlatedTo');
  if (a.parent !== b.parent) out.push('parent');
  if (a.regarding !== b.regarding) out.push('regarding');
  return out;
}

const correlated = (s: DecisionSummary): boolean => s.correlatedTo !== null;

export function classifyChange(a: DecisionSummary, b: DecisionSummary): ChangeKind {
  if (!a.tracked && b.tracked) return 'newly-tracked';
  if (a.tracked && !b.tracked) return 'no-longer-tracked';
  if (!correlated(a) && correlated(b)) return 'now-correlated';
  if (correlated(a) && !correlated(b)) return 'no-longer-correlated';
  if (a.method !== b.method) return 'method-changed';
  if (a.correlatedTo !== b.correlatedTo) return 'target-changed';
  if (a.regarding !== b.regarding || a.parent !== b.parent) return 'regarding-changed';
  return 'outcome-changed';
}

const CORRELATION_ORDER: readonly CorrelationMethod[] = ['InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];

/**
 * The changed settings that decided either decision: named in a trace step, or read by a method that was
 * tried. A method's settings count only when the message could have been linked by it (it has an
 * In-Reply-To, a token, a Thread-Index): turning tokens off does not explain a change to a message that
 * never carried a token, even though its trace says the token method was skipped.
 */
function attribute(before: Decision, after: Decision, changed: ReadonlySet<string>, m: MessageFacts | undefined): string[] {
  const could: Record<CorrelationMethod, boolean> = {
    None: false, Skipped: false, SmartMatching: true,
    InReplyTo: !m || m.inReplyTo !== null || m.references.length > 0,
    TrackingToken: !m || before.tokenParts.length > 0 || after.tokenParts.length > 0,
    ConversationIndex: !m || m.threadIndex !== null,
  };
  for (const d of [before, after]) if (d.correlationMethod !== 'None' && d.correlationMethod !== 'Skipped') could[d.correlationMethod] = true;
  const relevant = new Set<string>();
  for (const meth of CORRELATION_ORDER) if (could[meth]) for (const k of METHOD_SETTINGS[meth]) relevant.add(k);
  const methodKeys = new Set<string>(CORRELATION_ORDER.flatMap((x) => [...METHOD_SETTINGS[x]]));
  const read = new Set<string>();
  for (const d of [before, after]) {
    for (const t of d.trace) for (const k of t.settings ?? []) if (!methodKeys.has(k) || relevant.has(k)) read.add(k);
    const step = d.trace.find((t) => t.stage === 'Correlate');
    // The winner, and the methods tried before it (they found nothing); every method when none matched.
    const upTo = step?.result === 'matched' ? CORRELATION_ORDER.indexOf(d.correlationMethod) + 1 : step && (step.result === 'no match' || step.result === 'not recorded') ? CORRELATION_ORDER.length : 0;
    for (const meth of CORRELATION_ORDER.slice(0, upTo)) if (could[meth]) for (const k of METHOD_SETTINGS[meth]) read.add(k);
  }
  return [...changed].filter((k) => read.has(k)).sort();
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** A short phrase for a settings change: "smart matching on", "tokens off", "hashminaddresscount 2 → 3". */
export function settingsPhrase(keys: readonly string[], diff: readonly SettingChange[]): string {
  const phrases = keys.map((k) => {
    const c = diff.find((x) => x.key === k);
    if (!c) return k;
    if (k === 'enablesmartmatching') return c.to ? 'smart matching on' : 'smart matching off';
    if (k === 'DisableSmartMatching') return c.to ? 'DisableSmartMatching on' : 'DisableSmartMatching off';
    if (k === 'usetrackingtokens') return c.to ? 'tokens on' : 'tokens off';
    if (k === 'emailcorrelationenabled') return c.to ? 'correlation on' : 'correlation off';
    if (typeof c.to === 'boolean') return `${k} ${c.to ? 'on' : 'off'}`;
    return `${k} ${show(c.from)} → ${show(c.to)}`;
  });
  return phrases.join(', ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function attributionPrefix(kind: AttributionKind, keys: readonly string[], diff: readonly SettingChange[]): string {
  const phrase = settingsPhrase(keys, diff);
  switch (kind) {
    case 'either': return `${settingsPhrase(keys, diff).split(', ').join(' or ')} (either alone)`;
    case 'combination': return keys.length > 1 ? `only ${settingsPhrase(keys, diff).split(', ').join(' and ')} together` : `${phrase} (with the other changes)`;
    case 'trace': return `${phrase} (named by the traces)`;
    default: return phrase;
  }
}

function sentenceFor(g: Omit<ChangeGroup, 'sentence' | 'gradeSentence' | 'keys' | 'id'>, before: CorrelationMethod | null, diff: readonly SettingChange[], replies: boolean): string {
  const n = g.count;
  const noun = replies ? ['reply', 'replies'] as const : ['message', 'messages'] as const;
  const subj = plural(n, noun[0], noun[1]);
  const m = g.method ? METHOD_PHRASE[g.method] : '';
  let body: string;
  switch (g.kind) {
    case 'newly-tracked': body = g.method && g.method !== 'None' && g.method !== 'Skipped' ? `${subj} now tracked, linked by ${m}` : `${subj} now tracked`; break;
    case 'no-longer-tracked': body = `${subj} no longer tracked`; break;
    case 'now-correlated': body = `${m} now links ${subj}`; break;
    case 'no-longer-correlated': body = `${subj} no longer linked${before ? ` (were linked by ${METHOD_PHRASE[before]})` : ''}`; break;
    case 'method-changed': body = `${subj} now linked by ${m}${before ? ` instead of ${METHOD_PHRASE[before]}` : ''}`; break;
    case 'target-changed': body = `${m} links ${subj} to a different email`; break;
    case 'regarding-changed': body = `${subj} get a different Regarding or parent`; break;
    case 'outcome-changed': body = `${subj} change outcome`; break;
  }
  if (g.knockOn) body += ' (knock-on: their own decision reads none of the changed settings; an earlier email they depend on changed)';
  return g.settings.length ? `${attributionPrefix(g.attribution, g.settings, diff)}: ${body}` : body;
}

const emptyGrade = (): GradeCounts => ({ newLinks: 0, newRight: 0, newFalse: 0, newUnknown: 0, lostLinks: 0, lostRight: 0, lostFalse: 0, lostUnknown: 0 });

function addGrade(into: GradeCounts, g: LinkGrade): void {
  if (g.newLink) {
    into.newLinks++;
    if (g.newLink === 'same') into.newRight++;
    else if (g.newLink === 'different') into.newFalse++;
    else into.newUnknown++;
  }
  if (g.lostLink) {
    into.lostLinks++;
    if (g.lostLink === 'same') into.lostRight++;
    else if (g.lostLink === 'different') into.lostFalse++;
    else into.lostUnknown++;
  }
}

/** "3 new links, 1 likely false: different thread; 2 lost links, both right (same thread)". '' when no link moved. */
export function gradePhrase(g: GradeCounts): string {
  const parts: string[] = [];
  if (g.newLinks) {
    const bits: string[] = [];
    if (g.newFalse) bits.push(`${g.newFalse} likely false: different thread`);
    if (g.newUnknown) bits.push(`${g.newUnknown} not judged: a reply without threading headers`);
    parts.push(`${plural(g.newLinks, 'new link', 'new links')}${bits.length ? `, ${bits.join(', ')}` : g.newLinks === 1 ? ', right: same thread' : ', all right: same thread'}`);
  }
  if (g.lostLinks) {
    const bits: string[] = [];
    if (g.lostRight) bits.push(`${g.lostRight} of them right (same thread): a loss`);
    if (g.lostFalse) bits.push(`${g.lostFalse} of them false (different thread): losing ${g.lostFalse === 1 ? 'it' : 'them'} is a fix`);
    if (g.lostUnknown) bits.push(`${g.lostUnknown} not judged`);
    parts.push(`${plural(g.lostLinks, 'lost link', 'lost links')}${bits.length ? `, ${bits.join(', ')}` : ''}`);
  }
  return parts.join('; ');
}

const REPLY_PREFIX = /^\s*(re|aw|sv|vs|antw|r)\s*:/i;

function isReply(m: MessageFacts | undefined): boolean {
  if (!m) return false;
  return m.inReplyTo !== null || m.references.length > 0 || REPLY_PREFIX.test(m.subject);
}

function trackedCount(r: ReplayResult): number {
  let n = 0;
  for (const d of r.decisions) if (d.tracked) n++;
  return n;
}

/** The replays that attribute causes: per change (same order as the settings diff), the decision signatures of
 * the changed messages with that change alone (from the baseline) and with it left out (from the proposal). */
export interface Counterfactuals {
  alone: ReadonlyMap<string, string>[];
  without: ReadonlyMap<string, string>[];
}

/** Compared fields of a decision as one string (two decisions agree when their signatures are equal). */
export function decisionSignature(d: Decision): string {
  return `${d.outcome}|${d.correlationMethod}|${d.correlatedTo ?? ''}|${d.parent ?? ''}|${d.regarding ?? ''}`;
}

export interface DiffOptions {
  /** Tracked emails of the input: links to them are graded too. */
  tracked?: readonly TrackedEmail[];
  counterfactuals?: Counterfactuals;
  /** The ground truth, when the caller already built it. */
  truth?: GroundTruth;
  /** Extra replays the counterfactuals took. */
  attributionReplays?: number;
  /** Set when attribution fell back to the traces, with the reason (a warning). */
  traceOnlyReason?: string;
  /** The proposal's settings, so a warning can name a gate the proposal keeps closed. */
  proposalSettings?: Settings;
  /** The replay's mailboxes and directory: when the proposal tracks nothing, the warnings say why (issue 13). */
  context?: Pick<ReplayInput, 'mailboxes' | 'directory'> & { trackedBefore: number };
}

/** Which of the changes explain a changed message, from the counterfactual replays. */
export function attributeByReplay(key: string, before: string, after: string, diff: readonly SettingChange[], cf: Counterfactuals): { kind: AttributionKind; settings: string[] } {
  if (diff.length === 1) return { kind: 'only-change', settings: [diff[0]!.key] };
  const sufficient = diff.filter((_, i) => cf.alone[i]?.get(key) === after).map((c) => c.key as string);
  if (sufficient.length === 1) return { kind: 'single', settings: sufficient };
  if (sufficient.length > 1) return { kind: 'either', settings: sufficient.sort() };
  // Necessary: leaving it out gives another decision than the proposal's.
  const necessary = diff.filter((_, i) => cf.without[i]?.get(key) !== after).map((c) => c.key as string);
  return { kind: 'combination', settings: (necessary.length ? necessary : diff.map((c) => c.key as string)).sort() };
}

/** Compares two replays of the same messages (decisions matched by key). */
export function diffReplays(
  baseline: ReplayResult, proposal: ReplayResult, settingsDiff: readonly SettingChange[], messages: readonly MessageFacts[] = [], opts: DiffOptions = {},
): WhatIfResult {
  const changedKeys = new Set<string>(settingsDiff.map((c) => c.key));
  const facts = new Map(messages.map((m) => [m.key, m]));
  const after = new Map(proposal.decisions.map((d) => [d.key, d]));
  const truth = opts.truth ?? buildGroundTruth({ messages: [...messages], tracked: [...(opts.tracked ?? [])] });
  const verdict = (from: string, to: string): LinkVerdict => {
    const a = truth.index.get(from);
    const b = truth.index.get(to);
    if (a === undefined || b === undefined) return 'unknown';
    const ca = truth.conv[a] as number;
    const cb = truth.conv[b] as number;
    if (ca < 0 || cb < 0) return 'unknown';
    if (ca === cb) return 'same';
    // A reply ("RE: …") that carries no In-Reply-To, References or Thread-Index is a thread of its own only
    // because its client dropped the headers: the threading cannot say where it belongs, so it is not judged.
    const m = facts.get(from);
    if (m && m.inReplyTo === null && m.references.length === 0 && m.threadIndex === null && REPLY_PREFIX.test(m.subject)) return 'unknown';
    return 'different';
  };
  const changes: MessageChange[] = [];
  // Emails whose tracking or Regarding changed: a later message correlated to one of them changes too,
  // even when none of the changed settings decided that later message.
  const movedTargets = new Set<string>();
  baseline.decisions.forEach((b, position) => {
    const a = after.get(b.key);
    if (!a) return;
    const sb = summarize(b);
    const sa = summarize(a);
    const fields = changedFields(sb, sa);
    if (fields.length === 0) return;
    const kind = classifyChange(sb, sa);
    if (sb.tracked !== sa.tracked || sb.regarding !== sa.regarding) movedTargets.add(b.key);
    const ownMethodChanged = METHOD_SETTINGS[sb.method].some((k) => changedKeys.has(k));
    const cascade = sb.correlatedTo !== null && movedTargets.has(sb.correlatedTo) && !ownMethodChanged
      && (sa.correlatedTo === null || sa.correlatedTo === sb.correlatedTo);
    const traced = cascade ? [] : attribute(b, a, changedKeys, facts.get(b.key));
    const knockOn = traced.length === 0;
    let settings: string[];
    let attribution: AttributionKind;
    if (opts.counterfactuals || settingsDiff.length === 1) {
      const r = attributeByReplay(b.key, decisionSignature(b), decisionSignature(a), settingsDiff, opts.counterfactuals ?? { alone: [], without: [] });
      settings = r.settings;
      attribution = r.kind;
    } else {
      settings = traced;
      attribution = 'trace';
    }
    const grade: LinkGrade = {
      newLink: sa.correlatedTo !== null && sa.correlatedTo !== sb.correlatedTo ? verdict(b.key, sa.correlatedTo) : null,
      lostLink: sb.correlatedTo !== null && sa.correlatedTo !== sb.correlatedTo ? verdict(b.key, sb.correlatedTo) : null,
    };
    const method: CorrelationMethod | null = kind === 'no-longer-correlated' || kind === 'no-longer-tracked' ? sb.method : sa.method;
    const from = kind === 'method-changed' ? `${sb.method}>` : '';
    const group = `${kind}|${from}${method ?? ''}|${attribution}:${settings.join(',')}${knockOn ? '|knock-on' : ''}`;
    const f = facts.get(b.key);
    changes.push({ key: b.key, subject: f?.subject ?? '', from: f?.from ?? null, date: f?.date ?? null, position, before: sb, after: sa, fields, kind, settings, attribution, knockOn, grade, group });
  });

  const byGroup = new Map<string, MessageChange[]>();
  for (const c of changes) {
    const list = byGroup.get(c.group);
    if (list) list.push(c);
    else byGroup.set(c.group, [c]);
  }
  const total = emptyGrade();
  const groups: ChangeGroup[] = [...byGroup.entries()].map(([id, list]) => {
    const first = list[0] as MessageChange;
    const method = first.kind === 'no-longer-correlated' || first.kind === 'no-longer-tracked' ? first.before.method : first.after.method;
    const grade = emptyGrade();
    for (const c of list) { addGrade(grade, c.grade); addGrade(total, c.grade); }
    const base = { kind: first.kind, method, settings: first.settings, attribution: first.attribution, knockOn: first.knockOn, count: list.length, grade };
    // "method-changed" sentences name the method before; it is the same for a whole group only if grouped so.
    const befores = new Set(list.map((c) => c.before.method));
    const before = befores.size === 1 ? first.before.method : null;
    const replies = list.every((c) => isReply(facts.get(c.key)));
    const gradeSentence = gradePhrase(grade);
    const sentence = sentenceFor(base, before === 'None' || before === 'Skipped' ? null : before, settingsDiff, replies);
    // The grade stays its own field: views and the CLI print it beside the sentence ("— 3 new links, 1 likely false").
    return { id, ...base, sentence, gradeSentence, keys: list.map((c) => c.key) };
  });
  groups.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));

  const result: WhatIfResult = {
    settingsDiff: [...settingsDiff],
    total: baseline.decisions.length,
    changed: changes.length,
    baseline: { countsByOutcome: baseline.countsByOutcome, countsByMethod: baseline.countsByMethod, tracked: trackedCount(baseline) },
    proposal: { countsByOutcome: proposal.countsByOutcome, countsByMethod: proposal.countsByMethod, tracked: trackedCount(proposal) },
    groups,
    changes,
    effectLines: groups.length ? groups.map((g) => g.sentence) : [`no message changes (${baseline.decisions.length} replayed)`],
    grade: total,
    gradeSentence: gradePhrase(total),
    attributionMethod: opts.counterfactuals || settingsDiff.length <= 1 ? 'replay' : 'trace',
    attributionReplays: opts.attributionReplays ?? 0,
    warnings: [],
  };
  result.warnings = noEffectWarnings(result, messages, opts.tracked ?? [], opts.proposalSettings);
  if (opts.traceOnlyReason) result.warnings.push(opts.traceOnlyReason);
  if (opts.context && opts.proposalSettings) {
    // A what-if where the proposal still tracks nothing answers "0 → 0"; say why and what would help.
    const why = whyNothingTracked({ ...opts.context, messages, decisions: proposal.decisions, settings: opts.proposalSettings });
    if (why) result.warnings.push(`The proposal tracks nothing. ${why.headline} ${why.reasons.map((r) => r.sentence).join(' ')}`);
  }
  return result;
}

const SMART_KNOBS = ['hashfilterkeywords', 'hashmaxcount', 'hashdeltasubjectcount', 'hashminaddresscount', 'simSmartMatchingSubjectRule', 'simSmartMatchingWindowDays'];
const TOKEN_KNOBS = ['trackingprefix', 'trackingprefixhistory', 'trackingtokenidbase', 'trackingtokeniddigits', 'maximumtrackingnumber', 'simTokenSeparator', 'simTokenPosition'];
const HEADER_KNOBS = ['IgnoreConversationIndexAndInReplyToForCorrelation', 'DoNotCorrelateForwardedEmailsAsReplies', 'simInReplyToUsesReferences', 'simConversationIndexRule'];

/**
 * Why a what-if cannot change anything, or why part of it cannot: a setting whose gate is closed in the
 * proposal (smart-matching knobs with smart matching off), a method no message could use (token settings
 * when no subject carries a token), no message at all, or the same settings twice.
 */
export function noEffectWarnings(r: Pick<WhatIfResult, 'settingsDiff' | 'changed' | 'total'>, messages: readonly MessageFacts[], tracked: readonly TrackedEmail[], proposal?: Settings): string[] {
  const w: string[] = [];
  if (r.settingsDiff.length === 0) { w.push('The proposal has the same settings as the baseline: the what-if cannot change anything. Change a setting first.'); return w; }
  if (r.total === 0) { w.push('The workspace has no messages to replay: import a mailbox first.'); return w; }
  // The proposal's value of a gate: from its settings when given, else from the diff (unknown when unchanged).
  const to = (k: string): unknown => (proposal ? proposal[k as keyof Settings] : r.settingsDiff.find((c) => c.key === k)?.to);
  const changed = (keys: readonly string[]): string[] => r.settingsDiff.map((c) => c.key as string).filter((k) => keys.includes(k));
  const smartKnobs = changed(SMART_KNOBS);
  const smartOn = to('enablesmartmatching');
  const disable = to('DisableSmartMatching');
  if (smartKnobs.length && (smartOn === false || disable === true)) {
    w.push(`${smartKnobs.join(', ')} cannot change anything: smart matching is off in the proposal (${smartOn === false ? 'Use smart matching is off' : 'DisableSmartMatching is on'}).`);
  }
  const tokenKnobs = changed(TOKEN_KNOBS);
  if (tokenKnobs.length && to('usetrackingtokens') === false) w.push(`${tokenKnobs.join(', ')} cannot change anything: tracking tokens are off in the proposal.`);
  const headerKnobs = changed(HEADER_KNOBS.filter((k) => k !== 'IgnoreConversationIndexAndInReplyToForCorrelation'));
  if (headerKnobs.length && (to('emailcorrelationenabled') === false || to('IgnoreConversationIndexAndInReplyToForCorrelation') === true)) {
    w.push(`${headerKnobs.join(', ')} cannot change anything: In-Reply-To and ConversationIndex correlation are off in the proposal.`);
  }
  if (messages.length) {
    const withThreadIndex = messages.some((m) => m.threadIndex !== null);
    if (changed(['simConversationIndexRule']).length && !withThreadIndex) w.push('simConversationIndexRule cannot change anything here: no message has a Thread-Index header.');
    const withReplyHeaders = messages.some((m) => m.inReplyTo !== null || m.references.length > 0);
    if (changed(['DoNotCorrelateForwardedEmailsAsReplies', 'simInReplyToUsesReferences']).length && !withReplyHeaders) {
      w.push(`${changed(['DoNotCorrelateForwardedEmailsAsReplies', 'simInReplyToUsesReferences']).join(', ')} cannot change anything here: no message has an In-Reply-To or References header.`);
    }
    if (changed([...TOKEN_KNOBS, 'usetrackingtokens']).length && !tracked.some((t) => t.trackingToken) && !messages.some((m) => /\d{4,}/.test(m.subject))) {
      w.push('The tracking-token changes can only matter for outgoing tokens: no message subject here carries digits a token could be read from.');
    }
  }
  if (r.changed === 0 && w.length === 0) w.push(`No message changes: none of the ${r.total} decisions reaches a step that reads the changed settings (${r.settingsDiff.map((c) => c.key).join(', ')}).`);
  return w;
}

/** More changed settings than this: causes come from the traces (each change alone would cost 2 replays). */
export const MAX_ATTRIBUTED_CHANGES = 12;

export interface WhatIfOptions {
  /** Called before each replay: (done, total) replays. */
  onProgress?: (done: number, total: number, what: string) => void;
}

/**
 * Replays the input under both settings and diffs the results; with several settings changed, also with each
 * change alone and each change left out, to attribute every changed decision. Pass a cache to reuse derived data.
 */
export function whatIf(input: Omit<ReplayInput, 'settings'>, baseline: Settings, proposal: Settings, cache: ReplayCache = new ReplayCache(), opts: WhatIfOptions = {}): WhatIfResult {
  const diff = diffSettings(baseline, proposal);
  const attribute = diff.length > 1 && diff.length <= MAX_ATTRIBUTED_CHANGES;
  const totalReplays = 2 + (attribute ? 2 * diff.length : 0);
  opts.onProgress?.(0, totalReplays, 'baseline');
  const a = replay({ ...input, settings: baseline }, cache);
  opts.onProgress?.(1, totalReplays, 'proposal');
  const b = replay({ ...input, settings: proposal }, cache);
  const truth = buildGroundTruth(input);
  if (!attribute) {
    return diffReplays(a, b, diff, input.messages, {
      tracked: input.tracked, truth, proposalSettings: proposal, context: { mailboxes: input.mailboxes, directory: input.directory, trackedBefore: input.tracked.length },
      ...(diff.length > MAX_ATTRIBUTED_CHANGES ? { traceOnlyReason: `${diff.length} settings changed: causes are the settings each decision's trace reads, not tested one by one (that takes up to ${MAX_ATTRIBUTED_CHANGES} changes). Change fewer settings at once for proven causes.` } : {}),
    });
  }
  const before = new Map(a.decisions.map((d) => [d.key, decisionSignature(d)]));
  const changedKeys: string[] = [];
  for (const d of b.decisions) if (before.get(d.key) !== decisionSignature(d)) changedKeys.push(d.key);
  const pick = (r: ReplayResult): Map<string, string> => {
    const want = new Set(changedKeys);
    const out = new Map<string, string>();
    for (const d of r.decisions) if (want.has(d.key)) out.set(d.key, decisionSignature(d));
    return out;
  };
  let done = 2;
  // Left out first: each differs from the proposal (the cache's last run) by one setting.
  const without = diff.map((c) => {
    opts.onProgress?.(done++, totalReplays, `without ${c.key}`);
    return changedKeys.length ? pick(replay({ ...input, settings: { ...proposal, [c.key]: c.from } as Settings }, cache)) : new Map<string, string>();
  });
  const alone = diff.map((c) => {
    opts.onProgress?.(done++, totalReplays, `${c.key} alone`);
    return changedKeys.length ? pick(replay({ ...input, settings: { ...baseline, [c.key]: c.to } as Settings }, cache)) : new Map<string, string>();
  });
  opts.onProgress?.(totalReplays, totalReplays, 'compared');
  return diffReplays(a, b, diff, input.messages, {
    tracked: input.tracked, truth, proposalSettings: proposal, counterfactuals: { alone, without }, attributionReplays: changedKeys.length ? 2 * diff.length : 0,
    context: { mailboxes: input.mailboxes, directory: input.directory, trackedBefore: input.tracked.length },
  });
}
