// Organization settings the engine reads. Names are Microsoft's (organization columns are lower case,
// OrgDBOrgSettings are PascalCase) so a settings file reads like the admin's own screen. The `sim*`
// settings are the simulator's choices where Microsoft is silent (SIMULATOR.md); their defaults are ours.

export type ConversationIndexRule = 'parent' | 'exact' | 'base';
export type SubjectRule = 'A' | 'B' | 'C';
export type TokenSeparator = 'system' | 'prefix';
export type TokenPosition = 'anywhere' | 'end';
// SIMULATOR §8: points the sources leave open, each a setting whose first value is the default.
export type SkippedScope = 'stage7' | 'all';
export type ReceivedHeaderRule = 'topmost' | 'latest';
export type ForwardPrefixRule = 'first' | 'any';
export type InternalQueueExceptionScope = 'recipient' | 'processedMailbox';
export type InactiveSingleSenderMatch = 'resolve' | 'never';
export type EqualSentOnTieBreak = 'later' | 'earlier';
export type SentItemsFilterOn = 'recipients' | 'sender';
export type DeliveryOffMailbox = 'notProcessed' | 'evaluate';
export type AddressHashOrder = 'header' | 'sorted';
export type InReplyToIdRule = 'first' | 'last' | 'any';

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
  // SIMULATOR §8 (point 4, IgnoreConversationIndexAndInReplyToForCorrelation, has no alternative)
  /** §8.1: Skipped only for messages that reach stage 7 (default) | for every message of the run. */
  skippedScope: SkippedScope;
  /** §8.2: the topmost Received header whose date parses (default) | the latest date of all. */
  receivedHeaderRule: ReceivedHeaderRule;
  /** §8.3: a forward is a subject whose first prefix is FW:/Fwd: (default) | any prefix of the chain. */
  forwardPrefixRule: ForwardPrefixRule;
  /** §8.3: DoNotCorrelateForwardedEmailsAsReplies also suppresses ConversationIndex (default false). */
  forwardSuppressesConversationIndex: boolean;
  /** §8.5: the queue exception is waived by a queue recipient (default) | only in that queue's own mailbox. */
  internalQueueExceptionScope: InternalQueueExceptionScope;
  /** §8.6: a single sender match on an inactive row resolves (default, but never a disabled user) | never. */
  inactiveSingleSenderMatch: InactiveSingleSenderMatch;
  /** §8.7: inactive rows count toward "more than one" of UnresolveSenderInCaseOfMultipleMatch (default false). */
  multipleMatchCountsInactive: boolean;
  /** §8.8: an incoming email tracked during the replay keeps the token found in its subject (default true). */
  storeTokenOfIncoming: boolean;
  /** §8.9: equal sentOn among already-tracked emails: the one listed later wins (default) | earlier. */
  equalSentOnTieBreak: EqualSentOnTieBreak;
  /** §8.10: filter 3 accepts a sender that resolves to a user or queue (default true). */
  filter3AcceptsUsersAndQueues: boolean;
  /** §8.11: filters 2/3 in Sent Items look at the recipients (default) | at the sender. */
  sentItemsFilterOn: SentItemsFilterOn;
  /** §8.12: sub-folders of a folder-level-tracked folder inherit its mapping (default false). */
  trackedFolderSubfolders: boolean;
  /** §8.13: a message in a mailbox whose incoming delivery is off is NotProcessed (default) | evaluated. */
  deliveryOffMailbox: DeliveryOffMailbox;
  /** §8.14: addresses kept past hashmaxcount: sender, To, Cc in header order (default) | sorted. */
  addressHashOrder: AddressHashOrder;
  /** §8.15: In-Reply-To with several ids: the first (default) | the last | any. */
  inReplyToIdRule: InReplyToIdRule;
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
  skippedScope: 'stage7',
  receivedHeaderRule: 'topmost',
  forwardPrefixRule: 'first',
  forwardSuppressesConversationIndex: false,
  internalQueueExceptionScope: 'recipient',
  inactiveSingleSenderMatch: 'resolve',
  multipleMatchCountsInactive: false,
  storeTokenOfIncoming: true,
  equalSentOnTieBreak: 'later',
  filter3AcceptsUsersAndQueues: true,
  sentItemsFilterOn: 'recipients',
  trackedFolderSubfolders: false,
  deliveryOffMailbox: 'notProcessed',
  addressHashOrder: 'header',
  inReplyToIdRule: 'first',
};
