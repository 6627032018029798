// The tracked store's lookups "as the store was" (limit), truncate, and the Message-ID normalisation
// fast path, which must agree with the general rule (trim, strip angle brackets, trim).
import { describe, expect, it } from 'vitest';
import { TrackedStore, mostRecent, normMessageId } from '../../../core/engine/store/trackedStore.js';

function slowNorm(id: string | null): string | null {
  if (!id) return null;
  const t = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return t === '' ? null : t;
}

const keys = (mid: string, tokens: string[] = []) => ({ messageId: mid, tokens, ciHex: null, ciBaseHex: null, subjectHashes: [1, 2], addressHashes: [3, 4] });

describe('normMessageId', () => {
  it('agrees with trim + strip brackets + trim on awkward ids', () => {
    const parts = ['<', '>', ' ', '\t', '\u00a0', '\u3000', 'a', '@', 'x.y', '<<', '>>', '\ufeff'];
    let seed = 1;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % parts.length);
    const samples = ['<a@b>', '<<a@b>>', ' <a@b> ', '<>', '<', '>', '< a@b >', '<\u00a0a@b\u00a0>', 'a@b', '<a@b', 'a@b>', ''];
    for (let i = 0; i < 3000; i++) samples.push(Array.from({ length: 1 + (i % 7) }, () => parts[next()]).join(''));
    for (const s of samples) expect(normMessageId(s), JSON.stringify(s)).toBe(slowNorm(s));
    expect(normMessageId(null)).toBeNull();
  });
});

describe('TrackedStore', () => {
  it('lookups honour the limit: only records added before it are seen, and counted', () => {
    const st = new TrackedStore();
    st.add('a', 10, 'opportunity:1', 'before replay', keys('<m1@x>', ['T1']));
    st.add('b', 30, null, 'this replay', keys('<m1@x>', ['T1']));
    st.add('c', 20, null, 'this replay', keys('<m2@x>'));
    expect(st.find(st.byMessageId, 'm1@x')).toMatchObject({ winner: { id: 'b' }, count: 2 });
    st.limit = 1;
    expect(st.find(st.byMessageId, 'm1@x')).toMatchObject({ winner: { id: 'a' }, count: 1 });
    expect(st.find(st.byMessageId, 'm2@x')).toEqual({ winner: null, count: 0, tie: false });
    expect(mostRecent(st.byToken.get('T1'), 0)).toEqual({ winner: null, count: 0, tie: false });
  });

  it('truncate takes records back out of every index, smart matching included', () => {
    const st = new TrackedStore();
    st.add('a', 10, null, 'before replay', keys('<m1@x>', ['T1']));
    st.add('b', 20, null, 'this replay', keys('<m2@x>', ['T1', 'T2']));
    st.truncate(1);
    expect(st.size).toBe(1);
    expect(st.byMessageId.has('m2@x')).toBe(false);
    expect(st.byToken.get('T1')?.map((r) => r.id)).toEqual(['a']);
    expect(st.byToken.has('T2')).toBe(false);
    expect(st.byId.has('b')).toBe(false);
    expect(st.smart.size).toBe(1);
    // Adding again after a cut continues the sequence from the cut.
    expect(st.add('c', 5, null, 'this replay', keys('<m3@x>')).seq).toBe(1);
  });

  it('an id added twice points at its latest remaining record after a cut', () => {
    const st = new TrackedStore();
    st.add('dup', 1, 'account:first', 'before replay', keys('<m1@x>'));
    st.add('other', 2, null, 'this replay', keys('<m2@x>'));
    st.add('dup', 3, 'account:second', 'this replay', keys('<m3@x>'));
    expect(st.byId.get('dup')?.regarding).toBe('account:second');
    st.truncate(2);
    expect(st.byId.get('dup')?.regarding).toBe('account:first');
  });
});
