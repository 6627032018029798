// The structural check of Outlook .msg files (issue 12 item 1): compound files written by msgreader's own
// burner (small and large streams, a sub-storage, hundreds of entries, a 20 MB stream that needs the DIFAT)
// pass; the crafted files of test/support/hostile.ts are refused with the problem named, in milliseconds.

import { describe, expect, it } from 'vitest';
import { burn } from '@kenjiuno/msgreader/lib/Burner.js';
import { TypeEnum } from '@kenjiuno/msgreader/lib/Reader.js';
import { checkCfb, CfbError } from '../../../core/node/import/cfbCheck.js';
import { readMsg } from '../../../core/node/import/msg.js';
import { buildCfb, hostileMsgFiles, msgProps } from '../../support/hostile.js';

type BurnEntry = Parameters<typeof burn>[0][number];

describe('compound-file structure check', () => {
  it('accepts what a real writer produces: mini and regular streams, a storage, 300 entries, a 20 MB stream', () => {
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => i & 255);
    const small = new Uint8Array(Buffer.from('hello subject', 'utf16le'));
    const many: BurnEntry[] = Array.from({ length: 300 }, (_, n) => ({
      name: `__substg1.0_${(0x8000 + n).toString(16).toUpperCase()}001F`, type: TypeEnum.DOCUMENT, length: small.length, binaryProvider: () => small,
    }));
    const file = burn([
      { name: 'Root Entry', type: TypeEnum.ROOT, length: 0, children: [1, 2, 3, ...many.map((_, i) => i + 5)] },
      { name: '__substg1.0_0037001F', type: TypeEnum.DOCUMENT, length: small.length, binaryProvider: () => small },
      { name: '__substg1.0_37010102', type: TypeEnum.DOCUMENT, length: big.length, binaryProvider: () => big },
      { name: '__attach_version1.0_#00000000', type: TypeEnum.DIRECTORY, length: 0, children: [4] },
      { name: '__substg1.0_37010102', type: TypeEnum.DOCUMENT, length: 5000, binaryProvider: () => big.subarray(0, 5000) },
      ...many,
    ]);
    const s = checkCfb(file);
    expect(s.streams).toBe(303);
    const huge = new Uint8Array(20_000_000);
    const file2 = burn([{ name: 'Root Entry', type: TypeEnum.ROOT, length: 0, children: [1] },
      { name: '__substg1.0_37010102', type: TypeEnum.DOCUMENT, length: huge.length, binaryProvider: () => huge }]);
    expect(checkCfb(file2).streams).toBe(1);
  });

  it('accepts the well-formed file the crafted ones are made from, and msgreader reads it', () => {
    const m = readMsg(buildCfb(msgProps(7)));
    expect(m.parsed.messageId).toBe('<crafted-msg-7@example.com>');
    expect(m.parsed.subject).toBe('crafted msg 7');
  });

  it.each(hostileMsgFiles().filter((m) => m.problem).map((m) => [m.name, m] as const))('refuses %s, naming the problem, at once', (_n, m) => {
    const t0 = performance.now();
    let err: unknown = null;
    try {
      checkCfb(m.bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CfbError);
    expect((err as Error).message).toMatch(m.problem as RegExp);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});
