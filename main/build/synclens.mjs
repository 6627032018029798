#!/usr/bin/env node
// The `synclens` command (package.json "bin", and `npm run cli`): makes sure dist/node is built from the
// current sources, then runs the compiled CLI in this process. Build messages go to stderr, so stdout
// carries only the command's own output. Start time is a bench row (CLI start < 150 ms), so on the
// common path this loads only the freshness check (nodeFresh.mjs); the build code and esbuild load
// only when a source changed.
import { isFresh, NODE_OUT } from './nodeFresh.mjs';
import { checkNode, NODE_TOOLS } from './nodeVersion.mjs';

checkNode(NODE_TOOLS, 'the SyncLens CLI');
if (!isFresh()) {
  try {
    const { ensureNodeBuild } = await import('./node.mjs');
    await ensureNodeBuild();
  } catch (err) {
    process.stderr.write(`SyncLens: the CLI could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
const { pathToFileURL } = await import('node:url');
await import(pathToFileURL(`${NODE_OUT}/cli.js`).href);
