// Electron security policy, checked as pure functions against the Electron security checklist
// (style-anchors.md "Electron security checklist") without starting Electron.
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  devServerOrigin,
  isAppUrl,
  isTrustedSender,
  permissionCheckHandler,
  permissionRequestHandler,
  shouldBlockNavigation,
  shouldCancelRequest,
  windowOpenHandler,
  windowOptions,
} from '../../../main/electron/security.js';

describe('BrowserWindow options', () => {
  const opts: BrowserWindowConstructorOptions = windowOptions('/app/preload.cjs', true);
  const web = opts.webPreferences ?? {};

  it('isolates and sandboxes the renderer with no Node', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webviewTag).toBe(false);
  });

  it('keeps web security on and does not navigate on drag and drop', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.preload).toBe('/app/preload.cjs');
  });

  it('offers DevTools only in development', () => {
    expect(windowOptions('/p', true).webPreferences?.devTools).toBe(false);
    expect(windowOptions('/p', false).webPreferences?.devTools).toBe(true);
  });
});

describe('navigation, new windows, permissions', () => {
  it('allows only our own app:// bundle', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(shouldBlockNavigation(`${APP_ORIGIN}/index.html#/messages`)).toBe(false);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1/',
      'file:///etc/passwd',
      'app://other/index.html',
      'app://synclens.evil.com/',
      'app://user:pw@synclens/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(shouldBlockNavigation(url), url).toBe(true);
    }
  });

  it('denies window.open', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) permissionRequestHandler(null, p, (g) => answers.push(g));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(permissionCheckHandler()).toBe(false);
  });

  it('cancels every request that would leave the machine', () => {
    for (const url of ['https://tracker.example/pixel.gif', 'http://10.0.0.1/', 'ws://x/', 'ftp://x/', 'file:///etc/hosts', '::bad']) {
      expect(shouldCancelRequest(url), url).toBe(true);
    }
    for (const url of [`${APP_ORIGIN}/assets/app.js`, 'data:image/png;base64,AAAA', 'blob:app://synclens/uuid']) {
      expect(shouldCancelRequest(url), url).toBe(false);
    }
  });
});

describe('IPC sender check', () => {
  const ours = new Set([7]);
  const top = { url: `${APP_ORIGIN}/index.html`, parent: null };

  it('trusts only the top frame of our window showing our bundle', () => {
    expect(isTrustedSender({ senderFrame: top, sender: { id: 7 } }, ours)).toBe(true);
  });

  it('refuses subframes (the email body frame), other windows, other origins and gone frames', () => {
    expect(isTrustedSender({ senderFrame: { url: top.url, parent: top }, sender: { id: 7 } }, ours)).toBe(false);
    expect(isTrustedSender({ senderFrame: top, sender: { id: 8 } }, ours)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'https://example.com/', parent: null }, sender: { id: 7 } }, ours)).toBe(false);
    expect(isTrustedSender({ senderFrame: null, sender: { id: 7 } }, ours)).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name = '', ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }));

  it('allows scripts and connections only from the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('names no remote source and never allows eval or inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('the renderer dev server (`npm run dev`)', () => {
  it('is trusted only unpackaged, only on a loopback http origin', () => {
    expect(devServerOrigin('http://localhost:5173/', false)).toBe('http://localhost:5173');
    expect(devServerOrigin('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('http://localhost:5173/', true)).toBeNull();
    expect(devServerOrigin('http://evil.example:5173/', false)).toBeNull();
    expect(devServerOrigin('https://localhost:5173/', false)).toBeNull();
    expect(devServerOrigin(undefined, false)).toBeNull();
  });

  it('lets its pages, modules and hot-reload socket through, and nothing else', () => {
    const dev = 'http://localhost:5173';
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/index.html', dev)).toBe(false);
    expect(shouldBlockNavigation('http://localhost:5173/', dev)).toBe(false);
    expect(shouldBlockNavigation('http://localhost:5173/', null)).toBe(true);
    expect(shouldCancelRequest('http://localhost:5173/src/main.tsx', dev)).toBe(false);
    expect(shouldCancelRequest('ws://localhost:5173/', dev)).toBe(false);
    expect(shouldCancelRequest('https://tracker.example/pixel.gif', dev)).toBe(true);
    const frame = { sender: { id: 1 }, senderFrame: { url: 'http://localhost:5173/', parent: null } };
    expect(isTrustedSender(frame, new Set([1]), dev)).toBe(true);
    expect(isTrustedSender(frame, new Set([1]))).toBe(false);
  });
});
