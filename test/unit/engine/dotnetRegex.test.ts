import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDotNetRegex, type DotNetRegex } from '../../../core/engine/primitives/dotnetRegex.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';

function re(p: string): DotNetRegex {
  const c = compileDotNetRegex(p);
  if (!c.ok) throw new Error(c.error);
  return c.regex;
}
function strip(p: string, s: string): { out: string; stripped: string[] } {
  const r = re(p).replaceAll(s);
  if (!r.ok) throw new Error(r.error);
  return { out: r.output, stripped: r.matches.map((m) => m.text) };
}

const DEFAULT = DEFAULT_SETTINGS.hashfilterkeywords;
const D1_ALT = '^[\\s]*([\\w]+\\s?:[\\s]*)+|Out of office:';

describe('default HashFilterKeywords — the D1 table (research §4.3)', () => {
  it('the default is the documented pattern', () => {
    expect(DEFAULT).toBe('^[\\s]*([\\w]+\\s?:[\\s]*)+');
  });
  it('Test: nothing stripped', () => {
    expect(strip(DEFAULT, 'Test')).toEqual({ out: 'Test', stripped: [] });
  });
  it('RE: Test: "RE:" stripped', () => {
    expect(strip(DEFAULT, 'RE: Test')).toEqual({ out: 'Test', stripped: ['RE: '] });
  });
  it('FW: RE: Test: "FW: RE:" stripped', () => {
    expect(strip(DEFAULT, 'FW: RE: Test')).toEqual({ out: 'Test', stripped: ['FW: RE: '] });
  });
  it('Out of office: x is NOT stripped by default ("Out" is not followed by a colon)', () => {
    expect(strip(DEFAULT, 'Out of office: x')).toEqual({ out: 'Out of office: x', stripped: [] });
  });
  it("Out of office: is stripped by D1's suggested pattern", () => {
    expect(strip(D1_ALT, 'Out of office: x').out).toBe(' x');
    expect(strip(D1_ALT, 'RE: Test').out).toBe('Test');
  });
  it('only at the start: a colon word later in the subject stays', () => {
    expect(strip(DEFAULT, 'Note: agenda').out).toBe('agenda');
    expect(strip(DEFAULT, 'Meeting note: agenda').out).toBe('Meeting note: agenda'); // two words before the colon
    expect(strip(DEFAULT, 'Budget 2024 RE: plan').out).toBe('Budget 2024 RE: plan');
  });
  it('an optional space before the colon and leading whitespace are part of the prefix', () => {
    expect(strip(DEFAULT, '  RE : AW:Test').out).toBe('Test');
  });
});

describe('.NET Unicode semantics of \\w \\d \\s \\b', () => {
  it('strips Unicode reply prefixes: Réf:, Ответ:, AW:, 回复:', () => {
    expect(strip(DEFAULT, 'Réf: Ответ: Привет мир').out).toBe('Привет мир');
    expect(strip(DEFAULT, 'AW: Angebot').out).toBe('Angebot');
    expect(strip(DEFAULT, '回复: 会议').out).toBe('会议');
  });
  it('\\d matches any Unicode decimal digit (Arabic-Indic ٣), \\w includes the connector _', () => {
    expect(strip('\\d+', 'a٣٤b12').stripped).toEqual(['٣٤', '12']);
    expect(strip('\\w+', 'snake_case!').stripped).toEqual(['snake_case']);
  });
  it('\\s includes NBSP and ideographic space (Unicode Z), \\S does not', () => {
    expect(strip('\\s', 'a\u00a0b\u3000c\td').out).toBe('abcd');
  });
  it('\\b is a Unicode word boundary', () => {
    expect(strip('\\bмир\\b', 'мир миром мир').stripped).toEqual(['мир', 'мир']);
    expect(strip('\\Bром', 'миром').stripped).toEqual(['ром']);
  });
  it('is case-sensitive', () => {
    expect(strip('Out of office:', 'out of office: x').stripped).toEqual([]);
  });
});

describe('syntax coverage', () => {
  it('quantifiers greedy and lazy, {n,m}', () => {
    expect(strip('a{2,3}', 'aaaaaaa').stripped).toEqual(['aaa', 'aaa']);
    expect(strip('a{2}', 'aaaaa').stripped).toEqual(['aa', 'aa']);
    expect(strip('<.+?>', '<a><b>').stripped).toEqual(['<a>', '<b>']);
    expect(strip('<.+>', '<a><b>').stripped).toEqual(['<a><b>']);
    expect(strip('x{,2}', 'x{,2}').stripped).toEqual(['x{,2}']); // not a quantifier: literal in .NET
  });
  it('alternation, classes, negated classes, ranges, \\p{..}', () => {
    expect(strip('cat|dog', 'hotdog cat').stripped).toEqual(['dog', 'cat']);
    expect(strip('[^a-c]+', 'abcxyzab').stripped).toEqual(['xyz']);
    expect(strip('\\p{Lu}+', 'abcDEFghi').stripped).toEqual(['DEF']);
    expect(strip('\\P{L}+', 'ab12cd').stripped).toEqual(['12']);
    expect(strip('[\\p{Lu}\\d]+', 'aB1c').stripped).toEqual(['B1']);
  });
  it('anchors: $ matches before a final newline, \\z does not', () => {
    expect(strip('x$', 'x\n').stripped).toEqual(['x']);
    expect(strip('x\\z', 'x\n').stripped).toEqual([]);
    expect(strip('\\Ax', 'xx').stripped).toEqual(['x']);
  });
  it('groups: non-capturing, named, backreference, lookaround, atomic', () => {
    expect(strip('(?:ab)+', 'ababc').stripped).toEqual(['abab']);
    expect(re('(?<w>\\w+) \\k<w>').replaceAll('hello hello world', '[${w}]')).toMatchObject({ ok: true, output: '[hello] world' });
    expect(re('(\\w)\\1').replaceAll('aabbc', '<$1>')).toMatchObject({ ok: true, output: '<a><b>c' });
    expect(strip('\\w+(?=:)', 'RE: x').stripped).toEqual(['RE']);
    expect(strip('\\w+(?!:)\\b', 'RE: x').stripped).toEqual(['x']);
    expect(strip('(?<=RE: )\\w+', 'RE: x').stripped).toEqual(['x']);
    expect(strip('(?<!R)E', 'RE E').stripped).toEqual(['E']);
    expect(strip('(?>a+)b', 'aaab').stripped).toEqual(['aaab']);
    expect(strip('(?>a+)a', 'aaa').stripped).toEqual([]);
  });
  it('replacement: $0, $$, unknown group left as written', () => {
    expect(re('b').replaceAll('abc', '[$0$$$9]')).toMatchObject({ ok: true, output: 'a[b$$9]c' });
  });
  it('empty matches advance like Regex.Replace', () => {
    expect(re('x*').replaceAll('abc', '-')).toMatchObject({ ok: true, output: '-a-b-c-' });
  });
  it('(?#comments) are ignored', () => {
    expect(strip('a(?#note)b', 'ab').stripped).toEqual(['ab']);
  });
});

describe('refusals name the construct and position', () => {
  const cases: [string, RegExp][] = [
    ['(?i)re:', /inline option '\(\?i' is not supported.*position 0/],
    ['(?<open-close>x)', /balancing group.*position 0/],
    ['(?(x)a|b)', /conditional.*position 0/],
    ['[a-z-[aeiou]]', /character class subtraction is not supported at position 4/],
    ['\\p{IsCyrillic}', /Unicode block or property '\\p\{IsCyrillic\}' is not supported/],
    ['a\\Gb', /'\\G' is not supported at position 1/],
    ['a\\q', /unrecognised escape '\\q' at position 1/],
    ['(ab', /missing '\)'.*position 0/],
    ['ab)', /unbalanced '\)' at position 2/],
    ['*a', /quantifier '\*' follows nothing at position 0/],
    ['a**', /nested quantifier/],
    ['[abc', /unterminated character class at position 0/],
    ['\\k<nope>', /undefined group 'nope'/],
  ];
  for (const [p, msg] of cases) {
    it(p, () => {
      const c = compileDotNetRegex(p);
      expect(c.ok).toBe(false);
      expect(!c.ok && c.error).toMatch(msg);
      expect(!c.ok && c.error).toContain(p);
    });
  }
});

describe('bounded matching', () => {
  it('(a+)+$ on a long non-matching input stops with a clear error, quickly', () => {
    const t0 = Date.now();
    const r = re('(a+)+$').replaceAll(`${'a'.repeat(5000)}!`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/gave up after \d+ steps .*catastrophic backtracking/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
  it('(x+x+)+y and nested alternation also stop', () => {
    for (const p of ['(x+x+)+y', '(a|aa)+b', '(\\w+\\s?)+:']) {
      const r = re(p).replaceAll('x'.repeat(40).replace(/x/g, p.includes('a') ? 'a' : 'x'));
      expect(r.ok).toBe(false);
    }
  });
  it('the budget is a parameter; a normal subject needs far less than the default', () => {
    expect(re(DEFAULT).replaceAll('RE: FW: Quote for 200 units of the new widget line', '', 2000).ok).toBe(true);
    expect(re(DEFAULT).replaceAll('RE: FW: Quote', '', 5).ok).toBe(false);
  });
  it('a 10,000-character subject with the default pattern is fine', () => {
    const r = re(DEFAULT).replaceAll(`RE: ${'word '.repeat(2000)}`);
    expect(r.ok && r.matches[0]?.text).toBe('RE: ');
  });
});

describe('cache', () => {
  it('returns the same compiled regex for the same pattern', () => {
    const a = compileDotNetRegex('abc');
    const b = compileDotNetRegex('abc');
    expect(a.ok && b.ok && a.regex === b.regex).toBe(true);
  });
});

describe('.NET group numbering', () => {
  it('numbers unnamed groups first, then named ones', () => {
    expect(re('(?<n>a)(b)').replaceAll('ab', '$1|$2|${n}')).toMatchObject({ ok: true, output: 'b|a|a' });
  });
});

// Issue 12 #6 and #7: the matcher's limits are its own (a step budget that grows with the input and a
// nesting limit), never the JavaScript stack, so an answer cannot depend on what ran before it.
describe('deterministic limits', () => {
  const ROOT = path.resolve(import.meta.dirname, '../../..');
  const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const prefixes = 'RE: '.repeat(300);
  const script = `import { compileDotNetRegex } from ${JSON.stringify(path.join(ROOT, 'core/engine/primitives/dotnetRegex.ts'))};
const c = compileDotNetRegex(${JSON.stringify(DEFAULT)});
if (!c.ok) throw new Error(c.error);
const r = c.regex.replaceAll(${JSON.stringify(`${prefixes}Quote`)});
process.stdout.write(JSON.stringify(r.ok ? { ok: true, output: r.output } : r));`;

  it('300 "RE: " prefixes are all stripped, in a fresh process and after warm-up alike', () => {
    const fresh = spawnSync(process.execPath, [TSX, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(fresh.stderr).toBe('');
    // Every "RE: " is a word followed by a colon: the default pattern removes the whole chain.
    expect(JSON.parse(fresh.stdout)).toEqual({ ok: true, output: 'Quote' });
    for (let i = 0; i < 500; i++) re(DEFAULT).replaceAll(`${'RE: '.repeat(i % 50)}warm`);
    const warm = re(DEFAULT).replaceAll(`${prefixes}Quote`);
    expect(warm.ok && warm.output).toBe('Quote');
    expect(re(DEFAULT).replaceAll(`${'RE: '.repeat(5000)}Quote`)).toMatchObject({ ok: true, output: 'Quote' });
  });
  it('a lazy loop nested too deeply fails with the same message every time, before the stack would', () => {
    const input = `${'ab'.repeat(2000)}x`;
    const first = re('(?:ab)*?x').replaceAll(input);
    expect(first).toMatchObject({ ok: false });
    expect(first.ok ? '' : first.error).toMatch(/nested too deeply/);
    for (let i = 0; i < 200; i++) re('(?:ab)*?x').replaceAll(`${'ab'.repeat(i)}x`);
    expect(re('(?:ab)*?x').replaceAll(input)).toEqual(first);
  });
  it('one 130,000-character word does not defeat the default pattern', () => {
    const word = 'x'.repeat(130_000);
    expect(re(DEFAULT).replaceAll(`RE: ${word}`)).toMatchObject({ ok: true, output: word });
    expect(re(DEFAULT).replaceAll(word)).toMatchObject({ ok: true, output: word });
  });
  it('a backreference pattern on a 60,000-character subject gives up within the budget, in well under a second', () => {
    const t0 = performance.now();
    const r = re('(.*)\\1\\1\\1x').replaceAll('ab'.repeat(30_000));
    expect(r.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1500);
    // Backreferences still match as .NET does.
    expect(re('(ab)\\1').replaceAll('xababy')).toMatchObject({ ok: true, output: 'xy' });
  });
});
