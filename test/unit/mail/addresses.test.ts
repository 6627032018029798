import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../../core/mail/addresses.js';

describe('address lists (RFC 5322 §3.4)', () => {
  it('reads angle addresses, quoted names with commas, and lower-cases the address (SIMULATOR §5)', () => {
    expect(parseAddressList('"Doe, John" <John.Doe@Example.COM>, jane@example.com')).toEqual([
      { name: 'Doe, John', address: 'john.doe@example.com' },
      { name: '', address: 'jane@example.com' },
    ]);
  });

  it('drops group names and empty groups, keeping group members', () => {
    expect(parseAddressList('Team: a@x.org, b@x.org;, undisclosed-recipients:;').map((a) => a.address)).toEqual(['a@x.org', 'b@x.org']);
  });

  it('takes the name from a comment in the obsolete "addr (Name)" form', () => {
    expect(parseAddressList('three@example.org (Three Person)')).toEqual([{ name: 'Three Person', address: 'three@example.org' }]);
  });

  it('decodes RFC 2047 display names', () => {
    expect(parseAddressList('=?UTF-8?B?0JzQuNGF0LDQuNC7?= <m@example.ru>')[0]?.name).toBe('Михаил');
  });

  it('keeps bare local parts such as MAILER-DAEMON and strips source routes', () => {
    expect(parseAddressList('MAILER-DAEMON (Mail Delivery System)')[0]?.address).toBe('mailer-daemon');
    expect(parseAddressList('<@relay.example:user@example.com>')[0]?.address).toBe('user@example.com');
  });

  it('returns nothing for empty or missing values', () => {
    expect(parseAddressList(null)).toEqual([]);
    expect(parseAddressList('  ')).toEqual([]);
  });

  // Issue 12 item 17. Expected values: RFC 5322 Appendix A.5 and A.1.2, and what Python's email package
  // (policy.default, headerregistry) gives for the same values.
  it('drops comments inside the angle brackets and in the display name (RFC 5322 A.5)', () => {
    expect(parseAddressList('Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>')).toEqual([{ name: 'Pete', address: 'pete@silly.test' }]);
    expect(parseAddressList('<john (the boss) . doe @ (main) example.com>')).toEqual([{ name: '', address: 'john.doe@example.com' }]);
  });

  it('keeps a quoted local part with spaces quoted (a different mailbox than the unquoted letters)', () => {
    expect(parseAddressList('"Big Bug bb"@bug.com').map((a) => a.address)).toEqual(['"big bug bb"@bug.com']);
    expect(parseAddressList('Bug <"Big Bug bb"@bug.com>').map((a) => a.address)).toEqual(['"big bug bb"@bug.com']);
    expect(parseAddressList('"a\\"b"@x.test').map((a) => a.address)).toEqual(['"a\\"b"@x.test']);
  });

  it('unquotes a quoted local part that is a plain dot-atom ("john.doe"@x is john.doe@x)', () => {
    expect(parseAddressList('"john.doe"@example.com').map((a) => a.address)).toEqual(['john.doe@example.com']);
  });

  it('reads two addresses written without a comma as two mailboxes, not one invalid address', () => {
    expect(parseAddressList('a@x.org b@y.org').map((a) => a.address)).toEqual(['a@x.org', 'b@y.org']);
    expect(parseAddressList('a@x.org  b@y.org, c@z.org').map((a) => a.address)).toEqual(['a@x.org', 'b@y.org', 'c@z.org']);
  });

  it('reads the RFC 5322 A.1.2 list and group examples', () => {
    expect(parseAddressList('Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>')).toEqual([
      { name: 'Mary Smith', address: 'mary@x.test' },
      { name: '', address: 'jdoe@example.org' },
      { name: 'Who?', address: 'one@y.test' },
    ]);
    expect(parseAddressList('<boss@nil.test>, "Giant; \\"Big\\" Box" <sysservices@example.net>')).toEqual([
      { name: '', address: 'boss@nil.test' },
      { name: 'Giant; "Big" Box', address: 'sysservices@example.net' },
    ]);
    expect(parseAddressList('A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;').map((a) => a.address))
      .toEqual(['c@a.test', 'joe@where.test', 'jdoe@one.test']);
  });

  it('allows folding whitespace around the dots and the @ (obsolete syntax, RFC 5322 §4.4)', () => {
    expect(parseAddressList('"Joe Q. Public" <john . q . public @ example . com>')).toEqual([{ name: 'Joe Q. Public', address: 'john.q.public@example.com' }]);
  });
});
