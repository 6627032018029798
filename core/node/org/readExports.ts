// Reads Dataverse export files (Web API JSON, Excel / Advanced Find CSV) from files and folders for the
// org loader (core/org). A folder is read recursively in name order, so the pages of one export
// (emails-1.json, emails-2.json) load in order; files that are neither .json nor .csv are listed as skipped.
// A file that cannot be read or parsed is reported with its name and the rest go on. Only reads.

import fs from 'node:fs';
import path from 'node:path';
import { OrgFileError, parseOrgFile, type OrgFileResult } from '../../org/parseFile.js';

export interface OrgReadFailure {
  file: string;
  problem: string;
}

export interface OrgExportsRead {
  results: OrgFileResult[];
  failures: OrgReadFailure[];
  skipped: string[];
}

function listFiles(p: string, out: string[], skipped: string[], failures: OrgReadFailure[]): void {
  let st: fs.Stats;
  try { st = fs.statSync(p); } catch (e) { failures.push({ file: p, problem: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }); return; }
  if (st.isDirectory()) {
    let names: string[];
    try { names = fs.readdirSync(p).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })); } catch (e) { failures.push({ file: p, problem: `cannot list the folder: ${(e as Error).message}` }); return; }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const full = path.join(p, n);
      let sub: fs.Stats;
      try { sub = fs.statSync(full); } catch { continue; }
      if (sub.isDirectory()) listFiles(full, out, skipped, failures);
      else if (/\.(json|csv)$/i.test(n)) out.push(full);
      else skipped.push(full);
    }
    return;
  }
  out.push(p);
}

/** Reads and parses every export under the given paths; `table` (the --table option) applies to all of them. */
export function readOrgExports(paths: readonly string[], opts: { table?: string } = {}): OrgExportsRead {
  const files: string[] = [];
  const skipped: string[] = [];
  const failures: OrgReadFailure[] = [];
  for (const p of paths) listFiles(p, files, skipped, failures);
  const results: OrgFileResult[] = [];
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch (e) { failures.push({ file: f, problem: `cannot read: ${(e as Error).message}` }); continue; }
    try {
      results.push(parseOrgFile(text, f, opts.table ? { table: opts.table } : {}));
    } catch (e) {
      if (e instanceof OrgFileError) { failures.push({ file: f, problem: e.message.slice(f.length + 2) }); continue; }
      throw e;
    }
  }
  return { results, failures, skipped };
}
