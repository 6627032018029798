// Reads Outlook .msg files off the importing thread (issue 12 item 1). msgreader is a synchronous parser that
// trusts the file: the structural check (cfbCheck.ts) refuses the crafted files we know of, and this is the
// second line of defence for the ones we do not: the parse runs in a child process with a heap limit and a
// time limit, and can be cancelled. When a parse fails in any of these ways the reader is killed and the
// next file gets a fresh one; the importer quarantines that one file and goes on.
//
// A child process, not a worker thread, because a worker's resourceLimits do not always hold: V8 can abort
// the whole process ("Reached heap limit") when one large allocation overruns a worker's heap, which took
// the test process down with it. Where no child can be forked (a packaged Electron app whose RunAsNode fuse
// is off) a worker thread with resourceLimits is used; if that cannot start either, files are read in this
// thread, still behind the structural check, and `fallbackReason` says why.

import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** What the parser needs of its reader, a child process or a worker thread. */
interface Reader {
  post(m: ToMsgWorker): void;
  on(event: 'message', f: (m: FromMsgWorker | { ready: true }) => void): void;
  off(event: 'message', f: (m: FromMsgWorker | { ready: true }) => void): void;
  onEnd(f: (why: string, outOfMemory: boolean) => void): () => void;
  kill(): Promise<void>;
  ref(): void;
  unref(): void;
}

function childReader(url: URL, maxHeapMb: number): Reader {
  const file = fileURLToPath(url);
  const child: ChildProcess = fork(file, [], {
    execArgv: [`--max-old-space-size=${maxHeapMb}`, '--stack-size=4000', ...(file.endsWith('.ts') ? ['--import', 'tsx'] : [])],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return {
    post: (m) => child.send(m),
    on: (_e, f) => child.on('message', f as (m: unknown) => void),
    off: (_e, f) => child.off('message', f as (m: unknown) => void),
    onEnd: (f) => {
      const onExit = (code: number | null, signal: string | null): void => f(`it stopped (${signal ?? `exit code ${code}`})`, signal === 'SIGABRT' || code === 134);
      const onError = (err: Error): void => f(err.message, false);
      child.once('exit', onExit);
      child.once('error', onError);
      return () => {
        child.off('exit', onExit);
        child.off('error', onError);
      };
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.ref(); // an idle reader is unreferenced: wait for its end all the same
        child.kill('SIGKILL');
      });
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
  };
}

function threadReader(url: URL, maxHeapMb: number): Reader {
  const w = startWorker(url, maxHeapMb);
  return {
    post: (m) => w.postMessage(m),
    on: (_e, f) => w.on('message', f),
    off: (_e, f) => w.off('message', f),
    onEnd: (f) => {
      const onError = (err: Error & { code?: string }): void => f(err.message, err.code === 'ERR_WORKER_OUT_OF_MEMORY');
      const onExit = (code: number): void => f(`it stopped (exit code ${code})`, false);
      w.once('error', onError);
      w.once('exit', onExit);
      return () => {
        w.off('error', onError);
        w.off('exit', onExit);
      };
    },
    kill: async () => {
      await w.terminate();
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

export class MsgParser {
  private worker: Reader | null = null;
  private starting: Promise<Reader | null> | null = null;
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

  private ensureWorker(): Promise<Reader | null> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.fallbackReason !== null) return Promise.resolve(null);
    const url = this.opts.workerUrl ?? defaultWorkerUrl();
    // A child process first; a worker thread where no child can run; this thread as the last resort.
    const attempt = (make: () => Reader): Promise<Reader | string> =>
      new Promise<Reader | string>((resolve) => {
        let r: Reader;
        try {
          r = make();
        } catch (err) {
          resolve((err as Error).message);
          return;
        }
        const ready = (): void => {
          stop();
          r.off('message', ready);
          r.unref(); // An idle reader must not keep the process alive.
          resolve(r);
        };
        const stop = r.onEnd((why) => {
          r.off('message', ready);
          void r.kill();
          resolve(why);
        });
        r.on('message', ready);
      });
    this.starting ??= (async () => {
      // Inside Electron a fork would start the Electron binary, which a packaged app (RunAsNode fuse off) runs
      // as a second app instance: there the reader is a worker thread.
      const child = process.versions.electron ? 'no child processes inside Electron' : await attempt(() => childReader(url, this.maxHeapMb));
      if (typeof child !== 'string') return (this.worker = child);
      const thread = await attempt(() => threadReader(url, this.maxHeapMb));
      if (typeof thread !== 'string') return (this.worker = thread);
      this.fallbackReason = `the .msg reader could not start (${child}; ${thread}); .msg files are read in this thread`;
      return null;
    })().finally(() => {
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
        stopWatching();
        if (kill) {
          // The reader may be stuck in a loop or out of memory: a new one reads the next file.
          this.worker = null;
          void w.kill();
        } else {
          w.unref();
        }
        fn();
      };
      const onMessage = (m: FromMsgWorker | { ready: true }): void => {
        if (!('id' in m) || m.id !== id) return;
        finish(false, () => (m.ok ? resolve(m.parsed) : reject(new MsgParseError(m.message))));
      };
      const stopWatching = w.onEnd((why, outOfMemory) => {
        const reason = outOfMemory ? `reading it needed more than the ${this.maxHeapMb} MB of memory allowed for one .msg` : `the reader failed: ${why}`;
        finish(true, () => reject(new MsgParseError(reason)));
      });
      const onAbort = (): void => finish(true, () => reject(new MsgParseCancelled()));
      const timer = setTimeout(() => finish(true, () => reject(new MsgParseError(`reading it took longer than ${this.timeoutMs / 1000} s, the limit for one .msg`))), this.timeoutMs);
      w.on('message', onMessage);
      signal?.addEventListener('abort', onAbort, { once: true });
      w.ref(); // Keep the process alive while a file is being read.
      w.post({ id, bytes, checkStructure: false }); // checked above when asked to
    });
  }

  /** Stops the worker (call when the import ends). */
  async close(): Promise<void> {
    const w = this.worker ?? (this.starting ? await this.starting : null);
    this.worker = null;
    if (w) await w.kill();
  }
}
