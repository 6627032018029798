import { describe, expect, it } from 'vitest';
import { autoReplyReasons, isForwardSubject, pecKind, smimeFlags } from '../../../core/mail/classify.js';
import { parseContentType } from '../../../core/mail/mime.js';

const none = { autoSubmitted: null, precedence: null, xAutoreply: null, xAutorespond: null, xAutoresponder: null, xAppleAction: null, subject: 'Hello' };

describe('auto-reply detection (SIMULATOR §6, research §7)', () => {
  it('Auto-Submitted other than "no" marks an auto-reply, with or without parameters', () => {
    expect(autoReplyReasons({ ...none, autoSubmitted: 'auto-replied' })).toEqual(['Auto-Submitted: auto-replied']);
    expect(autoReplyReasons({ ...none, autoSubmitted: 'auto-generated; type=vacation' })).toEqual(['Auto-Submitted: auto-generated']);
    expect(autoReplyReasons({ ...none, autoSubmitted: 'no' })).toEqual([]);
  });

  it('Auto-Submitted "no" with a comment is still no (RFC 3834 §5 allows CFWS; issue 12 item 18)', () => {
    expect(autoReplyReasons({ ...none, autoSubmitted: 'no (sent by a person)' })).toEqual([]);
    expect(autoReplyReasons({ ...none, autoSubmitted: '(comment) No' })).toEqual([]);
    expect(autoReplyReasons({ ...none, autoSubmitted: 'auto-replied (vacation)' })).toEqual(['Auto-Submitted: auto-replied']);
  });

  it('Precedence counts only as auto_reply, not bulk or list', () => {
    expect(autoReplyReasons({ ...none, precedence: 'auto_reply' })).toHaveLength(1);
    expect(autoReplyReasons({ ...none, precedence: 'bulk' })).toEqual([]);
  });

  it('X-Autoreply, X-Autorespond and X-Apple-Action: vacation mark auto-replies', () => {
    expect(autoReplyReasons({ ...none, xAutoreply: 'yes', xAutorespond: 'x', xAppleAction: 'vacation' })).toHaveLength(3);
    expect(autoReplyReasons({ ...none, xAppleAction: 'other' })).toEqual([]);
  });

  it('subject prefixes from research §7', () => {
    for (const s of ['Auto: x', 'Auto Response: x', 'Automatic reply: x', 'Out of Office: x', 'out of the office: x']) {
      expect(autoReplyReasons({ ...none, subject: s })).toHaveLength(1);
    }
    expect(autoReplyReasons({ ...none, subject: 'Automatic replies are great' })).toEqual([]);
  });
});

describe('forward subjects', () => {
  it('FW:/Fwd: and localised forward prefixes, also after reply prefixes', () => {
    for (const s of ['FW: x', 'Fwd: x', 'fwd:x', 'RE: FW: x', 'WG: x', 'TR: x', 'R: R: I: x']) expect(isForwardSubject(s)).toBe(true);
    for (const s of ['RE: x', 'x FW: y', 'Forward planning', 'Re: Fwdx']) expect(isForwardSubject(s)).toBe(false);
  });
});

describe('S/MIME and PEC (research §9)', () => {
  it('maps pkcs7-mime smime-types and multipart/signed protocols', () => {
    expect(smimeFlags(parseContentType('application/pkcs7-mime; smime-type=enveloped-data'))).toMatchObject({ encrypted: true, opaqueSigned: false });
    expect(smimeFlags(parseContentType('application/x-pkcs7-mime; smime-type="signed-data"'))).toMatchObject({ encrypted: false, opaqueSigned: true });
    expect(smimeFlags(parseContentType('multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary=x'))).toMatchObject({ signed: true, encrypted: false });
    expect(smimeFlags(parseContentType('multipart/signed; protocol="application/pgp-signature"; boundary=x')).signed).toBe(false);
  });

  it('X-Trasporto is an envelope (errore = anomaly), X-Ricevuta a receipt', () => {
    expect(pecKind('posta-certificata', null)).toBe('envelope');
    expect(pecKind('errore', null)).toBe('anomaly');
    expect(pecKind(null, 'avvenuta-consegna')).toBe('receipt');
    expect(pecKind(null, null)).toBeNull();
  });
});
