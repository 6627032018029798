// Training for support staff: the library grouped by topic, each step showing the settings and earlier
// emails it runs with, and a "predict, then reveal" mode. Expected values come from the scenarios' own
// expect entries (written from SIMULATOR.md), not from the replay.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot, startApp, type RunningApp } from './support/app.js';

let browser: Browser;
let app: RunningApp;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  app = await startApp();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByTestId('tab-start').waitFor();
});

afterAll(async () => {
  await page?.close();
  await app?.close();
  await browser?.close();
});

async function openScenario(title: RegExp): Promise<void> {
  await page.getByTestId('scenario').filter({ hasText: title }).click();
  await page.getByTestId('scenario-step').waitFor();
}

describe('training', () => {
  it('groups the library by topic', async () => {
    await page.keyboard.press('8');
    await page.getByTestId('scenario-topic').first().waitFor();
    const topics = await page.locator('[data-testid="scenario-topic"] .topic-title').allTextContents();
    expect(topics).toContain('Smart matching');
    expect(topics).toContain('Tracking tokens');
    const smart = page.getByTestId('scenario-topic').filter({ has: page.locator('.topic-title', { hasText: /^Smart matching$/ }) });
    expect(await smart.getByTestId('scenario').count()).toBe(3);
  });

  it('shows the settings a scenario changes and the earlier emails, openable', async () => {
    await openScenario(/Smart matching: same subject words/);
    // The scenario turns smart matching on (organization: enablesmartmatching true; default false).
    expect(await page.getByTestId('step-settings').innerText()).toMatch(/enablesmartmatching\) = true, default false/);
    const earlier = page.getByTestId('earlier-email');
    expect(await earlier.count()).toBeGreaterThanOrEqual(1);
    await earlier.first().locator('summary').click();
    expect(await earlier.first().innerText()).toContain('Message-ID');
    // Correlated by smart matching to the tracked email: named by subject, not by its scenario id.
    expect(await page.getByTestId('step-outcome').innerText()).toBe('CorrelationMatch');
    expect(await page.getByTestId('step-correlated').innerText()).toMatch(/→ “.+” · .+@.+ · \d{4}-\d\d-\d\d/);
    expect(await page.getByTestId('step-correlated').innerText()).not.toContain('e1');
    await screenshot(page, '08b-training-conditions');
  });

  it('asks for a prediction before revealing the answer, and grades it', async () => {
    await page.getByTestId('predict-mode').check();
    await openScenario(/A plain reply correlates by In-Reply-To/);
    // The lesson names the tracked email by its subject, not by the scenario file's id ("e1").
    await expect.poll(() => page.getByTestId('lesson').innerText()).toContain('“Quote for Q3 CRM:0001001”');
    expect(await page.getByTestId('lesson').innerText()).not.toMatch(/(?<![\w-])e1(?![\w-])/);
    expect(await page.getByTestId('step-outcome').count()).toBe(0);
    expect(await page.getByTestId('trace-step').count()).toBe(0);
    // The scenario expects CorrelationMatch by InReplyTo: predict a wrong method first.
    await page.getByTestId('predict-outcome').selectOption('CorrelationMatch');
    await page.getByTestId('predict-method').selectOption('TrackingToken');
    await page.getByTestId('reveal').click();
    const verdict = await page.getByTestId('prediction-verdict').innerText();
    expect(verdict).toContain('✘ the replay says CorrelationMatch by InReplyTo');
    expect(await page.getByTestId('trace-step').count()).toBeGreaterThan(0);
    await screenshot(page, '08c-training-predict');
    await page.getByTestId('predict-mode').uncheck();
    expect(errors).toEqual([]);
  });
});
