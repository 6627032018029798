import { describe, expect, it } from 'vitest';
import { decodeWords } from '../../../core/mail/rfc2047.js';

// Examples from RFC 2047 §8 plus charsets real mail uses.
describe('RFC 2047 encoded words', () => {
  it('decodes the RFC 2047 §8 examples', () => {
    expect(decodeWords('=?ISO-8859-1?Q?Andr=E9?= Pirard')).toBe('André Pirard');
    expect(decodeWords('(=?ISO-8859-1?Q?a?=)')).toBe('(a)');
    expect(decodeWords('(=?ISO-8859-1?Q?a?= b)')).toBe('(a b)');
    expect(decodeWords('(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(decodeWords('(=?ISO-8859-1?Q?a?=  \r\n  =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(decodeWords('(=?ISO-8859-1?Q?a_b?=)')).toBe('(a b)');
    expect(decodeWords('(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)')).toBe('(a b)');
  });

  it('decodes base64 words and joins a UTF-8 character split across two words', () => {
    // "€" is E2 82 AC; the first word ends after E2 82, the second starts with AC.
    const first = btoa(String.fromCharCode(0x41, 0xe2, 0x82));
    const second = btoa(String.fromCharCode(0xac, 0x42));
    expect(decodeWords(`=?UTF-8?B?${first}?= =?UTF-8?B?${second}?=`)).toBe('A€B');
  });

  it('decodes legacy charsets through TextDecoder', () => {
    expect(decodeWords('=?koi8-r?B?8NLJ18XU?=')).toBe('Привет');
    expect(decodeWords('=?iso-2022-jp?B?GyRCJEckOSEjGyhC?=')).toBe('です。');
    expect(decodeWords('=?windows-1252?Q?=80_price?=')).toBe('€ price');
  });

  it('accepts an RFC 2231 language suffix and leaves unknown charsets readable', () => {
    expect(decodeWords('=?utf-8*en?Q?hello?=')).toBe('hello');
    expect(decodeWords('=?x-unknown?Q?abc?=')).toBe('abc');
  });

  it('leaves text that is not an encoded word alone', () => {
    expect(decodeWords('=?not an encoded word')).toBe('=?not an encoded word');
    expect(decodeWords('plain subject')).toBe('plain subject');
  });
});

describe('ISO-2022-JP subjects split over several encoded words (issue 12 item 16)', () => {
  // JIS X 0208 rows: で 0x2447, す 0x2439, 。 0x2123. Each word is a complete ISO-2022-JP string (ESC $ B … ESC ( B),
  // as ISO-2022-JP mailers write them; Python's email.header gives "です。" for these words.
  const jis = (hex: string): string => btoa(String.fromCharCode(...(hex.match(/../g) as string[]).map((h) => parseInt(h, 16))));
  const w1 = jis('1b2442244724391b2842');
  const w2 = jis('1b244221231b2842');

  it('joins the words without a replacement character at the join', () => {
    expect(decodeWords(`=?ISO-2022-JP?B?${w1}?= =?ISO-2022-JP?B?${w2}?=`)).toBe('です。');
    expect(decodeWords(`=?iso-2022-jp?B?${w1}?=\r\n =?iso-2022-jp?B?${w2}?= =?iso-2022-jp?B?${w1}?=`)).toBe('です。です');
  });

  it('still joins a two-byte character split across two words', () => {
    // "で" + the first byte of "す" in one word, the second byte of "す" and "。" in the next.
    expect(decodeWords(`=?ISO-2022-JP?B?${jis('1b2442244724')}?= =?ISO-2022-JP?B?${jis('39212321231b2842')}?=`)).toBe('です。。');
  });

  it('keeps an escape that is not followed by another one', () => {
    expect(decodeWords(`=?ISO-2022-JP?B?${w1}?= =?ISO-2022-JP?Q?abc?=`)).toBe('ですabc');
  });
});
