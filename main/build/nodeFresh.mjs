// Is dist/node built from the current sources? Its own small module because the `synclens` launcher
// asks it on every start: it loads only node:fs (esbuild and the build code load only when a rebuild is
// due), and stops at the first source newer than the stamp. On this project it costs about 2 ms.
import fs from 'node:fs';

const ROOT = decodeURIComponent(new URL('../../', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');
export const NODE_OUT = `${ROOT}dist/node`;
export const STAMP = `${NODE_OUT}/.built`;
const SOURCES = ['core', 'main'].map((d) => `${ROOT}${d}`);
const MANIFESTS = ['package.json', 'package-lock.json'].map((f) => `${ROOT}${f}`);

/** True when some file under `dir` was changed after `since` (ms since the epoch). */
function changedSince(dir, since) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = `${dir}/${e.name}`;
    if (e.isDirectory() ? changedSince(f, since) : fs.statSync(f).mtimeMs > since) return true;
  }
  return false;
}

/** True when the last build of dist/node is at least as new as every source under core/ and main/. */
export function isFresh() {
  let built;
  try {
    built = fs.statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  for (const f of MANIFESTS) if (fs.existsSync(f) && fs.statSync(f).mtimeMs > built) return false;
  return !SOURCES.some((d) => changedSince(d, built));
}
