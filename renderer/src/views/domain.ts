// Closed lists from the engine's data model, in the order the spec presents them (SIMULATOR.md §2, §3).
import type { CorrelationMethod, Outcome } from '../../../core/engine/types.js';

export const ALL_OUTCOMES: readonly Outcome[] = [
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
];

export const ALL_METHODS: readonly CorrelationMethod[] = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];

/**
 * Flag names as the engine host reports them in MessageRow.flags and accepts in MessageFilter.flags
 * (one per MessageFlags fact; the contract leaves the vocabulary open, so labels fall back to the name).
 */
export const FLAG_NAMES: readonly string[] = [
  'auto_reply',
  'pec',
  'pec_receipt',
  'smime_encrypted',
  'smime_opaque_signed',
  'smime_signed',
  'has_forwarded',
  'forward_subject',
  'bad_date',
  'missing_message_id',
];

export const FLAG_LABELS: Record<string, string> = {
  auto_reply: 'auto-reply',
  pec: 'PEC',
  pec_receipt: 'PEC receipt',
  smime_encrypted: 'S/MIME encrypted',
  smime_opaque_signed: 'S/MIME opaque-signed',
  smime_signed: 'S/MIME signed',
  has_forwarded: 'forwarded as attachment',
  forward_subject: 'forward',
  bad_date: 'bad Date',
  missing_message_id: 'no Message-ID',
  // Spellings used by the scenario CLI (SCENARIO-FORMAT.md).
  'auto-reply': 'auto-reply',
  smime: 'S/MIME',
};

export function flagLabel(flag: string): string {
  return FLAG_LABELS[flag] ?? flag;
}
