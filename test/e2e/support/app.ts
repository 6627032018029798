// Shared harness for the browser-mode e2e tests: builds the renderer, starts the web server
// in-process on a temp workspace, and drives a Chromium found by ./browser.ts (no browser download).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findBrowser } from './browser.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'test', 'artifacts');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The vitest global setup resolves the browser once (unpacking the bundled one is not safe to race from
 * several test processes) and hands its path down in SYNCLENS_BROWSER; a bench run resolves it itself.
 */
export async function launchChromium(): Promise<Browser> {
  const { path } = await findBrowser();
  return chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/renderer with the project's own build script when the sources are newer. */
export function ensureRendererBuilt(): void {
  const index = join(ROOT, 'dist', 'renderer', 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < newestMtime(join(ROOT, 'renderer', 'src'));
  if (stale) execFileSync(process.execPath, [join(ROOT, 'main', 'build', 'build.mjs'), '--renderer'], { cwd: ROOT, stdio: 'inherit' });
}

export interface RunningApp {
  url: string;
  origin: string;
  close: () => Promise<void>;
}

/** Starts browser mode in this process (H4's startWebServer) with a fresh temp workspace folder. */
export async function startApp(options: { workspace?: string; sample?: boolean } = {}): Promise<RunningApp> {
  ensureRendererBuilt();
  const { startWebServer } = await import('../../../main/web/server.js');
  // Browser mode has no file dialog: the renderer may only name paths under these roots. The state
  // dir (recent list, sample cache) is per run so tests never touch the user's ~/.cache.
  const server = await startWebServer({
    port: 0,
    allowedRoots: [tmpdir(), ROOT],
    stateDir: tempDir('state'),
    ...options,
  });
  return { url: server.url, origin: new URL(server.url).origin, close: () => server.close() };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `synclens-${prefix}-`));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Fails the test on uncaught page errors instead of letting them pass silently. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
