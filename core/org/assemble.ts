// The loaded org's rows → what the engine and the audit read (SIMULATOR §1, §9): the directory (users,
// queues, contacts, accounts, leads, other email-enabled rows), the mailboxes (owner, the owner's
// filtering method, Process Emails From, tracked folders, incoming delivery), the already-tracked emails
// and, from the same email rows, the audit's record of what Dynamics decided (core/analysis/auditImport.ts
// AuditEmail). A CSV export names related rows instead of giving their ids; those names are resolved here
// against the rows loaded, and a name that matches no row, or several, is reported. Pure.

import type { AuditEmail } from '../analysis/auditImport.js';
import type { Settings, DirectoryEntry, DirectoryKind, EntityRef, FilteringMethod, MailboxConfig, TrackedEmail } from '../engine/index.js';
import { choiceLabel, DELIVERY_METHOD, FILTERING_METHOD } from './choices.js';
import type {
  OrgActivityParty, OrgEmail, OrgEmailServerProfile, OrgLookup, OrgMailbox, OrgOrganization, OrgParty, OrgPartyRow, OrgProblem, OrgQueue, OrgRecord,
  OrgSystemUser, OrgTrackingFolder, OrgUserSettings, UnknownSetting,
} from './types.js';

export interface OrgMailboxConfig extends MailboxConfig {
  /** mailboxid in Dataverse. */
  dataverseId: string;
  name: string | null;
  /** The owner's name (user full name or queue name), when the org holds it. */
  ownerName: string | null;
  /** Where the filtering method came from, in words. */
  filterSource: string;
  /** Where Process Emails From came from, in words (the later of the mailbox's and its profile's dates). */
  processEmailsFromSource: string;
  /** incomingemaildeliverymethod (0 None, 1 Outlook, 2 Server-Side Synchronization or Email Router, 3 Forward Mailbox); null when not exported. */
  delivery: number | null;
  /** Facts an admin should see next to the mailbox (approval, enabled for incoming email, forward mailbox). */
  notes: string[];
  file: string;
  row: number;
}

export interface AssembledOrg {
  organization: { id: string; name: string | null; settings: Partial<Settings>; unknownSettings: UnknownSetting[] } | null;
  directory: DirectoryEntry[];
  mailboxes: OrgMailboxConfig[];
  tracked: TrackedEmail[];
  /** The same email rows as the audit's record of what Dynamics decided. */
  auditEmails: AuditEmail[];
  /** Cross-table problems: names that resolve to no row or to several, mailboxes without owner or address. */
  problems: OrgProblem[];
}

/** The engine's entity reference for a Dataverse row: `user:`, `queue:` or `<table>:`. */
export function refOf(table: string, id: string): EntityRef {
  return `${table === 'systemuser' ? 'user' : table}:${id}`;
}

/** Keeps the last record per table and id (a later export of the same row replaces the earlier one). */
export function latestRecords(records: readonly OrgRecord[]): OrgRecord[] {
  const byKey = new Map<string, OrgRecord>();
  for (const r of records) {
    const key = `${r.table === 'record' ? `record/${(r as OrgPartyRow).recordTable}` : r.table}:${r.id}`;
    byKey.delete(key);
    byKey.set(key, r);
  }
  return [...byKey.values()];
}

function ofTable<T extends OrgRecord['table']>(records: readonly OrgRecord[], t: T): Extract<OrgRecord, { table: T }>[] {
  return records.filter((r) => r.table === t) as Extract<OrgRecord, { table: T }>[];
}

/** Hex-encoded conversation index (some exports store it so; research §13) → base64, as the engine compares. */
export function conversationIndexBase64(v: string | null): string | null {
  if (v === null) return null;
  const t = v.trim();
  if (!/^[0-9a-f]+$/i.test(t) || t.length < 44 || t.length % 2 !== 0 || ((t.length / 2 - 22) % 5) !== 0) return t;
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i += 2) bytes.push(parseInt(t.slice(i, i + 2), 16));
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += A[(n >> 18) & 63]! + A[(n >> 12) & 63]! + (b === undefined ? '=' : A[(n >> 6) & 63]!) + (c === undefined ? '=' : A[n & 63]!);
  }
  return out;
}

export function assembleOrg(all: readonly OrgRecord[]): AssembledOrg {
  const records = latestRecords(all);
  const problems: OrgProblem[] = [];
  const problem = (r: { file: string; row: number; table: OrgRecord['table'] }, column: string | null, p: string): void => {
    problems.push({ file: r.file, table: r.table, row: r.row, column, problem: p });
  };
  const orgs = ofTable(records, 'organization') as OrgOrganization[];
  const users = ofTable(records, 'systemuser') as OrgSystemUser[];
  const userSettings = new Map((ofTable(records, 'usersettings') as OrgUserSettings[]).map((u) => [u.id, u]));
  const queues = ofTable(records, 'queue') as OrgQueue[];
  const profiles = ofTable(records, 'emailserverprofile') as OrgEmailServerProfile[];
  const mailboxRows = ofTable(records, 'mailbox') as OrgMailbox[];
  const folders = ofTable(records, 'mailboxtrackingfolder') as OrgTrackingFolder[];
  const partyRows = records.filter((r): r is OrgPartyRow => r.table === 'contact' || r.table === 'account' || r.table === 'lead' || r.table === 'record');
  const emails = ofTable(records, 'email') as OrgEmail[];
  const activityParties = ofTable(records, 'activityparty') as OrgActivityParty[];

  // ---- names → rows, for CSV lookups
  type Named = { table: string; id: string; name: string | null };
  const everyone: Named[] = [
    ...users.map((u) => ({ table: 'systemuser', id: u.id, name: u.name })),
    ...queues.map((q) => ({ table: 'queue', id: q.id, name: q.name })),
    ...partyRows.map((p) => ({ table: p.recordTable, id: p.id, name: p.name })),
  ];
  const byId = new Map(everyone.map((n) => [n.id, n]));
  const byName = new Map<string, Named[]>();
  for (const n of everyone) {
    const k = (n.name ?? '').trim().toLowerCase();
    const list = byName.get(k);
    if (list) list.push(n);
    else byName.set(k, [n]);
  }
  const resolve = (l: OrgLookup | null, tables: readonly string[] | null, at: { file: string; row: number; table: OrgRecord['table'] }, column: string): { table: string; id: string } | null => {
    if (!l) return null;
    if (l.id) {
      const known = byId.get(l.id);
      const table = l.table ?? known?.table ?? null;
      if (table) return { table, id: l.id };
      if (tables && tables.length === 1) return { table: tables[0]!, id: l.id };
      problem(at, column, `the row ${l.id} is not among the rows loaded and the export does not say its table (add the lookuplogicalname annotation, or load that table)`);
      return null;
    }
    const want = (l.name ?? '').trim().toLowerCase();
    const hits = (byName.get(want) ?? []).filter((n) => tables === null || tables.includes(n.table));
    if (hits.length === 1) return { table: hits[0]!.table, id: hits[0]!.id };
    problem(at, column, hits.length === 0
      ? `"${l.name}" names no ${tables ? tables.join(' or ') : ''} row loaded; load that table, or export with ids (Web API)`
      : `"${l.name}" names ${hits.length} rows (${hits.map((h) => `${h.table} ${h.id}`).join(', ')}); export with ids (Web API) to tell them apart`);
    return null;
  };

  // ---- directory
  const directory: DirectoryEntry[] = [];
  const ownerRef = (l: OrgLookup | null, at: OrgRecord, column: string): EntityRef | null => {
    const r = resolve(l, ['systemuser', 'team'], at, column);
    if (!r) return null;
    return r.table === 'team' ? `team:${r.id}` : refOf(r.table, r.id);
  };
  for (const u of users) {
    const e: DirectoryEntry = { kind: 'user', ref: refOf('systemuser', u.id), id: u.id, table: 'systemuser', name: u.name ?? '', emails: u.emails, active: u.disabled !== true, owner: null };
    const tt = userSettings.get(u.id)?.trackingTokenId;
    if (tt !== null && tt !== undefined) e.trackingNumber = tt;
    directory.push(e);
  }
  for (const q of queues) {
    directory.push({ kind: 'queue', ref: refOf('queue', q.id), id: q.id, table: 'queue', name: q.name ?? '', emails: q.emails, active: q.active !== false, owner: ownerRef(q.owner, q, 'ownerid') });
  }
  for (const p of partyRows) {
    const kind: DirectoryKind = p.table === 'record' ? 'record' : p.table;
    directory.push({ kind, ref: refOf(p.recordTable, p.id), id: p.id, table: p.recordTable, name: p.name ?? '', emails: p.emails, active: p.active !== false, owner: ownerRef(p.owner, p, 'ownerid') });
  }

  // ---- mailboxes
  const profileById = new Map(profiles.map((p) => [p.id, p]));
  const mailboxes: OrgMailboxConfig[] = [];
  for (const m of mailboxRows) {
    if (!m.email) { problem(m, 'emailaddress', `mailbox ${m.name ?? m.id} has no email address; not loaded`); continue; }
    let owner = resolve(m.regarding, ['systemuser', 'queue'], m, 'regardingobjectid');
    if (!owner) {
      // A user's or queue's default mailbox names this mailbox: that row owns it.
      const u = users.find((x) => x.defaultMailbox?.id === m.id);
      const q = queues.find((x) => x.defaultMailbox?.id === m.id);
      if (u) owner = { table: 'systemuser', id: u.id };
      else if (q) owner = { table: 'queue', id: q.id };
    }
    if (!owner || (owner.table !== 'systemuser' && owner.table !== 'queue')) {
      problem(m, 'regardingobjectid', `mailbox ${m.email} has no owner user or queue (Regarding) among the rows loaded; not loaded (load its user or queue, or export the Regarding id)`);
      continue;
    }
    const isQueue = owner.table === 'queue';
    const ownerRow = isQueue ? queues.find((q) => q.id === owner.id) : users.find((u) => u.id === owner.id);
    let filter: FilteringMethod;
    let filterSource: string;
    const f = isQueue ? (ownerRow as OrgQueue | undefined)?.filter : userSettings.get(owner.id)?.filter;
    if (f !== null && f !== undefined) {
      filter = f as FilteringMethod;
      filterSource = `${isQueue ? 'the queue' : "the user's settings (usersettings)"}: ${choiceLabel(FILTERING_METHOD, f)}`;
    } else {
      filter = isQueue ? 0 : 1;
      filterSource = `not in the export; the default for ${isQueue ? 'queues' : 'users'}, ${choiceLabel(FILTERING_METHOD, filter)} (SIMULATOR §1)`;
    }
    // Process Emails From: the later of the mailbox's date and its email server profile's (research §5.3).
    let profile: OrgEmailServerProfile | undefined;
    if (m.profile?.id) profile = profileById.get(m.profile.id);
    else if (m.profile?.name) profile = profiles.find((p) => (p.name ?? '').toLowerCase() === m.profile!.name!.toLowerCase());
    if (m.profile && !profile) problem(m, 'emailserverprofile', `its email server profile ${m.profile.name ?? m.profile.id} is not among the rows loaded; its Process Emails Received After is unknown`);
    const a = m.processEmailsFrom;
    const b = profile?.processEmailsFrom ?? null;
    const pef = a && b ? (a >= b ? a : b) : a ?? b;
    const processEmailsFromSource = a && b ? `the later of the mailbox (${a.slice(0, 10)}) and its profile ${profile?.name ?? ''} (${b.slice(0, 10)})`
      : a ? 'the mailbox' : b ? `its profile ${profile?.name ?? ''}` : 'not set: every message is processed';
    const notes: string[] = [];
    // Delivery None (0) or Outlook (1): server-side sync never reads the mailbox (SIMULATOR §9).
    const incoming = m.delivery === null ? true : m.delivery === 2 || m.delivery === 3;
    if (m.delivery === null) notes.push('Incoming Email (the delivery method) is empty or unreadable in the export: taken as server-side synchronization');
    else if (!incoming) notes.push(`Incoming Email is ${choiceLabel(DELIVERY_METHOD, m.delivery)}: server-side synchronization never reads this mailbox`);
    if (m.approval !== null && m.approval !== 1) notes.push(`its email address is not approved (${['Empty', 'Approved', 'Pending Approval', 'Rejected'][m.approval] ?? m.approval}); where the organization processes email only for approved mailboxes, none of it is processed`);
    if (m.enabledForIncoming === false) notes.push('Enabled For Incoming Email is No (the last Test & Enable did not succeed)');
    if (m.isForward) notes.push('it is a forward mailbox');
    const trackedFolders = folders.filter((t) => (t.mailbox?.id ? t.mailbox.id === m.id : (t.mailbox?.name ?? '').toLowerCase() === (m.name ?? '\0').toLowerCase()))
      .flatMap((t) => {
        if (!t.folder) { problem(t, 'exchangefoldername', 'the tracked folder has no folder name; ignored'); return []; }
        // Folder-level tracking applies to folders under the Inbox (research §5.3); the workspace names
        // folders by path from the mailbox root.
        const folder = /^inbox(\/|$)/i.test(t.folder) ? t.folder : `Inbox/${t.folder.replace(/^\/+/, '')}`;
        const reg = resolve(t.regarding, null, t, 'regardingobjectid');
        return [{ folder, regarding: reg ? refOf(reg.table, reg.id) : t.regarding?.name ? `record:${t.regarding.name}` : null }];
      });
    mailboxes.push({
      owner: refOf(owner.table, owner.id), address: m.email, filter, processEmailsFrom: pef, trackedFolders, incoming,
      dataverseId: m.id, name: m.name, ownerName: ownerRow?.name ?? null, filterSource, processEmailsFromSource, delivery: m.delivery, notes, file: m.file, row: m.row,
    });
  }
  for (const t of folders) {
    const found = t.mailbox?.id ? mailboxRows.some((m) => m.id === t.mailbox!.id) : mailboxRows.some((m) => (m.name ?? '').toLowerCase() === (t.mailbox?.name ?? '\0').toLowerCase());
    if (!found) problem(t, 'mailboxid', `its mailbox ${t.mailbox?.name ?? t.mailbox?.id ?? '(empty)'} is not among the mailboxes loaded; the folder is not tracked`);
  }

  // ---- emails: the already-tracked store and the audit's record
  const partiesOf = new Map<string, OrgParty[]>();
  for (const p of activityParties) {
    if (!p.activity?.id || p.mask === null || p.mask < 1 || p.mask > 4) continue;
    const list = partiesOf.get(p.activity.id) ?? [];
    list.push({ mask: p.mask as 1 | 2 | 3 | 4, address: p.address, party: p.party });
    partiesOf.set(p.activity.id, list);
  }
  const dirById = new Map<string, DirectoryEntry>();
  const dirByName = new Map<string, DirectoryEntry>();
  for (const d of directory) {
    if (!dirById.has(d.id)) dirById.set(d.id, d);
    if (!dirByName.has(d.name.toLowerCase())) dirByName.set(d.name.toLowerCase(), d);
  }
  const firstEmailOf = (l: OrgLookup | null): string | null => {
    if (!l) return null;
    const e = l.id ? dirById.get(l.id) : dirByName.get((l.name ?? '').toLowerCase());
    return e?.emails[0] ?? null;
  };
  const tracked: TrackedEmail[] = [];
  const auditEmails: AuditEmail[] = [];
  const split = (s: string | null): string[] => (s ?? '').split(/[;,]/).map((x) => x.trim().toLowerCase()).filter((x) => x.includes('@'));
  for (const e of emails) {
    const parties = [...e.parties, ...(partiesOf.get(e.id) ?? [])];
    const addrs = (mask: number): string[] => [...new Set(parties.filter((p) => p.mask === mask).map((p) => p.address ?? firstEmailOf(p.party)).filter((a): a is string => a !== null))];
    const from = addrs(1)[0] ?? split(e.sender)[0] ?? null;
    const to = addrs(2).length ? addrs(2) : split(e.toRecipients);
    const regarding = (() => { const r = resolve(e.regarding, null, e, 'regardingobjectid'); return r ? refOf(r.table, r.id) : e.regarding?.name ? `record:${e.regarding.name}` : null; })();
    const sentOn = e.sentOn ?? e.createdOn;
    auditEmails.push({
      row: e.row, activityId: e.id, messageId: e.messageId, inReplyTo: e.inReplyTo, conversationIndex: e.conversationIndex, trackingToken: e.trackingToken,
      subject: e.subject, correlationMethod: e.correlationMethod, correlationMethodLabel: e.correlationMethodLabel,
      correlatedActivity: e.correlatedActivity, parentActivity: e.parentActivity, regarding: e.regarding, acceptingEntity: e.acceptingEntity,
      receivingMailbox: e.receivingMailbox, createdOn: e.createdOn, direction: e.direction, sender: e.sender ?? from, toRecipients: e.toRecipients ?? (to.join('; ') || null),
    });
    if (!sentOn) { problem(e, 'senton', `email "${e.subject ?? e.id}" has neither Date Sent nor Created On; not loaded as a tracked email (its date orders candidates)`); continue; }
    if (!e.direction) problem(e, 'directioncode', `email "${e.subject ?? e.id}" has no Direction; taken as incoming`);
    tracked.push({
      id: e.id, messageId: e.messageId, subject: e.subject ?? '', trackingToken: e.trackingToken, conversationIndex: conversationIndexBase64(e.conversationIndex),
      direction: e.direction ?? 'incoming', from, to, cc: addrs(3), sentOn, regarding,
    });
  }

  const org = orgs[orgs.length - 1];
  if (orgs.length > 1) problems.push({ file: org!.file, table: 'organization', row: org!.row, column: null, problem: `${orgs.length} organization rows were loaded; the settings of this one are used` });
  return {
    organization: org ? { id: org.id, name: org.name, settings: org.settings, unknownSettings: org.unknownSettings } : null,
    directory, mailboxes, tracked, auditEmails, problems,
  };
}
