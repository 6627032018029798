// Issue 12 item 14: `--native-binding FILE` loads native code into the app; a packaged build must load only
// the module it ships (the Electron fuses guard the rest), so the switch counts in development only.
import { describe, expect, it } from 'vitest';
import { parseLaunchArgs } from '../../main/electron/launchArgs.js';

describe('--native-binding', () => {
  const forms: string[][] = [
    ['--native-binding', '/tmp/evil.node'],
    ['--native-binding=/tmp/evil.node'],
    ['.', '--no-sandbox', '--native-binding', '/tmp/evil.node', '/mail/a.mbox'],
  ];

  it.each(forms)('is refused in a packaged build and named in the refusal: %s', (...argv) => {
    const a = parseLaunchArgs(argv, { packaged: true });
    expect(a.nativeBinding).toBeNull();
    expect(a.refused).toHaveLength(1);
    expect(a.refused[0]).toContain('/tmp/evil.node');
    // The value is not mistaken for a path to import either.
    expect(a.paths).not.toContain('/tmp/evil.node');
  });

  it('is refused when the caller does not say whether the build is packaged (the safe default)', () => {
    expect(parseLaunchArgs(['--native-binding', '/tmp/evil.node']).nativeBinding).toBeNull();
  });

  it('is honoured when running from sources (main/build/start.mjs passes the Electron-ABI build)', () => {
    expect(parseLaunchArgs(['--native-binding', '/n/b.node', '/mail/a.mbox'], { packaged: false })).toMatchObject({ nativeBinding: '/n/b.node', paths: ['/mail/a.mbox'], refused: [] });
    expect(parseLaunchArgs(['--native-binding=/n/b.node'], { packaged: false }).nativeBinding).toBe('/n/b.node');
  });
});
