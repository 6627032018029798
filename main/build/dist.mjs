// `npm run dist [-- --arch x64|arm64|...] [electron-builder options]`: the installers for this platform.
// Builds with electron-vite, prepares the Electron-ABI better-sqlite3 for each requested arch (native.mjs;
// cached per Electron version, platform and arch), puts exactly those in the folder electron-builder.yml
// names by ${platform}-${arch}, then runs electron-builder for those arches. Native modules are compiled
// for the platform they are built on, so each platform's installers are made on that platform (README).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildElectron } from './build.mjs';
import { fail } from './electronBinary.mjs';
import { ensureElectronNative, NATIVE_CACHE, packagedNativePath } from './native.mjs';
import { checkNode, NODE_ELECTRON } from './nodeVersion.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
checkNode(NODE_ELECTRON, '`npm run dist` (electron-builder and @electron/rebuild)');

const { values, tokens } = parseArgs({ args: process.argv.slice(2), options: { arch: { type: 'string', multiple: true } }, strict: false, tokens: true });
const arches = values.arch?.length ? values.arch : [process.arch];
// Everything but --arch goes to electron-builder as given.
const passThrough = [];
for (const t of tokens) {
  if (t.kind === 'option' && t.name === 'arch') continue;
  if (t.kind === 'option') passThrough.push(t.rawName, ...(t.value !== undefined && !t.inlineValue ? [t.value] : []));
  else if (t.kind === 'positional') passThrough.push(t.value);
}

try {
  await buildElectron();
} catch (err) {
  fail(`build failed: ${err instanceof Error ? err.message : String(err)}`);
}
fs.rmSync(path.join(NATIVE_CACHE, 'current'), { recursive: true, force: true });
for (const arch of arches) {
  try {
    const binding = await ensureElectronNative({ arch });
    const dest = packagedNativePath(process.platform, arch);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(binding, dest);
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}; \`npm run dist\` needs it (network once, and a compiler for ${arch}).`);
  }
}
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const child = spawn(process.execPath, [cli, '--config', 'electron-builder.yml', ...arches.map((a) => `--${a}`), ...passThrough], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
