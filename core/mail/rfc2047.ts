// RFC 2047 encoded words (=?charset?B|Q?text?=) in unstructured headers and display names.
// Adjacent encoded words separated only by whitespace are joined (RFC 2047 §6.2); consecutive words in
// the same charset are decoded together so a multi-byte character split across two words survives.
// Hostile input is bounded: only the first MAX_ENCODED_WORDS words of a value are decoded (the rest stay as
// written), and what could not be decoded faithfully is reported, never thrown.

import { decodeBase64, decodeCharset, decodeQuotedPrintable, firstInvalidBase64, firstInvalidQuotedPrintable, isKnownCharset } from './bytes.js';

const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** More encoded words than this in one header value is an "encoded-word bomb"; real subjects use a few. */
export const MAX_ENCODED_WORDS = 1000;

interface Piece {
  kind: 'text' | 'word';
  text: string;
  charset: string;
  bytes: Uint8Array | null;
}

export interface DecodedWords {
  text: string;
  /** What could not be decoded faithfully (unknown charset, invalid base64/QP, too many words). */
  problems: string[];
}

export function decodeWords(value: string): string {
  return decodeWordsChecked(value).text;
}

export function decodeWordsChecked(value: string): DecodedWords {
  if (value.indexOf('=?') < 0) return { text: value, problems: [] };
  const problems = new Set<string>();
  const pieces: Piece[] = [];
  let last = 0;
  let words = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(value); m; m = WORD.exec(value)) {
    if (++words > MAX_ENCODED_WORDS) {
      // Count the rest (cheap, no decoding) so the report says how big the bomb was.
      let total = words;
      while (WORD.exec(value)) total++;
      problems.add(`${total} encoded words; only the first ${MAX_ENCODED_WORDS} were decoded`);
      break;
    }
    if (m.index > last) pieces.push({ kind: 'text', text: value.slice(last, m.index), charset: '', bytes: null });
    const charset = (m[1] as string).replace(/\*.*$/, '');
    const enc = (m[2] as string).toUpperCase();
    const payload = m[3] as string;
    if (!isKnownCharset(charset)) problems.add(`unknown charset "${charset.slice(0, 40)}" (read as windows-1252)`);
    if (enc === 'B' && (firstInvalidBase64(payload) >= 0 || payload.replace(/=+$/, '').length % 4 === 1)) problems.add('invalid base64 in an encoded word');
    if (enc === 'Q' && firstInvalidQuotedPrintable(payload) >= 0) problems.add('invalid quoted-printable in an encoded word');
    const bytes = enc === 'B' ? decodeBase64(payload) : decodeQuotedPrintable(payload, true);
    pieces.push({ kind: 'word', text: '', charset: charset.toLowerCase(), bytes });
    last = m.index + m[0].length;
  }
  if (last < value.length) pieces.push({ kind: 'text', text: value.slice(last), charset: '', bytes: null });

  // Drop whitespace-only text between two encoded words.
  const kept = pieces.filter((p, i) => {
    if (p.kind !== 'text' || !/^[ \t\r\n]*$/.test(p.text)) return true;
    return !(pieces[i - 1]?.kind === 'word' && pieces[i + 1]?.kind === 'word');
  });

  let out = '';
  for (let i = 0; i < kept.length; i++) {
    const p = kept[i] as Piece;
    if (p.kind === 'text') {
      out += p.text;
      continue;
    }
    const chunks: Uint8Array[] = [p.bytes as Uint8Array];
    while (kept[i + 1]?.kind === 'word' && kept[i + 1]?.charset === p.charset) {
      chunks.push(kept[i + 1]?.bytes as Uint8Array);
      i++;
    }
    if (p.charset.startsWith('iso-2022-')) dropEscapesAtJoins(chunks);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const joined = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      joined.set(c, off);
      off += c.length;
    }
    out += decodeCharset(joined, p.charset);
  }
  return { text: out, problems: [...problems] };
}

const ESC = 0x1b;

/**
 * ISO-2022 encoders end every encoded word back in ASCII (ESC ( B) and start the next one with its own
 * designation (ESC $ B). Joined, that leaves two escape sequences in a row, which the WHATWG decoder
 * reports as an error (U+FFFD). The bytes must still be joined (a two-byte character may be split across
 * words), so the designation that is immediately replaced at a join is dropped: it selects nothing.
 */
function dropEscapesAtJoins(chunks: Uint8Array[]): void {
  for (let i = 0; i + 1 < chunks.length; i++) {
    const c = chunks[i] as Uint8Array;
    const next = chunks[i + 1] as Uint8Array;
    if (next[0] !== ESC) continue;
    // The 3-byte designations ISO-2022-JP uses: ESC ( B|J|I and ESC $ @|B.
    const n = c.length;
    if (n >= 3 && c[n - 3] === ESC && (c[n - 2] === 0x28 || c[n - 2] === 0x24)) chunks[i] = c.subarray(0, n - 3);
  }
}
