// When a replay tracks nothing, say so plainly and why (issue 13): a real mailbox replayed without the
// org's emails ends with every message NoCorrelationMatch, which a count table does not explain. This turns
// a run's outcomes into sentences that name the cause and the remedy, e.g. "5,975 messages in mailboxes
// filtering 'in response' and 0 tracked emails: load the org's emails or change the filter". Pure; the
// replay summary, the what-if and the app all show the same sentences.

import type { Settings, Directory, FilteringMethod, MailboxConfig } from '../engine/index.js';

export interface NothingTrackedInput {
  mailboxes: readonly MailboxConfig[];
  directory: Directory;
  /** Emails tracked before the replay (the org's emails, a scenario's tracked emails). */
  trackedBefore: number;
  messages: readonly { key: string; mailbox: string }[];
  decisions: readonly { key: string; outcome: string; tracked: boolean }[];
  settings: Pick<Settings, 'SSSForceFilteringMethodForUserMailboxes' | 'ignoreinternalemail'>;
}

export interface NothingTrackedReason {
  /** The outcome this reason explains (a CheckIncomingEmail reason or SyncLens's own). */
  outcome: string;
  count: number;
  sentence: string;
}

export interface NothingTracked {
  messages: number;
  /** One line: "None of the 5,975 messages can be tracked." */
  headline: string;
  reasons: NothingTrackedReason[];
}

const SHORT_FILTER: Record<FilteringMethod, string> = {
  0: 'all', 1: 'in response', 2: 'from leads, contacts and accounts', 3: 'from email-enabled records', 4: 'no email messages',
};

const n = (x: number): string => new Intl.NumberFormat('en-US').format(x);
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;

/** Null when the run tracked something or had no messages; otherwise the sentences. */
export function whyNothingTracked(input: NothingTrackedInput): NothingTracked | null {
  const { decisions } = input;
  if (decisions.length === 0 || decisions.some((d) => d.tracked)) return null;
  const mailboxOf = new Map(input.messages.map((m) => [m.key, m.mailbox.toLowerCase()]));
  const boxes = new Map(input.mailboxes.map((b) => [b.address.toLowerCase(), b]));
  const force = input.settings.SSSForceFilteringMethodForUserMailboxes;
  const filterOf = (key: string): FilteringMethod | null => {
    const b = boxes.get(mailboxOf.get(key) ?? '');
    if (!b) return null;
    return b.owner.startsWith('user:') && force >= 0 && force <= 4 ? (force as FilteringMethod) : b.filter;
  };
  const byOutcome = new Map<string, string[]>();
  for (const d of decisions) {
    const list = byOutcome.get(d.outcome);
    if (list) list.push(d.key);
    else byOutcome.set(d.outcome, [d.key]);
  }
  const reasons: NothingTrackedReason[] = [];
  const add = (outcome: string, count: number, sentence: string): void => { reasons.push({ outcome, count, sentence }); };
  const directoryRows = (kinds: readonly string[]): number => input.directory.entries.filter((e) => kinds.includes(e.kind)).length;

  for (const [outcome, keys] of [...byOutcome.entries()].sort((a, b) => b[1].length - a[1].length)) {
    const c = keys.length;
    switch (outcome) {
      case 'NoCorrelationMatch': {
        const t = input.trackedBefore;
        add(outcome, c, t === 0
          ? `${plural(c, 'message')} in mailboxes filtering '${SHORT_FILTER[1]}' and 0 tracked emails: load the org's emails or change the filter`
          : `${plural(c, 'message')} in mailboxes filtering '${SHORT_FILTER[1]}' answer none of the ${plural(t, 'tracked email')}: load the org's emails these messages reply to, turn smart matching on, or change the filter`);
        break;
      }
      case 'NoRecipientMatch': {
        const byFilter = new Map<string, number>();
        for (const k of keys) { const f = filterOf(k); const label = f === null ? 'unknown' : String(f); byFilter.set(label, (byFilter.get(label) ?? 0) + 1); }
        for (const [f, k] of byFilter) {
          if (f === '4') add(outcome, k, `${plural(k, 'message')} in mailboxes set to '${SHORT_FILTER[4]}': change the filter to track any`);
          else if (f === '2') add(outcome, k, `${plural(k, 'message')} in mailboxes filtering '${SHORT_FILTER[2]}' come from senders the directory does not hold as a contact, account or lead (it has ${plural(directoryRows(['contact', 'account', 'lead']), 'such row')}): load the org's contacts, accounts and leads or change the filter`);
          else if (f === '3') add(outcome, k, `${plural(k, 'message')} in mailboxes filtering '${SHORT_FILTER[3]}' come from senders the directory does not hold (it has ${plural(input.directory.entries.length, 'row')}): load the org's contacts, accounts, leads and users or change the filter`);
          else add(outcome, k, `${plural(k, 'message')} found no user or queue whose filter accepts them`);
        }
        break;
      }
      case 'NotInTrackedFolder':
        add(outcome, c, `${plural(c, 'message')} ${c === 1 ? 'is' : 'are'} in folders server-side synchronization does not read (only the Inbox root, folder-level-tracked folders and, with AutoTrackSentFolderItems, Sent Items): track those folders or import them as the Inbox`);
        break;
      case 'BeforeProcessEmailsFrom':
        add(outcome, c, `${plural(c, 'message')} arrived before their mailbox's Process Emails From: set it earlier to process them`);
        break;
      case 'NotProcessed':
        add(outcome, c, `${plural(c, 'message')} ${c === 1 ? 'is' : 'are'} in mailboxes whose Incoming Email is not server-side synchronization, which never reads them`);
        break;
      case 'Duplicate':
        add(outcome, c, `${plural(c, 'message')} ${c === 1 ? 'is' : 'are'} already tracked (the Message-ID is among the tracked emails)`);
        break;
      case 'UnsupportedPec': case 'UnsupportedEncrypted':
        add(outcome, c, `${plural(c, 'message')} ${c === 1 ? 'is' : 'are'} ${outcome === 'UnsupportedPec' ? 'PEC envelopes or receipts' : 'encrypted or opaque-signed'}, which server-side synchronization cannot read`);
        break;
      case 'InternalEmailReject':
        add(outcome, c, `${plural(c, 'message')} from users or queues ${c === 1 ? 'is' : 'are'} internal email, and ignoreinternalemail is on`);
        break;
      case 'InvalidSender':
        add(outcome, c, `${plural(c, 'message')} ${c === 1 ? 'has' : 'have'} a sender address several rows share, and OverrideV5SenderConflictResolution is on`);
        break;
      default:
        add(outcome, c, `${plural(c, 'message')} ended ${outcome}`);
    }
  }
  return { messages: decisions.length, headline: `None of the ${plural(decisions.length, 'message')} can be tracked:`, reasons };
}

/** The sentences as lines for a terminal or a report. */
export function nothingTrackedLines(r: NothingTracked | null): string[] {
  if (!r) return [];
  return [r.headline, ...r.reasons.map((x) => `  - ${x.sentence}`)];
}

/**
 * The same sentences from a run's counts by outcome (what a what-if result carries for each side), for
 * the what-if's baseline and proposal. Which filter a NoRecipientMatch message was under is known only
 * when every message is in mailboxes of one filter; otherwise that sentence stays generic.
 */
export function whyNothingTrackedFromCounts(
  input: Omit<NothingTrackedInput, 'decisions'>,
  counts: Readonly<Partial<Record<string, number>>>,
  tracked: number,
): NothingTracked | null {
  if (tracked > 0) return null;
  const boxes = [...new Set(input.messages.map((m) => m.mailbox.toLowerCase()))];
  const force = input.settings.SSSForceFilteringMethodForUserMailboxes;
  const filters = new Set(input.mailboxes.filter((b) => boxes.includes(b.address.toLowerCase()))
    .map((b) => (b.owner.startsWith('user:') && force >= 0 && force <= 4 ? force : b.filter)));
  // One representative mailbox when all share a filter, so whyNothingTracked can name it.
  const one = filters.size === 1 ? input.mailboxes.find((b) => boxes.includes(b.address.toLowerCase()))?.address ?? '' : '';
  const decisions: { key: string; outcome: string; tracked: boolean }[] = [];
  const messages: { key: string; mailbox: string }[] = [];
  for (const [outcome, c] of Object.entries(counts)) {
    for (let i = 0; i < (c ?? 0); i++) {
      const key = `${outcome}#${i}`;
      decisions.push({ key, outcome, tracked: false });
      messages.push({ key, mailbox: one });
    }
  }
  return whyNothingTracked({ ...input, messages, decisions });
}
