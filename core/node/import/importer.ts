// Import orchestration: discovers sources, tied to one mailbox, streams mbox files, reads .eml/Maildir/.msg
// files whole (one message each), writes rows through MessageWriter, reports progress and honours an
// AbortSignal between messages. Sources are only read.

import type { EntityRef } from '../../engine/index.js';
import { ensureFolder, ensureMailbox } from '../workspace/repo.js';
import type { Workspace } from '../workspace/open.js';
import { discoverSources, type ImportJob, type SkippedEntry } from './discover.js';
import { readMbox, unquoteMbox, isMboxQuoted } from './mbox.js';
import { MsgParseCancelled, MsgParser, type MsgParserOptions } from './msgParser.js';
import { readRegularFile } from './regularFile.js';
import { importPstFile, type PstFolderCount } from './pstImport.js';
import { MAX_MESSAGE_BYTES, MessageWriter, type RowOutcome } from './writer.js';

export interface ImportProgress {
  /** Top-level messages handled so far (any outcome). */
  messages: number;
  bytes: number;
  totalBytes: number;
  currentFile: string;
  filesDone: number;
  filesTotal: number;
}

export interface ImportOptions {
  mailbox: string;
  owner?: EntityRef;
  /** Folder for messages at the root of the given paths (default Inbox). */
  folder?: string;
  /** Put every message found in sub-folders into `folder` too, instead of a mailbox folder per sub-folder. */
  flatten?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Called after each top-level message with how long it took (parse + write), to find slow messages. */
  onMessage?: (m: MessageTiming) => void;
  signal?: AbortSignal;
  /** Limits of the .msg reader thread (tests; the defaults suit real files). */
  msg?: MsgParserOptions;
}

export interface MessageTiming {
  file: string;
  offset: number;
  length: number;
  outcome: RowOutcome;
  ms: number;
}

export interface QuarantineNote {
  file: string;
  offset: number;
  length: number;
  reason: string;
}

export interface ImportSummary {
  counts: Record<RowOutcome, number> & { inner: number };
  /** Top-level messages seen = imported + duplicate + quarantined. */
  total: number;
  files: number;
  bytes: number;
  cancelled: boolean;
  elapsedMs: number;
  quarantined: QuarantineNote[];
  /**
   * Paths found and not imported, with the reason (names that are not UTF-8, unreadable files and folders,
   * FIFOs, devices, sockets, symbolic links inside folders, loose files in a Maildir root); the first 1,000.
   */
  skipped: SkippedEntry[];
  /** How many paths were skipped (may be more than `skipped` lists). */
  skippedCount: number;
  /** PST/OST files: per folder, the PST's own item count against what was read and imported. */
  pstFolders?: Array<PstFolderCount & { file: string }>;
}

const MAX_NOTES = 1000;

/**
 * SQLite's own messages ("database or disk is full", "attempt to write a readonly database") do not say which
 * file: name the workspace, say what was kept, and what to do. Other errors pass through unchanged.
 */
function isSqliteError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

function isBusyError(err: unknown): boolean {
  return isSqliteError(err) && err.code.startsWith('SQLITE_BUSY');
}

export function workspaceWriteError(file: string, err: unknown): unknown {
  if (!isSqliteError(err)) return err;
  const code = err.code;
  const hint = code.startsWith('SQLITE_FULL') ? 'the disk is full; free some space and import again'
    : code.startsWith('SQLITE_READONLY') ? 'the workspace or its folder is read-only; choose a writable location'
      : code.startsWith('SQLITE_IOERR') ? 'the disk could not be written (full, removed or failing); check it and import again'
        : 'the workspace could not be written';
  return new Error(`${file}: import stopped: ${(err as Error).message} (${code}): ${hint}. Messages imported before this point are kept; ` +
    're-running the same import adds only the missing ones.', { cause: err });
}

export async function importPaths(ws: Workspace, paths: readonly string[], opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  // Never import the workspace itself (or its WAL files) when it sits inside an imported folder.
  const found = discoverSources(paths, opts.folder ?? 'Inbox', ['', '-wal', '-shm', '-journal'].map((s) => ws.file + s), opts.flatten ?? false);
  const jobs = found.jobs;
  const writer = new MessageWriter(ws);
  // Every write of the import, the mailbox row included, happens inside the writer's transaction, which
  // takes the write lock up front and waits for another writer of the workspace.
  try {
    await writer.acquire(opts.signal);
  } catch (err) {
    throw workspaceWriteError(ws.file, err);
  }
  const mailbox = ensureMailbox(ws, opts.mailbox, opts.owner);
  const summary: ImportSummary = {
    counts: { imported: 0, duplicate: 0, quarantined: 0, inner: 0 }, total: 0, files: 0, bytes: 0, cancelled: false, elapsedMs: 0, quarantined: [],
    skipped: found.skipped.slice(0, MAX_NOTES), skippedCount: found.skipped.length,
  };
  let msgParser: MsgParser | null = null;
  if (jobs.some((j) => j.kind === 'msg')) {
    msgParser = new MsgParser(opts.msg);
    await msgParser.start();
  }
  const totalBytes = jobs.reduce((n, j) => n + j.size, 0);
  const folderIds = new Map<string, number>();
  const upsertSource = ws.db.prepare(`INSERT INTO sources (path, kind, size, mtime_ms, first_imported_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms RETURNING id`).pluck();
  let doneBytesBeforeFile = 0;
  let lastReport = 0;
  const report = (file: string, bytesInFile: number, force = false): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < 100) return;
    lastReport = now;
    opts.onProgress({ messages: summary.total, bytes: doneBytesBeforeFile + bytesInFile, totalBytes, currentFile: file,
      filesDone: summary.files, filesTotal: jobs.length });
  };
  let messageStarted = performance.now();
  const record = (job: ImportJob, r: { outcome: RowOutcome; inner: number; reason: string | null }, offset: number, length: number): void => {
    if (opts.onMessage) {
      const now = performance.now();
      opts.onMessage({ file: job.path, offset, length, outcome: r.outcome, ms: now - messageStarted });
      messageStarted = now;
    }
    summary.counts[r.outcome]++;
    summary.counts.inner += r.inner;
    summary.total++;
    if (r.outcome === 'quarantined' && summary.quarantined.length < MAX_NOTES) {
      summary.quarantined.push({ file: job.path, offset, length, reason: r.reason ?? 'unknown' });
    }
  };

  try {
    for (const job of jobs) {
      if (opts.signal?.aborted) {
        summary.cancelled = true;
        break;
      }
      await writer.acquire(opts.signal);
      let folderId = folderIds.get(job.folder);
      if (folderId === undefined) {
        folderId = ensureFolder(ws, mailbox.id, job.folder);
        folderIds.set(job.folder, folderId);
      }
      const target = { mailboxId: mailbox.id, folderId };
      const sourceId = upsertSource.get(job.path, job.kind, job.size, job.mtimeMs, new Date().toISOString()) as number;
      report(job.path, 0, true);
      messageStarted = performance.now();
      if (job.kind === 'pst' || job.kind === 'ost') {
        const targets = new Map<string, { mailboxId: number; folderId: number }>();
        const res = await importPstFile({
          ws, writer, file: job.path, sourceId, rootFolder: job.folder, signal: opts.signal,
          folderTarget: (folder) => {
            let t = targets.get(folder);
            if (!t) {
              writer.flush();
              t = { mailboxId: mailbox.id, folderId: folderIds.get(folder) ?? ensureFolder(ws, mailbox.id, folder) };
              folderIds.set(folder, t.folderId);
              targets.set(folder, t);
            }
            return t;
          },
          record: (r, offset, length) => record(job, r, offset, length),
          // Progress in bytes: the share of the PST's items done, applied to the file's size.
          onProgress: (done, total) => report(job.path, total > 0 ? Math.round(job.size * Math.min(1, done / total)) : 0),
        });
        (summary.pstFolders ??= []).push(...res.folders.map((f) => ({ ...f, file: job.path })));
        if (res.cancelled) {
          summary.cancelled = true;
          break;
        }
      } else if (job.kind === 'mbox') {
        try {
          for await (const m of readMbox(job.path, opts.signal, 1 << 20, MAX_MESSAGE_BYTES)) {
            messageStarted = performance.now();
            await writer.acquire(opts.signal);
            if (m.tooBig) {
              // Its bytes were never kept (the splitter stops keeping a message at the limit); the row says
              // where it is and why it was not read. The placeholder makes a re-import a duplicate.
              const r = writer.write(Buffer.from(`${job.path}#${m.offset}+${m.length}#too-big`), target,
                { sourceId, offset: m.offset, length: m.length, mboxQuoted: false },
                `message of ${m.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte (150 MB) limit per message; it was not read`);
              record(job, r, m.offset, m.length);
              report(job.path, m.offset + m.length);
              if (opts.signal?.aborted) break;
              continue;
            }
            const quoted = isMboxQuoted(m.bytes);
            const raw = quoted ? unquoteMbox(m.bytes) : m.bytes;
            const r = writer.write(raw, target, { sourceId, offset: m.offset, length: m.length, mboxQuoted: quoted });
            record(job, r, m.offset, m.length);
            report(job.path, m.offset + m.length);
            if (opts.signal?.aborted) break;
          }
        } catch (err) {
          if (opts.signal?.aborted) {
            summary.cancelled = true;
            break;
          }
          // A workspace write error (disk full, read-only) is not a problem of this mbox: stop the import.
          if (isSqliteError(err) || (err as Error).name === 'WorkspaceBusyError') throw err;
          await writer.acquire(opts.signal);
          // A read error mid-file: keep what was read, record the rest of the file as quarantined.
          const r = writer.write(Buffer.from(`${job.path}#unreadable`), target, { sourceId, offset: 0, length: job.size, mboxQuoted: false },
            `mbox could not be read: ${(err as Error).message}`);
          record(job, r, 0, job.size);
        }
        if (opts.signal?.aborted) {
          summary.cancelled = true;
          break;
        }
      } else {
        let bytes: Buffer;
        try {
          // Only a regular file, checked on the open descriptor (it may have been replaced since discovery).
          bytes = readRegularFile(job.path, MAX_MESSAGE_BYTES);
        } catch (err) {
          const r = writer.write(Buffer.from(job.path), target, { sourceId, offset: 0, length: job.size, mboxQuoted: false },
            `cannot read file: ${(err as Error).message}`);
          record(job, r, 0, job.size);
          summary.files++;
          doneBytesBeforeFile += job.size;
          continue;
        }
        if (job.kind === 'msg') {
          let reason: string | null = null;
          let parsed;
          msgParser ??= new MsgParser(opts.msg);
          try {
            parsed = await msgParser.parse(bytes, opts.signal);
          } catch (err) {
            if (err instanceof MsgParseCancelled) {
              summary.cancelled = true;
              break;
            }
            reason = `Outlook .msg could not be read: ${(err as Error).message}`;
          }
          await writer.acquire(opts.signal);
          record(job, writer.write(bytes, target, { sourceId, offset: 0, length: bytes.length, mboxQuoted: false }, reason, parsed), 0, bytes.length);
        } else {
          record(job, writer.write(bytes, target, { sourceId, offset: 0, length: bytes.length, mboxQuoted: false }), 0, bytes.length);
        }
      }
      summary.files++;
      doneBytesBeforeFile += job.size;
      report(job.path, 0);
    }
    writer.flush();
  } catch (err) {
    writer.rollback();
    // Cancelled while waiting for another writer of the workspace: a cancel, not a failure.
    if (!(opts.signal?.aborted && isBusyError(err))) throw workspaceWriteError(ws.file, err);
    summary.cancelled = true;
  } finally {
    await msgParser?.close();
  }
  summary.bytes = doneBytesBeforeFile;
  summary.elapsedMs = Date.now() - started;
  report('', 0, true);
  return summary;
}
