// Anonymizing a case (issue 13): addresses, names, subject words, Message-IDs, entity ids and folder
// names are replaced by stand-ins, always the same stand-in for the same original (compared the way the
// engine compares them: addresses and ids case-insensitively), so every equality the engine relies on
// survives: address and subject hashes still match each other, In-Reply-To still names the tracked
// email's Message-ID, and the sender still resolves to the same row. Tracking tokens, Thread-Index,
// dates and the words Microsoft's prefixes and auto-reply rules look at are kept as they are.

import { normAddress } from '../engine/index.js';

/** Words kept in subjects: reply/forward prefixes and auto-reply phrases that classification reads (core/mail/classify.ts). */
const KEPT_WORDS = new Set([
  're', 'r', 'aw', 'sv', 'vs', 'antw', 'odp', 'ynt', 'res', 'rif', 'ref', 'fw', 'fwd', 'wg', 'tr', 'i', 'enc', 'rv', 'doorst', 'fs', 'pd',
  'auto', 'response', 'automatic', 'reply', 'autoreply', 'out', 'of', 'the', 'office',
]);
const KEPT_FOLDERS = new Set(['inbox', 'sent items', 'deleted items', 'drafts', 'junk email', 'archive', 'outbox']);

/** a, b, …, z, ba, bb, …: letters only, so a stand-in never looks like a number or a token. */
function letters(n: number): string {
  let s = '';
  let x = n;
  do {
    s = String.fromCharCode(97 + (x % 26)) + s;
    x = Math.floor(x / 26);
  } while (x > 0);
  return s;
}

function sameCase(original: string, word: string): string {
  if (original === original.toUpperCase() && original !== original.toLowerCase()) return word.toUpperCase();
  const first = original.charAt(0);
  if (first === first.toUpperCase() && first !== first.toLowerCase()) return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}

export class Anonymizer {
  private readonly locals = new Map<string, string>();
  private readonly domains = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly words = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  private readonly refIds = new Map<string, string>();
  private readonly folders = new Map<string, string>();
  private readonly keptPrefixes: Set<string>;

  /** `tokenPrefixes`: the tracking prefixes in use (kept, or tokens would stop being tokens). */
  constructor(tokenPrefixes: readonly string[]) {
    this.keptPrefixes = new Set(tokenPrefixes.map((p) => p.toLowerCase()));
  }

  private next(map: Map<string, string>, key: string, make: (n: number) => string): string {
    let v = map.get(key);
    if (v === undefined) {
      v = make(map.size + 1);
      map.set(key, v);
    }
    return v;
  }

  address(a: string): string {
    const addr = normAddress(a);
    const at = addr.lastIndexOf('@');
    if (at < 0) return this.next(this.locals, addr, (n) => `person${n}`);
    const local = this.next(this.locals, addr.slice(0, at), (n) => `person${n}`);
    const domain = this.next(this.domains, addr.slice(at + 1), (n) => `org${n}.example`);
    return `${local}@${domain}`;
  }

  name(n: string): string {
    const key = n.trim().toLowerCase();
    if (!key) return '';
    return this.next(this.names, key, (i) => `Person ${i}`);
  }

  /** A Message-ID without angle brackets. */
  messageId(id: string): string {
    // Case kept: the engine compares Message-IDs exactly (trackedStore.normMessageId).
    return this.next(this.ids, id.trim(), (n) => `message${n}@anonymized.invalid`);
  }

  /** Replaces every <id> in a header value (Message-ID, In-Reply-To, References). */
  messageIdList(value: string): string {
    return value.replace(/<([^<>]*)>/g, (_m, id: string) => `<${this.messageId(id)}>`);
  }

  subject(s: string): string {
    return s.replace(/\p{L}+/gu, (w) => {
      const lower = w.toLowerCase();
      if (KEPT_WORDS.has(lower) || this.keptPrefixes.has(lower)) return w;
      return sameCase(w, this.next(this.words, lower, (n) => `w${letters(n - 1)}`));
    });
  }

  /** `type:id` → `type:<type initial><n>`; the type (user, queue, opportunity…) is kept. */
  ref(r: string): string {
    const colon = r.indexOf(':');
    if (colon < 0) return this.next(this.refIds, r, (n) => `r${n}`);
    const type = r.slice(0, colon);
    return `${type}:${this.refId(type, r.slice(colon + 1))}`;
  }

  refId(type: string, id: string): string {
    return this.next(this.refIds, `${type}:${id}`, (n) => `${type.charAt(0) || 'r'}${n}`);
  }

  folder(path: string): string {
    return path.split('/').map((seg) => (KEPT_FOLDERS.has(seg.trim().toLowerCase()) ? seg : this.next(this.folders, seg.trim().toLowerCase(), (n) => `Folder ${n}`))).join('/');
  }

  /** What was replaced, for the export summary (counts only: the originals are what must not leave). */
  counts(): Record<string, number> {
    return { addresses: this.locals.size, domains: this.domains.size, names: this.names.size, subjectWords: this.words.size, messageIds: this.ids.size, ids: this.refIds.size, folders: this.folders.size };
  }
}
