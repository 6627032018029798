// Finds what to import under the given paths: .eml-like files (recursive; the sub-folder path becomes the
// folder), mbox files (start with "From "), Outlook .msg (compound-file signature), and Maildir / Maildir++
// trees (a directory with cur/ or new/; ".Sub.Folder" directories are folders "Sub/Folder"). Only reads.
//
// Everything that is found but not imported is reported, never dropped in silence (issue 12 items 3, 8, 20):
// names that are not valid UTF-8, files and folders that cannot be read, FIFOs, devices, sockets and
// symbolic links inside folders, and loose files in a Maildir root. Each becomes a SkippedEntry naming the
// path and the reason; the rest of the import goes on.

import fs from 'node:fs';
import path from 'node:path';
import { isCfb } from './msg.js';
import { describeKind, openRegular } from './regularFile.js';
import { sniffPst } from './pstSniff.js';

export type SourceKind = 'eml' | 'mbox' | 'maildir' | 'msg' | 'pst' | 'ost';

export interface ImportJob {
  path: string;
  kind: SourceKind;
  folder: string;
  size: number;
  mtimeMs: number;
}

/** A path that was found and not imported, and why (shown in the import summary). */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface Discovery {
  jobs: ImportJob[];
  skipped: SkippedEntry[];
}

/** Names that say "mbox" (Thunderbird's extension-less folder files are found by content instead). */
const MBOX_NAME = /(\.(mbox|mbx|mbs)$|^mbox$)/i;

/**
 * Files mail servers keep in a Maildir root beside cur/new/tmp (Dovecot, Courier, Maildir++ quota): their
 * bookkeeping, not messages, so not reported. Any other loose file there is reported (item 20).
 */
const MAILDIR_BOOKKEEPING = /^(maildirfolder|maildirsize|subscriptions|dovecot-uidlist|dovecot-keywords|dovecot-uidvalidity(\..*)?|dovecot\.index.*|dovecot\.list\.index.*|dovecot\.mailbox\.log.*|courierimap.*|\.?uidvalidity)$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name as UTF-8 where it is valid, with every byte that is not shown as \xNN. */
export function showName(raw: Buffer): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const b = raw[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len > 0 && i + len <= raw.length) {
      try {
        out += utf8.decode(raw.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // Not a valid sequence: shown byte by byte below.
      }
    }
    out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}

function isUtf8(raw: Buffer): boolean {
  try {
    utf8.decode(raw);
    return true;
  } catch {
    return false;
  }
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied (${e.code})`;
  return e.code ? `${e.message.replace(/^[A-Z]+: /, '')}` : String((err as Error).message ?? err);
}

interface Entry {
  name: string;
  full: string;
  dirent: fs.Dirent<Buffer>;
}

class Walker {
  readonly jobs: ImportJob[] = [];
  readonly skipped: SkippedEntry[] = [];

  /** With flatten, every message found under a given folder goes to the root folder (sub-folders ignored). */
  constructor(private readonly flatten = false) {}

  skip(p: string, reason: string): void {
    this.skipped.push({ path: p, reason });
  }

  /**
   * The entries of a folder, sorted, with names that are not valid UTF-8 and hidden entries taken out
   * (the former reported); null, reported, when the folder cannot be read.
   */
  entries(dir: string, includeHidden = false): Entry[] | null {
    let list: fs.Dirent<Buffer>[];
    try {
      list = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      this.skip(dir, `folder cannot be read: ${errorText(err)}; nothing in it was imported`);
      return null;
    }
    const out: Entry[] = [];
    for (const d of list) {
      const raw = d.name;
      if (!isUtf8(raw)) {
        // The name cannot be stored, shown or opened again by its text: the sources table keeps paths as
        // text, and the body view reads messages back by that path.
        const what = d.isDirectory() ? 'folder' : 'file';
        this.skip(path.join(dir, showName(raw)), `${what} name is not valid UTF-8; rename it (for example with convmv) to import ${what === 'folder' ? 'what it holds' : 'it'}`);
        continue;
      }
      const name = raw.toString('utf8');
      if (name.startsWith('.') && !includeHidden) continue;
      out.push({ name, full: path.join(dir, name), dirent: d });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Adds a regular file; anything else, or a file that cannot be opened, is reported. */
  addFile(file: string, folder: string, kind?: SourceKind): void {
    let opened: { fd: number; size: number; mtimeMs: number };
    try {
      opened = openRegular(file);
    } catch (err) {
      const e = err as Error & { kind?: string };
      this.skip(file, e.name === 'NotRegularFileError' ? `${e.kind ?? 'not a regular file'}, not a regular file: only regular files are read` : `cannot be read: ${errorText(err)}`);
      return;
    }
    try {
      this.jobs.push({ path: file, kind: kind ?? sniff(opened.fd, file), folder, size: opened.size, mtimeMs: Math.round(opened.mtimeMs) });
    } catch (err) {
      this.skip(file, `cannot be read: ${errorText(err)}`);
    } finally {
      fs.closeSync(opened.fd);
    }
  }

  /** A folder entry that is neither a folder nor a regular file: reported, never opened or followed. */
  other(e: Entry): void {
    if (e.dirent.isSymbolicLink()) {
      this.skip(e.full, 'a symbolic link inside a folder, not followed (name its target on the command line to import it)');
    } else {
      this.skip(e.full, `${describeKind(e.dirent)}, not a regular file: only regular files are read`);
    }
  }

  walkMaildir(dir: string, folder: string): void {
    for (const sub of ['cur', 'new']) {
      const d = path.join(dir, sub);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(d);
      } catch {
        continue; // A Maildir may lack cur/ or new/.
      }
      // A cur/ or new/ that is a symbolic link leads out of the folder that was chosen: reported like any
      // other symbolic link inside a folder, not followed.
      if (st.isSymbolicLink()) {
        this.skip(d, `a symbolic link inside a folder (the Maildir's ${sub}/), not followed (name its target on the command line to import it)`);
        continue;
      }
      if (!st.isDirectory()) continue;
      for (const e of this.entries(d) ?? []) {
        if (e.dirent.isFile()) this.addFile(e.full, folder, 'maildir');
        else if (e.dirent.isDirectory()) this.skip(e.full, `a folder inside the Maildir's ${sub}/, where only message files belong; not imported`);
        else this.other(e);
      }
    }
  }

  walkDir(dir: string, rel: string, rootFolder: string): void {
    const folderHere = rel === '' || this.flatten ? rootFolder : joinFolder(rootFolder === 'Inbox' ? '' : rootFolder, rel);
    const maildir = isMaildir(dir);
    const list = this.entries(dir, maildir);
    if (list === null) return;
    if (maildir) {
      this.walkMaildir(dir, folderHere);
      for (const e of list) {
        if (['cur', 'new', 'tmp'].includes(e.name)) continue;
        if (e.name.startsWith('.')) {
          if (e.name.length > 1 && e.dirent.isDirectory()) {
            // Maildir++: ".Sub.Folder" is the folder Sub/Folder of this mailbox.
            const sub = e.name.slice(1).split('.').filter(Boolean).join('/');
            this.walkMaildir(e.full, this.flatten ? rootFolder : joinFolder(rel === '' && rootFolder === 'Inbox' ? '' : folderHere, sub));
          }
          continue;
        }
        if (e.dirent.isDirectory()) {
          this.walkDir(e.full, rel ? `${rel}/${e.name}` : e.name, rootFolder);
        } else if (e.dirent.isFile()) {
          if (MAILDIR_BOOKKEEPING.test(e.name)) continue;
          this.skip(e.full, 'a loose file in a Maildir root (Maildir messages are in cur/ and new/); not imported: move it into new/, or name it on the command line');
        } else {
          this.other(e);
        }
      }
      return;
    }
    for (const e of list) {
      if (e.dirent.isDirectory()) this.walkDir(e.full, rel ? `${rel}/${e.name}` : e.name, rootFolder);
      else if (e.dirent.isFile()) this.addFile(e.full, folderHere);
      else this.other(e);
    }
  }
}

function sniff(fd: number, file: string): SourceKind {
  const head = Buffer.alloc(10);
  const n = fs.readSync(fd, head, 0, 10, 0);
  if (isCfb(head.subarray(0, Math.min(n, 8)))) return 'msg';
  // Outlook data files: "!BDN", then the client magic "SM" (PST) or "SO" (OST); a file named .pst/.ost
  // that is not one is still sent to the PST reader, which refuses it naming the file and the problem.
  const pst = sniffPst(head.subarray(0, n), file);
  if (pst) return pst;
  if (n >= 5 && head.toString('latin1', 0, 5) === 'From ') return 'mbox';
  // A file named as an mbox that does not start with "From " is a broken mbox, not one big message:
  // the mbox reader refuses it with a message that names the file and the problem.
  if (MBOX_NAME.test(path.basename(file)) && n > 0) return 'mbox';
  return 'eml';
}

function joinFolder(base: string, rel: string): string {
  return [base, rel].filter(Boolean).join('/');
}

function isMaildir(dir: string): boolean {
  return ['cur', 'new'].some((d) => {
    try {
      return fs.statSync(path.join(dir, d)).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * Expands import paths into jobs, in a stable order, and lists what was found but not imported. Throws with
 * the path when a given path does not exist (a mistyped argument, not a problem of the mail). A path given
 * by name may be a symbolic link (it is followed: the user chose it); it must end at a folder or a regular file.
 */
export function discoverSources(paths: readonly string[], folder = 'Inbox', exclude: readonly string[] = [], flatten = false): Discovery {
  const w = new Walker(flatten);
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        throw new Error(`${p}: no such file or directory`);
      }
      w.skip(path.resolve(p), `cannot be read: ${errorText(err)}`);
      continue;
    }
    if (st.isDirectory()) w.walkDir(path.resolve(p), '', folder);
    else if (st.isFile()) w.addFile(path.resolve(p), folder);
    else w.skip(path.resolve(p), `${describeKind(st)}, not a regular file: only regular files are read`);
  }
  return { jobs: w.jobs.filter((j) => !skip.has(j.path)), skipped: w.skipped };
}

/** The jobs of discoverSources (what is skipped is dropped: use discoverSources to report it). */
export function discover(paths: readonly string[], folder = 'Inbox', exclude: readonly string[] = []): ImportJob[] {
  return discoverSources(paths, folder, exclude).jobs;
}
