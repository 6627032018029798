// How the end-to-end tests find a browser (test/e2e/support/browser.ts): never a download, never a skip.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_ENV, findBrowser, NoBrowserError, systemBrowserCandidates } from '../../e2e/support/browser.js';

describe('the e2e browser finder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synclens-browser-'));

  it('takes an explicit executable path first', async () => {
    const exe = join(dir, 'my-chrome');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    await expect(findBrowser({ [BROWSER_ENV]: exe })).resolves.toEqual({ path: exe, source: 'variable' });
  });

  it('refuses a folder or a non-executable file named by the variable, with one line saying what to do', async () => {
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    chmodSync(plain, 0o644);
    for (const bad of [dir, plain]) {
      const error = await findBrowser({ [BROWSER_ENV]: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoBrowserError);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`${BROWSER_ENV}=${bad} is not an executable file`);
      expect(message).toMatch(/install Chromium, Google Chrome or Microsoft Edge/);
    }
  });

  it('knows the usual install places on each platform', () => {
    expect(systemBrowserCandidates('linux')).toContain('/usr/bin/chromium');
    expect(systemBrowserCandidates('darwin')).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const win = systemBrowserCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' });
    expect(win.some((p) => p.includes('Google') && p.endsWith('chrome.exe'))).toBe(true);
    expect(win.some((p) => p.endsWith('msedge.exe'))).toBe(true);
  });

  it('finds a browser on this machine without a download (a system one, else the packed Chromium)', async () => {
    const found = await findBrowser({});
    expect(['system', 'bundled']).toContain(found.source);
  });
});
