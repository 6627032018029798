// The real preload bundle, run in a bare VM context with a fake `electron`: it must require nothing
// but electron, expose exactly `synclens` with `invoke`/`on`, and refuse names outside the contract
// without touching IPC. (The renderer itself has no require/process: its globals come only from this.)
import { build } from 'esbuild';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../../core/contract/contract.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let code = '';
const required: string[] = [];
const exposed = new Map<string, Record<string, unknown>>();
const invoked: Array<[string, unknown]> = [];
const subscribed: string[] = [];
const windowListeners: string[] = [];
let sandbox: Record<string, unknown>;

beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(root, 'main/electron/preload.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  code = out.outputFiles[0]?.text ?? '';
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return { ok: true, value: null };
      },
      on: (channel: string) => subscribed.push(channel),
      removeListener: () => undefined,
      send: () => undefined,
    },
    webUtils: { getPathForFile: () => '' },
  };
  sandbox = {
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`preload may not require ${name}`);
    },
    module: { exports: {} },
    exports: {},
    window: { addEventListener: (type: string) => windowListeners.push(type) },
  };
  vm.runInNewContext(code, sandbox);
});

describe('preload', () => {
  it('requires only electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly window.synclens = { invoke, on }', () => {
    expect([...exposed.keys()]).toEqual(['synclens']);
    expect(Object.keys(exposed.get('synclens') ?? {}).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract methods on their own channel', async () => {
    const api = exposed.get('synclens') as { invoke(m: string, i: unknown): Promise<unknown> };
    for (const m of METHOD_NAMES) await api.invoke(m, {});
    expect(invoked.map(([c]) => c)).toEqual(METHOD_NAMES.map((m) => `synclens:invoke:${m}`));
  });

  it('refuses unknown methods without touching IPC', async () => {
    const api = exposed.get('synclens') as { invoke(m: string, i: unknown): Promise<unknown> };
    const before = invoked.length;
    await expect(api.invoke('fs.readFile', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    await expect(api.invoke('__proto__', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(invoked.length).toBe(before);
  });

  it('subscribes only to contract events', () => {
    const api = exposed.get('synclens') as { on(e: string, l: () => void): () => void };
    for (const e of EVENT_NAMES) api.on(e, () => undefined);
    expect(subscribed).toEqual(EVENT_NAMES.map((e) => `synclens:event:${e}`));
    expect(() => api.on('ipc-message', () => undefined)).toThrow(/Unknown event/);
  });

  it('handles file drops itself so the page never navigates to a dropped file', () => {
    expect(windowListeners).toEqual(expect.arrayContaining(['dragover', 'drop']));
  });

  it('leaks no process or require to the page', () => {
    expect(code).not.toMatch(/process\.env|contextBridge\.exposeInMainWorld\(\s*["']ipcRenderer/);
  });
});
