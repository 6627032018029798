// The engine's data model: plain, serialisable data shared by the engine, the workspace, the CLI,
// the contract and the renderer. Nothing here does I/O.

/** `type:id`, e.g. `user:alice`, `queue:sales`, `contact:c1`, `new_partner:p1`, `opportunity:o1`. */
export type EntityRef = string;

export type DirectoryKind = 'user' | 'queue' | 'contact' | 'account' | 'lead' | 'record';

/** One row of the CRM directory that has email addresses (systemuser, queue, contact, …). */
export interface DirectoryEntry {
  kind: DirectoryKind;
  /** Entity reference used everywhere else: `user:alice`, or `<table>:<id>` for custom records. */
  ref: EntityRef;
  id: string;
  /** Dataverse table: systemuser, queue, contact, account, lead, or the custom table name. */
  table: string;
  name: string;
  emails: string[];
  active: boolean;
  /** System users only: isdisabled (a disabled user never resolves as a sender, SIMULATOR §8 point 6). */
  disabled?: boolean;
  /** Owner as an entity ref (`user:alice`); for queues, the queue owner whose token counter it uses. */
  owner: EntityRef | null;
  /** Users only: n in "user number = trackingtokenidbase + n". */
  trackingNumber?: number;
}

export interface Directory {
  entries: DirectoryEntry[];
}

/** incomingemailfilteringmethod: 0 All, 1 In response, 2 Leads/Contacts/Accounts, 3 Email-enabled, 4 None. */
export type FilteringMethod = 0 | 1 | 2 | 3 | 4;

export interface TrackedFolder {
  /** Folder path with `/` separators, e.g. `Inbox/Projects`. */
  folder: string;
  regarding: EntityRef | null;
}

export interface MailboxConfig {
  /** `user:<id>` or `queue:<id>`. */
  owner: EntityRef;
  address: string;
  filter: FilteringMethod;
  /** ISO date-time; messages received before it are not processed. */
  processEmailsFrom: string | null;
  trackedFolders: TrackedFolder[];
  /** Incoming delivery enabled (mailbox incomingemaildeliverymethod = server-side sync). */
  incoming: boolean;
}

/** An email activity that exists before the replay (e.g. sent from Dynamics). */
export interface TrackedEmail {
  id: string;
  messageId: string | null;
  subject: string;
  trackingToken: string | null;
  /** base64, as in the Thread-Index header. */
  conversationIndex: string | null;
  direction: 'incoming' | 'outgoing';
  from: string | null;
  to: string[];
  cc: string[];
  /** ISO date-time. */
  sentOn: string;
  regarding: EntityRef | null;
}

/** Facts about a message's top-level structure that decide format support. */
export interface MessageFlags {
  /** PEC transport envelope (X-Trasporto). */
  pec: boolean;
  /** PEC receipt (X-Ricevuta). */
  pecReceipt: boolean;
  /** application/pkcs7-mime enveloped-data / authEnveloped-data. */
  smimeEncrypted: boolean;
  /** application/pkcs7-mime signed-data (opaque-signed: body not readable without S/MIME). */
  smimeOpaqueSigned: boolean;
  /** multipart/signed with a pkcs7 signature (clear-signed: readable). */
  smimeSigned: boolean;
  autoReply: boolean;
  /** Why the message counts as an auto-reply (header or subject prefix), for the inspector. */
  autoReplyReasons: string[];
  /** Contains a message/rfc822 part (forward-as-attachment, PEC postacert.eml). */
  hasForwardedMessage: boolean;
  /** Subject starts with FW:/Fwd: (after other prefixes). */
  forwardSubject: boolean;
  /** Date header missing or unparsable (the raw value is kept). */
  badDate: boolean;
  /** No Message-ID header (never invented). */
  missingMessageId: boolean;
}

/** What the engine needs to know about one message; produced by core/mail from the raw bytes. */
export interface MessageFacts {
  /** Stable key of the message within a replay (workspace row id or scenario file name). */
  key: string;
  mailbox: string;
  folder: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  /** Bare lower-cased addresses. */
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  /** ISO, from the Date header; null when missing or unparsable. */
  date: string | null;
  /** ISO, from the newest Received header; null when absent. */
  received: string | null;
  /**
   * ISO dates of every Received header whose date parses, topmost first (SIMULATOR §8 point 2 "latest").
   * Optional: facts stored before it existed have only `received`.
   */
  receivedAll?: string[];
  /**
   * Every id of the In-Reply-To header, in order (SIMULATOR §8 point 15). Optional: facts stored before it
   * existed have only `inReplyTo`.
   */
  inReplyToAll?: string[];
  /** Raw Thread-Index header value (base64). */
  threadIndex: string | null;
  threadTopic: string | null;
  /** Selected raw header values by lower-cased name (auto-reply headers, PEC headers, content-type …). */
  headers: Record<string, string>;
  flags: MessageFlags;
  /** Position in the input, for stable ordering of ties. */
  order: number;
}

/**
 * Every outcome a message can end with, in the order of the stages that produce them (SIMULATOR.md §2 and
 * §8 point 13): the one list the contract, the scenario format and the views derive theirs from.
 */
export const OUTCOMES = [
  'NotProcessed',
  'NotInTrackedFolder',
  'BeforeProcessEmailsFrom',
  'UnsupportedPec',
  'UnsupportedEncrypted',
  'Duplicate',
  'InvalidSender',
  'NoRecipientMatch',
  'NoCorrelationMatch',
  'InternalEmailReject',
  'CorrelationMatch',
  'SenderMatch',
  'AcceptAll',
  'FolderLevelTracking',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const TRACKED_OUTCOMES: readonly Outcome[] = ['CorrelationMatch', 'SenderMatch', 'AcceptAll', 'FolderLevelTracking'];

export type CorrelationMethod = 'None' | 'Skipped' | 'InReplyTo' | 'TrackingToken' | 'ConversationIndex' | 'SmartMatching';

/** email.correlationmethod option values (research §1). */
export const CORRELATION_METHOD_CODE: Record<CorrelationMethod, number> = {
  None: 0,
  Skipped: 1,
  InReplyTo: 3,
  TrackingToken: 4,
  ConversationIndex: 5,
  SmartMatching: 6,
};

export type Stage = 'Order' | 'Mailbox' | 'Folder' | 'StartDate' | 'Format' | 'Duplicate' | 'Resolve' | 'Accept' | 'Correlate' | 'Record';

/** One readable step of a decision. */
export interface TraceStep {
  stage: Stage;
  /** Short verdict: `passed`, `stopped`, `matched`, `no match`, `skipped`, … */
  result: string;
  /** A sentence a person can read. */
  detail: string;
  /** Settings (by their Microsoft / spec name) that decided this step. */
  settings?: string[];
  /** True when the step rested on an undocumented default of SIMULATOR.md. */
  undocumented?: boolean;
  /** Structured facts for the UI (ids compared, hashes, candidates …). */
  data?: Record<string, unknown>;
}

export interface TokenParts {
  token: string;
  prefix: string;
  designator: string;
  userNumber: string;
  counter: string;
}

/** The engine's verdict for one message. */
export interface Decision {
  key: string;
  outcome: Outcome;
  tracked: boolean;
  correlationMethod: CorrelationMethod;
  correlationMethodCode: number;
  /** Id of a TrackedEmail, or the key of a message tracked earlier in the replay. */
  correlatedTo: string | null;
  parent: string | null;
  regarding: EntityRef | null;
  acceptingEntity: EntityRef | null;
  receivingMailbox: string | null;
  sender: EntityRef | null;
  tokenParts: TokenParts[];
  subjectHashes: number[];
  addressHashes: number[];
  flags: string[];
  internetMessageHeaders: Record<string, string> | null;
  trace: TraceStep[];
}

export interface ReplayInput {
  settings: import('./settings.js').Settings;
  directory: Directory;
  mailboxes: MailboxConfig[];
  tracked: TrackedEmail[];
  messages: MessageFacts[];
}

export interface ReplayResult {
  decisions: Decision[];
  countsByOutcome: Partial<Record<Outcome, number>>;
  countsByMethod: Partial<Record<CorrelationMethod, number>>;
}
