// Runs SyncLens command lines against a project root, black-box: only the compiled CLI and its argv, never
// the project's modules by name, so the same equivalence tool runs on any commit whatever its internals.
//
// Two runners with the same answers:
//  - `spawn`: one `node main/build/synclens.mjs ARGS` process per command (what a user runs; ~0.2 s each);
//  - `inprocess`: the CLI entry (`dist/node/cli.js`, which runs `main(process.argv)` when loaded) is loaded
//    again per command under a fresh URL, with process.argv set and stdout/stderr captured. Explaining
//    thousands of messages one process each would take most of an hour on a 2-core machine; this takes
//    seconds. decisionDump checks a sample of its answers against `spawn` before trusting it.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  readonly kind: 'spawn' | 'inprocess';
  run(args: readonly string[]): Promise<CliResult>;
}

export class CliError extends Error {
  constructor(args: readonly string[], r: CliResult) {
    super(`synclens ${args.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' | ')}`);
    this.name = 'CliError';
  }
}

/** Runs a command and fails with its stderr unless it exits 0. */
export async function mustRun(cli: CliRunner, args: readonly string[]): Promise<string> {
  const r = await cli.run(args);
  if (r.code !== 0) throw new CliError(args, r);
  return r.stdout;
}

/**
 * Builds the project's CLI when a source changed (the launcher does that itself) by running `--help` once,
 * so later commands, in either runner, use a fresh dist/node.
 */
export function ensureBuilt(project: string): void {
  const launcher = path.join(project, 'main/build/synclens.mjs');
  if (!existsSync(launcher)) throw new Error(`${project}: no main/build/synclens.mjs; is this a SyncLens project root?`);
  const r = spawnSync(process.execPath, [launcher, '--help'], { cwd: project, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${project}: the CLI did not start: ${(r.stderr || r.stdout).trim()}`);
}

export function spawnRunner(project: string): CliRunner {
  const launcher = path.join(project, 'main/build/synclens.mjs');
  return {
    kind: 'spawn',
    run(args) {
      const r = spawnSync(process.execPath, [launcher, ...args], { cwd: project, encoding: 'utf8', maxBuffer: 1 << 30 });
      return Promise.resolve({ code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr });
    },
  };
}

type Write = typeof process.stdout.write;

export function inProcessRunner(project: string): CliRunner {
  const entry = path.join(project, 'dist/node/cli.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run the CLI once (node main/build/synclens.mjs --help) to build it`);
  const url = pathToFileURL(entry).href;
  let n = 0;
  // Every load of the entry adds its EPIPE listeners to stdout/stderr; they are harmless, the warning is not.
  process.stdout.setMaxListeners(0);
  process.stderr.setMaxListeners(0);
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (args: readonly string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const origOut: Write = process.stdout.write.bind(process.stdout);
    const origErr: Write = process.stderr.write.bind(process.stderr);
    const capture = (into: string[]): Write => ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((x): x is () => void => typeof x === 'function');
      if (cb) cb();
      return true;
    }) as Write;
    const argv = process.argv;
    const cwd = process.cwd();
    process.argv = [process.execPath, entry, ...args];
    process.exitCode = undefined;
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    try {
      process.chdir(project);
      await import(`${url}?run=${++n}`);
      // The entry sets process.exitCode when main() settles (success or the one-sentence failure).
      while (process.exitCode === undefined) await new Promise((r) => setImmediate(r));
      return { code: Number(process.exitCode), stdout: out.join(''), stderr: err.join('') };
    } finally {
      process.stdout.write = origOut;
      process.stderr.write = origErr;
      process.argv = argv;
      process.exitCode = undefined;
      process.chdir(cwd);
    }
  };
  return {
    kind: 'inprocess',
    run(args) {
      // One command at a time: they share process.argv, the exit code and the captured streams.
      const p = queue.then(() => runOne(args));
      queue = p.catch(() => undefined);
      return p;
    },
  };
}
