// `npm start`: build, make sure the Electron binary is there, make an Electron-ABI copy of
// better-sqlite3 (node_modules keeps the Node build that `npm test` needs), then open SyncLens on the
// sample workspace. Where Electron cannot be fetched it says so in one line and points to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMain, buildRenderer } from './build.mjs';
import { ensureElectronNative } from './native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const electronVersion = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
const BROWSER_HINT = 'run `npm run web` to use SyncLens in your browser.';

function fail(line) {
  console.error(`SyncLens: ${line}`);
  process.exit(1);
}

/** Electron's own installer (downloads lazily); its verbose failure is condensed to one line. */
function ensureElectronBinary() {
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

try {
  await buildMain();
  await buildRenderer();
} catch (err) {
  fail(`build failed: ${err instanceof Error ? err.message : String(err)}`);
}
const exe = ensureElectronBinary();
let binding;
try {
  binding = await ensureElectronNative(electronVersion);
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}; ${BROWSER_HINT}`);
}
const extra = process.argv.slice(2);
const args = ['.', '--native-binding', binding, ...(extra.some((a) => a === '--workspace') ? [] : ['--sample']), ...extra];
const child = spawn(exe, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
child.on('exit', (code) => process.exit(code ?? 0));
