// better-sqlite3 rebuilt for Electron's ABI, in a cache copy: node_modules keeps the Node 20 build
// that `npm test` and browser mode use, and is never rebuilt in place. The result is also copied to
// node_modules/.cache/synclens-electron-native/current/ so electron-builder.yml can name it without a version.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Returns the path of the Electron-ABI better_sqlite3.node; throws one-line errors. */
export async function ensureElectronNative(version = electronVersion()) {
  const cacheRoot = path.join(root, 'node_modules', '.cache', 'synclens-electron-native', version);
  const moduleCopy = path.join(cacheRoot, 'node_modules', 'better-sqlite3');
  const binding = path.join(moduleCopy, 'build', 'Release', 'better_sqlite3.node');
  const current = path.join(root, 'node_modules', '.cache', 'synclens-electron-native', 'current', 'better_sqlite3.node');
  if (!fs.existsSync(binding)) {
    const source = path.dirname(require.resolve('better-sqlite3/package.json'));
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(moduleCopy), { recursive: true });
    // Copy the sources, not the Node build (build/ is regenerated for Electron).
    fs.cpSync(source, moduleCopy, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
    fs.writeFileSync(path.join(cacheRoot, 'package.json'), JSON.stringify({ name: 'synclens-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
    try {
      const { rebuild } = await import('@electron/rebuild');
      await rebuild({ buildPath: cacheRoot, projectRootPath: cacheRoot, electronVersion: version, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
    } catch (err) {
      throw new Error(`better-sqlite3 could not be rebuilt for Electron ${version} (${String(err?.message ?? err).split('\n')[0].slice(0, 160)})`);
    }
    if (!fs.existsSync(binding)) throw new Error(`the Electron build of better-sqlite3 did not produce ${binding}`);
  }
  fs.mkdirSync(path.dirname(current), { recursive: true });
  fs.copyFileSync(binding, current);
  return binding;
}
