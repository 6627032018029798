// Browser-mode host entry: the same engine host in a Node child process, talking over fork() IPC, so
// heavy work never blocks the HTTP server (progress events keep streaming while an import runs).
import { createHost, type HostOptions } from './host.js';
import { HOST_OPTIONS_ENV, serveHost } from './protocol.js';

if (!process.send) throw new Error('nodeHostProcess must be started with child_process.fork (no IPC channel).');
const options = JSON.parse(process.env[HOST_OPTIONS_ENV] ?? '{}') as HostOptions;
const host = createHost(options);
serveHost(host, (m) => process.send?.(m), (cb) => process.on('message', cb));
process.on('disconnect', () => {
  host.close();
  process.exit(0);
});
