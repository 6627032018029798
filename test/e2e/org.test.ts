// Bringing a real organization in, through the app (issue 13): Alice's Maildir imported with a folder
// preview, a replay that tracks nothing and says why, the organization's Dataverse exports loaded from a
// folder, and a replay that then gives the outcomes worked out by hand from SIMULATOR.md for the Contoso
// fixture org (test/integration/cli/org.test.ts has the same expectations for the command line).
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

const FIX = resolve(import.meta.dirname, '../fixtures/org');
let browser: Browser;
let app: RunningApp;
let page: Page;
let errors: string[];
const root = tempDir('org-e2e');

beforeAll(async () => {
  // Copies in the temp folder: the app may only read the folders it was allowed (tmp and the project).
  cpSync(join(FIX, 'maildir'), join(root, 'maildir'), { recursive: true });
  cpSync(join(FIX, 'json'), join(root, 'json'), { recursive: true });
  browser = await launchChromium();
  app = await startApp();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByTestId('workspace-path').fill(join(root, 'contoso.synclens'));
  await page.getByTestId('create-workspace').click();
  await page.getByTestId('workspace-card').waitFor();
});

afterAll(async () => {
  await page?.close();
  await app?.close();
  await browser?.close();
});

async function outcomeOf(subject: string): Promise<string> {
  await page.getByTestId('tab-messages').click();
  await page.getByTestId('filter-text').fill(subject);
  const row = page.locator('[data-testid="message-row"]', { has: page.locator('.cell-subject', { hasText: new RegExp(`^${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await expect.poll(() => row.count()).toBe(1);
  const outcome = await row.locator('.cell-outcome').innerText();
  await page.getByTestId('filter-text').fill('');
  return outcome;
}

describe('an organization in the app', () => {
  it('previews where the Maildir goes: the Inbox root is evaluated, Inbox/Projects is not (no folder-level tracking yet)', async () => {
    await page.getByTestId('import-paths').fill(join(root, 'maildir', 'alice'));
    await page.getByTestId('import-mailbox').fill('alice@contoso.com');
    await page.getByTestId('import-preview').click();
    const rows = page.getByTestId('preview-folder');
    await expect.poll(() => rows.count()).toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts.find((t) => t.startsWith('Inbox\t'))).toMatch(/^Inbox\t5\t.*✔ .*Inbox root/);
    expect(texts.find((t) => t.startsWith('Inbox/Projects'))).toMatch(/✘ /);
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-summary').waitFor();
    // SIMULATOR §2 stage 1: only the Inbox root (and folder-level tracked folders) are evaluated.
    expect(await page.getByTestId('import-not-tracked').innerText()).toContain('1 messages in Inbox/Projects will not be evaluated');
  });

  it('says plainly why a replay without the org tracks nothing', async () => {
    await page.getByTestId('run-replay').first().click();
    const card = page.getByTestId('nothing-tracked');
    await card.waitFor({ timeout: 60_000 });
    const text = await card.innerText();
    // A new mailbox is a user's with filter 1 (SIMULATOR §1) and there is no tracked email to answer.
    expect(text).toMatch(/in response/);
    expect(text).toMatch(/0 tracked emails|no tracked email/i);
    await screenshot(page, '01c-start-nothing-tracked');
  });

  it('loads the org exports from a folder and replays with the org: the outcomes worked out from the spec', async () => {
    await page.getByTestId('org-paths').fill(join(root, 'json'));
    await page.getByTestId('org-load').click();
    const summary = page.getByTestId('org-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/3\s+mailboxes, \d+ directory rows, 2 tracked emails, the organization’s settings/);
    await page.getByTestId('run-replay').first().click();
    await expect.poll(() => page.getByTestId('nothing-tracked').count(), { timeout: 60_000 }).toBe(0);
    await screenshot(page, '01d-start-org-loaded');
    // test/integration/cli/org.test.ts EXPECTED, worked out by hand from SIMULATOR.md for this org.
    expect(await outcomeOf('Old news')).toBe('BeforeProcessEmailsFrom');
    expect(await outcomeOf('RE: Quote for Q2 CRM:0001001')).toBe('CorrelationMatch');
    expect(await outcomeOf('Hello from Litware')).toBe('NoCorrelationMatch');
    expect(await outcomeOf('New topic')).toBe('SenderMatch');
    expect(await outcomeOf('Specs')).toBe('FolderLevelTracking');
    expect(await outcomeOf('Pricing question')).toBe('Duplicate');
  });

  it('shows the org\'s mailboxes with their owners by name and Microsoft\'s filter labels', async () => {
    await page.getByTestId('tab-mailboxes').click();
    await page.getByTestId('mailbox-table').waitFor();
    const alice = page.getByTestId('mailbox-row').filter({ hasText: 'alice@contoso.com' });
    const text = await alice.innerText();
    expect(text).not.toMatch(/user:5a1ce000/);
    expect(text).toMatch(/Email messages in response to Dynamics 365 email|All email messages|leads, contacts and accounts/);
    expect(text).toContain('Inbox/Projects');
    // mailboxes.json: Alice's mailbox is delivered by server-side synchronization (incomingemaildeliverymethod 2).
    expect(text).toContain('Server-Side Synchronization or Email Router');
    const facts = (await alice.getByTestId('mailbox-org-facts').textContent()) ?? '';
    expect(facts).toMatch(/Process Emails From: .+/);
    expect(facts).toContain('mailboxes.json row');
    await screenshot(page, '01e-mailboxes-org');
    expect(errors).toEqual([]);
  });
});
