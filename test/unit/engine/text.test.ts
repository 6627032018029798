// `flat` (core/engine/primitives/text.ts) replaces template literals in the trace sentences a decision keeps: it
// must give exactly the text of the untagged template literal for every kind of value.
import { describe, expect, it } from 'vitest';
import { flat } from '../../../core/engine/primitives/text.js';

describe('flat', () => {
  it('gives the same text as the template literal', () => {
    const obj = { toString: (): string => 'custom' };
    const values: unknown[] = [0, -0, 1.5, NaN, Infinity, 1e21, 2 ** 53 + 2, null, undefined, true, 'é ≥ 😀', '', obj, [1, 2], ['a', null]];
    for (const v of values) {
      expect(flat`a${v}b`).toBe(`a${v as string}b`);
      expect(flat`${v}`).toBe(`${v as string}`);
    }
    const id = 'g11.42';
    expect(flat`Processed as #${41 + 1} at ${new Date(0).toISOString()} (${id ? 'x' : 'y'}).`).toBe(`Processed as #${41 + 1} at ${new Date(0).toISOString()} (${id ? 'x' : 'y'}).`);
    expect(flat`no values`).toBe('no values');
    expect(flat`${'a'}${'b'}${'c'}`).toBe('abc');
  });

  it('keeps escapes as the cooked template text', () => {
    expect(flat`tab\there "q" \u00e9 \${not}`).toBe(`tab\there "q" \u00e9 \${not}`);
  });
});
