// scenario.json (SCENARIO-FORMAT.md): validation with messages naming the file, the key and what was
// expected; conversion to ReplayInput; results to `scenario run --json` objects; `check` comparison.

import { OUTCOMES, type Decision, type DirectoryEntry, type DirectoryKind, type FilteringMethod, type MailboxConfig, type MessageFacts, type ReplayInput, type TrackedEmail, type TrackedFolder, DEFAULT_SETTINGS, type Settings, validateSettings, TokenIssuer } from '../engine/index.js';
import { z } from 'zod';

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

export const EXPECT_KEYS = ['tracked', 'outcome', 'correlationMethod', 'correlationMethodCode', 'correlatedTo', 'parent', 'regarding', 'acceptingEntity', 'receivingMailbox'] as const;
const METHODS = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'];

// The shape of scenario.json, in zod (the project reads every file format through zod). Every message
// names what was expected, so an issue reads "<file>: <key>: <expectation>" as SCENARIO-FORMAT.md asks.
// References between parts (owners, mailboxes, files, tracked ids, counters) are checked after the shape.
const got = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const str = (what = 'a string') => z.string({ error: (i) => `expected ${what}, got ${got(i.input)}` });
const bool = () => z.boolean({ error: 'expected true or false' });
const strList = () => z.array(z.string(), { error: 'expected an array of strings' });
const isoDate = () => z.string({ error: (i) => `expected an ISO date-time such as 2024-01-01T00:00:00Z, got ${got(i.input)}` })
  .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v), { error: (i) => `expected an ISO date-time such as 2024-01-01T00:00:00Z, got ${got(i.input)}` });
/** An object that refuses keys it does not know, naming the ones it does. */
function obj<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (i) => (i.code === 'unrecognized_keys' ? `unknown key (expected one of ${keys})` : 'expected an object') });
}
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected an array of objects' });

const ownerField = z.union([z.string(), z.null()], { error: 'expected a user id or a user:/queue: reference' }).optional();
const rowShape = { id: str(), name: z.string().optional(), emails: strList().optional(), owner: ownerField, active: bool().optional() };
const userRow = obj({ ...rowShape, trackingNumber: z.number({ error: 'expected a non-negative integer' }).int({ error: 'expected a non-negative integer' }).min(0, { error: 'expected a non-negative integer' }).optional(), disabled: bool().optional() });
const plainRow = obj(rowShape);
const recordRow = obj({ ...rowShape, table: str() });
const folderEntry = z.union([z.string(), obj({ folder: str(), regarding: z.union([z.string(), z.null()]).optional() })], { error: 'expected a folder path or { folder, regarding }' });

const ScenarioSchema = obj({
  title: str(), lesson: str(),
  organization: z.unknown().optional(),
  directory: obj({ users: list(userRow).optional(), queues: list(plainRow).optional(), contacts: list(plainRow).optional(), accounts: list(plainRow).optional(), leads: list(plainRow).optional(), records: list(recordRow).optional() }).optional(),
  mailboxes: list(obj({
    owner: str(), address: str(),
    filter: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: 'expected an integer 0–4' }).optional(),
    processEmailsFrom: z.union([isoDate(), z.null()]).optional(),
    trackedFolders: z.array(folderEntry, { error: 'expected an array' }).optional(),
    incoming: bool().optional(),
  })).optional(),
  tracked: list(obj({
    id: str(), messageId: z.string().nullable().optional(), subject: str().optional(), trackingToken: z.string().nullable().optional(),
    issueToken: str('a user: or queue: reference').optional(), conversationIndex: z.string().nullable().optional(),
    direction: z.enum(['outgoing', 'incoming'], { error: 'expected "outgoing" or "incoming"' }).optional(),
    from: z.string().nullable().optional(), to: strList().optional(), cc: strList().optional(), sentOn: isoDate(), regarding: z.string().nullable().optional(),
  })).optional(),
  counters: z.record(z.string(), z.unknown(), { error: 'expected an object of user references to counter values, such as { "user:alice": 998 }' }).optional(),
  messages: list(obj({ file: str(), mailbox: str(), folder: str().optional() })).optional(),
  expect: list(obj({
    file: str(), tracked: bool().optional(),
    outcome: z.enum(OUTCOMES, { error: `expected one of ${OUTCOMES.join(', ')}` }).optional(),
    correlationMethod: z.enum(METHODS as [string, ...string[]], { error: `expected one of ${METHODS.join(', ')}` }).optional(),
    correlationMethodCode: z.number({ error: 'expected an integer' }).int().optional(),
    correlatedTo: z.string().nullable().optional(), parent: z.string().nullable().optional(), regarding: z.string().nullable().optional(),
    acceptingEntity: z.string().nullable().optional(), receivingMailbox: z.string().nullable().optional(),
  })).optional(),
  $schema: z.string().optional(),
  description: z.string().optional(),
});

/** A zod path as the format writes keys: `mailboxes[0].trackedFolders[1]`. */
function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'scenario';
}

/** Validates a parsed scenario.json. `file` names it in every message; `exists` checks message files. */
export function parseScenario(raw: unknown, file: string, exists: (rel: string) => boolean): Scenario {
  const errs: string[] = [];
  const err = (key: string, msg: string): void => { errs.push(`${file}: ${key}: ${msg}`); };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScenarioError(`${file}: expected a JSON object at the top level`);
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys') for (const k of i.keys) err(i.path.length ? `${keyPath(i.path)}.${k}` : k, i.message);
      else err(keyPath(i.path), i.message);
    }
    throw new ScenarioError(errs.join('\n'));
  }
  const sc = parsed.data;

  let settings = DEFAULT_SETTINGS;
  if (sc.organization !== undefined) {
    const v = validateSettings(sc.organization);
    if (v.ok) settings = v.settings;
    else for (const e of v.errors) err('organization', e.message);
  }

  // Directory
  const directory: DirectoryEntry[] = [];
  const kinds: [keyof NonNullable<typeof sc.directory>, DirectoryKind, string][] = [['users', 'user', 'systemuser'], ['queues', 'queue', 'queue'], ['contacts', 'contact', 'contact'], ['accounts', 'account', 'account'], ['leads', 'lead', 'lead'], ['records', 'record', '']];
  for (const [key, kind, table] of kinds) {
    (sc.directory?.[key] ?? []).forEach((r, i) => {
      const p = `directory.${key}[${i}]`;
      const tbl = kind === 'record' && 'table' in r ? (r.table as string) : table;
      let owner: string | null = null;
      if (typeof r.owner === 'string') {
        owner = r.owner.includes(':') ? r.owner : `user:${r.owner}`;
        if (!/^(user|queue):[^:]+$/.test(owner)) { err(`${p}.owner`, `expected a user id or a user:/queue: reference, got ${JSON.stringify(r.owner)}`); owner = null; }
      }
      const entry: DirectoryEntry = {
        kind, ref: `${kind === 'record' ? tbl : kind}:${r.id}`, id: r.id, table: tbl, name: r.name ?? r.id,
        emails: r.emails ?? [], active: r.active !== false, owner,
      };
      if ('trackingNumber' in r && typeof r.trackingNumber === 'number') entry.trackingNumber = r.trackingNumber;
      if ('disabled' in r && r.disabled === true) entry.disabled = true;
      directory.push(entry);
    });
  }
  const refs = new Set(directory.map((e) => e.ref));
  for (const e of directory) if (e.owner && !refs.has(e.owner)) err(`directory ${e.ref}.owner`, `dangling reference ${e.owner} (expected a user or queue of the directory)`);
  const byRef = new Map(directory.map((e) => [e.ref, e]));

  // counters: a user's next counter value (usersettings.nexttrackingnumber, SCENARIO-FORMAT.md).
  const counters: Record<string, number> = {};
  const maxCounter = settings.maximumtrackingnumber;
  for (const [k, v] of Object.entries(sc.counters ?? {})) {
    const ref = k.includes(':') ? k : `user:${k}`;
    if (!ref.startsWith('user:') || !refs.has(ref)) err(`counters.${k}`, `expected a user of the directory (a queue uses its owner's counter), got ${JSON.stringify(k)}`);
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > maxCounter) err(`counters.${k}`, `expected an integer 0–${maxCounter} (maximumtrackingnumber), got ${JSON.stringify(v)}`);
    else counters[ref] = v;
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

  const mailboxes: MailboxConfig[] = (sc.mailboxes ?? []).map((r, i) => {
    const p = `mailboxes[${i}]`;
    if (!(/^(user|queue):/.test(r.owner) && refs.has(r.owner))) err(`${p}.owner`, `expected user:<id> or queue:<id> of the directory, got ${JSON.stringify(r.owner)}`);
    const filter: FilteringMethod = r.filter ?? (r.owner.startsWith('queue:') ? 0 : 1);
    const trackedFolders: TrackedFolder[] = (r.trackedFolders ?? []).map((f) => (typeof f === 'string' ? { folder: f, regarding: null } : { folder: f.folder, regarding: f.regarding ?? null }));
    return { owner: r.owner, address: r.address, filter, processEmailsFrom: r.processEmailsFrom ?? null, trackedFolders, incoming: r.incoming !== false };
  });
  const mbxAddrs = new Set(mailboxes.map((m) => m.address.toLowerCase()));

  const tracked: TrackedEmail[] = (sc.tracked ?? []).map((r, i) => {
    const p = `tracked[${i}]`;
    let token: string | null = r.trackingToken ?? null;
    if (r.issueToken !== undefined) {
      if (r.trackingToken !== undefined) err(`${p}.issueToken`, 'expected either trackingToken or issueToken, not both');
      else {
        const u = counterUser(r.issueToken.includes(':') ? r.issueToken : `user:${r.issueToken}`, `${p}.issueToken`);
        if (u) {
          // A user without trackingNumber takes its position among the directory's users (1-based).
          const t = issuer.issue(u.ref, u.trackingNumber ?? users.indexOf(u) + 1);
          if (t.ok) token = t.issued.token;
          else err(`${p}.issueToken`, t.error);
        }
      }
    }
    return {
      id: r.id, messageId: r.messageId ?? null, subject: r.subject ?? '', trackingToken: token, conversationIndex: r.conversationIndex ?? null,
      direction: r.direction ?? 'outgoing', from: r.from ?? null, to: r.to ?? [], cc: r.cc ?? [], sentOn: r.sentOn, regarding: r.regarding ?? null,
    };
  });
  const trackedIds = new Set(tracked.map((t) => t.id));

  const messages: ScenarioMessage[] = (sc.messages ?? []).map((r, i) => {
    const p = `messages[${i}]`;
    const m = { file: r.file, mailbox: r.mailbox, folder: r.folder ?? 'Inbox' };
    if (m.file && !exists(m.file)) err(`${p}.file`, `missing file ${m.file}`);
    if (m.mailbox && !mbxAddrs.has(m.mailbox.toLowerCase())) err(`${p}.mailbox`, `dangling reference ${m.mailbox} (expected the address of one of mailboxes)`);
    return m;
  });
  const files = new Set(messages.map((m) => m.file));

  const expect: ExpectEntry[] = (sc.expect ?? []).map((r, i) => {
    const p = `expect[${i}]`;
    if (r.file && !files.has(r.file)) err(`${p}.file`, `dangling reference ${r.file} (expected the file of one of messages)`);
    for (const k of ['correlatedTo', 'parent'] as const) {
      const v = r[k];
      if (v !== undefined && v !== null && !(trackedIds.has(v) || files.has(v))) err(`${p}.${k}`, `dangling reference ${JSON.stringify(v)} (expected a tracked id or a message file)`);
    }
    return r as ExpectEntry;
  });

  if (errs.length) throw new ScenarioError(errs.join('\n'));
  return { title: sc.title, lesson: sc.lesson, settings, directory, mailboxes, tracked, messages, expect };
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
