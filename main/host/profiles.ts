// The settings profiles of the open workspace as the app sees them: the saved ones plus the built-in
// "Default", each with its full settings, and which one is the baseline (a preference, preferences.ts).
import type { SettingsProfile } from '../../core/contract/contract.js';
import { DEFAULT_SETTINGS, validateSettings, type Settings } from '../../core/engine/index.js';
import { listSettingsProfiles, loadSettingsProfile, type Workspace } from '../../core/node/workspace/index.js';
import { HostError } from './errors.js';
import type { Preferences } from './preferences.js';

export function listProfiles(w: Workspace, prefs: Preferences): SettingsProfile[] {
  const saved = listSettingsProfiles(w).map((p) => p.name);
  const baselineName = prefs.baseline(w.file);
  const list = saved.map((name) => ({ name, settings: { ...DEFAULT_SETTINGS, ...(loadSettingsProfile(w, name) ?? {}) } as Settings, baseline: name === baselineName }));
  // The built-in defaults are always available as "Default", unless the user saved their own.
  if (!saved.includes('Default')) list.unshift({ name: 'Default', settings: { ...DEFAULT_SETTINGS }, baseline: baselineName === 'Default' });
  return list;
}

/** The baseline profile's name ("Default" when the chosen one was deleted or never saved). */
export function baselineName(w: Workspace, prefs: Preferences): string {
  return listProfiles(w, prefs).find((p) => p.baseline)?.name ?? 'Default';
}

export function profileSettings(w: Workspace, prefs: Preferences, name: string): Settings {
  const p = listProfiles(w, prefs).find((x) => x.name === name);
  if (!p) throw new HostError('NOT_FOUND', `There is no settings profile named "${name}": save it first (Settings › Save profile) or pick one from the list.`);
  return p.settings;
}

/** Settings from the renderer, completed with the defaults and checked. */
export function checkedSettings(partial: unknown): Settings {
  const v = validateSettings(partial);
  if (!v.ok) throw new HostError('SETTINGS_INVALID', `Invalid settings: ${v.errors.map((e) => e.message).join('; ')}.`, v.errors.map((e) => e.message));
  return v.settings;
}
