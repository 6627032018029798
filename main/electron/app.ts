// Electron main: thin and privileged. Lifecycle, single instance, the app:// protocol, security
// guards, menus, native dialogs, drag and drop — and the engine host in a utilityProcess, which owns
// the workspace and does all heavy work so the window never freezes. main.ts (the build entry) calls
// runApp with the files the build produced; test/unit/main/mainStartup.test.ts calls it against a
// stand-in `electron` module.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { EVENT_NAMES, isSignInUrl, METHOD_NAMES, type DialogPurpose, type EventName, type Events, type PathsChosen, type RecentWorkspace } from '../../core/contract/contract.js';
import { HOST_OPTIONS_ENV, HostClient, type FromHost } from '../host/protocol.js';
import type { HostOptions } from '../host/host.js';
import { resolveAppFile, MIME_TYPES } from './appProtocol.js';
import { handleInvoke } from './ipc.js';
import { DROP_CHANNEL, EVENT_PREFIX, INVOKE_PREFIX } from './ipcChannels.js';
import { menuTemplate } from './menu.js';
import {
  APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, devServerOrigin, permissionCheckHandler, permissionRequestHandler,
  shouldBlockNavigation, shouldCancelRequest, windowOpenHandler, windowOptions,
} from './security.js';
import { parseLaunchArgs } from './launchArgs.js';

/** The built files main needs (main.ts passes the ones electron-vite produced). */
export interface AppFiles {
  /** The engine host's bundle, started as a utilityProcess. */
  hostModule: string;
  /** The sandboxed preload bundle. */
  preload: string;
  /** The renderer bundle served as app://synclens/. */
  rendererDir: string;
}

/** Thrown by startHost when the host process ends before it said `ready`. */
export class HostStartError extends Error {
  override readonly name = 'HostStartError';
}

let files: AppFiles;
let launch: ReturnType<typeof parseLaunchArgs>;
let devOrigin: string | null = null;
const ourWebContents = new Set<number>();
let mainWindow: BrowserWindow | null = null;
let hostProc: UtilityProcess | null = null;
let recent: RecentWorkspace[] = [];
let quitting = false;
const client = new HostClient((m) => {
  if (!hostProc) throw new Error('no host process');
  hostProc.postMessage(m);
});

/** Wires the app; returns the start-up promise (settled once the window loaded or start-up failed). */
export function runApp(built: AppFiles): Promise<void> {
  files = built;
  // Privileged schemes must be registered before the app is ready.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  // A packaged build never loads a native module named on its command line (issue 12 item 14).
  launch = parseLaunchArgs(process.argv.slice(app.isPackaged ? 1 : 2), { packaged: app.isPackaged });
  for (const r of launch.refused) process.stderr.write(`SyncLens: ${r}\n`);
  devOrigin = devServerOrigin(process.env['ELECTRON_RENDERER_URL'], app.isPackaged);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    quitting = true;
    hostProc?.kill();
  });
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve();
  }
  app.on('second-instance', (_e, argv) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const paths = parseLaunchArgs(argv.slice(1), { packaged: app.isPackaged }).paths;
    if (paths.length) choosePaths(paths, 'drop');
  });
  // Any failure before the window is up (the host dying first included) ends in one dialog and exit 1,
  // never in a running app without a window.
  return app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('SyncLens could not start', err instanceof Error ? err.message : String(err));
    hostProc?.kill();
    app.exit(1);
  });
}

function send<E extends EventName>(event: E, payload: Events[E]): void {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) return;
  mainWindow?.webContents.send(EVENT_PREFIX + event, payload);
}

function choosePaths(paths: string[], via: PathsChosen['via']): void {
  client.allowPaths(paths);
  send('paths.chosen', { paths, via } satisfies PathsChosen);
}

function startHost(): Promise<void> {
  const options: HostOptions = {
    sampleWorkspaceDir: path.join(app.getPath('userData'), 'sample'),
    scenariosDir: app.isPackaged ? path.join(process.resourcesPath, 'scenarios') : path.join(app.getAppPath(), 'assets', 'scenarios'),
    allowedRoots: launch.paths.map((p) => path.resolve(p)),
    stateDir: app.getPath('userData'),
    ...(launch.nativeBinding ? { nativeBinding: launch.nativeBinding } : app.isPackaged ? { nativeBinding: path.join(process.resourcesPath, 'native', 'better_sqlite3.node') } : {}),
  };
  const proc = utilityProcess.fork(files.hostModule, [], {
    serviceName: 'SyncLens engine host',
    env: { ...process.env, [HOST_OPTIONS_ENV]: JSON.stringify(options) },
    stdio: 'inherit',
  });
  hostProc = proc;
  return new Promise((resolve, reject) => {
    let ready = false;
    proc.on('message', (raw: unknown) => {
      const msg = raw as FromHost;
      if (msg.type === 'ready') {
        ready = true;
        resolve();
      } else if (msg.type === 'event') {
        // Sign-in for a pull: only Microsoft's sign-in page goes to the system browser (isSignInUrl).
        if (msg.event === 'auth.open' && isSignInUrl((msg.payload as Events['auth.open']).url)) void shell.openExternal((msg.payload as Events['auth.open']).url);
        send(msg.event, msg.payload as Events[typeof msg.event]);
      }
      client.receive(raw);
    });
    proc.on('exit', (code) => {
      hostProc = null;
      client.failAll(`exit code ${code}`);
      if (!ready) {
        // Typically the native binding does not load (wrong ABI) or the options are unusable.
        reject(new HostStartError(`The engine host stopped before it was ready (exit code ${code}). Its error is printed in the terminal that started SyncLens.`));
        return;
      }
      if (!quitting) dialog.showErrorBox('SyncLens engine stopped', `The engine host exited (code ${code}). Restart SyncLens; your workspace is safe (SQLite WAL).`);
    });
  });
}

async function chooseWithDialog(purpose: DialogPurpose): Promise<string[]> {
  const win = mainWindow ?? undefined;
  const filters = [{ name: 'SyncLens workspace', extensions: ['synclens'] }];
  if (purpose === 'create-workspace') {
    const r = win ? await dialog.showSaveDialog(win, { title: 'New workspace', filters, defaultPath: 'workspace.synclens' }) : await dialog.showSaveDialog({ filters });
    return r.canceled || !r.filePath ? [] : [r.filePath];
  }
  if (purpose === 'save-report') {
    // The chosen file (only that file) becomes writable for report.export.
    const reportFilters = [{ name: 'HTML report', extensions: ['html'] }, { name: 'JSON report', extensions: ['json'] }, { name: 'CSV', extensions: ['csv'] }];
    const r = win ? await dialog.showSaveDialog(win, { title: 'Export report', filters: reportFilters, defaultPath: 'synclens-report.html' }) : await dialog.showSaveDialog({ filters: reportFilters });
    if (r.canceled || !r.filePath) return [];
    client.allowPaths([r.filePath]);
    return [r.filePath];
  }
  if (purpose === 'open-export') {
    const exportOpts = {
      title: 'Open a Dataverse export',
      properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
      filters: [{ name: 'Dataverse export', extensions: ['json', 'csv'] }, { name: 'All files', extensions: ['*'] }],
    };
    const r = win ? await dialog.showOpenDialog(win, exportOpts) : await dialog.showOpenDialog(exportOpts);
    if (r.canceled) return [];
    client.allowPaths(r.filePaths);
    return r.filePaths;
  }
  const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] =
    purpose === 'open-workspace' ? ['openFile'] : purpose === 'import-folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'];
  const opts = {
    title: purpose === 'open-workspace' ? 'Open workspace' : 'Import mail',
    properties,
    ...(purpose === 'open-workspace' ? { filters } : { filters: [{ name: 'Mail', extensions: ['eml', 'mbox', 'msg', 'mbx', 'pst', 'ost'] }, { name: 'All files', extensions: ['*'] }] }),
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return [];
  client.allowPaths(r.filePaths);
  return r.filePaths;
}

async function refreshMenu(): Promise<void> {
  const r = await client.invoke('workspace.recent', {});
  if (r.ok) recent = r.value as RecentWorkspace[];
  const openPath = async (p: string): Promise<void> => {
    client.allowPaths([p]);
    const res = await client.invoke('workspace.open', { path: p });
    if (!res.ok) dialog.showErrorBox('Could not open the workspace', res.error.message);
    await refreshMenu();
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          openWorkspace: () => void chooseWithDialog('open-workspace').then((p) => (p[0] ? openPath(p[0]) : undefined)),
          newWorkspace: () =>
            void chooseWithDialog('create-workspace').then(async (p) => {
              if (!p[0]) return;
              client.allowPaths([path.dirname(p[0])]);
              const res = await client.invoke('workspace.create', { path: p[0] });
              if (!res.ok) dialog.showErrorBox('Could not create the workspace', res.error.message);
            }),
          openSample: () => void client.invoke('workspace.openSample', {}).then((res) => (!res.ok ? dialog.showErrorBox('Sample workspace', res.error.message) : undefined)),
          importFiles: () => void chooseWithDialog('import-files').then((p) => (p.length ? choosePaths(p, 'menu-import') : undefined)),
          importFolder: () => void chooseWithDialog('import-folder').then((p) => (p.length ? choosePaths(p, 'menu-import') : undefined)),
          openRecent: (p) => void openPath(p),
          about: () => void dialog.showMessageBox({ title: 'SyncLens', message: `SyncLens ${app.getVersion()}`, detail: 'Inspector and simulator for Dynamics 365 server-side synchronization email tracking.' }),
        },
        recent,
        process.platform,
        app.isPackaged,
      ),
    ),
  );
}

function installGuards(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionCheckHandler);
  // No http(s) loads at all: remote images in emails, redirects, anything.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: shouldCancelRequest(details.url, devOrigin) }));
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (shouldBlockNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (shouldBlockNavigation(url, devOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(windowOpenHandler);
  });
}

function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(files.rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let body: Buffer;
    try {
      body = await fs.promises.readFile(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers({
      'content-type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
}

function registerIpc(): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(INVOKE_PREFIX + method, (event, input: unknown) =>
      handleInvoke(event, method, input, {
        ourWebContentsIds: ourWebContents,
        devOrigin,
        local: { 'dialog.choose': async (i) => ({ paths: await chooseWithDialog((i as { purpose: DialogPurpose }).purpose) }) },
        forward: async (m, inp) => {
          const r = await client.invoke(m, inp);
          if (m.startsWith('workspace.')) void refreshMenu();
          return r;
        },
      }),
    );
  }
  ipcMain.on(DROP_CHANNEL, (event, paths: unknown) => {
    if (!ourWebContents.has(event.sender.id) || !Array.isArray(paths)) return;
    const clean = paths.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p) && p.length < 4096).slice(0, 10_000);
    if (clean.length) choosePaths(clean, 'drop');
  });
}

async function start(): Promise<void> {
  installGuards();
  registerAppProtocol();
  registerIpc();
  await startHost();
  if (launch.workspace) {
    client.allowPaths([path.dirname(path.resolve(launch.workspace))]);
    const r = await client.invoke('workspace.open', { path: path.resolve(launch.workspace) });
    if (!r.ok) dialog.showErrorBox('Could not open the workspace', r.error.message);
  } else if (launch.sample) {
    await client.invoke('workspace.openSample', {});
  }
  await refreshMenu();
  const win = new BrowserWindow(windowOptions(files.preload, app.isPackaged));
  mainWindow = win;
  ourWebContents.add(win.webContents.id);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    ourWebContents.delete(win.webContents.id);
    mainWindow = null;
  });
  // Under `npm run dev` the renderer comes from electron-vite's dev server (hot reload); otherwise app://.
  await win.loadURL(devOrigin !== null ? (process.env['ELECTRON_RENDERER_URL'] as string) : `${APP_ORIGIN}/index.html`);
  if (launch.paths.length) choosePaths(launch.paths.map((p) => path.resolve(p)), 'drop');
}

