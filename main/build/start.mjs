// `npm start`: build (electron-vite), make sure the Electron binary is there, make the Electron-ABI copy
// of better-sqlite3 for this machine (node_modules keeps the Node build the tests use), then open
// SyncLens on the sample workspace. Where Electron cannot be had it says so in one line and points to
// browser mode.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build.mjs';
import { BROWSER_HINT, electronEnv, ensureElectronBinary, fail } from './electronBinary.mjs';
import { ensureElectronNative } from './native.mjs';
import { nodeAtLeast, NODE_ELECTRON } from './nodeVersion.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

try {
  // Errors only: where Electron cannot run, the one line below is all `npm start` prints.
  await buildElectron({ logLevel: 'error' });
} catch (err) {
  fail(`build failed: ${err instanceof Error ? err.message : String(err)}`);
}
const exe = ensureElectronBinary();
// @electron/rebuild (the native copy) declares Node >= 22.12; the build and the binary do not need it.
if (!nodeAtLeast(NODE_ELECTRON)) fail(`the Electron app needs Node >= ${NODE_ELECTRON.join('.')} to prepare its native module (this is Node ${process.versions.node}); ${BROWSER_HINT}`);
let binding;
try {
  binding = await ensureElectronNative();
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}; ${BROWSER_HINT}`);
}
const extra = process.argv.slice(2);
const args = ['.', '--native-binding', binding, ...(extra.some((a) => a === '--workspace') ? [] : ['--sample']), ...extra];
const child = spawn(exe, args, { cwd: root, stdio: 'inherit', env: electronEnv() });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
