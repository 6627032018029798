// Comparing two decision dumps (dumpFormat.ts) record by record: which messages differ and where, in words.

import { canonical, type DumpRecord } from './dumpFormat.js';

const clip = (s: string, n = 400): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

/** The differing fields and trace steps of one message, as lines. */
export function recordDiff(a: DumpRecord, b: DumpRecord): string[] {
  const out: string[] = [];
  if (a.label !== b.label) out.push(`    label\n      before: ${clip(a.label)}\n      after:  ${clip(b.label)}`);
  const keys = [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort();
  for (const k of keys) {
    const x = JSON.stringify(canonical(a.fields[k]));
    const y = JSON.stringify(canonical(b.fields[k]));
    if (x !== y) out.push(`    field ${k}\n      before: ${clip(x ?? '(absent)')}\n      after:  ${clip(y ?? '(absent)')}`);
  }
  const n = Math.max(a.trace.length, b.trace.length);
  for (let i = 0; i < n; i++) {
    const x = a.trace[i];
    const y = b.trace[i];
    if (x === y) continue;
    // Show where the two texts part, so a changed word in a long sentence is found at once.
    let p = 0;
    if (x !== undefined && y !== undefined) while (p < x.length && p < y.length && x[p] === y[p]) p++;
    const from = Math.max(0, p - 60);
    const cut = (s: string | undefined): string => (s === undefined ? '(no such step)' : `${from > 0 ? '…' : ''}${clip(s.slice(from), 300)}`);
    out.push(`    trace step ${i + 1} of ${a.trace.length} → ${b.trace.length}${x !== undefined && y !== undefined ? ` (differs at character ${p + 1})` : ''}\n      before: ${cut(x)}\n      after:  ${cut(y)}`);
  }
  return out;
}

export interface Comparison {
  identical: boolean;
  lines: string[];
  summary: string;
}

export function compareRecords(before: DumpRecord[], after: DumpRecord[], inputs: { before: Record<string, string>; after: Record<string, string> }, limit: number): Comparison {
  const lines: string[] = [];
  for (const k of [...new Set([...Object.keys(inputs.before), ...Object.keys(inputs.after)])].sort()) {
    if (inputs.before[k] !== inputs.after[k]) lines.push(`warning: the ${k} inputs differ between the two dumps (${inputs.before[k]?.slice(0, 12) ?? 'absent'} → ${inputs.after[k]?.slice(0, 12) ?? 'absent'}), so their decisions may differ for that reason`);
  }
  const a = new Map(before.map((r) => [r.id, r]));
  const b = new Map(after.map((r) => [r.id, r]));
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  let changed = 0;
  let onlyBefore = 0;
  let onlyAfter = 0;
  let shown = 0;
  const bySection = new Map<string, number>();
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    let diff: string[];
    if (!x) { onlyAfter++; diff = ['    only in the second dump']; }
    else if (!y) { onlyBefore++; diff = ['    only in the first dump']; }
    else {
      diff = recordDiff(x, y);
      if (diff.length === 0) continue;
      changed++;
    }
    const section = id.split('/').slice(0, 3).join('/');
    bySection.set(section, (bySection.get(section) ?? 0) + 1);
    if (shown++ < limit) lines.push(`${id}  [${(x ?? y)?.label ?? ''}]`, ...diff);
  }
  const differing = changed + onlyBefore + onlyAfter;
  if (differing > limit) lines.push(`… ${differing - limit} more differing messages not shown (--limit)`);
  if (differing) {
    lines.push('Differing messages by section:');
    for (const [s, n] of [...bySection].sort()) lines.push(`  ${s}: ${n}`);
  }
  const summary = differing === 0
    ? `identical: ${ids.length} records (decisions and traces) match byte for byte`
    : `DIFFERENT: ${differing} of ${ids.length} records differ (${changed} changed, ${onlyBefore} only in the first dump, ${onlyAfter} only in the second)`;
  return { identical: differing === 0, lines, summary };
}
