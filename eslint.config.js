// Lint rules that matter here are the layer boundaries: they fail `npm test`, not just a convention.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'stream', 'url', 'http', 'https', 'net', 'zlib', 'util', 'events', 'readline'];
const pattern = (group, message) => ({ group, message });

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
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'zustand', '**/renderer/**', '**/main/**'], 'core/ must not depend on Electron, React, the renderer or main.'),
      ] }],
    },
  },
  {
    // The pure engine: plain data in, plain data out. No I/O, no Node built-ins, no native modules.
    files: ['core/engine/**/*.ts', 'core/mail/**/*.ts', 'core/contract/**/*.ts', 'core/scenario/**/*.ts', 'core/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'zustand', '**/renderer/**', '**/main/**'], 'core/ must not depend on Electron, React, the renderer or main.'),
        pattern([...nodeBuiltins, 'better-sqlite3', 'mailparser', '@kenjiuno/msgreader', '**/node/**', '**/cli/**'], 'Pure core modules do no I/O: move this to core/node (the adapters).'),
      ] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern([...nodeBuiltins, 'electron', 'electron/*', 'better-sqlite3', 'mailparser', '@kenjiuno/msgreader', '**/core/node/**', '**/core/cli/**', '**/main/**'], 'The renderer is a sandboxed page: no Node, no Electron, no core I/O. Use the contract.'),
      ] }],
      'no-restricted-globals': ['error', 'require', 'process', 'Buffer', '__dirname'],
    },
  },
);
