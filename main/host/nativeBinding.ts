// Points better-sqlite3 at an Electron-ABI build of its addon without touching node_modules.
// better-sqlite3 loads its default addon through `require('bindings')('better_sqlite3.node')`; the
// workspace layer (core/node/workspace/open.ts) does not take a `nativeBinding` option yet, so the
// host pre-seeds the module cache entry of `bindings` as seen from better-sqlite3 with a loader that
// returns the chosen addon. When openWorkspace accepts `nativeBinding`, pass it there and drop this.
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';

export function useNativeBinding(addonPath: string): void {
  if (!fs.existsSync(addonPath)) {
    throw new Error(`The Electron build of better-sqlite3 is missing at ${addonPath}: run \`npm start\` again to rebuild it.`);
  }
  const here = createRequire(import.meta.url);
  const addon: unknown = here(addonPath);
  const fromSqlite = createRequire(here.resolve('better-sqlite3'));
  const bindingsPath = fromSqlite.resolve('bindings');
  const stub = new Module(bindingsPath);
  stub.filename = bindingsPath;
  stub.loaded = true;
  stub.exports = (_name: string): unknown => addon;
  here.cache[bindingsPath] = stub;
}
