// The equivalence tool's own checks: a comparison must call two dumps identical only when every record is
// byte for byte the same, and name the message, the field or trace step, and both values otherwise.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareRecords, recordDiff } from './dumpCompare.js';
import { canonical, DumpFormatError, readDump, recordLine, type DumpRecord } from './dumpFormat.js';
import { headerValue, labelOf } from './dumpInputs.js';

const rec = (id: string, over: Partial<DumpRecord> = {}): DumpRecord => ({
  id, label: 'Quote | Mon, 1 Jan 2024 | <a@x>',
  fields: { outcome: 'CorrelationMatch', correlatedTo: 'e1', flags: [] },
  trace: ['Order — placed. Processed as #1.', '7 Correlate — matched. In-Reply-To equals tracked email e1.'],
  ...over,
});
const noInputs = { before: {}, after: {} };

describe('compareRecords', () => {
  it('calls equal records identical, whatever the order they come in', () => {
    const c = compareRecords([rec('a'), rec('b')], [rec('b'), rec('a')], noInputs, 20);
    expect(c.identical).toBe(true);
    expect(c.summary).toBe('identical: 2 records (decisions and traces) match byte for byte');
  });

  it('names the message, the field and both values when a decision field changes', () => {
    const c = compareRecords([rec('a')], [rec('a', { fields: { outcome: 'NoCorrelationMatch', correlatedTo: 'e1', flags: [] } })], noInputs, 20);
    expect(c.identical).toBe(false);
    expect(c.lines.join('\n')).toContain('a  [Quote | Mon, 1 Jan 2024 | <a@x>]\n    field outcome\n      before: "CorrelationMatch"\n      after:  "NoCorrelationMatch"');
    expect(c.summary).toBe('DIFFERENT: 1 of 1 records differ (1 changed, 0 only in the first dump, 0 only in the second)');
  });

  it('finds one changed character in a trace step and says where', () => {
    const after = rec('a', { trace: ['Order — placed. Processed as #1.', '7 Correlate — matched. In-Reply-To equals tracked email e2.'] });
    const d = recordDiff(rec('a'), after).join('\n');
    expect(d).toContain('trace step 2 of 2 → 2 (differs at character 58)');
    expect(d).toContain('e1.');
    expect(d).toContain('e2.');
  });

  it('counts a missing or an extra trace step and a record present on one side only', () => {
    const c = compareRecords([rec('a'), rec('gone')], [rec('a', { trace: ['Order — placed. Processed as #1.'] }), rec('new')], noInputs, 20);
    const text = c.lines.join('\n');
    expect(text).toContain('trace step 2 of 2 → 1\n      before: 7 Correlate');
    expect(text).toContain('      after:  (no such step)');
    expect(text).toContain('gone  [');
    expect(text).toContain('only in the first dump');
    expect(c.summary).toBe('DIFFERENT: 3 of 3 records differ (1 changed, 1 only in the first dump, 1 only in the second)');
  });

  it('treats key order inside fields as the same value (the dump writes them sorted)', () => {
    expect(recordDiff(rec('a', { fields: { b: 1, a: { y: 2, x: 1 } } }), rec('a', { fields: { a: { x: 1, y: 2 }, b: 1 } }))).toEqual([]);
    expect(JSON.stringify(canonical({ b: 1, a: [{ d: 1, c: 2 }] }))).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('stops listing at the limit but still counts every difference', () => {
    const before = Array.from({ length: 5 }, (_, i) => rec(`m${i}`));
    const after = before.map((r) => ({ ...r, fields: { ...r.fields, outcome: 'Duplicate' } }));
    const c = compareRecords(before, after, noInputs, 2);
    expect(c.lines.filter((l) => l.startsWith('m')).length).toBe(2);
    expect(c.lines).toContain('… 3 more differing messages not shown (--limit)');
    expect(c.summary).toContain('5 of 5 records differ');
  });

  it('warns when the two dumps were made from different inputs', () => {
    const c = compareRecords([rec('a')], [rec('a')], { before: { corpora: 'aaaaaaaaaaaaaaaa' }, after: { corpora: 'bbbbbbbbbbbbbbbb' } }, 20);
    expect(c.lines[0]).toContain('warning: the corpora inputs differ between the two dumps');
  });
});

describe('readDump', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dump-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what decisionDump writes', () => {
    const file = path.join(dir, 'ok.dump');
    writeFileSync(file, `${JSON.stringify({ kind: 'synclens-decision-dump', version: 1, inputs: {}, profiles: {}, notes: {} })}\n${recordLine(rec('a'))}\n`);
    const d = readDump(file);
    expect(d.records).toEqual([{ ...rec('a'), fields: { correlatedTo: 'e1', flags: [], outcome: 'CorrelationMatch' } }]);
  });

  it('refuses a file that is not a dump, naming it', () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, '{"value": []}\n');
    expect(() => readDump(file)).toThrow(DumpFormatError);
    expect(() => readDump(file)).toThrow(`${file}: not a SyncLens decision dump`);
  });
});

describe('message labels', () => {
  it('reads folded headers case-insensitively from the header block only', () => {
    const raw = 'subject: Quote\r\n for Q3\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nMessage-ID: <in-body@x>\r\n';
    expect(headerValue(raw, 'Subject')).toBe('Quote for Q3');
    expect(headerValue(raw, 'Message-ID')).toBe('');
    expect(labelOf(raw)).toBe('Quote for Q3 | Mon, 1 Jan 2024 10:00:00 +0000 | (no Message-ID)');
  });
});
