// The Connect view (issue 16) through the real UI in browser mode: pull an organization from the local
// Dataverse stand-in (test/unit/connectors/dataverseServer.ts, Microsoft's documented page shapes, answered
// from the org fixtures), see its mailboxes, replay; pull a mailbox from the local Graph stand-in and see its
// messages. The token comes from SYNCLENS_ACCESS_TOKEN, which the forked engine host inherits (main/web/server.ts
// forks it with this process's environment), so no sign-in happens. Expected values come from the fixtures
// and the stand-ins' own data, not from running the pull.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../core/node/workspace/open.js';
import { ORG_JSON, startDataverseStandIn, type DataverseStandIn } from '../unit/connectors/dataverseServer.js';
import { startGraphStandIn, type GraphStandIn } from '../unit/connectors/graphServer.js';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

let browser: Browser;
let context: BrowserContext;
let app: RunningApp;
let page: Page;
let errors: string[];
let dataverse: DataverseStandIn;
let graph: GraphStandIn;
const saved = { token: process.env['SYNCLENS_ACCESS_TOKEN'], graph: process.env['SYNCLENS_GRAPH_URL'] };

/** The mailbox rows of the fixture the stand-in serves. */
const fixtureMailboxes = (JSON.parse(fs.readFileSync(path.join(ORG_JSON, 'mailboxes.json'), 'utf8')) as { value: { emailaddress: string }[] }).value.map((m) => m.emailaddress);

async function bothThemes(name: string): Promise<void> {
  for (const theme of ['light', 'dark']) {
    if ((await page.evaluate('document.documentElement.dataset.theme')) !== theme) await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe(theme);
    await screenshot(page, `${name}-${theme}`);
  }
  await page.getByTestId('theme-toggle').click();
  await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('light');
}

beforeAll(async () => {
  dataverse = await startDataverseStandIn();
  graph = await startGraphStandIn({ count: 5, pageSize: 2 });
  // Read by the engine host, which the web server forks with this environment.
  process.env['SYNCLENS_ACCESS_TOKEN'] = 'good';
  process.env['SYNCLENS_GRAPH_URL'] = `${graph.base}/v1.0`;
  const file = path.join(tempDir('e2e-connect'), 'connect.synclens');
  openWorkspace(file, { create: true }).close();
  browser = await launchChromium();
  app = await startApp({ workspace: file });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.evaluate('localStorage.setItem("synclens.theme", "light")');
  await page.reload();
  await page.getByTestId('topbar-workspace').waitFor({ state: 'attached' });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await dataverse?.close();
  await graph?.close();
  for (const [k, v] of [['SYNCLENS_ACCESS_TOKEN', saved.token], ['SYNCLENS_GRAPH_URL', saved.graph]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('Connect', () => {
  it('names the missing privilege of a 403, then pulls the org from Dataverse, resuming after the tables already stored', async () => {
    await page.keyboard.press('c');
    await page.getByTestId('connect-view').waitFor();
    // The form is reachable from the keyboard: the environment field takes focus on arrival.
    await expect.poll(() => page.evaluate('document.activeElement?.dataset?.testid')).toBe('org-url');
    await page.keyboard.type(dataverse.root);
    // Dataverse's documented answer for a role without Read on mailboxes.
    dataverse.faults.set('mailboxes', [{ status: 403, privilege: 'prvReadMailbox' }]);
    await page.getByTestId('org-pull-start').click();
    const error = page.getByTestId('org-pull-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toContain('prvReadMailbox');
    await screenshot(page, 'connect-org-403-light');

    dataverse.requests.length = 0;
    await page.getByTestId('org-pull-start').click();
    const summary = page.getByTestId('org-pull-summary');
    await summary.waitFor({ timeout: 60_000 });
    // The tables before mailboxes were stored by the first pull and are not read again.
    expect(dataverse.requests.some((r) => r.path.endsWith('/organizations'))).toBe(false);
    expect(dataverse.requests.some((r) => r.path.endsWith('/mailboxes'))).toBe(true);
    expect(dataverse.requests.every((r) => r.method === 'GET' && r.auth === 'Bearer good')).toBe(true);
    expect(await page.getByTestId('org-pull-landed').innerText()).toContain(`${fixtureMailboxes.length} mailboxes`);
    expect(await summary.innerText()).toContain('already pulled');
    await bothThemes('connect-org');

    await page.keyboard.press('m');
    await page.getByTestId('mailboxes-view').waitFor();
    for (const address of fixtureMailboxes) await page.locator('[data-testid="mailbox-row"]', { hasText: address }).waitFor();

    await page.getByTestId('run-replay').click();
    await expect.poll(() => page.getByTestId('topbar-workspace').innerText(), { timeout: 60_000 }).toContain('run #1');
  }, 180_000);

  it('shows a service-protection wait as progress and cancels it; the tables already stored stay', async () => {
    await page.keyboard.press('c');
    await page.getByTestId('connect-view').waitFor();
    // Dataverse's documented 429: five minutes' Retry-After on the email table.
    dataverse.faults.set('emails', [{ status: 429, retryAfter: '300' }]);
    await page.getByTestId('org-pull-start').click();
    await expect.poll(() => page.getByTestId('org-pull-job-message').innerText(), { timeout: 30_000 }).toContain('service protection limit: waiting 300 s');
    await screenshot(page, 'connect-org-throttled-light');
    await page.getByTestId('org-pull-job-cancel').click();
    const summary = page.getByTestId('org-pull-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.locator('h3').innerText()).toMatch(/^Cancelled/);
    expect(await summary.innerText()).toContain('pulling again continues with the next one');
  }, 120_000);

  it('pulls a mailbox from Exchange Online (Graph) and its messages appear in Messages', async () => {
    await page.keyboard.press('c');
    await page.getByTestId('connect-view').waitFor();
    await page.getByTestId('mail-user').fill('denied@contoso.com');
    await page.getByTestId('mail-pull-start').click();
    const error = page.getByTestId('mail-pull-error');
    await error.waitFor({ timeout: 30_000 });
    // A 403 from Graph names the permission to consent.
    expect(await error.innerText()).toContain('Mail.Read');

    await page.getByTestId('mail-user').fill('alice@contoso.com');
    await page.getByTestId('mail-pull-start').click();
    const summary = page.getByTestId('mail-pull-summary');
    await summary.waitFor({ timeout: 60_000 });
    // The stand-in's Inbox holds m1…m5 (one answers 503 once and is retried).
    expect(await summary.locator('tbody tr').first().innerText()).toMatch(/^Inbox\s+5\s+5\s+0\s+0$/);
    await bothThemes('connect-mailbox');

    await page.keyboard.press('2');
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await page.getByText(`Message ${id}`, { exact: true }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'connect-messages-light');
    expect(errors).toEqual([]);
  }, 180_000);
});
