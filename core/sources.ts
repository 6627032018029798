// The documents the behaviour rests on, as users should see them cited: by title (and where it is public,
// a link), never by the short keys our research notes use. Titles and links are those of
// ../shared/reference/dynamics-email-correlation-research.md §0 and of the five seed documents.

export interface SourceDocument {
  title: string;
  /** Who published it, when it is not Microsoft's documentation. */
  publisher?: string;
  year?: number;
  url?: string;
}

export const SOURCES = {
  supportedConfigurations: {
    title: 'Supported email service configurations for server-side synchronization',
    year: 2018,
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/supported-email-service-configurations-server-side-synchronization',
  },
  automaticallyTracked: {
    title: 'Specify which emails are automatically tracked',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/email-message-filtering-correlation',
  },
  pecKb: { title: 'Email fails to synchronize to Dynamics 365 when encoded with PEC (KB 4490718)' },
  routerWhitePaper: { title: 'Microsoft Dynamics CRM 3.0 e-mail integration and the E-mail Router (white paper)', year: 2006 },
  orgDbOrgSettings: {
    title: 'OrgDBOrgSettings for server-side synchronization',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/OrgDbOrgSettings',
  },
  systemSettingsEmail: {
    title: 'System Settings dialog box – Email tab',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/system-settings-dialog-box-email-tab',
  },
  emailTrackingSettings: {
    title: 'Email tracking settings',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/settings-email-tracking',
  },
  setUpServerSideSync: {
    title: 'Set up server-side synchronization of email, appointments, contacts, and tasks',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/set-up-server-side-synchronization-of-email-appointments-contacts-and-tasks',
  },
  trackSentFolder: { title: 'Track Sent Items folder items', url: 'https://learn.microsoft.com/en-us/power-platform/admin/track-sent-folder-items' },
  folderLevelTracking: {
    title: 'Configure Outlook or Exchange folder-level tracking',
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/configure-outlook-exchange-folder-level-tracking',
  },
  associateEmailAddress: { title: 'Associate an email address with a row', url: 'https://learn.microsoft.com/en-us/power-platform/admin/associate-email-address' },
  notTrackedKb: {
    title: 'Emails are not automatically tracked or synchronized',
    url: 'https://learn.microsoft.com/en-us/troubleshoot/power-platform/dataverse/email-exchange-synchronization/emails-not-automatically-tracked-or-synchronized',
  },
  noRecipientMatchKb: {
    title: 'Email fails to create with NoRecipientMatch error (KB 4339830)',
    url: 'https://learn.microsoft.com/en-us/troubleshoot/power-platform/dataverse/email-exchange-synchronization/email-fails-to-create-with-norecipientmatch-error',
  },
  checkIncomingEmail: {
    title: 'CheckIncomingEmail function',
    url: 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/checkincomingemail',
  },
  trackingTokenBlog2006: {
    title: 'Microsoft CRM’s E-mail Subject-Line Tracking Token',
    publisher: 'Microsoft Dynamics CRM team blog',
    year: 2006,
    url: 'https://cloudblogs.microsoft.com/dynamics365/no-audience/2006/09/18/microsoft-crms-e-mail-subject-line-tracking-token/',
  },
  multipleExchangeBlog2006: {
    title: 'Supporting multiple Exchange servers and/or multiple Microsoft CRM implementations',
    publisher: 'Microsoft Dynamics CRM team blog',
    year: 2006,
    url: 'https://cloudblogs.microsoft.com/dynamics365/no-audience/2006/10/05/supporting-multiple-exchange-servers-andor-multiple-microsoft-crm-implementations/',
  },
  outlookExperienceBlog2007: { title: 'Improve the Outlook experience, part three', publisher: 'Microsoft Dynamics CRM team blog', year: 2007 },
  smartMatchingBlog2008: {
    title: 'Microsoft Dynamics CRM, Email correlation and smart matching',
    publisher: 'Microsoft Dynamics CRM team blog',
    year: 2008,
    url: 'https://www.microsoft.com/en-us/dynamics-365/blog/no-audience/2008/11/11/microsoft-dynamics-crm-email-correlation-and-smart-matching/',
  },
  toggleSmartMatchingBlog2009: {
    title: 'How to toggle Smart Matching in Microsoft Dynamics CRM 4.0',
    publisher: 'Microsoft Dynamics CRM team blog',
    year: 2009,
    url: 'https://cloudblogs.microsoft.com/dynamics365/no-audience/2009/06/23/how-to-toggle-smart-matching-in-microsoft-dynamics-crm-4-0/',
  },
  correlationCrm2013: {
    title: 'Email correlation in Microsoft Dynamics CRM 2013',
    publisher: 'fkbase.info (community)',
    url: 'https://fkbase.info/email-correlation-in-microsoft-dynamics-crm-2013/',
  },
  duplicateTokensKa: {
    title: 'Duplicate tracking tokens (KA-22940)',
    publisher: 'Power Platform community',
    url: 'https://community.powerplatform.com/article/KA-22940',
  },
  automaticallyTracked2020: {
    title: 'Specify which emails are automatically tracked (2020 revision)',
    year: 2020,
    url: 'https://learn.microsoft.com/en-us/power-platform/admin/email-message-filtering-correlation',
  },
  crm2011SmartMatching: {
    title: 'Microsoft Dynamics CRM 2011 documentation: smart matching',
    year: 2011,
    url: 'https://learn.microsoft.com/en-us/previous-versions/gg584023(v=msdn.10)',
  },
  organizationTable: {
    title: 'organization table/entity reference',
    url: 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/organization',
  },
  mailboxTable: {
    title: 'mailbox table/entity reference',
    url: 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/mailbox',
  },
  orgDbOrgSettingsEditor: {
    title: 'OrgDBOrgSettings editor – Organization Settings Editor solution (its settings metadata)',
    publisher: 'seanmcne/OrgDbOrgSettings on GitHub, community tool by Microsoft field engineers',
    url: 'https://github.com/seanmcne/OrgDbOrgSettings',
  },
  smartMatchingRegistryForum: {
    title: 'Forum answer quoting the CRM 4.0 smart-matching text and its registry keys (HKLM\\Software\\Microsoft\\MSCRM)',
    publisher: 'Dynamics Community forum',
    url: 'https://community.dynamics.com/forums/thread/details/?threadid=96a89211-9e2f-4641-8ab5-b54727105b2b',
  },
  pop3Rfc: { title: 'Post Office Protocol – Version 3 (RFC 1939)', publisher: 'IETF', year: 1996, url: 'https://www.rfc-editor.org/rfc/rfc1939' },
} as const satisfies Record<string, SourceDocument>;

export type SourceKey = keyof typeof SOURCES;

/** “Title” (publisher, year): the short form used inside a sentence of a trace or a finding. */
export function cite(key: SourceKey): string {
  const s: SourceDocument = SOURCES[key];
  const extra = [s.publisher, s.year].filter((x) => x !== undefined).join(', ');
  return `“${s.title}”${extra ? ` (${extra})` : ''}`;
}

/** Several documents cited in one sentence, separated by semicolons. */
export function citeAll(keys: readonly SourceKey[]): string {
  return keys.map(cite).join('; ');
}
