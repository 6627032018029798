// The Dataverse tables of SIMULATOR §9 as the org loader reads them: for each, its entity set (the Web
// API's `@odata.context` names it), its display name (an Excel export's hidden id column is
// "(Do Not Modify) <display name>") and its columns with their logical names (Web API) and display names
// (the headers of an Excel / Advanced Find export). Display names are Microsoft's; a few columns carry more
// than one because the form label and the column's display name differ (e.g. the queue's filtering
// method is "Convert Incoming Email To Activities" on its form).

import { APPROVAL, CORRELATION_METHOD, DELIVERY_METHOD, FILTERING_METHOD, PARTICIPATION, STATE_ACTIVE, STATE_LEAD, type Choice } from './choices.js';

export const ORG_TABLES = [
  'organization', 'emailserverprofile', 'systemuser', 'usersettings', 'queue', 'mailbox', 'mailboxtrackingfolder',
  'contact', 'account', 'lead', 'email', 'activityparty',
] as const;
/** A table the loader knows by name, or `record`: any other email-enabled table (SIMULATOR §9). */
export type OrgTable = (typeof ORG_TABLES)[number] | 'record';

export type ColumnKind = 'text' | 'email' | 'int' | 'bool' | 'date' | 'choice' | 'lookup' | 'parties' | 'xml';

export interface ColumnSpec {
  /** Logical name; a lookup is `_<key>_value` in Web API JSON. */
  key: string;
  /** Display names seen as CSV headers (the logical name is always accepted too). */
  labels: readonly string[];
  kind: ColumnKind;
  choice?: Choice;
}

export interface TableSpec {
  table: OrgTable;
  entitySet: string;
  /** Display names of the table (singular, then plural), as in "(Do Not Modify) Contact" and file names. */
  displayNames: readonly string[];
  /** Primary id column. */
  id: ColumnSpec;
  columns: readonly ColumnSpec[];
}

const c = (key: string, kind: ColumnKind, labels: readonly string[] = [], choice?: Choice): ColumnSpec => (choice ? { key, kind, labels, choice } : { key, kind, labels });
const OWNER = c('ownerid', 'lookup', ['Owner']);
const EMAILS_123 = [c('emailaddress1', 'email', ['Email', 'E-mail', 'Primary Email']), c('emailaddress2', 'email', ['Email Address 2', 'Email 2']), c('emailaddress3', 'email', ['Email Address 3', 'Email 3'])];

export const TABLES: Record<Exclude<OrgTable, 'record'>, TableSpec> = {
  organization: {
    table: 'organization', entitySet: 'organizations', displayNames: ['Organization', 'Organizations'],
    id: c('organizationid', 'text', ['Organization']),
    // The settings columns themselves are read generically (every column named like a Settings key).
    columns: [c('name', 'text', ['Name', 'Organization Name']), c('orgdborgsettings', 'xml', ['Organization Database Organization Settings', 'OrgDbOrgSettings']),
      c('requireapprovalforuseremail', 'bool', ['Process emails only for approved users', 'Require approval for user email']),
      c('requireapprovalforqueueemail', 'bool', ['Process emails only for approved queues', 'Require approval for queue email'])],
  },
  emailserverprofile: {
    table: 'emailserverprofile', entitySet: 'emailserverprofiles', displayNames: ['Email Server Profile', 'Email Server Profiles'],
    id: c('emailserverprofileid', 'text', ['Email Server Profile']),
    columns: [c('name', 'text', ['Name']), c('processemailsreceivedafter', 'date', ['Process Emails Received After', 'Process Email From', 'Process Emails From'])],
  },
  systemuser: {
    table: 'systemuser', entitySet: 'systemusers', displayNames: ['User', 'Users'],
    id: c('systemuserid', 'text', ['User']),
    columns: [c('fullname', 'text', ['Full Name', 'Name']), c('internalemailaddress', 'email', ['Primary Email', 'Primary E-mail']),
      c('personalemailaddress', 'email', ['Alternate Email', 'Alternate E-mail', 'Personal Email']),
      c('isdisabled', 'bool', ['Status', 'User Status', 'Is Disabled']), c('defaultmailbox', 'lookup', ['Mailbox', 'Default Mailbox'])],
  },
  usersettings: {
    table: 'usersettings', entitySet: 'usersettingscollection', displayNames: ['User Settings', 'User Setting'],
    id: c('systemuserid', 'text', ['User', 'User Settings']),
    columns: [c('incomingemailfilteringmethod', 'choice', ['Incoming Email Filtering Method', 'Track email messages', 'Automatically create records for incoming email'], FILTERING_METHOD),
      c('trackingtokenid', 'int', ['Tracking Token ID', 'Tracking Token Id'])],
  },
  queue: {
    table: 'queue', entitySet: 'queues', displayNames: ['Queue', 'Queues'],
    id: c('queueid', 'text', ['Queue']),
    columns: [c('name', 'text', ['Name', 'Queue Name']), c('emailaddress', 'email', ['Incoming Email', 'Email', 'Email Address']),
      c('incomingemailfilteringmethod', 'choice', ['Convert Incoming Email To Activities', 'Incoming Email Filtering Method'], FILTERING_METHOD),
      OWNER, c('defaultmailbox', 'lookup', ['Mailbox', 'Default Mailbox']), c('statecode', 'choice', ['Status', 'Status Reason'], STATE_ACTIVE)],
  },
  mailbox: {
    table: 'mailbox', entitySet: 'mailboxes', displayNames: ['Mailbox', 'Mailboxes'],
    id: c('mailboxid', 'text', ['Mailbox']),
    columns: [c('name', 'text', ['Name']), c('emailaddress', 'email', ['Email Address', 'Email']),
      c('regardingobjectid', 'lookup', ['Regarding', 'Owner (Regarding)']),
      c('incomingemaildeliverymethod', 'choice', ['Incoming Email', 'Incoming Email Delivery Method', 'Incoming Email Synchronization Method'], DELIVERY_METHOD),
      c('processemailreceivedafter', 'date', ['Process Email From', 'Process Emails From', 'Process Email Received After', 'Process Emails Received After']),
      c('enabledforincomingemail', 'bool', ['Enabled For Incoming Email', 'Incoming Email Enabled']),
      c('isforwardmailbox', 'bool', ['Is Forward Mailbox', 'Forward Mailbox']),
      c('emailrouteraccessapproval', 'choice', ['Primary Email Status', 'Email Router Access Approval', 'Email Address Approval Status', 'Approval Status'], APPROVAL),
      c('emailserverprofile', 'lookup', ['Server Profile', 'Email Server Profile'])],
  },
  mailboxtrackingfolder: {
    table: 'mailboxtrackingfolder', entitySet: 'mailboxtrackingfolders', displayNames: ['Mailbox Auto Tracking Folder', 'Mailbox Auto Tracking Folders', 'Mailbox Tracking Folder'],
    id: c('mailboxtrackingfolderid', 'text', ['Mailbox Auto Tracking Folder', 'Mailbox Tracking Folder']),
    columns: [c('mailboxid', 'lookup', ['Mailbox']), c('exchangefoldername', 'text', ['Exchange Folder Name', 'Folder Name', 'Folder']),
      c('regardingobjectid', 'lookup', ['Regarding Object Id', 'Regarding'])],
  },
  contact: {
    table: 'contact', entitySet: 'contacts', displayNames: ['Contact', 'Contacts'],
    id: c('contactid', 'text', ['Contact']),
    columns: [c('fullname', 'text', ['Full Name', 'Name']), ...EMAILS_123, OWNER, c('statecode', 'choice', ['Status'], STATE_ACTIVE)],
  },
  account: {
    table: 'account', entitySet: 'accounts', displayNames: ['Account', 'Accounts'],
    id: c('accountid', 'text', ['Account']),
    columns: [c('name', 'text', ['Account Name', 'Name']), ...EMAILS_123, OWNER, c('statecode', 'choice', ['Status'], STATE_ACTIVE)],
  },
  lead: {
    table: 'lead', entitySet: 'leads', displayNames: ['Lead', 'Leads'],
    id: c('leadid', 'text', ['Lead']),
    columns: [c('fullname', 'text', ['Name', 'Full Name']), ...EMAILS_123, OWNER, c('statecode', 'choice', ['Status'], STATE_LEAD)],
  },
  email: {
    table: 'email', entitySet: 'emails', displayNames: ['Email', 'Emails', 'Email Message', 'Email Messages'],
    id: c('activityid', 'text', ['Email Message', 'Email', 'Activity']),
    columns: [c('messageid', 'text', ['Message ID', 'Message Id']), c('inreplyto', 'text', ['In Reply To Message', 'In Reply To']),
      c('subject', 'text', ['Subject']), c('trackingtoken', 'text', ['Tracking Token']), c('conversationindex', 'text', ['Conversation Index']),
      c('directioncode', 'bool', ['Direction']), c('sender', 'text', ['Sender']), c('torecipients', 'text', ['To Recipients']),
      c('senton', 'date', ['Date Sent', 'Sent On']), c('createdon', 'date', ['Created On']),
      c('regardingobjectid', 'lookup', ['Regarding']), c('correlationmethod', 'choice', ['Correlation Method'], CORRELATION_METHOD),
      c('correlatedactivityid', 'lookup', ['Correlated Activity Id', 'Correlated Activity']), c('parentactivityid', 'lookup', ['Parent Activity Id', 'Parent Activity']),
      c('acceptingentityid', 'lookup', ['Accepting Entity']), c('receivingmailboxid', 'lookup', ['Receiving Mailbox']),
      // Party lists as an Excel export shows them ("Alice Smith; bob@fabrikam.com"); Web API exports carry
      // email_activity_parties instead (an $expand), or a separate activityparty export.
      c('from', 'parties', ['From']), c('to', 'parties', ['To']), c('cc', 'parties', ['Cc', 'CC']), c('bcc', 'parties', ['Bcc', 'BCC'])],
  },
  activityparty: {
    table: 'activityparty', entitySet: 'activityparties', displayNames: ['Activity Party', 'Activity Parties'],
    id: c('activitypartyid', 'text', ['Activity Party']),
    columns: [c('activityid', 'lookup', ['Activity']), c('participationtypemask', 'choice', ['Participation Type', 'Participation Type Mask'], PARTICIPATION),
      c('addressused', 'text', ['Address', 'Address Used']), c('partyid', 'lookup', ['Party'])],
  },
};

export function tableSpec(table: OrgTable, customTable?: string): TableSpec {
  if (table !== 'record') return TABLES[table];
  const t = (customTable ?? 'record').toLowerCase();
  // Any other email-enabled table: its id column is <table>id; its email-format columns are found by name
  // (the export carries no column metadata), plus owner and status.
  return { table: 'record', entitySet: `${t}s`, displayNames: [t], id: c(`${t}id`, 'text', []), columns: [c('name', 'text', ['Name']), OWNER, c('statecode', 'choice', ['Status'], STATE_ACTIVE)] };
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\(do not modify\)/g, '').replace(/[^a-z0-9]/g, '');
}

/** The table a name denotes: logical name, entity set or display name (any case, spaces ignored). */
export function tableByName(name: string): Exclude<OrgTable, 'record'> | null {
  const n = norm(name);
  for (const s of Object.values(TABLES)) {
    if (norm(s.table) === n || norm(s.entitySet) === n || s.displayNames.some((d) => norm(d) === n)) return s.table as Exclude<OrgTable, 'record'>;
  }
  if (n === 'usersettings' || n === 'usersettingses') return 'usersettings';
  return null;
}

export { norm as normHeader };
