// Turns "baseline settings → proposed settings" into what an admin applies in a real organization, one
// route per way of applying it, each labelled with how it is applied and the documents it rests on:
//   - System Settings › Email: the admin screen, each column beside its System Settings label and value as
//     that screen shows it (the message counter as its number of digits, internal email as "Track emails
//     sent between users as two activities", the inverse of ignoreinternalemail);
//   - the Dataverse Web API PATCH of the organization row with the changed columns;
//   - OrgDBOrgSettings through the Web API: read the organization's `orgdborgsettings` column first (one XML
//     string, `<OrgSettings><Name>value</Name>…</OrgSettings>`, holding every setting), merge the changed
//     elements into it, PATCH the merged value back;
//   - OrgDBOrgSettings as the OrgDBOrgSettings editor solution lists them (name, current, new value).
// The `orgdborgsettings` format is not documented by Microsoft; it is the one public tools read and write
// (the editor's own source and notes, research T-ODB), so that route says so. Microsoft's "organization
// table" page says not to update that column directly; the route repeats the warning.
// Simulator-only settings are our assumptions about undocumented behaviour: listed, never emitted. Every
// emitted name is checked against the tables below (research §2.1 organization columns, §2.3
// OrgDBOrgSettings); a setting added to the engine later is routed by its metadata (settingsMeta.ts)
// instead of breaking the kit.

import { type Settings, counterDigits, SETTINGS_META, type SettingMeta } from '../engine/index.js';

export type ColumnType = 'boolean' | 'integer' | 'string';

/** Organization columns SyncLens may write (research §2.1, M-org), with their Web API JSON types. */
export const ORGANIZATION_COLUMNS: Readonly<Record<string, { type: ColumnType; min?: number; max?: number; maxLength?: number }>> = {
  emailcorrelationenabled: { type: 'boolean' },
  trackingprefix: { type: 'string', maxLength: 256 },
  trackingtokenidbase: { type: 'integer', min: 0, max: 2147483647 },
  trackingtokeniddigits: { type: 'integer', min: 1, max: 10 },
  maximumtrackingnumber: { type: 'integer', min: 0, max: 2147483647 },
  enablesmartmatching: { type: 'boolean' },
  hashfilterkeywords: { type: 'string', maxLength: 1073741823 },
  hashmaxcount: { type: 'integer', min: 0, max: 2147483647 },
  hashdeltasubjectcount: { type: 'integer', min: 0, max: 2147483647 },
  hashminaddresscount: { type: 'integer', min: 0, max: 2147483647 },
  ignoreinternalemail: { type: 'boolean' },
  unresolveemailaddressifmultiplematch: { type: 'boolean' },
  resolvesimilarunresolvedemailaddress: { type: 'boolean' },
  allowunresolvedpartiesonemailsend: { type: 'boolean' },
  isfolderbasedtrackingenabled: { type: 'boolean' },
  maxfolderbasedtrackingmappings: { type: 'integer', min: 1, max: 25 },
  requireapprovalforuseremail: { type: 'boolean' },
  requireapprovalforqueueemail: { type: 'boolean' },
};

/** OrgDBOrgSettings relevant to SSS email (research §2.3, D-ODB / T-ODB), with types and ranges. */
export const ORGDB_SETTINGS: Readonly<Record<string, { type: ColumnType; min?: number; max?: number }>> = {
  SSSForceFilteringMethodForUserMailboxes: { type: 'integer', min: -1, max: 4 },
  UseFilteringMethodOfSyncingMailboxOnlyForCorrelation: { type: 'boolean' },
  IgnoreConversationIndexAndInReplyToForCorrelation: { type: 'boolean' },
  DoNotCorrelateForwardedEmailsAsReplies: { type: 'boolean' },
  DisableSmartMatching: { type: 'boolean' },
  DisableSmartMatchingEmailHashCreation: { type: 'boolean' },
  AutoTrackSentFolderItems: { type: 'boolean' },
  DoNotAutoTrackEmail: { type: 'boolean' },
  DoNotIgnoreInternalEmailToQueues: { type: 'boolean' },
  IgnoreInternalEmailDetectionEnhancement: { type: 'boolean' },
  IgnoreInternalEmailFromQueues: { type: 'boolean' },
  CreateQueueItemsForAcceptingQueueRecipients: { type: 'boolean' },
  CreateQueueItemForSynchronizingMailbox: { type: 'boolean' },
  SSSCreateAdditionalQueueItemsForAlreadyTrackedEmail: { type: 'boolean' },
  MaximumSubjectLengthOnMailServer: { type: 'integer', min: 255, max: 400 },
  ResolveForInactiveEntities: { type: 'boolean' },
  UnresolveSenderInCaseOfMultipleMatch: { type: 'boolean' },
  OverrideV5SenderConflictResolution: { type: 'boolean' },
};

/** Settings keys that have no Dynamics column at all, with what the admin does instead. */
const MANUAL: Partial<Record<keyof Settings, string>> = {
  usetrackingtokens: 'System Settings › Email › "Use tracking tokens" (no organization column is known in Microsoft\'s organization table reference): change it in the admin screen.',
  trackingprefixhistory: 'Previous prefixes are kept by Dynamics in the trackingprefix history; its format is undocumented, so it is not written.',
};

/** A document a route rests on, cited by its title. */
export interface SourceRef { title: string; url: string }

export const SOURCES = {
  systemSettings: { title: 'System Settings dialog box – Email tab (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/power-platform/admin/system-settings-dialog-box-email-tab' },
  tracking: { title: 'Specify which emails are automatically tracked (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/power-platform/admin/email-message-filtering-correlation' },
  orgTable: { title: 'organization table/entity reference (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/organization' },
  orgSettingsPage: { title: 'Read and update environment settings – organization table (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/organization-table' },
  orgDbDoc: { title: 'OrgDBOrgSettings for server-side synchronization (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/power-platform/admin/OrgDbOrgSettings' },
  editor: { title: 'OrgDBOrgSettings editor – Organization Settings Editor solution (seanmcne/OrgDbOrgSettings, GitHub)', url: 'https://github.com/seanmcne/OrgDbOrgSettings' },
  editorWebApi: { title: 'OrgDbOrgSettings – WebAPI Interactions Summary (seanmcne/OrgDbOrgSettings, GitHub)', url: 'https://github.com/seanmcne/OrgDbOrgSettings/blob/master/WebApiInteractions.md' },
} as const satisfies Record<string, SourceRef>;

/**
 * What System Settings › Email calls each organization column (research §2.1 "UI label", D-SSE, D1), or null
 * when the admin screen has no field for it (then the Web API is the only route).
 */
export const SYSTEM_SETTINGS_LABELS: Readonly<Record<string, string | null>> = {
  emailcorrelationenabled: 'Use correlation to track email conversations',
  trackingprefix: 'Prefix',
  trackingtokenidbase: 'Deployment base tracking number',
  trackingtokeniddigits: 'Number of digits for user numbers',
  maximumtrackingnumber: 'Number of digits for incremental message counter',
  enablesmartmatching: 'Use smart matching',
  hashfilterkeywords: null,
  hashmaxcount: null,
  hashdeltasubjectcount: null,
  hashminaddresscount: null,
  ignoreinternalemail: 'Track emails sent between users as two activities',
  unresolveemailaddressifmultiplematch: 'Set To, cc, bcc fields as unresolved values if multiple matches are found in Incoming Emails',
  resolvesimilarunresolvedemailaddress: 'Apply same email address to all unresolved matches when you manually resolve it for one',
  allowunresolvedpartiesonemailsend: 'Allow messages with unresolved email recipients to be sent',
  isfolderbasedtrackingenabled: 'Use folder-level tracking for Exchange folders',
  maxfolderbasedtrackingmappings: null,
  requireapprovalforuseremail: 'Process emails only for approved users',
  requireapprovalforqueueemail: 'Process emails only for approved queues',
};

/** A column's value as System Settings shows and takes it. */
export function systemSettingsValue(column: string, value: unknown): string {
  if (column === 'maximumtrackingnumber' && typeof value === 'number') return String(counterDigits({ maximumtrackingnumber: value }));
  // ignoreinternalemail true means the screen's "Track emails sent between users as two activities" is No.
  if (column === 'ignoreinternalemail' && typeof value === 'boolean') return value ? 'No' : 'Yes';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class ApplyKitError extends Error {
  constructor(message: string) { super(message); this.name = 'ApplyKitError'; }
}

type JsonScalar = boolean | number | string;

function checkValue(kind: string, name: string, spec: { type: ColumnType; min?: number; max?: number; maxLength?: number }, value: unknown): JsonScalar {
  const bad = (p: string): never => { throw new ApplyKitError(`${kind} ${name}: ${p} (got ${JSON.stringify(value)})`); };
  if (spec.type === 'boolean') return typeof value === 'boolean' ? value : bad('expected a boolean');
  if (spec.type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return bad('expected an integer');
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return bad(`out of range ${spec.min ?? '…'}–${spec.max ?? '…'}`);
    return value;
  }
  if (typeof value !== 'string') return bad('expected a string');
  if (spec.maxLength !== undefined && value.length > spec.maxLength) return bad(`longer than ${spec.maxLength} characters`);
  return value;
}

/** Throws unless `name` is a known organization column and `value` has its type. */
export function validateOrganizationColumn(name: string, value: unknown): JsonScalar {
  const spec = ORGANIZATION_COLUMNS[name];
  if (!spec) throw new ApplyKitError(`organization column ${name}: not a known organization column`);
  return checkValue('organization column', name, spec, value);
}

/** Throws unless `name` is a known OrgDBOrgSetting and `value` has its type. */
export function validateOrgDbSetting(name: string, value: unknown): JsonScalar {
  const spec = ORGDB_SETTINGS[name];
  if (!spec) throw new ApplyKitError(`OrgDBOrgSetting ${name}: not a known OrgDBOrgSetting`);
  return checkValue('OrgDBOrgSetting', name, spec, value);
}

export interface WebApiRequest {
  method: 'PATCH' | 'GET';
  url: string;
  headers: Record<string, string>;
  body: Record<string, JsonScalar>;
  /** The body as sent (pretty-printed JSON); '' for a GET. */
  bodyText: string;
}

export interface SettingDelta { key: keyof Settings; from: unknown; to: unknown }

/** One changed organization column with what System Settings calls it and shows. */
export interface ColumnChange {
  key: keyof Settings;
  column: string;
  /** The System Settings › Email label, or null when the screen has no field for it. */
  label: string | null;
  /** Values as System Settings shows them (digits of the counter, Yes/No, the inverse for internal email). */
  fromShown: string;
  toShown: string;
  /** Values as the organization column holds them (the Web API body). */
  from: unknown;
  to: JsonScalar;
  note?: string;
}

export type RouteConfidence = 'documented' | 'public-tools' | 'unconfirmed';

/** One way to apply the change, with how it is applied and what it rests on. */
export interface ApplyRoute {
  id: 'system-settings' | 'webapi-columns' | 'orgdb-webapi' | 'orgdb-editor';
  title: string;
  /** How it is applied, e.g. "Web API: read orgdborgsettings, merge, PATCH the merged value". */
  how: string;
  confidence: RouteConfidence;
  /** Why that confidence (e.g. "Microsoft does not document the column's format"). */
  confidenceNote: string;
  /** The block to paste or follow. */
  text: string;
  sources: SourceRef[];
}

export interface ApplyKit {
  /** null when no organization column changes. */
  webApi: WebApiRequest | null;
  columns: ColumnChange[];
  orgDbChanges: { name: string; label: string; from: unknown; to: JsonScalar }[];
  /** The GET that reads the current orgdborgsettings; null when no OrgDBOrgSetting changes. */
  orgDbRead: WebApiRequest | null;
  /** The PATCH of the merged orgdborgsettings value; its body is the merged value when the current one was given. */
  orgDbWrite: WebApiRequest | null;
  /** The changed elements, `<OrgSettings><Name>value</Name>…</OrgSettings>`, to merge into the current value. */
  orgDbElements: string | null;
  /** True when orgDbWrite's body is the real merged value (the current value was given). */
  orgDbMerged: boolean;
  routes: ApplyRoute[];
  /** Changes with no column to write (done in the admin screen, or undocumented storage). */
  manual: { key: keyof Settings; from: unknown; to: unknown; how: string }[];
  simulatorAssumptions: SettingDelta[];
  note: string;
}

export interface ApplyKitOptions {
  /** e.g. https://contoso.crm.dynamics.com */
  organizationUri: string;
  /** organizationid GUID; a placeholder is written when unknown. */
  organizationId?: string;
  /** Measured effect lines from the replay (e.g. "12 of 40 replies now correlate by InReplyTo"). */
  measuredEffect?: string[];
  /** The organization's current orgdborgsettings value (as read with the kit's GET): the PATCH then carries the merged value. */
  currentOrgDbOrgSettings?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(show).join(', ')}]` : String(v);
}

/**
 * Merges changed OrgDBOrgSettings into the organization's current `orgdborgsettings` value: every element
 * already there is kept in its place, a changed one gets its new value, a new one is appended. The value is
 * read as `<OrgSettings>` (any case) holding `<Name>text</Name>` or `<Name/>` elements; anything else is
 * refused with the reason, so a value SyncLens does not understand is never rewritten.
 */
export function mergeOrgDbOrgSettings(current: string, changes: readonly { name: string; to: JsonScalar }[]): string {
  const text = current.trim();
  const elements: { name: string; raw: string }[] = [];
  if (text !== '') {
    const root = /^<(orgsettings)\s*>([\s\S]*)<\/\1\s*>$/i.exec(text) ?? (/^<orgsettings\s*\/>$/i.test(text) ? ['', 'OrgSettings', ''] : null);
    if (!root) throw new ApplyKitError('the current orgdborgsettings value is not <OrgSettings>…</OrgSettings>: paste the value exactly as the GET returned it');
    let rest = root[2] ?? '';
    const el = /^\s*(?:<([A-Za-z_][\w.-]*)\s*>([^<]*)<\/\1\s*>|<([A-Za-z_][\w.-]*)\s*\/>)/;
    while (rest.trim() !== '') {
      const m = el.exec(rest);
      if (!m) throw new ApplyKitError(`the current orgdborgsettings value has content SyncLens does not read near "${rest.trim().slice(0, 40)}": merge by hand`);
      elements.push({ name: (m[1] ?? m[3]) as string, raw: m[0].trim() });
      rest = rest.slice(m[0].length);
    }
  }
  for (const c of changes) {
    const raw = `<${c.name}>${xmlEscape(String(c.to))}</${c.name}>`;
    const at = elements.findIndex((e) => e.name === c.name);
    if (at >= 0) elements[at] = { name: c.name, raw };
    else elements.push({ name: c.name, raw });
  }
  return `<OrgSettings>${elements.map((e) => e.raw).join('')}</OrgSettings>`;
}

type Route = { kind: 'column'; type: ColumnType; spec?: { type: ColumnType; min?: number; max?: number; maxLength?: number } } | { kind: 'orgdb'; name: string } | { kind: 'sim' } | { kind: 'manual'; how: string };

/** Where a setting goes: the research tables first, then (for settings added later) its metadata. */
function routeOf(key: keyof Settings, meta: SettingMeta | undefined): Route {
  const how = MANUAL[key];
  if (how) return { kind: 'manual', how };
  if (key.startsWith('sim') || meta?.group === 'Simulator (undocumented)') return { kind: 'sim' };
  const col = ORGANIZATION_COLUMNS[key];
  if (col) return { kind: 'column', type: col.type, spec: col };
  if (key in ORGDB_SETTINGS) return { kind: 'orgdb', name: key };
  if (meta?.group === 'OrgDBOrgSettings') return { kind: 'orgdb', name: meta.microsoftName };
  // An organization column the research tables do not list: not written blind, the admin screen is named.
  return { kind: 'manual', how: `${meta ? `"${meta.label}"` : key}: not among the organization columns SyncLens has checked against Microsoft's table reference, so it is not written; change it where the admin screen offers it.` };
}

export function buildApplyKit(baseline: Settings, proposal: Settings, options: ApplyKitOptions): ApplyKit {
  const uri = options.organizationUri.trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^/\s]+$/i.test(uri)) throw new ApplyKitError(`organizationUri: expected https://<host> (got ${JSON.stringify(options.organizationUri)})`);
  if (options.organizationId !== undefined && !GUID.test(options.organizationId)) throw new ApplyKitError(`organizationId: expected a GUID (got ${JSON.stringify(options.organizationId)})`);
  const metaOf = new Map<string, SettingMeta>(SETTINGS_META.map((m) => [m.key, m]));

  const body: Record<string, JsonScalar> = {};
  const columns: ColumnChange[] = [];
  const orgDbChanges: ApplyKit['orgDbChanges'] = [];
  const manual: ApplyKit['manual'] = [];
  const simulatorAssumptions: SettingDelta[] = [];

  for (const key of Object.keys(proposal) as (keyof Settings)[]) {
    const from = baseline[key];
    const to = proposal[key];
    if (same(from, to)) continue;
    const meta = metaOf.get(key);
    const r = routeOf(key, meta);
    if (r.kind === 'sim') { simulatorAssumptions.push({ key, from, to }); continue; }
    if (r.kind === 'manual') { manual.push({ key, from, to, how: r.how }); continue; }
    if (r.kind === 'orgdb') {
      const spec = ORGDB_SETTINGS[r.name] ?? { type: meta?.kind === 'boolean' ? 'boolean' : meta?.kind === 'int' ? 'integer' : 'string', ...(meta?.min !== undefined ? { min: meta.min } : {}), ...(meta?.max !== undefined ? { max: meta.max } : {}) };
      orgDbChanges.push({ name: r.name, label: meta?.label ?? r.name, from, to: checkValue('OrgDBOrgSetting', r.name, spec, to) });
      continue;
    }
    const value = validateOrganizationColumn(key, to);
    const label = SYSTEM_SETTINGS_LABELS[key] ?? null;
    const change: ColumnChange = { key, column: key, label, from, to: value, fromShown: systemSettingsValue(key, from), toShown: systemSettingsValue(key, value) };
    if (key === 'maximumtrackingnumber') {
      // The admin screen takes the counter's number of digits; that the column then holds 10^d − 1 (999 for 3)
      // is an inference, so the column is not written: the digits are entered in the screen.
      change.note = `Enter ${change.toShown} digits in System Settings. The column is believed to hold ${value} (10^${change.toShown} − 1), an inference, so the Web API request leaves it out.`;
      columns.push(change);
      continue;
    }
    if (key === 'ignoreinternalemail') change.note = `The inverse of the column: ignoreinternalemail ${String(value)} is "${change.label}" = ${change.toShown} (an inference from the OrgDBOrgSettings editor's setting texts).`;
    body[key] = value;
    columns.push(change);
  }

  const orgUrl = `${uri}/api/data/v9.2/organizations(${options.organizationId ?? '<organizationid>'})`;
  const headers = { 'Content-Type': 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-Match': '*' };
  const webApi: WebApiRequest | null = Object.keys(body).length === 0 ? null : { method: 'PATCH', url: orgUrl, headers, body, bodyText: JSON.stringify(body, null, 2) };

  const orgDbElements = orgDbChanges.length === 0 ? null : `<OrgSettings>${orgDbChanges.map((c) => `<${c.name}>${xmlEscape(String(c.to))}</${c.name}>`).join('')}</OrgSettings>`;
  const orgDbRead: WebApiRequest | null = orgDbChanges.length === 0 ? null : {
    method: 'GET', url: `${orgUrl}?$select=orgdborgsettings`, headers: { Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' }, body: {}, bodyText: '',
  };
  const merged = orgDbChanges.length && options.currentOrgDbOrgSettings !== undefined ? mergeOrgDbOrgSettings(options.currentOrgDbOrgSettings, orgDbChanges) : null;
  const writeValue = merged ?? '<OrgSettings>…every element the GET returned, with the elements above replaced or added…</OrgSettings>';
  const orgDbWrite: WebApiRequest | null = orgDbChanges.length === 0 ? null : {
    method: 'PATCH', url: orgUrl, headers, body: { orgdborgsettings: writeValue }, bodyText: JSON.stringify({ orgdborgsettings: writeValue }, null, 2),
  };

  const routes: ApplyRoute[] = [];
  const shown = columns.filter((c) => c.label !== null);
  const manualScreen = manual.filter((m) => m.key === 'usetrackingtokens');
  if (shown.length || manualScreen.length) {
    routes.push({
      id: 'system-settings', title: 'System Settings › Email (the admin screen)',
      how: 'Settings › Administration › System Settings › Email tab: change each field below, then OK.',
      confidence: 'documented', confidenceNote: 'The labels and the digit and Yes/No forms are those of Microsoft\'s System Settings documentation; that each field writes the column beside it is an inference for some.',
      text: [
        ...shown.map((c) => `${c.label}: ${c.fromShown} → ${c.toShown}    [column ${c.column}]${c.note ? `\n    ${c.note}` : ''}`),
        ...manualScreen.map((m) => `Use tracking tokens: ${m.from ? 'Yes' : 'No'} → ${m.to ? 'Yes' : 'No'}    [no organization column is known]`),
      ].join('\n'),
      sources: [SOURCES.systemSettings, SOURCES.tracking],
    });
  }
  if (webApi) {
    const noScreen = columns.filter((c) => c.label === null && c.column in body).map((c) => c.column);
    routes.push({
      id: 'webapi-columns', title: 'Dataverse Web API: PATCH the organization row',
      how: `Send this request as a System Administrator (only the changed columns; the others keep their values).${noScreen.length ? ` ${noScreen.join(', ')} ${noScreen.length === 1 ? 'has' : 'have'} no System Settings field: this request is the way to change ${noScreen.length === 1 ? 'it' : 'them'}.` : ''}`,
      confidence: 'documented', confidenceNote: 'The organization columns and their types are in Microsoft\'s table reference; the PATCH of the single organization row is the documented update.',
      text: [`${webApi.method} ${webApi.url}`, ...Object.entries(webApi.headers).map(([k, v]) => `${k}: ${v}`), '', webApi.bodyText].join('\n'),
      sources: [SOURCES.orgTable, SOURCES.orgSettingsPage],
    });
  }
  if (orgDbRead && orgDbWrite && orgDbElements) {
    routes.push({
      id: 'orgdb-webapi', title: 'OrgDBOrgSettings through the Web API: read, merge, PATCH',
      how: 'The orgdborgsettings column holds every OrgDBOrgSetting of the organization as one XML string. Read it first, merge the elements below into it (keep every other element), then PATCH the merged value: sending only the changed elements could drop the others.',
      confidence: 'public-tools',
      confidenceNote: 'Microsoft does not document the column\'s XML format and its "organization table" page says not to update the column directly but with the tools for environment database settings; the <OrgSettings><Name>value</Name></OrgSettings> form is the one the OrgDBOrgSettings editor reads and writes (its source and notes). Prefer the editor route below.',
      text: [
        '# 1. Read the current value',
        `${orgDbRead.method} ${orgDbRead.url}`, ...Object.entries(orgDbRead.headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '# 2. Merge these elements into it (replace an element of the same name, else add it; keep all others)',
        orgDbElements,
        '',
        merged ? '# 3. PATCH the merged value (merged by SyncLens from the value given)' : '# 3. PATCH the merged value back',
        `${orgDbWrite.method} ${orgDbWrite.url}`, ...Object.entries(orgDbWrite.headers).map(([k, v]) => `${k}: ${v}`),
        '',
        orgDbWrite.bodyText,
      ].join('\n'),
      sources: [SOURCES.orgSettingsPage, SOURCES.orgDbDoc, SOURCES.editorWebApi],
    });
    const w = Math.max(...orgDbChanges.map((c) => c.name.length), 'Name'.length);
    routes.push({
      id: 'orgdb-editor', title: 'OrgDBOrgSettings editor (Organization Settings Editor solution)',
      how: 'Settings › Solutions › Organization Settings Editor (its configuration page). For each setting: Add it if it has no current value, then Edit and enter the new value.',
      confidence: 'public-tools', confidenceNote: 'A community solution maintained by Microsoft support engineers, not a Microsoft product; setting names and value types are those of its settings list.',
      text: [`${'Name'.padEnd(w)}  Current (baseline)  New value`, ...orgDbChanges.map((c) => `${c.name.padEnd(w)}  ${String(c.from).padEnd(18)}  ${String(c.to)}`)].join('\n'),
      sources: [SOURCES.editor, SOURCES.orgDbDoc],
    });
  }

  const lines: string[] = ['Change note'];
  if (columns.length) {
    lines.push('', 'Organization settings (System Settings › Email):');
    for (const c of columns) lines.push(`  - ${c.label ?? c.column}${c.label ? ` (${c.column})` : ' (no System Settings field)'}: ${c.fromShown} → ${c.toShown}`);
  }
  if (orgDbChanges.length) {
    lines.push('', 'OrgDBOrgSettings:');
    for (const c of orgDbChanges) lines.push(`  - ${c.name}: ${show(c.from)} → ${show(c.to)}`);
  }
  if (manual.length) {
    lines.push('', 'Manual changes:');
    for (const c of manual) lines.push(`  - ${c.key}: ${show(c.from)} → ${show(c.to)} — ${c.how}`);
  }
  if (simulatorAssumptions.length) {
    lines.push('', 'Simulator assumptions, nothing to apply:');
    for (const c of simulatorAssumptions) lines.push(`  - ${c.key}: ${show(c.from)} → ${show(c.to)}`);
  }
  lines.push('', 'Measured effect (replay):');
  const effect = options.measuredEffect ?? [];
  if (effect.length) for (const e of effect) lines.push(`  - ${e}`);
  else lines.push('  - (not measured yet)');
  if (!columns.length && !orgDbChanges.length && !manual.length && !simulatorAssumptions.length) lines.splice(1, 0, '', 'No setting differs from the baseline.');

  return { webApi, columns, orgDbChanges, orgDbRead, orgDbWrite, orgDbElements, orgDbMerged: merged !== null, routes, manual, simulatorAssumptions, note: lines.join('\n') };
}
