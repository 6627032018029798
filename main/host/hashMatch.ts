// Host handler of the Hash match view's near-miss list (issue 15): for a message, the tracked emails smart
// matching could have compared it with, ranked by how close each came to SIMULATOR §3.2's conditions
// (fewest failing conditions, then most shared hashes), each with what it misses by. Hashing and the
// rules are the engine's own (core/engine/primitives/smartMatch.ts); this module only gathers the candidates the
// engine's tracked store held when the message was processed (tracked emails loaded before the replay,
// then messages tracked earlier in the run) and words the result.
import type { MethodInput, MethodOutput, NearMiss, NearMissCriterion, NearMissView } from '../../core/contract/contract.js';
import { DEFAULT_SETTINGS, type Settings, addressHashes, addressOverlap, subjectRuleMatches, subjectWords, wordHash, type Decision } from '../../core/engine/index.js';
import { getDecision, getMessageRow, listRuns, loadTracked, type Workspace } from '../../core/node/workspace/index.js';

/** An email the engine's tracked store could hold, with what smart matching reads of it. */
export interface CandidateEmail {
  id: string;
  kind: 'tracked' | 'message';
  origin: NearMiss['origin'];
  subject: string;
  from: string | null;
  to: readonly string[];
  cc: readonly string[];
  date: string | null;
  /** ms: sentOn for tracked emails, processing time for messages (what the window compares). */
  time: number;
  /** Processing position in the run (−1: tracked before the replay, or not part of the run). */
  seq: number;
  /** For a message of the workspace: its outcome in the run. */
  outcome?: string | null;
}

export interface Hashed extends CandidateEmail {
  subjectHashes: number[];
  addressHashes: number[];
}

/** The message as smart matching sees it. */
export interface MessageSide {
  subject: string;
  from: string | null;
  to: readonly string[];
  cc: readonly string[];
  /** Processing time, ms (null: no usable date; the engine then compares at the end of time). */
  time: number | null;
}

type SmartSettings = Pick<Settings, 'hashfilterkeywords' | 'hashmaxcount' | 'addressHashOrder' | 'simSmartMatchingSubjectRule' | 'hashdeltasubjectcount' | 'hashminaddresscount' | 'simSmartMatchingWindowDays'>;

const DAY_MS = 86_400_000;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The engine's subject and address hashes of an email (SIMULATOR §3.2 points 1 and 2). */
export function hashEmail<T extends { subject: string; from: string | null; to: readonly string[]; cc: readonly string[] }>(e: T, s: SmartSettings): T & { subjectHashes: number[]; addressHashes: number[]; words: string[]; addresses: string[]; error: string | null } {
  const w = subjectWords(e.subject, s);
  const a = addressHashes(e.from, e.to, e.cc, s.hashmaxcount, s.addressHashOrder);
  return { ...e, subjectHashes: w.ok ? w.hashes : [], words: w.ok ? w.words : [], error: w.ok ? null : w.error, addressHashes: a.hashes, addresses: a.addresses };
}

export type HashedMessage = ReturnType<typeof hashEmail<MessageSide>>;

/** The subject condition in a line a user reads, with the engine's verdict. */
function subjectCriterion(m: HashedMessage, c: Hashed, s: SmartSettings): NearMissCriterion & { shared: number } {
  const rule = s.simSmartMatchingSubjectRule;
  const delta = s.hashdeltasubjectcount;
  if (m.error) return { kind: 'subject', ok: false, text: `no subject hashes: ${m.error}`, setting: 'hashfilterkeywords', shared: 0 };
  const r = subjectRuleMatches(m.subjectHashes, c.subjectHashes, rule, delta);
  const n = new Set(m.subjectHashes).size;
  const o = new Set(c.subjectHashes).size;
  const shared = r.sharedCount;
  const d = `(delta ${delta})`;
  let text: string;
  if (rule === 'A') {
    text = `subject rule A: ${n} vs ${o} subject words, counts differ by ${Math.abs(n - o)} ${d}`;
  } else if (rule === 'C') {
    const need = Math.max(0, Math.max(n, o) - delta);
    text = `subject rule C: ${plural(shared, 'shared subject word')}, ${need} needed ${d}`;
  } else if (r.match) {
    text = n === o && shared === n ? `subject rule B: the same ${plural(n, 'subject word')}` : `subject rule B: ${shared} shared, counts ${n} vs ${o} ${d}`;
  } else if (Math.abs(n - o) > delta) {
    text = `subject rule B: ${plural(Math.max(n, o) - shared, 'subject word')} ${Math.max(n, o) - shared === 1 ? 'differs' : 'differ'} ${d}`;
  } else {
    const missing = Math.min(n, o) - shared;
    text = `subject rule B: ${plural(missing, 'word')} of the shorter subject ${missing === 1 ? 'is' : 'are'} not in the other ${d}`;
  }
  return { kind: 'subject', ok: r.match, text, setting: 'hashdeltasubjectcount', shared };
}

/** How one candidate meets or misses each condition of SIMULATOR §3.2 against the message. */
export function evaluateCandidate(m: HashedMessage, c: Hashed, s: SmartSettings): NearMiss & { sharedHashes: number } {
  const subject = subjectCriterion(m, c, s);
  const sharedAddr = addressOverlap(m.addressHashes, c.addressHashes);
  const min = s.hashminaddresscount;
  const criteria: NearMissCriterion[] = [
    { kind: subject.kind, ok: subject.ok, text: subject.text, setting: subject.setting },
    {
      kind: 'addresses',
      ok: sharedAddr.length >= min,
      text: sharedAddr.length >= min ? `${plural(sharedAddr.length, 'shared address', 'shared addresses')}, ${min} needed` : `${min} shared addresses needed, ${sharedAddr.length} shared`,
      setting: 'hashminaddresscount',
    },
  ];
  if (s.simSmartMatchingWindowDays > 0) {
    const now = m.time ?? Number.MAX_SAFE_INTEGER;
    const ok = now - c.time <= s.simSmartMatchingWindowDays * DAY_MS;
    const days = Math.floor((now - c.time) / DAY_MS);
    criteria.push({ kind: 'window', ok, text: ok ? `within the ${s.simSmartMatchingWindowDays}-day window` : `tracked ${days} days before the message, outside the ${s.simSmartMatchingWindowDays}-day window`, setting: 'simSmartMatchingWindowDays' });
  }
  if (c.origin === 'not tracked') {
    criteria.push({ kind: 'tracked', ok: false, text: `not tracked when the message was processed${c.outcome ? ` (outcome ${c.outcome})` : ''}: smart matching only compares tracked email`, setting: null });
  }
  const sharedSet = new Set(c.subjectHashes);
  const addrSet = new Set(c.addressHashes);
  return {
    id: c.id, kind: c.kind, origin: c.origin, subject: c.subject, from: c.from, date: c.date,
    sharedWords: [...new Set(m.words)].filter((word) => sharedSet.has(wordHash(word))),
    sharedAddresses: m.addresses.filter((_, i) => addrSet.has(m.addressHashes[i] ?? NaN)),
    subjectWordCount: new Set(c.subjectHashes).size,
    failing: criteria.filter((x) => !x.ok).length,
    criteria,
    sharedHashes: subject.shared + sharedAddr.length,
  };
}

/** Closest first: fewest failing conditions, then most shared hashes, then the most recent (the engine's tie rule). */
export function rankNearMisses<T extends NearMiss & { sharedHashes: number; time: number; seq: number }>(list: T[]): T[] {
  return list.sort((a, b) => a.failing - b.failing || b.sharedHashes - a.sharedHashes || b.time - a.time || b.seq - a.seq);
}

/**
 * The ranked near misses of one message among `candidates` (already limited to what the engine's store
 * held when the message was processed). Candidates that share no hash at all are left out, unless the
 * settings let an email match without sharing any (rule A or C with nothing required, no address needed).
 */
export function nearMisses(message: MessageSide, candidates: readonly CandidateEmail[], s: SmartSettings, limit = 25): { words: string[]; addresses: string[]; error: string | null; sharing: number; nearest: (NearMiss & { sharedHashes: number })[] } {
  const m = hashEmail(message, s);
  const hashed = candidates.map((c) => hashCandidate(c, s));
  const r = rankAgainst(m, hashed, s, limit);
  return { words: m.words, addresses: m.addresses, error: m.error, sharing: r.sharing, nearest: r.ranked };
}

function hashCandidate(c: CandidateEmail, s: SmartSettings): Hashed {
  const h = hashEmail(c, s);
  return { ...c, subjectHashes: h.subjectHashes, addressHashes: h.addressHashes };
}

/**
 * Ranked: every candidate sharing a hash (or able to match without one), closest first, with the full
 * explanation for the first `limit` only. The ranking itself reads the engine's verdicts and counts (a
 * busy mailbox's address is on every tracked email, so all of them may share a hash); the sentences are
 * built for what is shown.
 */
export function rankAgainst(m: HashedMessage, hashed: readonly Hashed[], s: SmartSettings, limit = Infinity, keepAll = false): { sharing: number; ranked: (NearMiss & { sharedHashes: number; time: number; seq: number })[] } {
  const n = new Set(m.subjectHashes).size;
  const matchWithoutSharing = keepAll || s.hashminaddresscount <= 0 && (s.simSmartMatchingSubjectRule === 'A' || (s.simSmartMatchingSubjectRule === 'C' && n - s.hashdeltasubjectcount <= 0));
  const subj = new Set(m.subjectHashes);
  const addr = new Set(m.addressHashes);
  const now = m.time ?? Number.MAX_SAFE_INTEGER;
  const windowMs = s.simSmartMatchingWindowDays > 0 ? s.simSmartMatchingWindowDays * DAY_MS : Infinity;
  const scored: { c: Hashed; failing: number; shared: number }[] = [];
  for (const c of hashed) {
    // Both lists are duplicate-free already (subjectWords and addressHashes give sets).
    let sharedSubject = 0;
    for (const h of c.subjectHashes) if (subj.has(h)) sharedSubject++;
    let sharedAddress = 0;
    for (const h of c.addressHashes) if (addr.has(h)) sharedAddress++;
    // Most tracked emails share nothing with the message: they are not near.
    if (!matchWithoutSharing && sharedSubject === 0 && sharedAddress === 0) continue;
    const subjectOk = !m.error && subjectRuleMatches(m.subjectHashes, c.subjectHashes, s.simSmartMatchingSubjectRule, s.hashdeltasubjectcount).match;
    const failing = (subjectOk ? 0 : 1) + (sharedAddress >= s.hashminaddresscount ? 0 : 1) + (now - c.time <= windowMs ? 0 : 1) + (c.origin === 'not tracked' ? 1 : 0);
    scored.push({ c, failing, shared: sharedSubject + sharedAddress });
  }
  scored.sort((a, b) => a.failing - b.failing || b.shared - a.shared || b.c.time - a.c.time || b.c.seq - a.c.seq);
  const ranked = scored.slice(0, limit).map(({ c }) => ({ ...evaluateCandidate(m, c, s), time: c.time, seq: c.seq }));
  return { sharing: scored.length, ranked: rankNearMisses(ranked) };
}

/** Processing time from the stored Received and Date (rows keep only the topmost Received, SIMULATOR §2). */
function timeOf(received: string | null, date: string | null): number | null {
  for (const iso of [received, date]) {
    if (!iso) continue;
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t;
  }
  return null;
}

const BEFORE_CORRELATION = new Set(['NotProcessed', 'NotInTrackedFolder', 'BeforeProcessEmailsFrom', 'UnsupportedPec', 'UnsupportedEncrypted', 'Duplicate', 'InvalidSender']);

/** Why smart matching was not what decided this message, or null when it was tried and found nothing. */
export function smartMatchingNote(s: Pick<Settings, 'enablesmartmatching' | 'DisableSmartMatching'>, decision: Pick<Decision, 'outcome' | 'correlationMethod'> | null, hasRun = true): string | null {
  const off = !s.enablesmartmatching || s.DisableSmartMatching;
  const why = !s.enablesmartmatching ? 'enablesmartmatching is off' : 'DisableSmartMatching is on';
  if (!hasRun) {
    return `No replay has run yet: the list compares with the default settings${off ? ` (smart matching off: ${why}, so the engine would not try it)` : ''} and the tracked emails loaded before any replay.`;
  }
  if (off) return `Smart matching is off in this run (${why}), so the engine would not have tried it: the list shows what it would compare if it were on.`;
  if (!decision) return 'The latest run has no decision for this message: the list uses the tracked emails loaded before the replay.';
  if (BEFORE_CORRELATION.has(decision.outcome)) return `The message stopped before correlation (${decision.outcome}), so smart matching was not tried.`;
  if (decision.correlationMethod === 'InReplyTo' || decision.correlationMethod === 'TrackingToken' || decision.correlationMethod === 'ConversationIndex') {
    return `The message was correlated by ${decision.correlationMethod} before smart matching was reached.`;
  }
  return null;
}

interface Loaded {
  key: string;
  tracked: Hashed[];
  /** Messages tracked during the run, with their processing position. */
  runTracked: Hashed[];
}

export interface HashMatchContext {
  requireWs: () => Workspace;
  fail: (code: 'NOT_FOUND' | 'INVALID_INPUT', message: string) => never;
}

type Handler<M extends 'hash.nearMisses'> = (input: MethodInput<M>) => MethodOutput<M>;

const HASH_KEYS = ['hashfilterkeywords', 'hashmaxcount', 'addressHashOrder'] as const;

export function createHashMatchHandlers(ctx: HashMatchContext): { 'hash.nearMisses': Handler<'hash.nearMisses'> } {
  // The candidates of the last run asked about, hashed once: moving from message to message in the view
  // asks again and again. The key names what the hashes depend on; the tracked-email table is named by
  // its size and last rowid, since an organization load replaces it without a new run.
  let cached: Loaded | null = null;

  const load = (w: Workspace, runId: number | null, s: Settings): Loaded => {
    const t = w.db.prepare('SELECT COUNT(*) AS n, MAX(rowid) AS r FROM tracked_emails').get() as { n: number; r: number | null };
    const key = JSON.stringify([w.file, runId, t.n, t.r, HASH_KEYS.map((k) => s[k])]);
    if (cached?.key === key) return cached;
    const tracked = loadTracked(w).map((e): Hashed => hashCandidate({
      id: e.id, kind: 'tracked', origin: 'before replay', subject: e.subject, from: e.from, to: e.to, cc: e.cc, date: e.sentOn,
      time: Date.parse(e.sentOn) || 0, seq: -1,
    }, s));
    const rows = runId === null ? [] : (w.db.prepare(`SELECT d.seq, m.id, m.subject, m.from_addr, m.to_json, m.cc_json, m.date, m.received FROM decisions d
      JOIN messages m ON m.id = d.message_row WHERE d.run_id = ? AND d.tracked = 1 ORDER BY d.seq`).all(runId) as Array<{ seq: number; id: number; subject: string; from_addr: string | null; to_json: string; cc_json: string; date: string | null; received: string | null }>);
    const runTracked = rows.map((r): Hashed => hashCandidate({
      id: String(r.id), kind: 'message', origin: 'this run', subject: r.subject, from: r.from_addr, to: JSON.parse(r.to_json) as string[], cc: JSON.parse(r.cc_json) as string[],
      date: r.date, time: timeOf(r.received, r.date) ?? Number.MAX_SAFE_INTEGER, seq: r.seq,
    }, s));
    cached = { key, tracked, runTracked };
    return cached;
  };

  return {
    'hash.nearMisses': ({ key, candidateId, runId, text, limit }) => {
      const w = ctx.requireWs();
      const runs = listRuns(w);
      const run = runId === null ? null : runId === undefined ? (runs[runs.length - 1] ?? null) : (runs.find((r) => r.id === runId) ?? ctx.fail('NOT_FOUND', `Run ${runId} does not exist in this workspace: pick one from the runs list.`));
      const s: Settings = run?.settings ?? DEFAULT_SETTINGS;
      const row = /^\d{1,15}$/.test(key) ? getMessageRow(w, Number(key)) : null;
      if (!row) return ctx.fail('NOT_FOUND', `Message ${key} is not in this workspace: refresh the message list.`);
      const decision = run ? getDecision(w, run.id, key) : null;
      const seq = run && decision ? ((w.db.prepare('SELECT seq FROM decisions WHERE run_id = ? AND message_key = ?').get(run.id, key) as { seq: number } | undefined)?.seq ?? -1) : -1;
      const loaded = load(w, run?.id ?? null, s);
      // What the engine's store held when the message was processed: every tracked email, then the
      // messages tracked before it in the run.
      const before = [...loaded.tracked, ...loaded.runTracked.filter((c) => c.seq < seq && c.id !== key)];
      const m = hashEmail({ subject: row.subject, from: row.from_addr, to: JSON.parse(row.to_json) as string[], cc: JSON.parse(row.cc_json) as string[], time: timeOf(row.received, row.date) }, s);
      const shown = limit ?? 25;
      const { sharing, ranked } = rankAgainst(m, before, s, shown);
      const strip = <T extends NearMiss>({ sharedHashes: _h, time: _t, seq: _s, ...rest }: T & { sharedHashes?: number; time?: number; seq?: number }): NearMiss => rest;

      const wanted = candidateId ?? decision?.correlatedTo ?? null;
      let selected: NearMiss | null = null;
      if (wanted) {
        const hit = ranked.find((x) => x.id === wanted);
        const other = hit ?? (() => {
          const c = before.find((x) => x.id === wanted) ?? [...loaded.tracked, ...loaded.runTracked].find((x) => x.id === wanted) ?? messageCandidate(w, wanted, run?.id ?? null, seq, s);
          return c ? evaluateCandidate(m, c, s) : null;
        })();
        selected = other ? strip(other) : null;
      }

      let search: NearMiss[] | null = null;
      const q = text?.trim().toLowerCase();
      if (q) {
        const matches = (c: { subject: string; from: string | null }) => c.subject.toLowerCase().includes(q) || (c.from ?? '').toLowerCase().includes(q);
        const inStore = before.filter(matches);
        const storeIds = new Set(inStore.map((c) => c.id));
        // Other messages of the workspace (not tracked, or tracked after this one): compared all the same,
        // with the condition they fail said, so "why not the original?" has an answer.
        const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        const others = (w.db.prepare(`SELECT m.id FROM messages m WHERE m.status = 'ok' AND m.parent_id IS NULL AND m.id <> ?
          AND (m.subject LIKE ? ESCAPE '\\' OR m.from_addr LIKE ? ESCAPE '\\') ORDER BY m.date LIMIT 50`).all(Number(key), like, like) as { id: number }[])
          .map((r) => String(r.id)).filter((id) => !storeIds.has(id))
          .map((id) => messageCandidate(w, id, run?.id ?? null, seq, s)).filter((c): c is Hashed => c !== null);
        // What was searched for is listed even when it shares nothing with the message.
        search = rankAgainst(m, [...inStore, ...others], s, shown, true).ranked.map(strip);
      }

      const view: NearMissView = {
        message: { subject: row.subject, from: row.from_addr, date: row.date, outcome: decision?.outcome ?? null, method: decision?.correlationMethod ?? null },
        run: run ? { profileName: run.profileName ?? '', createdAt: run.createdAt } : null,
        smartMatchingOn: s.enablesmartmatching && !s.DisableSmartMatching,
        note: smartMatchingNote(s, decision, run !== null),
        rule: s.simSmartMatchingSubjectRule,
        delta: s.hashdeltasubjectcount,
        minAddresses: s.hashminaddresscount,
        windowDays: s.simSmartMatchingWindowDays,
        messageWords: m.words,
        messageAddresses: m.addresses,
        error: m.error,
        candidateCount: before.length,
        sharingCount: sharing,
        nearest: ranked.map(strip),
        selected,
        search,
      };
      return view;
    },
  };
}

/** A workspace message as a candidate: tracked before `seq` in the run, or not (then it cannot be matched). */
function messageCandidate(w: Workspace, id: string, runId: number | null, seq: number, s: Settings): Hashed | null {
  if (!/^\d{1,15}$/.test(id)) return null;
  const r = w.db.prepare(`SELECT m.subject, m.from_addr, m.to_json, m.cc_json, m.date, m.received, d.seq, d.tracked, d.outcome FROM messages m
    LEFT JOIN decisions d ON d.run_id = ? AND d.message_row = m.id WHERE m.id = ?`).get(runId ?? -1, Number(id)) as
    { subject: string; from_addr: string | null; to_json: string; cc_json: string; date: string | null; received: string | null; seq: number | null; tracked: number | null; outcome: string | null } | undefined;
  if (!r) return null;
  const trackedBefore = r.tracked === 1 && r.seq !== null && r.seq < seq;
  return hashCandidate({
    id, kind: 'message', origin: trackedBefore ? 'this run' : 'not tracked', subject: r.subject, from: r.from_addr,
    to: JSON.parse(r.to_json) as string[], cc: JSON.parse(r.cc_json) as string[], date: r.date,
    time: timeOf(r.received, r.date) ?? Number.MAX_SAFE_INTEGER, seq: r.seq ?? -1,
    outcome: r.tracked === 1 && !trackedBefore ? `${r.outcome ?? 'tracked'}, processed after this message` : r.outcome,
  }, s);
}
