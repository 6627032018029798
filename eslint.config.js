// Lint rules that matter here are the layer boundaries: they fail `npm test`, not just a convention.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'stream', 'url', 'http', 'https', 'net', 'zlib', 'util', 'events', 'readline'];
const pattern = (group, message) => ({ group, message });
// The engine has one door, core/engine/index.ts: its inside (model, primitives, stages, store, replay)
// can be reshaped without touching its users. Unit tests of the engine's parts may reach inside.
const engineDoor = pattern(['**/engine/model/**', '**/engine/primitives/**', '**/engine/stages/**', '**/engine/store/**', '**/engine/replay/**'], 'Import the engine through core/engine/index.ts, its one door.');
const notCore = pattern(['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'zustand', '**/renderer/**', '**/main/**'], 'core/ must not depend on Electron, React, the renderer or main.');
const pureIo = pattern([...nodeBuiltins, 'better-sqlite3', 'mailparser', '@kenjiuno/msgreader', '**/node/**', '**/cli/**'], 'Pure core modules do no I/O: move this to core/node (the adapters).');

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The whole core: never Electron, React or the DOM.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [notCore, engineDoor] }],
    },
  },
  {
    // The pure engine: plain data in, plain data out. No I/O, no Node built-ins, no native modules.
    files: ['core/mail/**/*.ts', 'core/contract/**/*.ts', 'core/scenario/**/*.ts', 'core/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [notCore, pureIo, engineDoor] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    // The engine itself: pure like the above, and free to import its own parts.
    files: ['core/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [notCore, pureIo] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [engineDoor] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern([...nodeBuiltins, 'electron', 'electron/*', 'better-sqlite3', 'mailparser', '@kenjiuno/msgreader', '**/core/node/**', '**/core/cli/**', '**/main/**'], 'The renderer is a sandboxed page: no Node, no Electron, no core I/O. Use the contract.'),
        engineDoor,
      ] }],
      'no-restricted-globals': ['error', 'require', 'process', 'Buffer', '__dirname'],
    },
  },
);
