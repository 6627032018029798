// Property tests (fast-check) for the classes of mail input that disagreed with other tools (issue 12,
// items 16–19 and 21): ISO-2022-JP subjects cut into encoded words anywhere, RFC 5322 addresses with
// comments, quoted local parts and missing commas, the three line-end conventions, Auto-Submitted with
// comments, and S/MIME bodies whose CMS header is read instead of guessed. Seeds are fixed; long mode runs more.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../core/mail/addresses.js';
import { autoReplyReasons, cmsContentType } from '../../core/mail/classify.js';
import { parseMessage } from '../../core/mail/facts.js';
import { splitHeaderBlock } from '../../core/mail/headers.js';
import { decodeWords } from '../../core/mail/rfc2047.js';
import { LONG } from './support/env.js';

const RUNS = LONG ? 2000 : 200;
const params = (seed: number): fc.Parameters<unknown> => ({ seed, numRuns: RUNS });
const b64 = (bytes: readonly number[]): string => Buffer.from(bytes).toString('base64');

// ---- ISO-2022-JP --------------------------------------------------------------------------------------
// A run is either ASCII text or JIS X 0208 kanji level 1 (rows 0x30–0x4E are fully assigned; row 0x4F ends at 0x53), as ISO-2022-JP writes them.
const kanji = fc.tuple(fc.integer({ min: 0x30, max: 0x4e }), fc.integer({ min: 0x21, max: 0x7e }));
const run = fc.oneof(
  fc.record({ ascii: fc.stringMatching(/^[A-Za-z0-9 ]{1,8}$/) }),
  fc.record({ jis: fc.array(kanji, { minLength: 1, maxLength: 8 }) }),
);
type Run = { ascii: string } | { jis: Array<[number, number]> };

/** One complete ISO-2022-JP byte string (RFC 1468): an escape only where the character set changes, ends in ASCII. */
function encodeRuns(runs: readonly Run[]): number[] {
  const out: number[] = [];
  let jis = false;
  for (const r of runs) {
    if ('ascii' in r) {
      if (jis) out.push(0x1b, 0x28, 0x42);
      jis = false;
      out.push(...Buffer.from(r.ascii, 'ascii'));
    } else {
      if (!jis) out.push(0x1b, 0x24, 0x42);
      jis = true;
      out.push(...r.jis.flat());
    }
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return out;
}

describe('ISO-2022-JP subjects over several encoded words (item 16)', () => {
  // The platform's WHATWG decoder on the unsplit byte string is the oracle.
  const oracle = (bytes: number[]): string => new TextDecoder('iso-2022-jp').decode(Uint8Array.from(bytes));

  it('one self-contained word per run (what mailers write) decodes to the whole subject', () => {
    fc.assert(fc.property(fc.array(run, { minLength: 1, maxLength: 6 }), (runs) => {
      const words = runs.map((r) => `=?ISO-2022-JP?B?${b64(encodeRuns([r]))}?=`);
      const text = decodeWords(words.join('\r\n '));
      expect(text).toBe(runs.map((r) => oracle(encodeRuns([r]))).join(''));
      expect(text).not.toContain('\ufffd');
    }), params(161));
  });

  it('one byte string cut at arbitrary byte positions (characters split across words) decodes the same', () => {
    const cut = fc.array(run, { minLength: 1, maxLength: 6 }).chain((runs) => {
      const bytes = encodeRuns(runs);
      return fc.tuple(fc.constant(bytes), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 5 }));
    });
    fc.assert(fc.property(cut, ([bytes, cuts]) => {
      const at = [0, ...[...cuts].filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length];
      const words = at.slice(1).map((end, i) => `=?iso-2022-jp?B?${b64(bytes.slice(at[i], end))}?=`).filter((w) => !w.includes('??'));
      expect(decodeWords(words.join(' '))).toBe(oracle(bytes));
    }), params(162));
  });
});

// ---- Addresses ----------------------------------------------------------------------------------------
const ATEXT = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,6}$/;
const dotAtom = fc.array(fc.stringMatching(ATEXT), { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
const domain = fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 }).map((p) => `${p.join('.')}.test`);
/** Quoted local parts that are not dot-atoms: spaces, specials, escaped quotes. */
const quotedLocal = fc.stringMatching(/^[a-z0-9 ,;:<>@()"\\]{1,10}$/).filter((s) => !/^[a-z0-9]+(\.[a-z0-9]+)*$/.test(s));
const comment = fc.stringMatching(/^[a-z ]{0,8}$/).map((c) => `(${c})`);
const mailboxArb = fc.record({
  local: fc.oneof(fc.record({ atom: dotAtom }), fc.record({ quoted: quotedLocal })),
  domain,
  name: fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}[A-Za-z]$/), { nil: null }),
  comments: fc.array(fc.option(comment, { nil: null }), { minLength: 4, maxLength: 4 }),
});
type Mailbox = { local: { atom: string } | { quoted: string }; domain: string; name: string | null; comments: Array<string | null> };

const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;
/** The comparison form RFC 5322 §3.4.1 defines: a quoted local part stays quoted unless it is a dot-atom. */
const expectedAddress = (m: Mailbox): string => ('atom' in m.local ? m.local.atom : quote(m.local.quoted)) + '@' + m.domain;
const c = (m: Mailbox, i: number): string => m.comments[i] ?? '';
function render(m: Mailbox): string {
  const local = 'atom' in m.local ? m.local.atom : quote(m.local.quoted);
  const spec = `${c(m, 0)}${local}${c(m, 1)}@${c(m, 2)}${m.domain}${c(m, 3)}`;
  return m.name === null ? `<${spec}>` : `${m.name} ${c(m, 0)}<${spec}>`;
}

describe('RFC 5322 address lists (item 17)', () => {
  it('comments anywhere in CFWS are dropped, quoted local parts keep their quotes, names come through', () => {
    fc.assert(fc.property(fc.array(mailboxArb, { minLength: 1, maxLength: 5 }), (list) => {
      const parsed = parseAddressList(list.map(render).join(', '));
      expect(parsed.map((a) => a.address)).toEqual(list.map((m) => expectedAddress(m).toLowerCase()));
      // Runs of whitespace in a phrase are folding: one space (as Python's email package reads them).
      expect(parsed.map((a) => a.name)).toEqual(list.map((m) => (m.name ?? '').replace(/\s+/g, ' ')));
    }), params(171));
  });

  it('addr-specs separated by whitespace only are as many mailboxes as with commas', () => {
    const bare = fc.record({ local: dotAtom, domain });
    fc.assert(fc.property(fc.array(bare, { minLength: 1, maxLength: 5 }), fc.constantFrom(' ', '  ', '\r\n '), (list, sep) => {
      const specs = list.map((b) => `${b.local}@${b.domain}`);
      expect(parseAddressList(specs.join(sep)).map((a) => a.address)).toEqual(parseAddressList(specs.join(', ')).map((a) => a.address));
      expect(parseAddressList(specs.join(sep))).toHaveLength(list.length);
    }), params(172));
  });

  it('arbitrary text never throws; every address is lower-cased with no whitespace outside quotes and domain literals', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      for (const a of parseAddressList(s)) {
        expect(a.address).toBe(a.address.toLowerCase());
        expect(a.address.replace(/"(?:[^"\\]|\\.)*"/g, '').replace(/\[[^\]]*\]?/g, '')).not.toMatch(/\s/);
      }
    }), params(173));
  });
});

// ---- Line ends ----------------------------------------------------------------------------------------
describe('CRLF, LF and bare-CR line ends (item 21)', () => {
  const field = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/), fc.stringMatching(/^[ -~]{0,40}$/).map((v) => v.trim()));
  it('give the same header fields and the same body', () => {
    fc.assert(fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), fc.stringMatching(/^[a-z ]{0,30}$/), (fields, body) => {
      const results = ['\r\n', '\n', '\r'].map((eol) => {
        const raw = Buffer.from(`${fields.map(([k, v]) => `${k}: ${v}`).join(eol)}${eol}${eol}${body}`, 'latin1');
        const h = splitHeaderBlock(new Uint8Array(raw));
        return { fields: h.fields.map((f) => [f.key, f.value]), body: raw.subarray(h.bodyOffset).toString('latin1') };
      });
      expect(results[0]?.fields).toEqual(fields.map(([k, v]) => [k.toLowerCase(), v]));
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    }), params(211));
  });
});

// ---- Auto-Submitted -----------------------------------------------------------------------------------
describe('Auto-Submitted with comments (item 18)', () => {
  const none = { precedence: null, xAutoreply: null, xAutorespond: null, xAutoresponder: null, xAppleAction: null, subject: 'Hello' };
  it('the keyword alone decides, whatever comments surround it', () => {
    const keyword = fc.constantFrom('no', 'No', 'NO', 'auto-replied', 'auto-generated', 'auto-notified');
    fc.assert(fc.property(keyword, fc.array(comment, { maxLength: 3 }), fc.boolean(), (kw, comments, params_) => {
      const value = `${comments[0] ?? ''} ${kw} ${comments.slice(1).join(' ')}${params_ ? '; owner-email="a@b.test"' : ''}`;
      const reasons = autoReplyReasons({ ...none, autoSubmitted: value });
      expect(reasons).toEqual(kw.toLowerCase() === 'no' ? [] : [`Auto-Submitted: ${kw.toLowerCase()}`]);
    }), params(181));
  });
});

// ---- S/MIME -------------------------------------------------------------------------------------------
describe('S/MIME bodies without smime-type (item 19)', () => {
  const SIGNED = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
  const ENVELOPED = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];
  /** A ContentInfo header with any of the BER length forms, then random content. */
  const contentInfo = fc.tuple(
    fc.constantFrom('signed', 'enveloped'),
    fc.oneof(fc.constant([0x80]), fc.integer({ min: 0x0b, max: 0x7f }).map((n) => [n]), fc.integer({ min: 1, max: 4 }).chain((k) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: k, maxLength: k }).map((b) => [0x80 + k, ...b]))),
    fc.uint8Array({ maxLength: 600 }),
  );
  const message = (body: Uint8Array, lineLength: number): Uint8Array => {
    const text = Buffer.from(body).toString('base64').replace(new RegExp(`(.{${lineLength}})`, 'g'), '$1\r\n');
    return new Uint8Array(Buffer.from(`From: a@x.test\r\nSubject: s\r\nContent-Type: application/x-pkcs7-mime; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n${text}\r\n`));
  };

  it('signedData is opaque-signed and envelopedData encrypted, whatever the length form and base64 line length', () => {
    fc.assert(fc.property(contentInfo, fc.integer({ min: 4, max: 76 }), ([kind, len, rest], lineLength) => {
      const der = Uint8Array.from([0x30, ...len, ...(kind === 'signed' ? SIGNED : ENVELOPED), ...rest]);
      expect(cmsContentType(der)).toBe(kind === 'signed' ? 'signed-data' : 'enveloped-data');
      const flags = parseMessage(message(der, lineLength)).flags;
      expect({ opaque: flags.smimeOpaqueSigned, encrypted: flags.smimeEncrypted }).toEqual({ opaque: kind === 'signed', encrypted: kind !== 'signed' });
    }), params(191));
  });

  it('random bytes never throw and are either a known CMS type or the legacy default (encrypted)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const flags = parseMessage(message(bytes, 64)).flags;
      expect(flags.smimeOpaqueSigned !== flags.smimeEncrypted || (!flags.smimeOpaqueSigned && cmsContentType(bytes) === 'compressed-data')).toBe(true);
    }), params(192));
  });
});
