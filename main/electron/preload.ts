// The sandboxed preload: exposes exactly `window.synclens = { invoke, on }`, checked against the
// contract's closed name lists. No ipcRenderer, no generic channel, no event objects leak through.
// Dropped files are turned into paths here (the sandboxed page cannot) and handed to main, which
// allows them and answers with a `paths.chosen` event.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../../core/contract/contract.js';
import { EVENT_PREFIX, INVOKE_PREFIX, DROP_CHANNEL } from './ipcChannels.js';

const methods: ReadonlySet<string> = new Set(METHOD_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);

const api = {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !methods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method "${String(method).slice(0, 80)}".` } });
    }
    return ipcRenderer.invoke(INVOKE_PREFIX + method, input);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event) || typeof listener !== 'function') {
      throw new Error(`Unknown event "${String(event).slice(0, 80)}".`);
    }
    const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(EVENT_PREFIX + event, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_PREFIX + event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('synclens', api);

// The preload is type-checked with the Node program (no DOM lib), so the little DOM it touches is declared here.
type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0];
interface DropEventLike {
  preventDefault(): void;
  dataTransfer: { files: ArrayLike<DroppedFile> } | null;
}
declare const window: { addEventListener(type: 'dragover' | 'drop', listener: (e: DropEventLike) => void): void };

window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = e.dataTransfer ? Array.from(e.dataTransfer.files) : [];
  const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
  if (paths.length) ipcRenderer.send(DROP_CHANNEL, paths);
});
