// Shared plumbing of the reliability suite: fast vs long mode, temp folders that are always removed, running
// the CLI (or a helper script) in a child process with tsx, and a figures file the README table is built from.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `npm run test:long` sets SYNCLENS_LONG=1: the kill loop and the big files run at full size. */
export const LONG = process.env.SYNCLENS_LONG === '1';
export const MODE = LONG ? 'long' : 'fast';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
export const CLI = path.join(ROOT, 'core', 'cli', 'main.ts');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `synclens-rel-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `tsx SCRIPT ARGS…` and waits; for the CLI pass CLI as the script. */
export function runTsx(script: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [TSX, script, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env },
  });
}

/** Starts `tsx SCRIPT ARGS…` without waiting (for the kill loop). */
export function spawnTsx(script: string, args: readonly string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [TSX, script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Figures measured by the suite, merged into one JSON file per mode (read when the README table is updated). */
export const FIGURES_FILE = path.join(os.tmpdir(), `synclens-reliability-figures-${MODE}.json`);

export function recordFigures(section: string, figures: Record<string, unknown>): void {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // First section of this run.
  }
  all[section] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2));
}

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Runs the CLI as a user file permissions apply to: root ignores chmod, so as root the child drops to nobody
 * (setpriv); as any other user it runs as is. `fileSizeLimitKB` sets `ulimit -f` with SIGXFSZ ignored, so
 * writes past the limit fail with EFBIG like on a full disk instead of killing the process.
 */
export function runCliRestricted(args: readonly string[], opts: { unprivileged?: boolean; fileSizeLimitKB?: number } = {}): SpawnSyncReturns<string> {
  const node = [process.execPath, TSX, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const limit = opts.fileSizeLimitKB !== undefined ? `trap '' XFSZ; ulimit -f ${opts.fileSizeLimitKB}; ` : '';
  const drop = opts.unprivileged && IS_ROOT ? 'setpriv --reuid=65534 --regid=65534 --clear-groups ' : '';
  return spawnSync('bash', ['-c', `${limit}exec ${drop}${node}`], {
    cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, HOME: os.tmpdir() },
  });
}

/** A tiny tmpfs when this process may mount one (root in a VM or container); null otherwise. */
export function mountTinyTmpfs(dir: string, size: string): { dir: string; unmount: () => void } | null {
  if (!IS_ROOT) return null;
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return { dir, unmount: () => void spawnSync('umount', [dir]) };
}

export { IS_ROOT };
