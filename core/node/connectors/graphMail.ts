// Exchange Online mailbox pull through Microsoft Graph (read-only, Mail.Read): for each folder path
// ("Inbox", "Inbox/Projects"), the folder is found by well-known name / display name, its messages are
// listed with a delta query (GET /users/{upn}/mailFolders/{id}/messages/delta, $filter on receivedDateTime for
// --since), and each message is fetched as MIME (GET /users/{upn}/messages/{id}/$value) so every header
// (Thread-Index, In-Reply-To, Auto-Submitted…) is kept. Messages are written like every other import
// (idempotent by SHA-256 per mailbox; a message that cannot be fetched or parsed is quarantined with the reason).
// The MIME bytes live in message_bytes (origin 'graph-mime'). Resume: the next page link is saved after
// each page and the final delta link after each folder (connector_state), so an interrupted pull continues
// where it stopped and the next pull asks only for what changed.
// Docs: https://learn.microsoft.com/graph/api/message-delta, https://learn.microsoft.com/graph/api/message-get
// (Get MIME content), https://learn.microsoft.com/graph/api/mailfolder-list-childfolders.

import { z } from 'zod';
import { ensureFolder, ensureMailbox } from '../workspace/repo.js';
import type { Workspace } from '../workspace/open.js';
import { MAX_MESSAGE_BYTES, MessageWriter, type RowOutcome } from '../import/writer.js';
import { ConnectorError, type ODataClient } from './http.js';

export const GRAPH_BASE = 'https://graph.microsoft.com/v1.0';

/** Well-known folder names Graph accepts in place of an id (mailFolder resource, "well-known folder names"). */
const WELL_KNOWN: Record<string, string> = {
  inbox: 'inbox', 'sent items': 'sentitems', 'deleted items': 'deleteditems', drafts: 'drafts', archive: 'archive',
  'junk email': 'junkemail', outbox: 'outbox',
};

const FolderSchema = z.object({ id: z.string(), displayName: z.string() });
const DeltaItemSchema = z.object({ id: z.string(), '@removed': z.unknown().optional(), receivedDateTime: z.string().optional() });

export interface PullProgress {
  folder: string;
  listed: number;
  fetched: number;
}

export interface PullOptions {
  user: string;
  folders: readonly string[];
  /** Only messages received on or after this moment (first pull of a folder; later pulls use the delta link). */
  since?: Date;
  /** Workspace mailbox address (default: the user). */
  mailbox?: string;
  pageSize?: number;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  /** Base URL (tests point it at a local server). */
  base?: string;
}

export interface FolderPullResult {
  folder: string;
  listed: number;
  removed: number;
  imported: number;
  duplicate: number;
  quarantined: number;
  incremental: boolean;
}

export interface PullSummary {
  folders: FolderPullResult[];
  quarantined: Array<{ folder: string; id: string; reason: string }>;
  cancelled: boolean;
  elapsedMs: number;
}

const enc = encodeURIComponent;

async function resolveFolder(client: ODataClient, base: string, user: string, path: string): Promise<string> {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) throw new ConnectorError('NOT_FOUND', 'an empty folder path was given');
  const first = parts[0] as string;
  const wk = WELL_KNOWN[first.toLowerCase()];
  let id: string;
  if (wk) {
    id = FolderSchema.parse(await client.getJson(`${base}/users/${enc(user)}/mailFolders/${wk}?$select=id,displayName`)).id;
  } else {
    id = await childByName(client, `${base}/users/${enc(user)}/mailFolders?$select=id,displayName&includeHiddenFolders=false`, first, user, path);
  }
  for (const name of parts.slice(1)) {
    id = await childByName(client, `${base}/users/${enc(user)}/mailFolders/${enc(id)}/childFolders?$select=id,displayName`, name, user, path);
  }
  return id;
}

async function childByName(client: ODataClient, url: string, name: string, user: string, path: string): Promise<string> {
  const seen: string[] = [];
  for await (const page of client.pages<unknown>(url, { maxPageSize: 100 })) {
    for (const raw of page.value) {
      const f = FolderSchema.safeParse(raw);
      if (!f.success) continue;
      if (f.data.displayName.toLowerCase() === name.toLowerCase()) return f.data.id;
      seen.push(f.data.displayName);
    }
  }
  throw new ConnectorError('NOT_FOUND', `${user} has no folder "${path}" ("${name}" is not among ${seen.length ? seen.map((s) => `"${s}"`).join(', ') : 'no folders'})`);
}

/** Concurrent $value requests per mailbox (Exchange Online: 4 concurrent requests per app per mailbox). */
export const FETCH_CONCURRENCY = 4;

/** Maps with at most `limit` calls running; results in input order. Stops starting new calls once aborted. */
async function mapLimit<T, R>(items: readonly T[], limit: number, signal: AbortSignal | undefined, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal?.aborted) throw new ConnectorError('CANCELLED', 'cancelled');
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function stateKey(user: string, folder: string, what: 'next' | 'delta'): string {
  return `graph:${user.toLowerCase()}:${folder}:${what}`;
}

export async function pullMailbox(ws: Workspace, client: ODataClient, o: PullOptions): Promise<PullSummary> {
  const started = Date.now();
  const base = o.base ?? GRAPH_BASE;
  const mailbox = ensureMailbox(ws, o.mailbox ?? o.user);
  const writer = new MessageWriter(ws);
  const getState = ws.db.prepare('SELECT value FROM connector_state WHERE key = ?').pluck();
  const setState = ws.db.prepare(`INSERT INTO connector_state (key, value, updated_at) VALUES (?, ?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const delState = ws.db.prepare('DELETE FROM connector_state WHERE key = ?');
  const storeBytes = ws.db.prepare(`INSERT INTO message_bytes (message_id, origin, item_ref, bytes) VALUES (?, 'graph-mime', ?, ?)
    ON CONFLICT(message_id) DO NOTHING`);
  const upsertSource = ws.db.prepare(`INSERT INTO sources (path, kind, size, mtime_ms, first_imported_at) VALUES (?, 'graph', 0, ?, ?)
    ON CONFLICT(path) DO UPDATE SET mtime_ms = excluded.mtime_ms RETURNING id`).pluck();
  const summary: PullSummary = { folders: [], quarantined: [], cancelled: false, elapsedMs: 0 };
  try {
    for (const folder of o.folders) {
      if (o.signal?.aborted) break;
      const folderId = await resolveFolder(client, base, o.user, folder);
      writer.flush();
      const target = { mailboxId: mailbox.id, folderId: ensureFolder(ws, mailbox.id, folder) };
      const sourceId = upsertSource.get(`${base}/users/${o.user.toLowerCase()}/mailFolders/${folder}`, Date.now(), new Date().toISOString()) as number;
      let saved = (getState.get(stateKey(o.user, folder, 'next')) ?? getState.get(stateKey(o.user, folder, 'delta'))) as string | undefined;
      // A link saved against another service (e.g. a test stand-in, or another national cloud) is not followed.
      if (saved !== undefined && !saved.startsWith(`${base}/`)) saved = undefined;
      const filter = o.since ? `&$filter=${enc(`receivedDateTime ge ${o.since.toISOString()}`)}` : '';
      const first = saved ?? `${base}/users/${enc(o.user)}/mailFolders/${enc(folderId)}/messages/delta?$select=id,receivedDateTime${filter}`;
      const res: FolderPullResult = { folder, listed: 0, removed: 0, imported: 0, duplicate: 0, quarantined: 0, incremental: saved !== undefined };
      summary.folders.push(res);
      const count = (outcome: RowOutcome): void => {
        res[outcome]++;
      };
      for await (const page of client.pages<unknown>(first, { maxPageSize: o.pageSize ?? 50 })) {
        const items: string[] = [];
        for (const raw of page.value) {
          const item = DeltaItemSchema.safeParse(raw);
          if (!item.success) continue;
          // Deleted or moved out of the folder in Exchange: the workspace keeps what was imported (read-only pull).
          if (item.data['@removed'] !== undefined) res.removed++;
          else items.push(item.data.id);
        }
        // The page's MIME is fetched a few at a time (Exchange allows 4 concurrent requests per app and mailbox),
        // then written in the page's order so the import order stays the listing order.
        const fetched = await mapLimit(items, FETCH_CONCURRENCY, o.signal, async (id) => {
          try {
            // The importers' per-message limit: a bigger message is quarantined without being held in memory.
            return { id, bytes: await client.getBytes(`${base}/users/${enc(o.user)}/messages/${enc(id)}/$value`, MAX_MESSAGE_BYTES), reason: null };
          } catch (err) {
            // Sign-in, permission and cancel problems stop the pull; anything else costs this one message.
            if (err instanceof ConnectorError && ['UNAUTHORIZED', 'FORBIDDEN', 'CANCELLED', 'TENANT_MISMATCH', 'BAD_URL'].includes(err.code)) throw err;
            return { id, bytes: null, reason: `message could not be fetched from Exchange Online: ${(err as Error).message}` };
          }
        });
        for (const f of fetched) {
          if (o.signal?.aborted) break;
          res.listed++;
          const raw = f.bytes ?? Buffer.from(`graph:${o.user}/${f.id}`);
          const r = writer.write(raw, target, { sourceId, offset: 0, length: raw.length, mboxQuoted: false }, f.reason);
          if (f.bytes) storeBytes.run(r.id, f.id, f.bytes);
          count(r.outcome);
          if (r.outcome === 'quarantined') summary.quarantined.push({ folder, id: f.id, reason: r.reason ?? 'unknown' });
          o.onProgress?.({ folder, listed: res.listed, fetched: res.imported + res.duplicate + res.quarantined });
        }
        if (o.signal?.aborted) break;
        // Save where to continue only once the page's messages are committed.
        writer.flush();
        if (page.nextLink) setState.run(stateKey(o.user, folder, 'next'), page.nextLink, new Date().toISOString());
        if (page.deltaLink) {
          setState.run(stateKey(o.user, folder, 'delta'), page.deltaLink, new Date().toISOString());
          delState.run(stateKey(o.user, folder, 'next'));
        }
      }
    }
    writer.flush();
  } catch (err) {
    writer.rollback();
    if (err instanceof ConnectorError && err.code === 'CANCELLED') summary.cancelled = true;
    else throw err;
  }
  if (o.signal?.aborted) summary.cancelled = true;
  summary.elapsedMs = Date.now() - started;
  return summary;
}
