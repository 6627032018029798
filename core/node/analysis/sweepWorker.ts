// Worker thread of the parallel sweep: holds one copy of the replay input (deserialized from the bytes
// the main thread shares with every worker) and one ReplayCache, replays
// the settings it is sent one at a time and answers with the compact run (typed arrays, transferred).

import { deserialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ReplayCache, type Settings, type ReplayInput } from '../../engine/index.js';
import { keyIndex, replayCompact } from '../../analysis/sweep.js';

/** The input, serialized once (v8.serialize) into memory shared by all the workers. */
export interface SweepWorkerData { input: SharedArrayBuffer }

export type ToWorker = { type: 'run'; slot: number; settings: Settings } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; slot: number; ms: number; order: Int32Array; status: Uint8Array; target: Int32Array; method: Uint8Array }
  | { type: 'error'; slot: number; message: string };

const port = parentPort;
if (port) {
  const input = deserialize(new Uint8Array((workerData as SweepWorkerData).input)) as Omit<ReplayInput, 'settings'>;
  const keys = keyIndex(input);
  const cache = new ReplayCache();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    try {
      const t0 = Date.now();
      const [run] = replayCompact(input, [msg.settings], keys, cache);
      if (!run) throw new Error('no result');
      const out: FromWorker = { type: 'done', slot: msg.slot, ms: Date.now() - t0, ...run };
      port.postMessage(out, [run.order.buffer, run.status.buffer, run.target.buffer, run.method.buffer] as ArrayBuffer[]);
    } catch (e) {
      const out: FromWorker = { type: 'error', slot: msg.slot, message: e instanceof Error ? e.message : String(e) };
      port.postMessage(out);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
