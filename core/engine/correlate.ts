// Correlation (SIMULATOR §3, research §4.1): InReplyTo → TrackingToken → ConversationIndex →
// SmartMatching; the first that finds a tracked email wins; several candidates: the most recent.

import type { Settings } from './settings.js';
import type { CorrelationMethod, MessageFacts, TraceStep } from './types.js';
import type { ReplayCache } from './internal.js';
import { normMessageId, type TrackedRecord, type TrackedStore } from './trackedStore.js';

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
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation && !(m.flags.forwardSubject && s.DoNotCorrelateForwardedEmailsAsReplies);
    case 'TrackingToken':
      return s.usetrackingtokens;
    case 'ConversationIndex':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation;
    case 'SmartMatching':
      return s.enablesmartmatching && !s.DisableSmartMatching;
  }
}

/** Why a method is off (read only when it is: every settings read is a dependency of the decision). */
function whyOff(method: Method, s: Settings): { gate: string; settings: string[] } {
  switch (method) {
    case 'InReplyTo':
      return s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation
        ? { gate: 'the message is a forward (FW:/Fwd: subject) and DoNotCorrelateForwardedEmailsAsReplies is on', settings: ['DoNotCorrelateForwardedEmailsAsReplies'] }
        : { gate: headerGateText(s), settings: HEADER_SETTINGS };
    case 'TrackingToken':
      return { gate: 'usetrackingtokens is off', settings: ['usetrackingtokens'] };
    case 'ConversationIndex':
      return { gate: headerGateText(s), settings: HEADER_SETTINGS };
    case 'SmartMatching':
      return { gate: !s.enablesmartmatching ? 'enablesmartmatching is off' : 'DisableSmartMatching is on', settings: ['enablesmartmatching', 'DisableSmartMatching'] };
  }
}

interface Found { rec: TrackedRecord | null; count: number; text: string; undocumented?: boolean }

function plural(count: number, rec: TrackedRecord): string {
  return count > 1 ? ` (${count} tracked emails match; the most recent, ${rec.id}, wins)` : '';
}

/** The most recent record over several posting lists, as the store is seen at its limit. */
function pickAll(store: TrackedStore, map: ReadonlyMap<string, TrackedRecord[]>, keys: readonly string[]): { rec: TrackedRecord | null; count: number } {
  let rec: TrackedRecord | null = null;
  let count = 0;
  for (const k of keys) {
    const r = store.find(map, k);
    count += r.count;
    const w = r.winner;
    if (w && (rec === null || w.time > rec.time || (w.time === rec.time && w.seq > rec.seq))) rec = w;
  }
  return { rec, count };
}

function pick(store: TrackedStore, map: ReadonlyMap<string, TrackedRecord[]>, key: string): { rec: TrackedRecord | null; count: number } {
  const r = store.find(map, key);
  return { rec: r.winner, count: r.count };
}

function run(method: Method, m: MessageFacts, now: number, store: TrackedStore, cache: ReplayCache, s: Settings): Found {
  switch (method) {
    case 'InReplyTo': {
      const irt = normMessageId(m.inReplyTo);
      if (!irt && !s.simInReplyToUsesReferences) return { rec: null, count: 0, text: 'the message has no In-Reply-To header' };
      if (irt) {
        const r = pick(store, store.byMessageId, irt);
        if (r.rec) return { ...r, text: `In-Reply-To <${irt}> is the Message-ID of tracked email ${r.rec.id}${plural(r.count, r.rec)}` };
      }
      if (s.simInReplyToUsesReferences) {
        const last = normMessageId(m.references[m.references.length - 1]);
        if (last) {
          const r = pick(store, store.byMessageId, last);
          if (r.rec) return { ...r, text: `In-Reply-To found nothing, but the last References id <${last}> is the Message-ID of tracked email ${r.rec.id} (simInReplyToUsesReferences)`, undocumented: true };
        }
        return { rec: null, count: 0, text: `neither In-Reply-To${irt ? ` <${irt}>` : ''} nor the last References id is the Message-ID of a tracked email` };
      }
      return { rec: null, count: 0, text: `In-Reply-To <${irt}> is not the Message-ID of any tracked email` };
    }
    case 'TrackingToken': {
      const keys = cache.tokens(m, s);
      if (keys.length === 0) return { rec: null, count: 0, text: `the subject carries no tracking token of prefix ${[s.trackingprefix, ...s.trackingprefixhistory].join(' / ')}` };
      const r = pickAll(store, store.byToken, keys);
      if (r.rec) return { ...r, text: `the subject's token ${keys.join(', ')} equals the token of tracked email ${r.rec.id}${plural(r.count, r.rec)}`, undocumented: s.simTokenPosition !== 'anywhere' || s.simTokenSeparator !== 'system' };
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
          return { ...r, text: `the ConversationIndex ${what}${plural(r.count, r.rec)}` };
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
      const w = whyOff(method, s);
      lines.push(`${method}: skipped because ${w.gate}.`);
      gates.push(`${method}: ${w.gate}`);
      for (const x of w.settings) if (!settingsUsed.includes(x)) settingsUsed.push(x);
      continue;
    }
    anyEnabled = true;
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
      step: { stage: 'Correlate', result: 'skipped', detail: `Correlation was not attempted: every method is disabled by settings (${gates.join('; ')}). correlationmethod = Skipped (1).`, settings: settingsUsed.length ? settingsUsed : NO_SETTINGS },
    };
  }
  return { method: 'None', record: null, skipped: false, step: { stage: 'Correlate', result: 'no match', detail: lines.join(' '), settings: settingsUsed.length ? settingsUsed : NO_SETTINGS } };
}
