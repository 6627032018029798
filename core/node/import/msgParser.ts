// Reads Outlook .msg files off the importing thread (issue 12 item 1). msgreader is a synchronous parser that
// trusts the file: the structural check (cfbCheck.ts) refuses the crafted files we know of, and this is the
// second line of defence for the ones we do not: the parse runs in a worker thread with a heap limit and a
// time limit, and can be cancelled. When a parse fails in any of these ways the worker is terminated and
// the next file gets a fresh one; the importer quarantines that one file and goes on.
//
// If no worker can start (a bundle without the worker file), files are read in this thread, still behind
// the structural check, and `fallbackReason` says why.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedMessage } from '../../mail/facts.js';
import { checkCfb } from './cfbCheck.js';
import { isCfb, readMsg } from './msg.js';
import type { FromMsgWorker, ToMsgWorker } from './msgWorker.js';

export interface MsgParserOptions {
  /** Longest one file may take (default 20 s; a real 150 MB .msg reads in a few seconds). */
  timeoutMs?: number;
  /**
   * Heap of the worker in MB (default 512). A .msg is at most 150 MB and its binary streams live outside the
   * heap, but msgreader decodes text properties (the body) into strings, two bytes a character: the limit
   * leaves room for a 150 MB file of text and still stops a runaway long before it takes the process down.
   */
  maxHeapMb?: number;
  /** Worker module to start instead of the sibling msgWorker file (for bundled builds). */
  workerUrl?: URL;
  /** Check the compound file's structure first (default true; false only to test the limits below it). */
  checkStructure?: boolean;
}

export class MsgParseError extends Error {
  override readonly name = 'MsgParseError';
}

export class MsgParseCancelled extends Error {
  override readonly name = 'MsgParseCancelled';
  constructor() {
    super('reading the .msg was cancelled');
  }
}

function defaultWorkerUrl(): URL {
  const own = import.meta.url;
  // Sources run by tsx or vitest (.ts); the Electron bundle puts msgWorker.cjs beside the host bundle.
  return new URL(own.endsWith('.ts') ? './msgWorker.ts' : own.endsWith('.cjs') ? './msgWorker.cjs' : './msgWorker.js', own);
}

/** Starts the worker module; from TypeScript sources (tsx, vitest) it first registers tsx in the worker. */
function startWorker(url: URL, maxHeapMb: number): Worker {
  // The young generation is part of the limit too: small, as a .msg parse keeps little alive.
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  if (url.pathname.endsWith('.ts')) {
    const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true, resourceLimits });
  }
  return new Worker(url, { resourceLimits });
}

export class MsgParser {
  private worker: Worker | null = null;
  private starting: Promise<Worker | null> | null = null;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly checkStructure: boolean;
  /** Set when workers could not start and files are read in this thread. */
  fallbackReason: string | null = null;

  constructor(private readonly opts: MsgParserOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.maxHeapMb = opts.maxHeapMb ?? 512;
    this.checkStructure = opts.checkStructure !== false;
  }

  private ensureWorker(): Promise<Worker | null> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.fallbackReason !== null) return Promise.resolve(null);
    this.starting ??= new Promise<Worker | null>((resolve) => {
      let w: Worker;
      try {
        w = startWorker(this.opts.workerUrl ?? defaultWorkerUrl(), this.maxHeapMb);
      } catch (err) {
        this.fallbackReason = `the .msg reader thread could not start (${(err as Error).message}); .msg files are read in this thread`;
        resolve(null);
        return;
      }
      const fallback = (why: string): void => {
        this.fallbackReason = `the .msg reader thread could not start (${why}); .msg files are read in this thread`;
        void w.terminate();
        resolve(null);
      };
      w.once('message', () => {
        w.removeAllListeners('error');
        w.removeAllListeners('exit');
        w.unref(); // An idle reader must not keep the process alive.
        this.worker = w;
        resolve(w);
      });
      w.once('error', (err) => fallback(err.message));
      w.once('exit', (code) => fallback(`it exited with code ${code}`));
    }).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Starts the reader thread now (so its start-up is not counted against the first file). */
  async start(): Promise<void> {
    await this.ensureWorker();
  }

  /** The parsed facts of a .msg; rejects with MsgParseError (a readable reason) or MsgParseCancelled. */
  async parse(bytes: Uint8Array, signal?: AbortSignal): Promise<ParsedMessage> {
    if (signal?.aborted) throw new MsgParseCancelled();
    // The structural check is bounded by the file's size: run here, it refuses a crafted file without a
    // round trip to the thread (or a new thread when the last one had to be stopped).
    if (this.checkStructure) {
      try {
        if (!isCfb(bytes)) throw new Error('not an Outlook .msg (no compound-file signature)');
        checkCfb(bytes);
      } catch (err) {
        throw new MsgParseError((err as Error).message);
      }
    }
    const w = await this.ensureWorker();
    if (signal?.aborted) throw new MsgParseCancelled(); // cancelled while the thread was starting
    if (!w) {
      try {
        return readMsg(bytes, { checkStructure: false }).parsed;
      } catch (err) {
        throw new MsgParseError((err as Error).message);
      }
    }
    const id = this.nextId++;
    return new Promise<ParsedMessage>((resolve, reject) => {
      let settled = false;
      const finish = (kill: boolean, fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          // The thread may be stuck in a loop or out of memory: a new one reads the next file.
          this.worker = null;
          void w.terminate();
        } else {
          w.unref();
        }
        fn();
      };
      const onMessage = (m: FromMsgWorker): void => {
        if (m.id !== id) return;
        finish(false, () => (m.ok ? resolve(m.parsed) : reject(new MsgParseError(m.message))));
      };
      const onError = (err: Error & { code?: string }): void => {
        const why = err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `reading it needed more than the ${this.maxHeapMb} MB of memory allowed for one .msg`
          : `the reader failed: ${err.message}`;
        finish(true, () => reject(new MsgParseError(why)));
      };
      const onExit = (code: number): void => finish(true, () => reject(new MsgParseError(`the reader stopped (exit code ${code})`)));
      const onAbort = (): void => finish(true, () => reject(new MsgParseCancelled()));
      const timer = setTimeout(() => finish(true, () => reject(new MsgParseError(`reading it took longer than ${this.timeoutMs / 1000} s, the limit for one .msg`))), this.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      w.ref(); // Keep the process alive while a file is being read.
      const msg: ToMsgWorker = { id, bytes, checkStructure: false }; // checked above when asked to
      w.postMessage(msg);
    });
  }

  /** Stops the worker (call when the import ends). */
  async close(): Promise<void> {
    const w = this.worker ?? (this.starting ? await this.starting : null);
    this.worker = null;
    if (w) await w.terminate();
  }
}
