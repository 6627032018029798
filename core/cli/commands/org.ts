// `org import PATH... --workspace FILE [--table NAME] [--json]` and `org show --workspace FILE [--json]`:
// load a real organization from what an admin exports without code (Dataverse Web API JSON, Excel /
// Advanced Find CSV; SIMULATOR §9) into a workspace, and show what was loaded, by table, with counts and
// problems. Arguments are read with node:util.parseArgs.

import { parseArgs } from 'node:util';
import { choiceLabel, DELIVERY_METHOD, FILTERING_METHOD } from '../../org/choices.js';
import type { OrgProblem } from '../../org/types.js';
import { readOrgExports } from '../../node/org/readExports.js';
import { openWorkspace } from '../../node/workspace/open.js';
import { ORG_PROFILE, orgShow, saveOrgLoad } from '../../node/workspace/org.js';
import { loadDirectory } from '../../node/workspace/repo.js';
import { runPull } from './orgPull.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export const USAGE = `usage: org import PATH... --workspace FILE [--table NAME] [--json]
       org pull --url https://ORG.crm.dynamics.com --workspace FILE [--since DATE] [--mailbox ADDRESS]... (org pull --help)
       org show --workspace FILE [--json]

org import   loads Dataverse exports (files, or folders of them) into the workspace:
             organization (its settings and orgdborgsettings), emailserverprofile, systemuser,
             usersettings, queue, mailbox, mailboxtrackingfolder, contact, account, lead, any other
             email-enabled table, email (with email_activity_parties) and activityparty.
             Each file is the body of a Web API GET /api/data/v9.2/<set>?$select=... saved to a file
             (one page or several; with or without @odata and FormattedValue annotations), or an Excel /
             Advanced Find export saved as CSV (display names as headers, choice labels as values).
             The table comes from @odata.context, the hidden "(Do Not Modify) <Table>" column, the file
             name or the columns; --table NAME says it for every file given (a custom email-enabled
             table by its logical name). A row loaded again (same table and id) replaces the earlier one.
             Bad rows are reported by file, row and column; the rest loads. The mailboxes, directory and
             emails land where replay, whatif, sweep and audit read them; the organization's settings
             become the settings profile "${ORG_PROFILE}" (replay uses it by default). CSV dates without a
             zone are read as UTC.
org show     what was loaded: files, rows by table, settings (simulated and only kept), mailboxes with
             owner, filtering method, incoming delivery, Process Emails From and tracked folders, and
             every problem.

Exit codes: 0 loaded (row problems are listed, not failures), 1 a file or the workspace failed, 2 usage.`;

function problemLine(p: OrgProblem): string {
  return `${p.file}${p.row ? ` row ${p.row}` : ''}${p.column ? ` column ${p.column}` : ''}: ${p.problem}`;
}

function fail(io: Out, message: string): number {
  io.err(`org: ${message}\n${USAGE}`);
  return 2;
}

export async function run(argv: string[], io: Out = std): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') { (sub === undefined ? io.err : io.out)(USAGE); return sub === undefined ? 2 : 0; }
  if (sub === 'pull') return runPull(rest, io);
  if (sub !== 'import' && sub !== 'show') return fail(io, `unknown subcommand "${sub}" (import, pull or show)`);
  let values: { workspace?: string; table?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: { workspace: { type: 'string' }, table: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    return fail(io, (e as Error).message);
  }
  if (values.help) { io.out(USAGE); return 0; }
  if (!values.workspace) return fail(io, '--workspace FILE is required');
  if (sub === 'show') {
    if (positionals.length) return fail(io, `unexpected argument ${positionals[0]}`);
    if (values.table) return fail(io, '--table applies to org import only');
    let ws;
    try { ws = openWorkspace(values.workspace, { create: false, readonly: true }); } catch (e) { io.err(`org: ${(e as Error).message}`); return 1; }
    try {
      const s = orgShow(ws);
      // People read names, not ids: a Regarding shows the row's name when the directory holds it.
      const names = new Map(loadDirectory(ws).entries.map((e) => [e.ref, e.name]));
      const named = (ref: string): string => names.get(ref) ?? ref.replace(/^record:/, '');
      if (values.json) { io.out(JSON.stringify(s, null, 2)); return 0; }
      if (s.files.length === 0) { io.out(`Nothing loaded from an organization into ${values.workspace} yet (org import PATH... --workspace ${values.workspace}).`); return 0; }
      io.out(`Organization loaded into ${values.workspace}:`);
      io.out('Files:');
      for (const f of s.files) io.out(`  ${f.file}: ${f.customTable ?? f.table} (${f.shape === 'csv' ? 'CSV' : 'Web API JSON'}, table from ${f.detectedBy}), ${f.loaded} of ${f.rows} rows loaded, ${f.problems} problem(s)`);
      io.out('Rows by table:');
      for (const t of s.tables) io.out(`  ${t.table.padEnd(24)} ${t.rows}`);
      io.out(`Landed: ${s.mailboxes.length} mailbox(es), ${s.landed.directory} directory row(s), ${s.landed.tracked} tracked email(s)`);
      const known = s.settings.filter((x) => x.known);
      const unknown = s.settings.filter((x) => !x.known);
      if (s.settings.length) io.out(`Settings (profile "${ORG_PROFILE}"): ${known.map((x) => `${x.name} = ${JSON.stringify(x.value)}`).join(', ') || 'none differ from a value of the export'}`);
      if (unknown.length) io.out(`Settings SyncLens does not simulate (kept, shown only): ${unknown.map((x) => `${x.name} = ${JSON.stringify(x.value)} (${x.source})`).join(', ')}`);
      if (s.mailboxes.length) io.out('Mailboxes:');
      for (const m of s.mailboxes) {
        io.out(`  ${m.address}: owner ${m.ownerName ?? m.owner} (${m.owner.startsWith('queue:') ? 'queue' : 'user'}); filter ${m.filter} "${choiceLabel(FILTERING_METHOD, m.filter)}" from ${m.filterSource.split(':')[0]!.replace(' (usersettings)', '')}; ` +
          `incoming ${m.delivery === null ? 'unknown' : `"${choiceLabel(DELIVERY_METHOD, m.delivery)}"`}${m.incoming ? '' : ' (not synchronized)'}; Process Emails From ${m.processEmailsFrom ?? 'not set'}` +
          `${m.trackedFolders.length ? `; tracked folders ${m.trackedFolders.map((f) => `${f.folder}${f.regarding ? ` → ${named(f.regarding)}` : ''}`).join(', ')}` : ''}`);
        for (const n of m.notes) io.out(`      ${n}`);
      }
      if (s.problems.length) io.out(`Problems (${s.problems.length}):`);
      for (const p of s.problems) io.out(`  ${problemLine(p)}`);
      return 0;
    } finally {
      ws.close();
    }
  }
  if (positionals.length === 0) return fail(io, 'give at least one PATH (an export file or a folder of them)');
  const read = readOrgExports(positionals, values.table ? { table: values.table } : {});
  if (read.results.length === 0) {
    for (const f of read.failures) io.err(`org: ${f.file}: ${f.problem}`);
    io.err(`org: nothing to load${read.skipped.length ? ` (${read.skipped.length} file(s) skipped: neither .json nor .csv)` : ''}`);
    return 1;
  }
  let ws;
  try { ws = openWorkspace(values.workspace); } catch (e) { io.err(`org: ${(e as Error).message}`); return 1; }
  try {
    const summary = saveOrgLoad(ws, read.results);
    if (values.json) {
      io.out(JSON.stringify({ ...summary, failures: read.failures, skipped: read.skipped }, null, 2));
    } else {
      io.out(`Loaded ${summary.files.length} file(s) into ${values.workspace}:`);
      for (const f of summary.files) io.out(`  ${f.file}: ${f.customTable ?? f.table} (${f.shape === 'csv' ? 'CSV' : 'Web API JSON'}, table from ${f.detectedBy}), ${f.loaded} of ${f.rows} rows${f.problems ? `, ${f.problems} problem(s)` : ''}`);
      const l = summary.landed;
      io.out(`Landed: ${l.mailboxes} mailbox(es), ${l.directory} directory row(s), ${l.tracked} tracked email(s)` +
        (l.settings ? `; organization settings as the profile "${ORG_PROFILE}"${l.unknownSettings ? ` (${l.unknownSettings} setting(s) SyncLens does not simulate kept; see org show)` : ''}` : ''));
      if (summary.problems.length) io.out(`Problems (${summary.problems.length}):`);
      for (const p of summary.problems) io.out(`  ${problemLine(p)}`);
      for (const s of read.skipped) io.out(`  skipped ${s}: neither .json nor .csv`);
    }
    for (const f of read.failures) io.err(`org: ${f.file}: ${f.problem}`);
    return read.failures.length ? 1 : 0;
  } catch (e) {
    io.err(`org: ${values.workspace}: ${(e as Error).message}`);
    return 1;
  } finally {
    ws.close();
  }
}
