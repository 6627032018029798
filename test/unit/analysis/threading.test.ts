import { describe, expect, it } from 'vitest';
import { judgeCorrelation, normalizeMessageId, threadIndexBase, threadMessages, type ThreadMessage } from '../../../core/analysis/threading.js';
import { encodeBase64 } from '../../../core/engine/primitives/threadIndex.js';

function msg(key: string, messageId: string | null, refs: string[] = [], inReplyTo: string | null = null, threadIndex: string | null = null): ThreadMessage {
  return { key, messageId, inReplyTo, references: refs, threadIndex, subject: key, date: null };
}
/** A Thread-Index: 22-byte header filled with `seed`, then `children` 5-byte blocks (research §8.1). */
function ti(seed: number, children = 0): string {
  const b = new Uint8Array(22 + 5 * children);
  b.fill(seed, 0, 22);
  b.fill(0x10 + children, 22);
  return encodeBase64(b);
}

describe('normalizeMessageId / threadIndexBase', () => {
  it('strips angle brackets and whitespace, keeps case', () => {
    expect(normalizeMessageId(' <Abc@X> ')).toBe('Abc@X');
    expect(normalizeMessageId('<>')).toBeNull();
  });
  it('child Thread-Index shares the 22-byte header of its root; short values have none', () => {
    expect(threadIndexBase(ti(1, 2))).toBe(threadIndexBase(ti(1)));
    expect(threadIndexBase(ti(1))).not.toBe(threadIndexBase(ti(2)));
    expect(threadIndexBase(encodeBase64(new Uint8Array(10)))).toBeNull();
    expect(threadIndexBase('***')).toBeNull();
  });
});

describe('threadMessages (JWZ)', () => {
  it('simple chain by References and In-Reply-To', () => {
    const t = threadMessages([msg('a', '<a@x>'), msg('b', '<b@x>', ['<a@x>']), msg('c', '<c@x>', [], '<b@x>'), msg('z', '<z@x>')]);
    expect(t.parent).toEqual({ a: null, b: 'a', c: 'b', z: null });
    expect(judgeCorrelation(t, 'a', 'c')).toBe('same');
    expect(judgeCorrelation(t, 'a', 'z')).toBe('different');
    expect(judgeCorrelation(t, 'a', 'nope')).toBe('unknown');
    expect(t.phantoms).toEqual([]);
  });
  it('missing root with two replies: kept as a phantom root holding them together', () => {
    const t = threadMessages([msg('r1', '<r1@x>', ['<root@x>']), msg('r2', '<r2@x>', ['<root@x>'])]);
    expect(t.phantoms).toEqual(['root@x']);
    expect(t.parent).toEqual({ r1: 'phantom:root@x', r2: 'phantom:root@x' });
    expect(judgeCorrelation(t, 'r1', 'r2')).toBe('same');
  });
  it('missing root with a single reply: the empty container is pruned', () => {
    const t = threadMessages([msg('r1', '<r1@x>', ['<root@x>'])]);
    expect(t.phantoms).toEqual([]);
    expect(t.parent).toEqual({ r1: null });
  });
  it('missing middle message: children promoted to the grandparent', () => {
    const t = threadMessages([msg('a', '<a@x>'), msg('c', '<c@x>', ['<a@x>', '<b@x>'])]);
    expect(t.parent).toEqual({ a: null, c: 'a' });
    expect(t.phantoms).toEqual([]);
  });
  it('loop A refs B, B refs A: no cycle, both in one conversation, loop noted', () => {
    const t = threadMessages([msg('A', '<a@x>', ['<b@x>']), msg('B', '<b@x>', ['<a@x>'])]);
    expect(judgeCorrelation(t, 'A', 'B')).toBe('same');
    const roots = Object.entries(t.parent).filter(([, p]) => p === null);
    expect(roots.length).toBe(1);
    expect(t.notes.some((n) => /Loop refused/.test(n))).toBe(true);
  });
  it('self-reference is ignored', () => {
    const t = threadMessages([msg('A', '<a@x>', ['<a@x>'])]);
    expect(t.parent).toEqual({ A: null });
  });
  it('duplicate Message-IDs are threaded as distinct messages', () => {
    const t = threadMessages([msg('d1', '<d@x>'), msg('d2', '<d@x>'), msg('r', '<r@x>', ['<d@x>'])]);
    expect(Object.keys(t.conversationOf).sort()).toEqual(['d1', 'd2', 'r']);
    expect(t.parent.r).toBe('d1');
    expect(t.notes.some((n) => /Duplicate Message-ID <d@x>/.test(n))).toBe(true);
  });
  it('a later message replaces a parent presumed from another message\'s References', () => {
    // c says a > b > c; b itself says its parent is z.
    const t = threadMessages([msg('c', '<c@x>', ['<a@x>', '<b@x>']), msg('a', '<a@x>'), msg('z', '<z@x>'), msg('b', '<b@x>', ['<z@x>'])]);
    expect(t.parent.b).toBe('z');
    expect(t.parent.c).toBe('b');
  });
  it('messages without Message-ID still get a conversation', () => {
    const t = threadMessages([msg('n1', null), msg('n2', null)]);
    expect(judgeCorrelation(t, 'n1', 'n2')).toBe('different');
  });
  it('Thread-Index grouping merges threads whose headers were dropped', () => {
    const t = threadMessages([
      msg('a', '<a@x>', [], null, ti(7)),
      msg('b', '<b@x>', [], null, ti(7, 1)), // reply from a client that dropped In-Reply-To
      msg('c', '<c@x>', ['<b@x>']),
      msg('o', '<o@x>', [], null, ti(9)),
    ]);
    expect(judgeCorrelation(t, 'a', 'c')).toBe('same');
    expect(judgeCorrelation(t, 'a', 'o')).toBe('different');
    expect(t.conversations[t.conversationOf.a!]!.sort()).toEqual(['a', 'b', 'c']);
    expect(t.notes.some((n) => /Thread-Index header/.test(n))).toBe(true);
  });
  it('judgeCorrelation also accepts the conversations record', () => {
    const t = threadMessages([msg('a', '<a@x>'), msg('b', '<b@x>', ['<a@x>'])]);
    expect(judgeCorrelation(t.conversations, 'a', 'b')).toBe('same');
    expect(judgeCorrelation(t.conversations, 'a', 'q')).toBe('unknown');
  });
});

describe('threadMessages: hand-built sets for the sweep ground truth', () => {
  it('a second copy of a root message (synced from two mailboxes) joins the first copy\'s conversation', () => {
    // d2 is the same email as d1 seen in another mailbox; r replies to it. JWZ threads d2 apart, but as one
    // email it belongs to the conversation r continues.
    const t = threadMessages([msg('d1', '<d@x>'), msg('d2', '<d@x>'), msg('r', '<r@x>', ['<d@x>'])]);
    expect(judgeCorrelation(t, 'd2', 'r')).toBe('same');
    expect(t.notes.some((n) => /d2 joins the conversation of d1/.test(n))).toBe(true);
  });
  it('phantom grandparent, a loop and a missing root at once: three real conversations stay apart', () => {
    const t = threadMessages([
      // conversation 1: two replies to a root never seen, one of them via a middle message never seen
      msg('p1', '<p1@x>', ['<root1@x>']), msg('p2', '<p2@x>', ['<root1@x>', '<mid1@x>']),
      // conversation 2: a References loop
      msg('l1', '<l1@x>', ['<l2@x>']), msg('l2', '<l2@x>', ['<l1@x>']),
      // conversation 3: a lone message with the same subject as conversation 1
      msg('q', '<q@x>'),
    ]);
    expect(judgeCorrelation(t, 'p1', 'p2')).toBe('same');
    expect(judgeCorrelation(t, 'l1', 'l2')).toBe('same');
    expect(judgeCorrelation(t, 'p1', 'l1')).toBe('different');
    expect(judgeCorrelation(t, 'q', 'p1')).toBe('different');
    expect(t.phantoms).toContain('root1@x');
    expect(Object.keys(t.conversations)).toHaveLength(3);
  });
});
