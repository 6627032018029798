// Finds what to import under the given paths: .eml-like files (recursive; the sub-folder path becomes the
// folder), mbox files (start with "From "), Outlook .msg (compound-file signature), and Maildir / Maildir++
// trees (a directory with cur/ or new/; ".Sub.Folder" directories are folders "Sub/Folder"). Only reads.

import fs from 'node:fs';
import path from 'node:path';
import { isCfb } from './msg.js';
import { sniffPst } from './pstSniff.js';

export type SourceKind = 'eml' | 'mbox' | 'maildir' | 'msg' | 'pst' | 'ost';

export interface ImportJob {
  path: string;
  kind: SourceKind;
  folder: string;
  size: number;
  mtimeMs: number;
}

/** Names that say "mbox" (Thunderbird's extension-less folder files are found by content instead). */
const MBOX_NAME = /(\.(mbox|mbx|mbs)$|^mbox$)/i;

function sniff(file: string): SourceKind {
  const fd = fs.openSync(file, 'r');
  try {
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
  } finally {
    fs.closeSync(fd);
  }
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

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function addFile(jobs: ImportJob[], file: string, folder: string, kind?: SourceKind): void {
  const st = fs.statSync(file);
  jobs.push({ path: file, kind: kind ?? sniff(file), folder, size: st.size, mtimeMs: Math.round(st.mtimeMs) });
}

function walkMaildir(jobs: ImportJob[], dir: string, folder: string): void {
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) continue;
    for (const name of listFiles(d)) addFile(jobs, path.join(d, name), folder, 'maildir');
  }
}

function walkDir(jobs: ImportJob[], dir: string, rel: string, rootFolder: string): void {
  const folderHere = rel === '' ? rootFolder : joinFolder(rootFolder === 'Inbox' ? '' : rootFolder, rel);
  if (isMaildir(dir)) {
    walkMaildir(jobs, dir, folderHere);
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['cur', 'new', 'tmp'].includes(e.name)) continue;
      if (e.name.startsWith('.') && e.name.length > 1) {
        // Maildir++: ".Sub.Folder" is the folder Sub/Folder of this mailbox.
        const sub = e.name.slice(1).split('.').filter(Boolean).join('/');
        walkMaildir(jobs, path.join(dir, e.name), joinFolder(rel === '' && rootFolder === 'Inbox' ? '' : folderHere, sub));
      } else {
        walkDir(jobs, path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name, rootFolder);
      }
    }
    return;
  }
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walkDir(jobs, full, rel ? `${rel}/${e.name}` : e.name, rootFolder);
    else if (e.isFile()) addFile(jobs, full, folderHere);
  }
}

/** Expands import paths into jobs, in a stable order. Throws with the path when one does not exist. */
export function discover(paths: readonly string[], folder = 'Inbox', exclude: readonly string[] = []): ImportJob[] {
  const jobs: ImportJob[] = [];
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new Error(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) walkDir(jobs, path.resolve(p), '', folder);
    else addFile(jobs, path.resolve(p), folder);
  }
  return jobs.filter((j) => !skip.has(j.path));
}
