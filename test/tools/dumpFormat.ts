// The decision dump shared by decisionDump.ts (writes) and compareDumps.ts (reads): JSON Lines, a header
// line first, then one record per message per settings profile, sorted by id. An id names the message by
// something that survives a refactor (a corpus file's path, a scenario file, or the processing position a
// workspace run printed), never by a workspace row id.

import { readFileSync } from 'node:fs';

export const DUMP_VERSION = 1;

export interface DumpHeader {
  kind: 'synclens-decision-dump';
  version: number;
  /** What went in, by section: hashes of the inputs, so a comparison can tell changed inputs from changed decisions. */
  inputs: Record<string, string>;
  profiles: Record<string, Record<string, unknown>>;
  /** Free notes (counts, runner); not compared. */
  notes: Record<string, unknown>;
}

export interface DumpRecord {
  /** `path/section/profile/message`, the sort key. */
  id: string;
  /** Subject, date and Message-ID as the message's own headers (or the trace) give them, for people. */
  label: string;
  /** Decision fields exactly as the CLI printed them (canonical JSON: keys sorted). */
  fields: Record<string, unknown>;
  /** The rendered trace, one string per step or paragraph, exactly as the CLI printed it. */
  trace: string[];
}

/** JSON with object keys sorted at every level, so two equal values serialize to the same bytes. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
  }
  return v;
}

export function recordLine(r: DumpRecord): string {
  return JSON.stringify({ id: r.id, label: r.label, fields: canonical(r.fields), trace: r.trace });
}

export class DumpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpFormatError';
  }
}

export function readDump(file: string): { header: DumpHeader; records: DumpRecord[] } {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new DumpFormatError(`${file}: cannot read the dump: ${(e as Error).message}`); }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const parse = (l: string, n: number): unknown => {
    try { return JSON.parse(l); } catch (e) { throw new DumpFormatError(`${file} line ${n}: not JSON: ${(e as Error).message}`); }
  };
  const header = parse(lines[0] ?? '', 1) as DumpHeader | null;
  if (!header || header.kind !== 'synclens-decision-dump') throw new DumpFormatError(`${file}: not a SyncLens decision dump (its first line has no "kind": "synclens-decision-dump")`);
  if (header.version !== DUMP_VERSION) throw new DumpFormatError(`${file}: dump version ${header.version}, this tool reads version ${DUMP_VERSION}`);
  const records = lines.slice(1).map((l, i) => {
    const r = parse(l, i + 2) as DumpRecord;
    if (typeof r?.id !== 'string' || !Array.isArray(r.trace) || typeof r.fields !== 'object') throw new DumpFormatError(`${file} line ${i + 2}: a record needs id, fields and trace`);
    return r;
  });
  return { header, records };
}
