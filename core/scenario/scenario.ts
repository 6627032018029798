// scenario.json (SCENARIO-FORMAT.md): validation with messages naming the file, the key and what was
// expected; conversion to ReplayInput; results to `scenario run --json` objects; `check` comparison.

import type { Decision, DirectoryEntry, DirectoryKind, FilteringMethod, MailboxConfig, MessageFacts, ReplayInput, TrackedEmail, TrackedFolder } from '../engine/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../engine/settings.js';
import { validateSettings } from '../engine/settingsMeta.js';
import { TokenIssuer } from '../engine/tokens.js';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export interface ScenarioMessage { file: string; mailbox: string; folder: string }
export interface ExpectEntry { file: string; [key: string]: unknown }
export interface Scenario {
  title: string;
  lesson: string;
  settings: Settings;
  directory: DirectoryEntry[];
  mailboxes: MailboxConfig[];
  tracked: TrackedEmail[];
  messages: ScenarioMessage[];
  expect: ExpectEntry[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const EXPECT_KEYS = ['tracked', 'outcome', 'correlationMethod', 'correlationMethodCode', 'correlatedTo', 'parent', 'regarding', 'acceptingEntity', 'receivingMailbox'] as const;
const OUTCOMES = ['NotProcessed', 'NotInTrackedFolder', 'BeforeProcessEmailsFrom', 'UnsupportedPec', 'UnsupportedEncrypted', 'Duplicate', 'InvalidSender', 'NoRecipientMatch', 'NoCorrelationMatch', 'InternalEmailReject', 'CorrelationMatch', 'SenderMatch', 'AcceptAll', 'FolderLevelTracking'];
const METHODS = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];

/** Validates a parsed scenario.json. `file` names it in every message; `exists` checks message files. */
export function parseScenario(raw: unknown, file: string, exists: (rel: string) => boolean): Scenario {
  const errs: string[] = [];
  const err = (key: string, msg: string): void => { errs.push(`${file}: ${key}: ${msg}`); };
  if (!isObj(raw)) throw new ScenarioError(`${file}: expected a JSON object at the top level`);
  const allowTop = ['title', 'lesson', 'organization', 'directory', 'mailboxes', 'tracked', 'counters', 'messages', 'expect', '$schema', 'description'];
  for (const k of Object.keys(raw)) if (!allowTop.includes(k)) err(k, `unknown key (expected one of ${allowTop.join(', ')})`);
  const str = (o: Obj, k: string, path: string, required = true): string => {
    const v = o[k];
    if (typeof v === 'string') return v;
    if (v === undefined && !required) return '';
    err(`${path}.${k}`, `expected a string, got ${JSON.stringify(v)}`);
    return '';
  };
  const unknown = (o: Obj, allowed: string[], path: string): void => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) err(`${path}.${k}`, `unknown key (expected one of ${allowed.join(', ')})`);
  };
  const date = (v: unknown, path: string, nullable: boolean): string | null => {
    if (v === null || v === undefined) { if (!nullable) err(path, 'expected an ISO date-time'); return null; }
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}/.test(v)) { err(path, `expected an ISO date-time such as 2024-01-01T00:00:00Z, got ${JSON.stringify(v)}`); return null; }
    return v;
  };
  const strList = (v: unknown, path: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) { err(path, 'expected an array of strings'); return []; }
    return v as string[];
  };
  const arr = (v: unknown, path: string): Obj[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => !isObj(x))) { err(path, 'expected an array of objects'); return []; }
    return v as Obj[];
  };

  const title = str(raw, 'title', 'scenario');
  const lesson = str(raw, 'lesson', 'scenario');
  let settings = DEFAULT_SETTINGS;
  if (raw.organization !== undefined) {
    const v = validateSettings(raw.organization);
    if (v.ok) settings = v.settings;
    else for (const e of v.errors) err('organization', e.message);
  }

  // Directory
  const directory: DirectoryEntry[] = [];
  const dir = raw.directory === undefined ? {} : raw.directory;
  if (!isObj(dir)) err('directory', 'expected an object');
  else {
    unknown(dir, ['users', 'queues', 'contacts', 'accounts', 'leads', 'records'], 'directory');
    const kinds: [string, DirectoryKind, string][] = [['users', 'user', 'systemuser'], ['queues', 'queue', 'queue'], ['contacts', 'contact', 'contact'], ['accounts', 'account', 'account'], ['leads', 'lead', 'lead'], ['records', 'record', '']];
    for (const [key, kind, table] of kinds) {
      arr(dir[key], `directory.${key}`).forEach((r, i) => {
        const p = `directory.${key}[${i}]`;
        unknown(r, ['id', 'name', 'emails', 'owner', 'active', ...(kind === 'user' ? ['trackingNumber', 'disabled'] : []), ...(kind === 'record' ? ['table'] : [])], p);
        const id = str(r, 'id', p);
        const tbl = kind === 'record' ? str(r, 'table', p) : table;
        if (r.active !== undefined && typeof r.active !== 'boolean') err(`${p}.active`, 'expected true or false');
        if (r.disabled !== undefined && typeof r.disabled !== 'boolean') err(`${p}.disabled`, 'expected true or false');
        if (r.trackingNumber !== undefined && !(Number.isInteger(r.trackingNumber) && (r.trackingNumber as number) >= 0)) err(`${p}.trackingNumber`, 'expected a non-negative integer');
        let owner: string | null = null;
        if (typeof r.owner === 'string') {
          owner = r.owner.includes(':') ? r.owner : `user:${r.owner}`;
          if (!/^(user|queue):[^:]+$/.test(owner)) { err(`${p}.owner`, `expected a user id or a user:/queue: reference, got ${JSON.stringify(r.owner)}`); owner = null; }
        } else if (r.owner !== undefined && r.owner !== null) err(`${p}.owner`, 'expected a user id or a user:/queue: reference');
        const entry: DirectoryEntry = {
          kind, ref: `${kind === 'record' ? tbl : kind}:${id}`, id, table: tbl, name: typeof r.name === 'string' ? r.name : id,
          emails: strList(r.emails, `${p}.emails`), active: r.active !== false, owner,
        };
        if (typeof r.trackingNumber === 'number') entry.trackingNumber = r.trackingNumber;
        if (r.disabled === true) entry.disabled = true;
        directory.push(entry);
      });
    }
  }
  const refs = new Set(directory.map((e) => e.ref));
  for (const e of directory) if (e.owner && !refs.has(e.owner)) err(`directory ${e.ref}.owner`, `dangling reference ${e.owner} (expected a user or queue of the directory)`);
  const byRef = new Map(directory.map((e) => [e.ref, e]));

  // counters: a user's next counter value (usersettings.nexttrackingnumber, SCENARIO-FORMAT.md).
  const counters: Record<string, number> = {};
  const maxCounter = settings.maximumtrackingnumber;
  if (raw.counters !== undefined) {
    if (!isObj(raw.counters)) err('counters', 'expected an object of user references to counter values, such as { "user:alice": 998 }');
    else for (const [k, v] of Object.entries(raw.counters)) {
      const ref = k.includes(':') ? k : `user:${k}`;
      if (!ref.startsWith('user:') || !refs.has(ref)) err(`counters.${k}`, `expected a user of the directory (a queue uses its owner's counter), got ${JSON.stringify(k)}`);
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > maxCounter) err(`counters.${k}`, `expected an integer 0–${maxCounter} (maximumtrackingnumber), got ${JSON.stringify(v)}`);
      else counters[ref] = v;
    }
  }
  // Without counters a user's first counter is 1 (SIMULATOR §8 details).
  const issuer = new TokenIssuer(settings, 1, counters);
  const users = directory.filter((e) => e.kind === 'user');
  /** The user whose counter and number a token for `ref` uses: the user, or a queue's owner. */
  const counterUser = (ref: string, path: string): DirectoryEntry | null => {
    const e = byRef.get(ref);
    if (!e || (e.kind !== 'user' && e.kind !== 'queue')) { err(path, `expected a user: or queue: reference of the directory, got ${JSON.stringify(ref)}`); return null; }
    if (e.kind === 'user') return e;
    const owner = e.owner ? byRef.get(e.owner) : undefined;
    if (!owner || owner.kind !== 'user') { err(path, `the queue ${ref} has no owner that is a user, so it has no counter (a queue uses its owner's counter)`); return null; }
    return owner;
  };

  const mailboxes: MailboxConfig[] = arr(raw.mailboxes, 'mailboxes').map((r, i) => {
    const p = `mailboxes[${i}]`;
    unknown(r, ['owner', 'address', 'filter', 'processEmailsFrom', 'trackedFolders', 'incoming'], p);
    const owner = str(r, 'owner', p);
    if (owner && !(/^(user|queue):/.test(owner) && refs.has(owner))) err(`${p}.owner`, `expected user:<id> or queue:<id> of the directory, got ${JSON.stringify(owner)}`);
    const filter = r.filter === undefined ? (owner.startsWith('queue:') ? 0 : 1) : r.filter;
    if (typeof filter !== 'number' || ![0, 1, 2, 3, 4].includes(filter)) err(`${p}.filter`, 'expected an integer 0–4');
    const trackedFolders: TrackedFolder[] = [];
    if (r.trackedFolders !== undefined) {
      if (!Array.isArray(r.trackedFolders)) err(`${p}.trackedFolders`, 'expected an array');
      else r.trackedFolders.forEach((f: unknown, j: number) => {
        if (typeof f === 'string') trackedFolders.push({ folder: f, regarding: null });
        else if (isObj(f)) {
          unknown(f, ['folder', 'regarding'], `${p}.trackedFolders[${j}]`);
          trackedFolders.push({ folder: str(f, 'folder', `${p}.trackedFolders[${j}]`), regarding: typeof f.regarding === 'string' ? f.regarding : null });
        } else err(`${p}.trackedFolders[${j}]`, 'expected a folder path or { folder, regarding }');
      });
    }
    if (r.incoming !== undefined && typeof r.incoming !== 'boolean') err(`${p}.incoming`, 'expected true or false');
    return { owner, address: str(r, 'address', p), filter: filter as FilteringMethod, processEmailsFrom: date(r.processEmailsFrom, `${p}.processEmailsFrom`, true), trackedFolders, incoming: r.incoming !== false };
  });
  const mbxAddrs = new Set(mailboxes.map((m) => m.address.toLowerCase()));

  const tracked: TrackedEmail[] = arr(raw.tracked, 'tracked').map((r, i) => {
    const p = `tracked[${i}]`;
    unknown(r, ['id', 'messageId', 'subject', 'trackingToken', 'issueToken', 'conversationIndex', 'direction', 'from', 'to', 'cc', 'sentOn', 'regarding'], p);
    const dir2 = r.direction ?? 'outgoing';
    let token: string | null = typeof r.trackingToken === 'string' ? r.trackingToken : null;
    if (r.issueToken !== undefined) {
      if (r.trackingToken !== undefined) err(`${p}.issueToken`, 'expected either trackingToken or issueToken, not both');
      else if (typeof r.issueToken !== 'string') err(`${p}.issueToken`, 'expected a user: or queue: reference');
      else {
        const u = counterUser(r.issueToken.includes(':') ? r.issueToken : `user:${r.issueToken}`, `${p}.issueToken`);
        if (u) {
          // A user without trackingNumber takes its position among the directory's users (1-based).
          const n = u.trackingNumber ?? users.indexOf(u) + 1;
          const t = issuer.issue(u.ref, n);
          if (t.ok) token = t.issued.token;
          else err(`${p}.issueToken`, t.error);
        }
      }
    }
    if (dir2 !== 'outgoing' && dir2 !== 'incoming') err(`${p}.direction`, 'expected "outgoing" or "incoming"');
    return {
      id: str(r, 'id', p), messageId: typeof r.messageId === 'string' ? r.messageId : null, subject: str(r, 'subject', p, false),
      trackingToken: token, conversationIndex: typeof r.conversationIndex === 'string' ? r.conversationIndex : null,
      direction: dir2 as 'incoming' | 'outgoing', from: typeof r.from === 'string' ? r.from : null, to: strList(r.to, `${p}.to`), cc: strList(r.cc, `${p}.cc`),
      sentOn: date(r.sentOn, `${p}.sentOn`, false) ?? '1970-01-01T00:00:00Z', regarding: typeof r.regarding === 'string' ? r.regarding : null,
    };
  });
  const trackedIds = new Set(tracked.map((t) => t.id));

  const messages: ScenarioMessage[] = arr(raw.messages, 'messages').map((r, i) => {
    const p = `messages[${i}]`;
    unknown(r, ['file', 'mailbox', 'folder'], p);
    const m = { file: str(r, 'file', p), mailbox: str(r, 'mailbox', p), folder: typeof r.folder === 'string' ? r.folder : 'Inbox' };
    if (m.file && !exists(m.file)) err(`${p}.file`, `missing file ${m.file}`);
    if (m.mailbox && !mbxAddrs.has(m.mailbox.toLowerCase())) err(`${p}.mailbox`, `dangling reference ${m.mailbox} (expected the address of one of mailboxes)`);
    return m;
  });
  const files = new Set(messages.map((m) => m.file));

  const expect: ExpectEntry[] = arr(raw.expect, 'expect').map((r, i) => {
    const p = `expect[${i}]`;
    unknown(r, ['file', ...EXPECT_KEYS], p);
    const f = str(r, 'file', p);
    if (f && !files.has(f)) err(`${p}.file`, `dangling reference ${f} (expected the file of one of messages)`);
    if (r.outcome !== undefined && !OUTCOMES.includes(r.outcome as string)) err(`${p}.outcome`, `expected one of ${OUTCOMES.join(', ')}`);
    if (r.correlationMethod !== undefined && !METHODS.includes(r.correlationMethod as string)) err(`${p}.correlationMethod`, `expected one of ${METHODS.join(', ')}`);
    for (const k of ['correlatedTo', 'parent'] as const) {
      const v = r[k];
      if (v !== undefined && v !== null && !(typeof v === 'string' && (trackedIds.has(v) || files.has(v)))) err(`${p}.${k}`, `dangling reference ${JSON.stringify(v)} (expected a tracked id or a message file)`);
    }
    return r as ExpectEntry;
  });

  if (errs.length) throw new ScenarioError(errs.join('\n'));
  return { title, lesson, settings, directory, mailboxes, tracked, messages, expect };
}

/** ReplayInput from a scenario and the facts of its messages (in `messages` order). */
export function toReplayInput(sc: Scenario, facts: MessageFacts[]): ReplayInput {
  return { settings: sc.settings, directory: { entries: sc.directory }, mailboxes: sc.mailboxes, tracked: sc.tracked, messages: facts };
}

export interface RunResult {
  file: string;
  outcome: string;
  tracked: boolean;
  correlationMethod: string;
  correlationMethodCode: number;
  correlatedTo: string | null;
  parent: string | null;
  regarding: string | null;
  acceptingEntity: string | null;
  receivingMailbox: string | null;
  sender: string | null;
  flags: string[];
  internetMessageHeaders: Record<string, string> | null;
  trace: { stage: string; result: string; detail: string; settings?: string[]; undocumented?: boolean }[];
}

/** Decisions → `scenario run --json` objects, in processing order; message keys are the scenario files. */
export function toRunResults(decisions: readonly Decision[]): RunResult[] {
  return decisions.map((d) => ({
    file: d.key, outcome: d.outcome, tracked: d.tracked, correlationMethod: d.correlationMethod, correlationMethodCode: d.correlationMethodCode,
    correlatedTo: d.correlatedTo, parent: d.parent, regarding: d.regarding, acceptingEntity: d.acceptingEntity, receivingMailbox: d.receivingMailbox,
    sender: d.sender, flags: d.flags, internetMessageHeaders: d.internetMessageHeaders,
    trace: d.trace.map((t) => ({ stage: t.stage, result: t.result, detail: t.detail, ...(t.settings?.length ? { settings: t.settings } : {}), ...(t.undocumented ? { undocumented: true } : {}) })),
  }));
}

export interface Mismatch { file: string; key: string; expected: unknown; actual: unknown }

/** Compare expect entries with results; returns passed count and mismatches (one per failing key). */
export function checkExpect(expect: readonly ExpectEntry[], results: readonly RunResult[]): { passed: number; failed: number; mismatches: Mismatch[] } {
  const byFile = new Map(results.map((r) => [r.file, r]));
  let passed = 0;
  let failed = 0;
  const mismatches: Mismatch[] = [];
  for (const e of expect) {
    const r = byFile.get(e.file) as unknown as Record<string, unknown> | undefined;
    let ok = true;
    for (const k of Object.keys(e)) {
      if (k === 'file') continue;
      const actual = r ? r[k] : undefined;
      if (actual !== e[k]) { ok = false; mismatches.push({ file: e.file, key: k, expected: e[k], actual: actual ?? null }); }
    }
    if (ok) passed++;
    else failed++;
  }
  return { passed, failed, mismatches };
}
