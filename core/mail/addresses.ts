// RFC 5322 address lists: mailboxes, groups, quoted display names, comments, angle addresses and the
// obsolete forms real mail carries (missing commas inside groups, bare local parts like MAILER-DAEMON).

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

/** One lexical token of an address item (RFC 5322 §3.2): comments and quoted strings already unescaped. */
interface Token {
  kind: 'atom' | 'quoted' | 'comment' | 'literal' | 'special' | 'space';
  /** The token's value: an atom's text, a quoted string's or comment's content without quotes/escapes. */
  value: string;
}

const SPECIALS = '<>@:.,;';

/** Splits one address item into tokens. Linear in the length; an unterminated quote or comment runs to the end. */
function tokenize(item: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = item.length;
  while (i < n) {
    const ch = item[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      while (i < n && /[ \t\r\n]/.test(item[i] as string)) i++;
      out.push({ kind: 'space', value: ' ' });
    } else if (ch === '"') {
      let v = '';
      for (i++; i < n && item[i] !== '"'; i++) v += item[i] === '\\' && i + 1 < n ? item[++i] : item[i];
      i++;
      out.push({ kind: 'quoted', value: v });
    } else if (ch === '(') {
      let v = '';
      let depth = 1;
      for (i++; i < n; i++) {
        const c = item[i] as string;
        if (c === '\\' && i + 1 < n) { v += item[++i]; continue; }
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
        v += c;
      }
      i++;
      out.push({ kind: 'comment', value: v });
    } else if (ch === '[') {
      const end = item.indexOf(']', i);
      const stop = end < 0 ? n : end + 1;
      out.push({ kind: 'literal', value: item.slice(i, stop) });
      i = stop;
    } else if (SPECIALS.includes(ch)) {
      out.push({ kind: 'special', value: ch });
      i++;
    } else {
      const s = i;
      while (i < n && !/[ \t\r\n"([<>@:.,;]/.test(item[i] as string)) i++;
      out.push({ kind: 'atom', value: item.slice(s, i) });
    }
  }
  return out;
}

const isSpecial = (t: Token | undefined, ch: string): boolean => t?.kind === 'special' && t.value === ch;

/** RFC 5322 dot-atom (with RFC 6532 UTF-8): a quoted local part of this shape means the same unquoted. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;

/**
 * The addr-spec the tokens spell, comments and folding whitespace removed (RFC 5322 §3.4.1 allows CFWS
 * around every part). A quoted local part keeps its quotes unless it is a plain dot-atom: `"Big Bug bb"@x`
 * and `bigbugbb@x` are different mailboxes, while `"john.doe"@x` is `john.doe@x` (as Python's email package
 * also reads them).
 */
function addrSpec(tokens: readonly Token[]): string {
  let t = tokens.filter((x) => x.kind !== 'comment' && x.kind !== 'space');
  // Obsolete source route "@a,@b:" in front of the address: only the address after the colon counts.
  if (isSpecial(t[0], '@')) {
    const colon = t.findIndex((x) => isSpecial(x, ':'));
    if (colon >= 0) t = t.slice(colon + 1);
  }
  let at = -1;
  for (let k = t.length - 1; k >= 0; k--) if (isSpecial(t[k], '@')) { at = k; break; }
  const localTokens = at < 0 ? t : t.slice(0, at);
  let local = localTokens.map((x) => x.value).join('');
  if (localTokens.some((x) => x.kind === 'quoted') && !DOT_ATOM.test(local)) local = `"${local.replace(/(["\\])/g, '\\$1')}"`;
  if (at < 0) return local;
  // A domain has no quoted strings (RFC 5322 §3.4.1); one written anyway is read without its spaces.
  return `${local}@${t.slice(at + 1).map((x) => (x.kind === 'literal' ? x.value : x.value.replace(/\s+/g, ''))).join('')}`;
}

/** A display name from phrase tokens: words joined by single spaces, quotes removed, comments dropped. */
function phrase(tokens: readonly Token[]): string {
  let out = '';
  for (const x of tokens) {
    if (x.kind === 'comment') continue;
    out += x.kind === 'space' ? ' ' : x.value;
  }
  return decodeWords(out.replace(/\s+/g, ' ').trim()).trim();
}

/**
 * Splits the tokens of an item without angle brackets into the addr-specs it holds. Whitespace next to
 * "." or "@" is folding inside one address; whitespace between two words starts another address when
 * every piece is an address: "a@x.org b@y.org" (a missing comma) is two mailboxes, not one invalid one.
 */
function bareAddresses(tokens: readonly Token[]): Token[][] {
  const pieces: Token[][] = [[]];
  let pendingSpace = false;
  for (const x of tokens) {
    if (x.kind === 'comment') continue;
    if (x.kind === 'space') { pendingSpace = true; continue; }
    const cur = pieces[pieces.length - 1] as Token[];
    const last = cur[cur.length - 1];
    const joins = !last || isSpecial(last, '.') || isSpecial(last, '@') || isSpecial(x, '.') || isSpecial(x, '@');
    if (pendingSpace && !joins) pieces.push([x]);
    else cur.push(x);
    pendingSpace = false;
  }
  if (pieces.length > 1 && pieces.every((p) => p.some((x) => isSpecial(x, '@')))) return pieces;
  return [pieces.flat()];
}

export function parseAddressList(value: string | null): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  for (const item of splitTopLevel(value)) {
    if (!item.trim()) continue;
    const tokens = tokenize(item);
    const lt = tokens.findIndex((x) => isSpecial(x, '<'));
    if (lt >= 0) {
      let gt = tokens.findIndex((x, k) => k > lt && isSpecial(x, '>'));
      if (gt < 0) gt = tokens.length;
      const address = addrSpec(tokens.slice(lt + 1, gt)).toLowerCase();
      if (address) out.push({ name: phrase(tokens.slice(0, lt)), address });
      continue;
    }
    // The obsolete "addr (Name)" form: the first comment is the display name.
    const comment = tokens.find((x) => x.kind === 'comment');
    const pieces = bareAddresses(tokens);
    for (const p of pieces) {
      const address = addrSpec(p).toLowerCase();
      if (!address) continue;
      out.push({ name: pieces.length === 1 && comment ? decodeWords(comment.value.replace(/\s+/g, ' ').trim()).trim() : '', address });
    }
  }
  return out;
}

export function addressesOf(value: string | null): string[] {
  return parseAddressList(value).map((a) => a.address);
}
