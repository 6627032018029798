// The Electron-ABI better-sqlite3 is cached per Electron version, platform and arch (main/build/native.mjs),
// and the copy `npm run dist` packages sits where electron-builder.yml looks for it after electron-builder
// expands its ${platform} and ${arch} macros (process.platform and the arch being packaged; see
// app-builder-lib's macroExpander), so each packaged arch gets its own binding and a missing one fails.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface NativeModule {
  NATIVE_CACHE: string;
  nativeCacheDir(version: string, platform: string, arch: string): string;
  packagedNativePath(platform: string, arch: string): string;
  ensureElectronNative(o: { version?: string; platform?: string; arch?: string }): Promise<string>;
}
const native = (await import(pathToFileURL(path.join(ROOT, 'main/build/native.mjs')).href)) as NativeModule;

describe('Electron-ABI better-sqlite3 cache', () => {
  it('keys the cache by Electron version, platform and arch', () => {
    const dirs = [
      native.nativeCacheDir('45.4.1', 'linux', 'x64'),
      native.nativeCacheDir('45.4.1', 'linux', 'arm64'),
      native.nativeCacheDir('45.4.1', 'darwin', 'x64'),
      native.nativeCacheDir('46.0.0', 'linux', 'x64'),
    ];
    expect(new Set(dirs).size).toBe(4);
    for (const d of dirs) expect(path.relative(native.NATIVE_CACHE, d).startsWith('..')).toBe(false);
  });

  it('puts the packaged copy where electron-builder.yml names it for that platform and arch', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    const from = /- from: (\S*better_sqlite3\.node)/.exec(yml)?.[1];
    expect(from).toContain('${platform}-${arch}');
    for (const [platform, arch] of [['linux', 'x64'], ['linux', 'arm64'], ['win32', 'x64'], ['darwin', 'arm64']] as const) {
      const expanded = (from as string).replace('${platform}', platform).replace('${arch}', arch);
      expect(path.join(ROOT, expanded)).toBe(native.packagedNativePath(platform, arch));
    }
  });

  it('refuses to build the binding for another platform (node-gyp compiles for the one it runs on)', async () => {
    const other = process.platform === 'win32' ? 'linux' : 'win32';
    await expect(native.ensureElectronNative({ platform: other, arch: 'x64' })).rejects.toThrow(`must be built on ${other}`);
  });
});
