import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { cssValueLoads, sanitizeDeclarations, sanitizeStylesheet } from './sanitizeCss.js';

// Email HTML is hostile by default. Two independent layers keep it inert:
// 1. DOMPurify removes scripts, handlers, forms, frames and every attribute that could fetch a
//    remote resource (only data: images survive); CSS (style attributes, <style> blocks, SVG
//    presentation attributes) goes through a CSS parser that keeps only what cannot load (sanitizeCss);
// 2. the frame is sandboxed with no permissions (no scripts, no forms, no same-origin, no popups)
//    and carries a CSP that forbids every load except inline styles and data: images, so even what
//    the sanitizer missed cannot run or phone home.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const URL_ATTRS = ['src', 'srcset', 'background', 'poster', 'href', 'action', 'formaction', 'xlink:href', 'data', 'cite', 'longdesc'];
/** Attributes that are text for people, never read as CSS. */
const TEXT_ATTRS = new Set(['alt', 'title', 'class', 'id', 'lang', 'dir']);

export function sanitizeEmailHtml(html: string): string {
  const purify = DOMPurify();
  purify.addHook('uponSanitizeElement', (node, data) => {
    // <style> in HTML and in <svg>: the sheet is parsed and only its inert rules are kept.
    if (data.tagName === 'style') node.textContent = sanitizeStylesheet(node.textContent ?? '');
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    for (const attr of URL_ATTRS) {
      const value = node.getAttribute(attr);
      if (value === null) continue;
      // Links stay readable but inert; anything that would load is dropped unless it is inline data.
      if (attr === 'href') {
        if (node.tagName === 'A') node.setAttribute('title', `Link not followed: ${value}`);
        node.removeAttribute('href');
      } else if (!(attr === 'src' && value.trim().toLowerCase().startsWith('data:image/'))) {
        node.removeAttribute(attr);
      }
    }
    if (node.hasAttribute('style')) {
      const style = sanitizeDeclarations(node.getAttribute('style') ?? '');
      if (style) node.setAttribute('style', style);
      else node.removeAttribute('style');
    }
    // SVG presentation attributes are CSS values too: fill="url(…)", filter, mask, clip-path, cursor …
    for (const a of [...node.attributes]) {
      if (a.name === 'style' || TEXT_ATTRS.has(a.name) || a.name.startsWith('aria-')) continue;
      if (cssValueLoads(a.value)) node.removeAttribute(a.name);
    }
  });
  return purify.sanitize(html, {
    FORBID_TAGS: ['form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'script', 'video', 'audio', 'source', 'track'],
    FORBID_ATTR: ['srcset', 'ping'],
    WHOLE_DOCUMENT: false,
  });
}

export function SafeHtml({ html, title }: { html: string; title: string }) {
  const srcDoc = useMemo(
    () =>
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">` +
      `<style>body{font:14px system-ui,sans-serif;margin:8px;color:#222;background:#fff;overflow-wrap:anywhere}a{color:#0b63c5;text-decoration:underline;cursor:not-allowed}</style></head>` +
      `<body>${sanitizeEmailHtml(html)}</body></html>`,
    [html],
  );
  return <iframe className="safe-html" sandbox="" srcDoc={srcDoc} title={title} data-testid="safe-html" referrerPolicy="no-referrer" />;
}
