// Menus, the app:// file resolver, the path allow-list and launch arguments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { resolveAppFile } from '../../../main/electron/appProtocol.js';
import { parseLaunchArgs } from '../../../main/electron/launchArgs.js';
import { menuTemplate, type MenuActions } from '../../../main/electron/menu.js';
import { PathAllowList } from '../../../main/host/paths.js';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => (i.label ?? i.role ?? i.type ?? '').replace('&', ''));
}

describe('application menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    openWorkspace: () => calls.push('open'),
    newWorkspace: () => calls.push('new'),
    openSample: () => calls.push('sample'),
    importFiles: () => calls.push('importFiles'),
    importFolder: () => calls.push('importFolder'),
    openRecent: (p) => calls.push(`recent:${p}`),
    about: () => calls.push('about'),
  };
  const recent = [{ path: '/w/a.synclens', name: 'a', openedAt: '2026-01-01T00:00:00Z' }];

  it('has File, Edit, View, Help with Open workspace, Import… and Recent', () => {
    const t = menuTemplate(actions, recent, 'linux', true);
    expect(labels(t)).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = t[0]?.submenu as MenuItemConstructorOptions[];
    expect(labels(file)).toEqual(expect.arrayContaining(['Open Workspace…', 'Import Files…', 'Import Folder…', 'Open Recent']));
    const recentMenu = file.find((i) => i.label === 'Open Recent')?.submenu as MenuItemConstructorOptions[];
    recentMenu[0]?.click?.({} as never, undefined, {} as never);
    file.find((i) => i.label === 'Import Files…')?.click?.({} as never, undefined, {} as never);
    expect(calls).toEqual(['recent:/w/a.synclens', 'importFiles']);
  });

  it('shows a disabled placeholder when there are no recent workspaces', () => {
    const file = menuTemplate(actions, [], 'linux', true)[0]?.submenu as MenuItemConstructorOptions[];
    const recentMenu = file.find((i) => i.label === 'Open Recent')?.submenu as MenuItemConstructorOptions[];
    expect(recentMenu).toEqual([{ label: 'No recent workspaces', enabled: false }]);
  });

  it('offers reload and DevTools only when not packaged, and the app menu only on macOS', () => {
    const view = (packaged: boolean): string[] => labels(menuTemplate(actions, [], 'linux', packaged)[2]?.submenu as MenuItemConstructorOptions[]);
    expect(view(true)).not.toContain('toggleDevTools');
    expect(view(false)).toContain('toggleDevTools');
    expect(menuTemplate(actions, [], 'darwin', true)[0]?.role).toBe('appMenu');
  });
});

describe('app:// resolver', () => {
  const dir = path.resolve('/srv/renderer');
  it('maps the origin root to index.html and assets below it', () => {
    expect(resolveAppFile(dir, 'app://synclens/')).toBe(path.join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://synclens/assets/index-1.js')).toBe(path.join(dir, 'assets', 'index-1.js'));
  });
  it('refuses traversal, other hosts and NUL bytes', () => {
    expect(resolveAppFile(dir, 'app://synclens/..%2f..%2fetc%2fpasswd')).toBeNull();
    // The URL parser already folds an encoded `..` at the root away: the result stays in the bundle.
    expect(resolveAppFile(dir, 'app://synclens/%2e%2e/secret')).toBe(path.join(dir, 'secret'));
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'app://synclens/a%00.js')).toBeNull();
    expect(resolveAppFile(dir, 'app://synclens/%E0%A4%A')).toBeNull();
  });
});

describe('path allow-list', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-paths-')));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-out-')));
  fs.mkdirSync(path.join(tmp, 'mail'));
  fs.symlinkSync(outside, path.join(tmp, 'mail', 'link'));
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('allows paths inside a chosen root, including ones not created yet', () => {
    const list = new PathAllowList([path.join(tmp, 'mail')]);
    expect(list.check(path.join(tmp, 'mail'))).toBe(path.join(tmp, 'mail'));
    expect(list.check(path.join(tmp, 'mail', 'new', 'w.synclens'))).toBe(path.join(tmp, 'mail', 'new', 'w.synclens'));
  });

  it('refuses siblings with a shared prefix, .., symlinks out, and relative paths', () => {
    const list = new PathAllowList([path.join(tmp, 'mail')]);
    fs.mkdirSync(path.join(tmp, 'mail-other'));
    expect(list.check(path.join(tmp, 'mail-other', 'x'))).toBeNull();
    expect(list.check(path.join(tmp, 'mail', '..', 'x'))).toBeNull();
    expect(list.check(path.join(tmp, 'mail', 'link', 'x.eml'))).toBeNull();
    expect(list.check('mail/x.eml')).toBeNull();
  });

  it('grows when the user chooses more (dialog, drop)', () => {
    const list = new PathAllowList([]);
    expect(list.check(path.join(outside, 'a.eml'))).toBeNull();
    list.allow([outside]);
    expect(list.check(path.join(outside, 'a.eml'))).toBe(path.join(outside, 'a.eml'));
  });
});

describe('launch arguments', () => {
  it('reads workspace, sample, native binding, and treats the rest as dropped paths', () => {
    expect(parseLaunchArgs(['.', '--native-binding', '/n/b.node', '--sample', '--no-sandbox', '/mail/a.mbox'], { packaged: false })).toEqual({
      workspace: null, sample: true, nativeBinding: '/n/b.node', paths: ['/mail/a.mbox'], refused: [],
    });
    expect(parseLaunchArgs(['--workspace', '/w/x.synclens']).workspace).toBe('/w/x.synclens');
  });
});
