// Child-process probe for readOnlyWorkspace.test.ts: opens the workspace given as argv[2] (create: false
// when argv[3] is "existing") and prints one JSON line: {"ok":true} or the WorkspaceError's name, code
// and message. It runs as an unprivileged user when the test runs as root (root ignores chmod).
import { openWorkspace } from '../../../core/node/workspace/open.js';

const [file, mode] = process.argv.slice(2);
try {
  const ws = openWorkspace(file as string, { create: mode !== 'existing' });
  ws.close();
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (e) {
  const err = e as Error & { code?: string };
  process.stdout.write(`${JSON.stringify({ ok: false, name: err.name, code: err.code, message: err.message })}\n`);
}
