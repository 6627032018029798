// One exported file → the table it holds and its normalized rows. Two shapes: the body of a Web API
// `GET /api/data/v9.2/<set>?$select=…` saved to a file (`{"@odata.context": "…$metadata#contacts(…)",
// "value": [...], "@odata.nextLink": …}`, a single row `…/$entity`, or a bare array of rows), and an
// Excel / Advanced Find export saved as CSV (csv-parse: quoted fields with commas and line breaks, a BOM).
// The table comes from `--table`, else `@odata.context`, else the hidden "(Do Not Modify) <Table>" header,
// else the file name, else the columns present. Pure: the caller reads the file.

import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { parseOrgRows, type RowShape } from './parseRows.js';
import { normHeader, tableByName, TABLES, type OrgTable } from './tables.js';
import type { OrgProblem, OrgRecord } from './types.js';

export class OrgFileError extends Error {
  override readonly name = 'OrgFileError';
  constructor(readonly file: string, problem: string) { super(`${file}: ${problem}`); }
}

export interface OrgFileResult {
  file: string;
  table: OrgTable;
  /** For `record`: the custom table's logical name. */
  customTable: string | null;
  shape: RowShape;
  /** How the table was told: the option, @odata.context, the hidden id header, the file name or the columns. */
  detectedBy: 'option' | 'odata.context' | 'header' | 'file name' | 'columns';
  rows: number;
  records: OrgRecord[];
  problems: OrgProblem[];
}

const Page = z.object({
  '@odata.context': z.string().optional(),
  '@odata.nextLink': z.string().optional(),
  value: z.array(z.unknown()),
}).loose();
const SingleEntity = z.object({ '@odata.context': z.string().regex(/\/\$entity$/) }).loose();

interface Detected { table: OrgTable; customTable: string | null; by: OrgFileResult['detectedBy'] }

function fromName(name: string, firstRow: Record<string, unknown> | undefined, by: Detected['by']): Detected | null {
  const t = tableByName(name);
  if (t) return { table: t, customTable: null, by };
  // An entity set the loader does not know: another email-enabled table, if the rows carry <table>id.
  if (firstRow) {
    for (const k of Object.keys(firstRow)) {
      const m = /^([a-z][a-z0-9_]*)id$/.exec(k);
      if (m && normHeader(name).startsWith(normHeader(m[1]!)) && m[1] !== 'activity') return { table: 'record', customTable: m[1]!, by };
    }
  }
  return null;
}

/** "contacts.json", "Active Contacts 4-12-2026 10-15-33.csv", "emails-page-2.json" → a table name, if one is in it. */
function fromFileName(file: string): Detected | null {
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.(json|csv)$/i, '');
  const words = base.split(/[^A-Za-z]+/).filter((w) => w !== '');
  // Longest run of words first, so "Email Server Profiles" beats "Email".
  for (let len = Math.min(4, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const t = tableByName(words.slice(i, i + len).join(' '));
      if (t) return { table: t, customTable: null, by: 'file name' };
    }
  }
  return null;
}

function fromHeaders(headers: readonly string[]): Detected | null {
  for (const h of headers) {
    const m = /^\(do not modify\)\s*(.+)$/i.exec(h.trim());
    if (!m || /^(row checksum|modified on)$/i.test(m[1]!.trim())) continue;
    const t = tableByName(m[1]!);
    if (t) return { table: t, customTable: null, by: 'header' };
  }
  return null;
}

/** The table whose columns best explain the headers (at least two distinctive ones). */
function fromColumns(keys: readonly string[]): Detected | null {
  const have = new Set(keys.map(normHeader));
  let best: { t: OrgTable; score: number } | null = null;
  let tie = false;
  for (const s of Object.values(TABLES)) {
    const score = [s.id, ...s.columns].filter((c) => [c.key, `_${c.key}_value`, ...c.labels].some((n) => have.has(normHeader(n)))).length
      + (have.has(normHeader(s.id.key)) ? 2 : 0);
    if (!best || score > best.score) { best = { t: s.table, score }; tie = false; } else if (score === best.score) tie = true;
  }
  return best && best.score >= 2 && !tie ? { table: best.t, customTable: null, by: 'columns' } : null;
}

export interface ParseFileOptions {
  /** Table name (logical, entity set or display name), or a custom email-enabled table's logical name. */
  table?: string;
  /** Row number of the first row (default 1), for a page that continues an earlier file. */
  firstRow?: number;
}

function overrideTable(name: string): Detected {
  const t = tableByName(name);
  return t ? { table: t, customTable: null, by: 'option' } : { table: 'record', customTable: name.toLowerCase(), by: 'option' };
}

export function parseOrgFile(text: string, file: string, opts: ParseFileOptions = {}): OrgFileResult {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  if (trimmed === '') throw new OrgFileError(file, 'the file is empty');
  const isJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  let rows: unknown[];
  let detected: Detected | null = opts.table ? overrideTable(opts.table) : null;
  const fileProblems: OrgProblem[] = [];
  if (isJson) {
    let parsed: unknown;
    try { parsed = JSON.parse(body); } catch (e) { throw new OrgFileError(file, `not valid JSON (${(e as Error).message})`); }
    let context: string | null = null;
    if (Array.isArray(parsed)) rows = parsed;
    else {
      const page = Page.safeParse(parsed);
      if (page.success) {
        rows = page.data.value;
        context = page.data['@odata.context'] ?? null;
        if (page.data['@odata.nextLink']) {
          fileProblems.push({ file, table: null, row: 0, column: null, problem: 'note: this page has an @odata.nextLink: the export continues in another page; load every page (they may be given together)' });
        }
      } else if (SingleEntity.safeParse(parsed).success) {
        rows = [parsed];
        context = (parsed as { '@odata.context': string })['@odata.context'];
      } else {
        throw new OrgFileError(file, 'expected a Web API response ({"@odata.context": …, "value": [...]}), one row (…/$entity) or an array of rows');
      }
    }
    const first = rows.find((r) => r !== null && typeof r === 'object' && !Array.isArray(r)) as Record<string, unknown> | undefined;
    if (!detected && context) {
      const m = /\$metadata#([A-Za-z0-9_]+)/.exec(context);
      if (m) detected = fromName(m[1]!, first, 'odata.context');
    }
    detected ??= fromFileName(file) ?? (first ? fromColumns(Object.keys(first)) : null);
    if (!detected) throw new OrgFileError(file, 'cannot tell which table this is (no @odata.context, no table in the file name, no known id column); give it with --table');
    const r = parseOrgRows(detected.table, rows, { file, shape: 'webapi', ...(detected.customTable ? { customTable: detected.customTable } : {}), firstRow: opts.firstRow ?? 1 });
    return { file, table: detected.table, customTable: detected.customTable, shape: 'webapi', detectedBy: detected.by, rows: rows.length, records: r.records, problems: [...fileProblems, ...r.problems] };
  }
  let records: string[][];
  try {
    records = parseCsv(body, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new OrgFileError(file, `not a readable CSV file (${(e as Error).message})`);
  }
  const [headers, ...data] = records;
  if (!headers || headers.length === 0) throw new OrgFileError(file, 'the file has no header row');
  detected ??= fromHeaders(headers) ?? fromFileName(file) ?? fromColumns(headers);
  if (!detected) throw new OrgFileError(file, `cannot tell which table this is from its headers (${headers.slice(0, 6).join(', ')}${headers.length > 6 ? ', …' : ''}) or its name; give it with --table`);
  const objects = data.map((cells, i) => {
    if (cells.length !== headers.length) {
      fileProblems.push({ file, table: detected.table, row: i + 1, column: null, problem: `has ${cells.length} fields, the header has ${headers.length}; missing fields read as empty` });
    }
    const o: Record<string, string> = {};
    headers.forEach((h, k) => { if (!(h in o)) o[h] = cells[k] ?? ''; });
    return o;
  });
  const r = parseOrgRows(detected.table, objects, { file, shape: 'csv', ...(detected.customTable ? { customTable: detected.customTable } : {}), firstRow: opts.firstRow ?? 1 });
  return { file, table: detected.table, customTable: detected.customTable, shape: 'csv', detectedBy: detected.by, rows: objects.length, records: r.records, problems: [...fileProblems, ...r.problems] };
}

/**
 * Rows already parsed from the Web API (e.g. by a pull over HTTP, page by page) → the same result a saved
 * export gives, for saveOrgLoad. `source` names where the rows came from (a URL or "<set> page 2") in
 * problems and provenance; `firstRow` continues the row count across pages.
 */
export function orgResultFromRows(table: OrgTable, rows: readonly unknown[], opts: { source: string; customTable?: string; firstRow?: number }): OrgFileResult {
  const r = parseOrgRows(table, rows, { file: opts.source, shape: 'webapi', ...(opts.customTable ? { customTable: opts.customTable } : {}), firstRow: opts.firstRow ?? 1 });
  return { file: opts.source, table, customTable: table === 'record' ? (opts.customTable ?? 'record') : null, shape: 'webapi', detectedBy: 'option', rows: rows.length, records: r.records, problems: r.problems };
}
