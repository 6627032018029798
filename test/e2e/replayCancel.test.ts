// Issue 15, "Replay shows progress and can be cancelled inside the engine pass": on a workspace of
// 30,000 generated messages, Run replay shows the messages decided so far moving, Cancel stops it, and
// the workspace keeps the run it had (no run is stored by a cancelled replay).
//
// A second Run replay over unchanged data and settings is answered from the host's replay session (the
// previous run's decisions are reused, issue 14), so it finishes almost at once. The cancel test first
// imports a few more messages: the data changed, the session is dropped, and the replay is a real engine
// pass over every message again, long enough to watch and to cancel.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMbox } from '../support/generateMailbox.js';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

let browser: Browser;
let app: RunningApp;
let page: Page;
let errors: string[];
const root = tempDir('replay-cancel');
let generated: { messages: number };
let extra: { messages: number };

beforeAll(async () => {
  generated = await writeMbox(join(root, 'big.mbox'), { messages: 30_000, seed: 15, bodyBytes: 200 });
  extra = await writeMbox(join(root, 'more.mbox'), { messages: 20, seed: 16, bodyBytes: 200 });
  browser = await launchChromium();
  app = await startApp();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(app.url);
}, 300_000);

afterAll(async () => {
  await page?.close();
  await app?.close();
  await browser?.close();
});

/** The Start view's Run replay button (the top bar has one too). */
function runReplay() {
  return page.getByTestId('workspace-card').getByTestId('run-replay');
}

/** The "N of M messages" the Run replay button shows while it runs (null: not running or no figure yet). */
async function decided(): Promise<number | null> {
  const text = await runReplay().innerText();
  const m = /Replaying… ([\d,]+) of ([\d,]+) messages/.exec(text);
  return m ? Number((m[1] as string).replace(/,/g, '')) : null;
}

describe('replay: progress and cancel', () => {
  it('imports 30,000 generated messages and replays them once', async () => {
    await page.getByTestId('workspace-path').fill(join(root, 'big.synclens'));
    await page.getByTestId('create-workspace').click();
    await page.getByTestId('workspace-card').waitFor();
    await page.getByTestId('import-paths').fill(join(root, 'big.mbox'));
    await page.getByTestId('import-mailbox').fill('alice@example.com');
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 600_000 });
    await expect.poll(async () => Number(await page.getByTestId('workspace-count').innerText()), { timeout: 30_000 }).toBe(generated.messages);
    await runReplay().click();
    await expect.poll(() => page.getByTestId('topbar-workspace').innerText(), { timeout: 300_000 }).toMatch(/run #1$/);
  }, 900_000);

  it('shows the replay advancing, cancels it, and keeps the previous run', async () => {
    const total = generated.messages + extra.messages;
    await page.getByTestId('import-paths').fill(join(root, 'more.mbox'));
    await page.getByTestId('import-mailbox').fill('alice@example.com');
    await page.getByTestId('start-import').click();
    await expect.poll(async () => Number(await page.getByTestId('workspace-count').innerText()), { timeout: 120_000 }).toBe(total);
    await runReplay().click();
    // Progress moves while the engine decides: two different counts below the total.
    const first = await expectDecided((n) => n > 0 && n < total);
    await expectDecided((n) => n > first && n < total);
    await screenshot(page, 'replay-cancel-progress');
    const cancel = page.getByTestId('cancel-replay');
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await cancel.click();
    await page.getByTestId('replay-cancelled').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('replay-cancelled').innerText()).toContain('no run was stored');
    expect(await runReplay().innerText()).toBe('Run replay');
    expect(await page.getByTestId('cancel-replay').count()).toBe(0);
    // The run count is unchanged: still run #1, and no error banner (a cancel is not a failure).
    expect(await page.getByTestId('topbar-workspace').innerText()).toMatch(/run #1$/);
    expect(await page.getByTestId('workspace-card').innerText()).toContain('Latest run #1.');
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    await screenshot(page, 'replay-cancel-cancelled');
    expect(errors).toEqual([]);
  }, 300_000);
});

/** Waits until the button shows a count meeting `ok`, and returns it. */
async function expectDecided(ok: (n: number) => boolean): Promise<number> {
  let seen = -1;
  await expect.poll(async () => {
    const n = await decided();
    if (n !== null && ok(n)) seen = n;
    return seen >= 0;
  }, { timeout: 120_000, interval: 50 }).toBe(true);
  return seen;
}
