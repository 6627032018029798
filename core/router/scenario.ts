// Router training scenarios (assets/router-scenarios): a scenario.json in the spirit of
// SCENARIO-FORMAT.md, with the router's own keys. It is a separate format with its own loader so the
// fixed scenario format (and `scenario check`) stays untouched. Directory, mailboxes, tracked and
// organization are validated by the fixed format's own parser, so they mean exactly the same here.
//
//   { "title", "lesson",
//     "preset": "crm3",                       // era preset (core/analysis/presets.ts); default crm3
//     "sink": "crm-sink@contoso.com",         // the sink mailbox the Router monitors
//     "organization": { … },                  // overrides applied on top of the preset
//     "directory": { … }, "mailboxes": [ … ], // CRM users/queues whose mail goes through the Router
//     "tracked": [ … ],
//     "messages": [{ "file": "messages/01.eml", "deliverFailure": "optional failure text" }],
//     "expect": [{ "file": "messages/01.eml", "fate": "Delivered", "reasonName": "CorrelationMatch", … }],
//     "eras": { "crm4": [ expect entries for the same messages under another preset ] } }

import { parseScenario, ScenarioError } from '../scenario/scenario.js';
import { applyPreset, findPreset, PRESETS } from '../analysis/presets.js';
import type { Settings, DirectoryEntry, MailboxConfig, TrackedEmail } from '../engine/index.js';
import { REASON_CODES, type RouterDecision } from './types.js';

export interface RouterScenarioMessage { file: string; deliverFailure: string | null }
export interface RouterExpect { file: string; [key: string]: unknown }

export interface RouterScenario {
  title: string;
  lesson: string;
  preset: string;
  /** Organization overrides (only the keys the scenario gives), applied on top of any preset. */
  overrides: Partial<Settings>;
  settings: Settings;
  sink: string;
  directory: DirectoryEntry[];
  mailboxes: MailboxConfig[];
  tracked: TrackedEmail[];
  messages: RouterScenarioMessage[];
  expect: RouterExpect[];
  /** Expectations of the same messages under other presets. */
  eras: Record<string, RouterExpect[]>;
}

export const ROUTER_EXPECT_KEYS = [
  'fate', 'delivered', 'forward', 'forwardedBy', 'shouldDeliver', 'reasonCode', 'reasonName', 'correlationMethod', 'correlationMethodCode',
  'correlatedTo', 'regarding', 'acceptingEntity', 'sender', 'activityFrom', 'undeliverableReason', 'flagsInclude', 'flagsExclude',
] as const;

const FATES = ['Delivered', 'Deleted', 'Undeliverable'];
const FORWARDS = ['attachment', 'inline', 'direct'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings of a preset with the scenario's overrides. */
export function settingsFor(sc: Pick<RouterScenario, 'overrides'>, preset: string): Settings {
  const p = findPreset(preset);
  if (!p) throw new ScenarioError(`unknown preset ${preset} (known: ${PRESETS.map((x) => x.name).join(', ')})`);
  return { ...applyPreset(p), ...sc.overrides };
}

/** Validates a parsed router scenario.json. `file` names it in every message; `exists` checks message files. */
export function parseRouterScenario(raw: unknown, file: string, exists: (rel: string) => boolean): RouterScenario {
  if (!isObj(raw)) throw new ScenarioError(`${file}: expected a JSON object at the top level`);
  const errs: string[] = [];
  const err = (key: string, msg: string): void => { errs.push(`${file}: ${key}: ${msg}`); };
  const allowTop = ['title', 'lesson', 'preset', 'sink', 'organization', 'directory', 'mailboxes', 'tracked', 'messages', 'expect', 'eras', '$schema', 'description'];
  for (const k of Object.keys(raw)) if (!allowTop.includes(k)) err(k, `unknown key (expected one of ${allowTop.join(', ')})`);

  // The shared parts go through the fixed format's parser (messages/expect are the router's own).
  let base: ReturnType<typeof parseScenario> | null = null;
  try {
    const shared: Obj = { title: raw.title, lesson: raw.lesson, messages: [], expect: [] };
    for (const k of ['organization', 'directory', 'mailboxes', 'tracked'] as const) if (raw[k] !== undefined) shared[k] = raw[k];
    base = parseScenario(shared, file, () => true);
  } catch (e) {
    errs.push(...(e as Error).message.split('\n'));
  }

  const preset = raw.preset === undefined ? 'crm3' : raw.preset;
  if (typeof preset !== 'string' || !findPreset(preset)) err('preset', `expected one of ${PRESETS.map((p) => p.name).join(', ')}, got ${JSON.stringify(raw.preset)}`);
  const sink = raw.sink;
  if (typeof sink !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(sink)) err('sink', `expected the sink mailbox address, got ${JSON.stringify(sink)}`);

  const messages: RouterScenarioMessage[] = [];
  if (!Array.isArray(raw.messages)) err('messages', 'expected an array of { file, deliverFailure? }');
  else raw.messages.forEach((r: unknown, i: number) => {
    const p = `messages[${i}]`;
    if (!isObj(r)) { err(p, 'expected an object'); return; }
    for (const k of Object.keys(r)) if (k !== 'file' && k !== 'deliverFailure') err(`${p}.${k}`, 'unknown key (expected file, deliverFailure)');
    if (typeof r.file !== 'string') { err(`${p}.file`, 'expected a string'); return; }
    if (!exists(r.file)) err(`${p}.file`, `missing file ${r.file}`);
    if (r.deliverFailure !== undefined && typeof r.deliverFailure !== 'string') err(`${p}.deliverFailure`, 'expected a string (the failure text)');
    if (messages.some((m) => m.file === r.file)) err(`${p}.file`, `${r.file} is listed twice`);
    messages.push({ file: r.file, deliverFailure: typeof r.deliverFailure === 'string' ? r.deliverFailure : null });
  });
  const files = new Set(messages.map((m) => m.file));
  const trackedIds = new Set((base?.tracked ?? []).map((t) => t.id));

  const expectList = (v: unknown, path: string): RouterExpect[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) { err(path, 'expected an array of expect entries'); return []; }
    return v.flatMap((r: unknown, i: number): RouterExpect[] => {
      const p = `${path}[${i}]`;
      if (!isObj(r)) { err(p, 'expected an object'); return []; }
      for (const k of Object.keys(r)) if (k !== 'file' && !(ROUTER_EXPECT_KEYS as readonly string[]).includes(k)) err(`${p}.${k}`, `unknown key (expected file or one of ${ROUTER_EXPECT_KEYS.join(', ')})`);
      if (typeof r.file !== 'string' || !files.has(r.file)) err(`${p}.file`, `dangling reference ${JSON.stringify(r.file)} (expected the file of one of messages)`);
      if (r.fate !== undefined && !FATES.includes(r.fate as string)) err(`${p}.fate`, `expected one of ${FATES.join(', ')}`);
      if (r.forward !== undefined && !FORWARDS.includes(r.forward as string)) err(`${p}.forward`, `expected one of ${FORWARDS.join(', ')}`);
      if (r.reasonName !== undefined && !Object.keys(REASON_CODES).includes(r.reasonName as string)) err(`${p}.reasonName`, `expected one of ${Object.keys(REASON_CODES).join(', ')}`);
      const ct = r.correlatedTo;
      if (ct !== undefined && ct !== null && !(typeof ct === 'string' && (trackedIds.has(ct) || files.has(ct)))) err(`${p}.correlatedTo`, `dangling reference ${JSON.stringify(ct)} (expected a tracked id or a message file)`);
      return [r as RouterExpect];
    });
  };
  const expect = expectList(raw.expect, 'expect');
  const eras: Record<string, RouterExpect[]> = {};
  if (raw.eras !== undefined) {
    if (!isObj(raw.eras)) err('eras', 'expected an object { presetName: [expect entries] }');
    else for (const [name, list] of Object.entries(raw.eras)) {
      if (!findPreset(name)) err(`eras.${name}`, `unknown preset (expected one of ${PRESETS.map((p) => p.name).join(', ')})`);
      eras[name] = expectList(list, `eras.${name}`);
    }
  }

  if (errs.length || !base) throw new ScenarioError(errs.join('\n'));
  const overrides: Partial<Settings> = {};
  if (isObj(raw.organization)) for (const k of Object.keys(raw.organization) as (keyof Settings)[]) (overrides as Record<string, unknown>)[k] = base.settings[k];
  return {
    title: base.title, lesson: base.lesson, preset: preset as string, overrides, settings: settingsFor({ overrides }, preset as string),
    sink: sink as string, directory: base.directory, mailboxes: base.mailboxes, tracked: base.tracked, messages, expect, eras,
  };
}

export interface RouterRunResult {
  file: string;
  fate: string;
  delivered: boolean;
  forward: string;
  forwardedBy: string | null;
  shouldDeliver: boolean | null;
  reasonCode: number | null;
  reasonName: string | null;
  correlationMethod: string;
  correlationMethodCode: number;
  correlatedTo: string | null;
  regarding: string | null;
  acceptingEntity: string | null;
  sender: string | null;
  activityFrom: string | null;
  activityTo: string[];
  undeliverableReason: string | null;
  flags: string[];
  trace: { stage: string; result: string; detail: string; settings?: string[]; undocumented?: boolean }[];
}

export function toRouterRunResults(decisions: readonly RouterDecision[]): RouterRunResult[] {
  return decisions.map((d) => ({
    file: d.key, fate: d.fate, delivered: d.delivered, forward: d.forward, forwardedBy: d.forwardedBy,
    shouldDeliver: d.check?.shouldDeliver ?? null, reasonCode: d.check?.reasonCode ?? null, reasonName: d.check?.reasonName ?? null,
    correlationMethod: d.correlationMethod, correlationMethodCode: d.correlationMethodCode, correlatedTo: d.correlatedTo, regarding: d.regarding,
    acceptingEntity: d.acceptingEntity, sender: d.sender, activityFrom: d.activityFrom, activityTo: d.activityTo, undeliverableReason: d.undeliverableReason, flags: d.flags,
    trace: d.trace.map((t) => ({ stage: t.stage, result: t.result, detail: t.detail, ...(t.settings?.length ? { settings: t.settings } : {}), ...(t.undocumented ? { undocumented: true } : {}) })),
  }));
}

export interface RouterMismatch { preset: string; file: string; key: string; expected: unknown; actual: unknown }

/** Compares expect entries with results; `flagsInclude` / `flagsExclude` test membership of one flag. */
export function checkRouterExpect(preset: string, expect: readonly RouterExpect[], results: readonly RouterRunResult[]): { passed: number; failed: number; mismatches: RouterMismatch[] } {
  const byFile = new Map(results.map((r) => [r.file, r]));
  let passed = 0;
  let failed = 0;
  const mismatches: RouterMismatch[] = [];
  for (const e of expect) {
    const r = byFile.get(e.file);
    let ok = true;
    for (const k of Object.keys(e)) {
      if (k === 'file') continue;
      let good: boolean;
      let actual: unknown;
      if (k === 'flagsInclude' || k === 'flagsExclude') {
        actual = r?.flags ?? null;
        const has = r ? r.flags.includes(String(e[k])) : false;
        good = k === 'flagsInclude' ? has : r !== undefined && !has;
      } else {
        actual = r ? (r as unknown as Record<string, unknown>)[k] : null;
        good = actual === e[k];
      }
      if (!good) { ok = false; mismatches.push({ preset, file: e.file, key: k, expected: e[k], actual: actual ?? null }); }
    }
    if (ok) passed++;
    else failed++;
  }
  return { passed, failed, mismatches };
}
