// Contract types of the Mailboxes & Directory view and of "Save as scenario" (issue 13).
import type { EntityRef, FilteringMethod, TrackedFolder } from '../engine/index.js';

export interface MailboxFieldsView {
  filter: FilteringMethod;
  /** Microsoft's label of the filter (incomingemailfilteringmethod). */
  filterLabel: string;
  processEmailsFrom: string | null;
  trackedFolders: TrackedFolder[];
  incoming: boolean;
  /** Microsoft's label of incomingemaildeliverymethod. */
  deliveryLabel: string;
}

export interface MailboxView {
  address: string;
  owner: EntityRef;
  ownerKind: 'user' | 'queue';
  /** The owner's name from the directory; null when the owner is not in the directory. */
  ownerName: string | null;
  /** As imported. */
  imported: MailboxFieldsView;
  /** With the chosen profile's overrides (equal to `imported` when it has none). */
  effective: MailboxFieldsView;
  overridden: boolean;
  /** Regarding of tracked folders, by ref, with the row's name when the directory has it. */
  regardingNames: Record<string, string>;
  /** Top-level messages per folder and, for the latest run, per outcome. */
  folders: { path: string; messages: number; byOutcome: Record<string, number> }[];
  messages: number;
  /**
   * What the loaded organization says of this mailbox (org import / org pull), beside the values the replay
   * uses: the delivery method in Microsoft's label (all four, where the replay only knows read / not read),
   * where the filter and Process Emails From came from, approval and the other notes; null when not loaded.
   */
  org: { deliveryLabel: string | null; filterSource: string; processEmailsFromSource: string; notes: string[]; source: string } | null;
}

export interface MailboxesView {
  profile: string;
  /** Profiles the user can put changes into. */
  profiles: string[];
  /** Latest run the outcome counts come from; null before any replay. */
  run: { runId: number; profileName: string; createdAt: string } | null;
  mailboxes: MailboxView[];
  /** Microsoft's filter labels, 0–4, for the editor. */
  filterLabels: string[];
}

export interface MailboxOverrideInput {
  filter?: FilteringMethod;
  processEmailsFrom?: string | null;
  trackedFolders?: TrackedFolder[];
  incoming?: boolean;
}

export interface DirectoryAddressView {
  address: string;
  /** Other rows sharing this address (refs), empty when the address is this row's alone. */
  sharedWith: { ref: string; name: string; kind: string }[];
  /** When shared: which row a message from this address resolves to, and why (the engine's resolver). */
  senderWinner: { ref: string | null; why: string } | null;
  /** Mailboxes whose owner owns one of the rows: there the owned row wins (SIMULATOR §5). */
  byMailbox: { mailbox: string; ref: string | null; why: string }[];
}

export interface DirectoryRowView {
  ref: string;
  kind: string;
  /** User, Queue, Contact, Account, Lead, or the table's name. */
  typeLabel: string;
  name: string;
  active: boolean;
  owner: { ref: string; name: string | null } | null;
  addresses: DirectoryAddressView[];
}

export interface DirectorySearchResult {
  total: number;
  rows: DirectoryRowView[];
  /** The settings profile the sender rule was evaluated under. */
  profile: string;
}

export interface CaseExportView {
  dir: string;
  files: string[];
  messages: number;
  tracked: number;
  directoryRows: number;
  mailboxes: number;
  settings: string[];
  anonymized: boolean;
  reproduced: boolean;
  expectedOutcome: string;
  replayedOutcome: string | null;
  /** One line per difference when the scenario does not reproduce the decision. */
  differences: string[];
}
