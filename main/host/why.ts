// The Why panel names, for each stage, the settings that decided it and links to them. The engine's
// trace names a setting when it blocked something (a gate that was off); when a stage *passed* or
// *matched* because of settings, it names none. This fills that gap from SIMULATOR §2–§3: which
// organization settings govern each stage's result. Only adds names, never removes the engine's.
import type { Settings, Decision, TraceStep } from '../../core/engine/index.js';

type Key = keyof Settings;

const HEADER_GATE: Key[] = ['emailcorrelationenabled', 'IgnoreConversationIndexAndInReplyToForCorrelation'];

/** Settings that make each correlation method match the way it did (SIMULATOR §3, §3.1, §3.2). */
const METHOD_SETTINGS: Record<string, Key[]> = {
  InReplyTo: [...HEADER_GATE, 'simInReplyToUsesReferences'],
  ConversationIndex: [...HEADER_GATE, 'simConversationIndexRule'],
  TrackingToken: ['usetrackingtokens', 'trackingprefix', 'trackingprefixhistory', 'simTokenPosition'],
  SmartMatching: ['enablesmartmatching', 'DisableSmartMatching', 'hashfilterkeywords', 'hashminaddresscount', 'hashdeltasubjectcount', 'simSmartMatchingSubjectRule'],
};

function settingsFor(step: TraceStep, d: Decision): Key[] {
  switch (step.stage) {
    case 'Folder':
      return step.result === 'stopped' ? ['AutoTrackSentFolderItems'] : [];
    case 'Resolve':
      return step.result === 'recipients' ? ['unresolveemailaddressifmultiplematch', 'ResolveForInactiveEntities'] : ['UnresolveSenderInCaseOfMultipleMatch', 'OverrideV5SenderConflictResolution', 'ResolveForInactiveEntities'];
    case 'Accept':
      if (d.outcome === 'InternalEmailReject') return ['ignoreinternalemail', 'DoNotIgnoreInternalEmailToQueues', 'IgnoreInternalEmailFromQueues'];
      return ['SSSForceFilteringMethodForUserMailboxes', 'UseFilteringMethodOfSyncingMailboxOnlyForCorrelation'];
    case 'Correlate':
      if (step.result === 'matched') return METHOD_SETTINGS[d.correlationMethod] ?? [];
      // No match: every method that was tried could have matched under other settings.
      return [...HEADER_GATE, 'usetrackingtokens', 'enablesmartmatching'];
    default:
      return [];
  }
}

/** The decision with each trace step's `settings` completed (engine's names first). */
export function withDecidingSettings(d: Decision): Decision {
  return {
    ...d,
    trace: d.trace.map((step) => {
      const extra = settingsFor(step, d);
      if (extra.length === 0) return step;
      const names = [...new Set([...(step.settings ?? []), ...extra])];
      return { ...step, settings: names };
    }),
  };
}
