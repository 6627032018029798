// Data model of the E-mail Router sink-mailbox replay (CRM 3.0 design, seed 003; research §10).
// Plain serialisable data, shared by the router replay, its scenario loader, the CLI and the app.

import type { Settings, CorrelationMethod, Directory, EntityRef, MailboxConfig, MessageFacts, Stage, TrackedEmail } from '../engine/index.js';

/** How a message reached the sink mailbox. */
export type ForwardKind =
  /** Forwarded as an attachment (message/rfc822): the original headers survive (seed 003). */
  | 'attachment'
  /** Forwarded inline: the original message became quoted body text; its headers are lost (seed 003). */
  | 'inline'
  /** Sent straight to the sink address (no forward at all). */
  | 'direct';

/** CheckIncomingEmailResponse.ReasonCode (API-RC, research §10.2). */
export type ReasonName =
  | 'Unknown' | 'Duplicate' | 'NoCorrelationMatch' | 'CorrelationMatch' | 'NoRecipientMatch'
  | 'InternalEmailReject' | 'SenderMatch' | 'AcceptAll' | 'InvalidSender';

export const REASON_CODES: Record<ReasonName, number> = {
  Unknown: -1, Duplicate: 0, NoCorrelationMatch: 1, CorrelationMatch: 2, NoRecipientMatch: 3,
  InternalEmailReject: 4, SenderMatch: 5, AcceptAll: 6, InvalidSender: 7,
};

/** What became of the outer message in the sink mailbox. */
export type SinkFate =
  /** CheckIncomingEmail said ShouldDeliver, DeliverIncomingEmail created the activity; deleted from the sink. */
  | 'Delivered'
  /** CheckIncomingEmail said not to deliver; the message is deleted from the sink, no activity (B-2007). */
  | 'Deleted'
  /** The message could not be processed; moved to the sink's "Undeliverable" folder (seed 003, B-2007). */
  | 'Undeliverable';

export type RouterStage = 'Receive' | 'Unwrap' | 'Check' | 'Deliver' | 'Sink';

/** One readable step; same shape as the engine's TraceStep, with the router's own stages. */
export interface RouterTraceStep {
  stage: RouterStage | Stage;
  result: string;
  detail: string;
  settings?: string[];
  undocumented?: boolean;
  data?: Record<string, unknown>;
}

/**
 * One message as it arrived in the sink: the outer (forwarding) message and, when it was forwarded as
 * an attachment, the facts of its first message/rfc822 part. Built by core/node/router/load.ts from
 * bytes, or by hand in tests.
 */
export interface SinkItem {
  /** Stable key (scenario file name or workspace row id). */
  key: string;
  outer: MessageFacts;
  /** Facts of the attached original; null when there is no message/rfc822 part. */
  inner: MessageFacts | null;
  /** Number of message/rfc822 parts found (only the first is processed). */
  attachedCount: number;
  /** Set when an attached part exists but could not be read (empty, no header block …). */
  innerProblem: string | null;
  /** Evidence of an inline forward in the outer body ("-----Original Message-----", …). */
  inlineEvidence: string[];
  /**
   * Training knob: DeliverIncomingEmail fails with this text (a transient server or plug-in failure,
   * B-2007 / KB-NOT), so the message goes to Undeliverable.
   */
  deliverFailure?: string | null;
}

export interface RouterInput {
  /** Era settings (from a version preset); header correlation is forced off, the Router never had it. */
  settings: Settings;
  /** Preset name, for the trace only. */
  era: string;
  /** The sink ("forward") mailbox address the Router monitors. */
  sinkAddress: string;
  directory: Directory;
  /**
   * CRM users and queues whose incoming e-mail goes through the Router, with their tracking option
   * (filter); `address` is their own mailbox, whose rule forwards to the sink.
   */
  mailboxes: MailboxConfig[];
  tracked: TrackedEmail[];
  items: SinkItem[];
}

export interface CheckResult {
  shouldDeliver: boolean;
  reasonCode: number;
  reasonName: ReasonName;
}

export interface RouterDecision {
  key: string;
  forward: ForwardKind;
  /** Outer From: the user whose mailbox (rule) forwarded it, when it is a forward. */
  forwardedBy: string | null;
  forwardedByRef: EntityRef | null;
  /** Message-ID the Router handed to CheckIncomingEmail (the inner one for attachments). */
  messageId: string | null;
  subject: string;
  /** Null when the message never reached CheckIncomingEmail (it went to Undeliverable first). */
  check: CheckResult | null;
  delivered: boolean;
  fate: SinkFate;
  undeliverableReason: string | null;
  correlationMethod: CorrelationMethod;
  correlationMethodCode: number;
  correlatedTo: string | null;
  regarding: EntityRef | null;
  acceptingEntity: EntityRef | null;
  sender: EntityRef | null;
  /** The activity's parties as CRM recorded them (for inline forwards: the forwarder and the sink). */
  activityFrom: string | null;
  activityTo: string[];
  flags: string[];
  trace: RouterTraceStep[];
}

export interface SinkView {
  /** Messages still in the sink Inbox (always empty after a replay: every message is processed). */
  inbox: string[];
  undeliverable: { key: string; reason: string }[];
  /** Keys removed from the sink (delivered or deleted). */
  removed: string[];
}

export interface RouterResult {
  era: string;
  decisions: RouterDecision[];
  sink: SinkView;
  countsByFate: Partial<Record<SinkFate, number>>;
  countsByReason: Partial<Record<ReasonName, number>>;
}
