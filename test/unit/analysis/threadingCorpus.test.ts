// JWZ threading against real and constructed threads of the notmuch test corpora (used as test input
// only, never copied). Expectations come from the raw headers, not from the code under test.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCorrelation, normalizeMessageId, threadMessages, type ThreadMessage } from '../../../core/analysis/threading.js';
import { getHeader, parseMsgId, parseMsgIdList, splitHeaderBlock } from '../../../core/mail/headers.js';
import { sharedPath } from '../../support/shared.js';

const ROOT = sharedPath('corpora/notmuch__notmuch/test/corpora', 'threading on the notmuch corpora') ?? '';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function load(dir: string): ThreadMessage[] {
  return files(join(ROOT, dir)).map((f) => {
    const { fields } = splitHeaderBlock(new Uint8Array(readFileSync(f)));
    return {
      key: f.slice(ROOT.length + 1),
      messageId: parseMsgId(getHeader(fields, 'message-id')),
      inReplyTo: parseMsgId(getHeader(fields, 'in-reply-to')),
      references: parseMsgIdList(getHeader(fields, 'references')),
      threadIndex: getHeader(fields, 'thread-index'),
      subject: getHeader(fields, 'subject') ?? '',
      date: getHeader(fields, 'date'),
    };
  });
}

describe.skipIf(!ROOT)('threading on the notmuch corpora', () => {
  it('lkml: every reply whose In-Reply-To parent is in the corpus is threaded under it', () => {
    const msgs = load('lkml');
    expect(msgs.length).toBeGreaterThan(200);
    // The corpus holds some messages twice (same Message-ID in two files): any copy is a valid parent.
    const idOf = new Map(msgs.map((m) => [m.key, normalizeMessageId(m.messageId)]));
    const ids = new Set(idOf.values());
    const t = threadMessages(msgs);
    let checked = 0;
    for (const m of msgs) {
      const irt = normalizeMessageId(m.inReplyTo);
      if (!irt || !ids.has(irt) || irt === normalizeMessageId(m.messageId)) continue;
      checked++;
      const parentKey = t.parent[m.key];
      expect(parentKey, m.key).toBeTruthy();
      expect(idOf.get(parentKey ?? ''), m.key).toBe(irt);
      expect(judgeCorrelation(t, m.key, parentKey ?? '')).toBe('same');
    }
    expect(checked).toBeGreaterThan(100); // 144 replies in lkml/ have their In-Reply-To parent in the corpus
  });
  it('broken/loop (In-Reply-To cycle): one conversation with one root, loop noted', () => {
    const msgs = load('broken/loop');
    const t = threadMessages(msgs);
    expect(Object.values(t.parent).filter((p) => p === null)).toHaveLength(1);
    expect(judgeCorrelation(t, msgs[0]!.key, msgs[1]!.key)).toBe('same');
    expect(t.notes.join('\n')).toMatch(/Loop refused/);
  });
  it('threading/ghost-root: messages referencing a common id share a conversation', () => {
    const msgs = load('threading/ghost-root');
    const t = threadMessages(msgs);
    const refsOf = (m: ThreadMessage): Set<string> => new Set([...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])].map((x) => normalizeMessageId(x) ?? ''));
    let pairs = 0;
    for (const a of msgs) for (const b of msgs) {
      if (a === b) continue;
      if ([...refsOf(a)].some((r) => refsOf(b).has(r))) { pairs++; expect(judgeCorrelation(t, a.key, b.key), `${a.key} ~ ${b.key}`).toBe('same'); }
    }
    expect(pairs).toBeGreaterThan(0);
  });
});
