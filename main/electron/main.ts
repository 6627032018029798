/// <reference types="electron-vite/node" />
// Electron main entry (electron.vite.config.ts builds it to dist/main/main.cjs). The engine host is a
// build entry of its own: `?modulePath` makes electron-vite bundle main/host/hostProcess.ts beside this
// file and gives its path, which utilityProcess.fork starts. The preload and the renderer are the
// preload and renderer outputs of the same build.
import path from 'node:path';
import hostModule from '../host/hostProcess?modulePath';
import { runApp } from './app.js';

void runApp({
  hostModule,
  preload: path.join(__dirname, 'preload.cjs'),
  rendererDir: path.join(__dirname, '..', 'renderer'),
});
