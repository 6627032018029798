// A bounded matcher for .NET regular expressions (HashFilterKeywords, SIMULATOR §3.2).
// Why not JS RegExp: its \w, \d, \b are ASCII-only (.NET's are Unicode, so `Réf:` / `Ответ:` must be
// stripped) and it cannot be interrupted, so a pathological admin pattern could hang the engine. We parse
// the pattern into an AST and run our own backtracking matcher that counts steps and gives up cleanly.
// Matching is over UTF-16 code units and case-sensitive, as Dataverse's (no RegexOptions) is.

type CharTest = (c: number) => boolean;

type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; index: number; body: Node }
  | { t: 'nc'; body: Node }
  | { t: 'atomic'; body: Node }
  | { t: 'rep'; body: Node; min: number; max: number; lazy: boolean }
  | { t: 'assert'; kind: '^' | '$' | 'A' | 'z' | 'Z' | 'b' | 'B' }
  | { t: 'look'; behind: boolean; neg: boolean; body: Node }
  | { t: 'backref'; index: number; name?: string };

const ch = (c: number): string => String.fromCharCode(c);
// Unicode property lookups are slow per call, so each class memoises its answer per UTF-16 code unit.
const propTest = (re: RegExp): CharTest => {
  const memo = new Int8Array(0x10000).fill(-1);
  return (c) => {
    const v = memo[c] as number;
    if (v >= 0) return v === 1;
    const r = re.test(ch(c));
    memo[c] = r ? 1 : 0;
    return r;
  };
};
// .NET: \w = [\p{L}\p{Mn}\p{Nd}\p{Pc}], \d = \p{Nd}, \s = [\f\n\r\t\v\x85\p{Z}].
const isWord: CharTest = propTest(/^[\p{L}\p{Mn}\p{Nd}\p{Pc}]$/u);
const isDigit: CharTest = propTest(/^\p{Nd}$/u);
const isZ = propTest(/^\p{Z}$/u);
const isSpace: CharTest = (c) => c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x85 || isZ(c);
const not = (f: CharTest): CharTest => (c) => !f(c);

class RegexSyntaxError extends Error {}

/** Recursive-descent parser for the .NET subset we support; refuses the rest by name and position. */
/** Deeper than any real keyword filter needs; see Parser.alt. */
const MAX_GROUP_DEPTH = 100;

class Parser {
  private i = 0;
  groupCount = 0;
  readonly names = new Map<string, number>();
  private readonly unnamed: { index: number }[] = [];
  private readonly named: { name: string; node: { index: number } }[] = [];
  private readonly namedRefs: { name: string; node: { index: number }; at: number }[] = [];
  constructor(private readonly p: string) {}

  fail(msg: string, at = this.i): never {
    throw new RegexSyntaxError(`${msg} at position ${at}`);
  }

  parse(): Node {
    const n = this.alt();
    if (this.i < this.p.length) this.fail(`unbalanced ')'`);
    // .NET numbers unnamed groups first, left to right, then named groups.
    this.unnamed.forEach((g, k) => (g.index = k + 1));
    this.named.forEach((g, k) => {
      g.node.index = this.unnamed.length + k + 1;
      this.names.set(g.name, g.node.index);
    });
    this.groupCount = this.unnamed.length + this.named.length;
    for (const r of this.namedRefs) {
      const index = this.names.get(r.name) ?? (/^\d+$/.test(r.name) ? Number(r.name) : undefined);
      if (index === undefined) this.fail(`reference to undefined group '${r.name}'`, r.at);
      r.node.index = index as number;
    }
    return n;
  }

  private depth = 0;

  private alt(): Node {
    // Parsing and matching both recurse per group level; a bound keeps a hostile pattern (thousands of
    // nested groups still fit the 4,096-character setting) a refusal instead of a stack overflow.
    if (++this.depth > MAX_GROUP_DEPTH) this.fail(`groups are nested more than ${MAX_GROUP_DEPTH} deep`);
    const alts = [this.seq()];
    while (this.p[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    this.depth--;
    return alts.length === 1 ? (alts[0] as Node) : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      if (atom === null) continue;
      items.push(this.quantified(atom, start));
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
  }

  private quantified(atom: Node, start: number): Node {
    let min: number;
    let max: number;
    const c = this.p[this.i];
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return atom; // .NET reads a '{' that is not a quantifier as a literal
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.fail(`quantifier {${m[1]},${m[3]}} has max < min`);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (atom.t === 'assert' || atom.t === 'look') this.fail(`quantifier after an anchor or lookaround`, start);
    let lazy = false;
    if (this.p[this.i] === '?') {
      lazy = true;
      this.i++;
    }
    if ('*+?'.includes(this.p[this.i] ?? 'x') || (this.p[this.i] === '{' && /^\{\d+(,\d*)?\}/.test(this.p.slice(this.i)))) {
      this.fail(`nested quantifier '${this.p[this.i]}'`);
    }
    return { t: 'rep', body: atom, min, max, lazy };
  }

  private atom(): Node | null {
    const c = this.p[this.i] as string;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { t: 'char', test: this.charClass() };
      case '.':
        this.i++;
        return { t: 'char', test: (x) => x !== 0x0a };
      case '^':
        this.i++;
        return { t: 'assert', kind: '^' };
      case '$':
        this.i++;
        return { t: 'assert', kind: '$' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.fail(`quantifier '${c}' follows nothing`);
      default: {
        this.i++;
        const code = c.charCodeAt(0);
        return { t: 'char', test: (x) => x === code };
      }
    }
  }

  private group(): Node | null {
    const at = this.i;
    this.i++;
    let node: Node;
    if (this.p[this.i] === '?') {
      const rest = this.p.slice(this.i + 1);
      if (rest.startsWith('#')) {
        const end = this.p.indexOf(')', this.i);
        if (end < 0) this.fail(`unterminated (?# comment`, at);
        this.i = end + 1;
        return null;
      }
      const named = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
      if (rest.startsWith(':')) {
        this.i += 2;
        node = { t: 'nc', body: this.alt() };
      } else if (rest.startsWith('>')) {
        this.i += 2;
        node = { t: 'atomic', body: this.alt() };
      } else if (rest.startsWith('=') || rest.startsWith('!')) {
        this.i += 2;
        node = { t: 'look', behind: false, neg: rest.startsWith('!'), body: this.alt() };
      } else if (rest.startsWith('<=') || rest.startsWith('<!')) {
        this.i += 3;
        node = { t: 'look', behind: true, neg: rest.startsWith('<!'), body: this.alt() };
      } else if (named) {
        const name = (named[1] ?? named[2]) as string;
        if (this.named.some((g) => g.name === name)) this.fail(`duplicate group name '${name}'`, at);
        this.i += 1 + named[0].length;
        const g: Node & { t: 'group' } = { t: 'group', index: 0, body: { t: 'seq', items: [] } };
        this.named.push({ name, node: g });
        g.body = this.alt();
        node = g;
      } else if (/^(?:<|')[\w]*-/.test(rest)) {
        return this.fail(`balancing group '(?${rest.slice(0, 6)}…' is not supported`, at);
      } else if (rest.startsWith('(')) {
        return this.fail(`conditional '(?(…)' is not supported`, at);
      } else if (/^[imnsx-]+[:)]/.test(rest)) {
        return this.fail(`inline option '(?${/^[imnsx-]+/.exec(rest)?.[0] ?? ''}' is not supported (the pattern is matched case-sensitively with default options)`, at);
      } else {
        return this.fail(`unrecognised group construct '(?${rest.slice(0, 3)}'`, at);
      }
    } else {
      const g: Node & { t: 'group' } = { t: 'group', index: 0, body: { t: 'seq', items: [] } };
      this.unnamed.push(g);
      g.body = this.alt();
      node = g;
    }
    if (this.p[this.i] !== ')') this.fail(`missing ')' for the group opened`, at);
    this.i++;
    return node;
  }

  /** Escapes usable both inside and outside [...]: returns a char test or a single code. */
  private classEscape(inClass: boolean): CharTest | number {
    const at = this.i;
    this.i++; // the backslash
    const c = this.p[this.i];
    if (c === undefined) this.fail(`pattern ends with a lone '\\'`, at);
    this.i++;
    switch (c) {
      case 'w': return isWord;
      case 'W': return not(isWord);
      case 'd': return isDigit;
      case 'D': return not(isDigit);
      case 's': return isSpace;
      case 'S': return not(isSpace);
      case 'p':
      case 'P': {
        const m = /^\{([A-Za-z]+)\}/.exec(this.p.slice(this.i));
        if (!m) this.fail(`malformed \\${c}{...}`, at);
        const name = (m as RegExpExecArray)[1] as string;
        if (!/^[A-Z][a-z]?$/.test(name)) this.fail(`Unicode block or property '\\${c}{${name}}' is not supported (only general categories such as L, Lu, Nd)`, at);
        let re: RegExp;
        try {
          re = new RegExp(`^\\p{${name}}$`, 'u');
        } catch {
          return this.fail(`unknown Unicode category '${name}'`, at);
        }
        this.i += (m as RegExpExecArray)[0].length;
        const t = propTest(re);
        return c === 'p' ? t : not(t);
      }
      case 't': return 0x09;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 'f': return 0x0c;
      case 'v': return 0x0b;
      case 'e': return 0x1b;
      case 'a': return 0x07;
      case 'b':
        if (inClass) return 0x08;
        break;
      case 'x': {
        const m = /^[0-9A-Fa-f]{2}/.exec(this.p.slice(this.i));
        if (!m) this.fail(`\\x needs two hex digits`, at);
        this.i += 2;
        return parseInt((m as RegExpExecArray)[0], 16);
      }
      case 'u': {
        const m = /^[0-9A-Fa-f]{4}/.exec(this.p.slice(this.i));
        if (!m) this.fail(`\\u needs four hex digits`, at);
        this.i += 4;
        return parseInt((m as RegExpExecArray)[0], 16);
      }
      case 'c': {
        const l = this.p[this.i];
        if (!l || !/[A-Za-z]/.test(l)) this.fail(`\\c needs a letter`, at);
        this.i++;
        return (l as string).toUpperCase().charCodeAt(0) - 64;
      }
      case '0': {
        const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i)) as RegExpExecArray;
        this.i += m[0].length;
        return parseInt(`0${m[0]}`, 8);
      }
      default:
        break;
    }
    if (/[A-Za-z0-9]/.test(c as string)) {
      this.i = at;
      return -1; // not a class escape: the caller decides (anchors, backreferences) or refuses
    }
    return (c as string).charCodeAt(0);
  }

  private escape(): Node {
    const at = this.i;
    const next = this.p[this.i + 1] ?? '';
    const anchors: Record<string, 'A' | 'z' | 'Z' | 'b' | 'B'> = { A: 'A', z: 'z', Z: 'Z', b: 'b', B: 'B' };
    const anchor = anchors[next];
    if (anchor) {
      this.i += 2;
      return { t: 'assert', kind: anchor };
    }
    if (next === 'G') this.fail(`'\\G' is not supported`, at);
    if (/[1-9]/.test(next)) {
      const m = /^\d+/.exec(this.p.slice(this.i + 1)) as RegExpExecArray;
      this.i += 1 + m[0].length;
      return { t: 'backref', index: Number(m[0]) };
    }
    if (next === 'k') {
      const m = /^k(?:<(\w+)>|'(\w+)')/.exec(this.p.slice(this.i + 1));
      if (!m) this.fail(`malformed \\k backreference`, at);
      const name = ((m as RegExpExecArray)[1] ?? (m as RegExpExecArray)[2]) as string;
      this.i += 1 + (m as RegExpExecArray)[0].length;
      const ref: Node & { t: 'backref' } = { t: 'backref', index: 0, name };
      this.namedRefs.push({ name, node: ref, at });
      return ref;
    }
    const r = this.classEscape(false);
    if (r === -1) return this.fail(`unrecognised escape '\\${next}'`, at);
    if (typeof r === 'number') return { t: 'char', test: (x) => x === r };
    return { t: 'char', test: r };
  }

  private charClass(): CharTest {
    const at = this.i;
    this.i++;
    let negate = false;
    if (this.p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const tests: CharTest[] = [];
    let first = true;
    while (true) {
      const c = this.p[this.i];
      if (c === undefined) this.fail(`unterminated character class`, at);
      if (c === ']' && !first) break;
      first = false;
      if (c === '-' && this.p[this.i + 1] === '[') this.fail(`character class subtraction is not supported`);
      let lo: CharTest | number;
      if (c === '\\') {
        lo = this.classEscape(true);
        if (lo === -1) this.fail(`unrecognised escape '\\${this.p[this.i + 1] ?? ''}' in character class`);
      } else {
        lo = c.charCodeAt(0);
        this.i++;
      }
      if (typeof lo === 'number' && this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.p[this.i + 1] !== undefined) {
        this.i++;
        let hi: CharTest | number;
        if (this.p[this.i] === '\\') hi = this.classEscape(true);
        else {
          hi = (this.p[this.i] as string).charCodeAt(0);
          this.i++;
        }
        if (typeof hi !== 'number' || hi === -1) this.fail(`a range cannot end in a class escape`);
        if ((hi as number) < lo) this.fail(`range in reverse order`);
        const a = lo;
        const b = hi as number;
        tests.push((x) => x >= a && x <= b);
      } else if (typeof lo === 'number') {
        const a = lo;
        tests.push((x) => x === a);
      } else tests.push(lo);
    }
    this.i++;
    return (x) => tests.some((t) => t(x)) !== negate;
  }
}

export interface RegexMatch {
  index: number;
  length: number;
  text: string;
}

export type ReplaceResult = { ok: true; output: string; matches: RegexMatch[] } | { ok: false; error: string };

/** Steps (node visits) allowed per replaceAll call by default; a subject needs a few thousand at most. */
export const DEFAULT_STEP_BUDGET = 200_000;
/**
 * Steps allowed per input character on top of DEFAULT_STEP_BUDGET: a linear scan of a long subject (one
 * 130,000-character word under the default pattern backs off over every character) must fit, while a
 * pattern that backtracks catastrophically still runs out, in time linear in the input.
 */
export const STEPS_PER_CHAR = 24;
/**
 * Nested matcher calls allowed. An explicit limit, well below what the JavaScript stack holds even in a
 * fresh process (whose unoptimised frames are largest: measured about 1,300 nested calls there), so the
 * same input always gets the same answer whatever ran before it (issue 12 #6: the stack alone made the
 * answer depend on warm-up). Greedy loops do not nest per iteration (greedyFirstPath), so only lazy
 * loops and backtracking into a loop's earlier iterations come near it.
 */
export const MAX_MATCH_DEPTH = 600;

/** The step budget for an input of `length` characters when the caller gives none. */
export function stepBudgetFor(length: number): number {
  return DEFAULT_STEP_BUDGET + STEPS_PER_CHAR * length;
}

class BudgetExceeded extends Error {}
class DepthExceeded extends Error {}

/**
 * One replaceAll call's matching state: a continuation-passing backtracking matcher. Its steps are
 * methods rather than closures made per call (a replay runs it once per distinct subject, and under a
 * keep-names transform such as tsx's every named closure costs a defineProperty); the continuations
 * stay closures.
 */
class MatchRun {
  private steps = 0;
  private depth = 0;
  caps: ([number, number] | undefined)[] = [];
  private readonly len: number;

  constructor(private readonly s: string, private readonly budget: number) {
    this.len = s.length;
  }

  private tick(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded();
  }

  private isW(i: number): boolean {
    return i >= 0 && i < this.len && isWord(this.s.charCodeAt(i));
  }

  /** Does node n match at pos, followed by whatever k accepts? */
  m(n: Node, pos: number, k: (p: number) => boolean): boolean {
    if (++this.depth > MAX_MATCH_DEPTH) throw new DepthExceeded();
    // No try/finally: a throw abandons the whole run, so the count need not be put back.
    const r = this.step(n, pos, k);
    this.depth--;
    return r;
  }

  private step(n: Node, pos: number, k: (p: number) => boolean): boolean {
    const s = this.s;
    const len = this.len;
    this.tick();
    switch (n.t) {
      case 'char':
        return pos < len && n.test(s.charCodeAt(pos)) && k(pos + 1);
      case 'seq':
        return this.seqStep(n.items, 0, pos, k);
      case 'alt':
        for (const a of n.alts) if (this.m(a, pos, k)) return true;
        return false;
      case 'nc':
        return this.m(n.body, pos, k);
      case 'group':
        return this.m(n.body, pos, (e) => {
          const old = this.caps[n.index];
          this.caps[n.index] = [pos, e];
          if (k(e)) return true;
          this.caps[n.index] = old;
          return false;
        });
      case 'atomic': {
        let end = -1;
        if (!this.m(n.body, pos, (e) => ((end = e), true))) return false;
        return k(end);
      }
      case 'look': {
        const saved = this.caps.slice();
        let found: boolean;
        if (!n.behind) found = this.m(n.body, pos, () => true);
        else {
          found = false;
          for (let st = pos; st >= 0 && !found; st--) found = this.m(n.body, st, (e) => e === pos);
        }
        if (n.neg) this.caps = saved;
        return found !== n.neg && k(pos);
      }
      case 'assert': {
        let okA: boolean;
        switch (n.kind) {
          case '^': case 'A': okA = pos === 0; break;
          case 'z': okA = pos === len; break;
          case '$': case 'Z': okA = pos === len || (pos === len - 1 && s.charCodeAt(pos) === 0x0a); break;
          case 'b': okA = this.isW(pos - 1) !== this.isW(pos); break;
          case 'B': okA = this.isW(pos - 1) === this.isW(pos); break;
        }
        return okA && k(pos);
      }
      case 'backref': {
        const c = this.caps[n.index];
        if (!c) return false; // .NET: a reference to an unset group fails to match
        // Compared one character at a time, each a step: a long capture costs its length, so a pattern
        // such as (.*)\1\1\1x stays within the budget's time (issue 12 #7).
        const l = c[1] - c[0];
        if (pos + l > len) return false;
        for (let i = 0; i < l; i++) {
          this.tick();
          if (s.charCodeAt(c[0] + i) !== s.charCodeAt(pos + i)) return false;
        }
        return k(pos + l);
      }
      case 'rep': {
        const { body, min, max, lazy } = n;
        if (body.t === 'char' && !lazy) {
          // Single-character loop: scan forward once, then give back one at a time (no deep recursion).
          let count = 0;
          while (count < max && pos + count < len && body.test(s.charCodeAt(pos + count))) {
            count++;
            this.tick();
          }
          for (let c = count; c >= min; c--) if (k(pos + c)) return true;
          return false;
        }
        if (!lazy) {
          const r = this.greedyFirstPath(n, pos, k);
          if (r !== null) return r;
        }
        return this.repIter(n, 0, pos, k);
      }
    }
  }

  /** Items i.. of a sequence from p, then k. */
  private seqStep(items: Node[], i: number, p: number, k: (p: number) => boolean): boolean {
    return i === items.length ? k(p) : this.m(items[i] as Node, p, (q) => this.seqStep(items, i + 1, q, k));
  }

  /**
   * A greedy loop's first path without nesting: repeat the body taking its first match each time until it
   * no longer matches, then try k. Backtracking tries exactly this path first, so when k accepts, the
   * answer (end and captures) is the one repIter would give, but the stack does not grow with the number
   * of iterations (300 "RE: " prefixes under the default pattern). null: the path failed or stopped on an
   * empty iteration; the caller then searches every path with repIter.
   */
  private greedyFirstPath(n: Extract<Node, { t: 'rep' }>, pos: number, k: (p: number) => boolean): boolean | null {
    const saved = this.caps.slice();
    let p = pos;
    let count = 0;
    while (count < n.max) {
      let end = -1;
      if (!this.m(n.body, p, (e) => ((end = e), true))) break;
      if (end === p) { this.caps = saved; return null; }
      p = end;
      count++;
    }
    if (count >= n.min && k(p)) return true;
    this.caps = saved;
    return null;
  }

  /** Iteration `count` of a general loop from p, then k. */
  private repIter(n: Extract<Node, { t: 'rep' }>, count: number, p: number, k: (p: number) => boolean): boolean {
    this.tick();
    // An iteration that consumed nothing cannot make progress: stop looping there.
    if (n.lazy) return (count >= n.min && k(p)) || (count < n.max && this.m(n.body, p, (q) => (q === p && count >= n.min ? false : this.repIter(n, count + 1, q, k))));
    return (count < n.max && this.m(n.body, p, (q) => (q === p && count >= n.min ? false : this.repIter(n, count + 1, q, k)))) || (count >= n.min && k(p));
  }
}

export class DotNetRegex {
  /** Anchored at the start (^ or \A in every branch): can only match at position 0. */
  private readonly anchored: boolean;

  constructor(readonly pattern: string, private readonly root: Node, private readonly groupCount: number, private readonly names: Map<string, number>) {
    this.anchored = anchoredAtStart(root);
  }

  /** Replace every match (left to right, like Regex.Replace). Supports $n, ${name}, $0, $& and $$. */
  replaceAll(input: string, replacement = '', givenBudget?: number): ReplaceResult {
    const budget = givenBudget ?? stepBudgetFor(input.length);
    const s = input;
    const len = s.length;
    const run = new MatchRun(s, budget);

    const matches: RegexMatch[] = [];
    let out = '';
    let last = 0;
    try {
      // A pattern anchored at the start (^ or \A in every branch) can only match at position 0.
      const lastStart = this.anchored ? 0 : len;
      for (let start = 0; start <= lastStart; ) {
        run.caps = [];
        let end = -1;
        if (run.m(this.root, start, (e) => ((end = e), true))) {
          run.caps[0] = [start, end];
          matches.push({ index: start, length: end - start, text: s.slice(start, end) });
          out += s.slice(last, start) + this.substitute(replacement, s, run.caps);
          last = end;
          start = end > start ? end : start + 1;
        } else start++;
      }
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        const steps = givenBudget === undefined ? `${DEFAULT_STEP_BUDGET} steps plus ${STEPS_PER_CHAR} per input character (${budget} in all)` : `${budget} steps`;
        return { ok: false, error: `regex '${this.pattern}' gave up after ${steps} on a ${len}-character input (catastrophic backtracking?)` };
      }
      if (e instanceof DepthExceeded || e instanceof RangeError) {
        return { ok: false, error: `regex '${this.pattern}' nested too deeply on a ${len}-character input` };
      }
      throw e;
    }
    return { ok: true, output: out + s.slice(last), matches };
  }

  /** First match or null (convenience for tests and the UI); errors as in replaceAll. */
  test(input: string, budget?: number): { ok: true; match: boolean } | { ok: false; error: string } {
    const r = this.replaceAll(input, '', budget);
    return r.ok ? { ok: true, match: r.matches.length > 0 } : r;
  }

  private substitute(rep: string, s: string, caps: ([number, number] | undefined)[]): string {
    if (!rep.includes('$')) return rep;
    const group = (i: number | undefined): string => {
      const c = i === undefined ? undefined : caps[i];
      return c ? s.slice(c[0], c[1]) : '';
    };
    return rep.replace(/\$(\$|&|\d+|\{(\w+)\})/g, (whole, tok: string, name: string | undefined) => {
      if (tok === '$') return '$';
      if (tok === '&') return group(0);
      const key = name ?? tok;
      if (/^\d+$/.test(key)) return Number(key) <= this.groupCount ? group(Number(key)) : whole;
      return this.names.has(key) ? group(this.names.get(key)) : whole;
    });
  }
}

function anchoredAtStart(n: Node): boolean {
  switch (n.t) {
    case 'assert': return n.kind === '^' || n.kind === 'A';
    case 'seq': return n.items[0] !== undefined && anchoredAtStart(n.items[0]);
    case 'alt': return n.alts.every(anchoredAtStart);
    case 'group': case 'nc': case 'atomic': return anchoredAtStart(n.body);
    default: return false;
  }
}

const cache = new Map<string, { ok: true; regex: DotNetRegex } | { ok: false; error: string }>();

/** Compile (and cache) a .NET pattern; unsupported constructs are refused with the construct and position. */
export function compileDotNetRegex(pattern: string): { ok: true; regex: DotNetRegex } | { ok: false; error: string } {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let result: { ok: true; regex: DotNetRegex } | { ok: false; error: string };
  try {
    const p = new Parser(pattern);
    const root = p.parse();
    result = { ok: true, regex: new DotNetRegex(pattern, root, p.groupCount, p.names) };
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    result = { ok: false, error: `cannot use .NET regex '${pattern}': ${e.message}` };
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, result);
  return result;
}
