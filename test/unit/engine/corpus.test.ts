// Engine primitives over the real messages of /work/shared/corpora (FEATURES.tsv, read-only).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { subjectWords } from '../../../core/engine/primitives/smartMatch.js';
import { decodeThreadIndex } from '../../../core/engine/primitives/threadIndex.js';
import { sharedPath } from '../../support/shared.js';

const features = sharedPath('corpora/FEATURES.tsv', 'engine corpus tests');
const rows = (features ? readFileSync(features, 'utf8') : '').split('\n').slice(1).filter(Boolean).map((line) => {
  const cols = line.split('\t');
  return { file: `${cols[0]}/${cols[1]}`, subject: cols[6] ?? '', features: JSON.parse(cols[7] ?? '{}') as { tindex?: string; tindex_depth?: number } };
});

describe.skipIf(!features)('real corpus', () => {
  it('has messages to test', () => {
    expect(rows.length).toBeGreaterThan(1000);
  });

  it('every Thread-Index decodes; malformed lengths (not 22 + 5k) are reported as data, with the depth of whole blocks', () => {
    const withIndex = rows.filter((r) => r.features.tindex);
    expect(withIndex.length).toBeGreaterThan(10);
    let malformed = 0;
    for (const r of withIndex) {
      const b64 = (r.features.tindex as string).replace(/=+$/, '');
      const n = Math.floor((b64.length * 3) / 4); // byte count, computed independently of the decoder
      const wellFormed = n >= 22 && (n - 22) % 5 === 0;
      const d = decodeThreadIndex(r.features.tindex as string);
      expect(d.ok, `${r.file}: ${d.errors.join('; ')}`).toBe(wellFormed);
      expect(d.bytes.length, r.file).toBe(n);
      if (wellFormed) expect(d.depth, r.file).toBe(r.features.tindex_depth ?? (n - 22) / 5);
      else {
        malformed++;
        expect(d.errors[0], r.file).toMatch(/expected 22 \+ 5k/);
        expect(d.header, r.file).not.toBeNull();
      }
    }
    // MimeKit's issue358.txt carries a 30-byte Thread-Index
    expect(malformed).toBeGreaterThanOrEqual(1);
  });

  it('the default HashFilterKeywords handles every real subject within the step budget', () => {
    for (const r of rows) {
      const w = subjectWords(r.subject, DEFAULT_SETTINGS);
      expect(w.ok, `${r.file}: ${w.ok ? '' : w.error}`).toBe(true);
      if (w.ok) expect(w.words.length).toBeLessThanOrEqual(20);
    }
  });
});
