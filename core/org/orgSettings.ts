// The organization row → the settings the engine simulates (SIMULATOR §1, research §2). Organization
// columns (emailcorrelationenabled, trackingprefix, hashmaxcount, …) keep their Microsoft names in
// Settings; `orgdborgsettings` is an XML string of setting elements (`<orgSettings><Name>value</Name>…`,
// as the OrgDBOrgSettings tool writes it, research T-ODB) parsed with fast-xml-parser, chosen because it
// is pure JavaScript (this module runs in core, without Node) and already a dependency. Settings the engine
// does not simulate are kept, with their raw values, and listed as such rather than dropped.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Settings, SETTINGS_META, validateSettings, type SettingMeta } from '../engine/index.js';
import type { UnknownSetting } from './types.js';

export interface SettingsRead {
  settings: Partial<Settings>;
  unknown: UnknownSetting[];
  problems: { column: string; problem: string }[];
  notes: string[];
}

/** OrgDBOrgSettings the engine simulates, by their Microsoft name (case-insensitive, as Dataverse reads them). */
function orgDbMeta(): Map<string, SettingMeta> {
  return new Map(SETTINGS_META.filter((m) => m.group === 'OrgDBOrgSettings').map((m) => [m.microsoftName.toLowerCase(), m]));
}

/** Organization columns the engine simulates: the lower-case keys that are real columns (not ours). */
function columnMeta(): Map<string, SettingMeta> {
  return new Map(SETTINGS_META.filter((m) => m.group !== 'OrgDBOrgSettings' && !m.undocumented && m.key === m.key.toLowerCase() && m.key !== 'trackingprefixhistory').map((m) => [m.key, m]));
}

/** The organization columns the loader reads (the simulated settings, then the ones shown as unknown): a pull's $select. */
export function organizationSettingColumns(): string[] {
  return [...columnMeta().keys(), ...UNSIMULATED_COLUMNS];
}

/** Email-related organization columns (research §2.1) that change nothing SyncLens simulates: shown as unknown. */
const UNSIMULATED_COLUMNS = ['resolvesimilarunresolvedemailaddress', 'allowunresolvedpartiesonemailsend', 'emailconnectionchannel', 'isfolderbasedtrackingenabled',
  'maxfolderbasedtrackingmappings', 'nexttrackingnumber', 'defaultemailsettings'];

function coerce(meta: SettingMeta, raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  const t = typeof raw === 'string' ? raw.trim() : raw;
  switch (meta.kind) {
    case 'boolean':
      if (typeof t === 'boolean') return t;
      if (typeof t === 'string' && /^(true|yes|1)$/i.test(t)) return true;
      if (typeof t === 'string' && /^(false|no|0)$/i.test(t)) return false;
      return t;
    case 'int':
      if (typeof t === 'string' && /^-?\d+$/.test(t)) return Number(t);
      return t;
    default:
      return typeof t === 'number' || typeof t === 'boolean' ? String(t) : t;
  }
}

function accept(out: SettingsRead, meta: SettingMeta, raw: unknown, column: string): void {
  const value = coerce(meta, raw);
  if (value === undefined || value === '') return;
  const v = validateSettings({ [meta.key]: value });
  if (!v.ok) {
    out.problems.push({ column, problem: `${v.errors.map((e) => e.message).join('; ')}; the default ${JSON.stringify(meta.default)} is used` });
    return;
  }
  (out.settings as Record<string, unknown>)[meta.key] = v.settings[meta.key];
}

/** `<orgSettings><Name>value</Name>…</orgSettings>` → known settings and the rest. */
export function readOrgDbOrgSettings(xml: string, out: SettingsRead = { settings: {}, unknown: [], problems: [], notes: [] }): SettingsRead {
  const text = xml.trim();
  if (text === '') return out;
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    out.problems.push({ column: 'orgdborgsettings', problem: `not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); no OrgDBOrgSettings were read, so their defaults are used` });
    return out;
  }
  const parsed = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true }).parse(text) as Record<string, unknown>;
  const rootName = Object.keys(parsed)[0];
  const root = rootName === undefined ? undefined : parsed[rootName];
  if (root === null || typeof root !== 'object') {
    if (rootName !== undefined && root !== '') out.problems.push({ column: 'orgdborgsettings', problem: `<${rootName}> holds no setting elements` });
    return out;
  }
  const known = orgDbMeta();
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const raw = Array.isArray(value) ? value[value.length - 1] : value;
    // A setting written twice: Dataverse keeps one value; the last one is taken here and the fact noted.
    if (Array.isArray(value)) out.notes.push(`OrgDBOrgSettings ${name} appears ${value.length} times; the last value is used`);
    const meta = known.get(name.toLowerCase());
    const str = typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw ?? '');
    if (!meta) { out.unknown.push({ name, value: str, source: 'orgdborgsettings' }); continue; }
    accept(out, meta, str, `orgdborgsettings/${name}`);
  }
  return out;
}

/**
 * Settings from an organization row's columns. `get` returns a column's raw value (Web API: typed; CSV:
 * text) and the header it came from. `trackingprefix` holds "the history list of tracking token prefixes"
 * (research §2.1) in an undocumented format: one prefix is the current one; a list (separated by ; , or |)
 * gives the first as current and the rest as history, and a note says so.
 */
export function readOrganizationColumns(get: (column: string) => { raw: unknown; header: string } | undefined, out: SettingsRead = { settings: {}, unknown: [], problems: [], notes: [] }): SettingsRead {
  for (const [key, meta] of columnMeta()) {
    const cell = get(key);
    if (!cell || cell.raw === null || cell.raw === undefined || cell.raw === '') continue;
    if (key === 'trackingprefix' && typeof cell.raw === 'string' && /[;,|]/.test(cell.raw)) {
      const parts = cell.raw.split(/[;,|]/).map((p) => p.trim()).filter((p) => p !== '');
      accept(out, meta, parts[0], cell.header);
      const hist = parts.slice(1);
      const v = validateSettings({ trackingprefixhistory: hist });
      if (v.ok) out.settings.trackingprefixhistory = v.settings.trackingprefixhistory;
      else out.problems.push({ column: cell.header, problem: v.errors.map((e) => e.message).join('; ') });
      out.notes.push(`trackingprefix "${cell.raw}" holds several prefixes: "${parts[0]}" is taken as the current one and ${hist.map((h) => `"${h}"`).join(', ')} as earlier ones (the stored order is undocumented)`);
      continue;
    }
    accept(out, meta, cell.raw, cell.header);
  }
  for (const key of UNSIMULATED_COLUMNS) {
    const cell = get(key);
    if (cell && cell.raw !== null && cell.raw !== undefined && cell.raw !== '') out.unknown.push({ name: key, value: String(cell.raw), source: 'column' });
  }
  return out;
}
