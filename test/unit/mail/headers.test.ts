import { describe, expect, it } from 'vitest';
import { findHeaderEnd, getAllHeaders, getHeader, parseMsgIdList, splitHeaderBlock } from '../../../core/mail/headers.js';
import { parseMessage } from '../../../core/mail/facts.js';
import { bytes } from './helpers.js';

describe('header block', () => {
  it('unfolds continuation lines (RFC 5322 §2.2.3) and finds the body after the blank line', () => {
    const raw = bytes('Subject: one\r\n two\r\n\tthree\r\nTo: a@b.c\r\n\r\nBody\r\n');
    const h = splitHeaderBlock(raw);
    expect(getHeader(h.fields, 'subject')).toBe('one two\tthree');
    expect(new TextDecoder().decode(raw.subarray(h.bodyOffset))).toBe('Body\r\n');
  });

  it('reads bare-CR line ends as line ends, not one long field (issue 12 item 21)', () => {
    const raw = bytes('From: a@x.org\rTo: b@y.org\rSubject: one\r two\rMessage-ID: <m1@x.org>\r\rBody\rline 2\r');
    const h = splitHeaderBlock(raw);
    expect(h.fields.map((f) => [f.key, f.value])).toEqual([['from', 'a@x.org'], ['to', 'b@y.org'], ['subject', 'one two'], ['message-id', '<m1@x.org>']]);
    expect(new TextDecoder().decode(raw.subarray(h.bodyOffset))).toBe('Body\rline 2\r');
    expect(h.defects.some((d) => /bare CR/.test(d))).toBe(true);
    // CR CR LF (a CRLF converted twice) stays one line end, not the end of the header block.
    const doubled = splitHeaderBlock(bytes('A: 1\r\r\nB: 2\r\r\n\r\nbody'));
    expect(doubled.fields.map((f) => [f.key, f.value])).toEqual([['a', '1'], ['b', '2']]);
  });

  it('finds the MIME parts of a bare-CR multipart message (a forwarded message inside)', () => {
    const text = ['From: a@x.org', 'Subject: fwd', 'Message-ID: <o@x.org>', 'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'see below', '--b1', 'Content-Type: message/rfc822', '',
      'From: c@z.org', 'Subject: inner', 'Message-ID: <i@z.org>', '', 'inner body', '--b1--', ''].join('\r');
    const p = parseMessage(bytes(text));
    expect(p.mimeTypes).toEqual(['multipart/mixed', 'text/plain', 'message/rfc822']);
    expect(p.inner).toHaveLength(1);
    const inner = parseMessage(bytes(text).subarray(p.inner[0]?.offset, (p.inner[0]?.offset ?? 0) + (p.inner[0]?.length ?? 0)));
    expect(inner.subject).toBe('inner');
    expect(p.defects.filter((d) => /boundary|multipart/.test(d))).toEqual([]);
  });

  it('handles LF-only and mixed line ends the same way', () => {
    const lf = splitHeaderBlock(bytes('A: 1\n  cont\nB: 2\n\nbody'));
    const mixed = splitHeaderBlock(bytes('A: 1\r\n  cont\nB: 2\r\n\nbody'));
    expect(lf.fields.map((f) => [f.key, f.value])).toEqual([['a', '1  cont'], ['b', '2']]);
    expect(mixed.fields.map((f) => [f.key, f.value])).toEqual([['a', '1  cont'], ['b', '2']]);
    expect(findHeaderEnd(bytes('A: 1\n\nbody'))).toEqual([5, 6]);
  });

  it('treats a message without a blank line as all headers', () => {
    const raw = bytes('A: 1\r\nB: 2');
    expect(splitHeaderBlock(raw).bodyOffset).toBe(raw.length);
  });

  it('keeps repeated fields in order and reports lines that are not fields as defects', () => {
    const h = splitHeaderBlock(bytes('Received: one\nReceived: two\nthis is not a header\nX: y\n\n'));
    expect(getAllHeaders(h.fields, 'received')).toEqual(['one', 'two']);
    expect(h.defects.some((d) => d.includes('not a header field'))).toBe(true);
    expect(getHeader(h.fields, 'x')).toBe('y');
  });

  it('skips an mbox "From " separator line left in front of the headers', () => {
    const h = splitHeaderBlock(bytes('From someone@example.com Mon May 20 10:00:00 2024\nSubject: s\n\n'));
    expect(h.fields.map((f) => f.key)).toEqual(['subject']);
  });

  it('reads raw 8-bit headers as UTF-8 when valid, else as windows-1252', () => {
    const utf8 = splitHeaderBlock(bytes('Subject: Café\n\n'));
    expect(getHeader(utf8.fields, 'subject')).toBe('Café');
    const latin = splitHeaderBlock(Uint8Array.from([...bytes('Subject: Caf'), 0xe9, 10, 10]));
    expect(getHeader(latin.fields, 'subject')).toBe('Café');
    expect(latin.eightBitLegacy).toBe(true);
  });

  it('parses message-id lists with comments, folding and missing brackets', () => {
    expect(parseMsgIdList('<a@x> (comment <no@x>)\r\n <b@y>')).toEqual(['<a@x>', '<b@y>']);
    expect(parseMsgIdList('bare@id.example')).toEqual(['<bare@id.example>']);
    expect(parseMsgIdList('<9209252113.AA00975@ ebony >')).toEqual(['<9209252113.AA00975@ebony>']);
    expect(parseMsgIdList('')).toEqual([]);
  });
});
