// Closed lists from the engine's data model, in the order the spec presents them (SIMULATOR.md §2, §3).
import { MESSAGE_FLAGS, type MessageFlag } from '../../../core/contract/contract.js';
import { OUTCOMES, type CorrelationMethod, type Outcome } from '../../../core/engine/index.js';

export const ALL_OUTCOMES: readonly Outcome[] = OUTCOMES;

export const ALL_METHODS: readonly CorrelationMethod[] = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];

/** The contract's one flag vocabulary (MESSAGE_FLAGS), shown with readable labels. */
export const FLAG_NAMES: readonly MessageFlag[] = MESSAGE_FLAGS;

export const FLAG_LABELS: Record<MessageFlag, string> = {
  'auto-reply': 'auto-reply',
  pec: 'PEC',
  'pec-receipt': 'PEC receipt',
  'smime-encrypted': 'S/MIME encrypted',
  'smime-opaque-signed': 'S/MIME opaque-signed',
  'smime-signed': 'S/MIME signed',
  'has-forwarded-message': 'forwarded message',
  'forward-subject': 'forward',
  'bad-date': 'bad Date',
  'missing-message-id': 'no Message-ID',
};

export function flagLabel(flag: string): string {
  return (FLAG_LABELS as Record<string, string>)[flag] ?? flag;
}
