// Electron main's start-up (main/electron/app.ts) against a stand-in `electron` module: Electron's binary
// cannot run here, so this checks what main asks of Electron. The expectations come from Electron's
// security checklist (context isolation, sandbox, no Node in the page, a privileged custom scheme instead
// of file://) and from our contract (one IPC handler per method, only our window's top frame trusted),
// plus the start-up promise: a host that dies before `ready` must end in an error box and exit 1,
// never in a running app without a window.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../../core/contract/contract.js';
import { DROP_CHANNEL, EVENT_PREFIX, INVOKE_PREFIX } from '../../../main/electron/ipcChannels.js';
import { HOST_OPTIONS_ENV } from '../../../main/host/protocol.js';

type Handler = (...args: unknown[]) => unknown;

interface FakeHost extends EventEmitter {
  posted: unknown[];
  postMessage(m: unknown): void;
  kill: ReturnType<typeof vi.fn>;
}

function fakeElectron(hostBehaviour: 'ready' | 'exit-before-ready') {
  let resolveReady: () => void = () => {};
  const readyPromise = new Promise<void>((r) => { resolveReady = r; });
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: () => readyPromise,
    getPath: (name: string) => path.join(os.tmpdir(), 'synclens-fake-electron', name),
    getAppPath: () => path.resolve(import.meta.dirname, '../../..'),
    getVersion: () => '0.0.0-test',
  });
  const windows: Array<{ options: Record<string, unknown>; loaded: string[]; webContents: { id: number; send: ReturnType<typeof vi.fn> } }> = [];
  class BrowserWindow extends EventEmitter {
    readonly webContents = { id: 7, send: vi.fn() };
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    async loadURL(url: string): Promise<void> { this.loaded.push(url); }
    show(): void {}
    isMinimized(): boolean { return false; }
    restore(): void {}
    focus(): void {}
  }
  const hosts: FakeHost[] = [];
  const utilityProcess = {
    fork: vi.fn((modulePath: string, _args: string[], options: { env: Record<string, string> }) => {
      const host = Object.assign(new EventEmitter(), {
        modulePath,
        options,
        posted: [] as unknown[],
        kill: vi.fn(),
        postMessage(m: unknown): void {
          host.posted.push(m);
          const msg = m as { type: string; id?: number; method?: string };
          // The host's answer to every call: an empty recent list, null otherwise.
          if (msg.type === 'invoke') setImmediate(() => host.emit('message', { type: 'result', id: msg.id, envelope: { ok: true, value: msg.method === 'workspace.recent' ? [] : null } }));
        },
      }) as FakeHost;
      hosts.push(host);
      setImmediate(() => (hostBehaviour === 'ready' ? host.emit('message', { type: 'ready' }) : host.emit('exit', 1)));
      return host;
    }),
  };
  const handles = new Map<string, Handler>();
  const listeners = new Map<string, Handler>();
  const electron = {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showMessageBox: vi.fn() },
    ipcMain: { handle: vi.fn((ch: string, h: Handler) => handles.set(ch, h)), on: vi.fn((ch: string, h: Handler) => listeners.set(ch, h)) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: (t: unknown) => t },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), webRequest: { onBeforeRequest: vi.fn() } } },
    utilityProcess,
  };
  return { electron, resolveReady, windows, hosts, handles, listeners };
}

let rendererDir: string;
const savedArgv = process.argv;

beforeEach(() => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>SyncLens</title>');
  // As `electron . --sample` (main/build/start.mjs) starts it, unpackaged.
  process.argv = ['electron', '.', '--sample'];
  vi.resetModules();
});
afterEach(() => {
  process.argv = savedArgv;
  vi.doUnmock('electron');
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

async function start(hostBehaviour: 'ready' | 'exit-before-ready') {
  const fake = fakeElectron(hostBehaviour);
  vi.doMock('electron', () => fake.electron);
  const { runApp } = await import('../../../main/electron/app.js');
  const files = { hostModule: '/built/hostProcess.cjs', preload: '/built/preload.cjs', rendererDir };
  const done = runApp(files);
  return { fake, files, done };
}

describe('main-process start-up', () => {
  it('registers app:// as a privileged scheme before the app is ready', async () => {
    const { fake, done } = await start('ready');
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.windows).toHaveLength(0);
    fake.resolveReady();
    await done;
  });

  it('opens one isolated, sandboxed window without Node, with the built preload, on app://synclens', async () => {
    const { fake, files, done } = await start('ready');
    fake.resolveReady();
    await done;
    expect(fake.windows).toHaveLength(1);
    const web = fake.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(web['contextIsolation']).toBe(true);
    expect(web['sandbox']).toBe(true);
    expect(web['nodeIntegration']).toBe(false);
    expect(web['preload']).toBe(files.preload);
    expect(fake.windows[0]!.loaded).toEqual(['app://synclens/index.html']);
  });

  it('serves the renderer bundle through the app:// handler with the CSP, and nothing outside it', async () => {
    const { fake, done } = await start('ready');
    fake.resolveReady();
    await done;
    const [scheme, handler] = fake.electron.protocol.handle.mock.calls[0] as [string, (r: Request) => Promise<Response>];
    expect(scheme).toBe('app');
    const page = await handler(new Request('app://synclens/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>SyncLens</title>');
    expect((await handler(new Request('app://synclens/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
  });

  it('starts the engine host from the built module with its options, and forwards its events to the window', async () => {
    const { fake, files, done } = await start('ready');
    fake.resolveReady();
    await done;
    expect(fake.electron.utilityProcess.fork).toHaveBeenCalledTimes(1);
    const host = fake.hosts[0] as FakeHost & { modulePath: string; options: { env: Record<string, string> } };
    expect(host.modulePath).toBe(files.hostModule);
    const options = JSON.parse(host.options.env[HOST_OPTIONS_ENV] ?? '{}') as { scenariosDir: string; stateDir: string };
    expect(options.scenariosDir).toBe(path.join(path.resolve(import.meta.dirname, '../../..'), 'assets', 'scenarios'));
    // --sample: the sample workspace is opened before the window shows.
    expect(host.posted).toContainEqual(expect.objectContaining({ type: 'invoke', method: 'workspace.openSample' }));
    const progress = { jobId: 'j1', kind: 'import', done: 1, total: 2 };
    host.emit('message', { type: 'event', event: 'job.progress', payload: progress });
    expect(fake.windows[0]!.webContents.send).toHaveBeenCalledWith(`${EVENT_PREFIX}job.progress`, progress);
  });

  it('wires one IPC handler per contract method; only our window’s top frame reaches the host', async () => {
    const { fake, done } = await start('ready');
    fake.resolveReady();
    await done;
    expect([...fake.handles.keys()].sort()).toEqual(METHOD_NAMES.map((m) => INVOKE_PREFIX + m).sort());
    expect(fake.listeners.has(DROP_CHANNEL)).toBe(true);
    const invoke = fake.handles.get(`${INVOKE_PREFIX}workspace.info`) as Handler;
    const host = fake.hosts[0] as FakeHost;
    const before = host.posted.length;
    const ours = { sender: { id: 7 }, senderFrame: { url: 'app://synclens/index.html', parent: null } };
    expect(await invoke(ours, {})).toEqual({ ok: true, value: null });
    expect(host.posted.slice(before)).toContainEqual(expect.objectContaining({ type: 'invoke', method: 'workspace.info' }));
    const subframe = { sender: { id: 7 }, senderFrame: { url: 'app://synclens/index.html', parent: {} } };
    const stranger = { sender: { id: 8 }, senderFrame: { url: 'app://synclens/index.html', parent: null } };
    for (const event of [subframe, stranger]) {
      const r = (await invoke(event, {})) as { ok: boolean; error?: { message: string } };
      expect(r.ok).toBe(false);
      expect(r.error?.message).toMatch(/did not come from the SyncLens window/);
    }
  });

  it('a host that exits before it is ready ends start-up with an error box and exit code 1, and no window', async () => {
    const { fake, done } = await start('exit-before-ready');
    fake.resolveReady();
    await done;
    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, message] = fake.electron.dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toBe('SyncLens could not start');
    expect(message).toMatch(/engine host stopped before it was ready \(exit code 1\)/);
    expect(fake.electron.app.exit).toHaveBeenCalledWith(1);
    expect(fake.windows).toHaveLength(0);
  });
});
