// Commands shared by views, the header and keyboard shortcuts. They live outside React (zustand
// "no store actions" practice) so engine events and buttons go through the same code.
import type { WorkspaceInfo } from '../../../core/contract/contract.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/index.js';
import { ApiError, call, newJobId, onEvent } from '../api.js';
import { useAppStore } from './index.js';

export const PAGE_SIZE = 200;

const get = () => useAppStore.getState();

/** Runs an engine call and turns any failure into a banner; returns undefined on failure. */
export async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    // A job the user cancelled is what they asked for, not a failure worth a banner.
    if (!(error instanceof ApiError && error.code === 'CANCELLED')) get().pushError(error);
    return undefined;
  }
}

function workspaceOpened(info: WorkspaceInfo): void {
  const s = get();
  s.setWorkspace(info);
  s.resetMessages();
  s.select(null);
  s.setDraft(null);
  s.setSweep(null);
  s.setAudit(null);
  void loadRuns();
  void loadProfiles();
  void loadRecent();
}

export async function loadRecent(): Promise<void> {
  const recent = await attempt(() => call('workspace.recent', {}));
  if (recent) get().setRecent(recent);
}

export async function refreshWorkspace(): Promise<void> {
  try {
    get().setWorkspace(await call('workspace.info', {}));
  } catch {
    // No workspace open yet is the normal state at start-up, not an error worth a banner.
    get().setWorkspace(null);
  }
}

export async function openWorkspace(path: string): Promise<boolean> {
  const info = await attempt(() => call('workspace.open', { path }));
  if (info) workspaceOpened(info);
  return info !== undefined;
}

export async function createWorkspace(path: string): Promise<boolean> {
  const info = await attempt(() => call('workspace.create', { path }));
  if (info) workspaceOpened(info);
  return info !== undefined;
}

export async function openSample(): Promise<boolean> {
  const info = await attempt(() => call('workspace.openSample', {}));
  if (info) workspaceOpened(info);
  return info !== undefined;
}

export async function loadRuns(): Promise<void> {
  const runs = await attempt(() => call('runs.list', {}));
  if (runs) get().setRuns(runs);
}

/** The profile replays and what-ifs start from: the one marked baseline, else the first. */
export function baselineProfile(): { name: string; settings: Settings } {
  const { profiles } = get();
  const baseline = profiles.find((p) => p.baseline) ?? profiles[0];
  return baseline ? { name: baseline.name, settings: baseline.settings } : { name: 'baseline', settings: DEFAULT_SETTINGS };
}

export async function loadProfiles(): Promise<void> {
  const profiles = await attempt(() => call('settings.profiles', {}));
  if (!profiles) return;
  get().setProfiles(profiles);
  if (!get().draft) get().setDraft({ ...baselineProfile().settings });
}

/** Replays the workspace with the baseline profile (saving the defaults first if there is none). */
export async function runReplay(): Promise<boolean> {
  const s = get();
  let { name } = baselineProfile();
  if (s.profiles.length === 0) {
    const saved = await attempt(() => call('settings.save', { name, settings: DEFAULT_SETTINGS, baseline: true }));
    if (!saved) return false;
    name = saved.name;
    await loadProfiles();
  }
  const jobId = newJobId('replay');
  const summary = await attempt(() => call('replay.run', { profile: name, jobId }));
  get().finishJob(jobId);
  if (!summary) return false;
  await loadRuns();
  await refreshWorkspace();
  get().resetMessages();
  return true;
}

const inFlight = new Set<string>();

/** Fetches the page holding `index` for the current query unless it is cached or on its way. */
export async function ensurePage(page: number): Promise<void> {
  const { generation, filter, sort, pages, workspace } = get();
  if (!workspace || pages[page]) return;
  const flightKey = `${generation}:${page}`;
  if (inFlight.has(flightKey)) return;
  inFlight.add(flightKey);
  try {
    const result = await call('messages.list', { filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    get().storePage(generation, page, result.rows, result.total);
  } catch (error) {
    get().pushError(error);
  } finally {
    inFlight.delete(flightKey);
  }
}

let connected = false;

/** Wires engine events into the store once, outside React. */
export function connectEngineEvents(): void {
  if (connected) return;
  connected = true;
  onEvent('job.progress', (progress) => get().updateJob(progress));
  onEvent('paths.chosen', ({ paths, via }) => {
    // A workspace file opens; anything else goes to the import form for the user to confirm.
    const workspaceFile = paths.find((p) => p.toLowerCase().endsWith('.synclens'));
    if (workspaceFile && (via === 'menu-open' || via === 'drop')) {
      void openWorkspace(workspaceFile);
      return;
    }
    get().setPendingImport(paths);
    get().setView('start');
  });
  onEvent('workspace.changed', (info) => {
    get().setWorkspace(info);
    get().resetMessages();
    void loadRuns();
  });
}
