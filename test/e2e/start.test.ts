// The Start view tells a user what went wrong and what to do, in browser mode: a path outside the allowed
// folders names the --allow option, a mistyped path is a plain sentence, an import without a mailbox or of a
// folder with no mail says so, and quarantined messages are listed with their file and reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

let browser: Browser;
let app: RunningApp;
let page: Page;
let errors: string[];
const root = tempDir('start');

beforeAll(async () => {
  browser = await launchChromium();
  app = await startApp();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(app.url);
});

afterAll(async () => {
  await page?.close();
  await app?.close();
  await browser?.close();
});

async function lastBanner(): Promise<string> {
  const banner = page.getByTestId('error-banner').last();
  await banner.waitFor();
  return banner.innerText();
}

describe('start view: plain answers', () => {
  it('refuses a path outside the allowed folders and says how to allow it in browser mode', async () => {
    await page.getByTestId('workspace-path').fill('/var/lib/elsewhere/cases.synclens');
    await page.getByTestId('open-workspace').click();
    const text = await lastBanner();
    expect(text).toContain('Folder not allowed:');
    expect(text).not.toContain('PATH_NOT_ALLOWED');
    expect(text).toContain('/var/lib/elsewhere/cases.synclens is outside the folders you chose');
    expect(text).toContain('npm run web -- --allow /that/folder');
    expect(text).not.toContain('File › Open');
  });

  it('answers a mistyped workspace path with a sentence naming it, not a stack', async () => {
    const missing = join(root, 'no-such-folder', 'cases.synclens');
    await page.getByTestId('workspace-path').fill(missing);
    await page.getByTestId('open-workspace').click();
    await expect.poll(() => page.getByTestId('error-banner').last().innerText()).toContain(missing);
    const text = await page.getByTestId('error-banner').last().innerText();
    expect(text).not.toMatch(/\n\s+at |Error:|ENOENT|NOT_FOUND|--workspace/);
  });

  it('asks for a mailbox address instead of doing nothing, and says when a folder holds no mail', async () => {
    await page.getByTestId('workspace-path').fill(join(root, 'states.synclens'));
    await page.getByTestId('create-workspace').click();
    await page.getByTestId('workspace-card').waitFor();
    expect(await page.getByTestId('workspace-empty').innerText()).toContain('no messages yet');

    const empty = join(root, 'empty-folder');
    mkdirSync(empty, { recursive: true });
    await page.getByTestId('import-paths').fill(empty);
    await page.getByTestId('import-mailbox').fill('');
    await page.getByTestId('start-import').click();
    expect(await page.getByTestId('import-missing').innerText()).toContain('A mailbox address is required');

    await page.getByTestId('import-mailbox').fill('alice@contoso.com');
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-nothing').innerText()).toContain('No mail was found there');
    expect(await page.getByTestId('import-missing').count()).toBe(0);
  });

  it('lists quarantined messages with their file and reason', async () => {
    const folder = join(root, 'mixed');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'good.eml'), 'From: bob@fabrikam.com\r\nTo: alice@contoso.com\r\nSubject: Hello\r\nMessage-ID: <good@fabrikam.com>\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\n\r\nHi\r\n');
    // A zero-byte file and a text file that is not mail: both must be kept as quarantined, with why.
    writeFileSync(join(folder, 'empty.eml'), '');
    writeFileSync(join(folder, 'notes.eml'), 'Shopping list: milk\r\nbread\r\n');
    await page.getByTestId('import-paths').fill(folder);
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toMatch(/Imported 1\b.*2 quarantined/s);
    const card = page.getByTestId('quarantine');
    await card.locator('summary').click();
    await expect.poll(() => page.getByTestId('quarantine-row').count()).toBe(2);
    const rows = await page.getByTestId('quarantine-row').allInnerTexts();
    expect(rows.find((r) => r.includes('empty.eml'))).toContain('empty message (0 bytes)');
    expect(rows.find((r) => r.includes('notes.eml'))).toContain('not an email message');
    await screenshot(page, '01b-start-quarantine');
    expect(errors).toEqual([]);
  });
});
