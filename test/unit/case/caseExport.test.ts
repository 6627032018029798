// Round trip (issue 13): workspace → `case export` → `scenario check` passes, with and without
// --anonymize, on workspaces made from the training library and from a reply chain. What each exported
// message must decide is the hand-written expectation of the scenario the workspace came from.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as caseCli } from '../../../core/cli/commands/case.js';
import { run as scenarioCli } from '../../../core/cli/commands/scenario.js';
import { exportCase } from '../../../core/node/case/exportCase.js';
import { LIB, tempDir, workspaceFromScenario } from './support.js';

const CHAIN = path.join(import.meta.dirname, 'fixtures', 'reply-chain');
const made: string[] = [];
afterAll(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

function io(): { out: (s: string) => void; err: (s: string) => void; lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { out: (s) => lines.push(s), err: (s) => errs.push(s), lines, errs };
}

async function check(dir: string): Promise<{ code: number; lines: string[] }> {
  const o = io();
  const code = await scenarioCli(['check', dir], o);
  return { code, lines: o.lines };
}

type Sc = { expect: Array<Record<string, unknown> & { file: string }>; messages: Array<{ file: string }> };
const readSc = (dir: string): Sc => JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as Sc;

describe('case export round trip', () => {
  // Every scenario of the training library (forwards, PEC, S/MIME, tokens, Thread-Index, smart matching,
  // folders, start dates, sender rules), and the reply chain.
  const names = [...fs.readdirSync(LIB).filter((d) => fs.existsSync(path.join(LIB, d, 'scenario.json'))).sort(), 'reply-chain'];
  for (const name of names) {
    for (const anonymize of [false, true]) {
      it(`${name}${anonymize ? ' (anonymized)' : ''}: every message exports to a scenario that passes scenario check`, async () => {
        const src = name === 'reply-chain' ? CHAIN : path.join(LIB, name);
        const tmp = tempDir();
        made.push(tmp);
        const { file, keyOf } = await workspaceFromScenario(src, tmp);
        const original = readSc(src);
        for (const [srcFile, key] of keyOf) {
          const out = path.join(tmp, `case-${key}`);
          const o = io();
          const code = await caseCli(['export', '--workspace', file, '--message', key, '--out', out, ...(anonymize ? ['--anonymize'] : [])], o);
          expect(o.errs, `${srcFile}: ${o.errs.join('\n')}`).toEqual([]);
          expect(code, `${srcFile}: ${o.lines.join('\n')}`).toBe(0);
          expect(o.lines.join('\n')).toMatch(/reaches the same decision/);
          const r = await check(out);
          expect(r.code, r.lines.join('\n')).toBe(0);
          // The case's own message decides what the original scenario expects of it.
          const exported = readSc(out);
          const mine = exported.expect.find((e) => e.file.endsWith('-case.eml')) as Record<string, unknown>;
          const want = original.expect.find((e) => e.file === srcFile);
          // A workspace holds one mailbox per address (its rows are unique by address), so a scenario that
          // gives a user and a queue the same mailbox address is not the same org once imported: there the
          // round trip is checked against the workspace's decision only (scenario check above).
          const addresses = (original as Sc & { mailboxes?: { address: string }[] }).mailboxes?.map((b) => b.address.toLowerCase()) ?? [];
          if (want && new Set(addresses).size === addresses.length) {
            for (const k of ['outcome', 'correlationMethod', 'tracked'] as const) if (want[k] !== undefined) expect(mine[k], `${srcFile} ${k}`).toBe(want[k]);
          }
        }
      });
    }
  }

  it('a reply at the end of a chain brings the earlier replies and the tracked root along', async () => {
    const tmp = tempDir();
    made.push(tmp);
    const { file, keyOf } = await workspaceFromScenario(CHAIN, tmp);
    const out = path.join(tmp, 'third');
    const before = fs.readFileSync(file);
    const sources = fs.readdirSync(path.join(CHAIN, 'messages')).map((f) => fs.statSync(path.join(CHAIN, 'messages', f)).mtimeMs);
    const r = exportCase(file, keyOf.get('messages/03-third.eml') as string, out);
    expect(r.reproduced).toBe(true);
    // Read-only: the workspace's bytes and the source files are as they were.
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.join(CHAIN, 'messages')).map((f) => fs.statSync(path.join(CHAIN, 'messages', f)).mtimeMs)).toEqual(sources);
    expect(r.messages).toBe(3);
    expect(r.tracked).toBe(1);
    const sc = readSc(out) as Sc & { tracked: Array<{ id: string }> };
    expect(sc.tracked.map((t) => t.id)).toEqual(['e1']);
    expect(sc.expect.map((e) => [e.file, e.correlatedTo])).toEqual([
      ['messages/01.eml', 'e1'], ['messages/02.eml', 'messages/01.eml'], ['messages/03-case.eml', 'messages/02.eml'],
    ]);
  });

  it('anonymizes addresses, names, subjects and Message-IDs consistently and keeps no original text', async () => {
    const tmp = tempDir();
    made.push(tmp);
    const { file, keyOf } = await workspaceFromScenario(CHAIN, tmp);
    const out = path.join(tmp, 'anon');
    const r = exportCase(file, keyOf.get('messages/03-third.eml') as string, out, { anonymize: true });
    expect(r.reproduced).toBe(true);
    const all = r.files.map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('\n');
    for (const secret of ['alice', 'Alice', 'bob@', 'Bob Lee', 'fabrikam', 'contoso', 'Quote', 'Delivery', 'we accept', 'the dates are fine', 'r1@', 'quote-1@']) expect(all).not.toContain(secret);
    // The same original maps to the same stand-in: In-Reply-To of each reply is the previous Message-ID.
    const ids = ['01', '02', '03-case'].map((n) => fs.readFileSync(path.join(out, 'messages', `${n}.eml`), 'utf8'));
    const mid = (t: string, h: string): string => (new RegExp(`^${h}: (.*)$`, 'mi').exec(t)?.[1] ?? '').trim();
    expect(mid(ids[1] as string, 'In-Reply-To')).toBe(mid(ids[0] as string, 'Message-ID'));
    expect(mid(ids[2] as string, 'In-Reply-To')).toBe(mid(ids[1] as string, 'Message-ID'));
    expect(mid(ids[0] as string, 'Subject')).toMatch(/^RE: /);
  });

  it('refuses a folder that is not empty, an unknown message and a workspace with no replay, without writing', async () => {
    const tmp = tempDir();
    made.push(tmp);
    const { file, keyOf } = await workspaceFromScenario(CHAIN, tmp);
    const busy = path.join(tmp, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'x');
    const o = io();
    expect(await caseCli(['export', '--workspace', file, '--message', keyOf.get('messages/01-reply.eml') as string, '--out', busy], o)).toBe(1);
    expect(o.errs.join('\n')).toMatch(/not empty/);
    expect(fs.readdirSync(busy)).toEqual(['keep.txt']);
    const o2 = io();
    expect(await caseCli(['export', '--workspace', file, '--message', '9999', '--out', path.join(tmp, 'none')], o2)).toBe(1);
    expect(o2.errs.join('\n')).toMatch(/no message 9999/);
    expect(fs.existsSync(path.join(tmp, 'none'))).toBe(false);
    const o3 = io();
    expect(await caseCli(['export', '--workspace', file], o3)).toBe(2);
    const o4 = io();
    expect(await caseCli(['--help'], o4)).toBe(0);
    expect(o4.lines.join('\n')).toMatch(/case export --workspace FILE --message ID --out DIR/);
  });
});
