// Writes parsed messages into the workspace with prepared statements inside large transactions (the import
// path never uses mailparser: 10,000 messages/s is the target). Idempotent by SHA-256 per mailbox.

import crypto from 'node:crypto';
import { parseMessage, type ParsedMessage } from '../../mail/facts.js';
import { decodeBase64 } from '../../mail/bytes.js';
import { findHeaderEnd, HEADER_LIMITS } from '../../mail/headers.js';
import type { Workspace } from '../workspace/open.js';

export type RowOutcome = 'imported' | 'duplicate' | 'quarantined';

export interface SourceRef {
  sourceId: number;
  offset: number;
  length: number;
  mboxQuoted: boolean;
}

export interface WriteTarget {
  mailboxId: number;
  folderId: number;
}

const BASE_COLUMNS = [
  'mailbox_id', 'folder_id', 'source_id', 'source_offset', 'source_length', 'mbox_quoted', 'parent_id', 'inner_path', 'inner_encoding',
  'sha256', 'status', 'quarantine_reason', 'import_order',
] as const;

const FACT_COLUMNS = [
  'message_id', 'in_reply_to', 'references_json', 'subject', 'from_addr',
  'from_name', 'to_json', 'cc_json', 'bcc_json', 'reply_to_json', 'date_raw', 'date', 'received', 'thread_index', 'thread_index_bytes',
  'thread_topic', 'auto_submitted', 'x_auto_response_suppress', 'precedence', 'x_autoreply', 'x_autorespond', 'x_apple_action',
  'content_type', 'smime_type', 'protocol', 'x_trasporto', 'x_ricevuta', 'x_riferimento_message_id', 'flag_pec', 'flag_pec_receipt',
  'flag_smime_encrypted', 'flag_smime_opaque_signed', 'flag_smime_signed', 'flag_auto_reply', 'flag_has_forwarded',
  'flag_forward_subject', 'flag_bad_date', 'flag_missing_message_id', 'auto_reply_reasons', 'headers_json', 'defects_json',
  'in_reply_to_all', 'received_all',
] as const;

type Value = string | number | null | Uint8Array;
type FactRow = Record<(typeof FACT_COLUMNS)[number], Value>;

const LITE = { decodeThreadIndex: false } as const;

/** Oldest an open write transaction may get before it is committed. */
const MAX_BATCH_MS = 250;

/** Levels of forwarded (message/rfc822) messages linked below a top-level message. */
export const MAX_INNER_DEPTH = 5;

/** Largest message accepted; bigger ones are quarantined rather than parsed. */
export const MAX_MESSAGE_BYTES = 150 * 1024 * 1024;

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

const ascii = (v: string | undefined): string | null => v ?? null;
const b = (v: boolean): number => (v ? 1 : 0);

export function parsedToRow(p: ParsedMessage): FactRow {
  const h = p.headers;
  return {
    message_id: p.messageId,
    in_reply_to: p.inReplyTo,
    // Every id / date only when there are several (SIMULATOR §8 points 15 and 2); NULL otherwise.
    in_reply_to_all: p.inReplyToAll.length > 1 ? JSON.stringify(p.inReplyToAll) : null,
    received_all: p.receivedAll.length > 1 ? JSON.stringify(p.receivedAll) : null,
    references_json: JSON.stringify(p.references),
    subject: p.subject,
    from_addr: p.from?.address ?? null,
    from_name: p.from?.name || null,
    to_json: JSON.stringify(p.to.map((a) => a.address)),
    cc_json: JSON.stringify(p.cc.map((a) => a.address)),
    bcc_json: JSON.stringify(p.bcc.map((a) => a.address)),
    reply_to_json: JSON.stringify(p.replyTo.map((a) => a.address)),
    date_raw: p.dateRaw,
    date: p.date,
    received: p.received,
    thread_index: p.threadIndex,
    thread_index_bytes: p.threadIndexBytes,
    thread_topic: p.threadTopic,
    auto_submitted: ascii(h['auto-submitted']),
    x_auto_response_suppress: ascii(h['x-auto-response-suppress']),
    precedence: ascii(h.precedence),
    x_autoreply: ascii(h['x-autoreply']),
    x_autorespond: ascii(h['x-autorespond']),
    x_apple_action: ascii(h['x-apple-action']),
    content_type: p.contentType.mimeType,
    smime_type: p.smimeType,
    protocol: p.protocol,
    x_trasporto: ascii(h['x-trasporto']),
    x_ricevuta: ascii(h['x-ricevuta']),
    x_riferimento_message_id: ascii(h['x-riferimento-message-id']),
    flag_pec: b(p.flags.pec),
    flag_pec_receipt: b(p.flags.pecReceipt),
    flag_smime_encrypted: b(p.flags.smimeEncrypted),
    flag_smime_opaque_signed: b(p.flags.smimeOpaqueSigned),
    flag_smime_signed: b(p.flags.smimeSigned),
    flag_auto_reply: b(p.flags.autoReply),
    flag_has_forwarded: b(p.flags.hasForwardedMessage),
    flag_forward_subject: b(p.flags.forwardSubject),
    flag_bad_date: b(p.flags.badDate),
    flag_missing_message_id: b(p.flags.missingMessageId),
    auto_reply_reasons: JSON.stringify(p.flags.autoReplyReasons),
    headers_json: JSON.stringify(p.headers),
    defects_json: JSON.stringify(p.defects),
  };
}

const EMPTY_FACTS: FactRow = {
  message_id: null, in_reply_to: null, in_reply_to_all: null, received_all: null, references_json: '[]', subject: '', from_addr: null, from_name: null, to_json: '[]', cc_json: '[]',
  bcc_json: '[]', reply_to_json: '[]', date_raw: null, date: null, received: null, thread_index: null, thread_index_bytes: null,
  thread_topic: null, auto_submitted: null, x_auto_response_suppress: null, precedence: null, x_autoreply: null, x_autorespond: null,
  x_apple_action: null, content_type: null, smime_type: null, protocol: null, x_trasporto: null, x_ricevuta: null,
  x_riferimento_message_id: null, flag_pec: 0, flag_pec_receipt: 0, flag_smime_encrypted: 0, flag_smime_opaque_signed: 0,
  flag_smime_signed: 0, flag_auto_reply: 0, flag_has_forwarded: 0, flag_forward_subject: 0, flag_bad_date: 0,
  flag_missing_message_id: 0, auto_reply_reasons: '[]', headers_json: '{}', defects_json: '[]',
};

/** Why bytes are not a message we can keep as one; null when they are. */
export function quarantineReason(raw: Uint8Array, p: ParsedMessage | null): string | null {
  if (raw.length === 0) return 'empty message (0 bytes)';
  if (raw.length > MAX_MESSAGE_BYTES) return `message of ${raw.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`;
  if (!p) return null;
  if (p.fields.length === 0) return 'not an email message: no header fields found';
  // A file whose "headers" contain none of the fields every message has is text, not mail (e.g. a licence file).
  const known = p.fields.some((f) => ['from', 'date', 'message-id', 'subject', 'to', 'received', 'return-path', 'mime-version', 'content-type', 'sender'].includes(f.key));
  if (!known) {
    const none = `no From, Date, Message-ID, Subject, To or Received field (first field "${p.fields[0]?.name ?? ''}")`;
    // When a parser limit cut the header block, the fields that would make it a message may lie past the
    // cut: the limit is the reason, not "not an email" (issue 12 item 12).
    const limit = headerLimitHit(raw, p);
    return limit ? `header limit reached: ${limit}; among the fields read there is ${none}` : `not an email message: ${none}`;
  }
  return null;
}

/** Which header limit of the parser this message hit, in words; null when none. */
export function headerLimitHit(raw: Uint8Array, p: ParsedMessage): string | null {
  if (p.fields.length >= HEADER_LIMITS.fields) {
    const counted = p.defects.find((d) => /^\d+ header fields/.test(d));
    const total = counted ? Number(/^(\d+)/.exec(counted)?.[1]) : NaN;
    return `${Number.isFinite(total) && total > HEADER_LIMITS.fields ? `${total} header fields` : `more than ${HEADER_LIMITS.fields} header fields`}, ` +
      `only the first ${HEADER_LIMITS.fields} were read (the limit on header fields per message)`;
  }
  const [headerEnd] = findHeaderEnd(raw);
  if (headerEnd > HEADER_LIMITS.blockBytes) {
    return `header block of ${headerEnd} bytes, only its first ${HEADER_LIMITS.blockBytes} bytes were read (the limit on the header block)`;
  }
  return null;
}

/** The facts stored with a quarantined row: none, except the defects the parser found (they say why). */
function quarantinedFacts(p: ParsedMessage | null): FactRow {
  return p && p.defects.length > 0 ? { ...EMPTY_FACTS, defects_json: JSON.stringify(p.defects) } : EMPTY_FACTS;
}

/** How long an import waits for another writer of the same workspace before it gives up. */
export const MAX_LOCK_WAIT_MS = 10 * 60 * 1000;

export class WorkspaceBusyError extends Error {
  override readonly name = 'WorkspaceBusyError';
  constructor(file: string, waitedMs: number) {
    super(`${file}: another process (an import or a replay) has been writing to this workspace for ${Math.round(waitedMs / 1000)} s; ` +
      'try again when it has finished. Messages imported before this point are kept.');
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export class MessageWriter {
  private readonly insert;
  private readonly findTop;
  private readonly findInner;
  private readonly addDefect;
  private nextOrder: number;
  private inTx = false;
  private pending = 0;
  private txStarted = 0;

  constructor(private readonly ws: Workspace, private readonly batchSize = 5000) {
    const cols = [...BASE_COLUMNS, ...FACT_COLUMNS];
    // Positional parameters, values gathered into one array: binding 54 named properties through an
    // object spread cost more than parsing the message.
    const stmt = ws.db.prepare(`INSERT INTO messages (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    this.insert = {
      run: (base: Value[], facts: FactRow) => {
        const values = base.slice();
        for (const c of FACT_COLUMNS) values.push(facts[c]);
        return stmt.run(values);
      },
    };
    // A bigger page cache keeps the random-order SHA index in memory during large imports.
    ws.db.pragma('cache_size = -65536');
    this.findTop = ws.db.prepare('SELECT id FROM messages WHERE mailbox_id = ? AND sha256 = ? AND parent_id IS NULL').pluck();
    this.findInner = ws.db.prepare('SELECT id FROM messages WHERE parent_id = ? AND inner_path = ?').pluck();
    this.addDefect = ws.db.prepare("UPDATE messages SET defects_json = json_insert(defects_json, '$[#]', ?) WHERE id = ?");
    this.nextOrder = (ws.db.prepare('SELECT COALESCE(MAX(import_order), -1) + 1 FROM messages').pluck().get() as number);
  }

  /**
   * Opens the batch's write transaction. IMMEDIATE takes the write lock before the first read: a plain
   * BEGIN reads first (the duplicate check) and then must upgrade to a writer, which SQLite refuses at once
   * with SQLITE_BUSY when another connection committed meanwhile, without applying the busy timeout
   * (issue 12 item 5). With IMMEDIATE the busy timeout applies: a second import waits its turn.
   */
  private begin(): void {
    if (!this.inTx) {
      this.ws.db.exec('BEGIN IMMEDIATE');
      this.inTx = true;
      this.txStarted = performance.now();
    }
  }

  /**
   * Opens the write transaction, waiting for another writer of the workspace for as long as it writes (up
   * to MAX_LOCK_WAIT_MS): the busy timeout waits 5 s at a time, and between those waits this yields to the
   * event loop so a cancel is seen. Rows that are not messages (sources, folders) are written after this,
   * inside the same transaction, so they wait too.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.inTx) return;
    const started = performance.now();
    for (;;) {
      try {
        this.begin();
        return;
      } catch (err) {
        if (!isBusy(err)) throw err;
        const waited = performance.now() - started;
        if (waited > MAX_LOCK_WAIT_MS) throw new WorkspaceBusyError(this.ws.file, waited);
        if (signal?.aborted) throw err;
        await new Promise<void>((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      }
    }
  }

  /** Commits the open batch (call at the end, and before any await that might be long). */
  flush(): void {
    if (this.inTx) {
      this.ws.db.exec('COMMIT');
      this.inTx = false;
      this.pending = 0;
    }
  }

  rollback(): void {
    // SQLite may already have rolled the transaction back itself (SQLITE_FULL, SQLITE_IOERR): a second
    // ROLLBACK would throw "no transaction is active" and hide the error that matters.
    if (this.inTx && this.ws.db.inTransaction) this.ws.db.exec('ROLLBACK');
    this.inTx = false;
    this.pending = 0;
  }

  /**
   * Writes one top-level message (and its inner messages). Returns the outcome and how many inner rows
   * were added. `raw` must be the message bytes (unquoted for mbox).
   */
  write(raw: Uint8Array, target: WriteTarget, src: SourceRef, forcedReason: string | null = null, parsed?: ParsedMessage): { outcome: RowOutcome; inner: number; id: number; reason: string | null } {
    this.begin();
    const hash = sha256(raw);
    const existing = this.findTop.get(target.mailboxId, hash) as number | undefined;
    if (existing !== undefined) return { outcome: 'duplicate', inner: 0, id: existing, reason: null };
    let p: ParsedMessage | null = parsed ?? null;
    let reason = forcedReason ?? quarantineReason(raw, null);
    if (!reason && !p) {
      try {
        p = parseMessage(raw, LITE);
      } catch (err) {
        reason = `parser error: ${(err as Error).message}`;
      }
    }
    if (!reason) reason = quarantineReason(raw, p);
    const ok = !reason && p !== null;
    // Same order as BASE_COLUMNS.
    const base: Value[] = [target.mailboxId, target.folderId, src.sourceId, src.offset, src.length, b(src.mboxQuoted), null, null, null,
      hash, ok ? 'ok' : 'quarantined', ok ? null : (reason ?? 'unknown'), this.nextOrder++];
    const id = Number(this.insert.run(base, ok && p ? parsedToRow(p) : quarantinedFacts(p)).lastInsertRowid);
    const inner = ok && p ? this.writeInner(raw, p, id, target, src, 0) : 0;
    // Commit by count or by age: a commit (and the WAL checkpoint it may trigger) costs in proportion to the
    // batch, and it is paid inside one message's write, so batches stay small enough not to stall an import.
    if (++this.pending >= this.batchSize || performance.now() - this.txStarted > MAX_BATCH_MS) this.flush();
    return { outcome: reason ? 'quarantined' : 'imported', inner, id, reason };
  }

  private writeInner(raw: Uint8Array, p: ParsedMessage, parentId: number, target: WriteTarget, src: SourceRef, depth: number): number {
    let count = 0;
    for (const ref of p.inner) {
      if (this.findInner.get(parentId, ref.path) !== undefined) continue;
      let bytes: Uint8Array = raw.subarray(ref.offset, ref.offset + ref.length);
      if (ref.encoding === 'base64') bytes = decodeBase64(Buffer.from(bytes).toString('latin1'));
      let ip: ParsedMessage | null = null;
      let reason: string | null = null;
      try {
        ip = parseMessage(bytes, LITE);
        reason = quarantineReason(bytes, ip);
      } catch (err) {
        reason = `parser error: ${(err as Error).message}`;
      }
      const ok = !reason && ip !== null;
      const base: Value[] = [target.mailboxId, target.folderId, src.sourceId, ref.offset, ref.length, 0, parentId, ref.path, ref.encoding,
        sha256(bytes), ok ? 'ok' : 'quarantined', ok ? null : (reason ?? 'unknown'), this.nextOrder++];
      const id = Number(this.insert.run(base, ok && ip ? parsedToRow(ip) : quarantinedFacts(ip)).lastInsertRowid);
      count++;
      // Nested forwards (a forward of a forward) are linked too, to a sane depth; deeper ones are reported on
      // the last linked message so the inspector says why the chain stops there.
      if (ip && !reason && ip.inner.length > 0) {
        if (depth < MAX_INNER_DEPTH) count += this.writeInner(bytes, ip, id, target, src, depth + 1);
        else this.addDefect.run(`forwarded messages nested deeper than ${MAX_INNER_DEPTH + 1} levels; the deeper ones are not linked`, id);
      }
    }
    return count;
  }
}
