// multipart/digest (RFC 2046 §5.1.5): a part of a digest without its own Content-Type is a message/rfc822
// part, so it is an inner message exactly like an explicit message/rfc822 part; everywhere else a part
// without Content-Type is text/plain (RFC 2045 §5.2). A message whose whole body is a message (top-level
// message/rfc822) encapsulates it the same way. Hand-written messages, plus the real digest of the MimeKit
// corpus (read in place from the shared folder).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage, type ParsedMessage } from '../../../core/mail/facts.js';
import { bytes } from './helpers.js';
import { sharedPath } from '../../support/shared.js';

/** The bytes of an inner message, read back through its byte range. */
function innerAt(raw: Uint8Array, p: ParsedMessage, i: number): ParsedMessage {
  const ref = p.inner[i];
  if (!ref) throw new Error(`no inner message ${i}`);
  return parseMessage(raw.subarray(ref.offset, ref.offset + ref.length));
}

const crlf = (lines: string[]): Uint8Array => bytes(lines.join('\r\n'));

describe('multipart/digest parts default to message/rfc822', () => {
  // RFC 2046 §5.1.5's own example layout: each part starts with a blank line (no part headers), then the message.
  const digest = crlf([
    'From: Moderator <moderator@lists.example.org>',
    'To: subscribers@lists.example.org',
    'Subject: Digest, Vol 4, Issue 2',
    'Message-ID: <digest.4.2@lists.example.org>',
    'Date: Tue, 3 Sep 2024 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Today\'s topics: two messages.',
    '--outer',
    'Content-Type: multipart/digest; boundary="dig"',
    '',
    'preamble is ignored',
    '--dig',
    '',
    'From: Ana <ana@example.com>',
    'Subject: First post',
    'Message-ID: <first@example.com>',
    'Date: Mon, 2 Sep 2024 10:00:00 +0000',
    '',
    'Hello list.',
    '--dig',
    'Content-Description: the second message (part headers, still no Content-Type)',
    '',
    'From: Ben <ben@example.com>',
    'Subject: Re: First post',
    'Message-ID: <second@example.com>',
    'In-Reply-To: <first@example.com>',
    'Date: Mon, 2 Sep 2024 11:00:00 +0000',
    '',
    'Hello Ana.',
    '--dig',
    'Content-Type: text/plain',
    '',
    'An explicit text part inside the digest stays text.',
    '--dig--',
    '',
    '--outer',
    '',
    'A part without Content-Type outside a digest is text/plain, not a message.',
    'From: not-a-header@example.com',
    '--outer--',
    '',
  ]);

  it('finds the two digest messages as inner messages with their own headers, by MIME path', () => {
    const p = parseMessage(digest);
    expect(p.inner.map((i) => i.path)).toEqual(['2.1', '2.2']);
    expect(p.flags.hasForwardedMessage).toBe(true);
    const first = innerAt(digest, p, 0);
    expect(first.messageId).toBe('<first@example.com>');
    expect(first.subject).toBe('First post');
    expect(first.from?.address).toBe('ana@example.com');
    const second = innerAt(digest, p, 1);
    expect(second.messageId).toBe('<second@example.com>');
    expect(second.inReplyTo).toBe('<first@example.com>');
    expect(second.subject).toBe('Re: First post');
    // The inner range ends before the boundary's line break: the body is exactly the message's.
    const ref = p.inner[1]!;
    expect(new TextDecoder().decode(digest.subarray(ref.offset, ref.offset + ref.length)).endsWith('Hello Ana.')).toBe(true);
  });

  it('records the defaulted type of each part; the explicit text part and the part outside the digest are text', () => {
    const p = parseMessage(digest);
    expect(p.mimeTypes).toEqual(['multipart/mixed', 'text/plain', 'multipart/digest', 'message/rfc822', 'message/rfc822', 'text/plain', 'text/plain']);
    expect(p.defects.filter((d) => /part|boundary/.test(d))).toEqual([]);
  });

  it('a top-level multipart/digest with an explicit message/rfc822 part and a defaulted one treats both alike', () => {
    const raw = crlf([
      'From: a@example.com', 'Subject: d', 'Message-ID: <d@example.com>', 'Date: Tue, 3 Sep 2024 08:00:00 +0000',
      'MIME-Version: 1.0', 'Content-Type: multipart/digest; boundary=b', '',
      '--b', 'Content-Type: message/rfc822', '', 'From: x@example.com', 'Subject: explicit', '', 'x',
      '--b', '', 'From: y@example.com', 'Subject: defaulted', '', 'y',
      '--b--', '',
    ]);
    const p = parseMessage(raw);
    expect(p.inner.map((i) => i.path)).toEqual(['1', '2']);
    expect([innerAt(raw, p, 0).subject, innerAt(raw, p, 1).subject]).toEqual(['explicit', 'defaulted']);
  });

  it('a top-level message/rfc822 body is one encapsulated message (part 1)', () => {
    const raw = crlf([
      'From: gateway@example.com', 'Message-ID: <wrap@example.com>', 'Date: Tue, 3 Sep 2024 08:00:00 +0000',
      'MIME-Version: 1.0', 'Content-Type: message/rfc822', '',
      'From: orig@example.com', 'Subject: wrapped', 'Message-ID: <orig@example.com>', '', 'body', '',
    ]);
    const p = parseMessage(raw);
    expect(p.inner.map((i) => [i.path, i.encoding])).toEqual([['1', '7bit']]);
    expect(innerAt(raw, p, 0).messageId).toBe('<orig@example.com>');
  });
});

const corpusFile = sharedPath('corpora/jstedfast__MimeKit/UnitTests/TestData/messages/multipart-digest.txt', 'the MimeKit digest test') ?? '';
const present = corpusFile !== '';

describe('the MimeKit corpus digest (multipart-digest.txt)', () => {
  it.skipIf(!present)('a message/rfc822 wrapper around a digest of two messages: each level found with its subject', () => {
    const file = new Uint8Array(fs.readFileSync(corpusFile));
    // The file is one mbox entry: its first line is the "From " separator, not part of the message.
    expect(new TextDecoder().decode(file.subarray(0, 5))).toBe('From ');
    const raw = file.subarray(file.indexOf(10) + 1);
    const outer = parseMessage(raw);
    expect(outer.contentType.mimeType).toBe('message/rfc822');
    expect(outer.inner.map((i) => i.path)).toEqual(['1']);
    const sub = innerAt(raw, outer, 0);
    expect(sub.subject).toBe('submsg');
    expect(sub.contentType.mimeType).toBe('multipart/digest');
    expect(sub.contentType.params.boundary).toBe('foo');
    const subRaw = raw.subarray(outer.inner[0]!.offset, outer.inner[0]!.offset + outer.inner[0]!.length);
    // Its delimiter lines carry trailing blanks ("--foo "), which RFC 2046 §5.1.1 allows.
    expect(sub.inner.map((i) => i.path)).toEqual(['1', '2']);
    expect([innerAt(subRaw, sub, 0), innerAt(subRaw, sub, 1)].map((m) => [m.from?.address, m.subject])).toEqual([
      ['m1@example.com', 'm1'],
      ['m2@example.com', 'm2'],
    ]);
    expect(sub.defects.filter((d) => /boundary|part/.test(d))).toEqual([]);
  });
});
