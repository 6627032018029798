import { describe, expect, it } from 'vitest';
import { decodeThreadIndex } from '../../../core/mail/threadIndex.js';

// Expected values are the worked examples of research §8.3.
describe('Thread-Index decoding (research §8)', () => {
  it('example 1: classic header, one child block', () => {
    const d = decodeThreadIndex('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
    expect(d.bytes.length).toBe(27);
    expect(d.valid).toBe(true);
    expect(d.variant).toBe('classic');
    expect(d.headerTime).toBe('2018-07-16T07:40:00.279Z');
    expect(d.guid).toBe('acba12de-1827-13f3-bbea-ba45cf137f13');
    expect(d.depth).toBe(1);
    expect(d.children[0]).toMatchObject({ deltaCode: 0, timeDelta: 0x1d745e, random: 0 });
    expect(d.children[0]?.time).toBe('2018-07-16T21:43:22.827Z');
  });

  it('example 2: modern header, child computed against the classic reading with the 2^54 wrap', () => {
    const d = decodeThreadIndex('AQHWLRNo4NaOjvXU8EODe0ZotrA8B6itzaxf', '2020-05-18T12:58:00.000Z');
    expect(d.variant).toBe('modern');
    expect(d.headerTime).toBe('2020-05-18T12:54:02.646Z');
    expect(d.classicTime?.startsWith('1830-12-25')).toBe(true);
    expect(d.children[0]).toMatchObject({ deltaCode: 1, timeDelta: 0x28adcdac, random: 0x5f });
    expect(d.children[0]?.time?.startsWith('2020-05-18T12:57:39.75')).toBe(true);
  });

  it('example 3: implausible header times are shown, not hidden, and the child still decodes near Date', () => {
    const d = decodeThreadIndex('AQscuKgXz0bUld+ni9oW2WvWgJcWopbHxZqC', '2020-09-01T20:07:11.000Z');
    expect(d.plausible).toBe(false);
    expect(d.headerTime).not.toBeNull();
    expect(d.children[0]?.deltaCode).toBe(1);
    expect(d.children[0]?.time?.startsWith('2020-09-01T20:07:02')).toBe(true);
  });

  it('reports structural problems instead of throwing', () => {
    expect(decodeThreadIndex('AQID').problems[0]).toMatch(/only 3 bytes/);
    expect(decodeThreadIndex('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4AAA==').problems.some((p) => p.includes('22 + 5k'))).toBe(true);
    expect(decodeThreadIndex('not base64 at all!').valid).toBe(false);
  });
});
