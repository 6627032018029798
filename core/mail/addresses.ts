// RFC 5322 address lists: mailboxes, groups, quoted display names, comments, angle addresses and the
// obsolete forms real mail carries (missing commas inside groups, bare local parts like MAILER-DAEMON).

import { stripComments } from './headers.js';
import { decodeWords } from './rfc2047.js';

export interface Address {
  /** Display name, RFC 2047-decoded, unquoted; '' when none. */
  name: string;
  /** Bare address, trimmed and lower-cased (comparison form, SIMULATOR §5). */
  address: string;
}

/** Splits at top-level commas/semicolons (outside quotes, comments, angle brackets), dropping group names. */
function splitTopLevel(value: string): string[] {
  const items: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\' && (quoted || depth > 0)) {
      cur += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth > 0) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      cur += ch;
      continue;
    }
    if (quoted) {
      if (ch === '"') quoted = false;
      cur += ch;
      continue;
    }
    if (ch === '"') { quoted = true; cur += ch; continue; }
    if (ch === '(') { depth = 1; cur += ch; continue; }
    if (ch === '<') angle = true;
    if (ch === '>') angle = false;
    if (!angle && (ch === ',' || ch === ';')) {
      items.push(cur);
      cur = '';
      continue;
    }
    if (!angle && ch === ':') {
      // Group "display-name:" — the name is not an address.
      cur = '';
      continue;
    }
    cur += ch;
  }
  items.push(cur);
  return items;
}

function unquote(name: string): string {
  const t = name.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t.replace(/"/g, '');
}

export function parseAddressList(value: string | null): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  for (const item of splitTopLevel(value)) {
    const trimmed = item.trim();
    if (!trimmed) continue;
    const lt = trimmed.lastIndexOf('<');
    const gt = trimmed.lastIndexOf('>');
    let name = '';
    let address = '';
    if (lt >= 0 && gt > lt) {
      address = trimmed.slice(lt + 1, gt);
      name = trimmed.slice(0, lt);
    } else {
      const comment = /\(([^()]*)\)/.exec(trimmed);
      address = stripComments(trimmed);
      name = comment ? (comment[1] as string) : '';
    }
    // Obsolete source routes "<@a,@b:user@host>" keep only the address after the colon.
    address = address.replace(/^@[^:]*:/, '').replace(/\s+/g, '').replace(/^"(.*)"@/, '$1@').toLowerCase();
    if (!address) continue;
    out.push({ name: decodeWords(unquote(stripComments(name))).trim(), address });
  }
  return out;
}

export function addressesOf(value: string | null): string[] {
  return parseAddressList(value).map((a) => a.address);
}
