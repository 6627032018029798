// Supported-configuration check for server-side synchronization (SSS). Rules are research §11 (R1–R16,
// from D-SUP / D-SETUP) plus rows of seed 000 (the 2018 "Supported email service configurations" page)
// that the §11 table does not carry (R17–R21). Each verdict names its rule, a plain reason and its
// source so an admin can check it against the Microsoft page. Pure: plain data in, plain data out.

import { SOURCES, cite } from '../sources.js';

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
  /** The organization's email server profiles; optional, a config file may name them by id in mailboxes. */
  profiles?: ServerProfile[];
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

// What a finding cites, by document title (research §11 drew R1–R15b from the current page, D-SUP; R16
// from the set-up page, D-SETUP; R17–R21 come from the 2018 revision of the same page, seed 000).
const SUP = `“${SOURCES.supportedConfigurations.title}”`;
const SEED = `${SUP} (its 2018 revision)`;
const BOTH = `${SUP} (current and 2018 revisions)`;

/** Every rule this module can emit; the UI lists them and the tests prove each is reachable. */
export const SUPPORT_RULES: readonly RuleInfo[] = [
  { id: 'R1', summary: 'Exchange Online in the same tenant over SSS (EWS, server-to-server auth): supported', source: SUP },
  { id: 'R2', summary: 'Exchange Online in another tenant: partial; not supported from Dynamics 365 (online)', source: `${BOTH}: "Connecting Dynamics 365 (online) with Exchange Online in different tenant is not supported."` },
  { id: 'R3', summary: 'Exchange Server 2013 SP1 / 2016 / 2019 via EWS: supported', source: SUP },
  { id: 'R4', summary: 'Exchange Server 2010: on-premises deployments only', source: `${SUP} (older revision); ${SEED} lists "Exchange Server 2010 SP3" for online (the two revisions disagree)` },
  { id: 'R5', summary: 'Exchange Server 2003 / 2007: not supported', source: BOTH },
  { id: 'R6', summary: 'Gmail, Yahoo! Mail over POP3/SMTP or IMAP/SMTP: email only', source: BOTH },
  { id: 'R7', summary: 'Outlook.com / MSN / Windows Live Mail over POP3/SMTP: email only, not where FIPS 140-2 is required', source: `${BOTH}, footnote 1` },
  { id: 'R8', summary: 'Mixed Exchange/SMTP or POP3/Exchange incoming/outgoing: not supported', source: BOTH },
  { id: 'R9', summary: 'Exchange Online profile for a mailbox on on-premises Exchange: not supported (use Hybrid profile)', source: SUP },
  { id: 'R10', summary: 'Exchange profile for a mailbox on a non-Exchange server: not supported (use POP3/SMTP)', source: SUP },
  { id: 'R11', summary: 'Mass email marketing / protocol extensibility: not supported', source: BOTH },
  { id: 'R12', summary: 'MFA: online↔on-prem Exchange or on-prem↔Exchange Online: not supported', source: BOTH },
  { id: 'R13', summary: 'Network packet inspection between SSS and the mail server: not supported', source: SUP },
  { id: 'R14', summary: 'Aliases / distribution lists as mailboxes: not supported', source: SUP },
  { id: 'R15', summary: 'Manual tracking in Dynamics 365 for Outlook with POP3/SMTP: not supported', source: BOTH },
  { id: 'R15b', summary: 'Outlook on the web in a hybrid deployment (on-prem Dynamics + Exchange Online): not supported', source: BOTH },
  { id: 'R16', summary: 'S/MIME-encrypted items or third-party encryption: not supported', source: cite('setUpServerSideSync') },
  { id: 'R17', summary: 'Dynamics 365 (online) + Exchange Online: only server-to-server authentication and the Exchange Online profile are supported', source: `${SEED}: "Other authentication methods or settings are not recommended or supported, including: credentials specified by a user or queue, credentials in an email server profile, Impersonation, Auto Discover Server Location = No, a profile other than Exchange Online"` },
  { id: 'R18', summary: 'POP3/SMTP systems other than those listed were not tested by Microsoft and are not supported', source: `${SEED}: "Although other POP3/SMTP systems might work … those systems were not tested by Microsoft and are not supported."` },
  { id: 'R19', summary: 'Mixed Outlook synchronization and SSS for appointments, contacts and tasks: not recommended', source: `${SEED} note: "may result in updated data not synchronizing to all attendees"` },
  { id: 'R20', summary: 'Outlook.com / MSN / Windows Live Mail are listed for on-premises only', source: `${SEED} (online row lists Gmail and Yahoo! Mail only)` },
  { id: 'R21', summary: 'POP3/IMAP profile for an Exchange mailbox: Exchange rows list Exchange Web Services as the protocol', source: `${SEED} (Exchange rows: protocol EWS); inferred` },
  { id: 'R22', summary: 'Dynamics on-premises before CRM 2013 (6.0) has no server-side synchronization: mail went through the E-mail Router or the Outlook client', source: `${cite('correlationCrm2013')} (header correlation added with CRM 2013 for server-side sync); ${cite('routerWhitePaper')} (the CRM 3.0 E-mail Router); inferred` },
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

/**
 * Major Dynamics version from the free-text `version` ("9.2", "8.2.1", "CRM 2011", "4.0"); marketing
 * years map to their major version. null when it cannot be read.
 */
export function majorVersion(version: string | undefined): number | null {
  if (!version) return null;
  // A marketing year wins ("CRM 2011", "Dynamics 365 (2019)"); "365" is a product name, not a version.
  const year = /\b(20\d\d)\b/.exec(version);
  if (year) {
    const n = Number(year[1]);
    const years: Record<number, number> = { 2011: 5, 2013: 6, 2015: 7, 2016: 8 };
    return years[n] ?? (n > 2016 ? 9 : n < 2011 ? 4 : null);
  }
  const nums = [...version.matchAll(/\b(\d+)(?:\.\d+)*\b/g)].map((m) => Number(m[1])).filter((n) => n !== 365);
  if (nums.length > 0) return nums[0] as number;
  return /\b365\b/.test(version) ? 9 : null;
}

/** Organization-wide findings (they apply to every mailbox too). */
function organizationFindings(d: Deployment): Finding[] {
  const out: Finding[] = [];
  const major = d.kind === 'onpremises' ? majorVersion(d.version) : null;
  if (major !== null && major < 6) out.push(finding('R22', 'not-supported', `Dynamics on-premises ${d.version} predates server-side synchronization (CRM 2013, 6.0); its mail went through the E-mail Router or the Outlook client.`));
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
    else if (online) out.push(finding('R2', 'not-supported', `Dynamics 365 (online) with Exchange Online in a different tenant is not supported (${SEED}).`));
    else out.push(finding('R2', 'limited', 'Exchange Online in another tenant works with limits (e.g. no App for Outlook); same tenant with S2S is recommended.'));
    if (d.mfa && !online) out.push(finding('R12', 'not-supported', 'MFA is not supported from Dynamics on-premises to Exchange Online.'));
  } else if (h.kind === 'exchange-server') {
    const v = h.version;
    if (v === '2003' || v === '2007') out.push(finding('R5', 'not-supported', `Exchange Server ${v} is not supported by SSS.`));
    else if (v === '2010') {
      if (online) out.push(finding('R4', 'limited', 'Exchange Server 2010 is documented for on-premises only; the 2018 revision of the supported-configurations page still listed 2010 SP3 for online, the newer page lists it unsupported.'));
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
      else if (online) out.push(finding('R20', 'not-supported', `${host} is listed for Dynamics on-premises only (${SEED}: its online row lists Gmail and Yahoo! Mail).`));
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

type Fail = (path: string, problem: string) => never;
type Obj = Record<string, unknown>;
const PROFILE_TYPES: readonly ProfileType[] = ['exchange-online', 'exchange-online-hybrid', 'exchange-server', 'exchange-server-hybrid', 'pop3-smtp', 'imap-smtp'];
const AUTH_METHODS: readonly AuthMethod[] = ['server-to-server', 'user-credentials', 'profile-credentials', 'impersonation', 'oauth', 'other'];
const POP_HOSTS: readonly PopHost[] = ['gmail', 'yahoo', 'outlook.com', 'msn', 'windows-live', 'other'];
const EXCHANGE_VERSIONS: readonly ExchangeVersion[] = ['2003', '2007', '2010', '2013', '2016', '2019'];

function obj(v: unknown, path: string, fail: Fail, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected ${what}`);
  return v as Obj;
}
function optBool(o: Obj, key: string, path: string, fail: Fail): void {
  if (o[key] !== undefined && typeof o[key] !== 'boolean') fail(`${path}.${key}`, 'expected true or false');
}

function parseHost(v: unknown, path: string, fail: Fail): MailHost {
  const h = obj(v, path, fail, 'an object with "kind" (exchange-online, exchange-server or pop3-imap)');
  if (h.kind === 'exchange-online') {
    if (h.tenant !== 'same' && h.tenant !== 'other') fail(`${path}.tenant`, 'must be "same" or "other"');
    return { kind: 'exchange-online', tenant: h.tenant as 'same' | 'other' };
  }
  if (h.kind === 'exchange-server') {
    const version = typeof h.version === 'number' ? String(h.version) : h.version;
    if (!EXCHANGE_VERSIONS.includes(version as ExchangeVersion)) fail(`${path}.version`, `must be ${EXCHANGE_VERSIONS.join(', ')}`);
    if (h.servicePack !== undefined && !(Number.isInteger(h.servicePack) && (h.servicePack as number) >= 0)) fail(`${path}.servicePack`, 'expected a whole number such as 1');
    return { kind: 'exchange-server', version: version as ExchangeVersion, ...(h.servicePack !== undefined ? { servicePack: h.servicePack as number } : {}) };
  }
  if (h.kind === 'pop3-imap') {
    if (!POP_HOSTS.includes(h.host as PopHost)) fail(`${path}.host`, `must be one of ${POP_HOSTS.join(', ')}`);
    return { kind: 'pop3-imap', host: h.host as PopHost };
  }
  return fail(`${path}.kind`, 'must be exchange-online, exchange-server or pop3-imap');
}

function parseProfile(v: unknown, path: string, fail: Fail): ServerProfile | null {
  if (v === undefined || v === null) return null;
  const p = obj(v, path, fail, 'a profile object { id, type, auth?, autoDiscover? } or null');
  if (!PROFILE_TYPES.includes(p.type as ProfileType)) fail(`${path}.type`, `unknown profile type ${JSON.stringify(p.type)} (expected ${PROFILE_TYPES.join(', ')})`);
  if (p.id !== undefined && typeof p.id !== 'string') fail(`${path}.id`, 'expected a string');
  if (p.auth !== undefined && !AUTH_METHODS.includes(p.auth as AuthMethod)) fail(`${path}.auth`, `must be one of ${AUTH_METHODS.join(', ')}`);
  optBool(p, 'autoDiscover', path, fail);
  return { id: typeof p.id === 'string' ? p.id : String(p.type), type: p.type as ProfileType, ...(p.auth !== undefined ? { auth: p.auth as AuthMethod } : {}), ...(p.autoDiscover !== undefined ? { autoDiscover: p.autoDiscover as boolean } : {}) };
}

function parseDeployment(v: unknown, path: string, fail: Fail): Deployment {
  const d = obj(v, path, fail, 'an object with "kind" ("online" or "onpremises")');
  if (d.kind !== 'online' && d.kind !== 'onpremises') fail(`${path}.kind`, 'must be "online" or "onpremises"');
  if (d.version !== undefined && typeof d.version !== 'string') fail(`${path}.version`, 'expected a string such as "9.2"');
  for (const k of ['fips', 'mfa', 'mixedOutlookSyncAndSss', 'networkInspection', 'massEmail', 'protocolExtensibility', 'owaInHybrid']) optBool(d, k, path, fail);
  return d as unknown as Deployment;
}

function failer(file: string): Fail {
  return (path, problem) => { throw new Error(`${file}: ${path}: ${problem}`); };
}

/** Parse a support-check config file's JSON value; throws with the file and the path of the first problem. */
export function parseSupportConfig(value: unknown, file = 'config'): SupportConfig {
  const fail = failer(file);
  const v = obj(value, '$', fail, 'an object with "deployment" and "mailboxes"');
  if (v.deployment === undefined) fail('deployment', 'missing object');
  const deployment = parseDeployment(v.deployment, 'deployment', fail);
  // Email server profiles may be declared once and named by id in each mailbox's incoming/outgoing.
  const profiles = new Map<string, ServerProfile>();
  if (v.profiles !== undefined) {
    if (!Array.isArray(v.profiles)) fail('profiles', 'expected an array of profiles');
    (v.profiles as unknown[]).forEach((raw, i) => {
      const pr = parseProfile(raw, `profiles[${i}]`, fail) as ServerProfile;
      if (typeof (raw as Obj).id !== 'string') fail(`profiles[${i}].id`, 'expected a string (mailboxes refer to profiles by id)');
      if (profiles.has(pr.id)) fail(`profiles[${i}].id`, `duplicate profile id ${JSON.stringify(pr.id)}`);
      profiles.set(pr.id, pr);
    });
  }
  const profileRef = (raw: unknown, path: string): ServerProfile | null => {
    if (typeof raw !== 'string') return parseProfile(raw, path, fail);
    const pr = profiles.get(raw);
    if (!pr) fail(path, `unknown profile id ${JSON.stringify(raw)} (declared: ${[...profiles.keys()].join(', ') || 'none'})`);
    return pr as ServerProfile;
  };
  if (!Array.isArray(v.mailboxes)) fail('mailboxes', 'missing array');
  const mailboxes = (v.mailboxes as unknown[]).map((raw, i): MailboxUnderCheck => {
    const p = `mailboxes[${i}]`;
    const mb = obj(raw, p, fail, 'an object');
    if (typeof mb.id !== 'string') fail(`${p}.id`, 'expected a string');
    if (mb.host === undefined) fail(`${p}.host`, 'missing object');
    const host = parseHost(mb.host, `${p}.host`, fail);
    const items = mb.items ?? ['email'];
    if (!Array.isArray(items) || items.some((x) => x !== 'email' && x !== 'appointments-contacts-tasks')) fail(`${p}.items`, 'must list "email" and/or "appointments-contacts-tasks"');
    for (const k of ['aliasOrDistributionList', 'smimeOrThirdPartyEncryption', 'manualTrackingInOutlook']) optBool(mb, k, p, fail);
    return {
      id: mb.id as string, host, incoming: profileRef(mb.incoming, `${p}.incoming`), outgoing: profileRef(mb.outgoing, `${p}.outgoing`), items: items as ItemKind[],
      ...(mb.aliasOrDistributionList !== undefined ? { aliasOrDistributionList: mb.aliasOrDistributionList as boolean } : {}),
      ...(mb.smimeOrThirdPartyEncryption !== undefined ? { smimeOrThirdPartyEncryption: mb.smimeOrThirdPartyEncryption as boolean } : {}),
      ...(mb.manualTrackingInOutlook !== undefined ? { manualTrackingInOutlook: mb.manualTrackingInOutlook as boolean } : {}),
    };
  });
  return { deployment, ...(profiles.size ? { profiles: [...profiles.values()] } : {}), mailboxes };
}

/**
 * Parse a mailbox profile tag ({ incoming, outgoing?, host?, deployment? }) as the host stores it with an
 * import; throws with the file and the path of the first problem.
 */
export function parseMailboxProfileTag(value: unknown, file = 'tag'): MailboxProfileTag {
  const fail = failer(file);
  const v = obj(value, '$', fail, 'an object with "incoming" (a profile or null)');
  if (!('incoming' in v)) fail('incoming', 'missing (give a profile, or null when incoming email was not synchronized)');
  return {
    incoming: parseProfile(v.incoming, 'incoming', fail),
    ...(v.outgoing !== undefined ? { outgoing: parseProfile(v.outgoing, 'outgoing', fail) } : {}),
    ...(v.host !== undefined ? { host: parseHost(v.host, 'host', fail) } : {}),
    ...(v.deployment !== undefined ? { deployment: parseDeployment(v.deployment, 'deployment', fail) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Replay warnings: an imported mailbox can be tagged with the profile it really used; the host asks,
// for what a replay simulates, whether that configuration could ever have produced it.

/** The profile an imported mailbox is tagged with (what the admin says it really used). */
export interface MailboxProfileTag {
  /** Where the mailbox lives; when known (with `deployment`) the full check's failures become warnings. */
  host?: MailHost;
  /** Profile used for incoming email; null = incoming email was not synchronized by SSS. */
  incoming: ServerProfile | null;
  outgoing?: ServerProfile | null;
  deployment?: Deployment;
}

/** What a replay (or the host's view of one) simulates for that mailbox. */
export interface SimulatedUse {
  /** Item kinds shown as synchronized (a replay of email is ['email']; a calendar view adds the rest). */
  itemKinds: ItemKind[];
  /** Incoming messages tracked from the Inbox. */
  incomingTracked: number;
  /** Messages tracked from Sent Items (AutoTrackSentFolderItems). */
  sentItemsTracked: number;
  /** Messages tracked by folder-level tracking. */
  folderLevelTracked: number;
  /** Tracked messages that are S/MIME encrypted or opaque-signed. */
  smimeTracked: number;
  /** Users are shown tracking by hand in Dynamics 365 for Outlook. */
  manualOutlookTracking: boolean;
  /** The replay is the E-mail Router sink-mailbox mode (core/router), not server-side sync. */
  routerMode: boolean;
}

export type WarningSeverity =
  /** The tagged configuration could never have produced this. */
  | 'impossible'
  /** It could happen, but the configuration is not supported (Microsoft would not help). */
  | 'unsupported'
  /** Worth a second look. */
  | 'caution';

export interface ReplayWarning {
  code: string;
  severity: WarningSeverity;
  /** Rule id of SUPPORT_RULES, when the warning rests on one. */
  rule: string | null;
  message: string;
  source: string;
}

export const EMPTY_SIMULATED_USE: SimulatedUse = {
  itemKinds: ['email'], incomingTracked: 0, sentItemsTracked: 0, folderLevelTracked: 0, smimeTracked: 0, manualOutlookTracking: false, routerMode: false,
};

function warn(code: string, severity: WarningSeverity, ruleId: string | null, message: string, source?: string): ReplayWarning {
  return { code, severity, rule: ruleId, message, source: source ?? (ruleId ? rule(ruleId).source : SUP) };
}

/**
 * Warnings for a replay of a mailbox tagged with `tag`. Pure. Examples: appointments over POP3,
 * folder-level tracking on a POP3 mailbox, incoming tracking when incoming was not synchronized.
 */
export function replayWarnings(tag: MailboxProfileTag, sim: SimulatedUse): ReplayWarning[] {
  const out: ReplayWarning[] = [];
  const inc = tag.incoming;
  const internetProfiles = [tag.incoming, tag.outgoing ?? null].filter((p): p is ServerProfile => p !== null && family(p.type) === 'internet');
  const proto = (p: ServerProfile): string => (p.type === 'pop3-smtp' ? 'POP3' : 'IMAP');

  if (sim.itemKinds.includes('appointments-contacts-tasks') && internetProfiles.length > 0) {
    out.push(warn('items-over-pop3', 'impossible', 'R6', `Appointments, contacts and tasks are shown as synchronized, but the mailbox uses ${proto(internetProfiles[0] as ServerProfile)}/SMTP, which synchronizes email only.`));
  }
  if (!inc && (sim.incomingTracked > 0 || sim.folderLevelTracked > 0)) {
    out.push(warn('incoming-not-synchronized', 'impossible', null, `${sim.incomingTracked + sim.folderLevelTracked} incoming message(s) are tracked, but the mailbox's incoming email is not synchronized by server-side sync (no incoming profile).`, `${cite('mailboxTable')} (incomingemaildeliverymethod)`));
  }
  if (inc && family(inc.type) === 'internet') {
    if (sim.folderLevelTracked > 0) {
      out.push(warn('folder-tracking-over-pop3', 'impossible', null, `${sim.folderLevelTracked} message(s) are tracked by folder-level tracking, which is "folder-level tracking for Exchange folders"; a ${proto(inc)} mailbox has no Exchange folders to track.`, `${cite('emailTrackingSettings')} (isfolderbasedtrackingenabled); ${cite('folderLevelTracking')}; inferred`));
    }
    if (sim.sentItemsTracked > 0 && inc.type === 'pop3-smtp') {
      out.push(warn('sent-items-over-pop3', 'impossible', null, `${sim.sentItemsTracked} message(s) are tracked from Sent Items, but POP3 reads only the server Inbox; there is no Sent Items folder to synchronize.`, `${cite('pop3Rfc')}: one maildrop; ${cite('trackSentFolder')} (Sent Items via AutoTrackSentFolderItems); inferred`));
    }
  }
  if (sim.manualOutlookTracking && internetProfiles.length > 0) {
    out.push(warn('manual-tracking-over-pop3', 'unsupported', 'R15', 'Manual tracking in Dynamics 365 for Outlook is shown, which is not supported for a POP3/SMTP mailbox.'));
  }
  if (sim.smimeTracked > 0) {
    out.push(warn('smime-tracked', 'impossible', 'R16', `${sim.smimeTracked} S/MIME-encrypted message(s) are shown as tracked; server-side sync does not process encrypted items.`));
  }
  if (tag.host?.kind === 'exchange-server' && (tag.host.version === '2003' || tag.host.version === '2007') && !sim.routerMode) {
    out.push(warn('exchange-too-old', 'impossible', 'R5', `The mailbox is on Exchange Server ${tag.host.version}, which server-side sync never connected to; in that era mail was tracked through the E-mail Router (try the router mode).`));
  }
  if (sim.routerMode && (inc || tag.outgoing)) {
    out.push(warn('router-vs-sss', 'caution', null, 'The replay simulates the E-mail Router sink mailbox, but the mailbox is tagged with a server-side sync profile: the Router and server-side sync are different delivery methods, and one mailbox used one of them at a time.', cite('routerWhitePaper')));
  }
  if (tag.host && tag.deployment) {
    const mb: MailboxUnderCheck = { id: 'tagged', host: tag.host, incoming: tag.incoming, outgoing: tag.outgoing ?? null, items: sim.itemKinds };
    const known = new Set(out.map((w) => w.rule));
    for (const it of checkMailbox(tag.deployment, mb).items) {
      for (const f of it.findings) {
        if (f.verdict !== 'not-supported' || known.has(f.rule)) continue;
        known.add(f.rule);
        out.push({ code: `support-${f.rule}`, severity: 'unsupported', rule: f.rule, message: f.reason, source: f.source });
      }
    }
  }
  return out;
}

/** What an engine replay simulates for one mailbox (by its address), for replayWarnings. */
export function simulatedUseFromReplay(
  messages: readonly { key: string; mailbox: string; folder: string; flags: { smimeEncrypted: boolean; smimeOpaqueSigned: boolean } }[],
  decisions: readonly { key: string; tracked: boolean; outcome: string }[],
  mailboxAddress: string,
): SimulatedUse {
  const addr = mailboxAddress.trim().toLowerCase();
  const byKey = new Map(messages.map((m) => [m.key, m]));
  const use: SimulatedUse = { ...EMPTY_SIMULATED_USE, itemKinds: ['email'] };
  for (const d of decisions) {
    const m = byKey.get(d.key);
    if (!m || !d.tracked || m.mailbox.trim().toLowerCase() !== addr) continue;
    if (d.outcome === 'FolderLevelTracking') use.folderLevelTracked++;
    else if (m.folder.trim().toLowerCase() === 'sent items') use.sentItemsTracked++;
    else use.incomingTracked++;
    if (m.flags.smimeEncrypted || m.flags.smimeOpaqueSigned) use.smimeTracked++;
  }
  return use;
}
