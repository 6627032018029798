// The settings editor's layout, derived from the engine's one metadata table (core/engine/settingsMeta)
// so labels, ranges and choices cannot drift from what validateSettings enforces. Groups follow where
// an admin finds each setting in Dynamics.
import { type Settings, SETTINGS_META, type SettingGroup as MetaGroup, type SettingMeta } from '../../../../core/engine/index.js';

export interface SettingField {
  name: keyof Settings;
  label: string;
  help?: string;
  /** For numbers: inclusive range. */
  min?: number;
  max?: number;
  /** For closed choices. */
  options?: { value: string | number; label: string }[];
  undocumented?: boolean;
  source?: string;
}

export interface SettingGroup {
  title: string;
  where: string;
  fields: SettingField[];
}

const WHERE: Record<MetaGroup, string> = {
  'Email correlation': 'System Settings › Email › Configure email correlation',
  'Tracking tokens': 'System Settings › Email › Configure email correlation › tracking tokens',
  'Smart matching': 'System Settings › Email › Configure email correlation › smart matching',
  'Internal email': 'System Settings › Email › Configure email processing',
  'Address resolution': 'System Settings › Email › Configure email processing',
  OrgDBOrgSettings: 'OrgDBOrgSettings tool (organization database settings)',
  'Simulator (undocumented)': 'Where Microsoft is silent: SIMULATOR.md defaults and alternatives',
};

const ORDER: MetaGroup[] = [
  'Email correlation',
  'Tracking tokens',
  'Smart matching',
  'Internal email',
  'Address resolution',
  'OrgDBOrgSettings',
  'Simulator (undocumented)',
];

/** incomingemailfilteringmethod values (SIMULATOR.md §4) for the one setting that forces them. */
const FILTERING_METHODS = [
  { value: -1, label: '-1 not set' },
  { value: 0, label: '0 All email messages' },
  { value: 1, label: '1 In response to Dynamics 365 email' },
  { value: 2, label: '2 From leads, contacts and accounts' },
  { value: 3, label: '3 From email-enabled records' },
  { value: 4, label: '4 None' },
];

function toField(meta: SettingMeta): SettingField {
  const field: SettingField = {
    name: meta.key,
    label: meta.label,
    help: meta.description,
    undocumented: meta.undocumented,
    source: meta.source,
  };
  if (meta.min !== undefined) field.min = meta.min;
  if (meta.max !== undefined) field.max = meta.max;
  if (meta.kind === 'enum' && meta.values) {
    field.options = meta.values.map((v) => ({ value: v, label: v === meta.default ? `${v} (default)` : String(v) }));
  }
  if (meta.key === 'SSSForceFilteringMethodForUserMailboxes') field.options = FILTERING_METHODS;
  return field;
}

export const SETTING_GROUPS: SettingGroup[] = ORDER.map((title) => ({
  title,
  where: WHERE[title],
  fields: SETTINGS_META.filter((m) => m.group === title).map(toField),
})).filter((g) => g.fields.length > 0);
