import { describe, expect, it } from 'vitest';
import { extractFacts, parseMessage } from '../../../core/mail/facts.js';
import { bytes, fixture } from './helpers.js';

const ctx = { key: 'k1', mailbox: 'alice@example.com', folder: 'Inbox', order: 3 };

describe('extractFacts on hand-written messages', () => {
  it('decodes RFC 2047 subjects and names, folded headers, groups, and takes the newest Received date', () => {
    for (const name of ['encoded-headers.eml', 'encoded-headers-crlf.eml']) {
      const f = extractFacts(fixture(name), ctx);
      expect(f.subject).toBe('Réunion de suivi (€) and café crème plain');
      expect(f.from).toBe('pirard@example.be');
      expect(f.to).toEqual(['keld@example.dk', 'mikhail@example.ru']);
      expect(f.cc).toEqual(['one@example.org', 'two@example.org', 'three@example.org']);
      expect(f.replyTo).toEqual(['sales@example.com']);
      expect(f.date).toBe('2024-05-14T07:59:58.000Z');
      // The top-most Received header is the newest hop (10:00:05 +0200).
      expect(f.received).toBe('2024-05-14T08:00:05.000Z');
      expect(f.headers['reply-to']).toBe('"Sales (shared)" <sales@example.com>');
      expect(f).toMatchObject({ key: 'k1', mailbox: 'alice@example.com', folder: 'Inbox', order: 3 });
    }
    expect(parseMessage(fixture('encoded-headers.eml')).from?.name).toBe('André Pirard');
  });

  it('keeps a broken Date raw and flags it; reads obsolete dates', () => {
    const p = parseMessage(fixture('broken-date.eml'));
    expect(p.dateRaw).toBe('sometime next week, maybe');
    expect(p.date).toBeNull();
    expect(p.flags.badDate).toBe(true);
    expect(p.defects.some((d) => d.includes('unreadable Date'))).toBe(true);
    const o = extractFacts(fixture('obsolete-date.eml'), ctx);
    expect(o.date).toBe('2003-07-01T14:52:00.000Z');
    expect(o.flags.badDate).toBe(false);
  });

  it('never invents a Message-ID', () => {
    const f = extractFacts(fixture('no-message-id.eml'), ctx);
    expect(f.messageId).toBeNull();
    expect(f.flags.missingMessageId).toBe(true);
  });

  it('Exchange auto-reply: Auto-Submitted and subject prefix, In-Reply-To, References, Thread-Index, token subject', () => {
    const f = extractFacts(fixture('auto-reply-exchange.eml'), ctx);
    expect(f.flags.autoReply).toBe(true);
    expect(f.flags.autoReplyReasons).toEqual(['Auto-Submitted: auto-replied', 'subject starts with "Automatic reply:"']);
    expect(f.inReplyTo).toBe('<orig.1@example.com>');
    expect(f.references).toEqual(['<root.1@example.com>', '<orig.1@example.com>']);
    expect(f.threadIndex).toBe('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
    expect(f.threadTopic).toBe('Contract renewal');
    expect(f.headers['x-auto-response-suppress']).toBe('All');
    expect(f.subject).toContain('CRM:0001007');
  });

  it('X-Auto-Response-Suppress and Precedence: bulk alone are not auto-reply markers (research §7)', () => {
    expect(extractFacts(fixture('suppress-only.eml'), ctx).flags.autoReply).toBe(false);
  });

  it('Apple vacation and X-Autoreply / X-Autorespond / Precedence auto_reply', () => {
    expect(extractFacts(fixture('apple-vacation.eml'), ctx).flags.autoReplyReasons).toHaveLength(4);
  });

  it('S/MIME: encrypted, opaque-signed and clear-signed (research §9.3)', () => {
    expect(extractFacts(fixture('smime-encrypted.eml'), ctx).flags).toMatchObject({ smimeEncrypted: true, smimeOpaqueSigned: false, smimeSigned: false });
    expect(extractFacts(fixture('smime-opaque-signed.eml'), ctx).flags).toMatchObject({ smimeEncrypted: false, smimeOpaqueSigned: true });
    const clear = parseMessage(fixture('smime-clear-signed.eml'));
    expect(clear.flags).toMatchObject({ smimeSigned: true, smimeEncrypted: false });
    expect(clear.protocol).toBe('application/pkcs7-signature');
  });

  it('PEC envelope: flagged, and postacert.eml found as an inner message with its own ids (research §9.2)', () => {
    const raw = fixture('pec-envelope.eml');
    const p = parseMessage(raw);
    expect(p.flags.pec).toBe(true);
    expect(p.flags.pecReceipt).toBe(false);
    expect(p.flags.smimeSigned).toBe(true);
    expect(p.flags.hasForwardedMessage).toBe(true);
    expect(p.headers['x-riferimento-message-id']).toBe('<original.77@pec.example.it>');
    expect(p.replyTo.map((a) => a.address)).toEqual(['mario.rossi@pec.example.it']);
    expect(p.inner).toHaveLength(1);
    const ref = p.inner[0];
    expect(ref?.filename).toBe('postacert.eml');
    // IMAP numbering: part 1 (multipart/mixed) of the signed message, its third sub-part.
    expect(ref?.path).toBe('1.3');
    const inner = parseMessage(raw.subarray(ref?.offset, (ref?.offset ?? 0) + (ref?.length ?? 0)));
    expect(inner.messageId).toBe('<original.77@pec.example.it>');
    expect(inner.inReplyTo).toBe('<crm.sent.1@crm.example.org>');
    expect(inner.subject).toBe('Re: Offerta CRM:0002011');
    // The byte range ends where the boundary delimiter's line break begins (RFC 2046 §5.1.1).
    expect(new TextDecoder().decode(raw.subarray(ref?.offset, (ref?.offset ?? 0) + (ref?.length ?? 0)))).toMatch(/^From: mario[\s\S]*Testo della risposta\.$/);
  });

  it('PEC receipt is flagged as a receipt, not an envelope', () => {
    expect(extractFacts(fixture('pec-receipt.eml'), ctx).flags).toMatchObject({ pec: false, pecReceipt: true });
  });

  it('forward-as-attachment: forward subject, and inner messages in 7bit and base64', () => {
    const p = parseMessage(fixture('forward-as-attachment.eml'));
    expect(p.flags.forwardSubject).toBe(true);
    expect(p.flags.hasForwardedMessage).toBe(true);
    expect(p.inner.map((i) => [i.path, i.encoding])).toEqual([['2', '7bit'], ['3', 'base64']]);
    expect(p.inner[0]?.filename).toBe('Pricing update.eml');
  });

  it('raw 8-bit Latin-1 header bytes are read, with a defect noted', () => {
    const p = parseMessage(fixture('raw-latin1-header.eml'));
    expect(p.subject).toBe('Café au lait');
    expect(p.from?.name).toBe('José');
    expect(p.defects.some((d) => d.includes('8-bit'))).toBe(true);
  });

  it('never throws on garbage', () => {
    for (const g of [new Uint8Array(0), Uint8Array.from([0, 1, 2, 255, 254, 10, 10]), bytes(':\n:\n\n'), bytes('Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n')]) {
      expect(() => parseMessage(g)).not.toThrow();
    }
  });
});
