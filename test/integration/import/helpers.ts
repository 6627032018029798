import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/mail');

export function tempDir(prefix = 'synclens-import-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function copyFixtures(dir: string, names: Record<string, string>): void {
  for (const [to, from] of Object.entries(names)) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, from), path.join(dir, to));
  }
}
