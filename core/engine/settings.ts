// Organization settings the engine reads. Names are Microsoft's (organization columns are lower case,
// OrgDBOrgSettings are PascalCase) so a settings file reads like the admin's own screen. The `sim*`
// settings are the simulator's choices where Microsoft is silent (SIMULATOR.md); their defaults are ours.

export type ConversationIndexRule = 'parent' | 'exact' | 'base';
export type SubjectRule = 'A' | 'B' | 'C';
export type TokenSeparator = 'system' | 'prefix';
export type TokenPosition = 'anywhere' | 'end';

export interface Settings {
  // organization columns (research §2.1)
  emailcorrelationenabled: boolean;
  usetrackingtokens: boolean;
  trackingprefix: string;
  trackingprefixhistory: string[];
  trackingtokenidbase: number;
  trackingtokeniddigits: number;
  maximumtrackingnumber: number;
  enablesmartmatching: boolean;
  hashfilterkeywords: string;
  hashmaxcount: number;
  hashdeltasubjectcount: number;
  hashminaddresscount: number;
  ignoreinternalemail: boolean;
  unresolveemailaddressifmultiplematch: boolean;
  // OrgDBOrgSettings (research §2.3)
  IgnoreConversationIndexAndInReplyToForCorrelation: boolean;
  DoNotCorrelateForwardedEmailsAsReplies: boolean;
  SSSForceFilteringMethodForUserMailboxes: number;
  UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: boolean;
  AutoTrackSentFolderItems: boolean;
  UnresolveSenderInCaseOfMultipleMatch: boolean;
  OverrideV5SenderConflictResolution: boolean;
  DisableSmartMatching: boolean;
  MaximumSubjectLengthOnMailServer: number;
  DoNotIgnoreInternalEmailToQueues: boolean;
  IgnoreInternalEmailFromQueues: boolean;
  ResolveForInactiveEntities: boolean;
  // simulator choices where Microsoft is silent (SIMULATOR.md "alternatives")
  /** ConversationIndex rule: parent (default) | exact | base. */
  simConversationIndexRule: ConversationIndexRule;
  /** Smart-matching subject rule: B (default) | A | C. */
  simSmartMatchingSubjectRule: SubjectRule;
  /** Token separator: `system` (the colon is written by the system, default) | `prefix` (colon is part of the prefix). */
  simTokenSeparator: TokenSeparator;
  /** Where a token is recognised in the subject: anywhere (default) | end. */
  simTokenPosition: TokenPosition;
  /** Smart-matching window in days; 0 = all tracked email (default), 90 = the server under load. */
  simSmartMatchingWindowDays: number;
  /** Also try the last References id when In-Reply-To finds nothing (default false). */
  simInReplyToUsesReferences: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  emailcorrelationenabled: true,
  usetrackingtokens: true,
  trackingprefix: 'CRM',
  trackingprefixhistory: [],
  trackingtokenidbase: 0,
  trackingtokeniddigits: 3,
  maximumtrackingnumber: 999,
  enablesmartmatching: false,
  hashfilterkeywords: '^[\\s]*([\\w]+\\s?:[\\s]*)+',
  hashmaxcount: 20,
  hashdeltasubjectcount: 0,
  hashminaddresscount: 2,
  ignoreinternalemail: false,
  unresolveemailaddressifmultiplematch: false,
  IgnoreConversationIndexAndInReplyToForCorrelation: false,
  DoNotCorrelateForwardedEmailsAsReplies: false,
  SSSForceFilteringMethodForUserMailboxes: -1,
  UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: false,
  AutoTrackSentFolderItems: false,
  UnresolveSenderInCaseOfMultipleMatch: false,
  OverrideV5SenderConflictResolution: false,
  DisableSmartMatching: false,
  MaximumSubjectLengthOnMailServer: 255,
  DoNotIgnoreInternalEmailToQueues: true,
  IgnoreInternalEmailFromQueues: false,
  ResolveForInactiveEntities: false,
  simConversationIndexRule: 'parent',
  simSmartMatchingSubjectRule: 'B',
  simTokenSeparator: 'system',
  simTokenPosition: 'anywhere',
  simSmartMatchingWindowDays: 0,
  simInReplyToUsesReferences: false,
};
