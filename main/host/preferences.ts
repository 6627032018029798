// What the host remembers between sessions, beside the workspaces (in the state folder, when there is
// one): the recently opened workspaces, and which settings profile is each workspace's baseline. The
// baseline is a UI preference per workspace: the workspace schema has no place for it, and a fake
// profile row would show up in the CLI.
import fs from 'node:fs';
import path from 'node:path';
import type { RecentWorkspace } from '../../core/contract/contract.js';

export const WORKSPACE_EXT = '.synclens';
const MAX_RECENT = 10;

export class Preferences {
  private readonly recentFile: string | null;
  private readonly baselineFile: string | null;
  private readonly baselines = new Map<string, string>();

  /** `stateDir` undefined: nothing is persisted (tests, one-off hosts). */
  constructor(stateDir: string | undefined) {
    this.recentFile = stateDir ? path.join(stateDir, 'recent.json') : null;
    this.baselineFile = stateDir ? path.join(stateDir, 'baselines.json') : null;
    if (this.baselineFile && fs.existsSync(this.baselineFile)) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(this.baselineFile, 'utf8')) as Record<string, unknown>)) if (typeof v === 'string') this.baselines.set(k, v);
      } catch {
        // unreadable preferences: start over, the next save rewrites the file
      }
    }
  }

  recent(): RecentWorkspace[] {
    const file = this.recentFile;
    if (!file || !fs.existsSync(file)) return [];
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      return Array.isArray(parsed)
        ? parsed.filter((r): r is RecentWorkspace => typeof r === 'object' && r !== null && typeof (r as RecentWorkspace).path === 'string')
        : [];
    } catch {
      return []; // a damaged recent list is not worth failing over; it is rewritten on the next open
    }
  }

  /** Puts a workspace first in the recent list. */
  remember(file: string): void {
    if (!this.recentFile) return;
    const entry: RecentWorkspace = { path: file, name: path.basename(file, WORKSPACE_EXT), openedAt: new Date().toISOString() };
    const list = [entry, ...this.recent().filter((r) => r.path !== file)].slice(0, MAX_RECENT);
    fs.mkdirSync(path.dirname(this.recentFile), { recursive: true });
    fs.writeFileSync(this.recentFile, JSON.stringify(list, null, 2));
  }

  /** The baseline profile's name of a workspace; "Default" until the user picks one. */
  baseline(workspaceFile: string): string {
    return this.baselines.get(workspaceFile) ?? 'Default';
  }

  setBaseline(workspaceFile: string, name: string): void {
    this.baselines.set(workspaceFile, name);
    if (!this.baselineFile) return;
    fs.mkdirSync(path.dirname(this.baselineFile), { recursive: true });
    fs.writeFileSync(this.baselineFile, JSON.stringify(Object.fromEntries(this.baselines), null, 2));
  }
}
