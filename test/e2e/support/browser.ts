// Finds a Chromium for the end-to-end tests without downloading anything, in this order:
//   1. SYNCLENS_BROWSER, an explicit path;
//   2. a system Chromium, Chrome or Edge at the usual Linux, macOS and Windows places;
//   3. on Linux x64, the headless Chromium that ships inside the @sparticuz/chromium dev dependency
//      (brotli-packed in the npm tarball; unpacked under the OS temp folder on first use).
// Playwright never installs a browser here (`npx playwright install` downloads from a CDN). When none of
// the three is available the tests fail with one line saying what to install; they never skip.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

export const BROWSER_ENV = 'SYNCLENS_BROWSER';

/** A regular, executable file: a device node or a folder at a browser's path is not a browser. */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.R_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function systemBrowserCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter((r): r is string => !!r);
    return roots.flatMap((root) => [
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Chromium', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  return ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge']
    .flatMap((name) => ['/usr/bin', '/usr/local/bin', '/snap/bin'].map((dir) => `${dir}/${name}`));
}

export class NoBrowserError extends Error {
  constructor(detail: string) {
    super(
      `No Chromium for the end-to-end tests (${detail}): install Chromium, Google Chrome or Microsoft Edge, ` +
        `or set ${BROWSER_ENV}=/path/to/the/browser`,
    );
    this.name = 'NoBrowserError';
  }
}

export interface FoundBrowser {
  path: string;
  source: 'variable' | 'system' | 'bundled';
}

/** Resolves the browser; unpacks the bundled one when it is the only choice. */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  const explicit = env[BROWSER_ENV];
  if (explicit) {
    if (isExecutableFile(explicit)) return { path: explicit, source: 'variable' };
    throw new NoBrowserError(`${BROWSER_ENV}=${explicit} is not an executable file`);
  }
  const system = systemBrowserCandidates().find(isExecutableFile);
  if (system) return { path: system, source: 'system' };
  if (process.platform === 'linux' && process.arch === 'x64') {
    let bundled: { executablePath: () => Promise<string> };
    try {
      bundled = (await import('@sparticuz/chromium')).default;
    } catch {
      throw new NoBrowserError('no system browser, and the @sparticuz/chromium dev dependency is not installed: run npm install');
    }
    const path = await bundled.executablePath();
    if (isExecutableFile(path)) return { path, source: 'bundled' };
    throw new NoBrowserError(`the bundled Chromium did not unpack to ${path}`);
  }
  throw new NoBrowserError(`no system browser found, and no bundled one exists for ${process.platform}-${process.arch}`);
}
