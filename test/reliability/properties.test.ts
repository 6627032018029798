// Property-based tests (fast-check) of the parsers that take hostile input: Thread-Index encode/decode,
// tracking-token issue/parse, header parsing on arbitrary bytes, and the mbox splitter's byte accounting.
// Seeds are fixed so a failure reproduces; long mode runs many more cases.

import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ancestors, conversationIndexKey, decodeBase64, decodeThreadIndex, encodeBase64, encodeThreadIndexChild, encodeThreadIndexRoot,
  parentIndex, toHex, unixMsToFiletime,
} from '../../core/engine/primitives/threadIndex.js';
import { appendToken, formatToken, normalizeToken, parseTokens, TokenIssuer } from '../../core/engine/primitives/tokens.js';
import { DEFAULT_SETTINGS, type Settings } from '../../core/engine/model/settings.js';
import { parseMessage } from '../../core/mail/facts.js';
import { splitHeaderBlock } from '../../core/mail/headers.js';
import { parseAddressList } from '../../core/mail/addresses.js';
import { parseDate } from '../../core/mail/dates.js';
import { decodeWordsChecked } from '../../core/mail/rfc2047.js';
import { readMbox, unquoteMbox } from '../../core/node/import/mbox.js';
import { LONG, removeDir, tempDir } from './support/env.js';

const RUNS = LONG ? 2000 : 200;
const params = (seed: number, runs = RUNS): fc.Parameters<unknown> => ({ seed, numRuns: runs });

describe('Thread-Index (core/engine/primitives/threadIndex.ts)', () => {
  it('base64 encode then decode gives the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const dec = decodeBase64(encodeBase64(bytes));
      expect(dec.ok).toBe(true);
      if (dec.ok) expect(toHex(dec.bytes)).toBe(toHex(bytes));
    }), params(1));
  });

  it('any 22 + 5k bytes decode to a valid index whose header and child blocks re-assemble the bytes', () => {
    const index = fc.tuple(fc.uint8Array({ minLength: 22, maxLength: 22 }), fc.array(fc.uint8Array({ minLength: 5, maxLength: 5 }), { maxLength: 40 }));
    fc.assert(fc.property(index, ([header, children]) => {
      const bytes = Uint8Array.from([...header, ...children.flatMap((c) => [...c])]);
      const d = decodeThreadIndex(encodeBase64(bytes));
      expect(d.ok).toBe(true);
      expect(d.depth).toBe(children.length);
      expect(d.hex).toBe(toHex(bytes));
      expect(toHex(header) + d.children.map((c) => c.hex).join('')).toBe(toHex(bytes));
      d.children.forEach((c, i) => {
        const block = children[i] as Uint8Array;
        expect(c.deltaCode).toBe(((block[0] as number) >> 7) as 0 | 1);
        expect(c.random).toBe(block[4]);
      });
      // The parent chain is every proper prefix, longest first.
      expect(ancestors(encodeBase64(bytes)).length).toBe(children.length);
      if (children.length > 0) expect(parentIndex(encodeBase64(bytes))).toBe(toHex(bytes.slice(0, bytes.length - 5)));
    }), params(2));
  });

  it('any other length is reported as an error, never thrown', () => {
    const bad = fc.uint8Array({ maxLength: 120 }).filter((b) => b.length < 22 || (b.length - 22) % 5 !== 0);
    fc.assert(fc.property(bad, (bytes) => {
      const d = decodeThreadIndex(encodeBase64(bytes));
      expect(d.ok).toBe(false);
      expect(d.errors.join(' ')).toMatch(new RegExp(`${bytes.length} bytes`));
      expect(conversationIndexKey(encodeBase64(bytes))).toBeNull();
    }), params(3));
  });

  it('arbitrary strings decode without throwing', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.option(fc.date({ noInvalidDate: false })), (s, date) => {
      const d = decodeThreadIndex(s, date ?? undefined);
      expect(typeof d.ok).toBe('boolean');
    }), params(4));
  });

  // 1990..2056: the FILETIME top byte is 0x01 there, which both header layouts assume.
  const date = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2056, 0, 1) }).map((ms) => new Date(ms));
  const guid = fc.uint8Array({ minLength: 16, maxLength: 16 });

  it.each(['classic', 'modern'] as const)('a %s root, then replies, round-trip: GUID, depth, parent and times within the encoding resolution', (variant) => {
    const replies = fc.array(fc.integer({ min: 0, max: 3 * 365 * 86_400_000 }), { maxLength: 12 });
    fc.assert(fc.property(date, guid, replies, (root, g, gaps) => {
      let value = encodeThreadIndexRoot(root, g, variant);
      const d0 = decodeThreadIndex(value, root);
      expect(d0.ok).toBe(true);
      expect(d0.header?.variant).toBe(variant);
      expect(d0.header?.guid.replace(/-/g, '')).toBe(toHex(g));
      // The header keeps FILETIME >> 16 (classic) or >> 24 (modern): the time is truncated, never moved later.
      const headerTicks = d0.header?.time.ticks ?? 0n;
      const rootTicks = unixMsToFiletime(root.getTime());
      expect(headerTicks <= rootTicks).toBe(true);
      expect(rootTicks - headerTicks < (variant === 'classic' ? 1n << 16n : 1n << 24n)).toBe(true);
      let at = root.getTime();
      for (const [i, gap] of gaps.entries()) {
        at += gap;
        const sent = new Date(at);
        const parent = value;
        const r = encodeThreadIndexChild(parent, sent, i & 0xff);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        value = r.value;
        const d = decodeThreadIndex(value, sent);
        expect(d.ok).toBe(true);
        expect(d.depth).toBe(i + 1);
        expect(parentIndex(value)).toBe(toHex((decodeBase64(parent) as { bytes: Uint8Array }).bytes));
        const child = d.children[i];
        expect(child?.random).toBe(i & 0xff);
        // A child's time is the sent time rounded down to its delta unit (2^18 or 2^23 ticks), never later.
        const unit = child?.deltaCode === 1 ? 1n << 23n : 1n << 18n;
        const diff = unixMsToFiletime(sent.getTime()) - (child?.time.ticks ?? 0n);
        expect(diff >= 0n && diff < unit + (1n << 16n), `child ${i + 1}: ${diff} ticks off (unit ${unit})`).toBe(true);
      }
    }), params(5, LONG ? 1000 : 150));
  });
});

describe('tracking tokens (core/engine/primitives/tokens.ts)', () => {
  // Prefixes as admins type them: letters, digits inside, a few symbols; never ending in a digit when there is
  // no separator (then "CRM1" + "0…" would be ambiguous even to Dynamics).
  const prefix = fc.stringMatching(/^[A-Za-z][A-Za-z0-9#\-_]{0,19}$/);
  const settingsArb = fc.record({
    trackingprefix: prefix,
    trackingtokeniddigits: fc.integer({ min: 1, max: 10 }),
    maximumtrackingnumber: fc.integer({ min: 9, max: 999_999_999 }),
    simTokenSeparator: fc.constantFrom('system' as const, 'prefix' as const),
  }).filter((s) => s.simTokenSeparator === 'system' || !/\d$/.test(s.trackingprefix))
    .map((s): Settings => ({ ...DEFAULT_SETTINGS, ...s }));
  // Subjects that do not themselves end in a letter or digit glued to the token.
  const subject = fc.string({ maxLength: 120 });

  const tokenCase = settingsArb.chain((settings) => fc.record({
    settings: fc.constant(settings),
    userN: fc.integer({ min: 0, max: 10 ** settings.trackingtokeniddigits - 1 }),
    counter: fc.integer({ min: 0, max: settings.maximumtrackingnumber }),
    designator: fc.constantFrom(0 as const, 1 as const),
    subject,
  }));

  it('an issued token is parsed back from the subject it was appended to: same user number, counter and designator', () => {
    fc.assert(fc.property(tokenCase, ({ settings, userN, counter, designator, subject: s }) => {
      const t = formatToken(settings, userN, counter, designator);
      expect(t.ok).toBe(true);
      if (!t.ok) return;
      const { subject: withToken, truncated } = appendToken(s, t.token, settings);
      expect(withToken.length).toBeLessThanOrEqual(Math.max(settings.MaximumSubjectLengthOnMailServer, t.token.length));
      expect(withToken.endsWith(t.token)).toBe(true);
      if (!truncated) expect(withToken.startsWith(s.trimEnd())).toBe(true);
      const index = withToken.length - t.token.length;
      for (const position of ['anywhere', 'end'] as const) {
        const found = parseTokens(withToken, { ...settings, simTokenPosition: position }).filter((p) => p.index === index && p.currentDigits);
        expect(found.length, `${JSON.stringify(withToken)} (${position})`).toBe(1);
        expect(found[0]?.userNumber).toBe(t.parts.userNumber);
        expect(found[0]?.counter).toBe(t.parts.counter);
        expect(found[0]?.designator).toBe(String(designator));
        expect(Number(found[0]?.userNumber)).toBe(settings.trackingtokenidbase + userN);
        expect(Number(found[0]?.counter)).toBe(counter);
      }
      // The same token typed in another case, with a space after the separator, is the same token.
      const sep = settings.simTokenSeparator === 'system' ? ':' : '';
      const digits = t.token.slice(settings.trackingprefix.length + sep.length);
      const variant = `${settings.trackingprefix.toLowerCase()}${sep} ${digits}`;
      expect(normalizeToken(variant, settings)).toBe(normalizeToken(t.token, settings));
    }), params(6));
  });

  it('a counter issues consecutive tokens, wraps after maximumtrackingnumber and flags the repeats', () => {
    fc.assert(fc.property(settingsArb.filter((s) => s.maximumtrackingnumber <= 999), fc.integer({ min: 1, max: 2000 }), (settings, extra) => {
      const issuer = new TokenIssuer(settings, 1);
      const max = settings.maximumtrackingnumber;
      const seen: string[] = [];
      for (let i = 0; i < max + extra; i++) {
        const r = issuer.issue('user:1', 0);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        // 1..max, then 0..max again and again (the counter restarts at 0 after each wrap).
        const expected = i < max ? i + 1 : (i - max) % (max + 1);
        expect(r.issued.counter).toBe(expected);
        expect(r.issued.wrapped).toBe(i >= max && expected === 0);
        expect(r.issued.duplicate).toBe(seen.includes(r.issued.token));
        seen.push(r.issued.token);
        const parsed = parseTokens(r.issued.token, settings).find((p) => p.currentDigits);
        expect(Number(parsed?.counter)).toBe(expected);
      }
    }), params(7, LONG ? 200 : 25));
  });

  it('parsing any subject never throws and every token found lies inside the subject', () => {
    fc.assert(fc.property(settingsArb, fc.string({ maxLength: 300 }), (settings, s) => {
      for (const p of parseTokens(s, settings)) {
        expect(s.slice(p.index, p.index + p.length)).toBe(p.token);
        expect(p.digits).toMatch(/^[01]\d+$/);
      }
    }), params(8));
  });
});

describe('header parsing (core/mail) never throws on arbitrary bytes', () => {
  const headerish = fc.array(fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.tuple(fc.constantFrom('Subject', 'From', 'To', 'Cc', 'Date', 'Message-ID', 'References', 'In-Reply-To', 'Thread-Index', 'Content-Type',
      'Content-Transfer-Encoding', 'Content-Length', 'Received', 'Reply-To'), fc.string({ maxLength: 120 })).map(([k, v]) => `${k}: ${v}`),
    fc.constant('Content-Type: multipart/mixed; boundary="b"'), fc.constant('--b'), fc.constant('--b--'), fc.constant(''),
    fc.constant('Subject: =?utf-8?B?'), fc.constant(' =?x?Q?=ZZ?='),
  ), { maxLength: 40 }).chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((eol) => Buffer.from(lines.join(eol), 'latin1')));

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4000 }), (raw) => {
      const p = parseMessage(raw);
      expect(Array.isArray(p.defects)).toBe(true);
      expect(p.bodyOffset).toBeLessThanOrEqual(raw.length);
      const block = splitHeaderBlock(raw);
      expect(block.headerLength).toBeLessThanOrEqual(raw.length);
    }), params(9));
  });

  it('header-shaped input with every line ending', () => {
    fc.assert(fc.property(headerish, (raw) => {
      const p = parseMessage(raw);
      for (const ref of p.inner) expect(ref.offset + ref.length).toBeLessThanOrEqual(raw.length);
    }), params(10));
  });

  it('values: dates, address lists and encoded words', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (v) => {
      const d = parseDate(v);
      if (d.iso) expect(Number.isNaN(Date.parse(d.iso))).toBe(false);
      for (const a of parseAddressList(v)) expect(a.address).toBe(a.address.toLowerCase());
      expect(typeof decodeWordsChecked(v).text).toBe('string');
    }), params(11));
  });
});

describe('mbox splitter (core/node/import/mbox.ts)', () => {
  const dir = tempDir('props-mbox');
  afterAll(() => removeDir(dir));

  // A message is lines of arbitrary bytes (no LF inside a line), each ending in LF or CRLF; lines starting
  // "From " or ">From " are the ones an mbox writer must quote.
  const line = fc.tuple(
    fc.oneof(fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b.filter((x) => x !== 10)).toString('latin1')),
      fc.constantFrom('From ', 'From me', '>From ', '>>From x', 'From', ' From ', ''), fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ''))),
    fc.constantFrom('\n', '\r\n'),
  ).map(([text, eol]) => Buffer.from(text + eol, 'latin1'));
  const messageArb = fc.array(line, { minLength: 1, maxLength: 12 }).map((ls) => Buffer.concat(ls));

  /** mboxrd: one more ">" before every /^>*From / line. */
  function quote(msg: Buffer): Buffer {
    return Buffer.from(msg.toString('latin1').replace(/(^|\n)(>*From )/g, '$1>$2'), 'latin1');
  }

  it('every message comes back byte for byte, and split + re-join is the file', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 7, max: 300 }), async (messages, chunk) => {
      const parts: Buffer[] = [];
      messages.forEach((m, i) => parts.push(Buffer.from(`From sender${i}@example.com Mon Mar  2 10:00:00 2026\n`, 'latin1'), quote(m), Buffer.from('\n')));
      const file = Buffer.concat(parts);
      const p = path.join(dir, `m${n++}.mbox`);
      fs.writeFileSync(p, file);
      const got: Array<{ offset: number; length: number; bytes: Buffer; separator: string }> = [];
      for await (const m of readMbox(p, undefined, chunk)) got.push({ ...m, bytes: Buffer.from(m.bytes) });
      expect(got.length).toBe(messages.length);
      got.forEach((g, i) => {
        expect(g.separator).toBe(`From sender${i}@example.com Mon Mar  2 10:00:00 2026`);
        // The byte range points at the stored (quoted) bytes; unquoting gives the original message.
        expect(file.subarray(g.offset, g.offset + g.length).equals(g.bytes)).toBe(true);
        expect(unquoteMbox(g.bytes).equals(messages[i] as Buffer)).toBe(true);
      });
      // Re-join: From line + stored bytes + the gap up to the next From line covers the file with nothing left over.
      let pos = 0;
      const rejoined: Buffer[] = [];
      for (const g of got) {
        const sep = Buffer.from(`${g.separator}\n`, 'latin1');
        expect(file.subarray(pos, g.offset).equals(sep)).toBe(true);
        rejoined.push(sep, g.bytes);
        pos = g.offset + g.length;
        const next = file.indexOf('\nFrom sender', pos - 1);
        const gapEnd = next < 0 ? file.length : next + 1;
        const gap = file.subarray(pos, gapEnd);
        expect(['', '\n', '\r\n']).toContain(gap.toString('latin1'));
        rejoined.push(gap);
        pos = gapEnd;
      }
      expect(Buffer.concat(rejoined).equals(file)).toBe(true);
      fs.rmSync(p);
    }), params(12, LONG ? 1000 : 150));
  });
});
