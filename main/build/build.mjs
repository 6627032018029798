// Builds SyncLens: esbuild bundles Electron main, the sandboxed preload, the engine host and its sweep
// worker to CJS in dist/main; Vite builds the renderer to dist/renderer. `--renderer` builds only the
// renderer (browser mode needs nothing else).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronNative } from './native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function buildRenderer() {
  await viteBuild({ root: path.join(root, 'renderer'), configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

export async function buildMain() {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
    // ESM sources use import.meta.url; in the CJS bundles it is the bundle file's own URL.
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  };
  await Promise.all([
    esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/main.cjs', external: ['electron'] }),
    // The preload runs sandboxed: one self-contained CJS file that may only require('electron').
    esbuild({ ...common, banner: {}, define: {}, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/main/preload.cjs', external: ['electron'], platform: 'browser' }),
    // better-sqlite3 stays external: it loads its native binding at run time (the Electron-ABI copy).
    esbuild({ ...common, entryPoints: ['main/host/hostProcess.ts'], outfile: 'dist/main/host.cjs', external: ['electron', 'better-sqlite3'] }),
    // The tuning sweep's worker thread, its own file beside host.cjs: the bundled host starts it by that
    // name (main/host/analysis.ts, sweepWorkerUrl). It needs only the pure engine and analysis code.
    esbuild({ ...common, entryPoints: ['core/node/analysis/sweepWorker.ts'], outfile: 'dist/main/sweepWorker.cjs' }),
  ]);
}

const rendererOnly = process.argv.includes('--renderer');
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (!rendererOnly) await buildMain();
    await buildRenderer();
    // A full build is what `npm run dist` packages: it needs the Electron-ABI binding. Without
    // network this cannot be made; say so, but the JS build itself still succeeded.
    if (process.argv.includes('--native')) {
      try {
        await ensureElectronNative();
      } catch (err) {
        console.error(`SyncLens: ${err instanceof Error ? err.message : String(err)}; \`npm run dist\` needs it (run with network once).`);
        process.exit(1);
      }
    }
    console.log(`SyncLens: built ${rendererOnly ? 'dist/renderer' : 'dist/main and dist/renderer'}.`);
  } catch (err) {
    console.error(`SyncLens: build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
