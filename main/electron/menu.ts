// The application menu as a pure template builder: main passes callbacks, tests inspect the tree.
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentWorkspace } from '../../core/contract/contract.js';

export interface MenuActions {
  openWorkspace(): void;
  newWorkspace(): void;
  openSample(): void;
  importFiles(): void;
  importFolder(): void;
  openRecent(path: string): void;
  about(): void;
}

export function menuTemplate(actions: MenuActions, recent: readonly RecentWorkspace[], platform: NodeJS.Platform, isPackaged: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => actions.openRecent(r.path) }))
    : [{ label: 'No recent workspaces', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
        { label: 'New Workspace…', accelerator: 'CmdOrCtrl+N', click: () => actions.newWorkspace() },
        { label: 'Open Sample Workspace', click: () => actions.openSample() },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Import Files…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
        { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+I', click: () => actions.importFolder() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        // Reload and DevTools only while developing: a packaged app has nothing to debug for a user.
        ...(isPackaged ? [] : ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
      ],
    },
    { label: '&Help', submenu: [{ label: 'About SyncLens', click: () => actions.about() }] },
  ];
  if (mac) template.unshift({ role: 'appMenu' });
  return template;
}
