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
});
