// Supported-configuration check for server-side synchronization (SSS). Rules are research §11 (R1–R16,
// from D-SUP / D-SETUP) plus rows of seed 000 (the 2018 "Supported email service configurations" page)
// that the §11 table does not carry (R17–R21). Each verdict names its rule, a plain reason and its
// source so an admin can check it against the Microsoft page. Pure: plain data in, plain data out.

export type Verdict = 'supported' | 'not-supported' | 'limited';
export type ItemKind = 'email' | 'appointments-contacts-tasks';

export type DeploymentKind = 'online' | 'onpremises';

export interface Deployment {
  kind: DeploymentKind;
  /** Free text, e.g. "9.2"; informational. */
  version?: string;
  /** The deployment is configured for FIPS 140-2 compliance (D-SUP). */
  fips?: boolean;
  /** Multi-factor authentication is required between Dynamics and the mail server. */
  mfa?: boolean;
  /** Outlook synchronization and SSS both used for appointments, contacts and tasks in the org. */
  mixedOutlookSyncAndSss?: boolean;
  /** A proxy or appliance inspects/intercepts traffic between SSS and the mail server. */
  networkInspection?: boolean;
  /** SSS is expected to send mass email marketing campaigns. */
  massEmail?: boolean;
  /** Custom email providers / extended EWS, POP3 or SMTP protocols. */
  protocolExtensibility?: boolean;
  /** Outlook on the web is used with Dynamics on-premises + Exchange Online (hybrid). */
  owaInHybrid?: boolean;
}

export type ExchangeVersion = '2003' | '2007' | '2010' | '2013' | '2016' | '2019';
export type PopHost = 'gmail' | 'yahoo' | 'outlook.com' | 'msn' | 'windows-live' | 'other';

/** Where the mailbox really lives. */
export type MailHost =
  | { kind: 'exchange-online'; tenant: 'same' | 'other' }
  | { kind: 'exchange-server'; version: ExchangeVersion; servicePack?: number }
  | { kind: 'pop3-imap'; host: PopHost };

/** Email server profile type as chosen in Dynamics. */
export type ProfileType = 'exchange-online' | 'exchange-online-hybrid' | 'exchange-server' | 'exchange-server-hybrid' | 'pop3-smtp' | 'imap-smtp';

export type AuthMethod = 'server-to-server' | 'user-credentials' | 'profile-credentials' | 'impersonation' | 'oauth' | 'other';

export interface ServerProfile {
  id: string;
  type: ProfileType;
  auth?: AuthMethod;
  /** "Auto Discover Server Location" (Exchange profiles). */
  autoDiscover?: boolean;
}

export interface MailboxUnderCheck {
  id: string;
  host: MailHost;
  /** Profile used for incoming email (null = incoming not synchronized). */
  incoming: ServerProfile | null;
  /** Profile used for outgoing email (null = outgoing not synchronized). */
  outgoing: ServerProfile | null;
  /** What the mailbox synchronizes. */
  items: ItemKind[];
  /** The "mailbox" is an alias or a distribution list, not a real mailbox. */
  aliasOrDistributionList?: boolean;
  /** S/MIME-encrypted items, or a third-party encryption gateway such as Vaultive. */
  smimeOrThirdPartyEncryption?: boolean;
  /** Users track manually in Dynamics 365 for Outlook. */
  manualTrackingInOutlook?: boolean;
}

export interface SupportConfig {
  deployment: Deployment;
  mailboxes: MailboxUnderCheck[];
}

export interface Finding {
  rule: string;
  verdict: Verdict;
  reason: string;
  source: string;
}

export interface ItemVerdict {
  itemKind: ItemKind;
  verdict: Verdict;
  findings: Finding[];
}

export interface MailboxVerdict {
  mailboxId: string;
  verdict: Verdict;
  items: ItemVerdict[];
}

export interface SupportReport {
  /** Findings that concern the whole organization (mass email, network inspection, …). */
  organization: Finding[];
  mailboxes: MailboxVerdict[];
}

export interface RuleInfo { id: string; summary: string; source: string }

const SUP = 'research §11 (D-SUP)';
const SEED = 'seed 000 (Supported email service configurations, 2018)';

/** Every rule this module can emit; the UI lists them and the tests prove each is reachable. */
export const SUPPORT_RULES: readonly RuleInfo[] = [
  { id: 'R1', summary: 'Exchange Online in the same tenant over SSS (EWS, server-to-server auth): supported', source: SUP },
  { id: 'R2', summary: 'Exchange Online in another tenant: partial; not supported from Dynamics 365 (online)', source: `${SUP}; ${SEED}: "Connecting Dynamics 365 (online) with Exchange Online in different tenant is not supported."` },
  { id: 'R3', summary: 'Exchange Server 2013 SP1 / 2016 / 2019 via EWS: supported', source: SUP },
  { id: 'R4', summary: 'Exchange Server 2010: on-premises deployments only', source: `${SUP} (older doc); ${SEED} lists "Exchange Server 2010 SP3" for online [CONFLICT]` },
  { id: 'R5', summary: 'Exchange Server 2003 / 2007: not supported', source: `${SUP}; ${SEED}` },
  { id: 'R6', summary: 'Gmail, Yahoo! Mail over POP3/SMTP or IMAP/SMTP: email only', source: `${SUP}; ${SEED}` },
  { id: 'R7', summary: 'Outlook.com / MSN / Windows Live Mail over POP3/SMTP: email only, not where FIPS 140-2 is required', source: `${SUP}; ${SEED} footnote 1` },
  { id: 'R8', summary: 'Mixed Exchange/SMTP or POP3/Exchange incoming/outgoing: not supported', source: `${SUP}; ${SEED}` },
  { id: 'R9', summary: 'Exchange Online profile for a mailbox on on-premises Exchange: not supported (use Hybrid profile)', source: SUP },
  { id: 'R10', summary: 'Exchange profile for a mailbox on a non-Exchange server: not supported (use POP3/SMTP)', source: SUP },
  { id: 'R11', summary: 'Mass email marketing / protocol extensibility: not supported', source: `${SUP}; ${SEED}` },
  { id: 'R12', summary: 'MFA: online↔on-prem Exchange or on-prem↔Exchange Online: not supported', source: `${SUP}; ${SEED}` },
  { id: 'R13', summary: 'Network packet inspection between SSS and the mail server: not supported', source: SUP },
  { id: 'R14', summary: 'Aliases / distribution lists as mailboxes: not supported', source: SUP },
  { id: 'R15', summary: 'Manual tracking in Dynamics 365 for Outlook with POP3/SMTP: not supported', source: `${SUP}; ${SEED}` },
  { id: 'R15b', summary: 'Outlook on the web in a hybrid deployment (on-prem Dynamics + Exchange Online): not supported', source: `${SUP}; ${SEED}` },
  { id: 'R16', summary: 'S/MIME-encrypted items or third-party encryption: not supported', source: 'research §11 (D-SETUP)' },
  { id: 'R17', summary: 'Dynamics 365 (online) + Exchange Online: only server-to-server authentication and the Exchange Online profile are supported', source: `${SEED}: "Other authentication methods or settings are not recommended or supported, including: credentials specified by a user or queue, credentials in an email server profile, Impersonation, Auto Discover Server Location = No, a profile other than Exchange Online"` },
  { id: 'R18', summary: 'POP3/SMTP systems other than those listed were not tested by Microsoft and are not supported', source: `${SEED}: "Although other POP3/SMTP systems might work … those systems were not tested by Microsoft and are not supported."` },
  { id: 'R19', summary: 'Mixed Outlook synchronization and SSS for appointments, contacts and tasks: not recommended', source: `${SEED} note: "may result in updated data not synchronizing to all attendees"` },
  { id: 'R20', summary: 'Outlook.com / MSN / Windows Live Mail are listed for on-premises only', source: `${SEED} (online row lists Gmail and Yahoo! Mail only)` },
  { id: 'R21', summary: 'POP3/IMAP profile for an Exchange mailbox: Exchange rows list Exchange Web Services as the protocol', source: `${SEED} (Exchange rows: protocol EWS) [INF]` },
] as const;

function rule(id: string): RuleInfo {
  const r = SUPPORT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`supportCheck: unknown rule ${id}`);
  return r;
}

function finding(id: string, verdict: Verdict, reason: string): Finding {
  return { rule: id, verdict, reason, source: rule(id).source };
}

const RANK: Record<Verdict, number> = { supported: 0, limited: 1, 'not-supported': 2 };

export function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((a, b) => (RANK[b] > RANK[a] ? b : a), 'supported');
}

type ProfileFamily = 'exchange' | 'internet';
function family(t: ProfileType): ProfileFamily {
  return t === 'pop3-smtp' || t === 'imap-smtp' ? 'internet' : 'exchange';
}

function hostLabel(h: MailHost): string {
  if (h.kind === 'exchange-online') return `Exchange Online (${h.tenant === 'same' ? 'same' : 'other'} tenant)`;
  if (h.kind === 'exchange-server') return `Exchange Server ${h.version}${h.servicePack ? ` SP${h.servicePack}` : ''}`;
  return h.host === 'other' ? 'a POP3/IMAP server' : h.host;
}

/** Organization-wide findings (they apply to every mailbox too). */
function organizationFindings(d: Deployment): Finding[] {
  const out: Finding[] = [];
  if (d.massEmail) out.push(finding('R11', 'not-supported', 'SSS does not support creating mass email marketing campaigns.'));
  if (d.protocolExtensibility) out.push(finding('R11', 'not-supported', 'Extending EWS/POP3/SMTP or custom email providers is not supported by SSS.'));
  if (d.networkInspection) out.push(finding('R13', 'not-supported', 'Packet inspection/interception between SSS and the mail server is not supported.'));
  if (d.owaInHybrid && d.kind === 'onpremises') out.push(finding('R15b', 'not-supported', 'Outlook on the web is not supported with Dynamics on-premises + Exchange Online (hybrid).'));
  return out;
}

/** Findings about the mail system itself for one item kind (rows of the support table). */
function hostFindings(d: Deployment, m: MailboxUnderCheck, item: ItemKind): Finding[] {
  const h = m.host;
  const online = d.kind === 'online';
  const out: Finding[] = [];
  if (h.kind === 'exchange-online') {
    if (h.tenant === 'same') out.push(finding('R1', 'supported', 'Exchange Online in the same tenant is the recommended configuration.'));
    else if (online) out.push(finding('R2', 'not-supported', 'Dynamics 365 (online) with Exchange Online in a different tenant is not supported (seed 000).'));
    else out.push(finding('R2', 'limited', 'Exchange Online in another tenant works with limits (e.g. no App for Outlook); same tenant with S2S is recommended.'));
    if (d.mfa && !online) out.push(finding('R12', 'not-supported', 'MFA is not supported from Dynamics on-premises to Exchange Online.'));
  } else if (h.kind === 'exchange-server') {
    const v = h.version;
    if (v === '2003' || v === '2007') out.push(finding('R5', 'not-supported', `Exchange Server ${v} is not supported by SSS.`));
    else if (v === '2010') {
      if (online) out.push(finding('R4', 'limited', 'Exchange Server 2010 is documented for on-premises only; the 2018 page (seed 000) still listed 2010 SP3 for online, the newer page lists it unsupported.'));
      else out.push(finding('R4', 'supported', 'Exchange Server 2010 is supported for Dynamics on-premises.'));
    } else if (v === '2013' && online && (h.servicePack ?? 0) < 1) {
      out.push(finding('R3', 'not-supported', 'Dynamics 365 (online) requires Exchange Server 2013 SP1 or later.'));
    } else out.push(finding('R3', 'supported', `Exchange Server ${v}${h.servicePack ? ` SP${h.servicePack}` : ''} via EWS is supported.`));
    if (d.mfa && online) out.push(finding('R12', 'not-supported', 'MFA is not supported from Dynamics 365 (online) to Exchange Server on-premises.'));
  } else {
    const host = h.host;
    if (host === 'gmail' || host === 'yahoo') {
      out.push(item === 'email'
        ? finding('R6', 'supported', `${host === 'gmail' ? 'Gmail' : 'Yahoo! Mail'} over POP3/IMAP + SMTP is supported for email.`)
        : finding('R6', 'not-supported', 'POP3/IMAP profiles synchronize email only; appointments, contacts and tasks are never synchronized.'));
    } else if (host === 'outlook.com' || host === 'msn' || host === 'windows-live') {
      if (item !== 'email') out.push(finding('R7', 'not-supported', 'POP3/SMTP profiles synchronize email only; appointments, contacts and tasks are never synchronized.'));
      else if (d.fips) out.push(finding('R7', 'not-supported', `${host} is not FIPS 140-2 compliant; a FIPS deployment requires a FIPS-compliant POP3/SMTP server.`));
      else if (online) out.push(finding('R20', 'not-supported', `${host} is listed for Dynamics on-premises only (seed 000 online row: Gmail, Yahoo! Mail).`));
      else out.push(finding('R7', 'supported', `${host} over POP3/SMTP is supported for email (without a FIPS requirement).`));
    } else {
      out.push(finding('R18', 'not-supported', 'This POP3/SMTP system is not among those Microsoft tested; it might work but is not supported.'));
      if (item !== 'email') out.push(finding('R6', 'not-supported', 'POP3/IMAP profiles synchronize email only; appointments, contacts and tasks are never synchronized.'));
    }
  }
  return out;
}

/** Findings about how the mailbox is wired (profiles, auth, mailbox kind). */
function profileFindings(d: Deployment, m: MailboxUnderCheck, item: ItemKind): Finding[] {
  const out: Finding[] = [];
  const profiles = [m.incoming, m.outgoing].filter((p): p is ServerProfile => p !== null);
  if (m.incoming && m.outgoing && family(m.incoming.type) !== family(m.outgoing.type)) {
    out.push(finding('R8', 'not-supported', `Incoming uses ${m.incoming.type} and outgoing ${m.outgoing.type}: a mix of Exchange and POP3/SMTP is not supported.`));
  }
  for (const p of profiles) {
    if (m.host.kind === 'exchange-server' && p.type === 'exchange-online') {
      out.push(finding('R9', 'not-supported', `Profile ${p.id} is an Exchange Online profile but the mailbox is on Exchange Server on-premises; use the Hybrid profile.`));
    }
    if (m.host.kind === 'pop3-imap' && family(p.type) === 'exchange') {
      out.push(finding('R10', 'not-supported', `Profile ${p.id} is an Exchange profile but the mailbox is on ${hostLabel(m.host)}; use a POP3/SMTP profile.`));
    }
    if (m.host.kind !== 'pop3-imap' && family(p.type) === 'internet') {
      out.push(finding('R21', 'not-supported', `Profile ${p.id} uses ${p.type} for a mailbox on ${hostLabel(m.host)}; the supported table lists Exchange Web Services for Exchange.`));
    }
    if (d.kind === 'online' && m.host.kind === 'exchange-online') {
      if (p.type !== 'exchange-online') out.push(finding('R17', 'not-supported', `Profile ${p.id} is ${p.type}; with Dynamics 365 (online) only the Exchange Online profile is supported.`));
      if (p.auth && p.auth !== 'server-to-server') out.push(finding('R17', 'not-supported', `Profile ${p.id} authenticates with ${p.auth}; only server-to-server authentication is supported.`));
      if (p.autoDiscover === false) out.push(finding('R17', 'not-supported', `Profile ${p.id} has Auto Discover Server Location = No, which is not supported.`));
    }
  }
  if (m.aliasOrDistributionList) out.push(finding('R14', 'not-supported', 'Only real mailboxes can be synchronized; aliases and distribution lists cannot.'));
  if (m.smimeOrThirdPartyEncryption) out.push(finding('R16', 'not-supported', 'S/MIME-encrypted items and third-party encryption are not processed by SSS.'));
  if (m.manualTrackingInOutlook && profiles.some((p) => family(p.type) === 'internet')) {
    out.push(finding('R15', 'not-supported', 'Manual tracking in Dynamics 365 for Outlook is not supported for a POP3/SMTP mailbox.'));
  }
  if (item === 'appointments-contacts-tasks' && d.mixedOutlookSyncAndSss) {
    out.push(finding('R19', 'limited', 'Outlook synchronization and SSS are mixed for appointments, contacts and tasks; updates may not reach all attendees.'));
  }
  return out;
}

export function checkMailbox(deployment: Deployment, m: MailboxUnderCheck): MailboxVerdict {
  const org = organizationFindings(deployment);
  const kinds: ItemKind[] = m.items.length > 0 ? m.items : ['email'];
  const items = kinds.map((itemKind): ItemVerdict => {
    const findings = [...hostFindings(deployment, m, itemKind), ...profileFindings(deployment, m, itemKind), ...org];
    return { itemKind, verdict: worst(findings.map((f) => f.verdict)), findings };
  });
  return { mailboxId: m.id, verdict: worst(items.map((i) => i.verdict)), items };
}

export function checkSupport(config: SupportConfig): SupportReport {
  return {
    organization: organizationFindings(config.deployment),
    mailboxes: config.mailboxes.map((m) => checkMailbox(config.deployment, m)),
  };
}

/**
 * Warnings to tag an import with: what a profile could never have synchronized, so an analyst does not
 * look for (say) appointments in a POP3 mailbox's history.
 */
export function profileWarnings(profile: Pick<ServerProfile, 'type'>, itemKinds: ItemKind[]): string[] {
  const out: string[] = [];
  if (family(profile.type) === 'internet') {
    if (itemKinds.includes('appointments-contacts-tasks')) {
      out.push(`Appointments, contacts and tasks over ${profile.type === 'pop3-smtp' ? 'POP3' : 'IMAP'} could never have been synchronized (R6/R7: POP3/IMAP profiles synchronize email only).`);
    }
    out.push('Manual tracking in Dynamics 365 for Outlook is not supported with a POP3/SMTP mailbox (R15); items tracked that way are outside SSS.');
  }
  return out;
}

/** Parse a support-check config file's JSON value; throws with the path of the first problem. */
export function parseSupportConfig(value: unknown, file = 'config'): SupportConfig {
  const fail = (path: string, problem: string): never => { throw new Error(`${file}: ${path}: ${problem}`); };
  if (typeof value !== 'object' || value === null) fail('$', 'expected an object with "deployment" and "mailboxes"');
  const v = value as Record<string, unknown>;
  const d = v.deployment as Record<string, unknown> | undefined;
  if (typeof d !== 'object' || d === null) fail('deployment', 'missing object');
  if (d!.kind !== 'online' && d!.kind !== 'onpremises') fail('deployment.kind', 'must be "online" or "onpremises"');
  if (!Array.isArray(v.mailboxes)) fail('mailboxes', 'missing array');
  const mailboxes = (v.mailboxes as unknown[]).map((raw, i): MailboxUnderCheck => {
    const p = `mailboxes[${i}]`;
    if (typeof raw !== 'object' || raw === null) fail(p, 'expected an object');
    const mb = raw as Record<string, unknown>;
    if (typeof mb.id !== 'string') fail(`${p}.id`, 'expected a string');
    const host = mb.host as Record<string, unknown> | undefined;
    if (typeof host !== 'object' || host === null) fail(`${p}.host`, 'missing object');
    if (!['exchange-online', 'exchange-server', 'pop3-imap'].includes(String(host!.kind))) fail(`${p}.host.kind`, 'must be exchange-online, exchange-server or pop3-imap');
    if (host!.kind === 'exchange-server' && !['2003', '2007', '2010', '2013', '2016', '2019'].includes(String(host!.version))) fail(`${p}.host.version`, 'must be 2003, 2007, 2010, 2013, 2016 or 2019');
    const items = mb.items ?? ['email'];
    if (!Array.isArray(items) || items.some((x) => x !== 'email' && x !== 'appointments-contacts-tasks')) fail(`${p}.items`, 'must list "email" and/or "appointments-contacts-tasks"');
    for (const k of ['incoming', 'outgoing']) {
      const pr = mb[k];
      if (pr === undefined || pr === null) continue;
      const t = (pr as Record<string, unknown>).type;
      if (!['exchange-online', 'exchange-online-hybrid', 'exchange-server', 'exchange-server-hybrid', 'pop3-smtp', 'imap-smtp'].includes(String(t))) fail(`${p}.${k}.type`, `unknown profile type ${JSON.stringify(t)}`);
    }
    return { ...(mb as unknown as MailboxUnderCheck), incoming: (mb.incoming ?? null) as ServerProfile | null, outgoing: (mb.outgoing ?? null) as ServerProfile | null, items: items as ItemKind[] };
  });
  return { deployment: d as unknown as Deployment, mailboxes };
}
