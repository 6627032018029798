// The HTML sanitizer's CSS layer on its own (issue 12 item 13): CSS that loads something, written the ways a
// regex misses (escapes such as `\75rl(` and `@\69mport`, image-set(), @font-face, <svg><style>, SVG
// presentation attributes, custom properties). Each vector, if it loaded, hits a canary server. The
// sanitized HTML is shown in a plain Chromium page WITHOUT the frame's CSP and sandbox, so the count
// measures the sanitizer alone; a control page with the raw HTML proves the vectors do load.
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../e2e/support/app.js';
import { recordFigures, ROOT } from './support/env.js';

let browser: Browser;
let canary: http.Server;
let C = '';
const hits: string[] = [];
let bundle = '';
let controlLoaded = 0;

function vectors(): Array<[string, string]> {
  return [
    ['attr-escaped-url', `<div style="background:\\75rl(${C}/attr-escaped-url)">1</div>`],
    ['attr-escaped-url-2', `<div style="background:u\\72l(${C}/attr-escaped-url-2)">2</div>`],
    ['attr-escaped-url-3', `<div style="background-image:u\\rl(${C}/attr-escaped-url-3)">3</div>`],
    ['attr-image-set', `<div style="background-image:image-set('${C}/attr-image-set' 1x)">4</div>`],
    ['attr-webkit-image-set', `<div style="background-image:-webkit-image-set(url(${C}/attr-webkit-image-set) 1x)">5</div>`],
    ['attr-entity-paren', `<div style="background:url&#40;${C}/attr-entity-paren)">6</div>`],
    ['attr-custom-property', `<div style="--x:url(${C}/attr-custom-property);background:var(--x)">7</div>`],
    ['style-escaped-import', `<style>@\\69mport "${C}/style-escaped-import";</style>`],
    ['style-long-escape-import', `<style>@\\000069mport '${C}/style-long-escape-import';</style>`],
    ['style-font-face', `<style>@font-face{font-family:ff;src:url(${C}/style-font-face)} .ff{font-family:ff}</style><p class="ff">ff</p>`],
    ['style-font-face-escaped', `<style>@font-face{font-family:fg;src:\\75rl(${C}/style-font-face-escaped)} .fg{font-family:fg}</style><p class="fg">fg</p>`],
    ['style-escaped-url', `<style>.a{background:u\\rl(${C}/style-escaped-url)}</style><div class="a">a</div>`],
    ['style-upper-url', `<style>.b{background:URL(${C}/style-upper-url)}</style><div class="b">b</div>`],
    ['style-image-set', `<style>.c{background-image:image-set("${C}/style-image-set" 1x)}</style><div class="c">c</div>`],
    ['style-media', `<style>@media all{.d{background:url(${C}/style-media)}}</style><div class="d">d</div>`],
    ['style-cursor', `<style>.e{cursor:url(${C}/style-cursor),auto}</style><div class="e">e</div>`],
    ['style-list', `<style>.f{list-style:url(${C}/style-list)}</style><ul class="f"><li>f</li></ul>`],
    ['style-border-image', `<style>.h{border:10px solid;border-image:url(${C}/style-border-image) 30}</style><div class="h">h</div>`],
    ['style-unterminated', `<style>.j{background:url(${C}/style-unterminated)</style><div class="j">j</div>`],
    ['svg-style', `<svg width="20" height="20"><style>rect{fill:url(${C}/svg-style#a)}</style><rect width="10" height="10"/></svg>`],
    ['svg-style-import', `<svg><style>@import "${C}/svg-style-import";</style></svg>`],
    ['svg-fill-attr', `<svg width="20" height="20"><rect fill="url(${C}/svg-fill-attr#a)" width="10" height="10"/></svg>`],
    ['svg-filter-escaped', `<svg width="20" height="20"><rect filter="\\75rl(${C}/svg-filter-escaped#f)" width="10" height="10"/></svg>`],
  ];
}

/** Benign styling that must survive the sanitizer. */
const BENIGN = '<p id="kept" style="color: rgb(255, 0, 0); font-weight: bold; margin: 0 auto">kept</p>' +
  '<style>.k{color:#123456;padding:4px}@media (max-width:600px){.k{padding:0}}</style><p class="k" id="k">k</p>';

async function show(page: Page, html: string): Promise<void> {
  await page.setContent(`<!doctype html><html><body>${html}</body></html>`, { waitUntil: 'load' }).catch(() => undefined);
  await page.waitForTimeout(1500);
}

beforeAll(async () => {
  canary = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', () => r()));
  C = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;
  // The renderer's sanitizer exactly as the app bundles it (DOMPurify and css-tree included).
  const out = await build({
    stdin: { contents: `export { sanitizeEmailHtml } from ${JSON.stringify(path.join(ROOT, 'renderer/src/components/SafeHtml.tsx'))};`, resolveDir: ROOT, loader: 'ts' },
    bundle: true, format: 'iife', globalName: 'Sanitizer', platform: 'browser', write: false, jsx: 'automatic', logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  bundle = out.outputFiles[0]?.text ?? '';
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (canary ? canary.close(() => r()) : r()));
});

describe('CSS in email HTML, sanitizer alone (no CSP, no sandbox)', () => {
  it('control: the raw vectors do load in a plain page', async () => {
    const page = await browser.newPage();
    await show(page, vectors().map(([n, v]) => `<div data-vector="${n}">${v}</div>`).join('\n'));
    await page.close();
    const loaded = new Set(hits.map((h) => h.slice(1).split(/[#?]/)[0]));
    controlLoaded = loaded.size;
    console.log(`css control: ${loaded.size} of ${vectors().length} vectors load without the sanitizer`);
    // Not every vector loads in every engine (image-set, cursor, fonts load lazily); most must.
    expect(loaded.size).toBeGreaterThanOrEqual(12);
    hits.length = 0;
  }, 60_000);

  it('after sanitizing: nothing loads, and benign styling survives', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle });
    const html = vectors().map(([n, v]) => `<div data-vector="${n}">${v}</div>`).join('\n') + BENIGN;
    const clean = await page.evaluate((h) => (globalThis as unknown as { Sanitizer: { sanitizeEmailHtml: (x: string) => string } }).Sanitizer.sanitizeEmailHtml(h), html);
    expect(clean.replace(/data-vector="[^"]*"/g, '')).not.toMatch(/url\s*\(|image-set|@import|@font-face|\\75|\\69/i);
    await show(page, clean);
    // A string, evaluated in the page (the test's own tsconfig has no DOM types).
    const kept = (await page.evaluate(`({
      inline: getComputedStyle(document.getElementById('kept')).color,
      sheet: getComputedStyle(document.getElementById('k')).color,
    })`)) as { inline: string; sheet: string };
    await page.close();
    recordFigures('css', { vectors: vectors().length, controlLoaded, canaryHitsWithoutCsp: hits.length });
    console.log(`css sanitized: ${new Set(hits.map((h) => h.slice(1).split(/[#?]/)[0])).size} vectors loaded`);
    expect(hits).toEqual([]);
    expect(kept).toEqual({ inline: 'rgb(255, 0, 0)', sheet: 'rgb(18, 52, 86)' });
  }, 60_000);
});
