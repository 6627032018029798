// Tuning sweep: replay the same messages under a grid of smart-matching settings and grade every
// correlation against ground-truth conversations (threading.ts: JWZ over Message-ID / In-Reply-To /
// References plus Thread-Index grouping, never subjects, so smart matching is not graded against itself).
//
// Per point, over the messages whose correlation counts (tracked, or refused by "In response" because
// nothing correlated):
//   correct  = correlated to an email of the same true conversation
//   false    = correlated to an email of a different true conversation
//   missed   = an email of its conversation was already tracked when it was processed, yet it has no
//              correct correlation (not correlated, or correlated to the wrong one)
//   precision = correct / (correct + false) (1 when nothing is correlated), recall = correct / (correct + missed)
//   gained / lost = correct now but not in the baseline replay, and the reverse.
// Pareto-optimal points are those no other point beats on both precision and recall. The recommended
// point is the Pareto-optimal one with the best F0.5 (precision weighted twice: a false correlation files an
// email under the wrong record, which a user rarely notices; a missed one stays untracked, which they do),
// ties going to the fewest settings changed from the baseline.
//
// The replays are the engine's replay(); everything that does not depend on the swept settings (the
// ground truth, per-message derived data in the ReplayCache, the key index) is built once. Pure: the
// worker-thread runner lives in core/node/analysis/sweepParallel.ts.

import { replay, ReplayCache, DEFAULT_SETTINGS, type Settings, validateSettings, onlyHashSettingsDiffer, storeSignature, compileDotNetRegex, CORRELATION_METHOD_CODE, type ReplayInput, type ReplayResult } from '../engine/index.js';
import { threadMessages, type ThreadMessage } from './threading.js';

// ---------------------------------------------------------------- grid

/** Named HashFilterKeywords variants a grid may use instead of a raw regex. */
export const KEYWORD_VARIANTS: Readonly<Record<string, string>> = {
  default: DEFAULT_SETTINGS.hashfilterkeywords,
  // The fix Microsoft documents (D1): also strip "Out of office:", which the default keeps because "Out"
  // is not followed by a colon.
  'out-of-office': `${DEFAULT_SETTINGS.hashfilterkeywords}|Out of office:`,
  // Ours: the documented fix plus the other auto-reply prefixes auto-reply parsers know (research §7).
  'auto-replies': `${DEFAULT_SETTINGS.hashfilterkeywords}|Out of office:|Out of the office:|Automatic reply:|Auto Response:`,
};

/** The settings a sweep may vary (by their Microsoft / spec names). */
export const SWEPT_KEYS = [
  'hashminaddresscount', 'hashdeltasubjectcount', 'hashmaxcount', 'simSmartMatchingSubjectRule', 'hashfilterkeywords', 'simSmartMatchingWindowDays',
] as const satisfies readonly (keyof Settings)[];
export type SweptKey = (typeof SWEPT_KEYS)[number];

export type SweepOverrides = Partial<Pick<Settings, SweptKey>>;

export interface SweepGrid {
  /** Applied to the baseline for every point (default: smart matching on). */
  base: Partial<Settings>;
  points: SweepOverrides[];
}

export class SweepGridError extends Error {
  override readonly name = 'SweepGridError';
}

export const MAX_SWEEP_POINTS = 400;

const SMART_ON: Partial<Settings> = { enablesmartmatching: true, DisableSmartMatching: false };

/**
 * The default 25-point grid: HashMinAddressCount 2–4 × HashDeltaSubjectCount 0–2 with the default and the
 * "Out of office:" keywords (18), then one change at a time from the documented defaults: address count 1,
 * subject rule C, HashMaxCount 5 and 50, the auto-reply keywords, and a 30- and the 90-day window (the
 * server under load). Subject rule A (word counts only, the words themselves ignored) is left out: it is
 * never a sensible setting to recommend, and it is by far the costliest to replay, since every tracked email
 * with as many words and enough shared addresses is a candidate. A grid file can still ask for it.
 */
export function defaultSweepGrid(): SweepGrid {
  const points: SweepOverrides[] = [];
  for (const kw of ['default', 'out-of-office']) {
    for (const minAddr of [2, 3, 4]) {
      for (const delta of [0, 1, 2]) points.push({ hashminaddresscount: minAddr, hashdeltasubjectcount: delta, hashfilterkeywords: KEYWORD_VARIANTS[kw] as string });
    }
  }
  points.push(
    { hashminaddresscount: 1 },
    { simSmartMatchingSubjectRule: 'C', hashdeltasubjectcount: 1 },
    { hashmaxcount: 5 },
    { hashmaxcount: 50 },
    { hashfilterkeywords: KEYWORD_VARIANTS['auto-replies'] as string },
    { simSmartMatchingWindowDays: 30 },
    { simSmartMatchingWindowDays: 90 },
  );
  return { base: { ...SMART_ON }, points };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function keywordValue(v: unknown): unknown {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(KEYWORD_VARIANTS, v) ? KEYWORD_VARIANTS[v] : v;
}

/**
 * A grid file: `{"base": {settings}, "product": {key: [values…]}, "points": [{key: value}…]}`. `product`
 * is the cartesian product of its value lists; `points` are added as given. hashfilterkeywords values may
 * be a variant name (default, out-of-office, auto-replies) or a .NET regex. Every point is validated as
 * settings; messages name the file, the point and the setting.
 */
export function parseSweepGrid(raw: unknown, file: string): SweepGrid {
  if (!isObj(raw)) throw new SweepGridError(`${file}: expected a JSON object with "product" and/or "points"`);
  for (const k of Object.keys(raw)) if (!['base', 'product', 'points', '$schema', 'description'].includes(k)) throw new SweepGridError(`${file}: unknown key "${k}" (expected base, product, points)`);
  let base: Partial<Settings> = { ...SMART_ON };
  if (raw.base !== undefined) {
    if (!isObj(raw.base)) throw new SweepGridError(`${file}: base: expected an object of settings`);
    const v = validateSettings(raw.base);
    if (!v.ok) throw new SweepGridError(v.errors.map((e) => `${file}: base: ${e.message}`).join('\n'));
    base = { ...SMART_ON, ...(raw.base as Partial<Settings>) };
  }
  const points: SweepOverrides[] = [];
  const checkPoint = (p: Obj, where: string): SweepOverrides => {
    const out: Obj = {};
    for (const [k, v] of Object.entries(p)) {
      if (!(SWEPT_KEYS as readonly string[]).includes(k)) throw new SweepGridError(`${file}: ${where}: "${k}" cannot be swept (allowed: ${SWEPT_KEYS.join(', ')})`);
      out[k] = k === 'hashfilterkeywords' ? keywordValue(v) : v;
    }
    const v = validateSettings(out);
    if (!v.ok) throw new SweepGridError(v.errors.map((e) => `${file}: ${where}: ${e.message}`).join('\n'));
    return out as SweepOverrides;
  };
  if (raw.product !== undefined) {
    if (!isObj(raw.product)) throw new SweepGridError(`${file}: product: expected an object of setting → list of values`);
    let combos: Obj[] = [{}];
    for (const [k, vals] of Object.entries(raw.product)) {
      if (!Array.isArray(vals) || vals.length === 0) throw new SweepGridError(`${file}: product.${k}: expected a non-empty list of values`);
      combos = combos.flatMap((c) => vals.map((v) => ({ ...c, [k]: v })));
      if (combos.length > MAX_SWEEP_POINTS) throw new SweepGridError(`${file}: product has more than ${MAX_SWEEP_POINTS} points`);
    }
    combos.forEach((c, i) => points.push(checkPoint(c, `product point ${i + 1}`)));
  }
  if (raw.points !== undefined) {
    if (!Array.isArray(raw.points)) throw new SweepGridError(`${file}: points: expected a list of objects`);
    raw.points.forEach((p, i) => {
      if (!isObj(p)) throw new SweepGridError(`${file}: points[${i}]: expected an object of settings`);
      points.push(checkPoint(p, `points[${i}]`));
    });
  }
  if (points.length === 0) throw new SweepGridError(`${file}: the grid has no points (give "product" or "points")`);
  if (points.length > MAX_SWEEP_POINTS) throw new SweepGridError(`${file}: ${points.length} points; at most ${MAX_SWEEP_POINTS}`);
  return { base, points };
}

export interface ResolvedPoint {
  id: number;
  label: string;
  overrides: SweepOverrides;
  settings: Settings;
}

function keywordName(regex: string): string {
  for (const [name, v] of Object.entries(KEYWORD_VARIANTS)) if (v === regex) return name;
  return regex.length > 40 ? `${regex.slice(0, 37)}…` : regex;
}

/** Short label of a point's smart-matching settings, e.g. "addr≥2 Δ0 rule B max20 kw:default window:all". */
export function pointLabel(s: Settings): string {
  return `addr≥${s.hashminaddresscount} Δ${s.hashdeltasubjectcount} rule ${s.simSmartMatchingSubjectRule} max${s.hashmaxcount} kw:${keywordName(s.hashfilterkeywords)} window:${s.simSmartMatchingWindowDays > 0 ? `${s.simSmartMatchingWindowDays}d` : 'all'}`;
}

/** Baseline + grid base + each point's overrides; duplicates (same resulting settings) are dropped. */
export function resolvePoints(baseline: Settings, grid: SweepGrid): ResolvedPoint[] {
  const seen = new Set<string>();
  const out: ResolvedPoint[] = [];
  for (const o of grid.points) {
    const settings = { ...baseline, ...grid.base, ...o } as Settings;
    const sig = JSON.stringify(SWEPT_KEYS.map((k) => settings[k])) + JSON.stringify(grid.base);
    if (seen.has(sig)) continue;
    seen.add(sig);
    out.push({ id: out.length + 1, label: pointLabel(settings), overrides: o, settings });
  }
  return out;
}

// ---------------------------------------------------------------- ground truth

export interface GroundTruth {
  /** Message keys (input order) then tracked-email ids. */
  keys: string[];
  index: Map<string, number>;
  messageCount: number;
  /** Conversation number of each key; -1 unknown. */
  conv: Int32Array;
  conversations: number;
  phantoms: number;
  notes: string[];
}

/** Message keys (input order) then tracked-email ids, as the ground truth and compact runs number them. */
export function keyIndex(input: Pick<ReplayInput, 'messages' | 'tracked'>): { keys: string[]; index: Map<string, number>; messageCount: number } {
  const keys: string[] = [];
  const index = new Map<string, number>();
  for (const m of input.messages) {
    if (index.has(m.key)) continue;
    index.set(m.key, keys.length);
    keys.push(m.key);
  }
  const messageCount = keys.length;
  for (const t of input.tracked) {
    // A tracked id equal to a message key is ambiguous in the engine too; the message wins there.
    if (index.has(t.id)) continue;
    index.set(t.id, keys.length);
    keys.push(t.id);
  }
  return { keys, index, messageCount };
}

export function buildGroundTruth(input: Pick<ReplayInput, 'messages' | 'tracked'>): GroundTruth {
  const { keys, index, messageCount } = keyIndex(input);
  const thread: ThreadMessage[] = [];
  const seen = new Set<string>();
  for (const m of input.messages) {
    if (seen.has(m.key)) continue;
    seen.add(m.key);
    thread.push({ key: m.key, messageId: m.messageId, inReplyTo: m.inReplyTo, references: m.references, threadIndex: m.threadIndex, subject: m.subject, date: m.date });
  }
  for (const t of input.tracked) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    thread.push({ key: t.id, messageId: t.messageId, inReplyTo: null, references: [], threadIndex: t.conversationIndex, subject: t.subject, date: t.sentOn });
  }
  const th = threadMessages(thread);
  const convIds = new Map<string, number>();
  const conv = new Int32Array(keys.length).fill(-1);
  keys.forEach((k, i) => {
    const c = th.conversationOf[k];
    if (c === undefined) return;
    let n = convIds.get(c);
    if (n === undefined) convIds.set(c, (n = convIds.size));
    conv[i] = n;
  });
  return { keys, index, messageCount, conv, conversations: convIds.size, phantoms: th.phantoms.length, notes: th.notes.slice(0, 50) };
}

// ---------------------------------------------------------------- compact runs

/** One replay reduced to what scoring needs, in typed arrays (cheap to pass between threads). */
export interface CompactRun {
  /** Message index per processing position. */
  order: Int32Array;
  /** Per message index: 0 not counted (stopped before correlation or refused by another rule), 1 tracked, 2 refused by "In response" (NoCorrelationMatch). */
  status: Uint8Array;
  /** Per message index: correlation target's key index, -1 none, -2 an id the ground truth does not know. */
  target: Int32Array;
  /** Per message index: correlationmethod code. */
  method: Uint8Array;
}

export function compactRun(result: ReplayResult, truth: Pick<GroundTruth, 'index' | 'messageCount'>): CompactRun {
  const n = truth.messageCount;
  const order = new Int32Array(result.decisions.length);
  const status = new Uint8Array(n);
  const target = new Int32Array(n).fill(-1);
  const method = new Uint8Array(n);
  result.decisions.forEach((d, pos) => {
    const i = truth.index.get(d.key) ?? -1;
    order[pos] = i;
    if (i < 0 || i >= n) return;
    status[i] = d.tracked ? 1 : d.outcome === 'NoCorrelationMatch' ? 2 : 0;
    method[i] = d.correlationMethodCode;
    if (d.correlatedTo !== null) target[i] = truth.index.get(d.correlatedTo) ?? -2;
  });
  return { order, status, target, method };
}

/** Replays each settings object over the same input with one cache (the caller orders them for reuse). */
export function replayCompact(input: Omit<ReplayInput, 'settings'>, settings: readonly Settings[], truth: Pick<GroundTruth, 'index' | 'messageCount'>, cache: ReplayCache = new ReplayCache(), onDone?: (i: number, ms: number) => void): CompactRun[] {
  return settings.map((s, i) => {
    const t0 = Date.now();
    const r = compactRun(replay({ ...input, settings: s }, cache), truth);
    onDone?.(i, Date.now() - t0);
    return r;
  });
}

// ---------------------------------------------------------------- replay order

/**
 * For each settings object, a key naming the tracked store its replay needs. Settings whose stores differ
 * only in hash settings that surely hash every message and tracked email alike get the first one's key:
 * the engine then keeps one store for both (replay() checks exactly, sameHashes), so they belong on one
 * worker, one after the other. The test here is cheap and only sufficient (it orders work, it decides
 * nothing): HashMaxCount values that both reach every subject's word count and every message's address
 * count, and HashFilterKeywords that only adds literal alternatives no subject contains (the grid's
 * "auto-replies" after "out-of-office" when no subject says "Automatic reply:"). Comparing every hash
 * exactly here would cost a second or two of regex work on this thread at 100,000 messages.
 */
export function storeKeys(input: Pick<ReplayInput, 'messages' | 'tracked'>, settings: readonly Settings[]): string[] {
  let facts: { maxWords: number; maxAddresses: number; subjects: string } | null = null;
  const inputFacts = (): { maxWords: number; maxAddresses: number; subjects: string } => {
    if (facts) return facts;
    let maxWords = 0;
    let maxAddresses = 0;
    const subjects = new Set<string>();
    for (const list of [input.messages, input.tracked]) {
      for (const m of list) {
        maxAddresses = Math.max(maxAddresses, 1 + m.to.length + m.cc.length);
        if (subjects.has(m.subject)) continue;
        subjects.add(m.subject);
        let words = 0;
        for (const w of m.subject.split(/\s+/u)) if (w !== '') words++;
        maxWords = Math.max(maxWords, words);
      }
    }
    // One lower-cased text to search for literals (a literal spanning two subjects only makes the test
    // say "not alike", which is safe).
    return (facts = { maxWords, maxAddresses, subjects: [...subjects].join('\n').toLowerCase() });
  };
  const maxAlike = (a: number, b: number): boolean => {
    if (a === b) return true;
    const f = inputFacts();
    return Math.min(a, b) >= Math.max(f.maxWords, f.maxAddresses);
  };
  const keywordsAlike = (a: string, b: string): boolean => {
    if (a === b) return true;
    const [short, long] = a.length < b.length ? [a, b] : [b, a];
    if (!long.startsWith(`${short}|`) || !compileDotNetRegex(short).ok) return false;
    const extras = long.slice(short.length + 1).split('|');
    // Only plain literals: no character that means something in a .NET pattern.
    if (extras.some((x) => x === '' || /[\\^$.?*+()[\]{}#]/u.test(x))) return false;
    const text = inputFacts().subjects;
    return extras.every((x) => !text.includes(x.toLowerCase()));
  };
  const reps: Settings[] = [];
  return settings.map((s) => {
    const sig = storeSignature(s);
    for (const r of reps) {
      if (storeSignature(r) === sig) return sig;
      if (onlyHashSettingsDiffer(r, s) && maxAlike(r.hashmaxcount, s.hashmaxcount) && keywordsAlike(r.hashfilterkeywords, s.hashfilterkeywords)) return storeSignature(r);
    }
    reps.push(s);
    return sig;
  });
}

/**
 * Points split into chains that share cached work, each chain in the order to replay it. What a replay
 * after another costs depends on how many decisions read a changed setting and on how costly correlation
 * is under the new settings: a change of HashFilterKeywords / HashMaxCount (unless every hash stays the same)
 * rebuilds the smart-matching index, and that or a change of the subject rule or HashDeltaSubjectCount redoes every
 * smart-matching decision, which is expensive when few addresses are required (measured at 100,000
 * messages: 4–6 s either way). Raising HashMinAddressCount or narrowing the window after that costs
 * about a tenth. So a chain is one store, subject rule and delta, its points from the lowest address
 * count and widest window (the costly head) to the highest count. Chains come grouped by store, largest
 * first within a store (the order runSweep replays them in).
 */
export function reuseChains(points: readonly Settings[], stores: readonly string[] = points.map(storeSignature)): number[][] {
  const chains = new Map<string, number[]>();
  points.forEach((s, i) => {
    const key = JSON.stringify([stores[i], s.simSmartMatchingSubjectRule, s.hashdeltasubjectcount]);
    const c = chains.get(key);
    if (c) c.push(i);
    else chains.set(key, [i]);
  });
  // Window 0 is "all history", the widest; a wider window finds more candidates.
  const width = (s: Settings): number => (s.simSmartMatchingWindowDays > 0 ? s.simSmartMatchingWindowDays : Number.MAX_SAFE_INTEGER);
  const within = (a: number, b: number): number => {
    const x = points[a] as Settings;
    const y = points[b] as Settings;
    return x.hashminaddresscount - y.hashminaddresscount || width(y) - width(x) || a - b;
  };
  const list = [...chains.values()].map((c) => c.sort(within));
  const store = (c: number[]): string => stores[c[0] as number] as string;
  const firstOfStore = new Map<string, number>();
  list.forEach((c, k) => { if (!firstOfStore.has(store(c))) firstOfStore.set(store(c), k); });
  return list.sort((a, b) => (firstOfStore.get(store(a)) as number) - (firstOfStore.get(store(b)) as number) || b.length - a.length || (a[0] as number) - (b[0] as number));
}

/** One-thread replay order: the chains of reuseChains one after another. */
export function reuseOrder(points: readonly Settings[], stores?: readonly string[]): number[] {
  return reuseChains(points, stores).flat();
}

// ---------------------------------------------------------------- scoring

export interface PointMetrics {
  /** Messages whose correlation counts (tracked or NoCorrelationMatch). */
  counted: number;
  tracked: number;
  correlations: number;
  correct: number;
  falseCorrelations: number;
  /** Correlated to an email the ground truth does not know. */
  unjudged: number;
  missed: number;
  precision: number;
  recall: number;
  f05: number;
  smartMatched: number;
  smartFalse: number;
  /** Correct here but not in the baseline, and the reverse. */
  gained: number;
  lost: number;
  /** False here but not in the baseline. */
  newFalse: number;
}

const SMART = CORRELATION_METHOD_CODE.SmartMatching;

function fBeta(p: number, r: number, beta: number): number {
  const b2 = beta * beta;
  return p + r === 0 ? 0 : ((1 + b2) * p * r) / (b2 * p + r);
}

/** Per message index: 1 correct, 2 false, 0 otherwise. */
function verdicts(run: CompactRun, truth: GroundTruth): Uint8Array {
  const v = new Uint8Array(truth.messageCount);
  for (let i = 0; i < truth.messageCount; i++) {
    const t = run.target[i] as number;
    if (run.status[i] === 0 || t < 0) continue;
    const a = truth.conv[i] as number;
    const b = truth.conv[t] as number;
    if (a < 0 || b < 0) continue;
    v[i] = a === b ? 1 : 2;
  }
  return v;
}

export function scoreRun(run: CompactRun, truth: GroundTruth, baseline: CompactRun | null): PointMetrics {
  const v = verdicts(run, truth);
  const vb = baseline ? verdicts(baseline, truth) : null;
  // Conversations that already hold a tracked email: every tracked email exists before the replay.
  const hasTracked = new Uint8Array(truth.conversations);
  for (let i = truth.messageCount; i < truth.keys.length; i++) {
    const c = truth.conv[i] as number;
    if (c >= 0) hasTracked[c] = 1;
  }
  const m: PointMetrics = { counted: 0, tracked: 0, correlations: 0, correct: 0, falseCorrelations: 0, unjudged: 0, missed: 0, precision: 1, recall: 1, f05: 0, smartMatched: 0, smartFalse: 0, gained: 0, lost: 0, newFalse: 0 };
  for (let pos = 0; pos < run.order.length; pos++) {
    const i = run.order[pos] as number;
    if (i < 0 || i >= truth.messageCount) continue;
    const st = run.status[i];
    const c = truth.conv[i] as number;
    if (st !== 0) {
      m.counted++;
      const t = run.target[i] as number;
      if (t !== -1) m.correlations++;
      if (t === -2 || (t >= 0 && (c < 0 || (truth.conv[t] as number) < 0))) m.unjudged++;
      if (v[i] === 1) m.correct++;
      if (v[i] === 2) m.falseCorrelations++;
      if (run.method[i] === SMART) {
        m.smartMatched++;
        if (v[i] === 2) m.smartFalse++;
      }
      if (c >= 0 && hasTracked[c] === 1 && v[i] !== 1) m.missed++;
    }
    if (vb) {
      if (v[i] === 1 && vb[i] !== 1) m.gained++;
      if (v[i] !== 1 && vb[i] === 1) m.lost++;
      if (v[i] === 2 && vb[i] !== 2) m.newFalse++;
    }
    if (st === 1) {
      m.tracked++;
      if (c >= 0) hasTracked[c] = 1;
    }
  }
  m.precision = m.correct + m.falseCorrelations === 0 ? 1 : m.correct / (m.correct + m.falseCorrelations);
  m.recall = m.correct + m.missed === 0 ? 1 : m.correct / (m.correct + m.missed);
  m.f05 = fBeta(m.precision, m.recall, 0.5);
  return m;
}

/** True for each point no other point beats on both precision and recall (≥ on both, > on one). */
export function paretoFront(points: readonly Pick<PointMetrics, 'precision' | 'recall'>[]): boolean[] {
  return points.map((p, i) => !points.some((q, j) => j !== i && q.precision >= p.precision && q.recall >= p.recall && (q.precision > p.precision || q.recall > p.recall)));
}

// ---------------------------------------------------------------- result

export interface SweepPointResult {
  id: number;
  label: string;
  overrides: SweepOverrides;
  /** Settings that differ from the baseline, with their values at this point. */
  changes: { key: keyof Settings; value: unknown }[];
  metrics: PointMetrics;
  pareto: boolean;
  recommended: boolean;
  ms: number;
}

export interface SweepResult {
  messages: number;
  tracked: number;
  truth: { conversations: number; phantoms: number };
  baseline: { label: string; smartMatching: boolean; metrics: PointMetrics };
  points: SweepPointResult[];
  /** The baseline is itself on the Pareto front (no point beats it on both). */
  baselinePareto: boolean;
  /** pointId 0: keep the baseline. `label` names it ("point 7 (addr≥3 …)", "keep the current settings"); the
   * explanation says why and does not repeat it, so a view prints the recommendation once. */
  recommendation: { pointId: number; label: string; explanation: string[] } | null;
  timing: { totalMs: number; workers: number; replays: number; fallback?: string };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function changesFrom(baseline: Settings, s: Settings): { key: keyof Settings; value: unknown }[] {
  return (Object.keys(s) as (keyof Settings)[]).filter((k) => JSON.stringify(s[k]) !== JSON.stringify(baseline[k])).map((k) => ({ key: k, value: s[k] }));
}

/**
 * The one vocabulary of the sweep, used by the explanation, the CLI, the reports and the app alike:
 * "false links" is every correlation across true conversations at a point (the table's column); "new false
 * links" is the part of them the baseline did not make (the change). Both are always named, never one as the other.
 */
export function falseLinksPhrase(m: Pick<PointMetrics, 'falseCorrelations' | 'newFalse'>, baseline: Pick<PointMetrics, 'falseCorrelations'>): string {
  return `${m.falseCorrelations} false links in all (the baseline has ${baseline.falseCorrelations}), ${m.newFalse} of them new against the baseline`;
}

/** Why the recommended point; the point itself is named once, by the recommendation's label, not here. */
export function explainRecommendation(best: SweepPointResult, baseline: PointMetrics, all: readonly SweepPointResult[]): string[] {
  const b = best.metrics;
  const lines = [
    `Against the baseline it gains ${b.gained} correct links and loses ${b.lost}; false links: ${falseLinksPhrase(b, baseline)} (a false link joins different true conversations). Precision ${pct(baseline.precision)} → ${pct(b.precision)}, recall ${pct(baseline.recall)} → ${pct(b.recall)}.`,
    `It is Pareto-optimal: no other point of the ${all.length} has both higher precision and higher recall. ${all.filter((p) => p.pareto).length} points are.`,
    'Among those it has the best F0.5 score, which weighs precision twice as much as recall: a false correlation files an email under the wrong record and copies a wrong Regarding, which users rarely notice, while a missed one only stays untracked.',
  ];
  if (b.smartMatched > 0) lines.push(`Smart matching links ${b.smartMatched} messages at this point, ${b.smartFalse} of them across conversations.`);
  const changes = best.changes.map((c) => `${c.key} = ${typeof c.value === 'string' ? JSON.stringify(c.value) : String(c.value)}`);
  lines.push(changes.length ? `Settings to change from the baseline: ${changes.join('; ')}.` : 'It needs no setting change from the baseline.');
  return lines;
}

export function explainKeep(baseline: PointMetrics, all: readonly SweepPointResult[]): string[] {
  const best = [...all].sort((a, b) => b.metrics.f05 - a.metrics.f05)[0];
  return [
    `No point of the ${all.length} beats the baseline (precision ${pct(baseline.precision)}, recall ${pct(baseline.recall)}, ${baseline.falseCorrelations} false links) on F0.5, which weighs precision twice as much as recall: a false correlation files an email under the wrong record and copies a wrong Regarding, which users rarely notice, while a missed one only stays untracked.`,
    ...(best ? [`The best point, ${best.id} (${best.label}), gains ${best.metrics.gained} correct links; false links: ${falseLinksPhrase(best.metrics, baseline)} (precision ${pct(best.metrics.precision)}, recall ${pct(best.metrics.recall)}).`] : []),
  ];
}

/** Scores compact runs (baseline first, then one per point in `points` order) into the sweep result. */
export function assembleSweep(truth: GroundTruth, baselineSettings: Settings, baselineRun: CompactRun, points: readonly ResolvedPoint[], runs: readonly CompactRun[], ms: readonly number[], timing: SweepResult['timing']): SweepResult {
  const baseMetrics = scoreRun(baselineRun, truth, null);
  const results: SweepPointResult[] = points.map((p, i) => ({
    id: p.id, label: p.label, overrides: p.overrides, changes: changesFrom(baselineSettings, p.settings),
    metrics: scoreRun(runs[i] as CompactRun, truth, baselineRun), pareto: false, recommended: false, ms: ms[i] ?? 0,
  }));
  // The baseline competes too: when no point beats today's settings, the advice is to keep them.
  const front = paretoFront([...results.map((r) => r.metrics), baseMetrics]);
  results.forEach((r, i) => { r.pareto = front[i] as boolean; });
  const baselinePareto = front[results.length] as boolean;
  let best: SweepPointResult | null = null;
  for (const r of results) {
    if (!r.pareto) continue;
    if (!best || r.metrics.f05 > best.metrics.f05 + 1e-12 || (Math.abs(r.metrics.f05 - best.metrics.f05) <= 1e-12 && r.changes.length < best.changes.length)) best = r;
  }
  const keep = baselinePareto && (!best || baseMetrics.f05 >= best.metrics.f05 - 1e-12);
  if (best && !keep) best.recommended = true;
  const recommendation = keep
    ? { pointId: 0, label: 'keep the current settings', explanation: explainKeep(baseMetrics, results) }
    : best ? { pointId: best.id, label: `point ${best.id} (${best.label})`, explanation: explainRecommendation(best, baseMetrics, results) } : null;
  return {
    messages: truth.messageCount,
    tracked: truth.keys.length - truth.messageCount,
    truth: { conversations: truth.conversations, phantoms: truth.phantoms },
    baseline: { label: pointLabel(baselineSettings), smartMatching: baselineSettings.enablesmartmatching && !baselineSettings.DisableSmartMatching, metrics: baseMetrics },
    points: results,
    baselinePareto,
    recommendation,
    timing,
  };
}

export interface SweepOptions {
  onProgress?: (done: number, total: number) => void;
}

/** The whole sweep in this thread (the CLI and the app use the two-worker runner of core/node/analysis). */
export function runSweep(input: Omit<ReplayInput, 'settings'>, baseline: Settings, grid: SweepGrid, opts: SweepOptions = {}): SweepResult {
  const t0 = Date.now();
  const truth = buildGroundTruth(input);
  const points = resolvePoints(baseline, grid);
  const order = reuseOrder(points.map((p) => p.settings), storeKeys(input, points.map((p) => p.settings)));
  const all = [baseline, ...order.map((i) => (points[i] as ResolvedPoint).settings)];
  const ms: number[] = [];
  const compact = replayCompact(input, all, truth, new ReplayCache(), (i, t) => { ms[i] = t; opts.onProgress?.(i + 1, all.length); });
  const runs: CompactRun[] = new Array<CompactRun>(points.length);
  const pointMs: number[] = new Array<number>(points.length).fill(0);
  order.forEach((pi, k) => { runs[pi] = compact[k + 1] as CompactRun; pointMs[pi] = ms[k + 1] ?? 0; });
  return assembleSweep(truth, baseline, compact[0] as CompactRun, points, runs, pointMs, { totalMs: Date.now() - t0, workers: 1, replays: all.length });
}


// ---------------------------------------------------------------- drill-down

/** One false or missed link of a point, as a person reads it. */
export interface PointLink {
  key: string;
  subject: string;
  from: string | null;
  date: string | null;
  /** The email it is linked to at this point (false links), with its subject and date. */
  linkedTo: { key: string; subject: string; date: string | null } | null;
  /** For a missed link: the tracked email of its true conversation it should have been linked to (the latest before it). */
  shouldBe: { key: string; subject: string; date: string | null } | null;
  method: string;
  /** The Correlate step of the trace: why it was (or was not) linked. */
  why: string;
  /** The whole trace, one line per step. */
  trace: string[];
}

export interface PointDrill {
  pointId: number;
  label: string;
  falseLinks: PointLink[];
  missedLinks: PointLink[];
  /** Totals (the lists stop at the limit). */
  falseTotal: number;
  missedTotal: number;
}

/**
 * A point's false and missed links, message by message, with the Why of each: the point's settings replayed
 * once more (the cache keeps it cheap) and graded exactly as scoreRun grades it.
 */
export function drillPoint(input: Omit<ReplayInput, 'settings'>, settings: Settings, point: { id: number; label: string }, limit = 200, cache: ReplayCache = new ReplayCache(), truth: GroundTruth = buildGroundTruth(input)): PointDrill {
  const result = replay({ ...input, settings }, cache);
  const run = compactRun(result, truth);
  const facts = new Map<string, { subject: string; date: string | null; from: string | null }>();
  for (const m of input.messages) facts.set(m.key, { subject: m.subject, date: m.date, from: m.from });
  for (const t of input.tracked) if (!facts.has(t.id)) facts.set(t.id, { subject: t.subject, date: t.sentOn, from: t.from });
  const ref = (key: string | null): PointLink['linkedTo'] => {
    if (key === null) return null;
    const f = facts.get(key);
    return { key, subject: f?.subject ?? '(an email not in the workspace)', date: f?.date ?? null };
  };
  const byKey = new Map(result.decisions.map((d) => [d.key, d]));
  const link = (i: number, shouldBe: string | null): PointLink => {
    const key = truth.keys[i] as string;
    const d = byKey.get(key);
    const f = facts.get(key);
    const step = d?.trace.find((t) => t.stage === 'Correlate');
    return {
      key, subject: f?.subject ?? '', from: f?.from ?? null, date: f?.date ?? null,
      linkedTo: ref(d?.correlatedTo ?? null), shouldBe: ref(shouldBe), method: d?.correlationMethod ?? 'None',
      why: step ? `${step.result}: ${step.detail}` : 'no correlation step (stopped earlier)',
      trace: (d?.trace ?? []).map((t, n) => `Step ${n + 1} · ${t.stage} — ${t.result}. ${t.detail}`),
    };
  };
  // The same walk as scoreRun: conversations holding a tracked email so far, and the latest of them.
  const latest = new Int32Array(truth.conversations).fill(-1);
  for (let i = truth.messageCount; i < truth.keys.length; i++) {
    const c = truth.conv[i] as number;
    if (c >= 0) latest[c] = i;
  }
  const falseLinks: PointLink[] = [];
  const missedLinks: PointLink[] = [];
  let falseTotal = 0;
  let missedTotal = 0;
  for (let pos = 0; pos < run.order.length; pos++) {
    const i = run.order[pos] as number;
    if (i < 0 || i >= truth.messageCount) continue;
    const st = run.status[i];
    const c = truth.conv[i] as number;
    const t = run.target[i] as number;
    if (st !== 0) {
      const isFalse = t >= 0 && c >= 0 && (truth.conv[t] as number) >= 0 && truth.conv[t] !== c;
      const isCorrect = t >= 0 && c >= 0 && truth.conv[t] === c;
      if (isFalse) { falseTotal++; if (falseLinks.length < limit) falseLinks.push(link(i, c >= 0 && latest[c]! >= 0 ? truth.keys[latest[c]!] as string : null)); }
      if (c >= 0 && latest[c]! >= 0 && !isCorrect) { missedTotal++; if (missedLinks.length < limit) missedLinks.push(link(i, truth.keys[latest[c]!] as string)); }
    }
    if (st === 1 && c >= 0) latest[c] = i;
  }
  return { pointId: point.id, label: point.label, falseLinks, missedLinks, falseTotal, missedTotal };
}
