#!/usr/bin/env node
// The `synclens` command (package.json "bin", and `npm run cli`): makes sure dist/node is built from the
// current sources (main/build/node.mjs; a few ms when nothing changed), then runs the compiled CLI in
// this process. Build messages go to stderr, so stdout carries only the command's own output.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNodeBuild, NODE_OUT } from './node.mjs';
import { checkNode, NODE_TOOLS } from './nodeVersion.mjs';

checkNode(NODE_TOOLS, 'the SyncLens CLI');
try {
  await ensureNodeBuild();
} catch (err) {
  process.stderr.write(`SyncLens: the CLI could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
await import(pathToFileURL(path.join(NODE_OUT, 'cli.js')).href);
