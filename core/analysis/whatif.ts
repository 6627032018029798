// What-if (SIMULATOR §7): two replays over the same messages, one with the baseline settings (what the
// org runs today) and one with a proposal. Every message whose outcome, correlation method, correlated
// activity, parent or Regarding differs is listed, and the changes are grouped by cause: the kind of change
// ("now linked", "no longer tracked", …), the method involved, and the changed settings that the two
// decisions' traces say decided them. A message whose own decision read none of the changed settings
// changed only because an earlier message did (its correlated email is tracked differently): a knock-on.
// Pure: data in, data out; the result is plain data the CLI, the reports and the app render.

import { replay, ReplayCache } from '../engine/replay.js';
import type { Settings } from '../engine/settings.js';
import { diffSettings } from '../engine/settingsMeta.js';
import type { CorrelationMethod, Decision, MessageFacts, Outcome, ReplayInput, ReplayResult } from '../engine/types.js';

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

export interface MessageChange {
  key: string;
  subject: string;
  from: string | null;
  /** Position in processing order (0-based). */
  position: number;
  before: DecisionSummary;
  after: DecisionSummary;
  fields: ChangedField[];
  kind: ChangeKind;
  /** Changed settings the traces attribute this change to; empty for a knock-on. */
  settings: string[];
  knockOn: boolean;
  /** Id of the ChangeGroup it belongs to. */
  group: string;
}

export interface ChangeGroup {
  id: string;
  kind: ChangeKind;
  /** Method the sentence is about (after, or before for losses). */
  method: CorrelationMethod | null;
  settings: string[];
  knockOn: boolean;
  count: number;
  /** e.g. "smart matching on: smart matching now links 27 replies". */
  sentence: string;
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

function sentenceFor(g: Omit<ChangeGroup, 'sentence' | 'keys' | 'id'>, before: CorrelationMethod | null, diff: readonly SettingChange[], replies: boolean): string {
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
  if (g.knockOn) return `knock-on (no changed setting decided them; an email they depend on changed): ${body}`;
  return g.settings.length ? `${settingsPhrase(g.settings, diff)}: ${body}` : body;
}

function isReply(m: MessageFacts | undefined): boolean {
  if (!m) return false;
  return m.inReplyTo !== null || m.references.length > 0 || /^\s*(re|aw|sv|vs|antw|r)\s*:/i.test(m.subject);
}

function trackedCount(r: ReplayResult): number {
  let n = 0;
  for (const d of r.decisions) if (d.tracked) n++;
  return n;
}

/** Compares two replays of the same messages (decisions matched by key). */
export function diffReplays(
  baseline: ReplayResult, proposal: ReplayResult, settingsDiff: readonly SettingChange[], messages: readonly MessageFacts[] = [],
): WhatIfResult {
  const changedKeys = new Set<string>(settingsDiff.map((c) => c.key));
  const facts = new Map(messages.map((m) => [m.key, m]));
  const after = new Map(proposal.decisions.map((d) => [d.key, d]));
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
    const settings = cascade ? [] : attribute(b, a, changedKeys, facts.get(b.key));
    const knockOn = settings.length === 0;
    const method: CorrelationMethod | null = kind === 'no-longer-correlated' || kind === 'no-longer-tracked' ? sb.method : sa.method;
    const from = kind === 'method-changed' ? `${sb.method}>` : '';
    const group = `${kind}|${from}${method ?? ''}|${knockOn ? 'knock-on' : settings.join(',')}`;
    const f = facts.get(b.key);
    changes.push({ key: b.key, subject: f?.subject ?? '', from: f?.from ?? null, position, before: sb, after: sa, fields, kind, settings, knockOn, group });
  });

  const byGroup = new Map<string, MessageChange[]>();
  for (const c of changes) {
    const list = byGroup.get(c.group);
    if (list) list.push(c);
    else byGroup.set(c.group, [c]);
  }
  const groups: ChangeGroup[] = [...byGroup.entries()].map(([id, list]) => {
    const first = list[0] as MessageChange;
    const method = first.kind === 'no-longer-correlated' || first.kind === 'no-longer-tracked' ? first.before.method : first.after.method;
    const base = { kind: first.kind, method, settings: first.settings, knockOn: first.knockOn, count: list.length };
    // "method-changed" sentences name the method before; it is the same for a whole group only if grouped so.
    const befores = new Set(list.map((c) => c.before.method));
    const before = befores.size === 1 ? first.before.method : null;
    const replies = list.every((c) => isReply(facts.get(c.key)));
    return { id, ...base, sentence: sentenceFor(base, before === 'None' || before === 'Skipped' ? null : before, settingsDiff, replies), keys: list.map((c) => c.key) };
  });
  groups.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));

  return {
    settingsDiff: [...settingsDiff],
    total: baseline.decisions.length,
    changed: changes.length,
    baseline: { countsByOutcome: baseline.countsByOutcome, countsByMethod: baseline.countsByMethod, tracked: trackedCount(baseline) },
    proposal: { countsByOutcome: proposal.countsByOutcome, countsByMethod: proposal.countsByMethod, tracked: trackedCount(proposal) },
    groups,
    changes,
    effectLines: groups.length ? groups.map((g) => g.sentence) : [`no message changes (${baseline.decisions.length} replayed)`],
  };
}

/** Replays the input under both settings and diffs the results. Pass a cache to reuse derived data. */
export function whatIf(input: Omit<ReplayInput, 'settings'>, baseline: Settings, proposal: Settings, cache: ReplayCache = new ReplayCache()): WhatIfResult {
  const a = replay({ ...input, settings: baseline }, cache);
  const b = replay({ ...input, settings: proposal }, cache);
  return diffReplays(a, b, diffSettings(baseline, proposal), input.messages);
}
