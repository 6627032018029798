// Where the project's shared source material lives (seeds, spec, reference, corpora). It is not part of the
// repository: it sits beside the checkout (../shared), or where SYNCLENS_SHARED points, or at the
// workstation's /work/shared. Tests that read it say loudly that they were skipped when it is absent.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function locate(): string | null {
  const candidates = [process.env.SYNCLENS_SHARED, path.resolve(repoRoot, '../shared'), '/work/shared'].filter((c): c is string => !!c);
  return candidates.find((c) => fs.existsSync(path.join(c, 'corpora', 'FEATURES.tsv')) || fs.existsSync(path.join(c, 'reference'))) ?? null;
}

/** The shared folder, or null when this machine does not have it. */
export const SHARED_DIR: string | null = locate();

/** A path inside the shared folder, or null (with a SKIPPED line naming what is missing) when absent. */
export function sharedPath(relative: string, what: string): string | null {
  const p = SHARED_DIR ? path.join(SHARED_DIR, relative) : null;
  if (p && fs.existsSync(p)) return p;
  console.warn(`SKIPPED ${what}: ${relative} of the shared folder is absent (looked in $SYNCLENS_SHARED, ../shared beside the checkout and /work/shared; it is not part of the repository).`);
  return null;
}
