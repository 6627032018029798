// Correlation (SIMULATOR §3, research §4.1): InReplyTo → TrackingToken → ConversationIndex →
// SmartMatching; the first that finds a tracked email wins; several candidates: the most recent.

import type { Settings } from '../model/settings.js';
import type { CorrelationMethod, MessageFacts, TraceStep } from '../model/types.js';
import type { ReplayCache } from '../replay/incremental/internal.js';
import { normMessageId, type TrackedRecord, type TrackedStore } from '../store/trackedStore.js';

export interface CorrelationOutcome {
  method: CorrelationMethod;
  record: TrackedRecord | null;
  /** All four methods were disabled by settings for this message. */
  skipped: boolean;
  step: TraceStep;
}

// Most correlations name no setting: one frozen empty list for all of them (trace steps are read-only).
const NO_SETTINGS = Object.freeze([]) as unknown as string[];

type Method = Exclude<CorrelationMethod, 'None' | 'Skipped'>;
const METHODS: readonly Method[] = ['InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];
const HEADER_SETTINGS = ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation'];

/** A reply/forward prefix such as `RE:`, `FW:`, `Fwd:`, `AW:`, `Re[2]:` (letters, an optional count, a colon). */
const PREFIX = /^\s*([\p{L}]{1,10})(?:\s*[[(]\d{1,4}[\])])?\s*[:：]\s*/u;
const FORWARD_PREFIXES = new Set(['fw', 'fwd']);

export interface ForwardKind {
  /** The subject's first prefix is FW:/Fwd:/FWD: (SIMULATOR §8 point 3 default). */
  first: boolean;
  /** Some prefix of the chain is a forward prefix (the alternative). */
  any: boolean;
}

/** How the subject's prefix chain reads as a forward under each rule of SIMULATOR §8 point 3. */
export function forwardKind(subject: string): ForwardKind {
  let rest = subject;
  let first: boolean | null = null;
  let any = false;
  // A chain longer than this is not a prefix chain a mail client writes; stop reading there.
  for (let i = 0; i < 50; i++) {
    const m = PREFIX.exec(rest);
    if (!m) break;
    const fwd = FORWARD_PREFIXES.has((m[1] as string).toLowerCase());
    if (first === null) first = fwd;
    any ||= fwd;
    rest = rest.slice(m[0].length);
  }
  return { first: first === true, any };
}

/**
 * Is the message a forward for DoNotCorrelateForwardedEmailsAsReplies? Settings are read only when
 * they can matter: the setting itself only for a subject some rule calls a forward, the rule only when
 * the two rules disagree.
 */
function isForward(m: MessageFacts, s: Settings): boolean {
  const f = forwardKind(m.subject);
  if (!f.first && !f.any) return false;
  if (!s.DoNotCorrelateForwardedEmailsAsReplies) return false;
  return f.first === f.any ? f.first : s.forwardPrefixRule === 'first' ? f.first : f.any;
}

function headerGateText(s: Settings): string {
  return !s.emailcorrelationenabled ? 'emailcorrelationenabled is off' : 'IgnoreConversationIndexAndInReplyToForCorrelation is on';
}

/**
 * Whether a method may run for this message. Settings are read lazily and in the order the spec applies
 * them, so a decision depends only on the settings it actually consulted (the replay reuses a decision
 * when none of those changed).
 */
function enabled(method: Method, m: MessageFacts, s: Settings): boolean {
  switch (method) {
    case 'InReplyTo':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation && !isForward(m, s);
    case 'TrackingToken':
      return s.usetrackingtokens;
    case 'ConversationIndex':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation && !(isForward(m, s) && s.forwardSuppressesConversationIndex);
    case 'SmartMatching':
      return s.enablesmartmatching && !s.DisableSmartMatching;
  }
}

/** Why a method is off (read only when it is: every settings read is a dependency of the decision). */
function forwardText(m: MessageFacts): string {
  return forwardKind(m.subject).first
    ? 'the subject\'s first prefix is a forward prefix (FW:/Fwd:)'
    : 'a prefix of the subject\'s chain is a forward prefix (forwardPrefixRule "any", SIMULATOR §8 point 3)';
}

function whyOff(method: Method, m: MessageFacts, s: Settings): { gate: string; settings: string[]; undocumented?: boolean } {
  switch (method) {
    case 'InReplyTo':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation
        ? { gate: `the message is a forward (${forwardText(m)}; what counts as a forward is an undocumented default, forwardPrefixRule "${s.forwardPrefixRule}", SIMULATOR §8 point 3) and DoNotCorrelateForwardedEmailsAsReplies is on`, settings: ['DoNotCorrelateForwardedEmailsAsReplies', 'forwardPrefixRule'], undocumented: true }
        : { gate: headerGateText(s), settings: HEADER_SETTINGS };
    case 'TrackingToken':
      return { gate: 'usetrackingtokens is off', settings: ['usetrackingtokens'] };
    case 'ConversationIndex':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation
        ? { gate: `the message is a forward (${forwardText(m)}), DoNotCorrelateForwardedEmailsAsReplies is on and forwardSuppressesConversationIndex is true (SIMULATOR §8 point 3)`, settings: ['DoNotCorrelateForwardedEmailsAsReplies', 'forwardSuppressesConversationIndex'], undocumented: true }
        : { gate: headerGateText(s), settings: HEADER_SETTINGS };
    case 'SmartMatching':
      return { gate: !s.enablesmartmatching ? 'enablesmartmatching is off' : 'DisableSmartMatching is on', settings: ['enablesmartmatching', 'DisableSmartMatching'] };
  }
}

interface Found { rec: TrackedRecord | null; count: number; tie?: boolean; text: string; undocumented?: boolean }

function plural(count: number, rec: TrackedRecord, tie = false, s?: Settings): string {
  if (count <= 1) return '';
  // SIMULATOR §8 point 9: equal sentOn among already-tracked emails.
  if (tie && s && rec.origin === 'before replay') {
    const rule = s.equalSentOnTieBreak === 'later'
      ? 'the one listed later in the input wins (equalSentOnTieBreak "later", an undocumented default, SIMULATOR §8 point 9)'
      : 'the one listed first in the input wins (equalSentOnTieBreak "earlier", SIMULATOR §8 point 9)';
    return ` (${count} tracked emails match; ${rec.id} wins: several share the latest sent time, and ${rule})`;
  }
  return ` (${count} tracked emails match; the most recent, ${rec.id}, wins)`;
}

/** The most recent record over several posting lists, as the store is seen at its limit. */
function pickAll(store: TrackedStore, map: ReadonlyMap<string, TrackedRecord[]>, keys: readonly string[]): { rec: TrackedRecord | null; count: number; tie: boolean } {
  let rec: TrackedRecord | null = null;
  let count = 0;
  let tie = false;
  for (const k of keys) {
    const r = store.find(map, k);
    count += r.count;
    const w = r.winner;
    if (!w) continue;
    if (rec === null || w.time > rec.time) tie = r.tie;
    else if (w.time === rec.time && w !== rec) tie = true;
    if (rec === null || w.time > rec.time || (w.time === rec.time && w.seq > rec.seq)) rec = w;
  }
  return { rec, count, tie };
}

function pick(store: TrackedStore, map: ReadonlyMap<string, TrackedRecord[]>, key: string): { rec: TrackedRecord | null; count: number; tie: boolean } {
  const r = store.find(map, key);
  return { rec: r.winner, count: r.count, tie: r.tie };
}

/** The In-Reply-To ids to look up (SIMULATOR §8 point 15), and the note a trace gives when there are several. */
function inReplyToIds(m: MessageFacts, s: Settings): { ids: string[]; note: string } {
  const all = (m.inReplyToAll ?? (m.inReplyTo ? [m.inReplyTo] : [])).map((x) => normMessageId(x)).filter((x): x is string => x !== null);
  if (all.length <= 1) return { ids: all, note: '' };
  const rule = s.inReplyToIdRule;
  const ids = rule === 'first' ? [all[0] as string] : rule === 'last' ? [all[all.length - 1] as string] : [...new Set(all)];
  const what = rule === 'first' ? 'the first id is used (inReplyToIdRule "first", an undocumented default' : rule === 'last' ? 'the last id is used (inReplyToIdRule "last"' : 'every id is tried (inReplyToIdRule "any"';
  return { ids, note: ` (In-Reply-To lists ${all.length} ids; ${what}, SIMULATOR §8 point 15)` };
}

function run(method: Method, m: MessageFacts, now: number, store: TrackedStore, cache: ReplayCache, s: Settings): Found {
  switch (method) {
    case 'InReplyTo': {
      const { ids, note } = inReplyToIds(m, s);
      const undoc = note !== '';
      const shown = ids.map((x) => `<${x}>`).join(', ');
      if (ids.length === 0 && !s.simInReplyToUsesReferences) return { rec: null, count: 0, text: 'the message has no In-Reply-To header' };
      if (ids.length > 0) {
        const r = ids.length === 1 ? pick(store, store.byMessageId, ids[0] as string) : pickAll(store, store.byMessageId, ids);
        if (r.rec) return { ...r, text: `In-Reply-To ${shown} is the Message-ID of tracked email ${r.rec.id}${plural(r.count, r.rec, r.tie, s)}${note}`, undocumented: undoc || (r.tie && r.rec.origin === 'before replay') };
      }
      if (s.simInReplyToUsesReferences) {
        const last = normMessageId(m.references[m.references.length - 1]);
        if (last) {
          const r = pick(store, store.byMessageId, last);
          if (r.rec) return { ...r, text: `In-Reply-To found nothing, but the last References id <${last}> is the Message-ID of tracked email ${r.rec.id} (simInReplyToUsesReferences)${note}`, undocumented: true };
        }
        return { rec: null, count: 0, text: `neither In-Reply-To${ids.length ? ` ${shown}` : ''} nor the last References id is the Message-ID of a tracked email${note}`, undocumented: undoc };
      }
      return { rec: null, count: 0, text: `In-Reply-To ${shown} is not the Message-ID of any tracked email${note}`, undocumented: undoc };
    }
    case 'TrackingToken': {
      const keys = cache.tokens(m, s);
      if (keys.length === 0) return { rec: null, count: 0, text: `the subject carries no tracking token of prefix ${[s.trackingprefix, ...s.trackingprefixhistory].join(' / ')}` };
      const r = pickAll(store, store.byToken, keys);
      if (r.rec) return { ...r, text: `the subject's token ${keys.join(', ')} equals the token of tracked email ${r.rec.id}${plural(r.count, r.rec, r.tie, s)}`, undocumented: s.simTokenPosition !== 'anywhere' || s.simTokenSeparator !== 'system' || (r.tie && r.rec.origin === 'before replay') };
      return { rec: null, count: 0, text: `the subject's token ${keys.join(', ')} belongs to no tracked email` };
    }
    case 'ConversationIndex': {
      const ci = cache.ci(m);
      if (ci.invalid) return { rec: null, count: 0, text: 'the Thread-Index header is not base64 of 22 + 5k bytes, so it cannot be compared' };
      if (!ci.hex) return { rec: null, count: 0, text: 'the message has no Thread-Index (ConversationIndex)' };
      const rule = s.simConversationIndexRule;
      if (rule === 'exact') {
        const r = pick(store, store.byCi, ci.hex);
        return r.rec ? { ...r, text: `the ConversationIndex equals that of tracked email ${r.rec.id} (rule exact)${plural(r.count, r.rec)}`, undocumented: true } : { rec: null, count: 0, text: 'no tracked email has the same ConversationIndex (rule exact)' };
      }
      if (rule === 'base') {
        const r = pick(store, store.byCiBase, ci.baseHex ?? '');
        return r.rec ? { ...r, text: `the ConversationIndex shares its 22-byte header block with tracked email ${r.rec.id} (rule base)${plural(r.count, r.rec)}`, undocumented: true } : { rec: null, count: 0, text: 'no tracked email shares the 22-byte header block (rule base)' };
      }
      if (ci.ancestors.length === 0) return { rec: null, count: 0, text: 'the ConversationIndex is a root (22 bytes, no child block), so it has no parent to look for' };
      for (let i = 0; i < ci.ancestors.length; i++) {
        const r = pick(store, store.byCi, ci.ancestors[i] as string);
        if (r.rec) {
          const what = i === 0 ? `without its last child block equals the ConversationIndex of tracked email ${r.rec.id} (its direct parent)` : `has tracked email ${r.rec.id} as an ancestor (${i + 1} blocks up; no tracked parent)`;
          return { ...r, text: `the ConversationIndex ${what}${plural(r.count, r.rec, r.tie, s)}`, undocumented: r.tie && r.rec.origin === 'before replay' };
        }
      }
      return { rec: null, count: 0, text: `none of the ${ci.ancestors.length} proper prefixes of the ConversationIndex is the ConversationIndex of a tracked email` };
    }
    case 'SmartMatching': {
      const h = cache.hashes(m, s);
      if (h.subjectError) return { rec: null, count: 0, text: `the HashFilterKeywords regex cannot be used (${h.subjectError}), so no subject hashes exist` };
      const res = store.smart.candidates(h.subject, h.address, s, now, 0, store.limit, true);
      const best = res.matches[0];
      if (!best) return { rec: null, count: 0, text: `no tracked email has a matching subject (rule ${s.simSmartMatchingSubjectRule}, ${h.subject.length} subject words) and at least ${s.hashminaddresscount} shared addresses${s.simSmartMatchingWindowDays > 0 ? ` within ${s.simSmartMatchingWindowDays} days` : ''}` };
      const rec = store.records[best.tag] ?? null;
      return rec ? { rec, count: res.count, text: `tracked email ${rec.id} has a matching subject (rule ${s.simSmartMatchingSubjectRule}) and ${res.best?.sharedAddressHashes.length ?? '≥' + s.hashminaddresscount} shared addresses${plural(res.count, rec)}`, undocumented: s.simSmartMatchingSubjectRule === 'B' } : { rec: null, count: 0, text: 'index inconsistency' };
    }
  }
}

export function correlate(m: MessageFacts, now: number, store: TrackedStore, cache: ReplayCache, s: Settings): CorrelationOutcome {
  const lines: string[] = [];
  const gates: string[] = [];
  // Settings named by the skipped methods, each once in first-seen order (a short list: no Set).
  const settingsUsed: string[] = [];
  let undocumented = false;
  let anyEnabled = false;
  for (const method of METHODS) {
    if (!enabled(method, m, s)) {
      const w = whyOff(method, m, s);
      if (w.undocumented) undocumented = true;
      lines.push(`${method}: skipped because ${w.gate}.`);
      gates.push(`${method}: ${w.gate}`);
      for (const x of w.settings) if (!settingsUsed.includes(x)) settingsUsed.push(x);
      continue;
    }
    anyEnabled = true;
    if (method === 'InReplyTo') {
      // "RE: FW:" is a reply under the default of SIMULATOR §8 point 3: say so when it mattered.
      const f = forwardKind(m.subject);
      if (f.any && !f.first && s.DoNotCorrelateForwardedEmailsAsReplies) {
        lines.push('InReplyTo: the subject has a forward prefix after its first prefix, which is not a forward prefix, so it counts as a reply (forwardPrefixRule "first", an undocumented default, SIMULATOR §8 point 3).');
        undocumented = true;
        if (!settingsUsed.includes('forwardPrefixRule')) settingsUsed.push('DoNotCorrelateForwardedEmailsAsReplies', 'forwardPrefixRule');
      }
    }
    const r = run(method, m, now, store, cache, s);
    if (r.undocumented) undocumented = true;
    if (r.rec) {
      lines.push(`${method}: ${r.text}.`);
      if (method === 'ConversationIndex') undocumented ||= s.simConversationIndexRule === 'parent';
      if (r.count > 1) undocumented = true; // most-recent-wins is the spec's default for every method but tokens
      return {
        method, record: r.rec, skipped: false,
        step: { stage: 'Correlate', result: 'matched', detail: lines.join(' '), settings: settingsUsed.length ? settingsUsed : NO_SETTINGS, undocumented: undocumented || undefined, data: { method, correlatedTo: r.rec.id, candidates: r.count } },
      };
    }
    lines.push(`${method}: no match, ${r.text}.`);
  }
  if (!anyEnabled) {
    return {
      method: 'Skipped', record: null, skipped: true,
      step: { stage: 'Correlate', result: 'skipped', detail: `Correlation was not attempted: every method is disabled by settings (${gates.join('; ')}). correlationmethod = Skipped (1).`, settings: settingsUsed.length ? settingsUsed : NO_SETTINGS, undocumented: undocumented || undefined },
    };
  }
  return { method: 'None', record: null, skipped: false, step: { stage: 'Correlate', result: 'no match', detail: lines.join(' '), settings: settingsUsed.length ? settingsUsed : NO_SETTINGS, undocumented: undocumented || undefined } };
}
