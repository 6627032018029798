// `presets whatif SCENARIO_DIR A B`: a fixed-format scenario replayed under two era presets.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as presets } from '../../../core/cli/commands/presets.js';

const SC = join(__dirname, '../../../assets/scenarios/02-reply-correlates-by-in-reply-to');

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

describe('presets whatif', () => {
  it('crm4 → dataverse on the In-Reply-To scenario: the reply now correlates by In-Reply-To, and why', async () => {
    const c = capture();
    expect(await presets(['whatif', SC, 'crm4', 'dataverse'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/→ InReplyTo \(because emailcorrelationenabled false → true/);
  });
  it('--json and errors', async () => {
    const c = capture();
    expect(await presets(['whatif', SC, 'crm3', 'crm3', '--json'], c.io)).toBe(0);
    expect((JSON.parse(c.out.join('\n')) as { changed: unknown[] }).changed).toEqual([]);
    expect(await presets(['whatif', SC, 'crm3', 'crm9'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown preset crm9/);
    expect(await presets(['whatif', '/nonexistent', 'crm3', 'crm4'], c.io)).toBe(2);
  });
});
