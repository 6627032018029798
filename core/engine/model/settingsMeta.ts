// Metadata for every Settings key: what the admin screen calls it, where Microsoft documents it (cited
// by document title, core/sources.ts), its range. The settings editor, the CLI and validateSettings all
// read this one table so a bad settings file is refused with the setting's own name and the allowed range.

import { DEFAULT_SETTINGS, type Settings } from './settings.js';
import { compileDotNetRegex } from '../primitives/dotnetRegex.js';
import { citeAll, type SourceKey } from '../../sources.js';

export type SettingKind = 'boolean' | 'int' | 'string' | 'enum' | 'string[]';
export type SettingGroup =
  | 'Email correlation' | 'Tracking tokens' | 'Smart matching' | 'Internal email' | 'Address resolution'
  | 'OrgDBOrgSettings' | 'Simulator (undocumented)';

export interface SettingMeta {
  key: keyof Settings;
  kind: SettingKind;
  /** Microsoft's name (organization column or OrgDBOrgSettings), or ours for sim* settings. */
  microsoftName: string;
  group: SettingGroup;
  label: string;
  description: string;
  default: Settings[keyof Settings];
  min?: number;
  max?: number;
  /** string: length bounds; string[]: bounds for each item. */
  minLength?: number;
  maxLength?: number;
  values?: readonly (string | number)[];
  /** The documents that describe it (core/sources.ts); empty for a simulator choice. */
  sources: readonly SourceKey[];
  /**
   * Where it is described, as users read it: the documents cited by title, or for a simulator choice
   * the section of SyncLens's own behaviour spec (SIMULATOR.md) that defines it.
   */
  source: string;
  /** A simulator choice where Microsoft is silent (SIMULATOR.md "alternatives"). */
  undocumented: boolean;
}

const I32 = 2147483647;

// Each row names its documents by key (research ids: M-org organization table, D-SSE System Settings,
// D1 "Specify which emails are automatically tracked", D-SET email tracking settings, D-ODB / T-ODB
// OrgDBOrgSettings page and editor, D-SENT Sent Items, D-RES address association), or `spec`, the
// SIMULATOR.md section of a simulator choice.
type MetaRow = Omit<SettingMeta, 'key' | 'default' | 'undocumented' | 'microsoftName' | 'source'> & { microsoftName?: string; undocumented?: boolean; spec?: string };

const ROWS: { [K in keyof Settings]: MetaRow } = {
  emailcorrelationenabled: { kind: 'boolean', group: 'Email correlation', label: 'Use correlation to track email conversations', description: 'Gates InReplyTo and ConversationIndex correlation.', sources: ['organizationTable', 'systemSettingsEmail', 'automaticallyTracked'] },
  usetrackingtokens: { kind: 'boolean', group: 'Tracking tokens', microsoftName: 'Use tracking tokens (no column known)', label: 'Use tracking tokens', description: 'Tracking-token correlation and tokens on outgoing subjects. No organization column is known; the name is ours.', sources: ['automaticallyTracked'], undocumented: true },
  trackingprefix: { kind: 'string', group: 'Tracking tokens', label: 'Prefix', description: 'Token prefix, 1–20 characters.', minLength: 1, maxLength: 20, sources: ['organizationTable', 'automaticallyTracked'] },
  trackingprefixhistory: { kind: 'string[]', group: 'Tracking tokens', label: 'Previous prefixes', description: 'Earlier prefixes, still recognised for correlation (the stored delimiter is undocumented).', minLength: 1, maxLength: 20, sources: ['organizationTable', 'automaticallyTracked'] },
  trackingtokenidbase: { kind: 'int', group: 'Tracking tokens', label: 'Deployment base tracking number', description: 'Base for user numbers: base 0 gives first user 001, base 500 gives 501.', min: 0, max: I32, sources: ['organizationTable', 'automaticallyTracked'] },
  trackingtokeniddigits: { kind: 'int', group: 'Tracking tokens', label: 'Number of digits for user numbers', description: 'Digits of the per-user number (1–10; 1–9 in older docs).', min: 1, max: 10, sources: ['organizationTable', 'automaticallyTracked'] },
  maximumtrackingnumber: { kind: 'int', group: 'Tracking tokens', label: 'Number of digits for incremental message counter', description: 'Counter maximum before it wraps to 0; must be 10^d−1 for d counter digits (1–9). Storing 999 for 3 digits is an inference.', min: 9, max: 999999999, sources: ['organizationTable', 'automaticallyTracked'] },
  enablesmartmatching: { kind: 'boolean', group: 'Smart matching', label: 'Use smart matching', description: 'Correlate by subject and address hashes (Off in current docs, On in older versions).', sources: ['organizationTable', 'automaticallyTracked', 'emailTrackingSettings'] },
  hashfilterkeywords: { kind: 'string', group: 'Smart matching', label: 'HashFilterKeywords', description: '.NET regex; every match is removed from the subject before hashing.', minLength: 0, maxLength: 1073741823, sources: ['organizationTable', 'automaticallyTracked'] },
  hashmaxcount: { kind: 'int', group: 'Smart matching', label: 'HashMaxCount', description: 'Maximum subject words and addresses hashed.', min: 0, max: I32, sources: ['organizationTable', 'automaticallyTracked'] },
  hashdeltasubjectcount: { kind: 'int', group: 'Smart matching', label: 'HashDeltaSubjectCount', description: 'Maximum difference allowed between the subject hash counts.', min: 0, max: I32, sources: ['organizationTable', 'automaticallyTracked'] },
  hashminaddresscount: { kind: 'int', group: 'Smart matching', label: 'HashMinAddressCount', description: 'Minimum number of matching address hashes.', min: 0, max: I32, sources: ['organizationTable', 'automaticallyTracked'] },
  ignoreinternalemail: { kind: 'boolean', group: 'Internal email', label: 'Track emails sent between users as two activities (inverted)', description: 'True = the UI says No: incoming email from internal users or queues is not tracked.', sources: ['organizationTable', 'systemSettingsEmail'] },
  unresolveemailaddressifmultiplematch: { kind: 'boolean', group: 'Address resolution', label: 'Set To, cc, bcc fields as unresolved values if multiple matches are found in Incoming Emails', description: 'Recipients matching several rows stay unresolved.', sources: ['organizationTable', 'systemSettingsEmail'] },
  IgnoreConversationIndexAndInReplyToForCorrelation: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Ignore ConversationIndex and In-Reply-To for correlation', description: 'Skip InReplyTo and ConversationIndex correlation.', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  DoNotCorrelateForwardedEmailsAsReplies: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Do not correlate forwarded emails as replies', description: 'Forwards are not correlated by their In-Reply-To.', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  SSSForceFilteringMethodForUserMailboxes: { kind: 'int', group: 'OrgDBOrgSettings', label: 'Force filtering method for user mailboxes', description: '−1 off; 0 All, 1 In response, 2 Leads/contacts/accounts, 3 Email-enabled records, 4 None: a user mailbox uses only this method and only its owner.', min: -1, max: 4, sources: ['automaticallyTracked', 'orgDbOrgSettingsEditor'] },
  UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Use filtering method of syncing mailbox only', description: 'Only the syncing mailbox owner is a candidate accepting entity.', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  AutoTrackSentFolderItems: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Auto-track Sent Items', description: 'Track Sent Items with the incoming filtering method (Exchange only).', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor', 'trackSentFolder'] },
  UnresolveSenderInCaseOfMultipleMatch: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Unresolve sender on multiple match', description: 'Sender stays unresolved when its address matches more than one row.', sources: ['associateEmailAddress', 'orgDbOrgSettingsEditor'] },
  OverrideV5SenderConflictResolution: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Override V5 sender conflict resolution', description: 'Email is not tracked when several rows share the sender address.', sources: ['orgDbOrgSettingsEditor'] },
  DisableSmartMatching: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Disable smart matching (legacy)', description: 'Legacy switch; disables smart matching whatever enablesmartmatching says.', sources: ['orgDbOrgSettingsEditor'] },
  MaximumSubjectLengthOnMailServer: { kind: 'int', group: 'OrgDBOrgSettings', label: 'Maximum subject length on mail server', description: 'Subjects are cut so that the tracking token fits.', min: 255, max: 400, sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  DoNotIgnoreInternalEmailToQueues: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Do not ignore internal email to queues', description: 'Internal email to queues is tracked even when internal email is ignored.', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  IgnoreInternalEmailFromQueues: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Ignore internal email from queues', description: 'Email sent by queues counts as internal.', sources: ['orgDbOrgSettingsEditor'] },
  ResolveForInactiveEntities: { kind: 'boolean', group: 'OrgDBOrgSettings', label: 'Resolve for inactive entities', description: 'Inactive rows are used for address resolution.', sources: ['orgDbOrgSettings', 'orgDbOrgSettingsEditor'] },
  simConversationIndexRule: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'simConversationIndexRule', label: 'ConversationIndex match rule', description: 'parent: parent prefix equals a tracked index, else longest ancestor; exact: equal values; base: same 22-byte header.', values: ['parent', 'exact', 'base'], sources: [], spec: '§3', undocumented: true },
  simSmartMatchingSubjectRule: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'simSmartMatchingSubjectRule', label: 'Smart-matching subject rule', description: 'B: counts within delta and the smaller set inside the larger; A: counts only; C: shared ≥ larger count − delta.', values: ['A', 'B', 'C'], sources: [], spec: '§3.2', undocumented: true },
  simTokenSeparator: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'simTokenSeparator', label: 'Token separator', description: 'system: the colon is written after the prefix; prefix: the colon, if any, is part of the prefix.', values: ['system', 'prefix'], sources: [], spec: '§3.1', undocumented: true },
  simTokenPosition: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'simTokenPosition', label: 'Token position', description: 'anywhere: a token anywhere in the subject; end: only at its end.', values: ['anywhere', 'end'], sources: [], spec: '§3', undocumented: true },
  simSmartMatchingWindowDays: { kind: 'int', group: 'Simulator (undocumented)', microsoftName: 'simSmartMatchingWindowDays', label: 'Smart-matching window (days)', description: '0 = all tracked email; 90 = the server under load.', min: 0, max: 36500, sources: ['automaticallyTracked'], spec: '§3.2', undocumented: true },
  simInReplyToUsesReferences: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'simInReplyToUsesReferences', label: 'InReplyTo also tries the last References id', description: 'Alternative to the documented In-Reply-To rule.', sources: [], spec: '§3', undocumented: true },
  skippedScope: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'skippedScope', label: "'Skipped' when every method is disabled", description: 'stage7: only messages that reach correlation are Skipped, a message stopped earlier has None; all: every message of the run.', values: ['stage7', 'all'], sources: [], spec: '§8.1', undocumented: true },
  receivedHeaderRule: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'receivedHeaderRule', label: 'Which Received header dates a message', description: 'topmost: the topmost Received header whose date parses (the last hop); latest: the latest date among all Received headers. Used for the order of processing and Process Emails From.', values: ['topmost', 'latest'], sources: [], spec: '§8.2', undocumented: true },
  forwardPrefixRule: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'forwardPrefixRule', label: 'What counts as a forward', description: "first: the subject's first prefix is FW:, Fwd: or FWD: (RE: FW: is a reply); any: any prefix of the chain is a forward prefix.", values: ['first', 'any'], sources: [], spec: '§8.3', undocumented: true },
  forwardSuppressesConversationIndex: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'forwardSuppressesConversationIndex', label: 'Forwards also skip ConversationIndex', description: 'With DoNotCorrelateForwardedEmailsAsReplies, a forward also skips ConversationIndex correlation (default: only InReplyTo).', sources: [], spec: '§8.3', undocumented: true },
  internalQueueExceptionScope: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'internalQueueExceptionScope', label: 'Queue exception to ignoring internal email', description: "recipient: waived when a To/Cc address resolves to a queue with an enabled mailbox; processedMailbox: waived only when the mailbox being processed is that queue's.", values: ['recipient', 'processedMailbox'], sources: [], spec: '§8.5', undocumented: true },
  inactiveSingleSenderMatch: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'inactiveSingleSenderMatch', label: 'A single sender match on an inactive row', description: 'resolve: it resolves regardless of its state, except a disabled system user; never: inactive rows never resolve.', values: ['resolve', 'never'], sources: [], spec: '§8.6', undocumented: true },
  multipleMatchCountsInactive: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'multipleMatchCountsInactive', label: 'Inactive rows count as multiple matches', description: 'For UnresolveSenderInCaseOfMultipleMatch: false = only active matches count toward "more than one" (all rows count toward 100); true = inactive rows count too.', sources: [], spec: '§8.7', undocumented: true },
  storeTokenOfIncoming: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'storeTokenOfIncoming', label: 'Keep the token of incoming email', description: 'An incoming email tracked during the replay stores the first token of a known prefix in its subject, so later replies can correlate on it.', sources: [], spec: '§8.8', undocumented: true },
  equalSentOnTieBreak: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'equalSentOnTieBreak', label: 'Equal sentOn among tracked emails', description: 'later: the one listed later in the input wins; earlier: the one listed first.', values: ['later', 'earlier'], sources: [], spec: '§8.9', undocumented: true },
  filter3AcceptsUsersAndQueues: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'filter3AcceptsUsersAndQueues', label: 'Filter 3 accepts users and queues', description: 'Filter 3 accepts a sender that resolves to a user or queue (they are email-enabled rows).', sources: [], spec: '§8.10', undocumented: true },
  sentItemsFilterOn: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'sentItemsFilterOn', label: 'Filters 2/3 for Sent Items', description: 'recipients: evaluated on the To/Cc recipients (the sender is the mailbox owner); sender: on the sender like Inbox mail.', values: ['recipients', 'sender'], sources: [], spec: '§8.11', undocumented: true },
  trackedFolderSubfolders: { kind: 'boolean', group: 'Simulator (undocumented)', microsoftName: 'trackedFolderSubfolders', label: 'Sub-folders inherit folder-level tracking', description: 'Sub-folders of a folder-level-tracked folder are tracked with its mapping (default: only if mapped themselves). Folder names compare case-insensitively either way.', sources: [], spec: '§8.12', undocumented: true },
  deliveryOffMailbox: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'deliveryOffMailbox', label: 'Mailbox with incoming delivery off', description: 'notProcessed: the mailbox is never synchronized, so its messages are NotProcessed; evaluate: its messages are evaluated (its owner is not a candidate).', values: ['notProcessed', 'evaluate'], sources: [], spec: '§8.13', undocumented: true },
  addressHashOrder: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'addressHashOrder', label: 'Addresses kept past HashMaxCount', description: 'header: sender, then To, then Cc in header order, de-duplicated; sorted: sorted, first N.', values: ['header', 'sorted'], sources: [], spec: '§8.14', undocumented: true },
  inReplyToIdRule: { kind: 'enum', group: 'Simulator (undocumented)', microsoftName: 'inReplyToIdRule', label: 'In-Reply-To with several ids', description: 'first: the first id; last: the last id; any: every id (the most recent tracked email wins).', values: ['first', 'last', 'any'], sources: [], spec: '§8.15', undocumented: true },
};

export const SETTINGS_META: readonly SettingMeta[] = (Object.keys(ROWS) as (keyof Settings)[]).map((key) => {
  const row = ROWS[key];
  const { spec, ...rest } = row;
  const cited = citeAll(row.sources);
  const source = spec
    ? `No Microsoft document: a simulator choice (SIMULATOR.md §${spec.replace(/^§/, '')})${cited ? `; see also ${cited}` : ''}`
    : cited;
  return { ...rest, key, microsoftName: row.microsoftName ?? key, default: DEFAULT_SETTINGS[key], undocumented: row.undocumented ?? false, source };
});

const META_BY_KEY = new Map<string, SettingMeta>(SETTINGS_META.map((m) => [m.key, m]));

export function settingMeta(key: keyof Settings): SettingMeta {
  return META_BY_KEY.get(key) as SettingMeta;
}

export interface SettingError {
  key: string;
  value: unknown;
  message: string;
}

/** Digits of the message counter: maximumtrackingnumber = 10^d − 1 (research §2.1, inferred). */
export function counterDigits(settings: Pick<Settings, 'maximumtrackingnumber'>): number {
  return String(Math.max(0, Math.trunc(settings.maximumtrackingnumber))).length;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v));

function checkOne(meta: SettingMeta, value: unknown): string | null {
  const name = meta.key;
  const range = (): string => `allowed ${meta.min}–${meta.max}`;
  switch (meta.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${name} = ${show(value)} is not a boolean: allowed true or false`;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${name} = ${show(value)} is not an integer: ${range()}`;
      if (value < (meta.min ?? -Infinity) || value > (meta.max ?? Infinity)) return `${name} = ${value} is out of range: ${range()}`;
      if (name === 'maximumtrackingnumber' && !/^9{1,9}$/.test(String(value))) {
        return `${name} = ${value} is not 10^d−1: allowed 9, 99, …, 999999999 (1–9 counter digits)`;
      }
      return null;
    case 'enum':
      return meta.values?.includes(value as string) ? null : `${name} = ${show(value)} is not allowed: allowed ${meta.values?.join(', ')}`;
    case 'string': {
      if (typeof value !== 'string') return `${name} = ${show(value)} is not a string`;
      if (value.length < (meta.minLength ?? 0) || value.length > (meta.maxLength ?? Infinity)) {
        return `${name} = ${show(value)} has ${value.length} characters: allowed ${meta.minLength}–${meta.maxLength}`;
      }
      if (name === 'hashfilterkeywords') {
        const c = compileDotNetRegex(value);
        if (!c.ok) return `${name} = ${show(value)}: ${c.error}`;
      }
      return null;
    }
    case 'string[]': {
      if (!Array.isArray(value)) return `${name} = ${show(value)} is not a list of strings`;
      for (const [i, item] of value.entries()) {
        if (typeof item !== 'string' || item.length < (meta.minLength ?? 0) || item.length > (meta.maxLength ?? Infinity)) {
          return `${name}[${i}] = ${show(item)} is not a ${meta.minLength}–${meta.maxLength} character string`;
        }
      }
      return null;
    }
  }
}

/** Merge a partial settings object onto DEFAULT_SETTINGS, refusing unknown keys and invalid values. */
export function validateSettings(partial: unknown): { ok: true; settings: Settings } | { ok: false; errors: SettingError[] } {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    return { ok: false, errors: [{ key: '', value: partial, message: `settings must be an object of setting names to values, got ${Array.isArray(partial) ? 'an array' : show(partial)}` }] };
  }
  const errors: SettingError[] = [];
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, trackingprefixhistory: [...DEFAULT_SETTINGS.trackingprefixhistory] };
  for (const [key, value] of Object.entries(partial)) {
    const meta = META_BY_KEY.get(key);
    if (!meta) {
      const near = SETTINGS_META.find((m) => m.key.toLowerCase() === key.toLowerCase());
      errors.push({ key, value, message: `unknown setting '${key}'${near ? ` (did you mean '${near.key}'?)` : ''}` });
      continue;
    }
    const problem = checkOne(meta, value);
    if (problem) errors.push({ key, value, message: problem });
    else merged[key] = Array.isArray(value) ? [...(value as string[])] : value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: merged as unknown as Settings };
}

/** Keys whose values differ between two settings profiles (for what-if reports). */
export function diffSettings(a: Settings, b: Settings): { key: keyof Settings; from: unknown; to: unknown }[] {
  const out: { key: keyof Settings; from: unknown; to: unknown }[] = [];
  for (const m of SETTINGS_META) {
    const x = a[m.key];
    const y = b[m.key];
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ key: m.key, from: x, to: y });
  }
  return out;
}

/**
 * A simulator-only setting (the sim* choices and the settled points of SIMULATOR §8): no organization
 * column or OrgDBOrgSetting holds it, so there is nothing to apply to a real organization. Callers that
 * used `key.startsWith('sim')` should use this: the §8 settings carry the spec's own names.
 */
export function isSimulatorSetting(key: string): boolean {
  return META_BY_KEY.get(key)?.group === 'Simulator (undocumented)';
}
