// Rows of one Dataverse table → normalized org records (types.ts) and problems. The same function reads a
// Web API row (logical names; lookups as `_x_value` with optional `@OData.Community.Display.V1.FormattedValue`
// and `@Microsoft.Dynamics.CRM.lookuplogicalname` annotations; choices as numbers) and a CSV row (display
// names as keys; choices as labels; lookups as the related row's name). A row without an id is reported and
// skipped; any other bad cell (unknown choice value, malformed date, an address in a lookup column, …) is
// reported by row and column and read as empty, and the row still loads. Pure: data in, data out.

import { z } from 'zod';
import { choiceLabel, PARTICIPATION, readChoice } from './choices.js';
import { readOrganizationColumns, readOrgDbOrgSettings, type SettingsRead } from './orgSettings.js';
import { normHeader, tableSpec, type ColumnSpec, type OrgTable } from './tables.js';
import type { OrgLookup, OrgParty, OrgProblem, OrgRecord, OrgRowsResult } from './types.js';

export type RowShape = 'webapi' | 'csv';

export interface ParseRowsOptions {
  /** File name for problems. */
  file: string;
  /** webapi (default): logical names; csv: display names as keys. */
  shape?: RowShape;
  /** For `record`: the custom table's logical name (its id column is `<table>id`). */
  customTable?: string;
  /** Row number of rows[0] (default 1), so pages of one export keep counting. */
  firstRow?: number;
}

const FV = '@OData.Community.Display.V1.FormattedValue';
const LLN = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const EMAIL = /^[^\s@<>;,]+@[^\s@<>;,]+\.[^\s@<>;,]+$/;

/** Schemas of the raw cells. */
const Row = z.record(z.string(), z.unknown());
const TextCell = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v).trim());
const IntCell = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/).transform(Number)]);

class CellProblem extends Error {}

interface Cell { raw: unknown; formatted: string | null; lookupTable: string | null; header: string }

/** How one row's columns are found. */
interface Reader {
  cell(col: ColumnSpec): Cell | undefined;
  /** Every key of the row, for the generic readers (organization columns, a custom table's email columns). */
  keys(): string[];
  rawOf(key: string): unknown;
}

function webapiReader(o: Record<string, unknown>): Reader {
  return {
    cell(col) {
      const key = col.kind === 'lookup' ? `_${col.key}_value` : col.key;
      if (!(key in o) && !(col.kind === 'lookup' && col.key in o)) return undefined;
      const k = key in o ? key : col.key;
      const f = o[`${k}${FV}`];
      const t = o[`${k}${LLN}`];
      return { raw: o[k], formatted: typeof f === 'string' ? f : null, lookupTable: typeof t === 'string' ? t : null, header: col.key };
    },
    keys: () => Object.keys(o).filter((k) => !k.includes('@')),
    rawOf: (k) => o[k],
  };
}

function csvReader(o: Record<string, unknown>): Reader {
  const byNorm = new Map<string, string>();
  for (const h of Object.keys(o)) if (!byNorm.has(normHeader(h))) byNorm.set(normHeader(h), h);
  // The hidden id column "(Do Not Modify) Contact" normalizes to "contact"; prefer it over a visible column
  // with the same display name by looking it up first.
  const hidden = new Map<string, string>();
  for (const h of Object.keys(o)) if (/^\(do not modify\)/i.test(h.trim())) hidden.set(normHeader(h), h);
  return {
    cell(col) {
      const names = [col.key, `_${col.key}_value`, ...col.labels].map(normHeader);
      for (const n of names) {
        const h = hidden.get(n) ?? byNorm.get(n);
        if (h !== undefined) return { raw: o[h], formatted: null, lookupTable: null, header: h };
      }
      return undefined;
    },
    keys: () => Object.keys(o).filter((h) => !/^\(do not modify\)/i.test(h.trim())),
    rawOf: (k) => o[k],
  };
}

function text(c: Cell | undefined): string | null {
  if (!c) return null;
  const v = c.raw;
  // The common cases without a schema call (this runs for every cell of every row); anything else goes
  // through the schema, which refuses objects and arrays.
  const t = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (() => { const r = TextCell.safeParse(v); return r.success ? r.data : ''; })();
  return t === '' ? null : t;
}

function cleanId(s: string): string {
  return s.replace(/^\{|\}$/g, '').toLowerCase();
}

function email(c: Cell | undefined): string | null {
  const t = text(c);
  if (t === null) return null;
  if (!EMAIL.test(t)) throw new CellProblem(`"${t}" is not an email address`);
  return t.toLowerCase();
}

function int(c: Cell | undefined): number | null {
  if (!c || c.raw === null || c.raw === undefined || c.raw === '') return null;
  const r = IntCell.safeParse(c.raw);
  if (!r.success) throw new CellProblem(`${JSON.stringify(c.raw)} is not a whole number`);
  return r.data;
}

/** Labels Microsoft shows for two-option columns whose labels are not Yes/No. */
const BOOL_LABELS: Record<string, { yes: string[]; no: string[] }> = {
  isdisabled: { yes: ['disabled'], no: ['enabled'] },
  directioncode: { yes: ['outgoing'], no: ['incoming'] },
};

function bool(c: Cell | undefined, key: string): boolean | null {
  if (!c || c.raw === null || c.raw === undefined || c.raw === '') return null;
  if (typeof c.raw === 'boolean') return c.raw;
  const t = String(c.raw).trim().toLowerCase();
  const extra = BOOL_LABELS[key];
  if (['true', 'yes', '1'].includes(t) || extra?.yes.includes(t)) return true;
  if (['false', 'no', '0'].includes(t) || extra?.no.includes(t)) return false;
  const allowed = extra ? [...extra.yes, ...extra.no].map((x) => x[0]!.toUpperCase() + x.slice(1)).join('/') : 'Yes/No';
  throw new CellProblem(`${JSON.stringify(c.raw)} is neither ${allowed} nor true/false`);
}

const MONTH_DAY_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A date cell → ISO UTC. Web API values are ISO with a zone (date-only columns such as "Process Email
 * From" are `YYYY-MM-DD`). An Excel export shows the exporting user's format; the US one (M/D/YYYY h:mm
 * AM) is read here. A value without a zone is read as UTC, so a load gives the same result on every machine.
 */
export function readDate(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const t = String(raw).trim();
  if (t === '') return null;
  let ms = NaN;
  if (ISO.test(t)) {
    const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(t.slice(10)) ? t : `${t.length === 10 ? `${t}T00:00:00` : t.replace(' ', 'T')}Z`;
    ms = Date.parse(withZone);
  } else {
    const m = MONTH_DAY_YEAR.exec(t);
    if (m) {
      const [, mo, d, y, h, mi, s, ap] = m;
      let hour = Number(h ?? 0);
      if (ap) { if (hour < 1 || hour > 12) return null; hour = (hour % 12) + (ap.toUpperCase() === 'PM' ? 12 : 0); }
      const month = Number(mo) - 1;
      const day = Number(d);
      ms = Date.UTC(Number(y), month, day, hour, Number(mi ?? 0), Number(s ?? 0));
      const back = new Date(ms);
      if (back.getUTCMonth() !== month || back.getUTCDate() !== day) ms = NaN;
    }
  }
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
}

function date(c: Cell | undefined): string | null {
  if (!c) return null;
  const t = text(c);
  if (t === null) return null;
  const d = readDate(t);
  if (d === null) throw new CellProblem(`"${t}" is not a date (expected e.g. 2024-03-01T09:00:00Z or 3/1/2024 9:00 AM)`);
  return d;
}

function lookup(c: Cell | undefined, shape: RowShape): OrgLookup | null {
  const t = text(c);
  if (t === null || !c) return null;
  if (EMAIL.test(t) || /^[^\s@]+@[^\s@]+$/.test(t)) {
    throw new CellProblem(`"${t}" is an email address, but this column is a lookup: it holds the ${shape === 'csv' ? 'name' : 'id'} of a row, not an address`);
  }
  if (GUID.test(t)) return { id: cleanId(t), table: c.lookupTable, name: c.formatted };
  if (shape === 'webapi') throw new CellProblem(`"${t}" is not a row id (a lookup's _value is a GUID)`);
  return { id: null, table: null, name: t };
}

/** "Alice Smith; bob@fabrikam.com" (an Excel export's From/To/Cc): each part a name or an address. */
function partyList(c: Cell | undefined, mask: 1 | 2 | 3 | 4): OrgParty[] {
  const t = text(c);
  if (t === null) return [];
  return t.split(';').map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    const angle = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(p);
    const addr = angle ? angle[1]! : EMAIL.test(p) ? p : null;
    const name = angle ? p.slice(0, angle.index).trim().replace(/^"|"$/g, '') || null : addr ? null : p;
    return { mask, address: addr?.toLowerCase() ?? null, party: name ? { id: null, table: null, name } : null };
  });
}

/** An expanded `email_activity_parties` array of a Web API email row. */
function expandedParties(raw: unknown, rowProblem: (column: string, problem: string) => void): OrgParty[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) { rowProblem('email_activity_parties', 'is not a list of activity parties; ignored'); return []; }
  const out: OrgParty[] = [];
  raw.forEach((p, i) => {
    const col = `email_activity_parties[${i}]`;
    const o = Row.safeParse(p);
    if (!o.success) { rowProblem(col, 'is not an activity party object; ignored'); return; }
    const r = webapiReader(o.data);
    const mask = readChoice(PARTICIPATION, o.data.participationtypemask);
    if (!mask.ok) { rowProblem(`${col}.participationtypemask`, `${mask.problem}; party ignored`); return; }
    if (mask.value === null || mask.value > 4) return; // not a sender or recipient of the email
    let party: OrgLookup | null = null;
    try { party = lookup(r.cell({ key: 'partyid', kind: 'lookup', labels: [] }), 'webapi'); } catch (e) {
      if (!(e instanceof CellProblem)) throw e;
      rowProblem(`${col}._partyid_value`, `${e.message}; read as empty`);
    }
    const addr = typeof o.data.addressused === 'string' && o.data.addressused.trim() !== '' ? o.data.addressused.trim().toLowerCase() : null;
    out.push({ mask: mask.value as 1 | 2 | 3 | 4, address: addr, party });
  });
  return out;
}

/**
 * Parses the rows of one table. For Web API JSON, pass the objects of `value` (the annotations may be there
 * or not). For CSV, pass objects keyed by the header row, with shape `csv`.
 */
export function parseOrgRows(table: OrgTable, rows: readonly unknown[], opts: ParseRowsOptions): OrgRowsResult {
  const shape = opts.shape ?? 'webapi';
  const spec = tableSpec(table, opts.customTable);
  const records: OrgRecord[] = [];
  const problems: OrgProblem[] = [];
  const first = opts.firstRow ?? 1;
  rows.forEach((rawRow, i) => {
    const row = first + i;
    const problem = (column: string | null, p: string): void => { problems.push({ file: opts.file, table, row, column, problem: p }); };
    if (rawRow === null || typeof rawRow !== 'object' || Array.isArray(rawRow)) { problem(null, 'is not an object of columns; skipped'); return; }
    const o = rawRow as Record<string, unknown>;
    const r = shape === 'csv' ? csvReader(o) : webapiReader(o);
    const col = (key: string): ColumnSpec => spec.columns.find((x) => x.key === key) ?? { key, kind: 'text', labels: [] };
    const soft = <T>(key: string, read: (c: Cell | undefined) => T, fallback: T): T => {
      const cs = col(key);
      const c = r.cell(cs);
      try { return read(c); } catch (e) {
        if (!(e instanceof CellProblem)) throw e;
        problem(c?.header ?? key, `${e.message}; read as empty`);
        return fallback;
      }
    };
    const choiceOf = (key: string): number | null => soft(key, (c) => {
      const cs = col(key);
      if (!c || !cs.choice) return null;
      const v = readChoice(cs.choice, c.raw);
      if (!v.ok) throw new CellProblem(v.problem);
      return v.value;
    }, null);
    const idCell = r.cell(spec.id);
    const idText = text(idCell);
    if (idText === null) {
      problem(idCell?.header ?? (shape === 'csv' ? `(Do Not Modify) ${spec.displayNames[0]}` : spec.id.key),
        `has no ${spec.id.key} (the row's id)${shape === 'csv' ? '; export with Excel so the hidden "(Do Not Modify)" id column is included' : ''}; row skipped`);
      return;
    }
    if (shape === 'webapi' && !GUID.test(idText)) { problem(spec.id.key, `"${idText}" is not a row id (a GUID); row skipped`); return; }
    const base = { file: opts.file, row, id: cleanId(idText) };
    const name = (key: string): string | null => text(r.cell(col(key)));
    const emails = (keys: string[]): string[] => {
      const out: string[] = [];
      for (const k of keys) { const e = soft(k, email, null); if (e && !out.includes(e)) out.push(e); }
      return out;
    };
    const active = (): boolean | null => { const s = choiceOf('statecode'); return s === null ? null : s === 0; };
    switch (spec.table) {
      case 'organization': {
        const out: SettingsRead = { settings: {}, unknown: [], problems: [], notes: [] };
        const cells = new Map<string, { raw: unknown; header: string }>();
        for (const k of r.keys()) cells.set(normHeader(k), { raw: r.rawOf(k), header: k });
        readOrganizationColumns((key) => cells.get(normHeader(key)), out);
        const xml = name('orgdborgsettings');
        if (xml) readOrgDbOrgSettings(xml, out);
        for (const p of out.problems) problem(p.column, p.problem);
        for (const n of out.notes) problem(null, `note: ${n}`);
        records.push({ ...base, table: 'organization', name: name('name'), settings: out.settings, unknownSettings: out.unknown,
          requireApprovalForUserEmail: soft('requireapprovalforuseremail', (c) => bool(c, 'requireapprovalforuseremail'), null),
          requireApprovalForQueueEmail: soft('requireapprovalforqueueemail', (c) => bool(c, 'requireapprovalforqueueemail'), null) });
        return;
      }
      case 'emailserverprofile':
        records.push({ ...base, table: 'emailserverprofile', name: name('name'), processEmailsFrom: soft('processemailsreceivedafter', date, null) });
        return;
      case 'systemuser':
        records.push({ ...base, table: 'systemuser', name: name('fullname'), emails: emails(['internalemailaddress', 'personalemailaddress']),
          disabled: soft('isdisabled', (c) => bool(c, 'isdisabled'), null), defaultMailbox: soft('defaultmailbox', (c) => lookup(c, shape), null) });
        return;
      case 'usersettings':
        records.push({ ...base, table: 'usersettings', filter: choiceOf('incomingemailfilteringmethod'), trackingTokenId: soft('trackingtokenid', int, null) });
        return;
      case 'queue':
        records.push({ ...base, table: 'queue', name: name('name'), emails: emails(['emailaddress']), filter: choiceOf('incomingemailfilteringmethod'),
          owner: soft('ownerid', (c) => lookup(c, shape), null), defaultMailbox: soft('defaultmailbox', (c) => lookup(c, shape), null), active: active() });
        return;
      case 'mailbox':
        records.push({ ...base, table: 'mailbox', name: name('name'), email: soft('emailaddress', email, null), regarding: soft('regardingobjectid', (c) => lookup(c, shape), null),
          delivery: choiceOf('incomingemaildeliverymethod'), processEmailsFrom: soft('processemailreceivedafter', date, null),
          enabledForIncoming: soft('enabledforincomingemail', (c) => bool(c, 'enabledforincomingemail'), null),
          isForward: soft('isforwardmailbox', (c) => bool(c, 'isforwardmailbox'), null), approval: choiceOf('emailrouteraccessapproval'),
          profile: soft('emailserverprofile', (c) => lookup(c, shape), null) });
        return;
      case 'mailboxtrackingfolder':
        records.push({ ...base, table: 'mailboxtrackingfolder', mailbox: soft('mailboxid', (c) => lookup(c, shape), null), folder: name('exchangefoldername'),
          regarding: soft('regardingobjectid', (c) => lookup(c, shape), null) });
        return;
      case 'contact': case 'account': case 'lead': case 'record': {
        const nameKey = spec.table === 'account' || spec.table === 'record' ? 'name' : 'fullname';
        let list: string[];
        if (spec.table === 'record') {
          // No metadata: every column whose name says email is an email-format column (SIMULATOR §9).
          list = [];
          for (const k of r.keys()) {
            if (!/e-?mail/i.test(k) || k === spec.id.key) continue;
            const c: Cell = { raw: r.rawOf(k), formatted: null, lookupTable: null, header: k };
            try { const e = email(c); if (e && !list.includes(e)) list.push(e); } catch (e) {
              if (!(e instanceof CellProblem)) throw e;
              problem(k, `${e.message}; read as empty`);
            }
          }
        } else list = emails(['emailaddress1', 'emailaddress2', 'emailaddress3']);
        records.push({ ...base, table: spec.table, recordTable: spec.table === 'record' ? (opts.customTable ?? 'record').toLowerCase() : spec.table,
          name: name(nameKey), emails: list, owner: soft('ownerid', (c) => lookup(c, shape), null), active: active() });
        return;
      }
      case 'email': {
        const cm = choiceOf('correlationmethod');
        const parties: OrgParty[] = shape === 'webapi'
          ? expandedParties(o.email_activity_parties, (c, p) => problem(c, p))
          : ([['from', 1], ['to', 2], ['cc', 3], ['bcc', 4]] as const).flatMap(([k, m]) => partyList(r.cell(col(k)), m));
        const dir = soft('directioncode', (c) => bool(c, 'directioncode'), null);
        records.push({ ...base, table: 'email', messageId: name('messageid'), inReplyTo: name('inreplyto'), subject: name('subject'),
          trackingToken: name('trackingtoken'), conversationIndex: name('conversationindex'),
          direction: dir === null ? null : dir ? 'outgoing' : 'incoming', sender: name('sender'), toRecipients: name('torecipients'),
          sentOn: soft('senton', date, null), createdOn: soft('createdon', date, null), regarding: soft('regardingobjectid', (c) => lookup(c, shape), null),
          correlationMethod: cm, correlationMethodLabel: cm === null ? null : choiceLabel(col('correlationmethod').choice!, cm),
          correlatedActivity: soft('correlatedactivityid', (c) => lookup(c, shape), null), parentActivity: soft('parentactivityid', (c) => lookup(c, shape), null),
          acceptingEntity: soft('acceptingentityid', (c) => lookup(c, shape), null), receivingMailbox: soft('receivingmailboxid', (c) => lookup(c, shape), null),
          parties });
        return;
      }
      case 'activityparty': {
        const addr = name('addressused');
        records.push({ ...base, table: 'activityparty', activity: soft('activityid', (c) => lookup(c, shape), null), mask: choiceOf('participationtypemask'),
          address: addr?.toLowerCase() ?? null, party: soft('partyid', (c) => lookup(c, shape), null) });
        return;
      }
    }
  });
  return { records, problems };
}
