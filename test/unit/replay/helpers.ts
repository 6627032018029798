// Hand-built inputs for the replay unit tests.
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import type { DirectoryEntry, MailboxConfig, MessageFacts, ReplayInput, TrackedEmail } from '../../../core/engine/model/types.js';

let order = 0;
export function msg(p: Partial<MessageFacts> & { key: string }): MessageFacts {
  return {
    mailbox: 'alice@contoso.com', folder: 'Inbox', messageId: `<${p.key}@x>`, inReplyTo: null, references: [], subject: 'Hello',
    from: 'bob@fabrikam.com', to: ['alice@contoso.com'], cc: [], bcc: [], replyTo: [], date: '2024-03-04T08:00:00Z', received: null,
    threadIndex: null, threadTopic: null, headers: {},
    flags: { pec: false, pecReceipt: false, smimeEncrypted: false, smimeOpaqueSigned: false, smimeSigned: false, autoReply: false, autoReplyReasons: [], hasForwardedMessage: false, forwardSubject: false, badDate: false, missingMessageId: false },
    order: order++,
    ...p,
  };
}
export function entry(kind: DirectoryEntry['kind'], id: string, emails: string[], extra: Partial<DirectoryEntry> = {}): DirectoryEntry {
  return { kind, ref: `${kind}:${id}`, id, table: kind, name: id, emails, active: true, owner: null, ...extra };
}
export function mailbox(owner: string, address: string, filter: MailboxConfig['filter'], extra: Partial<MailboxConfig> = {}): MailboxConfig {
  return { owner, address, filter, processEmailsFrom: null, trackedFolders: [], incoming: true, ...extra };
}
export function tracked(id: string, extra: Partial<TrackedEmail> = {}): TrackedEmail {
  return { id, messageId: `<${id}@contoso.com>`, subject: 'Quote', trackingToken: null, conversationIndex: null, direction: 'outgoing', from: 'alice@contoso.com', to: ['bob@fabrikam.com'], cc: [], sentOn: '2024-03-01T09:00:00Z', regarding: `opportunity:${id}`, ...extra };
}
export const DIR: DirectoryEntry[] = [
  entry('user', 'alice', ['alice@contoso.com']),
  entry('contact', 'bob', ['bob@fabrikam.com'], { owner: 'user:alice' }),
  entry('queue', 'sales', ['sales@contoso.com'], { owner: 'user:alice' }),
];
export function input(messages: MessageFacts[], opts: { settings?: Partial<Settings>; tracked?: TrackedEmail[]; mailboxes?: MailboxConfig[]; directory?: DirectoryEntry[] } = {}): ReplayInput {
  return {
    settings: { ...DEFAULT_SETTINGS, ...opts.settings },
    directory: { entries: opts.directory ?? DIR },
    mailboxes: opts.mailboxes ?? [mailbox('user:alice', 'alice@contoso.com', 1)],
    tracked: opts.tracked ?? [],
    messages,
  };
}
