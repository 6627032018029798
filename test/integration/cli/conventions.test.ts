// What every command of the compiled CLI shares (core/cli/args.ts): --help, exit codes 0 ok / 1 failure /
// 2 usage, node:util.parseArgs rules (unknown options refused, `--name=value`, repeatable options), quiet
// end on a closed pipe; and the scenario interface of SCENARIO-FORMAT.md through `npm run cli`, where
// standard output must be exactly one JSON array.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './runCli.js';

const SCENARIO = path.join(ROOT, 'assets', 'scenarios', '02-reply-correlates-by-in-reply-to');

function commandNames(): string[] {
  const h = runCli(['--help']);
  expect(h.code).toBe(0);
  const line = h.out.split('\n').find((l) => l.startsWith('commands: '));
  return (line ?? '').slice('commands: '.length).split(', ').filter(Boolean);
}

describe('every command', () => {
  it('answers --help and -h on stdout with its usage and exit code 0', () => {
    const names = commandNames();
    // The commands the project documents (README), including the three that used to refuse --help.
    for (const c of ['scenario', 'token', 'thread-index', 'import', 'inspect', 'workspace', 'replay', 'explain', 'whatif', 'sweep', 'audit', 'report']) expect(names).toContain(c);
    for (const c of names) {
      for (const flag of ['--help', '-h']) {
        const r = runCli([c, flag]);
        expect(r.code, `${c} ${flag}: ${r.err}`).toBe(0);
        expect(r.out, c).toMatch(/^usage:/);
        expect(r.err, c).toBe('');
      }
    }
  });

  it('answers --help after a subcommand too', () => {
    for (const args of [['scenario', 'run', '--help'], ['workspace', 'stats', '--help'], ['router', 'check', '--help'], ['token', 'issue', '--help']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/^usage:/);
    }
  });

  it('refuses an unknown option or command with exit code 2, naming it, on stderr', () => {
    const r = runCli(['inspect', 'x.eml', '--colour']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^inspect: unknown option --colour\nusage: inspect /);
    const u = runCli(['frobnicate']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/unknown command 'frobnicate'/);
    const m = runCli(['explain', '--workspace']);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/--workspace/);
    expect(runCli([]).code).toBe(2);
  });

  it('exits 1 when the work fails and 0 when it succeeds', () => {
    expect(runCli(['thread-index', 'decode', 'AAAA']).code).toBe(1);
    expect(runCli(['token', 'parse', 'no token here']).code).toBe(1);
    expect(runCli(['token', 'parse', 'RE: Quote CRM:0001323']).code).toBe(0);
    expect(runCli(['inspect', path.join(os.tmpdir(), 'synclens-no-such-file.eml')]).code).toBe(1);
  });

  it('takes --name=value and repeated options', () => {
    const r = runCli(['token', 'issue', '--user=1', '--counter=998', '--count=2']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('CRM:0001998\nCRM:0001999\n');
    // audit's --directory repeats: both files are read (and reported unreadable, by name, as input errors).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-cli-conv-'));
    try {
      const emails = path.join(dir, 'emails.json');
      fs.writeFileSync(emails, JSON.stringify({ value: [] }));
      const a = runCli(['audit', '--workspace', path.join(dir, 'none.synclens'), '--emails', emails, '--directory', `contact=${path.join(dir, 'c.csv')}`, '--directory', path.join(dir, 'a.csv')]);
      expect(a.code).toBe(2);
      expect(a.err).toMatch(/c\.csv: cannot read the directory export/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends quietly when the reader of its output goes away', async () => {
    // 200,000 lines, far more than a pipe buffers; the reader takes the first chunk and closes.
    const child = spawn(process.execPath, [BIN, 'token', 'issue', '--user', '1', '--counter', '1', '--count', '200000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

describe('the scenario interface (SCENARIO-FORMAT.md)', () => {
  it('`npm run cli -- scenario run DIR --json` prints exactly one JSON array on stdout', () => {
    // Through npm itself, as the spec writes it: npm's "> script" banner must not reach stdout.
    const npmCli = process.env['npm_execpath'];
    const r = npmCli
      ? spawnSync(process.execPath, [npmCli, 'run', 'cli', '--', 'scenario', 'run', SCENARIO, '--json'], { cwd: ROOT, encoding: 'utf8' })
      : spawnSync('npm', ['run', 'cli', '--', 'scenario', 'run', SCENARIO, '--json'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
    expect(r.status, r.stderr).toBe(0);
    const parsed: unknown = JSON.parse(r.stdout);
    expect(Array.isArray(parsed)).toBe(true);
    for (const x of parsed as Array<Record<string, unknown>>) {
      for (const k of ['file', 'outcome', 'tracked', 'correlationMethod', 'correlationMethodCode', 'correlatedTo', 'parent', 'regarding', 'acceptingEntity', 'receivingMailbox', 'flags', 'trace']) expect(x, k).toHaveProperty(k);
    }
  });

  it('`scenario check` exits 2 when a scenario cannot be read, after checking the others', () => {
    const r = runCli(['scenario', 'check', SCENARIO, path.join(os.tmpdir(), 'synclens-no-such-scenario')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/\d+ passed, 0 failed\n$/);
    expect(r.err).toMatch(/synclens-no-such-scenario/);
  });
});
