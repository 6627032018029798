// `npm run dev`: electron-vite's dev mode. The renderer is served by Vite with hot reload (main loads it
// from ELECTRON_RENDERER_URL, and trusts that loopback origin only while unpackaged: security.ts
// devServerOrigin); main, preload, the host and the worker are rebuilt and Electron restarted when they
// change. Needs Electron's binary and Node >= 22.12 (the Electron-ABI better-sqlite3 copy).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_HINT, electronEnv, ensureElectronBinary, fail } from './electronBinary.mjs';
import { ensureElectronNative } from './native.mjs';
import { nodeAtLeast, NODE_ELECTRON } from './nodeVersion.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

ensureElectronBinary();
if (!nodeAtLeast(NODE_ELECTRON)) fail(`\`npm run dev\` needs Node >= ${NODE_ELECTRON.join('.')} (this is Node ${process.versions.node}); ${BROWSER_HINT}`);
let binding;
try {
  binding = await ensureElectronNative();
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}; ${BROWSER_HINT}`);
}
// electron-vite starts Electron with this process's environment (ELECTRON_RUN_AS_NODE removed, not
// emptied: electronBinary.mjs) and these arguments.
process.env = electronEnv();
const extra = process.argv.slice(2);
process.env.ELECTRON_CLI_ARGS = JSON.stringify(['--native-binding', binding, ...(extra.includes('--workspace') ? [] : ['--sample']), ...extra]);
const { createServer } = await import('electron-vite');
await createServer({ configFile: path.join(root, 'electron.vite.config.ts') }, { rendererOnly: false });
