// Which part of a workspace a case needs (issue 13, "A real case as a scenario"): the message, the
// earlier messages and tracked emails its decision looked at (followed through correlatedTo / parent,
// and the record a Duplicate verdict found), the directory rows those messages' addresses resolve to
// (all of them: the sender rule of SIMULATOR §5 chooses among several rows, so dropping one could change
// the winner), their owners, the mailboxes involved and the settings that differ from the defaults.
// Pure: the caller hands in what it read from the workspace.

import { DEFAULT_SETTINGS, type Settings, SETTINGS_META, normAddress, processingTime, normMessageId, type Decision, type DirectoryEntry, type MailboxConfig, type MessageFacts, type TrackedEmail } from '../engine/index.js';

export class CaseError extends Error {
  override readonly name = 'CaseError';
}

export interface CaseSource {
  /** Every top-level message of the workspace (facts keyed by the message row id). */
  messages: readonly MessageFacts[];
  /** The decisions of the latest run, in processing order. */
  decisions: readonly Decision[];
  directory: readonly DirectoryEntry[];
  mailboxes: readonly MailboxConfig[];
  tracked: readonly TrackedEmail[];
  /** The settings of the latest run. */
  settings: Settings;
}

export interface CaseSelection {
  /** Message keys in processing order (the decision's own message last among those before it). */
  messages: MessageFacts[];
  decisions: Map<string, Decision>;
  tracked: TrackedEmail[];
  directory: DirectoryEntry[];
  mailboxes: MailboxConfig[];
  /** Only the settings that differ from DEFAULT_SETTINGS. */
  organization: Partial<Settings>;
  /** Mailbox owners missing from the workspace directory (added to the scenario as bare users). */
  missingOwners: string[];
}

/** Settings of a run that differ from the defaults, by their Microsoft / spec names. */
export function nonDefaultSettings(s: Settings): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const m of SETTINGS_META) {
    const v = s[m.key];
    if (v !== undefined && JSON.stringify(v) !== JSON.stringify(DEFAULT_SETTINGS[m.key])) out[m.key] = v;
  }
  return out as Partial<Settings>;
}

function addressesOf(m: MessageFacts): string[] {
  return [m.from, ...m.to, ...m.cc, ...m.bcc].filter((a): a is string => !!a).map(normAddress);
}

export function selectCase(src: CaseSource, key: string): CaseSelection {
  const byKey = new Map(src.messages.map((m) => [m.key, m]));
  const decisions = new Map(src.decisions.map((d) => [d.key, d]));
  const seq = new Map(src.decisions.map((d, i) => [d.key, i]));
  const target = byKey.get(key);
  if (!target) throw new CaseError(`no message ${key} in the workspace`);
  const targetDecision = decisions.get(key);
  if (!targetDecision) throw new CaseError(`the latest replay has no decision for message ${key} (replay the workspace again)`);
  const trackedById = new Map(src.tracked.map((t) => [t.id, t]));

  const keys = new Set<string>();
  const trackedIds = new Set<string>();
  const follow = (k: string): void => {
    if (keys.has(k)) return;
    keys.add(k);
    const d = decisions.get(k);
    const m = byKey.get(k);
    if (!d || !m) return;
    for (const ref of [d.correlatedTo, d.parent]) {
      if (!ref) continue;
      if (trackedById.has(ref)) trackedIds.add(ref);
      else if (byKey.has(ref)) follow(ref);
    }
    if (d.outcome === 'Duplicate') {
      // The store record with the same Message-ID: a tracked email, or an earlier message tracked in the run.
      const mid = normMessageId(m.messageId);
      const pos = seq.get(k) ?? Infinity;
      for (const t of src.tracked) if (mid && normMessageId(t.messageId) === mid) trackedIds.add(t.id);
      for (const other of src.messages) {
        const od = decisions.get(other.key);
        if (od?.tracked && (seq.get(other.key) ?? Infinity) < pos && mid && normMessageId(other.messageId) === mid) follow(other.key);
      }
    }
  };
  follow(key);

  const messages = [...keys].map((k) => byKey.get(k) as MessageFacts)
    .sort((a, b) => (seq.get(a.key) ?? 0) - (seq.get(b.key) ?? 0));
  const tracked = src.tracked.filter((t) => trackedIds.has(t.id));

  // Directory rows: every row any involved address matches, then their owners and the mailboxes' owners.
  const addrs = new Set<string>();
  for (const m of messages) {
    for (const a of addressesOf(m)) addrs.add(a);
    addrs.add(normAddress(m.mailbox));
  }
  for (const t of tracked) for (const a of [t.from, ...t.to, ...t.cc]) if (a) addrs.add(normAddress(a));
  const refs = new Set<string>();
  for (const e of src.directory) if (e.emails.some((a) => addrs.has(normAddress(a)))) refs.add(e.ref);
  for (const d of [...keys].map((k) => decisions.get(k))) {
    for (const r of [d?.acceptingEntity, d?.sender]) if (r) refs.add(r);
  }
  const mbxAddrs = new Set(messages.map((m) => normAddress(m.mailbox)));
  // Recipients' own mailboxes take part in acceptance (SIMULATOR §6): a mailbox comes along when its
  // address is involved or its owner is one of the rows.
  const mailboxes = src.mailboxes.filter((b) => mbxAddrs.has(normAddress(b.address)) || addrs.has(normAddress(b.address)) || refs.has(b.owner));
  for (const b of mailboxes) refs.add(b.owner);
  const dirByRef = new Map(src.directory.map((e) => [e.ref, e]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of [...refs]) {
      const owner = dirByRef.get(r)?.owner;
      if (owner && !refs.has(owner) && dirByRef.has(owner)) { refs.add(owner); grew = true; }
    }
  }
  const directory = src.directory.filter((e) => refs.has(e.ref));
  const missingOwners = [...new Set(mailboxes.map((b) => b.owner))].filter((o) => !dirByRef.has(o));
  // A row's owner outside the directory would dangle in scenario.json: keep the row, drop the owner.
  const kept = new Set(directory.map((e) => e.ref));
  const cleaned = directory.map((e) => (e.owner && !kept.has(e.owner) && !missingOwners.includes(e.owner) ? { ...e, owner: null } : e));

  return {
    messages, decisions, tracked, directory: cleaned, mailboxes, organization: nonDefaultSettings(src.settings), missingOwners,
  };
}

/** Processing time, for the lesson text. */
export function whenProcessed(m: MessageFacts): string | null {
  const t = processingTime(m);
  return t === null ? null : new Date(t).toISOString();
}
