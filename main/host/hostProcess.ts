// Electron utilityProcess entry: the engine host talks to main over process.parentPort.
import { createHost, type HostOptions } from './host.js';
import { HOST_OPTIONS_ENV, serveHost } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('hostProcess must run inside an Electron utilityProcess (process.parentPort is missing).');
const options = JSON.parse(process.env[HOST_OPTIONS_ENV] ?? '{}') as HostOptions;
const host = createHost(options);
serveHost(host, (m) => port.postMessage(m), (cb) => port.on('message', (e) => cb(e.data)));
