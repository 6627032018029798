// Runs `scenario check` (the real CLI, as an outside tool would) over the whole training library, and
// checks the library's coverage promises: every outcome and every correlation method is expected somewhere.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli/runCli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const LIB = join(ROOT, 'assets', 'scenarios');
const dirs = readdirSync(LIB, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(LIB, d.name)).sort();

// The compiled CLI, as `npm run cli` and the `synclens` bin run it.
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = runCli(args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

describe('training library', () => {
  it('has at least 25 scenarios, each with a title and a lesson', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(25);
    for (const d of dirs) {
      const sc = JSON.parse(readFileSync(join(d, 'scenario.json'), 'utf8')) as { title: string; lesson: string; expect: unknown[] };
      expect(sc.title.length, d).toBeGreaterThan(10);
      expect(sc.lesson.length, d).toBeGreaterThan(80);
      expect(sc.expect.length, d).toBeGreaterThan(0);
    }
  });

  it('covers every outcome and every correlation method in its expectations', () => {
    const outcomes = new Set<string>();
    const methods = new Set<string>();
    for (const d of dirs) {
      const sc = JSON.parse(readFileSync(join(d, 'scenario.json'), 'utf8')) as { expect: { outcome?: string; correlationMethod?: string }[] };
      for (const e of sc.expect) {
        if (e.outcome) outcomes.add(e.outcome);
        if (e.correlationMethod) methods.add(e.correlationMethod);
      }
    }
    expect([...outcomes].sort()).toEqual(['AcceptAll', 'BeforeProcessEmailsFrom', 'CorrelationMatch', 'Duplicate', 'FolderLevelTracking', 'InternalEmailReject', 'InvalidSender', 'NoCorrelationMatch', 'NoRecipientMatch', 'NotInTrackedFolder', 'NotProcessed', 'SenderMatch', 'UnsupportedEncrypted', 'UnsupportedPec']);
    expect([...methods].sort()).toEqual(['ConversationIndex', 'InReplyTo', 'None', 'Skipped', 'SmartMatching', 'TrackingToken']);
  });

  it('`scenario check` passes on every scenario and ends with the summary line', () => {
    const r = cli(['scenario', 'check', ...dirs]);
    const lines = r.stdout.trim().split('\n');
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(lines[lines.length - 1]).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('`scenario run --json` prints exactly one JSON array with the required keys', () => {
    const r = cli(['scenario', 'run', dirs[0] as string, '--json']);
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(arr)).toBe(true);
    for (const o of arr) {
      for (const k of ['file', 'outcome', 'tracked', 'correlationMethod', 'correlationMethodCode', 'correlatedTo', 'parent', 'regarding', 'acceptingEntity', 'receivingMailbox', 'flags', 'trace']) expect(o).toHaveProperty(k);
      for (const t of o.trace as Record<string, unknown>[]) expect(Object.keys(t)).toEqual(expect.arrayContaining(['stage', 'result', 'detail']));
    }
  }, 60_000);

  it('exits 2 with a message naming the file when a scenario cannot be read', () => {
    const r = cli(['scenario', 'check', join(LIB, 'does-not-exist')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenario.json');
    expect(r.stdout.trim()).toBe('0 passed, 0 failed');
  }, 60_000);
});
