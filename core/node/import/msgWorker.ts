// Worker thread that reads Outlook .msg files for the importer (msgParser.ts), so that a file which still
// defeats the structural check cannot take the import (or the app's engine host) down with it: the thread
// runs with a heap limit and is terminated when it takes too long. One request at a time.

import { parentPort } from 'node:worker_threads';
import type { ParsedMessage } from '../../mail/facts.js';
import { readMsg } from './msg.js';

export type ToMsgWorker = { id: number; bytes: Uint8Array; checkStructure: boolean };
export type FromMsgWorker = { id: number; ok: true; parsed: ParsedMessage } | { id: number; ok: false; message: string };

const port = parentPort;
if (port) {
  port.on('message', (m: ToMsgWorker) => {
    let reply: FromMsgWorker;
    try {
      reply = { id: m.id, ok: true, parsed: readMsg(m.bytes, { checkStructure: m.checkStructure }).parsed };
    } catch (err) {
      reply = { id: m.id, ok: false, message: (err as Error).message ?? String(err) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
