// Imports one PST/OST file: each folder of the IPM subtree becomes a mailbox folder (Inbox, Inbox/sub,
// Sent Items; items at the IPM root go to the import's root folder), each mail item is synthesized into an
// RFC 5322 message (pstMime.ts) and written like any other message (idempotent by SHA-256). The
// synthesized bytes and how they were made (transport headers or mapped MAPI properties) are kept in
// message_bytes, since the PST holds no RFC 5322 text the workspace could read again.
// Items that are not mail (contacts, appointments, tasks, notes, …) are counted per folder as skipped, not
// imported; an unreadable item is quarantined with the reason and the import goes on. Per folder, the
// PST's own item count (PidTagContentCount) is compared with what was read, so no item goes missing silently.

import type { Workspace } from '../workspace/open.js';
import { countItems, openPst, walkPst, PstOpenError, quietly } from './pstRead.js';
import { synthesize, type PstOrigin } from './pstMime.js';
import type { MessageWriter, RowOutcome, WriteTarget } from './writer.js';

export interface PstFolderCount {
  /** Mailbox folder the items went to. */
  folder: string;
  /** The PST's own item count for the folder (PidTagContentCount). */
  contentCount: number;
  read: number;
  imported: number;
  duplicate: number;
  quarantined: number;
  /** Items that are not mail, by message class. */
  skipped: Record<string, number>;
  /** Which path built each imported message. */
  origins: Record<PstOrigin, number>;
  /** A folder that could not be read whole (its item count may then fall short). */
  problems: string[];
}

export interface PstImportContext {
  ws: Workspace;
  writer: MessageWriter;
  file: string;
  sourceId: number;
  /** Folder for items at the IPM root. */
  rootFolder: string;
  folderTarget: (folder: string) => WriteTarget;
  record: (r: { outcome: RowOutcome; inner: number; reason: string | null }, offset: number, length: number) => void;
  onProgress?: (itemsDone: number, itemsTotal: number) => void;
  signal?: AbortSignal;
}

/** Message classes imported as mail; everything else in a mail folder is counted as skipped. */
export function isMailClass(messageClass: string): boolean {
  const c = messageClass.toUpperCase();
  if (c === '' || c === 'IPM' || c.startsWith('IPM.NOTE') || c.startsWith('IPM.SCHEDULE.MEETING') || c.startsWith('REPORT.')) return true;
  return c.startsWith('IPM.POST') || c.startsWith('IPM.SHARING') || c.startsWith('IPM.RECALL') || c.startsWith('IPM.OUTLOOK.RECALL');
}

function mailboxFolder(rootFolder: string, pstPath: string): string {
  return pstPath === '' ? rootFolder : pstPath;
}

/** Yields to the event loop every so often: pst-extractor is synchronous, and a SIGINT must get through. */
const YIELD_EVERY = 50;

export async function importPstFile(ctx: PstImportContext): Promise<{ folders: PstFolderCount[]; cancelled: boolean }> {
  const folders: PstFolderCount[] = [];
  let pst;
  try {
    pst = openPst(ctx.file);
  } catch (err) {
    const reason = err instanceof PstOpenError ? err.message : `${ctx.file}: ${(err as Error).message}`;
    // One quarantined row stands for the unreadable file (as for an unreadable mbox), in the root folder.
    const r = ctx.writer.write(Buffer.from(`${ctx.file}#unreadable`), ctx.folderTarget(ctx.rootFolder), { sourceId: ctx.sourceId, offset: 0, length: 0, mboxQuoted: false }, reason);
    ctx.record(r, 0, 0);
    return { folders, cancelled: false };
  }
  const storeBytes = ctx.ws.db.prepare(`INSERT INTO message_bytes (message_id, origin, item_ref, bytes) VALUES (?, ?, ?, ?)
    ON CONFLICT(message_id) DO NOTHING`);
  let current: PstFolderCount | null = null;
  let done = 0;
  // Known before the walk so progress only grows (a folder's count is in its own table).
  const total = countItems(pst);
  try {
    for await (const e of walkPst(pst, ctx.signal)) {
      if (e.type === 'folder') {
        // The IPM root itself holds no items in most stores: only list it when it does (testPST.pst).
        if (e.folder.path === '' && e.folder.contentCount === 0) continue;
        current = { folder: mailboxFolder(ctx.rootFolder, e.folder.path), contentCount: e.folder.contentCount, read: 0, imported: 0, duplicate: 0,
          quarantined: 0, skipped: {}, origins: { 'pst-transport-headers': 0, 'pst-mapi-properties': 0 }, problems: [] };
        folders.push(current);
        continue;
      }
      if (e.type === 'folder-error') {
        const f = folders.find((x) => x.folder === mailboxFolder(ctx.rootFolder, e.path));
        if (f) f.problems.push(e.reason);
        else folders.push({ folder: mailboxFolder(ctx.rootFolder, e.path), contentCount: 0, read: 0, imported: 0, duplicate: 0, quarantined: 0, skipped: {},
          origins: { 'pst-transport-headers': 0, 'pst-mapi-properties': 0 }, problems: [e.reason] });
        continue;
      }
      const count = current as PstFolderCount;
      const target = ctx.folderTarget(count.folder);
      done++;
      if (e.type === 'item-error') {
        // Stable placeholder bytes per item, so a re-import finds the same quarantined row instead of adding one.
        const placeholder = Buffer.from(`${ctx.file}#${e.folder.path}#${e.nodeId ?? `row${e.index}`}`);
        const r = ctx.writer.write(placeholder, target, { sourceId: ctx.sourceId, offset: e.nodeId ?? 0, length: 0, mboxQuoted: false }, e.reason);
        ctx.record(r, e.nodeId ?? 0, 0);
        count.read++;
        count.quarantined += r.outcome === 'quarantined' ? 1 : 0;
        count.duplicate += r.outcome === 'duplicate' ? 1 : 0;
      } else {
        count.read++;
        let messageClass = '';
        try {
          messageClass = quietly(() => e.message.messageClass ?? '');
        } catch {
          messageClass = '';
        }
        if (!isMailClass(messageClass)) {
          count.skipped[messageClass] = (count.skipped[messageClass] ?? 0) + 1;
        } else {
          let built;
          let reason: string | null = null;
          try {
            built = quietly(() => synthesize(e.message, `${e.nodeId}`));
          } catch (err) {
            reason = `item could not be read from the PST: ${(err as Error).message}`;
          }
          const bytes = built?.bytes ?? Buffer.from(`${ctx.file}#${e.folder.path}#${e.nodeId}`);
          const r = ctx.writer.write(bytes, target, { sourceId: ctx.sourceId, offset: e.nodeId, length: bytes.length, mboxQuoted: false }, reason);
          if (built) {
            // Also on a duplicate: a run killed between the message row and its bytes is repaired by re-importing.
            storeBytes.run(r.id, built.origin, String(e.nodeId), bytes);
            if (r.outcome !== 'duplicate') count.origins[built.origin]++;
          }
          ctx.record(r, e.nodeId, bytes.length);
          count[r.outcome]++;
        }
      }
      ctx.onProgress?.(done, total);
      if (done % YIELD_EVERY === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    pst.close();
  }
  return { folders, cancelled: ctx.signal?.aborted === true };
}
