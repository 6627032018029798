// Turns "baseline settings → proposed settings" into what an admin applies in a real organization:
// (a) a Dataverse Web API PATCH of the organization row with only the changed columns, (b) the
// OrgDBOrgSettings changes, (c) a plain-language change note. Simulator-only `sim*` settings are our
// assumptions about undocumented behaviour: they are listed, never emitted. Every emitted name is
// checked against the tables below (research §2.1 organization columns, §2.3 OrgDBOrgSettings).

import type { Settings } from '../engine/settings.js';

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
  usetrackingtokens: 'System Settings › Email › "Use tracking tokens" (no organization column is known, research §13): change it in the admin screen.',
  trackingprefixhistory: 'Previous prefixes are kept by Dynamics in the trackingprefix history; its format is undocumented (research §13), so it is not written.',
};

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
  method: 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: Record<string, JsonScalar>;
  /** The body as sent (pretty-printed JSON). */
  bodyText: string;
}

export interface SettingDelta { key: keyof Settings; from: unknown; to: unknown }

export interface ApplyKit {
  /** null when no organization column changes. */
  webApi: WebApiRequest | null;
  orgDbChanges: { name: string; from: unknown; to: JsonScalar }[];
  /** null when no OrgDBOrgSetting changes. */
  orgDbXml: string | null;
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
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(show).join(', ')}]` : String(v);
}

export function buildApplyKit(baseline: Settings, proposal: Settings, options: ApplyKitOptions): ApplyKit {
  const uri = options.organizationUri.trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^/\s]+$/i.test(uri)) throw new ApplyKitError(`organizationUri: expected https://<host> (got ${JSON.stringify(options.organizationUri)})`);
  if (options.organizationId !== undefined && !GUID.test(options.organizationId)) throw new ApplyKitError(`organizationId: expected a GUID (got ${JSON.stringify(options.organizationId)})`);

  const body: Record<string, JsonScalar> = {};
  const orgDbChanges: ApplyKit['orgDbChanges'] = [];
  const manual: ApplyKit['manual'] = [];
  const simulatorAssumptions: SettingDelta[] = [];
  const columnChanges: SettingDelta[] = [];

  for (const key of Object.keys(proposal) as (keyof Settings)[]) {
    const from = baseline[key];
    const to = proposal[key];
    if (same(from, to)) continue;
    if (key.startsWith('sim')) { simulatorAssumptions.push({ key, from, to }); continue; }
    const how = MANUAL[key];
    if (how) { manual.push({ key, from, to, how }); continue; }
    if (key in ORGANIZATION_COLUMNS) { body[key] = validateOrganizationColumn(key, to); columnChanges.push({ key, from, to }); continue; }
    if (key in ORGDB_SETTINGS) { orgDbChanges.push({ name: key, from, to: validateOrgDbSetting(key, to) }); continue; }
    throw new ApplyKitError(`setting ${key}: neither an organization column nor an OrgDBOrgSetting known to SyncLens`);
  }

  const webApi: WebApiRequest | null = Object.keys(body).length === 0 ? null : {
    method: 'PATCH',
    url: `${uri}/api/data/v9.2/organizations(${options.organizationId ?? '<organizationid>'})`,
    headers: { 'Content-Type': 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0', 'If-Match': '*' },
    body,
    bodyText: JSON.stringify(body, null, 2),
  };

  // The XML shape below is the one SyncLens hands to the OrgDBOrgSettings editor. Neither the research nor
  // the seeds document an XML import format for OrgDBOrgSettings (D-ODB describes the settings, not a file
  // format), so the shape is ours: one <pair> per setting, values as invariant text (true/false, digits).
  const orgDbXml = orgDbChanges.length === 0 ? null
    : ['<orgSettings>', ...orgDbChanges.map((c) => `  <pair><key>${xmlEscape(c.name)}</key><value>${xmlEscape(String(c.to))}</value></pair>`), '</orgSettings>'].join('\n');

  const lines: string[] = ['Change note'];
  if (columnChanges.length) {
    lines.push('', 'Organization settings (System Settings › Email):');
    for (const c of columnChanges) lines.push(`  - ${c.key}: ${show(c.from)} → ${show(c.to)}`);
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
  if (!columnChanges.length && !orgDbChanges.length && !manual.length && !simulatorAssumptions.length) lines.splice(1, 0, '', 'No setting differs from the baseline.');

  return { webApi, orgDbChanges, orgDbXml, manual, simulatorAssumptions, note: lines.join('\n') };
}
