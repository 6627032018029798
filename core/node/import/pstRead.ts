// Walks an Outlook PST/OST with pst-extractor and yields its items one at a time, folder by folder.
// pst-extractor reads the file by offsets from a file descriptor (PSTFile opens it with fs.openSync and
// reads each block with fs.readSync at its offset), so a PST of any size is never read into memory whole.
//
// Only the IPM subtree is walked (the folders a user sees; readpst does the same): the store's
// PidTagIpmSubtreeEntryId names it in a PST; an OST store has none, so its "IPM_SUBTREE" folder (under
// "Root - Mailbox", not "Root - Public") is used. Search folders and the non-IPM folders are left out.
//
// Items are read by row from the folder's contents table rather than with PSTFolder.getNextChild(), which
// logs and silently skips an item it cannot load: here such an item is yielded as an error, so the caller
// quarantines it with the reason and no item goes missing from the counts.

import fs from 'node:fs';
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';

export interface PstFolderInfo {
  /** Path below the IPM subtree, "/"-separated ("" for the IPM root itself). */
  path: string;
  /** The folder's own item count (PidTagContentCount). */
  contentCount: number;
}

export type PstEntry =
  | { type: 'folder'; folder: PstFolderInfo }
  | { type: 'folder-error'; path: string; reason: string }
  | { type: 'item'; folder: PstFolderInfo; index: number; nodeId: number; message: PSTMessage }
  | { type: 'item-error'; folder: PstFolderInfo; index: number; nodeId: number | null; reason: string };

const TAG_IPM_SUBTREE_ENTRYID = 0x35e0; // PidTagIpmSubtreeEntryId ([MS-OXCSTOR]); the NID is its last 4 bytes
const TAG_ROW_NID = 0x67f2; // the contents table's row id column (LTP row id = the item's NID)

interface FolderInternals {
  initEmailsTable(): void;
  emailsTable: { getItems(start: number, count: number): Array<Map<number, { entryValueReference: number; itemIndex: number }>> } | null;
  fallbackEmailsTable: unknown[] | null;
}
interface UtilModule {
  PSTUtil: { detectAndLoadPSTObject(file: PSTFile, node: unknown): unknown };
}

/**
 * Runs pst-extractor code with console.log/console.error silenced: it prints about message classes it does not
 * model (e.g. REPORT.IPM.Note.NotSupportedICal.NDR) and items it skips, which would mix into the CLI's output
 * (stdout carries --json). What matters is reported through the import summary instead.
 */
export function quietly<T>(fn: () => T): T {
  const { log, error } = console;
  console.log = (): void => undefined;
  console.error = (): void => undefined;
  try {
    return fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}

export class PstOpenError extends Error {
  override readonly name = 'PstOpenError';
}

const CACHE_PAGE = 64 * 1024;
const CACHE_PAGES = 256; // 16 MiB at most, whatever the file size

/**
 * pst-extractor reads through PSTFile.readSync, often a few bytes at a time (one fs.readSync per B-tree
 * entry, per byte in places): most of an import's time went into those system calls. This puts a small LRU
 * cache of 64 KiB pages in front of it (16 MiB at most), so memory stays bounded whatever the file size.
 */
function addReadCache(pst: PSTFile): void {
  const target = pst as unknown as { pstFD: number; readSync(buffer: Buffer, length: number, position: number): number };
  const fd = target.pstFD;
  if (!(fd > 0)) return;
  const pages = new Map<number, Buffer>();
  const page = (no: number): Buffer => {
    let b = pages.get(no);
    if (b) {
      pages.delete(no);
      pages.set(no, b);
      return b;
    }
    const buf = Buffer.allocUnsafe(CACHE_PAGE);
    const n = fs.readSync(fd, buf, 0, CACHE_PAGE, no * CACHE_PAGE);
    b = n === CACHE_PAGE ? buf : buf.subarray(0, n);
    pages.set(no, b);
    if (pages.size > CACHE_PAGES) pages.delete(pages.keys().next().value as number);
    return b;
  };
  target.readSync = (buffer: Buffer, length: number, position: number): number => {
    let done = 0;
    while (done < length) {
      const at = position + done;
      const p = page(Math.floor(at / CACHE_PAGE));
      const off = at % CACHE_PAGE;
      if (off >= p.length) break; // end of file
      const n = Math.min(length - done, p.length - off);
      p.copy(buffer, done, off, off + n);
      done += n;
    }
    return done;
  };
}

/**
 * new PSTFile(path) opens a descriptor and then validates the header; when that throws (not a PST, encrypted,
 * corrupt name-to-id map) the descriptor is left open, since the instance never reaches the caller. The
 * descriptor it opens is noted here and closed on failure, so a bad file leaves nothing open.
 */
function constructClosingOnError(file: string): PSTFile {
  const open = fs.openSync;
  let fd: number | null = null;
  fs.openSync = ((...args: Parameters<typeof fs.openSync>) => (fd = open(...args))) as typeof fs.openSync;
  try {
    return new PSTFile(file);
  } catch (err) {
    if (fd !== null) fs.closeSync(fd);
    throw err;
  } finally {
    fs.openSync = open;
  }
}

/** Opens the file; a file that is not a PST/OST (or is encrypted, or truncated) throws PstOpenError with the reason. */
export function openPst(file: string): PSTFile {
  try {
    const pst = quietly(() => constructClosingOnError(file));
    addReadCache(pst);
    quietly(() => pst.getRootFolder());
    return pst;
  } catch (err) {
    const msg = (err as Error).message.replace(/^PSTFile::open /, '').replace(/: [\s\S]*$/, '');
    throw new PstOpenError(`${file}: not a readable Outlook data file (${msg})`, { cause: err });
  }
}

function subFolders(f: PSTFolder): PSTFolder[] {
  return quietly(() => (f.hasSubfolders ? f.getSubFolders() : []));
}

/** The IPM subtree folder ("Top of Personal Folders", "IPM_SUBTREE", …). */
export function ipmSubtree(pst: PSTFile): PSTFolder {
  const root = pst.getRootFolder();
  let nid: number | null = null;
  try {
    const store = pst.getMessageStore() as unknown as { getBinaryItem(tag: number): Buffer | null };
    const entry = store.getBinaryItem(TAG_IPM_SUBTREE_ENTRYID);
    if (entry && entry.length >= 24) nid = entry.readUInt32LE(20);
  } catch {
    nid = null;
  }
  const tops = (() => {
    try {
      return subFolders(root);
    } catch {
      return [];
    }
  })();
  if (nid !== null) {
    const hit = tops.find((f) => f.descriptorNodeId.toNumber() === nid);
    if (hit) return hit;
  }
  // OST: Root - Mailbox/IPM_SUBTREE.
  for (const top of tops) {
    if (/public/i.test(top.displayName)) continue;
    try {
      const ipm = subFolders(top).find((f) => f.displayName === 'IPM_SUBTREE');
      if (ipm) return ipm;
    } catch {
      // a folder whose hierarchy table cannot be read is not the one we look for
    }
  }
  return root;
}

function loadItem(pst: PSTFile, folder: PSTFolder, index: number, util: UtilModule): { nodeId: number | null; message: PSTMessage } {
  const f = folder as unknown as FolderInternals;
  f.initEmailsTable();
  if (f.emailsTable) {
    const row = f.emailsTable.getItems(index, 1)[0]?.get(TAG_ROW_NID);
    if (!row || row.itemIndex === -1) throw new Error('the contents table has no row for this item');
    const nodeId = row.entryValueReference;
    try {
      // pst-extractor's ids are Long values; take its own Long class from an id it made (no second copy of 'long').
      const LongClass = folder.descriptorNodeId.constructor as unknown as { fromNumber(n: number): Parameters<PSTFile['getDescriptorIndexNode']>[0] };
      const obj = util.PSTUtil.detectAndLoadPSTObject(pst, pst.getDescriptorIndexNode(LongClass.fromNumber(nodeId)));
      return { nodeId, message: obj as PSTMessage };
    } catch (err) {
      throw Object.assign(new Error((err as Error).message), { nodeId });
    }
  }
  // No contents table: pst-extractor's fallback list (read by its own cursor).
  folder.moveChildCursorTo(index);
  const obj = folder.getNextChild() as PSTMessage | null;
  if (!obj) throw new Error('the folder lists this item but it could not be found');
  return { nodeId: obj.descriptorNodeId.toNumber(), message: obj };
}

/** The items the IPM subtree's folders say they hold (folder tables only: cheap), for progress. */
export function countItems(pst: PSTFile): number {
  let total = 0;
  const stack: PSTFolder[] = [ipmSubtree(pst)];
  while (stack.length > 0) {
    const f = stack.pop() as PSTFolder;
    try {
      total += quietly(() => f.contentCount);
      stack.push(...subFolders(f));
    } catch {
      // counted as a folder problem by walkPst
    }
  }
  return total;
}

/**
 * Yields the folders of the IPM subtree (depth first, in the PST's order) and, after each folder, its items.
 * Never throws for a bad folder or item: those are yielded as errors.
 */
export async function* walkPst(pst: PSTFile, signal?: AbortSignal): AsyncGenerator<PstEntry> {
  // PSTUtil is not re-exported by the package index; it is the loader getNextChild itself uses.
  const util = (await import('pst-extractor/dist/PSTUtil.class.js')) as unknown as UtilModule;
  const stack: Array<{ folder: PSTFolder; path: string }> = [{ folder: ipmSubtree(pst), path: '' }];
  while (stack.length > 0) {
    if (signal?.aborted) return;
    const { folder, path } = stack.shift() as { folder: PSTFolder; path: string };
    let contentCount = 0;
    try {
      contentCount = folder.contentCount;
    } catch (err) {
      yield { type: 'folder-error', path, reason: `folder could not be read: ${(err as Error).message}` };
      continue;
    }
    const info: PstFolderInfo = { path, contentCount };
    yield { type: 'folder', folder: info };
    for (let i = 0; i < contentCount; i++) {
      if (signal?.aborted) return;
      try {
        const { nodeId, message } = quietly(() => loadItem(pst, folder, i, util));
        yield { type: 'item', folder: info, index: i, nodeId: nodeId ?? -1, message };
      } catch (err) {
        const nodeId = (err as { nodeId?: number }).nodeId ?? null;
        yield { type: 'item-error', folder: info, index: i, nodeId, reason: `item ${i + 1} of ${contentCount} could not be read: ${(err as Error).message}` };
      }
    }
    let subs: PSTFolder[] = [];
    try {
      subs = subFolders(folder);
    } catch (err) {
      yield { type: 'folder-error', path, reason: `sub-folders could not be listed: ${(err as Error).message}` };
    }
    // Depth first, keeping the PST's own order: a folder's sub-folders come right after it.
    stack.unshift(...subs.map((s) => ({ folder: s, path: path ? `${path}/${s.displayName}` : s.displayName })));
  }
}
