// On-demand body and attachments: the workspace stores facts only; the bytes stay in the source file and
// are parsed with mailparser when someone looks at a message. Sources are opened read-only.

import fs from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { decodeBase64 } from '../mail/bytes.js';
import { unquoteMbox } from './import/mbox.js';
import { getMessageRow } from './workspace/repo.js';
import { WorkspaceError } from './workspace/errors.js';
import type { Workspace } from './workspace/open.js';
import { checkCfb } from './import/cfbCheck.js';

function readRange(file: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, buf, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? buf : buf.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** The message's raw bytes, read again from its source (inner messages: from their outer message). */
export function getMessageBytes(ws: Workspace, id: number): Buffer {
  const row = getMessageRow(ws, id);
  if (!row) throw new WorkspaceError('NOT_FOUND', ws.file, `no message with id ${id}`);
  if (row.parent_id !== null) {
    const outer = getMessageBytes(ws, row.parent_id);
    const slice = outer.subarray(row.source_offset, row.source_offset + row.source_length);
    return row.inner_encoding === 'base64' ? Buffer.from(decodeBase64(slice.toString('latin1'))) : Buffer.from(slice);
  }
  // PST items and Graph messages have no byte range in a readable file: their bytes are in the workspace.
  if (row.source_kind === 'pst' || row.source_kind === 'ost' || row.source_kind === 'graph') {
    const stored = ws.db.prepare('SELECT bytes FROM message_bytes WHERE message_id = ?').pluck().get(id) as Buffer | undefined;
    if (!stored) throw new WorkspaceError('NOT_FOUND', ws.file, `message ${id}: its bytes were not kept (it was quarantined before they could be read)`);
    return Buffer.from(stored);
  }
  let bytes: Buffer;
  try {
    bytes = readRange(row.source_path, row.source_offset, row.source_length);
  } catch (err) {
    throw new WorkspaceError('NOT_FOUND', ws.file, `message ${id}: its source ${row.source_path} cannot be read (${(err as Error).message}); was it moved?`);
  }
  return row.mbox_quoted === 1 ? unquoteMbox(bytes) : bytes;
}

export interface MessageContent {
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number; contentId: string | null }>;
}

/** Body and attachment list of a stored message, parsed now with mailparser (or msgreader for .msg). */
export async function getMessageContent(ws: Workspace, id: number): Promise<MessageContent> {
  const row = getMessageRow(ws, id);
  if (!row) throw new WorkspaceError('NOT_FOUND', ws.file, `no message with id ${id}`);
  const bytes = getMessageBytes(ws, id);
  if (row.source_kind === 'msg' && row.parent_id === null) {
    // msgreader gives the plain body; attachments are listed by name.
    return parseMsgContent(bytes);
  }
  const mail: ParsedMail = await simpleParser(bytes, { skipImageLinks: true });
  return {
    text: mail.text ?? null,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size, contentId: a.contentId ?? null })),
  };
}

async function parseMsgContent(bytes: Buffer): Promise<MessageContent> {
  // The same structural check the importer runs first: a crafted .msg (looping chains, 2 GB stream sizes)
  // must not take the engine host down when its body is shown (issue 12 item 1).
  checkCfb(bytes);
  const mod = await import('@kenjiuno/msgreader');
  const Ctor = ((mod as unknown as { default: { default?: unknown } }).default.default ?? mod.default) as typeof mod.default;
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).getFileData();
  return {
    text: data.body ?? null,
    html: null,
    attachments: (data.attachments ?? []).map((a) => ({ filename: a.fileName ?? a.name ?? null, contentType: a.attachMimeTag ?? 'application/octet-stream', size: a.contentLength ?? 0, contentId: a.pidContentId ?? null })),
  };
}
