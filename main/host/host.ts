// The engine host: the one place that owns the workspace connection and does the heavy work. It is
// transport-independent — Electron runs it in a utilityProcess (hostProcess.ts) and browser mode in a
// Node child process (nodeHostProcess.ts) — so both front ends get identical behaviour. Every call is
// validated again here (defence in depth: the host never trusts its transport), then dispatched;
// every result is an Envelope, never a throw.
import fs from 'node:fs';
import path from 'node:path';
import type {
  ContractError,
  Envelope,
  EventName,
  Events,
  MessageDetail,
  MessageFlag,
  MessageListRequest,
  MessageListResult,
  MessageRow,
  MethodInput,
  MethodName,
  MethodOutput,
  RecentWorkspace,
  RunSummary,
  SettingsProfile,
  ThreadIndexView,
  WorkspaceInfo,
} from '../../core/contract/contract.js';
import { PATH_FIELDS, validateInput } from '../../core/contract/schemas.js';
import { explainDecision, ReplayCache, DEFAULT_SETTINGS, type Settings, type CorrelationMethod, type Outcome, validateSettings, parseTokens } from '../../core/engine/index.js';
import { decodeThreadIndex } from '../../core/mail/threadIndex.js';
import {
  WorkspaceError,
  getDecision,
  loadReplayInput,
  getMessageRow,
  listMailboxes,
  loadTracked,
  listRuns,
  listSettingsProfiles,
  loadSettingsProfile,
  openWorkspace,
  saveSettingsProfile,
  type Workspace,
} from '../../core/node/workspace/index.js';
import { importPaths } from '../../core/node/import/index.js';
import { getMessageBytes, getMessageContent } from '../../core/node/mailparse.js';
import { splitHeaderBlock } from '../../core/mail/headers.js';
import { decodeWords } from '../../core/mail/rfc2047.js';
import { hashMatchView, tokenPreview, type EmailSide } from './views.js';
import { ScenarioLibrary, ScenarioLibraryError } from '../../core/node/scenario/library.js';
import { ensureSampleWorkspace } from '../../core/node/scenario/sample.js';
import { ScenarioError } from '../../core/scenario/scenario.js';
import { chainAround } from './chain.js';
import { emailRefs, entitiesReferredTo, entityNames, idsReferredTo } from './refs.js';
import { withDecidingSettings } from './why.js';
import { compareRuns, defaultReplay, replayAndSave, type ReplayFn } from './replayJobs.js';
import { PathAllowList } from './paths.js';
import { bodyFailure, sourceRefusal } from './sourceAccess.js';
import { createAnalysisHandlers, LatestResults, subjectOf } from './analysis.js';
import { applyMailboxOverrides, describeOverrides } from '../../core/analysis/mailboxOverrides.js';
import { createMailboxHandlers, relabelMailboxGroups, withRunMailboxes } from './mailboxes.js';
import { createOrgHandlers, untrackedFolders } from './org.js';
import { loadMailboxOverrides } from '../../core/node/workspace/index.js';
import { createHashMatchHandlers } from './hashMatch.js';
import { createConnectHandlers, type ConnectOptions } from './connect.js';

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

export interface Host {
  invoke(method: unknown, input: unknown): Promise<Envelope<unknown>>;
  /** Privileged: only main/the server call this, after a native dialog or drop chose these paths. */
  allowPaths(paths: readonly string[]): void;
  onEvent(listener: HostEventListener): () => void;
  close(): void;
}

/** A failure that already knows its contract code and user-facing sentence. */
export class HostError extends Error {
  constructor(
    readonly code: ContractError['code'],
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

/** The contract's flag names (MESSAGE_FLAGS) and the workspace columns that hold them. */
const FLAG_COLUMN: Record<MessageFlag, string> = {
  'auto-reply': 'flag_auto_reply',
  pec: 'flag_pec',
  'pec-receipt': 'flag_pec_receipt',
  'smime-encrypted': 'flag_smime_encrypted',
  'smime-opaque-signed': 'flag_smime_opaque_signed',
  'smime-signed': 'flag_smime_signed',
  'has-forwarded-message': 'flag_has_forwarded',
  'forward-subject': 'flag_forward_subject',
  'bad-date': 'flag_bad_date',
  'missing-message-id': 'flag_missing_message_id',
};
const FLAGS = Object.keys(FLAG_COLUMN) as MessageFlag[];
const flagsOf = (row: Record<string, unknown>): MessageFlag[] => FLAGS.filter((f) => row[FLAG_COLUMN[f]] === 1);

const WORKSPACE_EXT = '.synclens';
const MAX_RECENT = 10;

type Handler<M extends MethodName> = (input: MethodInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

/**
 * Every header of a message in order, read again from its source (the workspace keeps only the few the
 * engine needs); encoded words decoded for reading. Null when the source cannot be read (moved or
 * deleted): the caller then shows the stored subset.
 */
function allHeaders(w: Workspace, id: number, allow: PathAllowList): { name: string; value: string }[] | null {
  if (sourceRefusal(w, id, allow)) return null;
  try {
    return splitHeaderBlock(getMessageBytes(w, id)).fields.map((f) => ({ name: f.name, value: decodeWords(f.value) }));
  } catch {
    return null;
  }
}

export function createHost(options: HostOptions): Host {
  const replayFn = options.replay ?? defaultReplay;
  const library = options.scenariosDir ? new ScenarioLibrary(options.scenariosDir) : null;
  const requireLibrary = (): ScenarioLibrary => {
    if (!library) throw new HostError('NOT_FOUND', 'This build has no training scenarios: start SyncLens with its assets/scenarios folder.');
    return library;
  };
  const allow = new PathAllowList([...options.allowedRoots, options.sampleWorkspaceDir, ...(options.scenariosDir ? [options.scenariosDir] : [])]);
  const routerScenariosDir = options.routerScenariosDir ?? (options.scenariosDir ? path.join(path.dirname(options.scenariosDir), 'router-scenarios') : null);
  // The latest what-if / sweep / audit result, for report.export; they belong to the open workspace.
  const latest = new LatestResults();
  const listeners = new Set<HostEventListener>();
  const jobs = new Map<string, AbortController>();
  let ws: Workspace | null = null;
  let isSample = false;
  let jobCounter = 0;

  // Totals of recent list queries: scrolling asks for page after page of one query, and counting
  // 100,000 rows again for each page is the slowest part of a page. Any change of the workspace's
  // data goes through a workspace.changed event, which empties it.
  const listTotals = new Map<string, number>();
  const MAX_LIST_TOTALS = 50;
  const emit: HostEventListener = (event, payload) => {
    if (event === 'workspace.changed') listTotals.clear();
    for (const l of listeners) l(event, payload);
  };

  const requireWs = (): Workspace => {
    if (!ws) throw new HostError('NO_WORKSPACE', 'No workspace is open: open or create one (File › Open workspace) or open the sample.');
    return ws;
  };

  const recentFile = options.stateDir ? path.join(options.stateDir, 'recent.json') : null;
  const readRecent = (): RecentWorkspace[] => {
    if (!recentFile || !fs.existsSync(recentFile)) return [];
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(recentFile, 'utf8'));
      return Array.isArray(parsed)
        ? parsed.filter((r): r is RecentWorkspace => typeof r === 'object' && r !== null && typeof (r as RecentWorkspace).path === 'string')
        : [];
    } catch {
      return []; // a damaged recent list is not worth failing over; it is rewritten on the next open
    }
  };
  const remember = (file: string): void => {
    if (!recentFile) return;
    const entry: RecentWorkspace = { path: file, name: path.basename(file, WORKSPACE_EXT), openedAt: new Date().toISOString() };
    const list = [entry, ...readRecent().filter((r) => r.path !== file)].slice(0, MAX_RECENT);
    fs.mkdirSync(path.dirname(recentFile), { recursive: true });
    fs.writeFileSync(recentFile, JSON.stringify(list, null, 2));
  };

  const info = (): WorkspaceInfo => {
    const w = requireWs();
    const counts = w.db.prepare(`SELECT SUM(status = 'ok' AND parent_id IS NULL) AS messages, SUM(status = 'quarantined') AS quarantined FROM messages`)
      .get() as { messages: number | null; quarantined: number | null };
    const folders = (w.db.prepare('SELECT DISTINCT path FROM folders ORDER BY path').all() as { path: string }[]).map((r) => r.path);
    const runs = listRuns(w);
    return {
      path: w.file,
      name: path.basename(w.file, WORKSPACE_EXT),
      messageCount: counts.messages ?? 0,
      quarantinedCount: counts.quarantined ?? 0,
      mailboxes: listMailboxes(w).map(({ id: _id, ...m }) => m),
      folders,
      latestRunId: runs.length ? (runs[runs.length - 1]?.id ?? null) : null,
      isSample,
    };
  };

  const open = (file: string, create: boolean, sample: boolean): WorkspaceInfo => {
    const next = openWorkspace(file, { create, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    ws?.close();
    ws = next;
    isSample = sample;
    latest.clear();
    allow.allow([path.dirname(file)]);
    if (!sample) remember(file);
    const result = info();
    emit('workspace.changed', result);
    return result;
  };

  const checkedPath = (p: string): string => {
    const resolved = allow.check(p);
    if (!resolved) {
      throw new HostError('PATH_NOT_ALLOWED', `${p} is outside the folders you chose: ${options.allowAdvice ?? 'open it through File › Open or drop it on the window first.'}`);
    }
    return resolved;
  };

  const startJob = (requested: string | undefined, kind: string): { jobId: string; signal: AbortSignal; done: () => void } => {
    const jobId = requested ?? `${kind}-${++jobCounter}-${Date.now()}`;
    if (jobs.has(jobId)) throw new HostError('INVALID_INPUT', `Job id ${jobId} is already running: choose a new jobId.`);
    const controller = new AbortController();
    jobs.set(jobId, controller);
    return {
      jobId,
      signal: controller.signal,
      done: () => {
        jobs.delete(jobId);
        // A job that failed or was cancelled part-way may still have written rows.
        listTotals.clear();
      },
    };
  };

  // Which profile is the baseline is a UI preference per workspace, kept beside the recent list (the
  // workspace schema has no place for it, and a fake profile row would show up in the CLI).
  const baselineFile = options.stateDir ? path.join(options.stateDir, 'baselines.json') : null;
  const baselines = new Map<string, string>();
  if (baselineFile && fs.existsSync(baselineFile)) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as Record<string, unknown>)) if (typeof v === 'string') baselines.set(k, v);
    } catch {
      // unreadable preferences: start over, the next save rewrites the file
    }
  }
  const setBaseline = (file: string, name: string): void => {
    baselines.set(file, name);
    if (!baselineFile) return;
    fs.mkdirSync(path.dirname(baselineFile), { recursive: true });
    fs.writeFileSync(baselineFile, JSON.stringify(Object.fromEntries(baselines), null, 2));
  };

  const profiles = (): SettingsProfile[] => {
    const w = requireWs();
    const saved = listSettingsProfiles(w).map((p) => p.name);
    const baselineName = baselines.get(w.file) ?? 'Default';
    const list = saved.map((name) => ({ name, settings: { ...DEFAULT_SETTINGS, ...(loadSettingsProfile(w, name) ?? {}) } as Settings, baseline: name === baselineName }));
    // The built-in defaults are always available as "Default", unless the user saved their own.
    if (!saved.includes('Default')) list.unshift({ name: 'Default', settings: { ...DEFAULT_SETTINGS }, baseline: baselineName === 'Default' });
    return list;
  };

  const runSummaries = (): RunSummary[] =>
    listRuns(requireWs()).map((r) => ({
      runId: r.id,
      profileName: r.profileName ?? '',
      createdAt: r.createdAt,
      countsByOutcome: r.counts.byOutcome,
      countsByMethod: r.counts.byMethod,
      durationMs: r.durationMs ?? 0,
    }));

  const listMessages = (req: MessageListRequest): MessageListResult => {
    const w = requireWs();
    const runs = listRuns(w);
    const runId = req.runId === undefined ? (runs[runs.length - 1]?.id ?? null) : req.runId;
    const where: string[] = ["m.status = 'ok'", 'm.parent_id IS NULL'];
    const params: (string | number)[] = [];
    const f = req.filter ?? {};
    if (f.text) {
      const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // Message-IDs are only searched for text that can be part of one (a pasted id holds "@" or "<"):
      // a third LIKE over 100,000 ids for every word typed is a third of a keystroke's cost, and an
      // id matching a plain word ("quote") would surprise more than help.
      if (/[@<>]/.test(f.text)) {
        where.push("(m.subject LIKE ? ESCAPE '\\' OR m.from_addr LIKE ? ESCAPE '\\' OR m.message_id LIKE ? ESCAPE '\\')");
        params.push(like, like, like);
      } else {
        where.push("(m.subject LIKE ? ESCAPE '\\' OR m.from_addr LIKE ? ESCAPE '\\')");
        params.push(like, like);
      }
    }
    if (f.mailbox) {
      where.push('mb.address = ?');
      params.push(f.mailbox);
    }
    if (f.folder) {
      where.push('fo.path = ?');
      params.push(f.folder);
    }
    for (const flag of f.flags ?? []) {
      const column = FLAG_COLUMN[flag] as string | undefined;
      if (!column) throw new HostError('INVALID_INPUT', `Unknown flag "${flag}": use one of ${FLAGS.join(', ')}.`);
      where.push(`m.${column} = 1`);
    }
    if (f.outcomes?.length) {
      where.push(`d.outcome IN (${f.outcomes.map(() => '?').join(', ')})`);
      params.push(...f.outcomes);
    }
    if (f.methods?.length) {
      where.push(`d.correlation_method IN (${f.methods.map(() => '?').join(', ')})`);
      params.push(...f.methods);
    }
    const sortColumn: Record<NonNullable<MessageListRequest['sort']>['key'], string> = {
      date: 'm.date', mailbox: 'mb.address', folder: 'fo.path', from: 'm.from_addr', subject: 'm.subject', outcome: 'd.outcome', method: 'd.correlation_method',
    };
    const sort = req.sort ?? { key: 'date', dir: 'asc' };
    const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
    // The decision join is on the integer row id (schema 2), so SQLite walks messages_list in date
    // order and probes decisions_row per row. The count only joins what its filters need: counting
    // 100,000 rows through three joins is most of a filter keystroke's latency otherwise.
    const decisionJoin = 'LEFT JOIN decisions d ON d.run_id = ? AND d.message_row = m.id';
    const joins = `JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders fo ON fo.id = m.folder_id ${decisionJoin}`;
    const filterWhere = `WHERE ${where.join(' AND ')}`;
    const countJoins = [
      f.mailbox ? 'JOIN mailboxes mb ON mb.id = m.mailbox_id' : '',
      f.folder ? 'JOIN folders fo ON fo.id = m.folder_id' : '',
      f.outcomes?.length || f.methods?.length ? decisionJoin : '',
    ].join(' ');
    const countParams = f.outcomes?.length || f.methods?.length ? [runId ?? -1, ...params] : params;
    const totalKey = JSON.stringify([w.file, runId, f]);
    let total = listTotals.get(totalKey);
    if (total === undefined) {
      total = (w.db.prepare(`SELECT COUNT(*) AS n FROM messages m ${countJoins} ${filterWhere}`).get(...countParams) as { n: number }).n;
      if (listTotals.size >= MAX_LIST_TOTALS) listTotals.clear();
      listTotals.set(totalKey, total);
    }
    // Nothing matches (or the page lies past the end): no second scan for rows that cannot exist.
    if (req.offset >= total) return { total, offset: req.offset, rows: [] };
    const rows = w.db
      .prepare(`SELECT m.id, m.date, mb.address AS mailbox, fo.path AS folder, m.from_addr, m.subject, d.outcome, d.correlation_method,
        ${Object.values(FLAG_COLUMN).map((c) => `m.${c}`).join(', ')} FROM messages m ${joins} ${filterWhere}
        ORDER BY ${sortColumn[sort.key]} ${dir}, m.id ${dir} LIMIT ? OFFSET ?`)
      .all(runId ?? -1, ...params, req.limit, req.offset) as Array<Record<string, string | number | null>>;
    return {
      total,
      offset: req.offset,
      rows: rows.map((r): MessageRow => ({
        key: String(r.id),
        date: (r.date as string | null) ?? null,
        mailbox: String(r.mailbox),
        folder: String(r.folder),
        from: (r.from_addr as string | null) ?? null,
        subject: String(r.subject ?? ''),
        outcome: (r.outcome as Outcome | null) ?? null,
        method: (r.correlation_method as CorrelationMethod | null) ?? null,
        flags: flagsOf(r),
      })),
    };
  };

  const runSettings = (runId: number | null): Settings => (runId === null ? DEFAULT_SETTINGS : (listRuns(requireWs()).find((r) => r.id === runId)?.settings ?? DEFAULT_SETTINGS));

  const messageDetail = (key: string, requestedRun: number | null | undefined): MessageDetail => {
    const w = requireWs();
    const id = Number(key);
    const row = Number.isSafeInteger(id) ? getMessageRow(w, id) : null;
    if (!row) throw new HostError('NOT_FOUND', `Message ${key} is not in this workspace: refresh the message list.`);
    const names = w.db.prepare('SELECT mb.address AS mailbox, fo.path AS folder FROM mailboxes mb, folders fo WHERE mb.id = ? AND fo.id = ?')
      .get(row.mailbox_id, row.folder_id) as { mailbox: string; folder: string };
    const runs = listRuns(w);
    const runId = requestedRun === undefined ? (runs[runs.length - 1]?.id ?? null) : requestedRun;
    const stored = runId === null ? null : getDecision(w, runId, key);
    const decision = stored ? withDecidingSettings(stored) : null;
    const explanation = decision ? explainDecision(decision, `“${row.subject || '(no subject)'}”`) : [];
    const headers = allHeaders(w, id, allow) ?? Object.entries(JSON.parse(row.headers_json) as Record<string, string>).map(([name, value]) => ({ name, value }));
    let threadIndex: ThreadIndexView | null = null;
    if (row.thread_index) {
      const d = decodeThreadIndex(row.thread_index, row.date);
      threadIndex = {
        raw: row.thread_index,
        valid: d.valid,
        ...(d.problems.length ? { error: d.problems.join('; ') } : {}),
        headerTimeClassic: d.classicTime,
        headerTimeModern: d.modernTime,
        guid: d.valid ? d.guid : null,
        children: d.children.map((c, index) => ({ index, ...c })),
      };
    }
    return {
      key,
      headers,
      messageId: row.message_id,
      inReplyTo: row.in_reply_to,
      references: JSON.parse(row.references_json) as string[],
      subject: row.subject,
      from: row.from_addr,
      to: JSON.parse(row.to_json) as string[],
      cc: JSON.parse(row.cc_json) as string[],
      date: row.date,
      mailbox: names.mailbox,
      folder: names.folder,
      flags: flagsOf(row as unknown as Record<string, unknown>),
      threadIndex,
      tokens: decision?.tokenParts ?? parseTokens(row.subject, runSettings(runId)).map((t) => ({ token: t.token, prefix: t.prefix, designator: t.designator, userNumber: t.userNumber, counter: t.counter })),
      decision,
      explanation,
      refs: decision ? emailRefs(w, idsReferredTo(decision, explanation)) : {},
      names: decision ? entityNames(w, entitiesReferredTo(decision, explanation)) : {},
      source: { file: row.source_path, offset: row.source_offset, length: row.source_length, sha256: row.sha256 },
    };
  };

  const messageId = (key: string): number => {
    const id = Number(key);
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) throw new HostError('NOT_FOUND', `Message ${key} is not in this workspace: refresh the message list.`);
    return id;
  };

  const pickRun = (requested: number | null | undefined) => {
    const runs = listRuns(requireWs());
    if (requested === null) return null;
    if (requested === undefined) return runs[runs.length - 1] ?? null;
    const run = runs.find((r) => r.id === requested);
    if (!run) throw new HostError('NOT_FOUND', `Run ${requested} does not exist in this workspace: pick one from the runs list.`);
    return run;
  };

  /** A message (by key) or a tracked email (by id) as the two sides of a hash comparison. */
  const emailSide = (id: string): EmailSide => {
    const w = requireWs();
    if (/^\d+$/.test(id)) {
      const row = getMessageRow(w, Number(id));
      if (row) return { id, subject: row.subject, from: row.from_addr, to: JSON.parse(row.to_json) as string[], cc: JSON.parse(row.cc_json) as string[] };
    }
    const t = loadTracked(w).find((x) => x.id === id);
    if (!t) throw new HostError('NOT_FOUND', `No message or tracked email with id ${id} in this workspace.`);
    return { id, subject: t.subject, from: t.from, to: t.to, cc: t.cc };
  };

  const profileSettings = (name: string): Settings => {
    const p = profiles().find((x) => x.name === name);
    if (!p) throw new HostError('NOT_FOUND', `There is no settings profile named "${name}": save it first (Settings › Save profile) or pick one from the list.`);
    return p.settings;
  };

  const checkedSettings = (partial: unknown): Settings => {
    const v = validateSettings(partial);
    if (!v.ok) throw new HostError('SETTINGS_INVALID', `Invalid settings: ${v.errors.map((e) => e.message).join('; ')}.`, v.errors.map((e) => e.message));
    return v.settings;
  };

  const handlers: { [M in MethodName]: Handler<M> } = {
    'workspace.open': ({ path: p }) => open(checkedPath(p), false, false),
    'workspace.create': ({ path: p }) => {
      const file = checkedPath(p);
      if (fs.existsSync(file)) throw new HostError('WORKSPACE_ERROR', `${file} already exists: open it instead, or choose a new file name.`);
      return open(file, true, false);
    },
    'workspace.openSample': async () => {
      if (!options.scenariosDir) throw new HostError('NOT_FOUND', 'This build has no training scenarios to build the sample from: start SyncLens with its assets/scenarios folder.');
      // Built once from the scenario library and cached; rebuilt when a scenario changes.
      const built = await ensureSampleWorkspace(options.scenariosDir, options.sampleWorkspaceDir, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
      const opened = open(built.file, false, true);
      // The sample opens with decisions to look at: replay it with the defaults the first time.
      if (opened.latestRunId !== null) return opened;
      await replayAndSave(requireWs(), replayFn, 'Default', DEFAULT_SETTINGS, {});
      const result = info();
      emit('workspace.changed', result);
      return result;
    },
    'workspace.info': () => info(),
    'workspace.recent': () => readRecent(),
    'import.start': async (input) => {
      const w = requireWs();
      const paths = input.paths.map(checkedPath);
      const job = startJob(input.jobId, 'import');
      try {
        const s = await importPaths(w, paths, {
          mailbox: input.mailbox,
          ...(input.owner ? { owner: input.owner } : {}),
          ...(input.folder ? { folder: input.folder } : {}),
          ...(input.flatten ? { flatten: true } : {}),
          signal: job.signal,
          onProgress: (p) =>
            emit('job.progress', { jobId: job.jobId, kind: 'import', done: p.bytes, total: p.totalBytes, bytes: p.bytes, currentFile: p.currentFile, message: `${p.messages} messages, file ${p.filesDone + 1} of ${p.filesTotal}` }),
        });
        emit('workspace.changed', info());
        return {
          jobId: job.jobId,
          imported: s.counts.imported,
          duplicates: s.counts.duplicate,
          quarantined: s.counts.quarantined,
          innerMessages: s.counts.inner,
          problems: [
            ...s.quarantined.map((q) => ({ file: q.file, problem: `at byte ${q.offset}: ${q.reason}` })),
            // Paths found and not read (unreadable, not regular files, names that are not UTF-8, loose Maildir files).
            ...s.skipped.map((k) => ({ file: k.path, problem: `not imported: ${k.reason}` })),
          ],
          cancelled: s.cancelled,
          notTracked: untrackedFolders(w, input.mailbox, profileSettings(profiles().find((p) => p.baseline)?.name ?? 'Default')),
        };
      } finally {
        job.done();
      }
    },
    'job.cancel': ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    },
    'messages.list': (input) => listMessages(input),
    'messages.get': ({ key, runId }) => messageDetail(key, runId),
    'messages.body': async ({ key }) => {
      const w = requireWs();
      const id = messageId(key);
      const refusal = sourceRefusal(w, id, allow);
      if (refusal) throw new HostError('PATH_NOT_ALLOWED', refusal);
      let c;
      try {
        c = await getMessageContent(w, id);
      } catch (err) {
        // The mail parser's limits (e.g. "Max header size for a MIME node exceeded") and unreadable sources
        // are facts about this message, said in one sentence that names it (issue 12 item 11).
        throw new HostError('IMPORT_ERROR', bodyFailure(w, id, err));
      }
      return { html: c.html, text: c.text, attachments: c.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })) };
    },
    'messages.quarantined': ({ limit }) => {
      const w = requireWs();
      const total = (w.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'quarantined'").get() as { n: number }).n;
      const rows = w.db.prepare(`SELECT s.path AS file, mb.address AS mailbox, fo.path AS folder, m.subject, m.quarantine_reason AS reason
          FROM messages m JOIN sources s ON s.id = m.source_id JOIN mailboxes mb ON mb.id = m.mailbox_id JOIN folders fo ON fo.id = m.folder_id
          WHERE m.status = 'quarantined' ORDER BY m.id LIMIT ?`).all(limit ?? 500) as { file: string; mailbox: string; folder: string; subject: string | null; reason: string | null }[];
      return {
        total,
        rows: rows.map((r) => ({ file: r.file, mailbox: r.mailbox, folder: r.folder, subject: r.subject || null, reason: r.reason ?? 'no reason was recorded' })),
      };
    },
    'chain.get': ({ key, runId }) => {
      const w = requireWs();
      const run = pickRun(runId);
      const graph = chainAround(w, run?.id ?? null, key);
      if (graph.nodes.length === 0) throw new HostError('NOT_FOUND', `Message ${key} is not in this workspace: refresh the message list.`);
      return graph;
    },
    'hash.match': ({ key, candidateId, runId }) => {
      const w = requireWs();
      const run = pickRun(runId);
      const settings = run?.settings ?? DEFAULT_SETTINGS;
      const message = emailSide(key);
      const target = candidateId ?? (run ? getDecision(w, run.id, key)?.correlatedTo : null) ?? null;
      if (!target) {
        throw new HostError('NOT_FOUND', `Message ${key} has no correlated email in this run: pass candidateId (a tracked email id or a message key) to compare with.`);
      }
      return hashMatchView(message, emailSide(target), settings);
    },
    'tokens.preview': ({ settings, userNumber, startCounter, count }) => {
      const merged = checkedSettings(settings);
      const tracked = ws ? loadTracked(ws).map((t) => ({ id: t.id, subject: t.subject })) : [];
      try {
        return tokenPreview(merged, userNumber, startCounter, count, tracked);
      } catch (err) {
        throw new HostError('SETTINGS_INVALID', `Cannot preview tokens: ${(err as Error).message}.`);
      }
    },
    'tokens.parse': ({ subject, settings }) =>
      parseTokens(subject, checkedSettings(settings)).map((t) => ({ token: t.token, prefix: t.prefix, designator: t.designator, userNumber: t.userNumber, counter: t.counter })),
    'settings.profiles': () => profiles(),
    'settings.save': ({ name, settings, baseline }) => {
      const w = requireWs();
      const merged = checkedSettings(settings);
      saveSettingsProfile(w, name, merged);
      if (baseline) setBaseline(w.file, name);
      const saved = profiles().find((p) => p.name === name);
      if (!saved) throw new HostError('INTERNAL', `Profile ${name} was saved but could not be read back.`);
      return saved;
    },
    'replay.run': async ({ profile, jobId }) => {
      const w = requireWs();
      const settings = profileSettings(profile);
      const job = startJob(jobId, 'replay');
      try {
        // The profile's mailbox changes (Mailboxes view) replace the imported mailboxes for this replay only.
        const base = loadReplayInput(w);
        const overrides = loadMailboxOverrides(w, profile);
        const loaded = { ...base, mailboxes: applyMailboxOverrides(base.mailboxes, overrides) };
        const r = await replayAndSave(w, replayFn, profile, withRunMailboxes(settings, overrides), {
          signal: job.signal,
          onProgress: (done, total, phase) => emit('job.progress', { jobId: job.jobId, kind: 'replay', done, total, message: `${profile}: ${phase}` }),
        }, loaded);
        emit('workspace.changed', info());
        return r.summary;
      } finally {
        job.done();
      }
    },
    'runs.list': () => runSummaries(),
    'whatif.run': async ({ baseline, proposal, jobId }) => {
      const w = requireWs();
      const sets = { baseline: profileSettings(baseline), proposal: profileSettings(proposal) };
      const job = startJob(jobId, 'whatif');
      try {
        // One load and one cache for both replays: the proposal reuses everything that does not
        // depend on the settings that changed.
        const loaded = loadReplayInput(w);
        const cache = new ReplayCache();
        const count = loaded.messages.length;
        const hooks = (step: string, offset: number) => ({
          signal: job.signal,
          cache,
          onProgress: (done: number, _total: number, phase: string) =>
            emit('job.progress', { jobId: job.jobId, kind: 'whatif', done: offset + done, total: 2 * count, message: `${step}: ${phase}` }),
        });
        // Each profile replays with its own mailbox changes (the same array when it has none, so the cache is reused).
        const ovA = loadMailboxOverrides(w, baseline);
        const ovB = loadMailboxOverrides(w, proposal);
        const inA = { ...loaded, mailboxes: applyMailboxOverrides(loaded.mailboxes, ovA) };
        const inB = { ...loaded, mailboxes: applyMailboxOverrides(loaded.mailboxes, ovB) };
        const a = await replayAndSave(w, replayFn, baseline, withRunMailboxes(sets.baseline, ovA), hooks(baseline, 0), inA);
        const b = await replayAndSave(w, replayFn, proposal, withRunMailboxes(sets.proposal, ovB), hooks(proposal, count), inB);
        emit('workspace.changed', info());
        const { view, analysis } = compareRuns({ ...a, settings: sets.baseline }, { ...b, settings: sets.proposal }, loaded.messages, (key) => subjectOf(w, key));
        // Mailbox changes are listed with the setting changes, each against what the other profile has.
        const before = new Map(describeOverrides(loaded.mailboxes, ovA).map((l) => [l.name, l]));
        const after = new Map(describeOverrides(loaded.mailboxes, ovB).map((l) => [l.name, l]));
        for (const name of new Set([...before.keys(), ...after.keys()])) {
          const x = before.get(name);
          const y = after.get(name);
          const was = x ? x.after : (y?.before ?? null);
          const now = y ? y.after : (x?.before ?? null);
          if (JSON.stringify(was) !== JSON.stringify(now)) view.changedSettings.push({ name, before: was, after: now });
        }
        relabelMailboxGroups(view, loaded.messages, ovA, ovB);
        latest.whatIf(analysis, { workspace: w.file, baseline, proposal });
        return view;
      } finally {
        job.done();
      }
    },
    'scenarios.list': () =>
      requireLibrary().list().map(({ dir: _dir, ...s }) => s),
    'scenarios.step': ({ id, index }) => {
      const step = requireLibrary().step(id, index);
      const decision = withDecidingSettings(step.decision);
      return { ...step, decision, trace: decision.trace };
    },
    // Native dialogs belong to Electron main, which answers this method itself; reaching the host
    // means there is no native UI (browser mode).
    'dialog.choose': () => {
      throw new HostError('INTERNAL', 'There are no native file dialogs in browser mode: type or paste the full path instead.');
    },
    ...createOrgHandlers({
      requireWs,
      baselineSettings: () => profileSettings(profiles().find((p) => p.baseline)?.name ?? 'Default'),
      fail: (code, message) => {
        throw new HostError(code, message);
      },
      changed: () => emit('workspace.changed', info()),
      useAsBaseline: (name) => setBaseline(requireWs().file, name),
    }),
    ...createHashMatchHandlers({ requireWs, fail: (code, message) => { throw new HostError(code, message); } }),
    ...createMailboxHandlers({
      requireWs,
      profileNames: () => profiles().map((p) => p.name),
      profileSettings,
      baselineName: () => profiles().find((p) => p.baseline)?.name ?? 'Default',
      fail: (code, message, details) => {
        throw new HostError(code, message, details);
      },
      changed: () => emit('workspace.changed', info()),
    }),
    ...createConnectHandlers({
      requireWs, startJob, emit, options: options.connect ?? {},
      changed: () => emit('workspace.changed', info()),
      fail: (code, message) => {
        throw new HostError(code, message);
      },
    }),
    ...createAnalysisHandlers(
      {
        requireWs,
        profileSettings,
        baselineName: () => profiles().find((p) => p.baseline)?.name ?? 'Default',
        checkedPath,
        startJob,
        progress: (jobId, kind, done, total, message) => emit('job.progress', { jobId, kind, done, total, message }),
        fail: (code, message, details) => {
          throw new HostError(code, message, details);
        },
        routerScenariosDir,
        ...(options.sweepWorkers !== undefined ? { sweepWorkers: options.sweepWorkers } : {}),
      },
      latest,
    ),
  };

  return {
    async invoke(method, input) {
      const v = validateInput(method, input);
      if (!v.ok) return { ok: false, error: v.error };
      try {
        const pathsOf = PATH_FIELDS[v.method] as ((i: unknown) => string[]) | undefined;
        for (const p of pathsOf?.(v.input) ?? []) checkedPath(p);
        const handler = handlers[v.method] as (i: unknown) => unknown;
        return { ok: true, value: await handler(v.input) };
      } catch (err) {
        return { ok: false, error: toContractError(v.method, err) };
      }
    },
    allowPaths(paths) {
      allow.allow(paths);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const c of jobs.values()) c.abort();
      ws?.close();
      ws = null;
    },
  };
}

/** Maps any failure to a contract error with a sentence the user can act on. */
export function toContractError(method: MethodName, err: unknown): ContractError {
  if (err instanceof HostError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof WorkspaceError) {
    return { code: err.code === 'NOT_FOUND' ? 'NOT_FOUND' : err.code === 'INVALID_INPUT' ? 'INVALID_INPUT' : 'WORKSPACE_ERROR', message: err.message };
  }
  if (err instanceof ScenarioLibraryError) return { code: err.code, message: err.message };
  if (err instanceof ScenarioError) return { code: 'INVALID_INPUT', message: `The training scenario does not load: ${err.message.split('\n')[0] ?? ''}`, details: err.message.split('\n') };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'CANCELLED', message: `${method} was cancelled.` };
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `${method} failed unexpectedly: ${text}`, details: err instanceof Error && err.stack ? [err.stack] : [] };
}
