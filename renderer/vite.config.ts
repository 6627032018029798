// Renderer bundle: plain Vite (esbuild's automatic JSX, no React plugin), relative base so the same
// output loads from app://synclens/ in Electron and from the browser-mode server. Paths are relative
// to this folder (main/build/build.mjs passes it as root) so the config needs no Node imports.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // No modulepreload polyfill: it is an inline script, and the CSP allows only 'self' scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
