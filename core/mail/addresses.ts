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

/**
 * Splits at top-level commas/semicolons (outside quotes, comments, angle brackets), dropping group names.
 * Items are slices of the input (no per-character string building): a header with 50,000 recipients must
 * not stall an import.
 */
function splitTopLevel(value: string): string[] {
  const items: string[] = [];
  let itemStart = 0;
  let quoted = false;
  let depth = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 92 /* \\ */ && (quoted || depth > 0)) {
      i++;
      continue;
    }
    if (depth > 0) {
      if (ch === 40) depth++;
      else if (ch === 41) depth--;
      continue;
    }
    if (quoted) {
      if (ch === 34) quoted = false;
      continue;
    }
    if (ch === 34) { quoted = true; continue; }
    if (ch === 40) { depth = 1; continue; }
    if (ch === 60) angle = true;
    else if (ch === 62) angle = false;
    else if (!angle && (ch === 44 || ch === 59)) {
      items.push(value.slice(itemStart, i));
      itemStart = i + 1;
    } else if (!angle && ch === 58) {
      // Group "display-name:" — the name is not an address.
      itemStart = i + 1;
    }
  }
  items.push(value.slice(itemStart, Math.max(itemStart, value.length)));
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
