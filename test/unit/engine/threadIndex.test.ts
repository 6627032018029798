import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ancestors, conversationIndexBase, conversationIndexBytes, conversationIndexKey, decodeBase64, decodeThreadIndex, encodeBase64,
  encodeThreadIndexChild, encodeThreadIndexRoot, parentIndex, toHex,
} from '../../../core/engine/primitives/threadIndex.js';

// Worked examples of research §8.3.
const EX1 = 'AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A';
const EX2 = 'AQHWLRNo4NaOjvXU8EODe0ZotrA8B6itzaxf';
const EX3 = 'AQscuKgXz0bUld+ni9oW2WvWgJcWopbHxZqC';

describe('decodeThreadIndex — research §8.3 worked examples', () => {
  it('example 1: classic header, DC=0 child measured from the header time', () => {
    const d = decodeThreadIndex(EX1);
    expect(d.ok).toBe(true);
    expect(d.bytes.length).toBe(27);
    expect(d.depth).toBe(1);
    expect(d.header?.variant).toBe('classic');
    expect(d.header?.classicTime.ticks).toBe(131762004002799616n);
    expect(d.header?.classicTime.iso).toBe('2018-07-16T07:40:00.2799616Z');
    expect(d.header?.time.iso).toBe('2018-07-16T07:40:00.2799616Z');
    expect(d.header?.guid).toBe('acba12de-1827-13f3-bbea-ba45cf137f13');
    expect(d.header?.guidDotNet.startsWith('de12baac-2718-f313-')).toBe(true);
    // spec-literal modern reading is ~48,000 years out
    expect(d.header?.modernTime.plausible).toBe(false);
    const c = d.children[0];
    expect(c?.deltaCode).toBe(0);
    expect(c?.timeDelta).toBe(1930334);
    expect(c?.deltaTicks).toBe(506025476096n);
    expect(c?.random).toBe(0);
    expect(c?.time.iso).toBe('2018-07-16T21:43:22.8275712Z');
  });

  it('example 2: modern header, DC=1 child computed against the classic reading with the nearest wrap', () => {
    const d = decodeThreadIndex(EX2);
    expect(d.ok).toBe(true);
    expect(d.hex).toBe('0101d62d1368e0d68e8ef5d4f043837b4668b6b03c07a8adcdac5f');
    expect(d.header?.variant).toBe('modern');
    expect(d.header?.modernTime.iso).toBe('2020-05-18T12:54:02.6467328Z');
    expect(d.header?.classicTime.iso.startsWith('1830-12-25')).toBe(true);
    expect(d.header?.guid).toBe('e0d68e8e-f5d4-f043-837b-4668b6b03c07');
    const c = d.children[0];
    expect(c?.deltaCode).toBe(1);
    expect(c?.timeDelta).toBe(0x28adcdac);
    expect(c?.random).toBe(0x5f);
    expect(c?.time.iso.startsWith('2020-05-18T12:57:39.754')).toBe(true);
    expect(c?.rule).toContain('3·2^54');
  });

  it('example 3: implausible header in both readings; child lands on the Date header via the reference', () => {
    const d = decodeThreadIndex(EX3, new Date('Tue, 1 Sep 2020 20:07:11 +0000'));
    expect(d.ok).toBe(true);
    expect(d.header?.classicTime.iso.startsWith('1839')).toBe(true);
    expect(d.header?.modernTime.iso.startsWith('4138')).toBe(true);
    expect(d.header?.classicTime.plausible).toBe(false);
    expect(d.header?.modernTime.plausible).toBe(false);
    const c = d.children[0];
    expect(c?.hex).toBe('96c7c59a82');
    expect(c?.deltaCode).toBe(1);
    expect(c?.timeDelta).toBe(0x16c7c59a);
    expect(c?.time.iso.startsWith('2020-09-01T20:07:02.67')).toBe(true);
  });
});

describe('decodeThreadIndex — invalid input is data, never thrown', () => {
  it('reports bad base64 with the offending character', () => {
    const d = decodeThreadIndex('AQH*WLRN');
    expect(d.ok).toBe(false);
    expect(d.errors[0]).toMatch(/invalid base64: character '\*' at position 3/);
  });
  it('reports a header shorter than 22 bytes', () => {
    const d = decodeThreadIndex(encodeBase64(new Uint8Array(10).fill(1)));
    expect(d.ok).toBe(false);
    expect(d.errors[0]).toMatch(/10 bytes; a header block alone is 22/);
    expect(d.header).toBeNull();
  });
  it('reports a length that is not 22 + 5k but still decodes the whole blocks', () => {
    const bytes = conversationIndexBytes(EX1) as Uint8Array;
    const d = decodeThreadIndex(encodeBase64(Uint8Array.from([...bytes, 7, 7])));
    expect(d.ok).toBe(false);
    expect(d.errors[0]).toMatch(/29 bytes; expected 22 \+ 5k/);
    expect(d.depth).toBe(1);
    expect(d.children[0]?.time.iso).toBe('2018-07-16T21:43:22.8275712Z');
  });
  it('a header whose byte 0 is not 0x01 decodes with a warning, not an error', () => {
    const bytes = Uint8Array.from(conversationIndexBytes(EX1) as Uint8Array);
    bytes[0] = 0x06;
    const d = decodeThreadIndex(encodeBase64(bytes));
    expect(d.ok).toBe(true);
    expect(d.warnings[0]).toMatch(/header byte 0 is 0x06, not 0x01/);
    expect(d.header?.classicTime.plausible).toBe(false);
  });
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const d = decodeThreadIndex(s);
      expect(typeof d.ok).toBe('boolean');
    }));
  });
});

describe('base64', () => {
  it('round-trips arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const r = decodeBase64(encodeBase64(b));
      expect(r.ok && toHex(r.bytes)).toBe(toHex(b));
    }));
  });
});

describe('encode', () => {
  const guid = Uint8Array.from([0xac, 0xba, 0x12, 0xde, 0x18, 0x27, 0x13, 0xf3, 0xbb, 0xea, 0xba, 0x45, 0xcf, 0x13, 0x7f, 0x13]);

  it('classic root + DC=0 child reproduce example 1 exactly', () => {
    const root = encodeThreadIndexRoot(new Date('2018-07-16T07:40:00.280Z'), guid, 'classic');
    expect(root.startsWith('AdQc2DN7')).toBe(true);
    expect(toHex(conversationIndexBytes(root) as Uint8Array)).toBe('01d41cd8337bacba12de182713f3bbeaba45cf137f13');
    const child = encodeThreadIndexChild(root, new Date('2018-07-16T21:43:22.830Z'), 0);
    expect(child.ok && child.value).toBe(EX1);
  });

  it('modern root starts with AQ and a reply decodes back to its date (within the 2^23-tick granularity)', () => {
    const sent = new Date('2024-03-05T10:00:00.000Z');
    const root = encodeThreadIndexRoot(sent, guid, 'modern');
    expect(root.startsWith('AQ')).toBe(true);
    const dRoot = decodeThreadIndex(root);
    expect(dRoot.header?.variant).toBe('modern');
    expect(Math.abs(Date.parse(dRoot.header?.modernTime.iso ?? '') - sent.getTime())).toBeLessThan(1700);
    const replyAt = new Date('2024-03-07T08:15:30.000Z');
    const child = encodeThreadIndexChild(root, replyAt, 0x42);
    expect(child.ok).toBe(true);
    if (!child.ok) return;
    const d = decodeThreadIndex(child.value, replyAt);
    expect(d.depth).toBe(1);
    expect(d.children[0]?.random).toBe(0x42);
    expect(d.children[0]?.deltaCode).toBe(1);
    expect(Math.abs(Date.parse(d.children[0]?.time.iso ?? '') - replyAt.getTime())).toBeLessThan(840);
  });

  it('round-trips chains of replies under a classic root (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2050, 0, 1) }),
      fc.array(fc.integer({ min: 0, max: 400 * 86_400_000 }), { minLength: 1, maxLength: 5 }),
      (start, offsets) => {
        let idx = encodeThreadIndexRoot(new Date(start), guid, 'classic');
        const d0 = decodeThreadIndex(idx);
        const header = Date.parse(d0.header?.classicTime.iso ?? '');
        for (const off of offsets) {
          const r = encodeThreadIndexChild(idx, new Date(start + off));
          if (!r.ok) throw new Error(r.error);
          idx = r.value;
        }
        const d = decodeThreadIndex(idx);
        expect(d.ok).toBe(true);
        expect(d.depth).toBe(offsets.length);
        d.children.forEach((c, i) => {
          // Child time is header + truncated delta: never later than the true time, at most 2^23 ticks earlier.
          const truth = start + (offsets[i] as number);
          const got = Date.parse(c.time.iso);
          expect(got).toBeGreaterThanOrEqual(header);
          expect(truth - got).toBeGreaterThanOrEqual(-1);
          expect(truth - got).toBeLessThan(840 + 66); // 2^23 ticks ≈ 839 ms, plus the header's 2^16-tick cut
        });
      },
    ), { numRuns: 50 });
  });

  it('refuses a GUID that is not 16 bytes and a parent of the wrong length', () => {
    expect(() => encodeThreadIndexRoot(new Date(), new Uint8Array(3))).toThrow(/16 bytes/);
    const r = encodeThreadIndexChild(encodeBase64(new Uint8Array(23)), new Date());
    expect(r.ok).toBe(false);
  });
});

describe('correlation helpers', () => {
  it('parentIndex drops the last child block; a root has no parent', () => {
    const bytes = conversationIndexBytes(EX1) as Uint8Array;
    expect(parentIndex(EX1)).toBe(toHex(bytes.slice(0, 22)));
    expect(parentIndex(encodeBase64(bytes.slice(0, 22)))).toBeNull();
    expect(parentIndex('not base64!')).toBeNull();
  });

  it('ancestors lists the 22+5j prefixes longest first', () => {
    let idx = encodeThreadIndexRoot(new Date('2022-01-01T00:00:00Z'), new Uint8Array(16).fill(9), 'modern');
    for (let i = 1; i <= 3; i++) {
      const r = encodeThreadIndexChild(idx, new Date(Date.UTC(2022, 0, 1, i)));
      if (!r.ok) throw new Error(r.error);
      idx = r.value;
    }
    const hex = conversationIndexKey(idx) as string;
    expect(hex.length).toBe(2 * (22 + 15));
    expect(ancestors(idx)).toEqual([hex.slice(0, 2 * 32), hex.slice(0, 2 * 27), hex.slice(0, 2 * 22)]);
    expect(ancestors(idx)[0]).toBe(parentIndex(idx));
  });

  it('compares as bytes: different base64 spellings of the same bytes give the same key', () => {
    expect(conversationIndexKey(`  ${EX1}\n`)).toBe(conversationIndexKey(EX1));
    expect(conversationIndexBytes(encodeBase64(new Uint8Array(24)))).toBeNull();
  });

  it('conversationIndexBase is the 22-byte header shared by a whole thread', () => {
    const child = encodeThreadIndexChild(EX2, new Date('2020-05-19T09:00:00Z'));
    expect(child.ok && conversationIndexBase(child.value)).toBe(conversationIndexBase(EX2));
    expect(conversationIndexBase(EX2)).toBe('0101d62d1368e0d68e8ef5d4f043837b4668b6b03c07');
    expect(conversationIndexBase('@@')).toBeNull();
  });
});
