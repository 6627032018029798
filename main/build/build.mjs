// Builds SyncLens. `node main/build/build.mjs`: the Electron outputs with electron-vite
// (electron.vite.config.ts: dist/main and dist/renderer) and the Node outputs with esbuild (node.mjs:
// dist/node, the CLI, browser mode, engine host and sweep worker). `--web`: what browser mode needs, the
// renderer (Vite, the same renderer/vite.config.ts the Electron build extends, into the same
// dist/renderer) and dist/node when stale. `--renderer`: the renderer only (the e2e tests' set-up).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNode, ensureNodeBuild } from './node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** main, preload (with the host utility process and sweep worker entries) and renderer. */
export async function buildElectron({ logLevel = 'warn' } = {}) {
  const { build } = await import('electron-vite');
  await build({ configFile: path.join(root, 'electron.vite.config.ts'), logLevel });
}

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ root: path.join(root, 'renderer'), configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const web = process.argv.includes('--web');
  const rendererOnly = process.argv.includes('--renderer');
  try {
    if (rendererOnly) {
      await buildRenderer();
    } else if (web) {
      await buildRenderer();
      await ensureNodeBuild();
    } else {
      await buildElectron();
      await buildNode();
    }
    // stderr: `npm run web` starts the server right after, and stdout is its address line.
    console.error(`SyncLens: built ${rendererOnly ? 'dist/renderer' : web ? 'dist/renderer and dist/node' : 'dist/main, dist/renderer and dist/node'}.`);
  } catch (err) {
    console.error(`SyncLens: build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
