// Opening a workspace: one SQLite file in WAL mode with foreign keys on, migrated forward to this build's
// schema. A workspace written by a newer build, or listing migrations this build does not know, is refused.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WorkspaceError } from './errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** "SyLn" — marks the SQLite file as a SyncLens workspace. */
const APPLICATION_ID = 0x53794c6e;

export interface Workspace {
  db: Database.Database;
  file: string;
  close(): void;
}

export interface OpenOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  readonly?: boolean;
  /** For tests of the version checks: the migrations this "build" knows. */
  migrations?: readonly Migration[];
  /**
   * Path to a better_sqlite3.node built for another ABI (Electron's), handed to better-sqlite3's own
   * `nativeBinding` option; default: the module's Node build.
   */
  nativeBinding?: string;
}

export function openWorkspace(file: string, opts: OpenOptions = {}): Workspace {
  const migrations = opts.migrations ?? MIGRATIONS;
  const exists = fs.existsSync(file);
  // SQLite opens anything it is given: /dev/null "works" and leaves /dev/null-journal behind, a FIFO blocks
  // the open forever. Only a regular file (or a symbolic link to one) is a workspace; checked before SQLite
  // touches the path or creates anything beside it (issue 12 item 15).
  if (exists) {
    const kind = nonRegularKind(file);
    if (kind) {
      throw new WorkspaceError('OPEN_FAILED', file, `is ${kind}, not a workspace file; give the path of a workspace file (or of a new file to create one)`);
    }
  }
  if (!exists && opts.create === false) {
    throw new WorkspaceError('NOT_FOUND', file, 'no workspace at this path: check the name, or create a new workspace there');
  }
  // SQLite opens a file it may not write read-only without a word, and a workspace already in WAL mode
  // needs no write to open: the failure would only come with the first import or replay. A workspace
  // opened for writing must be writable, so say so now.
  if (exists && opts.readonly !== true && !canWrite(file)) {
    const problem = readOnlyProblem(file, { code: 'EACCES' });
    if (problem) throw new WorkspaceError('OPEN_FAILED', file, problem);
  }
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly: opts.readonly === true,
      fileMustExist: opts.create === false || opts.readonly === true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
  } catch (cause) {
    throw new WorkspaceError('OPEN_FAILED', file, readOnlyProblem(file, cause) ?? `cannot open as SQLite: ${(cause as Error).message}`, { cause });
  }
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    checkAndMigrate(db, file, migrations, opts.readonly === true);
  } catch (err) {
    db.close();
    const readOnly = readOnlyProblem(file, err instanceof WorkspaceError ? err.cause : err);
    if (readOnly) throw new WorkspaceError('OPEN_FAILED', file, readOnly, { cause: err });
    if (err instanceof WorkspaceError) throw err;
    throw new WorkspaceError('OPEN_FAILED', file, `not a usable workspace: ${(err as Error).message}`, { cause: err });
  }
  return { db, file, close: () => db.close() };
}

/** What `file` is when it exists and is not a regular file ("a folder", "a character device", …); null otherwise. */
function nonRegularKind(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null; // Gone, or not stat-able: SQLite's own open error says which.
  }
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** SQLite's and the file system's ways of saying "you may not write here". */
const READ_ONLY_CODES = /^(SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_PERM|SQLITE_AUTH|EACCES|EPERM|EROFS)/;

function canWrite(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * When opening failed because the workspace cannot be written, the sentence that says so: which of the
 * file or its folder is read-only, and what to do. A workspace is written even to read it (WAL mode keeps
 * -wal and -shm files beside it; migrations and the import write the file), so both must be writable.
 * Null for any other failure (e.g. SQLITE_CANTOPEN because the folder does not exist), which keeps
 * SQLite's own message.
 */
function readOnlyProblem(file: string, err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !READ_ONLY_CODES.test(code)) return null;
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) return null;
  const exists = fs.existsSync(file);
  if (exists && fs.statSync(file).isDirectory()) return null;
  const fix = 'make it writable for this user, or copy the workspace to a folder you can write to and open the copy';
  if (code === 'EROFS' || isReadOnlyFileSystem(dir)) {
    return `cannot write the workspace: it is on a read-only file system (SQLite must write the file and create its -wal and -shm files beside it); copy the workspace to a writable disk and open the copy`;
  }
  if (exists && !canWrite(file)) return `cannot write the workspace: the workspace file is read-only (${code}); ${fix}`;
  if (!canWrite(dir)) {
    return `cannot write the workspace: its folder ${dir} is read-only (${code}; SQLite must create the -wal and -shm files beside the workspace); ${fix}`;
  }
  // Read-only for another reason (a read-only -wal/-shm left by another user, a locked-down mount):
  // still the same remedy.
  if (/^SQLITE_READONLY/.test(code)) return `cannot write the workspace: SQLite opened it read-only (${code}); check that the file, its folder and any -wal/-shm files beside it are writable for this user, or open a copy`;
  return null;
}

/** Whether `dir` is on a file system mounted read-only (access(W_OK) reports EROFS even for root). */
function isReadOnlyFileSystem(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EROFS';
  }
}

function checkAndMigrate(db: Database.Database, file: string, migrations: readonly Migration[], readonly: boolean): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  if (appId !== APPLICATION_ID) {
    if (tables.length > 0) {
      throw new WorkspaceError('NOT_A_WORKSPACE', file, 'this SQLite file is not a SyncLens workspace (it already has other tables); choose a new file name');
    }
    if (readonly) throw new WorkspaceError('NOT_A_WORKSPACE', file, 'empty file is not a workspace');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  }
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string }>;
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newestKnown = migrations.reduce((n, m) => Math.max(n, m.version), 0);
  for (const a of applied) {
    if (a.version > newestKnown) {
      throw new WorkspaceError('FROM_THE_FUTURE', file,
        `was written by a newer SyncLens (schema ${a.version} "${a.name}", this build knows up to ${newestKnown}); update SyncLens to open it`);
    }
    const k = known.get(a.version);
    if (!k || k.name !== a.name) {
      throw new WorkspaceError('UNKNOWN_MIGRATION', file,
        `lists migration ${a.version} "${a.name}" that this build does not know; it was made by a different SyncLens build`);
    }
  }
  const done = new Set(applied.map((a) => a.version));
  const pending = migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  if (readonly) throw new WorkspaceError('MIGRATION_FAILED', file, 'needs a schema upgrade; open it writable once');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  for (const m of pending) {
    try {
      // IMMEDIATE: take the write lock before reading, so a second process opening the same new workspace
      // waits (busy timeout) instead of failing; once it has the lock it sees whether the first one has
      // applied this migration meanwhile.
      db.transaction(() => {
        if (isApplied.get(m.version) !== undefined) return;
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
      }).immediate();
    } catch (cause) {
      throw new WorkspaceError('MIGRATION_FAILED', file, `migration ${m.version} "${m.name}" failed: ${(cause as Error).message}`, { cause });
    }
  }
}
