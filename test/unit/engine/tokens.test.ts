import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { appendToken, formatToken, normalizeToken, parseTokens, subjectTokenKeys, TokenIssuer } from '../../../core/engine/primitives/tokens.js';

const S = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

describe('formatToken (research §3.1)', () => {
  it('default settings: first user, first counter is CRM:0001001', () => {
    const r = formatToken(S(), 1, 1);
    expect(r.ok && r.token).toBe('CRM:0001001');
    expect(r.ok && r.parts).toEqual({ token: 'CRM:0001001', prefix: 'CRM', designator: '0', userNumber: '001', counter: '001' });
  });
  it('CRM:0001323 is user 1, counter 323', () => {
    expect(formatToken(S(), 1, 323)).toMatchObject({ ok: true, token: 'CRM:0001323' });
  });
  it('base 500 gives user 501 for the first user (D1)', () => {
    expect(formatToken(S({ trackingtokenidbase: 500 }), 1, 1)).toMatchObject({ ok: true, token: 'CRM:0501001' });
  });
  it('4 counter digits give the 8-digit CRM:00010001', () => {
    expect(formatToken(S({ maximumtrackingnumber: 9999 }), 1, 1)).toMatchObject({ ok: true, token: 'CRM:00010001' });
  });
  it('offline designator 1', () => {
    expect(formatToken(S(), 1, 1, 1)).toMatchObject({ ok: true, token: 'CRM:1001001' });
  });
  it("separator 'prefix': the colon is part of the stored prefix", () => {
    expect(formatToken(S({ simTokenSeparator: 'prefix', trackingprefix: 'Dynamics 365 apps:' }), 1, 1)).toMatchObject({ ok: true, token: 'Dynamics 365 apps:0001001' });
  });
  it('refuses a user number that does not fit the user digits', () => {
    const r = formatToken(S({ trackingtokenidbase: 999 }), 1, 1);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/user number 1000 .* trackingtokeniddigits = 3/);
  });
});

describe('TokenIssuer', () => {
  it('wraps 999 → 000 and the wrapped token duplicates an earlier conversation (C-KA)', () => {
    const issuer = new TokenIssuer(S(), 0);
    const seen: string[] = [];
    let wrappedAt = -1;
    for (let i = 0; i < 1001; i++) {
      const r = issuer.issue('user:alice', 1);
      if (!r.ok) throw new Error(r.error);
      seen.push(r.issued.token);
      if (r.issued.wrapped) wrappedAt = i;
    }
    expect(seen[999]).toBe('CRM:0001999');
    expect(seen[1000]).toBe('CRM:0001000');
    expect(wrappedAt).toBe(1000);
    const last = issuer.issue('user:alice', 1);
    expect(last.ok && last.issued).toMatchObject({ token: 'CRM:0001001', wrapped: false, duplicate: true });
  });

  it('one counter per owner: a queue passing its owner key shares the owner counter', () => {
    const issuer = new TokenIssuer(S(), 1);
    const a = issuer.issue('user:alice', 1);
    const q = issuer.issue('user:alice', 1); // the Sales queue, owned by Alice
    const b = issuer.issue('user:bob', 2);
    expect([a, q, b].map((r) => r.ok && r.issued.token)).toEqual(['CRM:0001001', 'CRM:0001002', 'CRM:0002001']);
    expect(issuer.peek('user:alice')).toBe(3);
  });

  it('starting counters are configurable per owner', () => {
    const issuer = new TokenIssuer(S(), 1, { 'user:alice': 998 });
    const out = [0, 1, 2].map(() => issuer.issue('user:alice', 1));
    expect(out.map((r) => r.ok && r.issued.token)).toEqual(['CRM:0001998', 'CRM:0001999', 'CRM:0001000']);
    expect(out.map((r) => r.ok && r.issued.wrapped)).toEqual([false, false, true]);
  });

  it('reports an error rather than a malformed token', () => {
    const r = new TokenIssuer(S({ trackingtokeniddigits: 1 }), 1).issue('u', 12);
    expect(r.ok).toBe(false);
  });
});

describe('appendToken', () => {
  it('appends with a space when there is room', () => {
    expect(appendToken('Quote', 'CRM:0001001', S())).toEqual({ subject: 'Quote CRM:0001001', truncated: false });
  });
  it('cuts the subject so subject + space + token fits MaximumSubjectLengthOnMailServer', () => {
    const long = 'x'.repeat(300);
    const r = appendToken(long, 'CRM:0001001', S());
    expect(r.truncated).toBe(true);
    expect(r.subject.length).toBe(255);
    expect(r.subject.endsWith(' CRM:0001001')).toBe(true);
    const r400 = appendToken(long, 'CRM:0001001', S({ MaximumSubjectLengthOnMailServer: 400 }));
    expect(r400).toEqual({ subject: `${long} CRM:0001001`, truncated: false });
  });
  it('does not split a surrogate pair when cutting', () => {
    const s = `${'a'.repeat(242)}😀😀😀`;
    const r = appendToken(s, 'CRM:0001001', S());
    expect(r.subject.length).toBeLessThanOrEqual(255);
    expect(r.subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('parseTokens', () => {
  it('finds CRM:0001001 with the current split first', () => {
    const t = parseTokens('RE: Quote CRM:0001001', S());
    expect(t[0]).toMatchObject({ token: 'CRM:0001001', prefix: 'CRM', designator: '0', userNumber: '001', counter: '001', currentDigits: true, currentPrefix: true, index: 10 });
    expect(t.every((x) => x.digits === '0001001')).toBe(true);
  });

  it('8 digits under 3/3 settings: offers both 3-user/4-counter and 4-user/3-counter (research §3.1)', () => {
    const t = parseTokens('Re: x CRM: 00010001', S());
    expect(t[0]?.currentDigits).toBe(false);
    const splits = t.map((x) => `${x.userNumber}/${x.counter}`);
    expect(splits.slice(0, 2).sort()).toEqual(['001/0001', '0010/001']);
    // every split a 1–10 user / 1–9 counter setting could produce: 1+u+c = 8 → u = 1..6
    expect(splits.length).toBe(6);
  });

  it('under 3/4 settings CRM:00010001 is the current split', () => {
    const t = parseTokens('CRM:00010001', S({ maximumtrackingnumber: 9999 }));
    expect(t[0]).toMatchObject({ userNumber: '001', counter: '0001', currentDigits: true });
  });

  it('prefix in any case and an optional space after the colon', () => {
    for (const s of ['crm:0001001', 'Crm: 0001001', 'CRM: 0001001']) {
      expect(parseTokens(`Hello ${s}`, S())[0]?.digits).toBe('0001001');
    }
  });

  it('accepts history prefixes after a prefix change (D1)', () => {
    const s = S({ trackingprefix: 'ACME', trackingprefixhistory: ['CRM'] });
    const t = parseTokens('RE: old thread CRM:0001005', s);
    expect(t[0]).toMatchObject({ prefix: 'CRM', currentPrefix: false, normalized: 'CRM:0001005' });
    expect(parseTokens('new ACME:0001006', s)[0]).toMatchObject({ currentPrefix: true });
    expect(parseTokens('RE: old thread CRM:0001005', S({ trackingprefix: 'ACME' }))).toEqual([]);
  });

  it("simTokenPosition 'end' ignores a token in the middle", () => {
    expect(parseTokens('CRM:0001001 was the old one', S({ simTokenPosition: 'end' }))).toEqual([]);
    expect(parseTokens('CRM:0001001 was the old one', S())).not.toEqual([]);
    expect(parseTokens('thread CRM:0001001  ', S({ simTokenPosition: 'end' }))).not.toEqual([]);
  });

  it('does not take a prefix glued to a word or digits glued to more digits', () => {
    expect(parseTokens('XCRM:0001001', S())).toEqual([]);
    expect(parseTokens('CRM:', S())).toEqual([]);
    expect(parseTokens('CRM:2001001', S())).toEqual([]); // designator must be 0 or 1
  });

  it("separator 'prefix' with a colon-free prefix (C-EXP '#')", () => {
    const s = S({ simTokenSeparator: 'prefix', trackingprefix: '#' });
    expect(parseTokens('Ticket #0001001', s)[0]).toMatchObject({ prefix: '#', normalized: '#0001001' });
  });

  it('finds several tokens in one subject', () => {
    expect(subjectTokenKeys('CRM:0001001 FW: CRM:0002001', S())).toEqual(['CRM:0001001', 'CRM:0002001']);
  });
});

describe('normalizeToken', () => {
  it('CRM: 0001001 and crm:0001001 equal CRM:0001001', () => {
    const s = S();
    expect(normalizeToken('CRM: 0001001', s)).toBe('CRM:0001001');
    expect(normalizeToken('crm:0001001', s)).toBe('CRM:0001001');
    expect(normalizeToken('CRM:0001001', s)).toBe('CRM:0001001');
    expect(normalizeToken('CRM:0001002', s)).not.toBe('CRM:0001001');
    expect(normalizeToken('hello', s)).toBeNull();
  });
});
