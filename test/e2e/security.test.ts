// The renderer is a plain web page with no Node, and email HTML is inert: a hostile message with
// scripts, remote images, forms, frames and links runs nothing and loads nothing remote.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  browser = await launchChromium();
  app = await startApp();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('renderer security', () => {
  it('exposes no require or process to the page', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.getByTestId('open-sample').waitFor();
    // Evaluated as page source: the root tsconfig has no DOM types (tests run in Node).
    const globals = await page.evaluate('({ require: typeof window.require, process: typeof window.process, module: typeof window.module })');
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });
    await page.close();
  });

  it('refuses unknown contract methods and missing tokens when the page calls the engine directly', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.getByTestId('open-sample').waitFor();
    // What a script injected into the page could try: the bridge endpoint with the page's own token.
    const answer = (await page.evaluate(`(async () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token') || sessionStorage.getItem('synclens-token');
      const post = (headers, body) => fetch('/api/invoke', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
      return {
        unknown: await post({ 'x-synclens-token': token }, { method: 'fs.readFile', input: { path: '/etc/passwd' } }),
        proto: await post({ 'x-synclens-token': token }, { method: '__proto__', input: {} }),
        noToken: await post({}, { method: 'workspace.info', input: {} }),
      };
    })()`)) as Record<string, { status: number; body: { ok: boolean; error?: { code: string } } }>;
    expect(answer['unknown']?.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(answer['proto']?.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(answer['noToken']?.status).toBe(401);
    expect(answer['noToken']?.body.ok).toBe(false);
    await page.close();
  });

  it('shows a hostile HTML message without running its scripts or loading anything remote', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(app.url);

    await page.getByTestId('workspace-path').fill(join(tempDir('e2e-sec'), 'hostile.synclens'));
    await page.getByTestId('create-workspace').click();
    await page.getByTestId('import-form').waitFor();
    await page.getByTestId('import-paths').fill(join(import.meta.dirname, 'fixtures', 'hostile.eml'));
    await page.getByTestId('import-mailbox').fill('alice@contoso.com');
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 30_000 }).toMatch(/Imported 1\b/);

    await page.keyboard.press('2');
    await page.getByTestId('message-row').first().waitFor();
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Enter');
    const frameEl = page.getByTestId('safe-html');
    await frameEl.waitFor();
    expect(await frameEl.getAttribute('sandbox')).toBe('');
    const frame = await (await frameEl.elementHandle())?.contentFrame();
    expect(frame).toBeTruthy();
    if (!frame) return;
    await frame.locator('#greeting').waitFor();
    // Give anything that could fire (onload, onerror, meta refresh, autoplay) time to try.
    await page.waitForTimeout(1500);

    const inside = (await frame.evaluate(`({
      title: document.title,
      scripts: document.querySelectorAll('script').length,
      forms: document.querySelectorAll('form, input, button').length,
      frames: document.querySelectorAll('iframe, object, embed, video').length,
      remoteSrc: [...document.querySelectorAll('[src], [srcset], [href], [action], [background]')]
        .map((e) => e.getAttribute('src') ?? e.getAttribute('srcset') ?? e.getAttribute('href') ?? e.getAttribute('action') ?? '')
        .filter((v) => /^(https?:)?\\/\\//i.test(v)),
      handlers: [...document.querySelectorAll('*')].some((e) => [...e.attributes].some((a) => a.name.startsWith('on'))),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      greeting: document.getElementById('greeting')?.textContent ?? null,
      linkText: document.getElementById('link')?.textContent ?? null,
    })`)) as {
      title: string;
      scripts: number;
      forms: number;
      frames: number;
      remoteSrc: string[];
      handlers: boolean;
      csp: string | null;
      greeting: string | null;
      linkText: string | null;
    };
    expect(inside.greeting).toBe('Hello Alice, the invoice is attached.');
    expect(inside.linkText).toBe('Pay now');
    expect(inside.title).not.toBe('PWNED');
    expect(await page.title()).not.toBe('PWNED');
    expect(inside.scripts).toBe(0);
    expect(inside.forms).toBe(0);
    expect(inside.frames).toBe(0);
    expect(inside.remoteSrc).toEqual([]);
    expect(inside.handlers).toBe(false);
    expect(inside.csp).toContain("default-src 'none'");
    expect(dialogs).toEqual([]);

    // Clicking the phishing link navigates nowhere: it has no href left.
    await frame.locator('#link').click();
    await page.waitForTimeout(300);
    expect(page.url()).toBe(app.url);

    const origin = new URL(app.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('about:'));
    expect(foreign).toEqual([]);
    expect(requests.some((u) => u.includes('evil.example'))).toBe(false);
    await screenshot(page, '10-hostile-message');
    expect(errors).toEqual([]);
    await page.close();
  });
});
