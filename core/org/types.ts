// The org loader's normalized records: one per row of a Dataverse export (SIMULATOR §9), with where it came
// from (file, row) so every problem and every loaded row can be traced back. Plain data; no I/O.

import type { Settings } from '../engine/index.js';
import type { OrgTable } from './tables.js';

/** A lookup cell: the Web API gives the id (and, with annotations, the table and the name); a CSV export the name. */
export interface OrgLookup {
  id: string | null;
  table: string | null;
  name: string | null;
}

export interface OrgProblem {
  file: string;
  table: OrgTable | null;
  /** 1-based data row (CSV: the header is row 0; JSON: position in `value`, counting across pages); 0 = the whole file. */
  row: number;
  column: string | null;
  problem: string;
}

/** An OrgDBOrgSettings element or organization column SyncLens does not simulate: kept and shown as such. */
export interface UnknownSetting {
  name: string;
  value: string;
  source: 'orgdborgsettings' | 'column';
}

/** An email's party (activityparty, participationtypemask 1 Sender, 2 To, 3 Cc, 4 Bcc). */
export interface OrgParty {
  mask: 1 | 2 | 3 | 4;
  address: string | null;
  party: OrgLookup | null;
}

interface Base {
  file: string;
  row: number;
  /** Primary key, lower-cased, without braces. */
  id: string;
}

export interface OrgOrganization extends Base {
  table: 'organization';
  name: string | null;
  /** Settings the engine knows, from the organization's columns and its orgdborgsettings. */
  settings: Partial<Settings>;
  unknownSettings: UnknownSetting[];
  requireApprovalForUserEmail: boolean | null;
  requireApprovalForQueueEmail: boolean | null;
}
export interface OrgEmailServerProfile extends Base { table: 'emailserverprofile'; name: string | null; processEmailsFrom: string | null }
export interface OrgSystemUser extends Base { table: 'systemuser'; name: string | null; emails: string[]; disabled: boolean | null; defaultMailbox: OrgLookup | null }
export interface OrgUserSettings extends Base { table: 'usersettings'; filter: number | null; trackingTokenId: number | null }
export interface OrgQueue extends Base {
  table: 'queue'; name: string | null; emails: string[]; filter: number | null; owner: OrgLookup | null; defaultMailbox: OrgLookup | null; active: boolean | null;
}
export interface OrgMailbox extends Base {
  table: 'mailbox'; name: string | null; email: string | null; regarding: OrgLookup | null;
  /** incomingemaildeliverymethod: 0 None, 1 Outlook, 2 Server-Side Synchronization or Email Router, 3 Forward Mailbox. */
  delivery: number | null;
  processEmailsFrom: string | null; enabledForIncoming: boolean | null; isForward: boolean | null;
  /** emailrouteraccessapproval: 0 Empty, 1 Approved, 2 Pending Approval, 3 Rejected. */
  approval: number | null;
  profile: OrgLookup | null;
}
export interface OrgTrackingFolder extends Base { table: 'mailboxtrackingfolder'; mailbox: OrgLookup | null; folder: string | null; regarding: OrgLookup | null }
export interface OrgPartyRow extends Base {
  table: 'contact' | 'account' | 'lead' | 'record';
  /** The Dataverse table (the custom table's logical name for `record`). */
  recordTable: string;
  name: string | null; emails: string[]; owner: OrgLookup | null; active: boolean | null;
}
export interface OrgEmail extends Base {
  table: 'email';
  messageId: string | null; inReplyTo: string | null; subject: string | null; trackingToken: string | null; conversationIndex: string | null;
  direction: 'incoming' | 'outgoing' | null; sender: string | null; toRecipients: string | null;
  sentOn: string | null; createdOn: string | null; regarding: OrgLookup | null;
  correlationMethod: number | null; correlationMethodLabel: string | null;
  correlatedActivity: OrgLookup | null; parentActivity: OrgLookup | null; acceptingEntity: OrgLookup | null; receivingMailbox: OrgLookup | null;
  parties: OrgParty[];
}
export interface OrgActivityParty extends Base { table: 'activityparty'; activity: OrgLookup | null; mask: number | null; address: string | null; party: OrgLookup | null }

export type OrgRecord =
  | OrgOrganization | OrgEmailServerProfile | OrgSystemUser | OrgUserSettings | OrgQueue | OrgMailbox | OrgTrackingFolder
  | OrgPartyRow | OrgEmail | OrgActivityParty;

export interface OrgRowsResult {
  records: OrgRecord[];
  problems: OrgProblem[];
}
