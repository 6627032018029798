// Dumps every decision and rendered trace a SyncLens project makes, black-box through its command line, so
// that two commits (before and after a refactor) can be compared byte for byte with compareDumps.ts.
//
//   npx tsx test/tools/decisionDump.ts --project ROOT --out FILE [--runner inprocess|spawn] [--only LIST]
//
// Two paths, each under every settings profile of dumpInputs.ts:
//  - scenario path (`scenario run DIR --json`, the fixed interface of SCENARIO-FORMAT.md): all decision
//    fields and the trace of every message of the corpora, of a generated mailbox with a directory and
//    tracked emails, and of every bundled scenario;
//  - workspace path (`import` one file at a time, `replay --settings`, `explain --run` per message): the
//    decisions the workspace stores and their prose as `explain` renders it, for the corpora and the
//    generated mail (imported without an organization: `import` has no way to load a directory or tracked
//    emails short of Dataverse exports).
// The CLI has no command that prints all decisions of a saved run, so the workspace path explains one
// message at a time; the default runner loads the CLI entry in this process per command (cliRunner.ts)
// and checks a sample of its answers against real processes.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt, inProcessRunner, mustRun, spawnRunner, type CliRunner } from './cliRunner.js';
import { canonical, DUMP_VERSION, recordLine, type DumpHeader, type DumpRecord } from './dumpFormat.js';
import { corpusFiles, generatedSet, labelOf, PROFILES, sha256 } from './dumpInputs.js';

const USAGE = `usage: npx tsx test/tools/decisionDump.ts --project ROOT --out FILE [options]

  --project ROOT       the SyncLens checkout to run (its main/build/synclens.mjs)
  --out FILE           where the dump goes (JSON Lines; compare two with test/tools/compareDumps.ts)
  --corpora DIR        the real-mail corpora (default: ../shared/corpora beside this tool's checkout)
  --scenarios DIR      the bundled scenarios (default: ROOT/assets/scenarios; give the same folder to both
                       runs when a commit in between edited them)
  --generated N        messages of the generated mailbox (default 3000)
  --seed N             its seed (default 14)
  --only LIST          sections, comma-separated: corpora, generated, library (default all)
  --runner KIND        inprocess (default; the CLI entry loaded per command) or spawn (one process per
                       command: the same answers, about 30× slower)
  --verify N           commands per workspace run re-run as real processes to check the inprocess runner (default 12)
  --keep               keep the temporary folder (printed)

Exit codes: 0 dump written, 1 a command failed or the runners disagreed, 2 usage.`;

const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Options {
  project: string; out: string; corpora: string; scenarios: string; generated: number; seed: number;
  only: Set<string>; runner: 'inprocess' | 'spawn'; verify: number; keep: boolean;
}

class UsageError extends Error {}

function options(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      project: { type: 'string' }, out: { type: 'string' }, corpora: { type: 'string' }, scenarios: { type: 'string' },
      generated: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, runner: { type: 'string' },
      verify: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.project || !values.out) throw new UsageError('--project and --out are required');
  const int = (v: string | undefined, d: number, what: string): number => {
    if (v === undefined) return d;
    if (!/^\d+$/.test(v)) throw new UsageError(`${what} must be a whole number, got '${v}'`);
    return Number(v);
  };
  const only = new Set((values.only ?? 'corpora,generated,library').split(',').map((s) => s.trim()).filter(Boolean));
  for (const s of only) if (!['corpora', 'generated', 'library'].includes(s)) throw new UsageError(`--only: unknown section '${s}' (corpora, generated, library)`);
  const runner = values.runner ?? 'inprocess';
  if (runner !== 'inprocess' && runner !== 'spawn') throw new UsageError(`--runner must be inprocess or spawn, got '${runner}'`);
  const project = path.resolve(values.project);
  return {
    project, out: path.resolve(values.out),
    corpora: path.resolve(values.corpora ?? path.join(TOOL_ROOT, '../shared/corpora')),
    scenarios: path.resolve(values.scenarios ?? path.join(project, 'assets/scenarios')),
    generated: int(values.generated, 3000, '--generated'), seed: int(values.seed, 14, '--seed'),
    only, runner, verify: int(values.verify, 12, '--verify'), keep: values.keep === true,
  };
}

// ---------- scenario path ----------

interface ScenarioMessage { file: string; mailbox: string; folder?: string }

/** Replays one scenario folder under every profile; `labels` maps a message file to its label. */
async function scenarioRecords(cli: CliRunner, dir: string, base: Record<string, unknown>, section: string, labels: Map<string, string>, merge: boolean): Promise<DumpRecord[]> {
  const records: DumpRecord[] = [];
  for (const [name, profile] of Object.entries(PROFILES)) {
    const own = (base.organization ?? {}) as Record<string, unknown>;
    // A bundled scenario's own settings are its point: "default" runs it as written, the others override.
    const organization = merge ? (name === 'default' ? own : { ...own, ...profile }) : profile;
    const sc = { ...base, ...(Object.keys(organization).length ? { organization } : {}) };
    if (!Object.keys(organization).length) delete sc.organization;
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(sc, null, 1));
    const stdout = await mustRun(cli, ['scenario', 'run', dir, '--json']);
    const results = JSON.parse(stdout) as Array<Record<string, unknown> & { file: string; trace: unknown[] }>;
    for (const r of results) {
      const { trace, ...fields } = r;
      records.push({ id: `scenario/${section}/${name}/${r.file}`, label: labels.get(r.file) ?? '', fields, trace: trace.map((s) => JSON.stringify(canonical(s))) });
    }
  }
  return records;
}

// ---------- workspace path ----------

interface WsImport { abs: string; mailbox: string; owner?: string; folder?: string }

const positionOf = (text: string): number | null => {
  const m = /Processed as #(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
};

async function workspaceRecords(cli: CliRunner, check: CliRunner | null, tmp: string, section: string, imports: WsImport[], verify: number): Promise<{ records: DumpRecord[]; explained: number }> {
  const ws = path.join(tmp, `${section}.synclens`);
  // One file per import, in a fixed order, so the workspace's row ids (which explain takes and traces may
  // name) do not depend on how a version of the importer walks folders.
  for (const im of imports) {
    await mustRun(cli, ['import', im.abs, '--workspace', ws, '--mailbox', im.mailbox, ...(im.owner ? ['--owner', im.owner] : []), ...(im.folder ? ['--folder', im.folder] : [])]);
  }
  const profilesDir = path.join(tmp, 'profiles');
  mkdirSync(profilesDir, { recursive: true });
  const records: DumpRecord[] = [];
  let explained = 0;
  for (const [name, profile] of Object.entries(PROFILES)) {
    const file = path.join(profilesDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(profile));
    const out = await mustRun(cli, ['replay', '--workspace', ws, '--settings', file]);
    const m = /^Run (\d+): (\d+) messages replayed/m.exec(out);
    if (!m) throw new Error(`replay of ${section} under ${name}: no "Run N: N messages replayed" line in:\n${out}`);
    const runId = m[1] as string;
    const count = Number(m[2]);
    // The summary minus what changes from run to run (the time, the settings file's temporary path).
    const summary = out.replace(/ in \d+ ms/, '').split(file).join(`${name}.json`).trimEnd().split('\n');
    records.push({ id: `workspace/${section}/${name}/(replay summary)`, label: '', fields: {}, trace: summary });
    let found = 0;
    let key = 0;
    const cap = count * 10 + 1000;
    const sampleEvery = verify > 0 ? Math.max(1, Math.floor(count / verify)) : Infinity;
    while (found < count) {
      if (++key > cap) throw new Error(`${section} under ${name}: found ${found} of ${count} decisions among keys 1..${cap}`);
      const args = ['explain', '--workspace', ws, '--message', String(key), '--run', runId];
      const r = await cli.run(args);
      if (r.code !== 0) {
        if (/has no decision/.test(r.stderr)) continue;
        throw new Error(`synclens ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      }
      found++;
      explained++;
      if (check && found % sampleEvery === 1) {
        const c = await check.run(args);
        if (c.stdout !== r.stdout || c.code !== r.code) throw new Error(`the inprocess runner and a real process disagree on synclens ${args.join(' ')}:\n--- inprocess\n${r.stdout}\n--- process\n${c.stdout}${c.stderr}`);
      }
      const paras = r.stdout.trimEnd().split('\n\n');
      const head = (paras[0] ?? '').replace(new RegExp(`^${key}: `), '');
      const pos = positionOf(r.stdout);
      const id = pos === null ? `key ${key}` : `#${String(pos).padStart(6, '0')}`;
      const mid = /Message-ID (<[^>]*>)/.exec(r.stdout)?.[1] ?? '(Message-ID not in the trace)';
      const date = /Processed as #\d+ at (\S+)/.exec(r.stdout)?.[1] ?? '(no date)';
      records.push({ id: `workspace/${section}/${name}/${id}`, label: `${date} | ${mid}`, fields: { head }, trace: paras.slice(1) });
    }
  }
  return { records, explained };
}

// ---------- main ----------

async function main(argv: string[]): Promise<number> {
  let o: Options | 'help';
  try { o = options(argv); } catch (e) {
    process.stderr.write(`decisionDump: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') { process.stdout.write(`${USAGE}\n`); return 0; }
  const t0 = performance.now();
  ensureBuilt(o.project);
  const cli = o.runner === 'spawn' ? spawnRunner(o.project) : inProcessRunner(o.project);
  const check = o.runner === 'inprocess' && o.verify > 0 ? spawnRunner(o.project) : null;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'synclens-equiv-'));
  const header: DumpHeader = { kind: 'synclens-decision-dump', version: DUMP_VERSION, inputs: {}, profiles: PROFILES, notes: { project: o.project, runner: cli.kind } };
  header.inputs.profiles = sha256(JSON.stringify(PROFILES));
  const records: DumpRecord[] = [];
  const log = (s: string): void => { process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`); };
  try {
    if (o.only.has('corpora')) {
      if (!existsSync(path.join(o.corpora, 'FEATURES.tsv'))) throw new Error(`${o.corpora}: no FEATURES.tsv; give the corpora folder with --corpora`);
      const files = corpusFiles(o.corpora);
      header.inputs.corpora = sha256(...files.flatMap((f) => [f.rel, '\0', ...f.messages, '\0']));
      const dir = path.join(tmp, 'corpora-scenario');
      const labels = new Map<string, string>();
      const messages: ScenarioMessage[] = [];
      for (const f of files) {
        f.messages.forEach((bytes, i) => {
          const rel = f.messages.length === 1 && bytes.length === readFileSync(f.abs).length ? `files/${f.rel}` : `files/${f.rel}#${i}`;
          mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
          if (rel.endsWith(f.rel)) symlinkSync(f.abs, path.join(dir, rel));
          else writeFileSync(path.join(dir, rel), bytes);
          labels.set(rel, labelOf(bytes.toString('latin1')));
          messages.push({ file: rel, mailbox: 'corpora@corpora.example', folder: 'Inbox' });
        });
      }
      header.notes.corpora = { files: files.length, messages: messages.length };
      const base = {
        title: 'Corpora', lesson: 'Equivalence input (test/tools/decisionDump.ts), not a lesson.',
        directory: { users: [{ id: 'corpora', name: 'Corpora', emails: ['corpora@corpora.example'], trackingNumber: 1 }] },
        mailboxes: [{ owner: 'user:corpora', address: 'corpora@corpora.example', filter: 1 }],
        messages,
      };
      records.push(...await scenarioRecords(cli, dir, base, 'corpora', labels, false));
      log(`corpora: scenario path done (${messages.length} messages × ${Object.keys(PROFILES).length} profiles)`);
      const w = await workspaceRecords(cli, check, tmp, 'corpora', files.map((f) => ({ abs: f.abs, mailbox: 'corpora@corpora.example' })), o.verify);
      records.push(...w.records);
      log(`corpora: workspace path done (${w.explained} decisions explained)`);
    }
    if (o.only.has('generated')) {
      const g = generatedSet(o.seed, o.generated);
      const dir = path.join(tmp, 'generated-scenario');
      const labels = new Map<string, string>();
      const messages: ScenarioMessage[] = [];
      const imports: WsImport[] = [];
      for (const mb of g.mailboxes) {
        for (const m of mb.messages) {
          const abs = path.join(dir, m.file);
          mkdirSync(path.dirname(abs), { recursive: true });
          writeFileSync(abs, m.raw);
          labels.set(m.file, labelOf(m.raw));
          messages.push({ file: m.file, mailbox: mb.address, folder: m.folder });
          imports.push({ abs, mailbox: mb.address, owner: mb.owner, folder: m.folder });
        }
      }
      header.inputs.generated = sha256(JSON.stringify(g.scenario), ...g.mailboxes.flatMap((mb) => mb.messages.flatMap((m) => [m.file, m.folder, m.raw])));
      header.notes.generated = { seed: o.seed, messages: messages.length, tracked: (g.scenario.tracked as unknown[]).length };
      records.push(...await scenarioRecords(cli, dir, { ...g.scenario, messages }, 'generated', labels, false));
      log(`generated: scenario path done (${messages.length} messages)`);
      const w = await workspaceRecords(cli, check, tmp, 'generated', imports, o.verify);
      records.push(...w.records);
      log(`generated: workspace path done (${w.explained} decisions explained)`);
    }
    if (o.only.has('library')) {
      if (!existsSync(o.scenarios)) throw new Error(`${o.scenarios}: no such folder; give the bundled scenarios with --scenarios`);
      const ids = readdirSync(o.scenarios, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(o.scenarios, d.name, 'scenario.json'))).map((d) => d.name).sort();
      const hashes: string[] = [];
      for (const id of ids) {
        const dir = path.join(tmp, 'library', id);
        cpSync(path.join(o.scenarios, id), dir, { recursive: true });
        const base = JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as Record<string, unknown> & { messages?: ScenarioMessage[] };
        const labels = new Map<string, string>();
        for (const m of base.messages ?? []) {
          const raw = readFileSync(path.join(dir, m.file));
          labels.set(m.file, labelOf(raw.toString('latin1')));
          hashes.push(id, m.file, sha256(raw));
        }
        hashes.push(id, sha256(readFileSync(path.join(dir, 'scenario.json'))));
        records.push(...await scenarioRecords(cli, dir, base, `library/${id}`, labels, true));
      }
      header.inputs.library = sha256(...hashes);
      header.notes.library = { scenarios: ids.length, from: o.scenarios };
      log(`library: ${ids.length} scenarios done`);
    }
  } finally {
    if (o.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < records.length; i++) if (records[i]?.id === records[i - 1]?.id) throw new Error(`two records with the id ${records[i]?.id}`);
  header.notes.records = records.length;
  writeFileSync(o.out, [JSON.stringify(header), ...records.map(recordLine)].join('\n') + '\n');
  log(`wrote ${records.length} records to ${o.out}`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`decisionDump: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
