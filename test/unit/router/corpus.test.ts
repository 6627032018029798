// The router's unwrapping and replay over the real messages of /work/shared/corpora (read-only): every
// message with a message/rfc822 part (FEATURES.tsv "rfc822") is unwrapped to an inner message, inner
// Thread-Index headers survive the unwrapping, and a sink holding every single-message file replays
// without a crash, each message ending removed or in Undeliverable with a reason.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinkItemFromBytes } from '../../../core/router/sinkItem.js';
import { replayRouter } from '../../../core/router/replay.js';
import type { SinkItem } from '../../../core/router/types.js';
import { input } from './helpers.js';
import { sharedPath } from '../../support/shared.js';

const FEATURES = sharedPath('corpora/FEATURES.tsv', 'router corpus tests');
const CORPORA = FEATURES ? dirname(FEATURES) : '';
interface Row { file: string; features: { rfc822?: number; inner_tindex?: number; subj_fwd?: number } }
const rows: Row[] = (FEATURES ? readFileSync(FEATURES, 'utf8') : '').split('\n').slice(1).filter(Boolean).map((line) => {
  const cols = line.split('\t');
  return { file: `${cols[0]}/${cols[1]}`, features: JSON.parse(cols[7] ?? '{}') as Row['features'] };
}).filter((r) => !r.file.includes('#')); // mbox members (file#N) are not single messages

const items: SinkItem[] = rows.map((r, i) => sinkItemFromBytes(new Uint8Array(readFileSync(join(CORPORA, r.file))), { key: r.file, order: i, sinkAddress: 'crm-sink@contoso.com' }));

describe.skipIf(!FEATURES)('router over the real corpus', () => {
  it('messages the corpus lists with a message/rfc822 part are unwrapped to a readable inner message', () => {
    const withPart = rows.map((r, i) => ({ r, it: items[i] as SinkItem })).filter((x) => x.r.features.rfc822);
    expect(withPart.length).toBeGreaterThan(300);
    const found = withPart.filter((x) => x.it.attachedCount > 0);
    const readable = found.filter((x) => x.it.inner !== null);
    // The feature list marks rfc822 by content type anywhere; the scanner must find nearly all of them.
    expect(found.length / withPart.length).toBeGreaterThan(0.95);
    expect(readable.length / found.length).toBeGreaterThan(0.9);
    for (const x of found) if (!x.it.inner) expect(x.it.innerProblem, x.r.file).toMatch(/\S/);
  });
  it('an inner Thread-Index survives the unwrapping', () => {
    const inner = rows.map((r, i) => ({ r, it: items[i] as SinkItem })).filter((x) => x.r.features.inner_tindex && x.it.inner);
    expect(inner.length).toBeGreaterThan(3);
    expect(inner.filter((x) => x.it.inner?.threadIndex).length).toBeGreaterThan(0);
  });
  it('a sink holding every message replays without a crash; each ends removed or in Undeliverable with a reason', () => {
    const r = replayRouter(input(items, { mailboxes: [], tracked: [] }));
    expect(r.decisions).toHaveLength(items.length);
    expect(r.sink.removed.length + r.sink.undeliverable.length).toBe(items.length);
    for (const d of r.decisions) {
      expect(d.trace[0]?.stage, d.key).toBe('Receive');
      expect(d.trace[d.trace.length - 1]?.stage, d.key).toBe('Sink');
      expect(d.fate === 'Undeliverable', d.key).toBe(d.undeliverableReason !== null);
      // no CRM user receives mail through this sink, so nothing is delivered
      expect(d.delivered, d.key).toBe(false);
    }
  });
});
