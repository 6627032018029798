// A long conversation in the Chain view: 500 replies under one tracked email (a support thread that went on
// for months). The thread outline lists every email in reply order, a sub-thread collapses in the outline
// and the drawing, and zooming keeps the selected message where it is on screen.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleWorkspace } from '../../core/node/scenario/sample.js';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

const REPLIES = 500;
const BRANCH_EVERY = 25;

/**
 * A scenario (SCENARIO-FORMAT.md) whose replies each carry In-Reply-To: reply i answers reply i−1, except
 * every 25th, which answers the reply 25 before it, starting a side thread. The mailbox accepts all mail
 * (filter 0), so by SIMULATOR.md §3 every reply is tracked and correlated by In-Reply-To to what it answers.
 */
function writeLongThread(root: string): void {
  const dir = join(root, '01-long-thread');
  mkdirSync(join(dir, 'messages'), { recursive: true });
  const messages = [];
  for (let i = 1; i <= REPLIES; i += 1) {
    const answers = i === 1 ? '<root@contoso.com>' : `<reply-${i % BRANCH_EVERY === 0 ? i - BRANCH_EVERY || 1 : i - 1}@fabrikam.com>`;
    const date = new Date(Date.UTC(2024, 2, 1, 10) + i * 3_600_000).toUTCString().replace('GMT', '+0000');
    const file = `messages/${String(i).padStart(3, '0')}.eml`;
    writeFileSync(
      join(dir, file),
      [
        'From: Bob Lee <bob@fabrikam.com>',
        'To: Alice Ray <alice@contoso.com>',
        `Subject: RE: Printer keeps jamming (${i})`,
        `Date: ${date}`,
        `Message-ID: <reply-${i}@fabrikam.com>`,
        `In-Reply-To: ${answers}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Reply ${i}.`,
        '',
      ].join('\r\n'),
    );
    messages.push({ file, mailbox: 'alice@contoso.com', folder: 'Inbox' });
  }
  const scenario = {
    title: 'A support thread of 500 replies',
    lesson: 'Every reply correlates by In-Reply-To to the message it answers.',
    directory: { users: [{ id: 'alice', name: 'Alice Ray', emails: ['alice@contoso.com'], trackingNumber: 1 }] },
    mailboxes: [{ owner: 'user:alice', address: 'alice@contoso.com', filter: 0 }],
    tracked: [
      {
        id: 'e1', messageId: '<root@contoso.com>', subject: 'Printer keeps jamming', trackingToken: null, conversationIndex: null,
        direction: 'outgoing', from: 'alice@contoso.com', to: ['bob@fabrikam.com'], cc: [], sentOn: '2024-03-01T09:00:00Z', regarding: 'incident:i1',
      },
    ],
    messages,
    expect: [],
  };
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario, null, 2));
}

let browser: Browser;
let app: RunningApp;
let page: Page;
let errors: string[];

beforeAll(async () => {
  const scenarios = tempDir('long-thread');
  writeLongThread(scenarios);
  const built = await ensureSampleWorkspace(scenarios, tempDir('long-thread-ws'));
  expect(built.messages).toBe(REPLIES);
  browser = await launchChromium();
  app = await startApp({ workspace: built.file });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByTestId('workspace-card').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await page?.close();
  await app?.close();
  await browser?.close();
});

describe('a 500-reply chain', () => {
  it('lists every email in the outline in reply order, with the selected message marked', async () => {
    await page.getByTestId('run-replay').first().click();
    await expect.poll(() => page.getByTestId('topbar-workspace').innerText(), { timeout: 60_000 }).toMatch(/run #\d+$/);
    await page.keyboard.press('2');
    await page.getByTestId('message-row').first().waitFor();
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByTestId('why').waitFor();
    await page.getByTestId('open-chain').click();
    await page.getByTestId('chain-outline').waitFor();
    const rows = page.getByTestId('chain-outline-row');
    // The tracked email and all 500 replies.
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(REPLIES + 1);
    expect(await rows.first().innerText()).toContain('Printer keeps jamming');
    expect(await rows.first().innerText()).toContain('tracked before the replay');
    expect(await page.locator('.outline-row.selected').count()).toBe(1);
    // No internal ids in what the user reads.
    expect(await page.getByTestId('chain-outline').innerText()).not.toMatch(/\be1\b|tracked e1/);
    await screenshot(page, '05c-chain-long-outline');
  });

  it('collapses and expands a sub-thread in the outline and the drawing', async () => {
    const reply1 = page.getByTestId('chain-outline-row').nth(1);
    expect(await reply1.innerText()).toContain('(1)');
    const nodesBefore = await page.getByTestId('chain-node').count();
    await reply1.getByTestId('chain-outline-toggle').click();
    // Everything hangs below reply 1: only the tracked email and reply 1 remain.
    await expect.poll(() => page.getByTestId('chain-outline-row').count()).toBe(2);
    expect(await reply1.innerText()).toContain(`+${REPLIES - 1} hidden`);
    await expect.poll(() => page.getByTestId('chain-node').count()).toBe(2);
    expect(nodesBefore).toBe(REPLIES + 1);
    await reply1.getByTestId('chain-outline-toggle').click();
    await expect.poll(() => page.getByTestId('chain-outline-row').count()).toBe(REPLIES + 1);
  });

  it('zooms around the selected message: it stays where it is on screen', async () => {
    const selected = page.locator('.chain-node.selected');
    await page.getByTestId('chain-centre').click();
    const before = await selected.boundingBox();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const after = await selected.boundingBox();
    expect(before).not.toBeNull();
    expect(after).not.toBeNull();
    if (before && after) {
      const centre = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
      expect(Math.abs(centre(after).x - centre(before).x)).toBeLessThan(3);
      expect(Math.abs(centre(after).y - centre(before).y)).toBeLessThan(3);
      expect(after.width).toBeGreaterThan(before.width * 1.4);
    }
    await screenshot(page, '05d-chain-long-zoomed');
  });
});

describe('emails referred to by subject, sender and date', () => {
  it('shows what a reply correlated to, and its trace, without row ids', async () => {
    // A click selects the email in the chain; the Message view (key 3) then shows it.
    await page.getByTestId('chain-outline-row').nth(2).locator('.outline-open').click();
    await expect.poll(() => page.locator('.outline-row.selected').innerText()).toContain('(2)');
    await page.keyboard.press('3');
    await page.getByTestId('why').waitFor();
    expect(await page.locator('#message-title').innerText()).toBe('RE: Printer keeps jamming (2)');
    // SIMULATOR.md §3: reply 2 answers reply 1 (In-Reply-To), tracked during the replay: it is correlated to it
    // and it is its parent activity.
    const facts = page.locator('[aria-labelledby="facts-title"]');
    const refs = facts.getByTestId('email-ref');
    await expect.poll(() => refs.count()).toBe(2);
    for (const text of await refs.allInnerTexts()) expect(text).toBe('“RE: Printer keeps jamming (1)” · bob@fabrikam.com · 2024-03-01 11:00');
    // The accepting entity by name, not by reference.
    expect(await facts.innerText()).toContain('Alice Ray (user)');
    expect(await facts.innerText()).not.toContain('user:alice');
    await screenshot(page, '04c-message-refs');

    // Reply 1 answers the email tracked before the replay: the trace names it by subject, sender and date.
    await refs.first().click();
    await expect.poll(() => page.getByTestId('why').innerText()).toContain('“Printer keeps jamming” · alice@contoso.com · 2024-03-01 09:00');
    expect(await page.getByTestId('why').innerText()).not.toMatch(/tracked email 01-e1/);
    expect(errors).toEqual([]);
  });
});
