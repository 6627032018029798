// How the renderer reaches the engine: `window.synclens` in Electron (the preload), otherwise the
// browser-mode HTTP bridge — POST /api/invoke with the per-run token from the URL fragment, and
// Server-Sent Events for contract events. Both carry exactly the contract's closed name lists.
import {
  EVENT_NAMES,
  METHOD_NAMES,
  type Envelope,
  type EventName,
  type Events,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type SyncLensApi,
} from '../../core/contract/contract.js';

declare global {
  interface Window {
    synclens?: SyncLensApi;
  }
}

let cached: SyncLensApi | null = null;

/** Native file dialogs (dialog.choose) exist only in the desktop app, where the preload sets window.synclens. */
export function hasNativeDialogs(): boolean {
  return window.synclens !== undefined;
}

export function getApi(): SyncLensApi {
  if (cached) return cached;
  cached = window.synclens ?? createHttpBridge(readToken());
  return cached;
}

/** The token arrives in the fragment (never sent to a server, never in logs); keep it for reloads. */
function readToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('synclens-token', fromHash);
    return fromHash;
  }
  return sessionStorage.getItem('synclens-token') ?? '';
}

function failure<T>(code: 'UNKNOWN_METHOD' | 'INTERNAL', message: string): Envelope<T> {
  return { ok: false, error: { code, message } };
}

export function createHttpBridge(token: string): SyncLensApi {
  const methods: ReadonlySet<string> = new Set(METHOD_NAMES);
  const events: ReadonlySet<string> = new Set(EVENT_NAMES);
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  const connect = (): void => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        let payload: unknown;
        try {
          payload = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  };

  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
      if (!methods.has(method)) return failure('UNKNOWN_METHOD', `Unknown method "${String(method)}".`);
      if (!token) return failure('INTERNAL', 'No access token: open the exact URL SyncLens printed in the terminal (it ends in #token=…).');
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-synclens-token': token },
        body: JSON.stringify({ method, input }),
      });
      const body = (await res.json()) as Envelope<MethodOutput<M>>;
      return body;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (!events.has(event)) throw new Error(`Unknown event "${String(event)}".`);
      connect();
      const set = listeners.get(event) ?? new Set();
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      listeners.set(event, set);
      return () => set.delete(wrapped);
    },
  };
}
