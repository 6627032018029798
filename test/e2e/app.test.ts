// The user flows of the issue, driven through the real UI in browser mode: Chromium ↔ HTTP bridge
// ↔ engine host. Assertions come from the spec (SIMULATOR.md), not from the engine's own output.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../core/engine/model/settings.js';
import { collectPageErrors, launchChromium, screenshot, startApp, tempDir, type RunningApp } from './support/app.js';

// SIMULATOR.md §2 (and §8 point 13 for NotProcessed, which comes before stage 1): every message ends with
// exactly one of these outcomes; stages run in this order.
const OUTCOMES = [
  'NotProcessed', 'NotInTrackedFolder', 'BeforeProcessEmailsFrom', 'UnsupportedPec', 'UnsupportedEncrypted', 'Duplicate', 'InvalidSender',
  'NoRecipientMatch', 'NoCorrelationMatch', 'InternalEmailReject', 'CorrelationMatch', 'SenderMatch', 'AcceptAll', 'FolderLevelTracking',
];
const STAGES = ['Order', 'Mailbox', 'Folder', 'StartDate', 'Format', 'Duplicate', 'Resolve', 'Accept', 'Correlate', 'Record'];

/** A small thread of .eml files owned by these tests: an original, a reply and an auto-reply. */
const IMPORT_FOLDER = join(import.meta.dirname, 'fixtures', 'thread');
const IMPORT_MAILBOX = 'alice@contoso.com';

async function rowOutcomes(page: Page): Promise<string[]> {
  return page.locator('[data-testid="message-row"] .cell-outcome').allInnerTexts();
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('import a folder and replay', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates a workspace and imports a folder of .eml files, every file accounted for', async () => {
    const emlCount = readdirSync(IMPORT_FOLDER).filter((f) => f.endsWith('.eml')).length;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(app.url);

    await page.getByTestId('workspace-path').fill(join(tempDir('e2e-ws'), 'imported.synclens'));
    await page.getByTestId('create-workspace').click();
    await page.getByTestId('workspace-card').waitFor();
    await expect.poll(() => page.getByTestId('workspace-count').innerText()).toBe('0');

    await page.getByTestId('import-paths').fill(IMPORT_FOLDER);
    await page.getByTestId('import-mailbox').fill(IMPORT_MAILBOX);
    await page.getByTestId('start-import').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await screenshot(page, '01-start-import');
    // Every file is accounted for: imported, a duplicate, or quarantined with a reason.
    const text = await summary.innerText();
    const imported = Number(/Imported (\d+)/.exec(text)?.[1]);
    const duplicates = Number(/(\d+) duplicates/.exec(text)?.[1]);
    const quarantined = Number(/(\d+) quarantined/.exec(text)?.[1]);
    expect(imported + duplicates + quarantined).toBe(emlCount);
    expect(imported).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('workspace-count').innerText()).toBe(String(imported));

    // SIMULATOR.md §6: Auto-Submitted other than "no" marks an auto-reply; the flag filter finds it.
    await page.getByTestId('tab-messages').click();
    await page.getByTestId('filter-flag').selectOption('auto-reply');
    await expect.poll(() => page.getByTestId('message-count').innerText()).toBe('1 messages');
    expect(await page.locator('[data-testid="message-row"] .cell-subject').innerText()).toBe('Automatic reply: Quote for Q3');
    expect(await page.locator('[data-testid="message-row"] .cell-flags').innerText()).toBe('auto-reply');
    await page.getByTestId('filter-flag').selectOption('');

    await screenshot(page, '02-messages-imported');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compares a reply with the original in the hash match, as SIMULATOR.md §3.2 computes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(app.url);
    await page.getByTestId('tab-start').waitFor();
    await page.keyboard.press('2');
    const openBySubject = async (subject: string): Promise<string> => {
      await page.getByTestId('tab-messages').click();
      await page.getByTestId('filter-text').fill(subject);
      const exact = new RegExp(`^${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      const row = page.locator('[data-testid="message-row"]', { has: page.locator('.cell-subject', { hasText: exact }) });
      await expect.poll(() => row.count()).toBe(1);
      await row.dblclick();
      await expect.poll(() => page.locator('#message-title').innerText()).toBe(subject);
      return (await page.locator('#message-title').getAttribute('data-key')) ?? '';
    };
    await openBySubject('Quote for Q3 CRM:0001001');
    await openBySubject('RE: Quote for Q3 CRM:0001001');
    await page.getByTestId('open-hash').click();
    // No ids to type: the original is found by its subject and picked from the results.
    await page.getByTestId('hash-search').fill('Quote for Q3 CRM:0001001');
    await page.getByTestId('hash-search-go').click();
    await page.getByTestId('hash-search-result-open').filter({ hasText: /^“Quote for Q3 CRM:0001001” · / }).click();
    await page.getByTestId('hash-verdict').waitFor();
    // The default HashFilterKeywords strips the leading "RE: " and nothing from the original; both
    // leave the same four words, so subject rule B holds; Alice and Bob are on both, 2 ≥ HashMinAddressCount 2.
    expect(await page.locator('[data-testid="hash-side-message"] .stripped').innerText()).toBe('RE: ');
    expect(await page.locator('[data-testid="hash-side-candidate"] .stripped').innerText()).toBe('');
    const words = await page.locator('[data-testid="hash-side-message"] tbody tr td:first-child').allInnerTexts();
    expect(words.slice(0, 4)).toEqual(['quote', 'for', 'q3', 'crm:0001001']);
    expect(await page.locator('[data-testid="hash-side-message"] tr.missing').count()).toBe(0);
    expect(await page.getByTestId('address-overlap').innerText()).toMatch(/^2 shared, need at least 2/);
    expect(await page.getByTestId('hash-verdict').innerText()).toMatch(/^Smart matching would correlate these/);
    await screenshot(page, '12-hash-match-import');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows generated tokens wrapping and every reading of a parsed subject in the token lab', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(app.url);
    await page.getByTestId('tab-start').waitFor();
    await page.keyboard.press('6');
    await page.getByTestId('token-lab').waitFor();
    // SIMULATOR.md §3.1 with the defaults (3 user digits, maximumtrackingnumber 999): user 1's counter
    // runs 998, 999, then wraps to 000.
    await page.getByTestId('token-user').fill('1');
    await page.getByTestId('token-start').fill('998');
    const items = page.locator('[data-testid="token-preview"] li');
    await expect.poll(async () => (await items.allInnerTexts()).slice(0, 4).map((t) => t.split(/\s/)[0])).toEqual([
      'CRM:0001998',
      'CRM:0001999',
      'CRM:0001000',
      'CRM:0001001',
    ]);
    expect(await items.nth(1).innerText()).not.toContain('counter wrapped');
    expect(await items.nth(2).innerText()).toContain('counter wrapped');

    await page.getByTestId('token-subject').fill('RE: Quote for Q3 CRM:0001998');
    await page.getByTestId('token-parse').click();
    await expect.poll(() => page.getByTestId('token-parsed').innerText()).toContain('user number 001 (3 digits) · counter 998 (3 digits)');
    await screenshot(page, '11-token-lab');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replays the imported messages: every one ends with exactly one outcome', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(app.url);
    await page.getByTestId('workspace-card').waitFor();
    const imported = Number(await page.getByTestId('workspace-count').innerText());
    await page.getByTestId('run-replay').first().click();
    await page.getByTestId('tab-messages').click();
    await expect.poll(async () => (await rowOutcomes(page)).length).toBe(imported);
    await expect.poll(async () => (await rowOutcomes(page)).every((o) => OUTCOMES.includes(o)), { timeout: 30_000 }).toBe(true);
    await screenshot(page, '02b-messages-replayed');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('training workspace: message, Why, chain, hash match, what-if, training', () => {
  let app: RunningApp;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    app = await startApp();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = collectPageErrors(page);
    await page.goto(app.url);
  });
  afterAll(async () => {
    await page?.close();
    await app?.close();
  });

  it('opens the bundled training workspace already replayed, and replays it again on request', async () => {
    await page.getByTestId('open-sample').click();
    await page.getByTestId('workspace-card').waitFor({ timeout: 60_000 });
    // The sample is built from the scenario library and opens with one replay (the defaults) done.
    await expect.poll(() => page.getByTestId('topbar-workspace').innerText(), { timeout: 60_000 }).toMatch(/run #1$/);
    expect(Number(await page.getByTestId('workspace-count').innerText())).toBeGreaterThan(20);
    await page.getByTestId('run-replay').first().click();
    await expect.poll(() => page.getByTestId('topbar-workspace').innerText(), { timeout: 60_000 }).toMatch(/run #2$/);
    await screenshot(page, '00-start-sample');
  });

  it('filters the table to In-Reply-To correlations and opens one with the keyboard', async () => {
    await page.keyboard.press('2');
    await page.getByTestId('message-row').first().waitFor();
    const all = Number((await page.getByTestId('message-count').innerText()).replace(/\D/g, ''));
    expect(all).toBeGreaterThan(0);
    await page.getByTestId('filter-method').selectOption('InReplyTo');
    await expect.poll(async () => Number((await page.getByTestId('message-count').innerText()).replace(/\D/g, ''))).toBeLessThan(all);
    const methods = await page.locator('[data-testid="message-row"] .cell-method').allInnerTexts();
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['InReplyTo']));
    await screenshot(page, '03-messages-filtered');

    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByTestId('why').waitFor();
    // SIMULATOR.md §3: a message correlated by In-Reply-To is tracked, and the trace runs the stages in order.
    expect(OUTCOMES.slice(10)).toContain(await page.getByTestId('message-outcome').innerText());
    const stages = await page.locator('[data-testid="trace-step"] .stage').allInnerTexts();
    expect(stages).toContain('Correlate');
    const positions = stages.map((s) => STAGES.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    await screenshot(page, '04-message-why');
  });

  it('decodes a ConversationIndex reply\'s Thread-Index: header block, then one row per 5-byte child block', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByTestId('filter-method').selectOption('ConversationIndex');
    await page.getByTestId('message-row').first().waitFor();
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const ti = page.getByTestId('thread-index');
    await ti.waitFor();
    const raw = await ti.locator('code').first().innerText();
    // [MS-OXOMSG] 2.2.1.3: a 22-byte header block, then 5 bytes per reply or forward.
    const bytes = Buffer.from(raw, 'base64').length;
    expect(bytes).toBeGreaterThan(22);
    expect(await ti.locator('tbody tr').count()).toBe((bytes - 22) / 5);
    expect(await ti.innerText()).toMatch(/GUID\s+[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect(await page.getByTestId('message-outcome').innerText()).toBe('CorrelationMatch');
    await screenshot(page, '04b-message-thread-index');
    // Back to the In-Reply-To message the next tests start from.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('filter-method').selectOption('InReplyTo');
    await page.getByTestId('message-row').first().waitFor();
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByTestId('why').waitFor();
  });

  it('links a deciding setting from the Why to its editor', async () => {
    const link = page.getByTestId('setting-link').first();
    const name = await link.innerText();
    await link.click();
    await page.getByTestId('settings-view').waitFor();
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe(`setting-${name}`);
    await page.keyboard.press('3');
    await page.getByTestId('why').waitFor();
  });

  it('draws the chain with an In-Reply-To parent edge and navigates on click', async () => {
    await page.getByTestId('open-chain').click();
    await page.getByTestId('chain-graph').waitFor();
    await expect.poll(() => page.getByTestId('chain-node').count()).toBeGreaterThanOrEqual(2);
    // SIMULATOR.md §3: InReplyTo sets parentactivityid, so its edge is drawn as a parent edge.
    const irt = page.locator('[data-testid="chain-edge"]', { hasText: 'InReplyTo' });
    expect(await irt.count()).toBeGreaterThan(0);
    expect(await irt.first().locator('polyline').getAttribute('class')).toContain('parent');
    await screenshot(page, '05-chain');

    const selectedBefore = await page.locator('.chain-node.selected').getAttribute('data-node-id');
    // The sample's "Intro call" thread: two replies correlate to the same tracked email, so the chain
    // of the first holds the second; clicking it makes it the selected message.
    const other = page.locator('.chain-node.message:not(.selected)');
    expect(await other.count()).toBeGreaterThan(0);
    const target = await other.first().getAttribute('data-node-id');
    await other.first().click();
    await expect.poll(() => page.locator('.chain-node.selected').getAttribute('data-node-id')).toBe(target);
    expect(target).not.toBe(selectedBefore);
    // The selected path runs from the new selection up to the tracked email only.
    expect(await page.locator('.chain-edge.on-path').count()).toBe(1);
    await page.locator('.chain-node.selected').click();
    await page.getByTestId('why').waitFor();
  });

  it('opens a hash match whose verdict agrees with the address rule', async () => {
    // Compare with the tracked email the message correlated to, as a user would from the Activity panel:
    // the tracked email is named there by subject, sender and date, and opens the hash comparison.
    await page.locator('[aria-labelledby="facts-title"]').getByTestId('email-ref').first().click();
    await page.getByTestId('hash-verdict').waitFor({ timeout: 20_000 });
    const overlapText = await page.getByTestId('address-overlap').innerText();
    const [shared, min] = (overlapText.match(/\d+/g) ?? []).map(Number);
    // The workspace runs with the spec default HashMinAddressCount unless a profile changed it.
    expect(min).toBe(DEFAULT_SETTINGS.hashminaddresscount);
    const sharedRows = await page.locator('[data-testid="hash-side-message"] tr.shared td:first-child').allInnerTexts();
    expect(sharedRows.length).toBeGreaterThanOrEqual(shared ?? 0);
    // "RE: Intro call" against the tracked "Intro call" it answers: HashFilterKeywords strips the
    // "RE: " prefix, both keep the words "intro" and "call" (rule B holds: same count, one set inside
    // the other), and Bob and Alice are on both — 2 shared addresses, so smart matching would link them.
    expect(await page.locator('[data-testid="hash-side-message"] .stripped').innerText()).toBe('RE: ');
    expect(sharedRows.slice(0, 2)).toEqual(['intro', 'call']);
    expect(shared).toBeGreaterThanOrEqual(min ?? 0);
    expect(await page.getByTestId('hash-verdict').innerText()).toMatch(/^Smart matching would correlate these/);
    await screenshot(page, '06-hash-match');
  });

  it('turns smart matching on and reads the what-if diff before applying', async () => {
    await page.keyboard.press('7');
    await page.getByTestId('settings-view').waitFor();
    await page.locator('#setting-enablesmartmatching').check();
    await expect.poll(() => page.getByTestId('changed-settings').innerText()).toMatch(/enablesmartmatching\s+false\s+true/);
    await page.getByTestId('run-whatif').click();
    const diff = page.getByTestId('whatif-diff');
    await diff.waitFor({ timeout: 60_000 });
    // SIMULATOR.md §3: with smart matching off (the baseline) no message can be correlated by it.
    // The library's smart-matching lessons (06, 07) hold messages only smart matching links, so the
    // proposal gains SmartMatching correlations the baseline cannot have.
    const smartRow = diff.locator('table.counts tr', { hasText: 'SmartMatching' }).locator('td');
    expect(await smartRow.nth(1).innerText()).toBe('0');
    expect(Number(await smartRow.nth(2).innerText())).toBeGreaterThan(0);
    expect(await diff.getByTestId('whatif-group').first().locator('summary').innerText()).toMatch(/^\d+ smart matching on: .*smart matching/);
    const total = Number(/(\d+)/.exec(await page.getByTestId('whatif-total').innerText())?.[1]);
    expect(total).toBe(
      (await page.locator('[data-testid="whatif-group"] tbody tr').count()),
    );
    await diff.scrollIntoViewIfNeeded();
    await screenshot(page, '07-settings-whatif');
  });

  it('steps through a training scenario one message at a time', async () => {
    await page.keyboard.press('8');
    await page.getByTestId('scenario').first().click();
    expect((await page.getByTestId('lesson').innerText()).length).toBeGreaterThan(10);
    await page.getByTestId('scenario-step').waitFor();
    await expect.poll(() => page.getByTestId('step-position').innerText()).toMatch(/^Message 1 of \d+$/);
    const first = await page.locator('[data-testid="scenario-step"] h2').innerText();
    await page.getByTestId('step-next').click();
    await expect.poll(() => page.getByTestId('step-position').innerText()).toMatch(/^Message 2 of \d+$/);
    await expect.poll(() => page.locator('[data-testid="scenario-step"] h2').innerText()).not.toBe(first);
    expect(OUTCOMES).toContain(await page.getByTestId('step-outcome').innerText());
    expect(await page.getByTestId('trace-step').count()).toBeGreaterThan(0);
    await screenshot(page, '08-training');
    expect(errors).toEqual([]);
  });

  it('shows every view in the light and the dark theme', async () => {
    // Open a correlated message so the Message, Chain and Hash views have something to show. Alt+digit:
    // focus may still be in a field of the previous view, where a bare digit would be typed.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('filter-method').selectOption('InReplyTo');
    await expect.poll(async () => new Set(await page.locator('[data-testid="message-row"] .cell-method').allInnerTexts())).toEqual(new Set(['InReplyTo']));
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByTestId('why').waitFor();
    const views: [string, string, string][] = [
      ['1', 'workspace-card', 'start'],
      ['2', 'message-row', 'messages'],
      ['3', 'why', 'message'],
      ['4', 'chain-node', 'chain'],
      ['5', 'hash-verdict', 'hash'],
      ['6', 'token-lab', 'tokens'],
      ['7', 'settings-view', 'settings'],
      ['8', 'scenario-step', 'training'],
    ];
    for (const theme of ['light', 'dark']) {
      if ((await page.evaluate('document.documentElement.dataset.theme')) !== theme) await page.getByTestId('theme-toggle').click();
      await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe(theme);
      for (const [key, testId, name] of views) {
        // Alt+digit switches views even when focus is in a text field (a bare digit would be typed).
        await page.keyboard.press(`Alt+${key}`);
        await page.getByTestId(testId).first().waitFor();
        await page.evaluate('window.scrollTo(0, 0); document.getElementById("main")?.scrollTo(0, 0)');
        await screenshot(page, `theme-${theme}-${key}-${name}`);
      }
    }
    expect(errors).toEqual([]);
  });
});
