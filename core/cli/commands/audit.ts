// `audit --workspace FILE --emails FILE.json|.csv [--directory [TABLE=]FILE]... [--settings SOURCE] [--json|--csv|--html OUT]`:
// compares email activities exported from Dataverse with SyncLens's replay of the same messages under the
// settings of the time (core/analysis/audit.ts).

import { readFileSync } from 'node:fs';
import { runAudit } from '../../analysis/audit.js';
import { AUDIT_EMAIL_COLUMNS, parseDirectory, parseEmailActivities, type DirectoryTable, type ImportProblem } from '../../analysis/auditImport.js';
import { envelope } from '../../analysis/report.js';
import { DEFAULT_SETTINGS, type DirectoryEntry } from '../../engine/index.js';
import { loadReplayInput } from '../../node/workspace/index.js';
import { runCommand, UsageError } from '../args.js';
import { guarded, InputError, openReadOnly, OUTPUT_HELP, OUTPUT_OPTIONS, outputTargets, resolveSettings, SETTINGS_SOURCE_HELP, std, writeOutputs, type Out } from './analysisIo.js';

const TABLES: readonly DirectoryTable[] = ['contact', 'account', 'lead', 'systemuser', 'queue'];

export const USAGE = `usage: audit --workspace FILE --emails FILE.json|FILE.csv [--directory [TABLE=]FILE]... [--settings SOURCE] [--json OUT] [--csv OUT] [--html OUT]

Compares what Dynamics recorded with what SyncLens decides. --emails is a Dataverse export of email
activities: the Web API JSON ({"value": [...]} with messageid, correlationmethod, _correlatedactivityid_value,
_regardingobjectid_value, ... and OData annotations) or the CSV of an Advanced Find / Excel export. Each
incoming record is matched to a workspace message by Message-ID (unmatched ones are reported both ways);
outgoing records become the tracked emails replies correlate to. The workspace is replayed with the
settings of the time and every disagreement is listed with SyncLens's trace and its cause. A setting or
an undocumented rule is named as the cause only when replaying with it gives Dynamics' recorded decision;
otherwise the row is "unexplained", with the nearest changes tried and what each gives instead.

Columns read (Web API name / CSV header names):
${AUDIT_EMAIL_COLUMNS.map((c) => `  ${c.webApi.padEnd(28)} ${c.csv.join(' | ')}${c.required ? ' (required)' : ''}`).join('\n')}
Samples: assets/audit-samples/ (emails.json, emails.csv, contacts.csv).

  --directory [TABLE=]FILE  contacts, accounts, leads, system users or queues exported the same two ways
                            (repeatable; TABLE = ${TABLES.join(', ')} when the file does not say)
  --settings SOURCE         the organization's settings at the time (default: the simulator's defaults)

${SETTINGS_SOURCE_HELP}

${OUTPUT_HELP}`;

function read(file: string, what: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) { throw new InputError(`${file}: cannot read the ${what}: ${(e as Error).message}`); }
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  return runCommand({ name: 'audit', usage: USAGE, options: { workspace: { type: 'string' }, emails: { type: 'string' }, settings: { type: 'string' }, directory: { type: 'string', multiple: true }, ...OUTPUT_OPTIONS } }, argv, io, (args) => guarded(io, () => {
    const directories = args.values.directory ?? [];
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const file = args.values['workspace'];
    const emailsFile = args.values['emails'];
    if (!file || !emailsFile) throw new UsageError('--workspace and --emails are required');
    const targets = outputTargets(args.values);

    const emails = parseEmailActivities(read(emailsFile, 'email export'), emailsFile);
    const problems: ImportProblem[] = emails.problems.map((p) => ({ ...p, problem: `${emailsFile}: ${p.problem}` }));
    const imported: DirectoryEntry[] = [];
    for (const spec of directories) {
      const m = /^([a-z]+)=(.+)$/.exec(spec);
      const table = m && (TABLES as readonly string[]).includes(m[1] as string) ? (m[1] as DirectoryTable) : undefined;
      const path = table ? (m?.[2] as string) : spec;
      const d = parseDirectory(read(path, 'directory export'), table, path);
      imported.push(...d.rows);
      problems.push(...d.problems.map((p) => ({ ...p, problem: `${path}: ${p.problem}` })));
    }

    const ws = openReadOnly(file);
    try {
      const src = args.values['settings'];
      const settings = src ? resolveSettings(src, ws, '--settings') : DEFAULT_SETTINGS;
      const input = loadReplayInput(ws);
      if (imported.length) {
        // The exported directory is the one of the time: its rows replace workspace rows with the same ref.
        const refs = new Set(imported.map((e) => e.ref));
        input.directory = { entries: [...input.directory.entries.filter((e) => !refs.has(e.ref)), ...imported] };
      }
      const r = runAudit({ input, settings, emails: emails.rows, importProblems: problems });
      const env = envelope('audit', r, { source: { workspace: file, emails: emailsFile, settings: src ?? 'default', ...(directories.length ? { directory: directories.join(', ') } : {}) } });
      if (writeOutputs(env, targets, io)) return 0;
      const c = r.counts;
      io.out(`Audit of ${c.records} records (${c.incoming} incoming, ${c.outgoing} outgoing; ${c.addedTracked} outgoing added as tracked emails):`);
      io.out(`  matched ${c.matched}: ${c.agreements} agree, ${c.disagreements} disagree`);
      io.out(`  records without a workspace message: ${c.unmatchedRecords}; workspace messages without a record: ${c.unmatchedMessages}`);
      if (r.verification.replays) io.out(`  causes tested by ${r.verification.replays} replays, one change each`);
      for (const k of r.causes) io.out(`  ${k.kind === 'unexplained' ? 'unexplained' : `cause ${k.kind}`}: ${k.count}`);
      for (const x of r.rows.filter((y) => !y.agree).slice(0, 20)) {
        const diff = x.fields.filter((f) => f.comparable && !f.agree).map((f) => `${f.field} ${String(f.dynamics)}≠${String(f.synclens)}`).join(', ');
        io.out(`  row ${x.row} ${JSON.stringify(x.subject)}: ${diff}`);
        for (const k of x.causes) io.out(`      ${k.kind}${k.verified ? ' (proven by replay)' : ''}: ${k.detail}`);
        for (const c of x.candidates) io.out(`      nearest: ${c.change} gives ${c.gives} (${c.agreeing} of ${c.of} fields agree)`);
      }
      for (const u of r.unmatchedRecords.slice(0, 20)) io.out(`  row ${u.row}: ${u.reason}`);
      for (const p of problems) io.out(`  import problem, row ${p.row}${p.column ? ` column ${p.column}` : ''}: ${p.problem}`);
      return 0;
    } finally {
      ws.close();
    }
  }));
}
