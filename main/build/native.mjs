// better-sqlite3 rebuilt for Electron's ABI, in a cache copy: node_modules keeps the Node build that
// `npm test`, the CLI and browser mode use, and is never rebuilt in place. The cache is keyed by Electron
// version, platform and arch (node_modules/.cache/synclens-electron-native/<version>/<platform>-<arch>/),
// so a binding built for one target is never taken for another. `npm run dist` copies the one it
// packages to .../current/<platform>-<arch>/, which electron-builder.yml names with its ${platform}-${arch}
// macros; main/build/dist.mjs empties current/ first, so an arch that was not prepared fails the package
// instead of shipping another arch's file.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
export const NATIVE_CACHE = path.join(root, 'node_modules', '.cache', 'synclens-electron-native');

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Where the binding for one target lives in the cache. */
export function nativeCacheDir(version, platform, arch) {
  return path.join(NATIVE_CACHE, version, `${platform}-${arch}`);
}

/**
 * Returns the path of the Electron-ABI better_sqlite3.node for the target (default: this machine),
 * rebuilding it once per target; throws one-line errors. node-gyp builds for the platform it runs on,
 * so `platform` must be this machine's; another arch needs that arch's compiler (see README, dist).
 */
export async function ensureElectronNative({ version = electronVersion(), platform = process.platform, arch = process.arch } = {}) {
  if (platform !== process.platform) throw new Error(`better-sqlite3 for ${platform} must be built on ${platform} (this is ${process.platform})`);
  const cacheRoot = nativeCacheDir(version, platform, arch);
  const moduleCopy = path.join(cacheRoot, 'node_modules', 'better-sqlite3');
  const binding = path.join(moduleCopy, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.rmSync(cacheRoot, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(moduleCopy), { recursive: true });
  // Copy the sources, not the Node build (build/ is regenerated for Electron).
  fs.cpSync(source, moduleCopy, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
  fs.writeFileSync(path.join(cacheRoot, 'package.json'), JSON.stringify({ name: 'synclens-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: cacheRoot, projectRootPath: cacheRoot, electronVersion: version, arch, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  } catch (err) {
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    throw new Error(`better-sqlite3 could not be rebuilt for Electron ${version} on ${platform}-${arch} (${String(err?.message ?? err).split('\n')[0].slice(0, 160)})`);
  }
  if (!fs.existsSync(binding)) throw new Error(`the Electron build of better-sqlite3 did not produce ${binding}`);
  return binding;
}

/** The copy electron-builder packages for one target (electron-builder.yml, extraResources). */
export function packagedNativePath(platform, arch) {
  return path.join(NATIVE_CACHE, 'current', `${platform}-${arch}`, 'better_sqlite3.node');
}
