import { describe, expect, it } from 'vitest';
import { parseDate, parseReceivedDate } from '../../../core/mail/dates.js';

describe('dates (RFC 5322 §3.3 and obsolete §4.3)', () => {
  it('reads the standard form with a numeric zone', () => {
    expect(parseDate('Fri, 21 Nov 1997 09:55:06 -0600')).toEqual({ iso: '1997-11-21T15:55:06.000Z', bad: false, obsolete: false });
  });

  it('reads obsolete forms: 2-digit year, alphabetic zone, no seconds, no weekday (RFC 5322 §4.3)', () => {
    const d = parseDate('1 Jul 03 10:52 EDT');
    expect(d.iso).toBe('2003-07-01T14:52:00.000Z');
    expect(d.obsolete).toBe(true);
    expect(parseDate('Thu, 13 Feb 69 23:32:54 -0330').iso).toBe('1969-02-14T03:02:54.000Z');
    expect(parseDate('Mon, 1 Jan 2024 00:00:00 GMT').iso).toBe('2024-01-01T00:00:00.000Z');
    // Military zones other than Z carry no information (RFC 5322 §4.3): treated as -0000.
    expect(parseDate('Mon, 1 Jan 2024 00:00:00 A').iso).toBe('2024-01-01T00:00:00.000Z');
  });

  it('ignores comments and folding whitespace', () => {
    expect(parseDate('Tue, 14 May 2024\r\n 09:59:58 +0200 (CEST)').iso).toBe('2024-05-14T07:59:58.000Z');
  });

  it('reads asctime and ISO forms some software writes', () => {
    expect(parseDate('Mon Jan  8 09:00:00 2024').iso).toBe('2024-01-08T09:00:00.000Z');
    expect(parseDate('2024-01-08T09:00:00+01:00').iso).toBe('2024-01-08T08:00:00.000Z');
  });

  it('flags what it cannot read instead of guessing', () => {
    expect(parseDate('sometime next week')).toEqual({ iso: null, bad: true, obsolete: false });
    expect(parseDate('31 Feb 2024 10:00:00 +0000').bad).toBe(true);
    expect(parseDate('Mon, 1 Jan 2024 25:00:00 +0000').bad).toBe(true);
    expect(parseDate(null).bad).toBe(true);
  });

  it('takes a Received date after the last semicolon', () => {
    expect(parseReceivedDate('from a by b; id 1; Tue, 14 May 2024 10:00:05 +0200').iso).toBe('2024-05-14T08:00:05.000Z');
    expect(parseReceivedDate('from a by b').bad).toBe(true);
  });
});
