// The Electron build, with electron-vite (main, preload and renderer in one config; `electron-vite dev`
// serves the renderer with hot reload and restarts main when it changes). Chosen over Electron Forge's
// Vite plugin because Forge brings its own packager and makers (we package with electron-builder,
// electron-builder.yml) and its plugin ties the build to `electron-forge start`; electron-vite is only the
// build, reads one config file, and has the two import forms a utility process and worker need.
//
// Outputs (dist/, shared with browser mode and the CLI, which build dist/node from the same sources):
//   dist/main/main.cjs             main process (package.json "main")
//   dist/main/hostProcess-*.cjs    the engine host utility process, imported by main as `?modulePath`
//   dist/main/sweepWorker.cjs      the tuning sweep's worker thread, an entry of its own; the host starts
//                                  it as the sibling of its own file (core/node/analysis/sweepParallel.ts),
//                                  which is why every output is flat in dist/main
//   dist/main/msgWorker.cjs       the bounded .msg parser's worker thread, likewise beside the host
//   dist/main/preload.cjs          the sandboxed preload: one self-contained CommonJS file
//   dist/renderer/                 the renderer (also what browser mode serves)
// Everything is CommonJS, bundled except Electron and better-sqlite3: the package holds dist/ and
// better-sqlite3 only (electron-builder.yml), and better-sqlite3 loads the Electron-ABI binding it is
// handed at run time (main/build/native.mjs).
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'electron-vite';
import renderer from './renderer/vite.config';

const root = import.meta.dirname;
const out = (dir: string): string => resolve(root, 'dist', dir);
const cjs = { format: 'cjs' as const, entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' };
// Two warnings that say nothing about our code: zod's sources carry /* @__PURE__ */ notes where Rollup
// cannot use them, and a module both imported and import()ed (msgreader, loaded lazily by mailparse.ts)
// is not split off, which only matters for pages, not for a Node bundle loaded from disk.
type Warning = { code?: string; message: string };
const quietAnnotations = (warning: Warning, warn: (w: Warning) => void): void => {
  if (warning.code === 'INVALID_ANNOTATION') return;
  if (warning.message.includes('dynamic import will not move module into another chunk')) return;
  warn(warning);
};

export default defineConfig({
  main: {
    build: {
      outDir: out('main'),
      // main builds first (then preload into the same folder): old hashed host files do not pile up.
      emptyOutDir: true,
      sourcemap: true,
      // Bundle every dependency but these two (electron-builder ships dist/main and better-sqlite3 only).
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          main: resolve(root, 'main/electron/main.ts'),
          sweepWorker: resolve(root, 'core/node/analysis/sweepWorker.ts'),
          msgWorker: resolve(root, 'core/node/import/msgWorker.ts'),
        },
        external: ['better-sqlite3'],
        onwarn: quietAnnotations,
        output: cjs,
      },
    } as Record<string, unknown>,
  },
  preload: {
    build: {
      outDir: out('main'),
      emptyOutDir: false,
      sourcemap: true,
      // Sandboxed preloads cannot require anything but electron: bundle, one file, no chunks.
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'main/electron/preload.ts') },
        output: { ...cjs, inlineDynamicImports: true },
      },
    } as Record<string, unknown>,
  },
  renderer: mergeConfig(renderer, {
    root: resolve(root, 'renderer'),
    build: {
      outDir: out('renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  }),
});
