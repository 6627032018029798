// Which Node each path needs, checked at start so a wrong Node gets one line instead of a stack trace
// deep in a tool (.npmrc keeps npm silent, so npm's own engine warning is not shown; see there).
//   tests, CLI, browser mode: Node >= 20.19 (vite 7 and this project's engines field)
//   Electron dev/start/dist:  Node >= 22.12 (electron 45's installer and @electron/rebuild declare it)
export const NODE_TOOLS = [20, 19];
export const NODE_ELECTRON = [22, 12];

export function nodeAtLeast([major, minor], version = process.versions.node) {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** Exits with one line when this Node is older than `min`; `what` names the path that needs it. */
export function checkNode(min, what, hint = '') {
  if (nodeAtLeast(min)) return;
  process.stderr.write(`SyncLens: ${what} needs Node >= ${min.join('.')}; this is Node ${process.versions.node}.${hint ? ` ${hint}` : ''}\n`);
  process.exit(1);
}
