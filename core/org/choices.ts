// Choice (option set) values of the Dataverse columns the org loader reads, with the labels Microsoft
// shows (research §1, §2, §5): a Web API export carries the value (and, with annotations, the label); an
// Excel / Advanced Find CSV carries only the label. Older labels ("Microsoft Dynamics CRM", "CRM") are
// accepted as well, since exports from older orgs still carry them.

export interface Choice {
  /** Column as Microsoft names it, for messages. */
  column: string;
  values: ReadonlyMap<number, readonly string[]>;
}

function choice(column: string, values: Record<number, readonly string[]>): Choice {
  return { column, values: new Map(Object.entries(values).map(([k, v]) => [Number(k), v])) };
}

/** incomingemailfilteringmethod on usersettings and queue (research §5.1). */
export const FILTERING_METHOD = choice('incomingemailfilteringmethod', {
  0: ['All email messages'],
  1: ['Email messages in response to Dynamics 365 email', 'Email messages in response to CRM email', 'Email messages in response to Microsoft Dynamics CRM email'],
  2: ['Email messages from Dynamics 365 Leads, Contacts and Accounts', 'Email messages from CRM Leads, Contacts and Accounts', 'Email messages from Microsoft Dynamics CRM Leads, Contacts and Accounts', 'Email messages from Leads, Contacts and Accounts'],
  3: ['Email messages from Dynamics 365 records that are email enabled', 'Email messages from CRM records that are email enabled', 'Email messages from Microsoft Dynamics CRM records that are email enabled', 'Email messages from records that are email enabled'],
  4: ['No email messages'],
});

/** mailbox.incomingemaildeliverymethod (research §5.2). */
export const DELIVERY_METHOD = choice('incomingemaildeliverymethod', {
  0: ['None'],
  1: ['Microsoft Dynamics 365 for Outlook', 'Dynamics 365 for Outlook', 'Microsoft Dynamics CRM for Outlook', 'Outlook'],
  2: ['Server-Side Synchronization or Email Router', 'Server-Side Synchronization', 'Email Router'],
  3: ['Forward Mailbox'],
});

/** mailbox.emailrouteraccessapproval (research §5.2). */
export const APPROVAL = choice('emailrouteraccessapproval', {
  0: ['Empty'],
  1: ['Approved'],
  2: ['Pending Approval'],
  3: ['Rejected'],
});

/** email.correlationmethod (research §1). */
export const CORRELATION_METHOD = choice('correlationmethod', {
  0: ['None'], 1: ['Skipped'], 2: ['XHeader', 'X Header'], 3: ['InReplyTo', 'In Reply To'], 4: ['TrackingToken', 'Tracking Token'],
  5: ['ConversationIndex', 'Conversation Index'], 6: ['SmartMatching', 'Smart Matching'], 7: ['CustomCorrelation', 'Custom Correlation'],
});

/** activityparty.participationtypemask (research §1): 1–4 are the parties of an email. */
export const PARTICIPATION = choice('participationtypemask', {
  1: ['Sender', 'From'], 2: ['To Recipient', 'To'], 3: ['CC Recipient', 'Cc'], 4: ['BCC Recipient', 'Bcc'],
  5: ['Required attendee'], 6: ['Optional attendee'], 7: ['Organizer'], 8: ['Regarding'], 9: ['Owner'], 10: ['Resource'],
  11: ['Customer'], 12: ['Chat Participant'], 13: ['Related'],
});

/** statecode of contact, account, queue and custom tables: 0 Active, 1 Inactive. */
export const STATE_ACTIVE = choice('statecode', { 0: ['Active'], 1: ['Inactive'] });
/** lead.statecode: 0 Open (the lead is live), 1 Qualified, 2 Disqualified. */
export const STATE_LEAD = choice('statecode', { 0: ['Open'], 1: ['Qualified'], 2: ['Disqualified'] });

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export type ChoiceRead = { ok: true; value: number | null } | { ok: false; problem: string };

/** A choice cell: a number (Web API), a numeric string, or one of Microsoft's labels (CSV). */
export function readChoice(c: Choice, raw: unknown): ChoiceRead {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  const known = (): string => [...c.values.entries()].map(([v, ls]) => `${v} "${ls[0]}"`).join(', ');
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw))) {
    const n = Number(raw);
    return c.values.has(n) ? { ok: true, value: n } : { ok: false, problem: `${n} is not a value of ${c.column} (known: ${known()})` };
  }
  if (typeof raw !== 'string') return { ok: false, problem: `${JSON.stringify(raw)} is not a value of ${c.column}` };
  const want = norm(raw);
  for (const [v, labels] of c.values) if (labels.some((l) => norm(l) === want)) return { ok: true, value: v };
  return { ok: false, problem: `"${raw.trim()}" is not a label of ${c.column} (known: ${known()})` };
}

/** The label Microsoft shows for a value. */
export function choiceLabel(c: Choice, value: number): string {
  return c.values.get(value)?.[0] ?? String(value);
}
