// The Node outputs, compiled once to dist/node so nothing runs through tsx at run time: the CLI
// (cli.js, also the `synclens` bin), browser mode's server (web.js) and its engine host child
// (nodeHost.js), and the tuning sweep's worker thread (sweepWorker.js). One esbuild build with code
// splitting: the entries share chunks, and every file lands flat in dist/node, so an entry starts a
// sibling entry by its name (sweepParallel.ts, server.ts) whichever chunk the starting code ended up in.
// Dependencies stay in node_modules (packages: 'external'): these outputs run from the project, and
// Node's own resolver loads CommonJS packages without the require shims a bundled ESM file would need.
//
// The build is checked before every start (ensureNodeBuild): it is redone only when a source under
// core/ or main/ (or the package manifests) is newer than the last build, which costs a few ms of
// stat calls when nothing changed (nodeFresh.mjs). Concurrent starts (the test suite spawns many) wait on one lock.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFresh, NODE_OUT, STAMP } from './nodeFresh.mjs';

export { NODE_OUT };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOCK = path.join(root, 'dist', '.node-build.lock');

export const NODE_ENTRIES = {
  cli: 'core/cli/main.ts',
  web: 'main/web/server.ts',
  nodeHost: 'main/host/nodeHostProcess.ts',
  sweepWorker: 'core/node/analysis/sweepWorker.ts',
  // The bounded .msg parser's worker thread, started as the sibling of the importer's chunk (msgParser.ts).
  msgWorker: 'core/node/import/msgWorker.ts',
};

export async function buildNode() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: NODE_ENTRIES,
    outdir: NODE_OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The Node these outputs support (package.json engines); Electron's own build targets its Node.
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    metafile: true,
  });
  // Chunk names carry a content hash. Files of earlier builds are removed only once they are an hour
  // old: a server or sweep started from the previous build may still import its own chunks.
  const current = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
  for (const name of fs.readdirSync(NODE_OUT)) {
    const f = path.join(NODE_OUT, name);
    if (name.startsWith('chunk-') && !current.has(f) && !current.has(f.replace(/\.map$/, '')) && Date.now() - fs.statSync(f).mtimeMs > 3_600_000) fs.rmSync(f, { force: true });
  }
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/node when a source changed since the last build; one process builds, the others wait. */
export async function ensureNodeBuild() {
  if (isFresh()) return false;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    let fd;
    try {
      fd = fs.openSync(LOCK, 'wx');
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than two minutes belongs to a build that died: take it over.
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > 120_000) fs.rmSync(LOCK, { force: true });
      } catch {
        // gone meanwhile
      }
      sleep(100);
      if (isFresh()) return false;
      continue;
    }
    try {
      if (isFresh()) return false;
      await buildNode();
      return true;
    } finally {
      fs.closeSync(fd);
      fs.rmSync(LOCK, { force: true });
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildNode();
    console.log('SyncLens: built dist/node (CLI, browser mode, engine host, sweep worker).');
  } catch (err) {
    console.error(`SyncLens: build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
