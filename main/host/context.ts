// What every handler module of the host shares: the open workspace and its replay session, the user's
// preferences, the job registry, the event emitter, the path allow-list and the latest analysis results.
// createHost (host.ts) builds one context and gives it to each domain's handlers; the handler types are
// the contract's methods, each module typed as its slice of them.
import path from 'node:path';
import type { EventName, Events, MethodInput, MethodName, MethodOutput, SettingsProfile, WorkspaceInfo } from '../../core/contract/contract.js';
import type { Settings } from '../../core/engine/index.js';
import { listMailboxes, listRuns, type Workspace } from '../../core/node/workspace/index.js';
import { folderPaths, messageTotals } from '../../core/node/workspace/workspaceTotals.js';
import type { ConnectOptions } from './connect.js';
import { HostError } from './errors.js';
import { JobRegistry, type Job } from './jobs.js';
import { LatestResults } from './latestResults.js';
import { PathAllowList } from './paths.js';
import { Preferences, WORKSPACE_EXT } from './preferences.js';
import { baselineName, listProfiles, profileSettings } from './profiles.js';
import { defaultReplay, type ReplayFn } from './replayJobs.js';
import { WorkspaceReplaySession } from './replaySession.js';

export interface HostOptions {
  /** Path to an Electron-ABI better_sqlite3.node (Electron only; Node uses the module's own build). */
  nativeBinding?: string;
  /** Where the sample workspace is built/cached. */
  sampleWorkspaceDir: string;
  /** The scenario library the sample is built from (assets/scenarios; resources/scenarios when packaged). */
  scenariosDir?: string;
  /** Folders/files the user chose (dialog, drag and drop, command line). */
  allowedRoots: string[];
  /** Where recent workspaces are remembered; default: no persistence. */
  stateDir?: string;
  /** Replaces the engine's replay (core/engine/replay) — for tests of the job plumbing only. */
  replay?: ReplayFn;
  /** E-mail Router scenarios (assets/router-scenarios); default: the router-scenarios folder beside scenariosDir. */
  routerScenariosDir?: string;
  /** Worker threads of the tuning sweep (default: the machine's available parallelism; tests pin it). */
  sweepWorkers?: number;
  /**
   * How a user lets SyncLens read a refused path, said with the refusal. The app's default names the File
   * menu and drag and drop; browser mode has neither and names its --allow option instead.
   */
  allowAdvice?: string;
  /** Dataverse / Graph pulls: a fixed access token and Graph's base (tests); default sign-in and graph.microsoft.com. */
  connect?: ConnectOptions;
}

export type HostEventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export type Handler<M extends MethodName> = (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
/** One handler per contract method: what createHost assembles. */
export type Handlers = { [M in MethodName]: Handler<M> };
/** A domain module's part of the contract. */
export type HandlerSlice<M extends MethodName> = Pick<Handlers, M>;

export interface HostContext {
  readonly options: HostOptions;
  /** The engine's replay, or a test's stand-in. */
  readonly replayFn: ReplayFn;
  readonly allow: PathAllowList;
  readonly prefs: Preferences;
  readonly jobs: JobRegistry;
  /** The latest what-if / sweep / audit result, for report.export; they belong to the open workspace. */
  readonly latest: LatestResults;
  emit: HostEventListener;
  onEvent(listener: HostEventListener): () => void;
  /** Grows whenever the workspace's data or runs may have changed: caches of query results key on it. */
  version(): number;

  requireWs(): Workspace;
  /** The open workspace, if any. */
  current(): Workspace | null;
  isSample(): boolean;
  /** Makes `next` the open workspace (closing the previous one), or closes it (null). */
  setWorkspace(next: Workspace | null, isSample: boolean): void;
  /** The open workspace's replay session (replaySession.ts). */
  session(): WorkspaceReplaySession;
  info(): WorkspaceInfo;
  /** The workspace's data changed (import, organization load, mailbox changes): the session is dropped, the renderer told. */
  dataChanged(): WorkspaceInfo;
  /** Forgets the replay session (the data may have changed, e.g. an import that stopped part-way). */
  dropSession(): void;
  /** A run was stored: the renderer is told; the replay input still stands. */
  runsChanged(): WorkspaceInfo;

  /** A path the user chose, resolved; PATH_NOT_ALLOWED otherwise. */
  checkedPath(p: string): string;
  startJob(requested: string | undefined, kind: string): Job;
  profiles(): SettingsProfile[];
  profileSettings(name: string): Settings;
  baselineName(): string;
}

export function createContext(options: HostOptions): HostContext {
  const allow = new PathAllowList([...options.allowedRoots, options.sampleWorkspaceDir, ...(options.scenariosDir ? [options.scenariosDir] : [])]);
  const prefs = new Preferences(options.stateDir);
  const listeners = new Set<HostEventListener>();
  let version = 0;
  // A job that failed or was cancelled part-way may still have written rows.
  const jobs = new JobRegistry(() => version++);
  const latest = new LatestResults();
  let ws: Workspace | null = null;
  let sample = false;
  let session: WorkspaceReplaySession | null = null;

  const requireWs = (): Workspace => {
    if (!ws) throw new HostError('NO_WORKSPACE', 'No workspace is open: open or create one (File › Open workspace) or open the sample.');
    return ws;
  };
  const emit: HostEventListener = (event, payload) => {
    if (event === 'workspace.changed') version++;
    for (const l of listeners) l(event, payload);
  };
  const info = (): WorkspaceInfo => {
    const w = requireWs();
    const totals = messageTotals(w);
    const runs = listRuns(w);
    return {
      path: w.file,
      name: path.basename(w.file, WORKSPACE_EXT),
      messageCount: totals.messages,
      quarantinedCount: totals.quarantined,
      mailboxes: listMailboxes(w).map(({ id: _id, ...m }) => m),
      folders: folderPaths(w),
      latestRunId: runs.length ? (runs[runs.length - 1]?.id ?? null) : null,
      isSample: sample,
    };
  };

  return {
    options,
    replayFn: options.replay ?? defaultReplay,
    allow,
    prefs,
    jobs,
    latest,
    emit,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
    requireWs,
    current: () => ws,
    isSample: () => sample,
    setWorkspace(next, isSample) {
      if (ws !== next) ws?.close();
      ws = next;
      sample = next !== null && isSample;
      session = null;
      latest.clear();
      version++;
    },
    session() {
      const w = requireWs();
      if (session?.ws !== w) session = new WorkspaceReplaySession(w);
      return session;
    },
    info,
    dataChanged() {
      session = null;
      const result = info();
      emit('workspace.changed', result);
      return result;
    },
    dropSession() {
      session = null;
    },
    runsChanged() {
      const result = info();
      emit('workspace.changed', result);
      return result;
    },
    checkedPath(p) {
      const resolved = allow.check(p);
      if (!resolved) {
        throw new HostError('PATH_NOT_ALLOWED', `${p} is outside the folders you chose: ${options.allowAdvice ?? 'open it through File › Open or drop it on the window first.'}`);
      }
      return resolved;
    },
    startJob: (requested, kind) => jobs.start(requested, kind),
    profiles: () => listProfiles(requireWs(), prefs),
    profileSettings: (name) => profileSettings(requireWs(), prefs, name),
    baselineName: () => baselineName(requireWs(), prefs),
  };
}
