// Writing an exported report where the user asked, without ever destroying data (issue 12 item 2): the open
// workspace (and its -wal/-shm/-journal files) and every imported source are refused outright; any other
// existing file is only replaced when the user confirmed (overwrite), and the report is written to a temporary
// file beside the target and moved into place, so a failed write never leaves a half-written file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type ReportFileProblem = 'PROTECTED' | 'FILE_EXISTS' | 'IS_FOLDER' | 'WRITE_FAILED';

export class ReportFileError extends Error {
  constructor(readonly problem: ReportFileProblem, message: string) {
    super(message);
  }
}

export interface ProtectedFile {
  path: string;
  /** What the file is, for the message: "the open workspace", "an imported source". */
  what: string;
}

function real(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

/**
 * Writes `text` to `file` (already resolved through realpath by the allow-list). `protect` lists files that
 * must never be written over; they are compared after realpath, so a symlink or another spelling of the same
 * file is caught too.
 */
export function writeReportFile(file: string, text: string, opts: { protect: readonly ProtectedFile[]; overwrite: boolean }): { path: string; bytes: number } {
  const target = real(file) ?? file;
  for (const p of opts.protect) {
    const r = real(p.path) ?? path.resolve(p.path);
    if (r === target) throw new ReportFileError('PROTECTED', `${file} is ${p.what}: a report must not be written over it. Choose another file name.`);
  }
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(target);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new ReportFileError('IS_FOLDER', `${file} is a folder: give a file name such as report${path.extname(file) || '.html'}.`);
  if (st && !st.isFile()) throw new ReportFileError('PROTECTED', `${file} is not a regular file (a device, pipe or socket): choose another file name.`);
  if (st && !opts.overwrite) throw new ReportFileError('FILE_EXISTS', `${file} already exists: confirm to replace it, or choose another file name.`);

  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    if (opts.overwrite) fs.renameSync(tmp, target);
    else {
      // No overwrite: link fails with EEXIST if the file appeared since the check, instead of replacing it.
      fs.linkSync(tmp, target);
      fs.unlinkSync(tmp);
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') throw new ReportFileError('FILE_EXISTS', `${file} already exists: confirm to replace it, or choose another file name.`);
    throw new ReportFileError('WRITE_FAILED', `Cannot write the report to ${file}: ${err.message}.`);
  }
  return { path: target, bytes: Buffer.byteLength(text) };
}
