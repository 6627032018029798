// The one typed contract between the renderer and the engine host. Electron's preload and the
// browser-mode HTTP bridge both carry exactly these methods and events; main and the web server
// validate every input against core/contract/schemas.ts before it reaches the host.
import type { CorrelationMethod, Decision, EntityRef, MailboxConfig, Outcome, TokenParts, TraceStep, Settings } from '../engine/index.js';
import type {
  ApplyKit,
  ApplyKitRequest,
  AuditRequest,
  AuditView,
  MailboxProfileTag,
  MailboxTagEntry,
  PresetComparisonView,
  PresetInfo,
  ReplayWarningsView,
  ReportExportRequest,
  RouterComparison,
  RouterScenarioSummary,
  RouterStepView,
  RuleInfo,
  SupportConfig,
  SupportReport,
  PointDrill,
  SweepDefaults,
  SweepPointRequest,
  SweepRequest,
  SweepResult,
  WhatIfExplainView,
} from './analysisTypes.js';

export type * from './analysisTypes.js';
export type * from './mailboxTypes.js';
import type { CaseExportView, DirectorySearchResult, MailboxesView, MailboxOverrideInput } from './mailboxTypes.js';

/** Every result crosses the boundary as an envelope; errors are typed and say what to do. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_METHOD'
  | 'NO_WORKSPACE'
  | 'WORKSPACE_ERROR'
  | 'NOT_FOUND'
  | 'IMPORT_ERROR'
  | 'CANCELLED'
  | 'SETTINGS_INVALID'
  | 'PATH_NOT_ALLOWED'
  /** The file to write exists: the UI asks the user, then calls again with overwrite. */
  | 'FILE_EXISTS'
  | 'INTERNAL';

export interface ContractError {
  code: ErrorCode;
  /** One sentence a user can act on, naming the file/setting/field concerned. */
  message: string;
  details?: string[];
}

export interface WorkspaceInfo {
  path: string;
  name: string;
  messageCount: number;
  quarantinedCount: number;
  mailboxes: MailboxConfig[];
  folders: string[];
  latestRunId: number | null;
  isSample: boolean;
}

export interface RecentWorkspace {
  path: string;
  name: string;
  openedAt: string;
}

export interface ImportRequest {
  /** Chosen by the caller so it can cancel before the first progress event arrives. */
  jobId?: string;
  paths: string[];
  mailbox: string;
  owner?: EntityRef;
  folder?: string;
  /** Every message found in sub-folders goes to `folder` too (no mailbox folder per sub-folder). */
  flatten?: boolean;
}

/** Where an import would put messages, before it runs: source folders → mailbox folders. */
export interface ImportPreview {
  folders: {
    folder: string;
    files: number;
    bytes: number;
    /** Whether server-side sync evaluates mail in this folder of this mailbox, and why (SIMULATOR §2 stage 1). */
    tracked: boolean;
    why: string;
  }[];
  /** Outlook data files: their own folders become mailbox folders, known only when read. */
  dataFiles: string[];
  skipped: number;
}

/** What loading organization exports did (org import in the app). */
export interface OrgLoadView {
  files: { file: string; table: string; rows: number; loaded: number; problems: number }[];
  /** Files that could not be read or placed, with why. */
  failures: { file: string; problem: string }[];
  /** Row and link problems by file, row and column (the first 200). */
  problems: { file: string; row: number; column: string | null; problem: string }[];
  problemCount: number;
  landed: { mailboxes: number; directory: number; tracked: number; settings: boolean; unknownSettings: number };
}

/** What the workspace holds of an organization (org show). */
export interface OrgShowView {
  files: { file: string; table: string; rows: number; loaded: number; problems: number; loadedAt: string }[];
  tables: { table: string; rows: number }[];
  settings: { name: string; value: string; known: boolean; source: 'column' | 'orgdborgsettings' }[];
  problemCount: number;
  mailboxes: number;
}

export interface ImportSummary {
  jobId: string;
  imported: number;
  duplicates: number;
  quarantined: number;
  innerMessages: number;
  problems: { file: string; problem: string }[];
  cancelled: boolean;
  /** Folders of the mailbox holding messages that server-side sync does not evaluate (stage 1), with why. */
  notTracked: { folder: string; messages: number; why: string }[];
}

/**
 * The one flag vocabulary of the contract (SIMULATOR §6 / the wording): the host reports these
 * in MessageRow.flags and MessageDetail.flags and accepts them in MessageFilter.flags. One per
 * MessageFlags fact, in the order the inspector shows them.
 */
export const MESSAGE_FLAGS = [
  'auto-reply',
  'pec',
  'pec-receipt',
  'smime-encrypted',
  'smime-opaque-signed',
  'smime-signed',
  'has-forwarded-message',
  'forward-subject',
  'bad-date',
  'missing-message-id',
] as const;

export type MessageFlag = (typeof MESSAGE_FLAGS)[number];

export interface MessageFilter {
  /** Substring of the subject or sender (any case); also of the Message-ID when it holds "@", "<" or ">". */
  text?: string;
  outcomes?: Outcome[];
  methods?: CorrelationMethod[];
  flags?: MessageFlag[];
  mailbox?: string;
  folder?: string;
}

export type SortKey = 'date' | 'mailbox' | 'folder' | 'from' | 'subject' | 'outcome' | 'method';

export interface MessageListRequest {
  runId?: number | null;
  filter?: MessageFilter;
  sort?: { key: SortKey; dir: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

export interface MessageRow {
  key: string;
  date: string | null;
  mailbox: string;
  folder: string;
  from: string | null;
  subject: string;
  outcome: Outcome | null;
  method: CorrelationMethod | null;
  flags: MessageFlag[];
}

export interface MessageListResult {
  total: number;
  offset: number;
  rows: MessageRow[];
}

export interface ThreadIndexView {
  raw: string;
  valid: boolean;
  error?: string;
  headerTimeClassic: string | null;
  headerTimeModern: string | null;
  guid: string | null;
  children: { index: number; deltaCode: number; timeDelta: number; random: number; time: string | null }[];
}

/**
 * A message or tracked email as users know it: by subject, sender and date, never by its row id. Views
 * show every email a decision points at this way, clickable.
 */
export interface EmailRef {
  /** The id the decision and trace use (a message key, or a tracked email's id); only for navigation. */
  id: string;
  kind: 'message' | 'tracked';
  subject: string;
  from: string | null;
  date: string | null;
}

/**
 * How the engine's texts name an email ("tracked email e1", "parent activity 5002", "the correlated email 7"):
 * group 2 is the id, where views put the EmailRef.
 */
export const TRACKED_EMAIL_MENTION = /(tracked email|parent activity|correlated email) ([A-Za-z0-9_{}-]+)/g;

/** How they name a directory row (`user:alice`, `new_partner:p1`): views put its name there. */
export const ENTITY_MENTION = /\b[a-z][a-z0-9_]*:[A-Za-z0-9_{}-]+/g;

export interface MessageDetail {
  key: string;
  headers: { name: string; value: string }[];
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: string | null;
  to: string[];
  cc: string[];
  date: string | null;
  mailbox: string;
  folder: string;
  flags: MessageFlag[];
  threadIndex: ThreadIndexView | null;
  tokens: TokenParts[];
  decision: Decision | null;
  /** The trace as readable paragraphs (core/engine/explain). */
  explanation: string[];
  /** Every email the decision and its trace refer to, by the id they use. */
  refs: Record<string, EmailRef>;
  /** Directory rows the decision names (`user:alice`), as "Alice Ray (user)". */
  names: Record<string, string>;
  source: { file: string; offset: number; length: number; sha256: string };
}

export interface MessageBody {
  /** Raw (unsanitized) HTML; the renderer sanitizes it and shows it in a sandboxed frame. */
  html: string | null;
  text: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
}

export interface ChainNode {
  id: string;
  kind: 'tracked' | 'message';
  label: string;
  subject: string;
  date: string | null;
  outcome: Outcome | null;
  selected: boolean;
}

export interface ChainEdge {
  from: string;
  to: string;
  method: CorrelationMethod;
  /** parentactivityid set (InReplyTo / ConversationIndex) vs correlated only. */
  parent: boolean;
  onSelectedPath: boolean;
}

export interface ChainGraph {
  nodes: ChainNode[];
  edges: ChainEdge[];
}

export interface HashWord {
  word: string;
  hash: number;
  shared: boolean;
}

export interface HashSide {
  id: string;
  subject: string;
  strippedPrefix: string;
  remainder: string;
  words: HashWord[];
  addresses: { address: string; hash: number; shared: boolean }[];
}

export interface HashMatchView {
  message: HashSide;
  candidate: HashSide;
  rule: string;
  subjectVerdict: { matches: boolean; reason: string };
  addressOverlap: number;
  minAddressCount: number;
  verdict: boolean;
  explanation: string;
}

/** One smart-matching condition of SIMULATOR §3.2 as a near-miss candidate meets or misses it. */
export interface NearMissCriterion {
  kind: 'subject' | 'addresses' | 'window' | 'tracked';
  ok: boolean;
  /** What it misses or meets by, e.g. "subject rule B: 1 subject word differs (delta 0)". */
  text: string;
  /** The setting whose value sets this threshold (a link to Settings). */
  setting: string | null;
}

/** A tracked email (or, in a search, any message) as a smart-matching candidate for one message. */
export interface NearMiss {
  /** Only for navigation (hash.match candidateId); never shown. */
  id: string;
  kind: 'tracked' | 'message';
  /** Tracked before the replay, tracked earlier in this run, or not tracked by the time the message was processed. */
  origin: 'before replay' | 'this run' | 'not tracked';
  subject: string;
  from: string | null;
  date: string | null;
  /** The message's subject words and addresses this email shares (their hashes are equal). */
  sharedWords: string[];
  sharedAddresses: string[];
  subjectWordCount: number;
  /** How many of the conditions below fail (0: smart matching would correlate it). */
  failing: number;
  criteria: NearMissCriterion[];
}

export interface NearMissView {
  message: { subject: string; from: string | null; date: string | null; outcome: string | null; method: string | null };
  /** The run whose settings and tracked emails are used; null before any replay. */
  run: { profileName: string; createdAt: string } | null;
  smartMatchingOn: boolean;
  /** Why smart matching was not tried for this message (off, or an earlier method matched), else null. */
  note: string | null;
  rule: string;
  delta: number;
  minAddresses: number;
  windowDays: number;
  /** The message's subject words after HashFilterKeywords, and its addresses. */
  messageWords: string[];
  messageAddresses: string[];
  /** The HashFilterKeywords regex could not be used: no subject hashes exist. */
  error: string | null;
  /** Tracked emails the engine could have compared the message with (tracked before it was processed). */
  candidateCount: number;
  /** How many of them share at least one subject or address hash; `nearest` holds the first of them, ranked. */
  sharingCount: number;
  nearest: NearMiss[];
  /** The email compared in hash.match (the chosen candidate, else the correlated email), when there is one. */
  selected: NearMiss | null;
  /** Search results by subject or sender (tracked emails and other messages of the workspace), ranked alike. */
  search: NearMiss[] | null;
}

export interface TokenPreviewRequest {
  settings: Partial<Settings>;
  userNumber: number;
  startCounter: number;
  count: number;
}

export interface TokenPreview {
  tokens: { token: string; parts: TokenParts; wrapped: boolean }[];
  collisions: { token: string; trackedIds: string[] }[];
}

export interface SettingsProfile {
  name: string;
  settings: Settings;
  baseline: boolean;
}

export interface RunSummary {
  runId: number;
  profileName: string;
  createdAt: string;
  countsByOutcome: Partial<Record<Outcome, number>>;
  countsByMethod: Partial<Record<CorrelationMethod, number>>;
  durationMs: number;
}

export interface WhatIfChange {
  key: string;
  subject: string;
  before: Pick<Decision, 'outcome' | 'correlationMethod' | 'correlatedTo' | 'parent' | 'regarding'>;
  after: Pick<Decision, 'outcome' | 'correlationMethod' | 'correlatedTo' | 'parent' | 'regarding'>;
  /** Which compared fields differ (outcome, method, correlatedTo, parent, regarding). */
  fields: string[];
}

/** One group of core/analysis/whatif.ts (the CLI prints the same sentences). */
export interface WhatIfGroup {
  /** e.g. "smart matching on: smart matching now links 27 replies". */
  cause: string;
  /** The kind of change (newly-tracked, now-correlated, …). */
  kind: string;
  /** Changed settings the traces attribute the group to; empty for a knock-on. */
  settings: string[];
  knockOn: boolean;
  changes: WhatIfChange[];
}

export interface WhatIfResult {
  baseline: RunSummary;
  proposal: RunSummary;
  changedSettings: { name: string; before: unknown; after: unknown }[];
  groups: WhatIfGroup[];
  /** Messages replayed, and how many changed. */
  total: number;
  changed: number;
  tracked: { baseline: number; proposal: number };
  /** One line per group: the apply kit's "measured effect". */
  effectLines: string[];
}

export interface ScenarioSummary {
  id: string;
  title: string;
  lesson: string;
  /** The library's grouping (core/scenario/topics.ts). */
  topic: string;
  messageCount: number;
  /** Problems that make this scenario unusable (it is listed so the user sees why), else absent. */
  error?: string;
}

export interface ScenarioStep {
  id: string;
  index: number;
  total: number;
  file: string;
  subject: string;
  mailbox: string;
  folder: string;
  from: string | null;
  decision: Decision;
  expected: Record<string, unknown> | null;
  /** Expected fields (SCENARIO-FORMAT `expect`) the simulator disagrees with; empty when all hold. */
  mismatches: { field: string; expected: unknown; actual: unknown }[];
  trace: TraceStep[];
  /** The decision's trace as readable paragraphs (core/engine/explain). */
  explanation: string[];
  /** The settings the scenario changes from Microsoft's defaults, as the admin would see them. */
  settings: { name: string; label: string; value: string; default: string }[];
  /** The mailboxes of the scenario with their filtering methods. */
  mailboxes: { address: string; owner: string; filter: string }[];
  /**
   * What this message could be compared with: the emails tracked before the replay and the messages
   * processed before it, each by subject, sender and date, with the headers correlation reads.
   */
  earlier: TrainingEmail[];
}

export interface TrainingEmail {
  id: string;
  kind: 'tracked' | 'message';
  subject: string;
  from: string | null;
  date: string | null;
  messageId: string | null;
  token: string | null;
  conversationIndex: string | null;
  regarding: string | null;
  /** For an earlier message: its outcome in this replay. */
  outcome: string | null;
}

/** A message the import could not take in, with where it came from and why. */
export interface QuarantinedMessage {
  file: string;
  mailbox: string;
  folder: string;
  /** The subject when the headers could be read that far, else null. */
  subject: string | null;
  reason: string;
}

/** Request/response types per method. */
export interface Methods {
  'workspace.open': { in: { path: string }; out: WorkspaceInfo };
  'workspace.create': { in: { path: string }; out: WorkspaceInfo };
  'workspace.openSample': { in: Record<string, never>; out: WorkspaceInfo };
  'workspace.info': { in: Record<string, never>; out: WorkspaceInfo };
  'workspace.recent': { in: Record<string, never>; out: RecentWorkspace[] };
  'import.start': { in: ImportRequest; out: ImportSummary };
  'import.preview': { in: Omit<ImportRequest, 'jobId' | 'owner'>; out: ImportPreview };
  'org.import': { in: { paths: string[]; table?: string }; out: OrgLoadView };
  'org.show': { in: Record<string, never>; out: OrgShowView };
  'replay.nothingTracked': { in: { runId?: number | null }; out: { lines: string[] } };
  'job.cancel': { in: { jobId: string }; out: { cancelled: boolean } };
  'messages.list': { in: MessageListRequest; out: MessageListResult };
  'messages.get': { in: { key: string; runId?: number | null }; out: MessageDetail };
  'messages.body': { in: { key: string }; out: MessageBody };
  'messages.quarantined': { in: { limit?: number }; out: { total: number; rows: QuarantinedMessage[] } };
  'chain.get': { in: { key: string; runId?: number | null }; out: ChainGraph };
  'hash.match': { in: { key: string; candidateId?: string | null; runId?: number | null }; out: HashMatchView };
  /** Near-miss tracked emails for a message, ranked by how close smart matching came (SIMULATOR §3.2); `text` searches by subject or sender. */
  'hash.nearMisses': { in: { key: string; candidateId?: string | null; runId?: number | null; text?: string; limit?: number }; out: NearMissView };
  'tokens.preview': { in: TokenPreviewRequest; out: TokenPreview };
  'tokens.parse': { in: { subject: string; settings: Partial<Settings> }; out: TokenParts[] };
  'settings.profiles': { in: Record<string, never>; out: SettingsProfile[] };
  'settings.save': { in: { name: string; settings: Partial<Settings>; baseline?: boolean }; out: SettingsProfile };
  'replay.run': { in: { profile: string; jobId?: string }; out: RunSummary };
  'runs.list': { in: Record<string, never>; out: RunSummary[] };
  'whatif.run': { in: { baseline: string; proposal: string; jobId?: string }; out: WhatIfResult };
  'scenarios.list': { in: Record<string, never>; out: ScenarioSummary[] };
  'scenarios.step': { in: { id: string; index: number }; out: ScenarioStep };
  /**
   * Native file dialog (Electron only; answered by main, not the host). The chosen paths become
   * allowed roots. In browser mode it fails with INTERNAL "type the path instead".
   */
  'dialog.choose': { in: { purpose: DialogPurpose }; out: { paths: string[] } };
  /** Apply kit for a proposal: Web API PATCH, OrgDBOrgSettings XML, change note (nothing is sent). */
  'applykit.build': { in: ApplyKitRequest; out: ApplyKit };
  'presets.list': { in: Record<string, never>; out: PresetInfo[] };
  /** Replays the workspace under two presets and explains what changed across the upgrade. */
  'presets.compare': { in: { before: string; after: string; jobId?: string }; out: PresetComparisonView };
  'sweep.defaults': { in: Record<string, never>; out: SweepDefaults };
  'sweep.run': { in: SweepRequest; out: SweepResult };
  /** A sweep point's false and missed links, message by message, with the Why of each. */
  'sweep.point': { in: SweepPointRequest; out: PointDrill };
  /** What-if with causes proven by replay (each change alone and left out) and links graded against the threading. */
  'whatif.explain': { in: { baseline: string; proposal: string; jobId?: string }; out: WhatIfExplainView };
  'audit.run': { in: AuditRequest; out: AuditView };
  /** Writes the latest what-if / sweep / audit result as the CLI's report, to a path the user chose. */
  'report.export': { in: ReportExportRequest; out: { path: string; bytes: number } };
  'support.rules': { in: Record<string, never>; out: RuleInfo[] };
  'support.check': { in: { config: SupportConfig }; out: SupportReport };
  'mailboxes.tags': { in: Record<string, never>; out: MailboxTagEntry[] };
  /** Tags an imported mailbox with the configuration it really used (null removes the tag). */
  'mailboxes.setTag': { in: { mailbox: string; tag: MailboxProfileTag | null }; out: MailboxTagEntry[] };
  /** Warnings for tagged mailboxes: could their configuration have produced what the run simulates? */
  'replay.warnings': { in: { runId?: number | null }; out: ReplayWarningsView };
  'router.list': { in: Record<string, never>; out: RouterScenarioSummary[] };
  'router.step': { in: { id: string; index: number; preset?: string }; out: RouterStepView };
  'router.compare': { in: { id: string; before: string; after: string }; out: RouterComparison };
  /** Every mailbox as imported and as a settings profile would change it, with counts by folder and outcome. */
  'mailboxes.list': { in: { profile?: string }; out: MailboxesView };
  /** Puts a mailbox change into a settings profile (created from the baseline when missing); null removes it. */
  'mailboxes.override': { in: { profile: string; address: string; override: MailboxOverrideInput | null }; out: MailboxesView };
  'directory.search': { in: { text: string; limit?: number }; out: DirectorySearchResult };
  /** "Save as scenario": the message as a scenario folder (case export), replayed on save. */
  'case.export': { in: { key: string; out?: string; anonymize?: boolean }; out: CaseExportView };
  /** Pulls a Dataverse organization through the Web API (read-only) into the open workspace (issue 16). */
  'org.pull': { in: OrgPullRequest; out: OrgPullSummary };
  /** Pulls an Exchange Online mailbox through Microsoft Graph (read-only, Mail.Read) into the open workspace. */
  'mailbox.pull': { in: MailboxPullRequest; out: MailboxPullSummary };
}

/** Sign-in options shared by the pulls: tenant and public client id (defaults in core/node/connectors/auth.ts). */
export interface SignInChoice {
  tenant?: string;
  clientId?: string;
}

export interface OrgPullRequest extends SignInChoice {
  /** The environment, e.g. https://contoso.crm.dynamics.com */
  url: string;
  /** ISO date: email rows created on or after it. */
  since?: string;
  /** Only these mailboxes (addresses) and the email they received. */
  mailboxes?: string[];
  jobId?: string;
}

export interface OrgPullSummary {
  jobId: string;
  environment: string;
  tables: { table: string; label: string; rows: number; pages: number; resumed: boolean }[];
  /** What landed in the workspace (null when nothing was stored, e.g. cancelled before the first table). */
  landed: { mailboxes: number; directory: number; tracked: number; settings: boolean; unknownSettings: number } | null;
  /** Row and link problems of the load (at most 200; problemCount has them all). */
  problems: { table: string | null; row: number; column: string | null; problem: string }[];
  problemCount: number;
  cancelled: boolean;
  elapsedMs: number;
}

export interface MailboxPullRequest extends SignInChoice {
  /** The mailbox to read (user principal name or address). */
  user: string;
  /** Folder paths, "/" between levels (e.g. "Inbox", "Inbox/Projects"). */
  folders: string[];
  /** ISO date: messages received on or after it (first pull of a folder). */
  since?: string;
  /** The workspace mailbox to import into (default: user). */
  mailbox?: string;
  /** A mailbox shared with the signed-in user: Mail.Read.Shared instead of Mail.Read. */
  shared?: boolean;
  jobId?: string;
}

export interface MailboxPullSummary {
  jobId: string;
  user: string;
  mailbox: string;
  folders: { folder: string; listed: number; removed: number; imported: number; duplicate: number; quarantined: number; incremental: boolean }[];
  /** Messages kept as quarantined rows, with the reason (at most 200). */
  quarantined: { folder: string; reason: string }[];
  cancelled: boolean;
  elapsedMs: number;
}

/**
 * The sign-in defaults of core/node/connectors/auth.ts (DEFAULT_TENANT, DATAVERSE_CLIENT_ID, GRAPH_CLIENT_ID),
 * repeated here because the renderer shows them and may not import the Node connectors; a unit test keeps
 * the two in step.
 */
export const SIGN_IN_DEFAULTS = {
  tenant: 'organizations',
  dataverseClientId: '51f81489-12ee-4a9e-aaae-a2591f45987d',
  graphClientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
} as const;

/** Microsoft Entra ID's sign-in origin (the authority MSAL signs in at). */
export const SIGN_IN_ORIGIN = 'https://login.microsoftonline.com';

/** Only Microsoft's sign-in page is ever handed to a browser or shown as a link. */
export function isSignInUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.origin === SIGN_IN_ORIGIN && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Sign-in needs the user's browser: the address of Microsoft's sign-in page (login.microsoftonline.com). */
export interface AuthOpen {
  url: string;
  /** Which pull asked (its jobId). */
  jobId: string;
}

export type DialogPurpose = 'open-workspace' | 'create-workspace' | 'import-files' | 'import-folder' | 'open-export' | 'save-report';

/** Paths the user handed to the app outside the renderer: dropped on the window or chosen from a menu. */
export interface PathsChosen {
  paths: string[];
  via: 'drop' | 'menu-import' | 'menu-open';
}

export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = Methods[M]['in'];
export type MethodOutput<M extends MethodName> = Methods[M]['out'];

export interface JobProgress {
  jobId: string;
  kind: 'import' | 'replay' | 'whatif' | 'sweep' | 'audit' | 'presets' | 'pull';
  done: number;
  total: number | null;
  bytes?: number;
  currentFile?: string;
  message?: string;
}

export interface Events {
  'job.progress': JobProgress;
  'workspace.changed': WorkspaceInfo;
  'paths.chosen': PathsChosen;
  /** Electron main opens it with the system browser (after checking it); browser mode shows it as a link. */
  'auth.open': AuthOpen;
}

export type EventName = keyof Events;

/** The closed name lists the preload and the web bridge check against. */
export const METHOD_NAMES: readonly MethodName[] = [
  'workspace.open',
  'workspace.create',
  'workspace.openSample',
  'workspace.info',
  'workspace.recent',
  'import.start',
  'import.preview',
  'org.import',
  'org.show',
  'replay.nothingTracked',
  'job.cancel',
  'messages.list',
  'messages.get',
  'messages.body',
  'messages.quarantined',
  'chain.get',
  'hash.match',
  'hash.nearMisses',
  'tokens.preview',
  'tokens.parse',
  'settings.profiles',
  'settings.save',
  'replay.run',
  'runs.list',
  'whatif.run',
  'scenarios.list',
  'scenarios.step',
  'dialog.choose',
  'applykit.build',
  'presets.list',
  'presets.compare',
  'sweep.defaults',
  'sweep.run',
  'sweep.point',
  'whatif.explain',
  'audit.run',
  'report.export',
  'support.rules',
  'support.check',
  'mailboxes.tags',
  'mailboxes.setTag',
  'replay.warnings',
  'router.list',
  'router.step',
  'router.compare',
  'mailboxes.list',
  'mailboxes.override',
  'directory.search',
  'case.export',
  'org.pull',
  'mailbox.pull',
];

export const EVENT_NAMES: readonly EventName[] = ['job.progress', 'workspace.changed', 'paths.chosen', 'auth.open'];

/** What the renderer sees on `window.synclens` (Electron preload) or from the HTTP bridge. */
export interface SyncLensApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
