// A settings profile's mailbox overrides, stored in the profile's own row (settings_json, under a key
// that is not a setting) so no schema change is needed and a profile carries its whole proposal.
// loadSettingsProfile leaves that key out, and saveSettingsProfile keeps it, so the settings screens
// and the CLI see plain settings.

import { MAILBOX_OVERRIDES_KEY, splitProfile, type MailboxOverrides } from '../../analysis/mailboxOverrides.js';
import type { Settings } from '../../engine/index.js';
import type { Workspace } from './open.js';

function storedJson(ws: Workspace, name: string): Record<string, unknown> | null {
  const row = ws.db.prepare('SELECT settings_json FROM settings_profiles WHERE name = ?').get(name) as { settings_json: string } | undefined;
  return row ? (JSON.parse(row.settings_json) as Record<string, unknown>) : null;
}

export function loadMailboxOverrides(ws: Workspace, profile: string): MailboxOverrides {
  const stored = storedJson(ws, profile);
  return stored ? splitProfile(stored).mailboxes : {};
}

/** Saves a profile's overrides; a missing profile is created with `settings`. */
export function saveMailboxOverrides(ws: Workspace, profile: string, overrides: MailboxOverrides, settings: Settings): void {
  const now = new Date().toISOString();
  const stored = storedJson(ws, profile);
  const base = stored ? splitProfile(stored).settings : (settings as unknown as Record<string, unknown>);
  const json = JSON.stringify(Object.keys(overrides).length ? { ...base, [MAILBOX_OVERRIDES_KEY]: overrides } : base);
  ws.db.prepare(`INSERT INTO settings_profiles (name, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`).run(profile, json, now, now);
}
