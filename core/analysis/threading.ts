// Ground-truth conversations for a mailbox, independent of Dynamics: Jamie Zawinski's threading
// algorithm (https://www.jwz.org/doc/threading.html) over Message-ID / In-Reply-To / References, then
// threads whose Outlook Thread-Index share the 22-byte header (research §8: same conversation GUID)
// are merged, because Outlook knows those are one conversation even when a client dropped the headers.
// JWZ's subject-grouping step is deliberately left out: subjects are what smart matching guesses from,
// so using them here would make the tuning sweep grade smart matching against itself.

import { decodeBase64, toHex } from '../engine/index.js';

export interface ThreadMessage {
  key: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  threadIndex: string | null;
  subject: string;
  date: string | null;
}

export interface Threading {
  /** Conversation id → keys of its messages (phantoms are not members). */
  conversations: Record<string, string[]>;
  /** Message key → conversation id. */
  conversationOf: Record<string, string>;
  /** Message key → parent: another message key, `phantom:<message-id>`, or null for a root. */
  parent: Record<string, string | null>;
  /** Message-IDs referenced but never seen, that still hold a thread together. */
  phantoms: string[];
  /** Human-readable notes: duplicate ids, loops refused, Thread-Index merges. */
  notes: string[];
}

interface Container {
  id: string;
  message: ThreadMessage | null;
  parent: Container | null;
  children: Container[];
}

/** `<a@b>` → `a@b`; blank → null. Case is kept: the local part of a Message-ID is case-sensitive. */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const t = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return t === '' ? null : t;
}

/** Thread-Index header key: hex of the first 22 bytes (research §8.1), or null if absent/short. */
export function threadIndexBase(threadIndex: string | null): string | null {
  if (!threadIndex) return null;
  const d = decodeBase64(threadIndex.replace(/\s+/g, ''));
  if (!d.ok || d.bytes.length < 22) return null;
  return toHex(d.bytes.subarray(0, 22));
}

function isAncestor(maybeAncestor: Container, c: Container): boolean {
  for (let p: Container | null = c; p; p = p.parent) if (p === maybeAncestor) return true;
  return false;
}

function unlink(c: Container): void {
  if (!c.parent) return;
  c.parent.children = c.parent.children.filter((x) => x !== c);
  c.parent = null;
}

/** Link child under parent unless it would create a loop (JWZ step 1A/1C). */
function link(parent: Container, child: Container): boolean {
  if (parent === child || isAncestor(child, parent)) return false;
  unlink(child);
  child.parent = parent;
  parent.children.push(child);
  return true;
}

export function threadMessages(messages: ThreadMessage[]): Threading {
  const notes: string[] = [];
  const table = new Map<string, Container>();
  const get = (id: string): Container => {
    let c = table.get(id);
    if (!c) { c = { id, message: null, parent: null, children: [] }; table.set(id, c); }
    return c;
  };
  let anon = 0;
  // A second copy of a Message-ID (the same email synced from two mailboxes, or imported twice) is threaded
  // apart as JWZ says, but it is the same email, so its conversation is joined to the first copy's below.
  const copies: [Container, Container][] = [];
  for (const m of messages) {
    const mid = normalizeMessageId(m.messageId);
    let own: Container;
    if (mid === null) own = get(`\u0000nomid:${anon++}`);
    else {
      own = get(mid);
      if (own.message) {
        // JWZ: a second message with the same id is treated as a distinct message.
        notes.push(`Duplicate Message-ID <${mid}>: ${m.key} is threaded separately from ${own.message.key}.`);
        const first = own;
        own = get(`\u0000dup:${mid}:${m.key}`);
        copies.push([first, own]);
      }
    }
    own.message = m;
    const refs = m.references.map(normalizeMessageId).filter((x): x is string => x !== null);
    const irt = normalizeMessageId(m.inReplyTo);
    if (irt && refs[refs.length - 1] !== irt) refs.push(irt);
    // Step 1B: chain the References, never overriding an existing parent and never making a loop.
    for (let i = 1; i < refs.length; i++) {
      const p = get(refs[i - 1]!);
      const c = get(refs[i]!);
      if (!c.parent && p !== c && !isAncestor(c, p)) link(p, c);
    }
    // Step 1C: the message's own parent is the last reference; that replaces any presumed parent.
    const last = refs[refs.length - 1];
    if (last !== undefined) {
      const p = get(last);
      if (!link(p, own)) notes.push(`Loop refused: ${m.key} cannot be a child of <${last}> because <${last}> already descends from it.`);
    } else unlink(own);
  }

  // Step 2–4: root set, then prune empty containers.
  const prune = (c: Container): Container[] => {
    const kids = c.children.flatMap(prune);
    c.children = kids;
    for (const k of kids) k.parent = c;
    if (c.message) return [c];
    if (kids.length === 0) return [];
    // Empty with children: promote them, unless it is a root holding several (keep it as a phantom).
    return [c];
  };
  let roots = [...table.values()].filter((c) => !c.parent).flatMap(prune);
  const flattenRoot = (r: Container): Container[] => {
    if (r.message || r.children.length > 1) return [r];
    for (const k of r.children) k.parent = null;
    return r.children.flatMap(flattenRoot);
  };
  roots = roots.flatMap(flattenRoot);
  // Non-root empty containers: promote their children to the grandparent.
  const promote = (c: Container): void => {
    const next: Container[] = [];
    for (const k of c.children) {
      promote(k);
      if (!k.message) for (const g of k.children) { g.parent = c; next.push(g); }
      else next.push(k);
    }
    c.children = next;
  };
  for (const r of roots) promote(r);

  // Union threads that share a Thread-Index header.
  const rootOf = new Map<Container, Container>(roots.map((r) => [r, r]));
  const find = (r: Container): Container => { let x = r; while (rootOf.get(x) !== x) x = rootOf.get(x)!; return x; };
  const members = (r: Container): ThreadMessage[] => [...(r.message ? [r.message] : []), ...r.children.flatMap(members)];
  const byBase = new Map<string, Container>();
  for (const r of roots) {
    for (const m of members(r)) {
      const base = threadIndexBase(m.threadIndex);
      if (!base) continue;
      const other = byBase.get(base);
      if (!other) { byBase.set(base, r); continue; }
      const a = find(other);
      const b = find(r);
      if (a !== b) {
        rootOf.set(b, a);
        notes.push(`Thread-Index header ${base.slice(0, 12)}… joins ${m.key} to the conversation of ${members(a)[0]?.key ?? '?'}.`);
      }
    }
  }

  const topOf = (c: Container): Container => { let x = c; while (x.parent) x = x.parent; return x; };
  for (const [first, copy] of copies) {
    const a = rootOf.has(topOf(first)) ? find(topOf(first)) : null;
    const b = rootOf.has(topOf(copy)) ? find(topOf(copy)) : null;
    if (a && b && a !== b) {
      rootOf.set(b, a);
      notes.push(`Duplicate Message-ID <${first.id}>: ${copy.message?.key ?? '?'} joins the conversation of ${first.message?.key ?? '?'} (same email).`);
    }
  }

  const conversations: Record<string, string[]> = {};
  const conversationOf: Record<string, string> = {};
  const parent: Record<string, string | null> = {};
  const phantoms: string[] = [];
  const walk = (c: Container, conv: string, up: string | null): void => {
    let here = up;
    if (c.message) {
      parent[c.message.key] = up;
      conversationOf[c.message.key] = conv;
      (conversations[conv] ??= []).push(c.message.key);
      here = c.message.key;
    } else {
      phantoms.push(c.id);
      here = `phantom:${c.id}`;
    }
    for (const k of c.children) walk(k, conv, here);
  };
  for (const r of roots) {
    const top = find(r);
    const conv = `conv:${top.message?.key ?? `phantom:${top.id}`}`;
    walk(r, conv, null);
  }
  return { conversations, conversationOf, parent, phantoms, notes };
}

/** Whether two messages are in one conversation per the threading ('unknown' if either is absent). */
export function judgeCorrelation(
  threading: Pick<Threading, 'conversationOf'> | Record<string, string[]>, fromKey: string, toKey: string,
): 'same' | 'different' | 'unknown' {
  const convOf = (key: string): string | undefined => {
    if ('conversationOf' in threading && !Array.isArray(threading.conversationOf)) return (threading.conversationOf as Record<string, string>)[key];
    for (const [id, keys] of Object.entries(threading as Record<string, string[]>)) if (keys.includes(key)) return id;
    return undefined;
  };
  const a = convOf(fromKey);
  const b = convOf(toKey);
  if (a === undefined || b === undefined) return 'unknown';
  return a === b ? 'same' : 'different';
}
