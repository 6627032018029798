import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as token } from '../../../core/cli/commands/token.js';
import { run as threadIndex } from '../../../core/cli/commands/threadIndex.js';

function io(): { out: string[]; err: string[]; sink: { out: (s: string) => void; err: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { out: (s) => out.push(s), err: (s) => err.push(s) } };
}

describe('token command', () => {
  it('parse prints every candidate split, current first', async () => {
    const c = io();
    expect(await token(['parse', 'RE: Quote CRM:0001323'], c.sink)).toBe(0);
    expect(c.out[0]).toMatch(/"CRM:0001323" at 10: prefix "CRM" designator 0 user 001 counter 323 — current digit settings/);
    expect(c.out.length).toBeGreaterThan(1);
  });
  it('parse with no token exits 1 and says which prefixes it looked for', async () => {
    const c = io();
    expect(await token(['parse', 'hello'], c.sink)).toBe(1);
    expect(c.out[0]).toMatch(/no tracking token found \(prefixes: CRM/);
  });
  it('issue marks the wrap', async () => {
    const c = io();
    expect(await token(['issue', '--user', '1', '--counter', '998', '--count', '3'], c.sink)).toBe(0);
    expect(c.out).toEqual(['CRM:0001998', 'CRM:0001999', 'CRM:0001000  <- WRAPPED to 0']);
  });
  it('reads --settings and refuses a bad file with the file name and the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synclens-token-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ trackingtokenidbase: 500 }));
    const c = io();
    expect(await token(['issue', '--user', '1', '--counter', '1', '--settings', good], c.sink)).toBe(0);
    expect(c.out).toEqual(['CRM:0501001']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ trackingtokeniddigits: 12 }));
    const d = io();
    expect(await token(['parse', 'x', '--settings', bad], d.sink)).toBe(2);
    expect(d.err[0]).toBe(`${bad}: trackingtokeniddigits = 12 is out of range: allowed 1–10`);
    const e = io();
    expect(await token(['parse', 'x', '--settings', join(dir, 'missing.json')], e.sink)).toBe(2);
    expect(e.err[0]).toMatch(/missing\.json: cannot read settings JSON/);
  });
  it('usage errors exit 2', async () => {
    const c = io();
    expect(await token(['issue', '--user', 'x', '--counter', '1'], c.sink)).toBe(2);
    expect(c.err[0]).toMatch(/--user must be an integer/);
    expect(await token(['frob'], c.sink)).toBe(2);
    expect(await token(['parse', 'x', '--bogus', '1'], c.sink)).toBe(2);
    expect(c.err.at(-1)).toMatch(/unknown option --bogus/);
  });
});

describe('thread-index command', () => {
  it('decodes example 3 with --date into a table', async () => {
    const c = io();
    expect(await threadIndex(['decode', 'AQscuKgXz0bUld+ni9oW2WvWgJcWopbHxZqC', '--date', '2020-09-01T20:07:11Z'], c.sink)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toMatch(/header variant\s+modern/);
    expect(text).toMatch(/classic time\s+1839-.*\(implausible\)/);
    expect(text).toMatch(/time\s+2020-09-01T20:07:02\.67/);
  });
  it('reports bad input and exits 1; a bad --date exits 2', async () => {
    const c = io();
    expect(await threadIndex(['decode', 'AAAA'], c.sink)).toBe(1);
    expect(c.out.join('\n')).toMatch(/error\s+Thread-Index is 3 bytes/);
    expect(await threadIndex(['decode', 'AAAA', '--date', 'soon'], c.sink)).toBe(2);
    expect(c.err.at(-1)).toMatch(/--date 'soon' is not a date/);
  });
});
