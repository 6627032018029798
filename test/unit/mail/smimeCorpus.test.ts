// Issue 12 item 19: application/x-pkcs7-mime without smime-type. RFC 8551 §3.2.2 has the receiver read the
// CMS content type; the real 1996–97 interop messages in MimeKit's content-length.mbox.txt carry both kinds.
// Expected kinds come from `openssl asn1parse` of each body (independently of this code): 3 signedData.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cmsContentType, smimeFlags } from '../../../core/mail/classify.js';
import { replay } from '../../../core/engine/replay/replay.js';
import { parseMessage, toFacts } from '../../../core/mail/facts.js';
import { parseContentType } from '../../../core/mail/mime.js';
import { sharedPath } from '../../support/shared.js';
import { input, mailbox } from '../replay/helpers.js';

const mbox = sharedPath('corpora/jstedfast__MimeKit/UnitTests/TestData/mbox/content-length.mbox.txt', 'S/MIME corpus test');

/** Messages of an mbox: split at lines starting with "From " (the mbox definition), separator line dropped. */
function split(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  return text.split(/^From [^\n]*\n/m).slice(1).map((m) => Buffer.from(m, 'latin1'));
}

const OPENSSL_KINDS: Record<string, 'signed' | 'enveloped'> = {
  'Re: can you send me an encrypted message?': 'enveloped',
  'Ready for interoperability testing.': 'signed',
  'very cool': 'enveloped',
  'testing out some new stuff': 'enveloped',
  encrypted: 'enveloped',
  'Deming Software -- ready to go!': 'signed',
  "Frontier Technologies testing, here's my cert": 'signed',
};

describe.skipIf(!mbox)('legacy S/MIME without smime-type, real messages', () => {
  it('calls signedData opaque-signed and envelopedData encrypted, as the CMS content type says', () => {
    const found: Record<string, string> = {};
    for (const m of split(fs.readFileSync(mbox as string))) {
      const p = parseMessage(new Uint8Array(m));
      if (p.contentType.mimeType !== 'application/x-pkcs7-mime') continue;
      expect(p.contentType.params['smime-type']).toBeUndefined();
      found[p.subject] = p.flags.smimeOpaqueSigned ? 'signed' : p.flags.smimeEncrypted ? 'enveloped' : 'neither';
      expect(p.flags.smimeOpaqueSigned && p.flags.smimeEncrypted).toBe(false);
    }
    expect(found).toEqual(OPENSSL_KINDS);
    expect(Object.values(found).filter((k) => k === 'signed')).toHaveLength(3);
  });
});

describe('CMS content type (RFC 5652 ContentInfo)', () => {
  // SEQUENCE, then OBJECT IDENTIFIER 1.2.840.113549.1.7.2 / .3 (DER of the OIDs from RFC 5652 §5.1, §6.1).
  const signed = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
  const enveloped = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];

  it('reads the OID after a definite (short or long) or an indefinite outer length', () => {
    expect(cmsContentType(new Uint8Array([0x30, 0x82, 0x04, 0x10, ...signed, 0xa0]))).toBe('signed-data');
    expect(cmsContentType(new Uint8Array([0x30, 0x80, ...enveloped, 0xa0, 0x80]))).toBe('enveloped-data');
    expect(cmsContentType(new Uint8Array([0x30, 0x20, ...signed]))).toBe('signed-data');
  });

  it('returns null for bytes that are not a ContentInfo, and the flags then keep the legacy default (encrypted)', () => {
    expect(cmsContentType(new Uint8Array([0x31, 0x80, ...signed]))).toBeNull();
    expect(cmsContentType(new Uint8Array([0x30, 0x85, 1, 2, 3, 4, 5, ...signed]))).toBeNull();
    expect(cmsContentType(new Uint8Array([0x30, 0x80, 0x06, 0x09, 0x2a]))).toBeNull();
    expect(cmsContentType(new Uint8Array([]))).toBeNull();
    const ct = parseContentType('application/x-pkcs7-mime; name=smime.p7m');
    expect(smimeFlags(ct, new Uint8Array([1, 2, 3]))).toMatchObject({ encrypted: true, opaqueSigned: false, smimeType: null });
    expect(smimeFlags(ct, new Uint8Array([0x30, 0x80, ...signed]))).toMatchObject({ encrypted: false, opaqueSigned: true });
  });

  it('lets a declared smime-type win over the content', () => {
    const ct = parseContentType('application/pkcs7-mime; smime-type=enveloped-data');
    expect(smimeFlags(ct, new Uint8Array([0x30, 0x80, ...signed]))).toMatchObject({ encrypted: true, opaqueSigned: false, smimeType: 'enveloped-data' });
  });
});

describe('the Why trace names the S/MIME type the message declares (issue 12 item 24)', () => {
  const raw = (ct: string): Uint8Array => new TextEncoder().encode(
    `From: bob@fabrikam.com\r\nTo: alice@contoso.com\r\nSubject: signed\r\nMessage-ID: <s1@fabrikam.com>\r\nDate: Mon, 4 Mar 2024 08:00:00 +0000\r\nContent-Type: ${ct}\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQE=\r\n`);

  it.each([
    ['application/x-pkcs7-mime; smime-type=signed-data; name=smime.p7m', 'opaque-signed (application/x-pkcs7-mime)'],
    ['application/x-pkcs7-mime; name=smime.p7m', 'opaque-signed (application/x-pkcs7-mime)'],
    ['application/pkcs7-mime; smime-type=enveloped-data', 'encrypted (application/pkcs7-mime)'],
  ])('%s', (ct, expected) => {
    const facts = toFacts(parseMessage(raw(ct)), { key: 'm1', mailbox: 'alice@contoso.com', folder: 'Inbox', order: 0 });
    const r = replay(input([facts], { mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] }));
    const d = r.decisions[0];
    expect(d?.outcome).toBe('UnsupportedEncrypted');
    const step = d?.trace.find((s) => s.stage === 'Format');
    expect(step?.detail).toContain(`S/MIME ${expected}`);
  });
});
