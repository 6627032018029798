// Electron's binary, fetched by the electron package's own installer on first use. Where it cannot be
// downloaded (no network) the failure is condensed to one line that points to browser mode.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronDir = path.join(root, 'node_modules', 'electron');
export const BROWSER_HINT = 'run `npm run web` to use SyncLens in your browser.';

export function fail(line) {
  console.error(`SyncLens: ${line}`);
  process.exit(1);
}

/** The Electron executable's path; exits with one line when it cannot be had. */
export function ensureElectronBinary() {
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', timeout: 300_000 });
  const pathFile = path.join(electronDir, 'path.txt');
  if (r.status !== 0 || !fs.existsSync(pathFile)) {
    const firstError = `${r.stderr ?? ''}${r.error ? r.error.message : ''}`.split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|timed? ?out/i.test(l)) ?? 'download failed';
    fail(`Electron's binary could not be downloaded (${firstError.trim().slice(0, 160)}); ${BROWSER_HINT}`);
  }
  const exe = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  if (!fs.existsSync(exe)) fail(`Electron's binary is missing at ${exe}; delete node_modules/electron, reinstall, or ${BROWSER_HINT}`);
  return exe;
}

/**
 * The environment for Electron: ELECTRON_RUN_AS_NODE removed, not emptied. Electron (on Windows in
 * particular) treats a variable that is present as set, and would run as plain Node with no window.
 */
export function electronEnv(env = process.env) {
  const out = { ...env };
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}
