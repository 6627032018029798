// The CLI as a user runs it: the `synclens` bin (main/build/synclens.mjs), which builds dist/node from the
// sources when they changed and runs the compiled CLI. No tsx at run time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'main', 'build', 'synclens.mjs');

export function runCli(args: readonly string[], opts: { input?: string } = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
