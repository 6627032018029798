// Security policy of the Electron app as pure functions over Electron-like objects, so each rule is
// unit-tested without Electron (test/unit/main). main.ts wires them to the real app.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The app's own origin: the renderer bundle is served from app://synclens/ (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'synclens';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Strict CSP, sent as a header by the app:// handler and the browser-mode server and repeated in
 * index.html. No remote anything: email HTML is shown sanitized in a sandboxed same-origin frame.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
  };
}

export function windowOptions(preloadPath: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'SyncLens',
    backgroundColor: '#1e1e1e',
    webPreferences: { ...webPreferences(preloadPath), devTools: !isPackaged },
  };
}

/**
 * The renderer's dev server (`npm run dev`: electron-vite sets ELECTRON_RENDERER_URL for an unpackaged
 * app only). Its origin is then trusted like app://synclens; a packaged app never has one.
 */
export function devServerOrigin(rendererUrl: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !rendererUrl) return null;
  try {
    const u = new URL(rendererUrl);
    // Only a loopback http server: an arbitrary URL in the environment must not become trusted.
    if (u.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** True only for URLs of our own bundle (or of the dev server, when given). Parsed with URL, never substring-matched. */
export function isAppUrl(raw: string, devOrigin: string | null = null): boolean {
  try {
    const u = new URL(raw);
    if (u.username !== '' || u.password !== '') return false;
    if (devOrigin !== null && u.origin === devOrigin) return true;
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Any navigation away from the bundle is cancelled (links in emails, drops, redirects). */
export function shouldBlockNavigation(url: string, devOrigin: string | null = null): boolean {
  return !isAppUrl(url, devOrigin);
}

/** window.open / target=_blank: always denied; the app has one window. */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests (camera, notifications, clipboard-read …) and checks: SyncLens needs none. */
export function permissionRequestHandler(_wc: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}
export function permissionCheckHandler(): boolean {
  return false;
}

/** Any request the session would send off the machine is cancelled: no http(s), ws, ftp … at all. */
export function shouldCancelRequest(url: string, devOrigin: string | null = null): boolean {
  try {
    const u = new URL(url);
    // The dev server's pages, modules and its hot-reload socket (same host and port, ws:).
    if (devOrigin !== null && (u.origin === devOrigin || (u.protocol === 'ws:' && `http://${u.host}` === devOrigin))) return false;
    const protocol = u.protocol;
    return !(protocol === `${APP_SCHEME}:` || protocol === 'data:' || protocol === 'devtools:' || protocol === 'blob:');
  } catch {
    return true;
  }
}

/** The minimum of Electron's IpcMainInvokeEvent that the sender check needs. */
export interface SenderLike {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

/**
 * An IPC call is trusted only from the top frame of a window we created, currently showing our
 * bundle. A subframe (the email-body frame) or a navigated-away page is refused.
 */
export function isTrustedSender(event: SenderLike, ourWebContentsIds: ReadonlySet<number>, devOrigin: string | null = null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!ourWebContentsIds.has(event.sender.id)) return false;
  return isAppUrl(frame.url, devOrigin);
}
