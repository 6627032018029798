// The message protocol between a front end (Electron main, the browser-mode server) and the engine
// host running in its own process. One request id per call; events are pushed unsolicited. Both
// Electron's parentPort and Node's child_process IPC carry these plain objects.
import type { Envelope, EventName } from '../../core/contract/contract.js';
import type { Host } from './host.js';

export type ToHost =
  | { type: 'invoke'; id: number; method: string; input: unknown }
  | { type: 'allow'; paths: string[] };

export type FromHost =
  | { type: 'ready' }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };

/** Wires a host to a port: the host-process side. */
export function serveHost(host: Host, post: (msg: FromHost) => void, onMessage: (cb: (msg: unknown) => void) => void): void {
  host.onEvent((event, payload) => post({ type: 'event', event, payload }));
  onMessage((raw) => {
    const msg = raw as Partial<ToHost> | null;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'allow' && Array.isArray(msg.paths)) {
      host.allowPaths(msg.paths.filter((p): p is string => typeof p === 'string'));
    } else if (msg.type === 'invoke' && typeof msg.id === 'number') {
      const id = msg.id;
      void host.invoke(msg.method, msg.input).then((envelope) => post({ type: 'result', id, envelope }));
    }
  });
  post({ type: 'ready' });
}

/** The front-end side: typed calls over a port with request ids, events fanned out to listeners. */
export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  constructor(private readonly post: (msg: ToHost) => void) {}

  /** Feed every message from the host process here. */
  receive(raw: unknown): void {
    const msg = raw as Partial<FromHost> | null;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'result' && typeof msg.id === 'number' && msg.envelope) {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve?.(msg.envelope);
    } else if (msg.type === 'event' && msg.event) {
      for (const l of this.listeners) l(msg.event, msg.payload);
    }
  }

  invoke(method: string, input: unknown): Promise<Envelope<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post({ type: 'invoke', id, method, input });
      } catch (err) {
        this.pending.delete(id);
        const why = err instanceof Error ? err.message : String(err);
        resolve({ ok: false, error: { code: 'INTERNAL', message: `The engine host is not running (${why}); restart SyncLens and try again.` } });
      }
    });
  }

  allowPaths(paths: string[]): void {
    try {
      this.post({ type: 'allow', paths });
    } catch {
      // host gone: the next invoke reports it
    }
  }

  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The host process died: every waiting call gets an actionable error instead of hanging. */
  failAll(reason: string): void {
    for (const resolve of this.pending.values()) {
      resolve({ ok: false, error: { code: 'INTERNAL', message: `The engine host stopped (${reason}); restart SyncLens and try again.` } });
    }
    this.pending.clear();
  }
}

/** Host options travel to the host process as one JSON env var (argv is visible in process lists; this is not secret, just tidy). */
export const HOST_OPTIONS_ENV = 'SYNCLENS_HOST_OPTIONS';
