// Input schemas for every contract method. Electron main and the browser-mode server run the same
// `validateInput` before anything reaches the engine host, so the host only ever sees well-formed
// input. Objects are strict (unknown fields are refused: a typo must not silently do nothing),
// strings and arrays have limits, and numbers are bounded integers. Path *containment* (is this path
// inside something the user chose?) needs the file system, so it is checked by the host, not here.
import { z } from 'zod';
import { MESSAGE_FLAGS, METHOD_NAMES, type ContractError, type MethodInput, type MethodName } from './contract.js';
import { DEFAULT_SETTINGS, type Settings, OUTCOMES, type CorrelationMethod } from '../engine/index.js';
import { MAX_SWEEP_POINTS, SWEPT_KEYS } from '../analysis/sweep.js';

/** Limits, named so error messages and tests can quote them. */
export const LIMITS = {
  path: 4096,
  paths: 10_000,
  key: 200,
  name: 200,
  text: 2000,
  jobId: 200,
  pageSize: 5000,
  previewCount: 1000,
  settingString: 4096,
  settingArray: 100,
} as const;

const str = (max: number) => z.string().max(max);
const nonEmpty = (max: number) => z.string().min(1).max(max);
const path = nonEmpty(LIMITS.path).refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character');
const key = nonEmpty(LIMITS.key);
const runId = z.number().int().positive().nullable().optional();
const empty = z.strictObject({});

const METHODS = ['None', 'Skipped', 'InReplyTo', 'TrackingToken', 'ConversationIndex', 'SmartMatching'] as const satisfies readonly CorrelationMethod[];
const SORT_KEYS = ['date', 'mailbox', 'folder', 'from', 'subject', 'outcome', 'method'] as const;

/**
 * Partial<Settings>, derived from DEFAULT_SETTINGS so a setting added there is accepted here without
 * a second list to keep in step: each field must have the default's type (enum-like string settings
 * keep their closed value lists below).
 */
const SETTING_ENUMS: Partial<Record<keyof Settings, readonly [string, ...string[]]>> = {
  simConversationIndexRule: ['parent', 'exact', 'base'],
  simSmartMatchingSubjectRule: ['A', 'B', 'C'],
  simTokenSeparator: ['system', 'prefix'],
  simTokenPosition: ['anywhere', 'end'],
};

function settingSchema(name: keyof Settings, example: unknown): z.ZodType {
  const values = SETTING_ENUMS[name];
  if (values) return z.enum(values);
  if (typeof example === 'boolean') return z.boolean();
  if (typeof example === 'number') return z.number().int().min(-1_000_000_000).max(1_000_000_000);
  if (typeof example === 'string') return str(LIMITS.settingString);
  if (Array.isArray(example)) return z.array(str(LIMITS.name)).max(LIMITS.settingArray);
  throw new Error(`settings schema: no rule for setting ${String(name)}`);
}

export const partialSettingsSchema = z.strictObject(
  Object.fromEntries(
    (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).map((name) => [name, settingSchema(name, DEFAULT_SETTINGS[name]).optional()]),
  ) as Record<keyof Settings, z.ZodOptional<z.ZodType>>,
);

const filterSchema = z.strictObject({
  text: str(LIMITS.text).optional(),
  outcomes: z.array(z.enum(OUTCOMES)).max(OUTCOMES.length).optional(),
  methods: z.array(z.enum(METHODS)).max(METHODS.length).optional(),
  flags: z.array(z.enum(MESSAGE_FLAGS)).max(MESSAGE_FLAGS.length).optional(),
  mailbox: str(LIMITS.name * 2).optional(),
  folder: str(LIMITS.path).optional(),
});

// Supported-configuration check (core/analysis/supportCheck.ts): the shapes are checked here, the
// meaning (profile ids, combinations) by parseSupportConfig in the host, which names the field too.
const flag = z.boolean().optional();
const profileSchema = z.strictObject({
  id: nonEmpty(LIMITS.name),
  type: z.enum(['exchange-online', 'exchange-online-hybrid', 'exchange-server', 'exchange-server-hybrid', 'pop3-smtp', 'imap-smtp']),
  auth: z.enum(['server-to-server', 'user-credentials', 'profile-credentials', 'impersonation', 'oauth', 'other']).optional(),
  autoDiscover: flag,
});
const mailHostSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exchange-online'), tenant: z.enum(['same', 'other']) }),
  z.strictObject({ kind: z.literal('exchange-server'), version: z.enum(['2003', '2007', '2010', '2013', '2016', '2019']), servicePack: z.number().int().min(0).max(10).optional() }),
  z.strictObject({ kind: z.literal('pop3-imap'), host: z.enum(['gmail', 'yahoo', 'outlook.com', 'msn', 'windows-live', 'other']) }),
]);
const deploymentSchema = z.strictObject({
  kind: z.enum(['online', 'onpremises']),
  version: str(LIMITS.name).optional(),
  fips: flag, mfa: flag, mixedOutlookSyncAndSss: flag, networkInspection: flag, massEmail: flag, protocolExtensibility: flag, owaInHybrid: flag,
});
const ITEM_KINDS = ['email', 'appointments-contacts-tasks'] as const;
const supportConfigSchema = z.strictObject({
  deployment: deploymentSchema,
  profiles: z.array(profileSchema).max(100).optional(),
  mailboxes: z.array(z.strictObject({
    id: nonEmpty(LIMITS.name * 2),
    host: mailHostSchema,
    incoming: profileSchema.nullable(),
    outgoing: profileSchema.nullable(),
    items: z.array(z.enum(ITEM_KINDS)).min(1).max(2),
    aliasOrDistributionList: flag, smimeOrThirdPartyEncryption: flag, manualTrackingInOutlook: flag,
  })).min(1).max(500),
});
const profileTagSchema = z.strictObject({
  host: mailHostSchema.optional(),
  incoming: profileSchema.nullable(),
  outgoing: profileSchema.nullable().optional(),
  deployment: deploymentSchema.optional(),
});

// A sweep grid from the editor: the same keys and limits as the CLI's --grid file (core/analysis/sweep.ts).
const sweepValue = z.union([z.number().int().min(-1_000_000).max(1_000_000_000), str(LIMITS.settingString)]);
const sweptKey = z.enum(SWEPT_KEYS);
const sweepGridSchema = z.strictObject({
  product: z.partialRecord(sweptKey, z.array(sweepValue).min(1).max(50)).optional(),
  points: z.array(z.partialRecord(sweptKey, sweepValue)).max(MAX_SWEEP_POINTS).optional(),
});
const presetName = nonEmpty(40);
/** A calendar date (or date-time) such as 2025-01-31, as the CLI's --since takes it. */
const isoDate = z.string().max(40).refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'expected a date such as 2025-01-31');
/** Tenant id or domain, and a public client (application) id: checked again by msalConfiguration. */
const signIn = {
  tenant: z.string().min(1).max(200).regex(/^[A-Za-z0-9.-]+$/, 'expected a tenant id or domain such as contoso.onmicrosoft.com').optional(),
  clientId: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected an application (client) id, a GUID').optional(),
};
const routerPreset = z.enum(['crm3', 'crm4', 'crm2011', 'dataverse']);

export const INPUT_SCHEMAS = {
  'workspace.open': z.strictObject({ path }),
  'workspace.create': z.strictObject({ path }),
  'workspace.openSample': empty,
  'workspace.info': empty,
  'workspace.recent': empty,
  'import.start': z.strictObject({
    jobId: nonEmpty(LIMITS.jobId).optional(),
    paths: z.array(path).min(1).max(LIMITS.paths),
    mailbox: nonEmpty(LIMITS.name * 2),
    owner: nonEmpty(LIMITS.name).optional(),
    folder: nonEmpty(LIMITS.path).optional(),
    flatten: z.boolean().optional(),
  }),
  'import.preview': z.strictObject({
    paths: z.array(path).min(1).max(LIMITS.paths),
    mailbox: nonEmpty(LIMITS.name * 2),
    folder: nonEmpty(LIMITS.path).optional(),
    flatten: z.boolean().optional(),
  }),
  'org.import': z.strictObject({ paths: z.array(path).min(1).max(LIMITS.paths), table: nonEmpty(LIMITS.name).optional() }),
  'org.show': empty,
  'replay.nothingTracked': z.strictObject({ runId }),
  'job.cancel': z.strictObject({ jobId: nonEmpty(LIMITS.jobId) }),
  'messages.list': z.strictObject({
    runId,
    filter: filterSchema.optional(),
    sort: z.strictObject({ key: z.enum(SORT_KEYS), dir: z.enum(['asc', 'desc']) }).optional(),
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(LIMITS.pageSize),
  }),
  'messages.get': z.strictObject({ key, runId }),
  'messages.body': z.strictObject({ key }),
  'messages.quarantined': z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
  'chain.get': z.strictObject({ key, runId }),
  'hash.match': z.strictObject({ key, candidateId: key.nullable().optional(), runId }),
  'hash.nearMisses': z.strictObject({ key, candidateId: key.nullable().optional(), runId, text: str(LIMITS.text).optional(), limit: z.number().int().min(1).max(500).optional() }),
  'tokens.preview': z.strictObject({
    settings: partialSettingsSchema,
    userNumber: z.number().int().min(0).max(1_000_000),
    startCounter: z.number().int().min(0).max(1_000_000_000),
    count: z.number().int().min(1).max(LIMITS.previewCount),
  }),
  'tokens.parse': z.strictObject({ subject: str(LIMITS.text), settings: partialSettingsSchema }),
  'settings.profiles': empty,
  'settings.save': z.strictObject({ name: nonEmpty(LIMITS.name), settings: partialSettingsSchema, baseline: z.boolean().optional() }),
  'replay.run': z.strictObject({ profile: nonEmpty(LIMITS.name), jobId: nonEmpty(LIMITS.jobId).optional() }),
  'runs.list': empty,
  'whatif.run': z.strictObject({ baseline: nonEmpty(LIMITS.name), proposal: nonEmpty(LIMITS.name), jobId: nonEmpty(LIMITS.jobId).optional() }),
  'scenarios.list': empty,
  'scenarios.step': z.strictObject({ id: nonEmpty(LIMITS.name), index: z.number().int().min(0).max(100_000) }),
  'dialog.choose': z.strictObject({ purpose: z.enum(['open-workspace', 'create-workspace', 'import-files', 'import-folder', 'open-export', 'save-report']) }),
  'applykit.build': z.strictObject({
    baseline: nonEmpty(LIMITS.name),
    proposal: nonEmpty(LIMITS.name),
    organizationUri: z.string().max(LIMITS.text).regex(/^https:\/\/[^\s/]+$/, 'expected https://yourorg.crm.dynamics.com (https, host only)').optional(),
    organizationId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected the organizationid GUID').optional(),
    measuredEffect: z.array(str(LIMITS.text)).max(200).optional(),
  }),
  'presets.list': empty,
  'presets.compare': z.strictObject({ before: presetName, after: presetName, jobId: nonEmpty(LIMITS.jobId).optional() }),
  'sweep.defaults': empty,
  'sweep.run': z.strictObject({ jobId: nonEmpty(LIMITS.jobId).optional(), profile: nonEmpty(LIMITS.name).optional(), grid: sweepGridSchema.optional() }),
  'sweep.point': z.strictObject({
    profile: nonEmpty(LIMITS.name).optional(),
    pointId: z.number().int().min(0).max(100_000),
    label: str(LIMITS.text),
    settings: partialSettingsSchema,
    limit: z.number().int().min(1).max(2000).optional(),
  }),
  'whatif.explain': z.strictObject({ baseline: nonEmpty(LIMITS.name), proposal: nonEmpty(LIMITS.name), jobId: nonEmpty(LIMITS.jobId).optional() }),
  'audit.run': z.strictObject({ jobId: nonEmpty(LIMITS.jobId).optional(), emails: path, directory: z.array(path).max(20).optional(), profile: nonEmpty(LIMITS.name) }),
  'report.export': z.strictObject({ kind: z.enum(['whatif', 'sweep', 'audit']), format: z.enum(['html', 'json', 'csv']), path, overwrite: z.boolean().optional() }),
  'support.rules': empty,
  'support.check': z.strictObject({ config: supportConfigSchema }),
  'mailboxes.tags': empty,
  'mailboxes.setTag': z.strictObject({ mailbox: nonEmpty(LIMITS.name * 2), tag: profileTagSchema.nullable() }),
  'replay.warnings': z.strictObject({ runId }),
  'router.list': empty,
  'router.step': z.strictObject({ id: nonEmpty(LIMITS.name), index: z.number().int().min(0).max(100_000), preset: routerPreset.optional() }),
  'router.compare': z.strictObject({ id: nonEmpty(LIMITS.name), before: routerPreset, after: routerPreset }),
  'mailboxes.list': z.strictObject({ profile: nonEmpty(LIMITS.name).optional() }),
  'mailboxes.override': z.strictObject({
    profile: nonEmpty(LIMITS.name),
    address: nonEmpty(LIMITS.name * 2),
    override: z.strictObject({
      filter: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
      processEmailsFrom: z.string().max(40).refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'expected an ISO date such as 2024-01-01T00:00:00Z').nullable().optional(),
      trackedFolders: z.array(z.strictObject({ folder: nonEmpty(LIMITS.name * 2), regarding: nonEmpty(LIMITS.name).nullable() })).max(200).optional(),
      incoming: z.boolean().optional(),
    }).nullable(),
  }),
  'directory.search': z.strictObject({ text: str(LIMITS.text), limit: z.number().int().min(1).max(1000).optional() }),
  'case.export': z.strictObject({ key, out: path.optional(), anonymize: z.boolean().optional() }),
  'org.pull': z.strictObject({
    url: nonEmpty(LIMITS.path),
    since: isoDate.optional(),
    mailboxes: z.array(nonEmpty(LIMITS.name * 2)).max(200).optional(),
    jobId: nonEmpty(LIMITS.jobId).optional(),
    ...signIn,
  }),
  'mailbox.pull': z.strictObject({
    user: nonEmpty(LIMITS.name * 2),
    folders: z.array(nonEmpty(LIMITS.path)).min(1).max(100),
    since: isoDate.optional(),
    mailbox: nonEmpty(LIMITS.name * 2).optional(),
    shared: z.boolean().optional(),
    jobId: nonEmpty(LIMITS.jobId).optional(),
    ...signIn,
  }),
} satisfies { [M in MethodName]: z.ZodType };

/** Which input fields are file-system paths the host must check against its allowed roots. */
export const PATH_FIELDS: { [M in MethodName]?: (input: MethodInput<M>) => string[] } = {
  'workspace.open': (i) => [i.path],
  'workspace.create': (i) => [i.path],
  'import.start': (i) => i.paths,
  'import.preview': (i) => i.paths,
  'org.import': (i) => i.paths,
  'audit.run': (i) => [i.emails, ...(i.directory ?? [])],
  'report.export': (i) => [i.path],
  'case.export': (i) => (i.out ? [i.out] : []),
};

const METHOD_SET: ReadonlySet<string> = new Set(METHOD_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && METHOD_SET.has(name);
}

export type Validated<M extends MethodName> = { ok: true; method: M; input: MethodInput<M> } | { ok: false; error: ContractError };

/**
 * Checks a method name against the closed list and its input against the method's schema. The
 * error lists every problem as "field: what is wrong" so the caller can fix them all at once.
 */
export function validateInput(method: unknown, input: unknown): Validated<MethodName> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : typeof method;
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${shown}: the engine only answers the methods listed in core/contract/contract.ts.` } };
  }
  const result = INPUT_SCHEMAS[method].safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`);
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `Invalid input for ${method}: ${details.slice(0, 3).join('; ')}${details.length > 3 ? ` (and ${details.length - 3} more)` : ''}.`, details },
    };
  }
  return { ok: true, method, input: result.data as MethodInput<MethodName> };
}
