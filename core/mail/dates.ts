// RFC 5322 dates (§3.3) plus the obsolete forms of §4.3 that real mail carries: two- and three-digit
// years, alphabetic zones (UT, GMT, EST…; military letters mean -0000 per RFC 5322), missing seconds,
// missing day-of-week, comments, and a few non-standard but common variants (ISO 8601, asctime).
// The raw value is always kept by the caller; an unparsable date is reported, never guessed.

import { stripComments } from './headers.js';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60, mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
  // Common non-RFC abbreviations seen in the wild.
  cet: 60, cest: 120, met: 60, mest: 120, bst: 60, jst: 9 * 60, kst: 9 * 60, ist: 330,
};

export interface ParsedDate {
  /** ISO 8601 UTC, or null when the value cannot be read. */
  iso: string | null;
  /** True when the value is missing, unparsable or out of range. */
  bad: boolean;
  /** True when only an obsolete / non-standard form could be read. */
  obsolete: boolean;
}

function zoneOffsetMinutes(zone: string | undefined): { minutes: number; obsolete: boolean } | null {
  if (!zone) return { minutes: 0, obsolete: true };
  const z = zone.trim();
  const num = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (num) {
    const m = Number(num[2]) * 60 + Number(num[3]);
    if (Number(num[3]) > 59) return null;
    return { minutes: num[1] === '-' ? -m : m, obsolete: false };
  }
  const named = ZONES[z.toLowerCase()];
  if (named !== undefined) return { minutes: named, obsolete: true };
  if (/^[a-ik-z]$/i.test(z)) return { minutes: 0, obsolete: true };
  return null;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n; // RFC 5322 §4.3
  if (y.length === 3) return 1900 + n;
  return n;
}

function build(year: number, month: number, day: number, h: number, mi: number, s: number, offset: number): string | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return null;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not, so "1 Jan 0001" stays year 1 (and is refused).
  const base = new Date(Date.UTC(2000, month, day, h, mi, Math.min(s, 59)));
  base.setUTCFullYear(year, month, day);
  const ms = base.getTime() - offset * 60_000;
  const d = new Date(ms);
  if (Number.isNaN(ms) || d.getUTCFullYear() < 1970 - 100 || d.getUTCFullYear() > 9999) return null;
  if (base.getUTCDate() !== day) return null; // 31 Feb
  return d.toISOString();
}

const RFC5322 =
  /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*([+-]\d{2}:?\d{2}|[a-z]{1,5})?/i;
const ASCTIME = /^(?:[a-z]{3},?\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([a-z]{1,5}|[+-]\d{4})\s+)?(\d{4})/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseDate(value: string | null): ParsedDate {
  if (value === null || value.trim() === '') return { iso: null, bad: true, obsolete: false };
  const v = stripComments(value).replace(/\s+/g, ' ').trim();
  let m = RFC5322.exec(v);
  if (m) {
    const month = MONTHS[(m[2] as string).slice(0, 3).toLowerCase()];
    const zone = zoneOffsetMinutes(m[7]);
    if (month !== undefined && zone) {
      const iso = build(fullYear(m[3] as string), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), zone.minutes);
      if (iso) {
        const obsolete = zone.obsolete || (m[3] as string).length < 4 || m[6] === undefined;
        return { iso, bad: false, obsolete };
      }
    }
  }
  m = ASCTIME.exec(v);
  if (m) {
    const month = MONTHS[(m[1] as string).toLowerCase()];
    const zone = zoneOffsetMinutes(m[6]);
    if (month !== undefined && zone) {
      const iso = build(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0), zone.minutes);
      if (iso) return { iso, bad: false, obsolete: true };
    }
  }
  m = ISO.exec(v);
  if (m) {
    const zone = zoneOffsetMinutes(m[7] ?? 'Z');
    if (zone) {
      const iso = build(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), zone.minutes);
      if (iso) return { iso, bad: false, obsolete: true };
    }
  }
  return { iso: null, bad: true, obsolete: false };
}

/** The date of a Received header: the part after the last ';' (RFC 5322 §3.6.7). */
export function parseReceivedDate(value: string): ParsedDate {
  const semi = value.lastIndexOf(';');
  return parseDate(semi >= 0 ? value.slice(semi + 1) : null);
}
