// Email HTML in Chromium (issue 6): a message carrying every classic way to run script or fetch something —
// <script>, event handlers, javascript: and data: URLs, remote images and CSS, forms, meta refresh, iframes,
// SVG with script, <object>/<embed>, <base>, srcset, CSS @import/url(), mXSS shapes — is opened in browser mode.
// Every vector, if it ran, would call a canary server on another port and a binding on the page. Counted:
// requests leaving the app (page side and canary side) and script executions. All must be 0.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApp, type RunningApp } from '../e2e/support/app.js';
import { recordFigures, removeDir, tempDir } from './support/env.js';

let browser: Browser;
let app: RunningApp;
let canary: http.Server;
let canaryUrl: string;
const canaryHits: string[] = [];
let dir: string;

/** Each vector, if it ran or loaded, hits `${C}/<name>` and/or calls top.__pwned('<name>'). */
function vectors(C: string): Array<[string, string]> {
  const js = (n: string): string => `fetch('${C}/exec-${n}');top.__pwned&&top.__pwned('${n}')`;
  return [
    ['script', `<script>${js('script')}</script>`],
    ['script-src', `<script src="${C}/script-src.js"></script>`],
    ['img-onerror', `<img src="x" onerror="${js('img-onerror')}">`],
    ['body-onload', `<body onload="${js('body-onload')}">`],
    ['svg-onload', `<svg onload="${js('svg-onload')}"></svg>`],
    ['svg-script', `<svg><script>${js('svg-script')}</script></svg>`],
    ['svg-image', `<svg><image href="${C}/svg-image.png"/><use href="${C}/svg-use.svg#x"/></svg>`],
    ['details-ontoggle', `<details open ontoggle="${js('details-ontoggle')}">x</details>`],
    ['input-autofocus', `<input autofocus onfocus="${js('input-autofocus')}">`],
    ['a-javascript', `<a id="jslink" href="javascript:${js('a-javascript')}">click</a>`],
    ['a-data', `<a id="datalink" href="data:text/html,<script>${js('a-data')}</script>">data link</a>`],
    ['iframe', `<iframe src="${C}/iframe.html"></iframe>`],
    ['iframe-srcdoc', `<iframe srcdoc="<script>${js('iframe-srcdoc')}</script>"></iframe>`],
    ['iframe-data', `<iframe src="data:text/html,<script>${js('iframe-data')}</script>"></iframe>`],
    ['object', `<object data="${C}/object.swf"></object><embed src="${C}/embed.swf">`],
    ['img-remote', `<img src="${C}/img-remote.png" width="1" height="1">`],
    ['img-srcset', `<img srcset="${C}/img-srcset.png 1x">`],
    ['picture', `<picture><source srcset="${C}/picture.png"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></picture>`],
    ['background-attr', `<table background="${C}/table-bg.png"><tr><td>t</td></tr></table>`],
    ['style-attr', `<div style="background-image:url('${C}/style-attr.png')">s</div>`],
    ['style-import', `<style>@import url("${C}/style-import.css"); .x{background:url(${C}/style-url.png)}</style><div class="x">x</div>`],
    ['font-face', `<style>@font-face{font-family:f;src:url(${C}/font.woff)} p{font-family:f}</style><p>font</p>`],
    ['link-css', `<link rel="stylesheet" href="${C}/link.css"><link rel="prefetch" href="${C}/prefetch"><link rel="preconnect" href="${C}">`],
    ['meta-refresh', `<meta http-equiv="refresh" content="0;url=${C}/meta-refresh">`],
    ['base', `<base href="${C}/base/"><img src="relative.png">`],
    ['form', `<form action="${C}/form" method="post"><input name="q" value="1"><button id="submit">Send</button></form>`],
    ['formaction', `<button formaction="${C}/formaction">b</button>`],
    ['video', `<video poster="${C}/poster.png" src="${C}/video.mp4" autoplay></video><audio src="${C}/audio.mp3" autoplay></audio>`],
    ['mxss-math', `<math><mtext><table><mglyph><style><img src=x onerror="${js('mxss-math')}">`],
    ['mxss-noscript', `<noscript><p title="</noscript><img src=x onerror=${js('mxss-noscript').replace(/'/g, '&#39;')}>">`],
    ['template', `<template><img src=x onerror="${js('template')}"></template>`],
    ['ping', `<a href="${C}/ping-target" ping="${C}/ping">ping</a>`],
    ['css-expression', `<div style="width: expression(${js('css-expression')})">e</div>`],
    ['vbscript', `<a href="vbscript:msgbox(1)">vb</a>`],
    ['entity-javascript', `<a href="&#106;avascript:${js('entity-javascript')}">ent</a>`],
  ];
}

function hostileEml(C: string): string {
  const html = `<html><head><title>PWNED</title></head><body><p id="greeting">Hello Alice, the invoice is attached.</p>\n` +
    vectors(C).map(([n, v]) => `<div data-vector="${n}">${v}</div>`).join('\n') + '\n</body></html>';
  return ['From: Mallory <mallory@evil.example>', 'To: Alice <alice@contoso.com>', 'Subject: Invoice (hostile HTML)',
    'Date: Mon, 2 Mar 2026 10:00:00 +0000', 'Message-ID: <hostile-html@evil.example>', 'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="alt"', '', '--alt', 'Content-Type: text/plain; charset=utf-8', '',
    'Hello Alice, the invoice is attached.', '--alt', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
    html, '--alt--', ''].join('\r\n');
}

beforeAll(async () => {
  canary = http.createServer((req, res) => {
    canaryHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('canary');
  });
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', () => r()));
  canaryUrl = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;
  dir = tempDir('html');
  fs.writeFileSync(path.join(dir, 'hostile-html.eml'), hostileEml(canaryUrl));
  browser = await launchChromium();
  app = await startApp();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((r) => (canary ? canary.close(() => r()) : r()));
  if (dir) removeDir(dir);
});

describe('hostile email HTML in Chromium (browser mode)', () => {
  it('control: the same HTML loaded raw in a plain page does run scripts and hit the canary (so the counters work)', async () => {
    const page = await browser.newPage();
    const executions: string[] = [];
    await page.exposeBinding('__pwned', (_source, name: string) => void executions.push(name));
    page.on('dialog', (d) => void d.dismiss());
    const html = hostileEml(canaryUrl).split('Content-Transfer-Encoding: 8bit\r\n\r\n')[1]?.split('\r\n--alt--')[0] ?? '';
    await page.setContent(html.replace(/<meta http-equiv="refresh"[^>]*>/, ''), { waitUntil: 'load' }).catch(() => undefined);
    await expect.poll(() => executions.length, { timeout: 10_000 }).toBeGreaterThan(3);
    await expect.poll(() => canaryHits.length, { timeout: 10_000 }).toBeGreaterThan(3);
    await page.close();
    // Let stragglers land, then start the real test from zero.
    await new Promise((r) => setTimeout(r, 500));
    canaryHits.length = 0;
  }, 60_000);

  it('runs no script and fetches nothing, whatever the vector', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const executions: string[] = [];
    await page.exposeBinding('__pwned', (_source, name: string) => void executions.push(name));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const popups: string[] = [];
    page.on('popup', (p) => popups.push(p.url()));
    await page.goto(app.url);

    await page.getByTestId('workspace-path').fill(path.join(dir, 'html.synclens'));
    await page.getByTestId('create-workspace').click();
    await page.getByTestId('import-form').waitFor();
    await page.getByTestId('import-paths').fill(path.join(dir, 'hostile-html.eml'));
    await page.getByTestId('import-mailbox').fill('alice@contoso.com');
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 30_000 }).toMatch(/Imported 1\b/);
    await page.keyboard.press('2');
    await page.getByTestId('message-row').first().waitFor();
    await page.getByTestId('message-table-body').focus();
    await page.keyboard.press('Enter');
    const frameEl = page.getByTestId('safe-html');
    await frameEl.waitFor();
    const frame = await (await frameEl.elementHandle())?.contentFrame();
    expect(frame).toBeTruthy();
    if (!frame) return;
    await frame.locator('#greeting').waitFor();
    // Try the interactive vectors too: click the links and the submit button if they survived.
    for (const sel of ['#jslink', '#datalink', '#submit']) {
      const el = frame.locator(sel);
      if ((await el.count()) > 0) await el.first().click({ timeout: 2000 }).catch(() => undefined);
    }
    // Give timers, onload/onerror, meta refresh and autoplay time to fire.
    await page.waitForTimeout(2000);

    const inside = (await frame.evaluate(`({
      scripts: document.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + '.' + a.name)),
      active: document.querySelectorAll('iframe, object, embed, form, input, button, video, audio, link, meta[http-equiv="refresh"], base').length,
      urls: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^(src|srcset|href|action|formaction|background|poster|data|ping|xlink:href)$/i.test(a.name))
        .map((a) => a.value)).filter((v) => !/^data:image\\//i.test(v)),
    })`)) as { scripts: number; handlers: string[]; active: number; urls: string[] };

    const origin = new URL(app.url).origin;
    const leaving = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('about:'));
    recordFigures('html', { vectors: vectors(canaryUrl).length, requestsOut: leaving.length, canaryHits: canaryHits.length, scriptExecutions: executions.length });
    expect(executions).toEqual([]);
    expect(canaryHits).toEqual([]);
    expect(leaving).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(page.url()).toBe(app.url);
    expect(await page.title()).not.toBe('PWNED');
    expect(inside.scripts).toBe(0);
    expect(inside.handlers).toEqual([]);
    expect(inside.active).toBe(0);
    expect(inside.urls).toEqual([]);
    await page.close();
  }, 120_000);
});
