// Version presets: the documented correlation behaviour of each Dynamics era expressed as partial
// Settings, so a replay can ask "what would CRM 4.0 have done with this mailbox?". Settings has no
// "era" switch, so features absent from an era are mapped onto existing settings and each mapping is
// explained in the preset's notes. Sources are cited by document title (core/sources.ts), with the link
// where the document is public.

import { DEFAULT_SETTINGS, type Settings, replay, type Decision, type ReplayInput, type ReplayResult } from '../engine/index.js';
import { SOURCES, cite, citeAll, type SourceKey } from '../sources.js';

/** The documents a preset rests on, as users read them: “Title” (publisher, year) and the link if any. */
function sources(...keys: SourceKey[]): string[] {
  return keys.map((k) => {
    const url = (SOURCES[k] as { url?: string }).url;
    return url ? `${cite(k)} ${url}` : cite(k);
  });
}

export interface Preset {
  name: string;
  title: string;
  description: string;
  settings: Partial<Settings>;
  /** Documented behaviour of the era, each line with its source. */
  behaviour: string[];
  /** How era features the Settings cannot express were mapped (and what is only approximated). */
  notes: string[];
  /** The documents it rests on, cited by title (and link), never by an internal key. */
  sources: string[];
  /** How incoming email reached CRM in that era: the E-mail Router sink mailbox, server-side sync, or both. */
  delivery: ('router-sink' | 'router-per-mailbox' | 'server-side-sync')[];
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'crm3',
    title: 'Microsoft CRM 3.0 (E-mail Router, tracking token only)',
    description: 'Incoming email is correlated only by the tracking token in the subject; no smart matching, no header correlation.',
    settings: { usetrackingtokens: true, emailcorrelationenabled: false, enablesmartmatching: false, DisableSmartMatching: true, IgnoreConversationIndexAndInReplyToForCorrelation: true },
    behaviour: [
      `The Router searches "the most recent email with the same email token" (${cite('smartMatchingBlog2008')}).`,
      `Smart matching did not exist; it arrived with CRM 4.0 (${cite('smartMatchingBlog2008')}).`,
      `Rule Deployment Wizard rules forward each mailbox's mail as an attachment to a sink mailbox the Router monitors (${citeAll(['multipleExchangeBlog2006', 'routerWhitePaper'])}).`,
      `No token (and no recipient accepting all) ⇒ the message is deleted from the sink, no activity is created (${citeAll(['outlookExperienceBlog2007', 'trackingTokenBlog2006'])}).`,
      `In-Reply-To / ConversationIndex correlation came with CRM 2013 for server-side sync and the Outlook client only, never for the Router (${cite('correlationCrm2013')}).`,
    ],
    notes: [
      'Header correlation is "not available in this era": mapped to emailcorrelationenabled=false (which disables InReplyTo and ConversationIndex) and, belt and braces, IgnoreConversationIndexAndInReplyToForCorrelation=true.',
      'Smart matching absent: enablesmartmatching=false and DisableSmartMatching=true.',
      'A plain replay still uses SSS mailbox filtering; the sink mailbox, forward-as-attachment unwrapping, CheckIncomingEmail/DeliverIncomingEmail and the Undeliverable folder are the Router mode (Training › E-mail Router, or `router run` on the command line).',
      'Token "most recent email with the same token" is approximated by the engine\'s token match.',
    ],
    sources: sources('smartMatchingBlog2008', 'trackingTokenBlog2006', 'multipleExchangeBlog2006', 'outlookExperienceBlog2007', 'correlationCrm2013', 'routerWhitePaper'),
    delivery: ['router-sink'],
  },
  {
    name: 'crm4',
    title: 'Microsoft Dynamics CRM 4.0 (smart matching by default, token optional)',
    description: 'Smart matching is on by default with its knobs as registry values on the CRM server; the token is optional and "only increases the accuracy".',
    settings: { usetrackingtokens: true, emailcorrelationenabled: false, IgnoreConversationIndexAndInReplyToForCorrelation: true, enablesmartmatching: true, DisableSmartMatching: false, hashmaxcount: 20, hashdeltasubjectcount: 0, hashminaddresscount: 2, hashfilterkeywords: '^[\\s]*([\\w]+\\s?:[\\s]*)+' },
    behaviour: [
      `Smart matching (subject + address hashes) is the default correlation (${citeAll(['smartMatchingBlog2008', 'toggleSmartMatchingBlog2009'])}).`,
      `HashMaxCount, HashDeltaSubjectCount, HashMinAddressCount, HashFilterKeywords were registry values under HKLM\\Software\\Microsoft\\MSCRM (${citeAll(['smartMatchingRegistryForum', 'toggleSmartMatchingBlog2009'])}).`,
      `The tracking token is optional and participates in subject hashing (${cite('smartMatchingBlog2008')}).`,
      `No In-Reply-To / ConversationIndex correlation (added in CRM 2013: ${cite('correlationCrm2013')}).`,
    ],
    notes: [
      `Registry knobs are mapped onto the organization columns hashmaxcount, hashdeltasubjectcount, hashminaddresscount, hashfilterkeywords (the values they later became, ${cite('organizationTable')}).`,
      'Header correlation not available in this era: emailcorrelationenabled=false and IgnoreConversationIndexAndInReplyToForCorrelation=true.',
      'Token-inside-the-hash (rather than a separate token step) is not modelled; the engine still runs the token step first.',
    ],
    sources: sources('smartMatchingBlog2008', 'toggleSmartMatchingBlog2009', 'smartMatchingRegistryForum', 'correlationCrm2013'),
    delivery: ['router-sink', 'router-per-mailbox'],
  },
  {
    name: 'crm2011',
    title: 'Dynamics CRM 2011 / 2013+ (header correlation for SSS, smart matching on)',
    description: 'In-Reply-To and ConversationIndex correlation (CRM 2013+, SSS and Outlook client), tracking tokens on, smart matching on as in CRM 2011 installs.',
    settings: { usetrackingtokens: true, emailcorrelationenabled: true, IgnoreConversationIndexAndInReplyToForCorrelation: false, enablesmartmatching: true, DisableSmartMatching: false },
    behaviour: [
      `Correlation order InReplyTo → token → ConversationIndex → smart matching (${cite('automaticallyTracked')}).`,
      `Header correlation for server-side sync and the Outlook client only, not the Email Router (${cite('correlationCrm2013')}).`,
      `Smart matching is on in CRM 2011 installs (${cite('crm2011SmartMatching')}) and in the 2020 revision of ${cite('automaticallyTracked')}.`,
    ],
    notes: [`CRM 2011 itself had no header correlation (added in 2013: ${cite('correlationCrm2013')}); use crm4 settings plus enablesmartmatching for a strict 2011 replay.`],
    sources: sources('automaticallyTracked', 'automaticallyTracked2020', 'crm2011SmartMatching', 'correlationCrm2013'),
    delivery: ['router-sink', 'router-per-mailbox', 'server-side-sync'],
  },
  {
    name: 'dataverse',
    title: 'Current Dataverse / Dynamics 365 (smart matching off by default)',
    description: 'Documented current defaults: correlation and tracking tokens on, smart matching off.',
    settings: { usetrackingtokens: true, emailcorrelationenabled: true, IgnoreConversationIndexAndInReplyToForCorrelation: false, enablesmartmatching: false, DisableSmartMatching: false },
    behaviour: [
      `"Use correlation to track email conversations" On by default (${cite('systemSettingsEmail')}).`,
      `"Use tracking tokens" turned on by default (${cite('automaticallyTracked')}).`,
      `"Use smart matching" Off by default (${citeAll(['automaticallyTracked', 'emailTrackingSettings'])}; its column's default is false: ${cite('organizationTable')}).`,
    ],
    notes: ['Equal to DEFAULT_SETTINGS for these keys.'],
    sources: sources('automaticallyTracked', 'systemSettingsEmail', 'emailTrackingSettings', 'organizationTable'),
    delivery: ['server-side-sync'],
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name.toLowerCase());
}

/** Full settings for a preset: DEFAULT_SETTINGS overlaid with the preset (optionally onto a base). */
export function applyPreset(preset: Preset, base: Settings = DEFAULT_SETTINGS): Settings {
  return { ...base, ...preset.settings, trackingprefixhistory: [...(preset.settings.trackingprefixhistory ?? base.trackingprefixhistory)] };
}

/** Plain-language effect of turning a setting to a value (the settings the presets touch, plus a fallback). */
function effect(key: keyof Settings, value: unknown): string {
  const on = value === true;
  switch (key) {
    case 'emailcorrelationenabled': return on ? 'replies are matched by In-Reply-To and ConversationIndex' : 'In-Reply-To and ConversationIndex correlation are off';
    case 'IgnoreConversationIndexAndInReplyToForCorrelation': return on ? 'In-Reply-To and ConversationIndex are ignored for correlation' : 'In-Reply-To and ConversationIndex may be used';
    case 'enablesmartmatching': return on ? 'smart matching (subject + address hashes) can correlate email without token or headers' : 'smart matching is off';
    case 'DisableSmartMatching': return on ? 'legacy switch disables smart matching regardless of enablesmartmatching' : 'legacy smart-matching kill switch is off';
    case 'usetrackingtokens': return on ? 'tracking tokens are written and recognised' : 'tracking tokens are not used';
    case 'hashmaxcount': return `smart matching gives up when more than ${String(value)} tracked emails share the hashes`;
    case 'hashminaddresscount': return `smart matching needs at least ${String(value)} shared addresses`;
    case 'hashdeltasubjectcount': return `subject word-hash counts may differ by ${String(value)}`;
    default: return `${key} = ${JSON.stringify(value)}`;
  }
}

export interface SettingChange { key: keyof Settings; from: unknown; to: unknown; effect: string }

/** Settings whose effective values differ between two presets (each applied onto DEFAULT_SETTINGS). */
export function explainPresetDiff(a: Preset, b: Preset): SettingChange[] {
  const sa = applyPreset(a);
  const sb = applyPreset(b);
  const out: SettingChange[] = [];
  for (const key of Object.keys(sa) as (keyof Settings)[]) {
    if (JSON.stringify(sa[key]) !== JSON.stringify(sb[key])) out.push({ key, from: sa[key], to: sb[key], effect: effect(key, sb[key]) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// What-if between two presets over the same mailbox: "what changed for this mailbox across an upgrade".

export const COMPARED_DECISION_KEYS = ['outcome', 'tracked', 'correlationMethod', 'correlatedTo', 'parent', 'regarding', 'acceptingEntity'] as const;
export type ComparedDecisionKey = (typeof COMPARED_DECISION_KEYS)[number];

export interface DecisionChange {
  key: string;
  changes: { key: ComparedDecisionKey; before: unknown; after: unknown }[];
  /** One sentence: what changed and which setting change explains it. */
  summary: string;
}

export interface PresetComparison {
  before: string;
  after: string;
  settingChanges: SettingChange[];
  changed: DecisionChange[];
  unchanged: string[];
  countsBefore: ReplayResult['countsByOutcome'];
  countsAfter: ReplayResult['countsByOutcome'];
}

/** The setting change that best explains a correlation-method change (null when none applies). */
function because(a: Decision, b: Decision, changes: readonly SettingChange[]): string | null {
  const has = (k: keyof Settings): SettingChange | undefined => changes.find((c) => c.key === k);
  const headerMethods = ['InReplyTo', 'ConversationIndex'];
  const pick = headerMethods.includes(b.correlationMethod) || headerMethods.includes(a.correlationMethod)
    ? has('emailcorrelationenabled') ?? has('IgnoreConversationIndexAndInReplyToForCorrelation')
    : b.correlationMethod === 'SmartMatching' || a.correlationMethod === 'SmartMatching'
      ? has('enablesmartmatching') ?? has('DisableSmartMatching') ?? has('hashminaddresscount') ?? has('hashdeltasubjectcount')
      : b.correlationMethod === 'TrackingToken' || a.correlationMethod === 'TrackingToken' ? has('usetrackingtokens') : undefined;
  return pick ? `${pick.key} ${JSON.stringify(pick.from)} → ${JSON.stringify(pick.to)}: ${pick.effect}` : null;
}

/** Pure comparison of two replays of the same messages (any two settings, labelled). */
export function compareDecisions(before: ReplayResult, after: ReplayResult, labels: [string, string], settingChanges: SettingChange[] = []): PresetComparison {
  const byKey = new Map(after.decisions.map((d) => [d.key, d]));
  const out: PresetComparison = { before: labels[0], after: labels[1], settingChanges, changed: [], unchanged: [], countsBefore: before.countsByOutcome, countsAfter: after.countsByOutcome };
  for (const a of before.decisions) {
    const b = byKey.get(a.key);
    if (!b) continue;
    const changes = COMPARED_DECISION_KEYS.filter((k) => a[k] !== b[k]).map((k) => ({ key: k, before: a[k] as unknown, after: b[k] as unknown }));
    if (changes.length === 0) { out.unchanged.push(a.key); continue; }
    const parts: string[] = [];
    if (a.outcome !== b.outcome) parts.push(`${a.outcome} → ${b.outcome}`);
    if (a.correlationMethod !== b.correlationMethod) parts.push(`correlation ${a.correlationMethod} → ${b.correlationMethod}`);
    if (a.regarding !== b.regarding) parts.push(`Regarding ${a.regarding ?? '(none)'} → ${b.regarding ?? '(none)'}`);
    const why = because(a, b, settingChanges);
    out.changed.push({ key: a.key, changes, summary: `${parts.join('; ') || changes.map((c) => c.key).join(', ') + ' changed'}${why ? ` (because ${why})` : ''}` });
  }
  return out;
}

/** Replays `input` under preset `a` and preset `b` (each applied onto input.settings) and compares. */
export function comparePresets(input: ReplayInput, a: Preset, b: Preset): PresetComparison {
  const ra = replay({ ...input, settings: applyPreset(a, input.settings) });
  const rb = replay({ ...input, settings: applyPreset(b, input.settings) });
  return compareDecisions(ra, rb, [a.name, b.name], explainPresetDiff(a, b));
}
