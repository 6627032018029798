// Correlation (SIMULATOR §3, research §4.1): InReplyTo → TrackingToken → ConversationIndex →
// SmartMatching; the first that finds a tracked email wins; several candidates: the most recent.

import type { Settings } from './settings.js';
import type { CorrelationMethod, MessageFacts, TraceStep } from './types.js';
import type { ReplayCache } from './internal.js';
import { mostRecent, normMessageId, type TrackedRecord, type TrackedStore } from './trackedStore.js';

export interface CorrelationOutcome {
  method: CorrelationMethod;
  record: TrackedRecord | null;
  /** All four methods were disabled by settings for this message. */
  skipped: boolean;
  step: TraceStep;
}

interface Attempt {
  method: Exclude<CorrelationMethod, 'None' | 'Skipped'>;
  enabled: boolean;
  gate: string;
  gateSettings: string[];
  run: () => { rec: TrackedRecord | null; count: number; text: string; undocumented?: boolean };
}

function pick(list: TrackedRecord[] | undefined): { rec: TrackedRecord | null; count: number } {
  const r = mostRecent(list);
  return { rec: r.winner, count: r.count };
}

function plural(count: number, rec: TrackedRecord): string {
  return count > 1 ? ` (${count} tracked emails match; the most recent, ${rec.id}, wins)` : '';
}

export function correlate(m: MessageFacts, now: number, store: TrackedStore, cache: ReplayCache, s: Settings): CorrelationOutcome {
  const forward = m.flags.forwardSubject;
  const headerGate = s.emailcorrelationenabled && !s.IgnoreConversationIndexAndInReplyToForCorrelation;
  const headerGateText = !s.emailcorrelationenabled ? 'emailcorrelationenabled is off' : 'IgnoreConversationIndexAndInReplyToForCorrelation is on';
  const headerSettings = ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation'];
  const irtForwardOff = forward && s.DoNotCorrelateForwardedEmailsAsReplies;
  const attempts: Attempt[] = [
    {
      method: 'InReplyTo',
      enabled: headerGate && !irtForwardOff,
      gate: headerGate ? 'the message is a forward (FW:/Fwd: subject) and DoNotCorrelateForwardedEmailsAsReplies is on' : headerGateText,
      gateSettings: headerGate ? ['DoNotCorrelateForwardedEmailsAsReplies'] : headerSettings,
      run: () => {
        const irt = normMessageId(m.inReplyTo);
        if (!irt && !s.simInReplyToUsesReferences) return { rec: null, count: 0, text: 'the message has no In-Reply-To header' };
        if (irt) {
          const r = pick(store.byMessageId.get(irt));
          if (r.rec) return { ...r, text: `In-Reply-To <${irt}> is the Message-ID of tracked email ${r.rec.id}${plural(r.count, r.rec)}` };
        }
        if (s.simInReplyToUsesReferences) {
          const last = normMessageId(m.references[m.references.length - 1]);
          if (last) {
            const r = pick(store.byMessageId.get(last));
            if (r.rec) return { ...r, text: `In-Reply-To found nothing, but the last References id <${last}> is the Message-ID of tracked email ${r.rec.id} (simInReplyToUsesReferences)`, undocumented: true };
          }
          return { rec: null, count: 0, text: `neither In-Reply-To${irt ? ` <${irt}>` : ''} nor the last References id is the Message-ID of a tracked email` };
        }
        return { rec: null, count: 0, text: `In-Reply-To <${irt}> is not the Message-ID of any tracked email` };
      },
    },
    {
      method: 'TrackingToken',
      enabled: s.usetrackingtokens,
      gate: 'usetrackingtokens is off',
      gateSettings: ['usetrackingtokens'],
      run: () => {
        const keys = cache.tokens(m, s);
        if (keys.length === 0) return { rec: null, count: 0, text: `the subject carries no tracking token of prefix ${[s.trackingprefix, ...s.trackingprefixhistory].join(' / ')}` };
        const all: TrackedRecord[] = [];
        for (const k of keys) all.push(...(store.byToken.get(k) ?? []));
        const r = pick(all);
        if (r.rec) return { ...r, text: `the subject's token ${keys.join(', ')} equals the token of tracked email ${r.rec.id}${plural(r.count, r.rec)}`, undocumented: s.simTokenPosition !== 'anywhere' || s.simTokenSeparator !== 'system' };
        return { rec: null, count: 0, text: `the subject's token ${keys.join(', ')} belongs to no tracked email` };
      },
    },
    {
      method: 'ConversationIndex',
      enabled: headerGate,
      gate: headerGateText,
      gateSettings: headerSettings,
      run: () => {
        const ci = cache.ci(m);
        if (ci.invalid) return { rec: null, count: 0, text: 'the Thread-Index header is not base64 of 22 + 5k bytes, so it cannot be compared' };
        if (!ci.hex) return { rec: null, count: 0, text: 'the message has no Thread-Index (ConversationIndex)' };
        const rule = s.simConversationIndexRule;
        if (rule === 'exact') {
          const r = pick(store.byCi.get(ci.hex));
          return r.rec ? { ...r, text: `the ConversationIndex equals that of tracked email ${r.rec.id} (rule exact)${plural(r.count, r.rec)}`, undocumented: true } : { rec: null, count: 0, text: 'no tracked email has the same ConversationIndex (rule exact)' };
        }
        if (rule === 'base') {
          const r = pick(store.byCiBase.get(ci.baseHex ?? ''));
          return r.rec ? { ...r, text: `the ConversationIndex shares its 22-byte header block with tracked email ${r.rec.id} (rule base)${plural(r.count, r.rec)}`, undocumented: true } : { rec: null, count: 0, text: 'no tracked email shares the 22-byte header block (rule base)' };
        }
        if (ci.ancestors.length === 0) return { rec: null, count: 0, text: 'the ConversationIndex is a root (22 bytes, no child block), so it has no parent to look for' };
        for (let i = 0; i < ci.ancestors.length; i++) {
          const r = pick(store.byCi.get(ci.ancestors[i] as string));
          if (r.rec) {
            const what = i === 0 ? `without its last child block equals the ConversationIndex of tracked email ${r.rec.id} (its direct parent)` : `has tracked email ${r.rec.id} as an ancestor (${i + 1} blocks up; no tracked parent)`;
            return { ...r, text: `the ConversationIndex ${what}${plural(r.count, r.rec)}` };
          }
        }
        return { rec: null, count: 0, text: `none of the ${ci.ancestors.length} proper prefixes of the ConversationIndex is the ConversationIndex of a tracked email` };
      },
    },
    {
      method: 'SmartMatching',
      enabled: s.enablesmartmatching && !s.DisableSmartMatching,
      gate: !s.enablesmartmatching ? 'enablesmartmatching is off' : 'DisableSmartMatching is on',
      gateSettings: ['enablesmartmatching', 'DisableSmartMatching'],
      run: () => {
        const h = cache.hashes(m, s);
        if (h.subjectError) return { rec: null, count: 0, text: `the HashFilterKeywords regex cannot be used (${h.subjectError}), so no subject hashes exist` };
        const res = store.smart.candidates(h.subject, h.address, s, now);
        const best = res.matches[0];
        if (!best) return { rec: null, count: 0, text: `no tracked email has a matching subject (rule ${s.simSmartMatchingSubjectRule}, ${h.subject.length} subject words) and at least ${s.hashminaddresscount} shared addresses${s.simSmartMatchingWindowDays > 0 ? ` within ${s.simSmartMatchingWindowDays} days` : ''}` };
        const rec = store.byId.get(best.trackedId) ?? null;
        return rec ? { rec, count: res.matches.length, text: `tracked email ${rec.id} has a matching subject (rule ${s.simSmartMatchingSubjectRule}) and ${res.best?.sharedAddressHashes.length ?? '≥' + s.hashminaddresscount} shared addresses${plural(res.matches.length, rec)}`, undocumented: s.simSmartMatchingSubjectRule === 'B' } : { rec: null, count: 0, text: 'index inconsistency' };
      },
    },
  ];

  const lines: string[] = [];
  const settingsUsed = new Set<string>();
  let undocumented = false;
  if (attempts.every((a) => !a.enabled)) {
    for (const a of attempts) a.gateSettings.forEach((x) => settingsUsed.add(x));
    return {
      method: 'Skipped', record: null, skipped: true,
      step: { stage: 'Correlate', result: 'skipped', detail: `Correlation was not attempted: every method is disabled by settings (${attempts.map((a) => `${a.method}: ${a.gate}`).join('; ')}). correlationmethod = Skipped (1).`, settings: [...settingsUsed] },
    };
  }
  for (const a of attempts) {
    if (!a.enabled) {
      lines.push(`${a.method}: skipped because ${a.gate}.`);
      a.gateSettings.forEach((x) => settingsUsed.add(x));
      continue;
    }
    const r = a.run();
    if (r.undocumented) undocumented = true;
    if (r.rec) {
      lines.push(`${a.method}: ${r.text}.`);
      if (a.method === 'SmartMatching' || a.method === 'ConversationIndex') undocumented ||= a.method === 'ConversationIndex' && s.simConversationIndexRule === 'parent';
      if (r.count > 1) undocumented = true; // most-recent-wins is the spec's default for every method but tokens
      return {
        method: a.method, record: r.rec, skipped: false,
        step: { stage: 'Correlate', result: 'matched', detail: lines.join(' '), settings: [...settingsUsed], undocumented: undocumented || undefined, data: { method: a.method, correlatedTo: r.rec.id, candidates: r.count } },
      };
    }
    lines.push(`${a.method}: no match, ${r.text}.`);
  }
  return { method: 'None', record: null, skipped: false, step: { stage: 'Correlate', result: 'no match', detail: lines.join(' '), settings: [...settingsUsed] } };
}
