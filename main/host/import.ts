// Host handler of the Import view: reads mail files and folders into the open workspace as a job with
// progress and cancellation, and says what it could not read and which folders server-side sync would
// not evaluate under the baseline settings.
import { importPaths } from '../../core/node/import/index.js';
import type { HandlerSlice, HostContext } from './context.js';
import { untrackedFolders } from './org.js';

export type ImportMethod = 'import.start';

export function createImportHandlers(ctx: HostContext): HandlerSlice<ImportMethod> {
  return {
    'import.start': async (input) => {
      const w = ctx.requireWs();
      const paths = input.paths.map((p) => ctx.checkedPath(p));
      const job = ctx.startJob(input.jobId, 'import');
      try {
        const s = await importPaths(w, paths, {
          mailbox: input.mailbox,
          ...(input.owner ? { owner: input.owner } : {}),
          ...(input.folder ? { folder: input.folder } : {}),
          ...(input.flatten ? { flatten: true } : {}),
          signal: job.signal,
          onProgress: (p) =>
            ctx.emit('job.progress', { jobId: job.jobId, kind: 'import', done: p.bytes, total: p.totalBytes, bytes: p.bytes, currentFile: p.currentFile, message: `${p.messages} messages, file ${p.filesDone + 1} of ${p.filesTotal}` }),
        });
        ctx.dataChanged();
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
          notTracked: untrackedFolders(w, input.mailbox, ctx.profileSettings(ctx.baselineName())),
        };
      } finally {
        // A job cancelled or failed part-way may have written rows: the replay input is stale either way.
        ctx.dropSession();
        job.done();
      }
    },
  };
}
