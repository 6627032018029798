// The reader of Outlook .msg files for the importer (msgParser.ts), so that a file which still defeats the
// structural check cannot take the import (or the app's engine host) down with it. It runs as a child
// process with a heap limit (--max-old-space-size) and is killed when it takes too long; where no child can
// be forked it runs as a worker thread with resourceLimits instead. One request at a time.

import { parentPort } from 'node:worker_threads';
import type { ParsedMessage } from '../../mail/facts.js';
import { readMsg } from './msg.js';

export type ToMsgWorker = { id: number; bytes: Uint8Array; checkStructure: boolean };
export type FromMsgWorker = { id: number; ok: true; parsed: ParsedMessage } | { id: number; ok: false; message: string };

function answer(m: ToMsgWorker): FromMsgWorker {
  try {
    return { id: m.id, ok: true, parsed: readMsg(m.bytes, { checkStructure: m.checkStructure }).parsed };
  } catch (err) {
    return { id: m.id, ok: false, message: (err as Error).message ?? String(err) };
  }
}

const port = parentPort;
if (port) {
  port.on('message', (m: ToMsgWorker) => port.postMessage(answer(m)));
  port.postMessage({ ready: true });
} else if (process.send) {
  // A forked child (serialization "advanced", so the bytes arrive as a Uint8Array).
  const send = process.send.bind(process);
  process.on('message', (m: ToMsgWorker) => send(answer(m)));
  // The parent going away (an import that ended, a host that crashed) ends the reader too.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}
