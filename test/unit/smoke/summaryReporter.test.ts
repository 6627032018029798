// The closing line `tests: N passed, N failed` is what CI and the fresh-machine check read. A file whose
// setup throws (its tests then show as skipped) or that does not load must count as failed there.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('the test summary line', () => {
  it('counts a file whose beforeAll throws and a file that fails to load as failed', () => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/summary/vitest.fixture.config.ts'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' } },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('tests: '));
    // passes.fixture.ts: 1 passed; setupFails.fixture.ts: its one test skipped, the file failed; loadFails: failed.
    expect(line).toBe('tests: 1 passed, 2 failed, 1 skipped');
    expect(run.status).not.toBe(0);
  });
});
