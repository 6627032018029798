// The apply kit against the research's own tables (shared/reference, §2.1 organization columns and §2.3
// OrgDBOrgSettings), read at test time: every name the kit may emit must be listed there, with the JSON type
// matching the documented column type, and a PATCH that changes every setting must respect both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApplyKit, ORGANIZATION_COLUMNS, ORGDB_SETTINGS } from '../../../core/analysis/applyKit.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { sharedPath } from '../../support/shared.js';

const RESEARCH_FILE = sharedPath('reference/dynamics-email-correlation-research.md', 'apply-kit checks against the research tables');
const RESEARCH = RESEARCH_FILE ? readFileSync(RESEARCH_FILE, 'utf8') : '';

function section(title: string): string {
  const start = RESEARCH.indexOf(title);
  expect(start).toBeGreaterThan(0);
  const next = RESEARCH.indexOf('\n### ', start + title.length);
  return RESEARCH.slice(start, next < 0 ? undefined : next);
}

/** First-column names of a Markdown table (back-ticked, possibly "`a` / `b`") → the row's second cell. */
function tableRows(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of md.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').map((c) => c.trim());
    for (const m of (cells[1] ?? '').matchAll(/`([A-Za-z0-9_]+)`/g)) out.set(m[1] as string, cells[2] ?? '');
  }
  return out;
}

const orgTable = RESEARCH_FILE ? tableRows(section('### 2.1 Organization table')) : new Map<string, string>();
const odbTable = RESEARCH_FILE ? tableRows(section('### 2.3 OrgDBOrgSettings')) : new Map<string, string>();

describe.skipIf(!RESEARCH_FILE)('apply kit names and types against research §2.1 / §2.3', () => {
  it('the research tables were read', () => {
    expect(orgTable.get('enablesmartmatching')).toMatch(/Boolean/);
    expect(odbTable.has('DoNotCorrelateForwardedEmailsAsReplies')).toBe(true);
  });

  it('every organization column the kit may write is in §2.1 with the same type', () => {
    for (const [name, spec] of Object.entries(ORGANIZATION_COLUMNS)) {
      const documented = orgTable.get(name);
      expect(documented, name).toBeDefined();
      const type = /^Boolean/.test(documented!) ? 'boolean' : /^Integer/.test(documented!) ? 'integer' : /^String/.test(documented!) ? 'string' : 'other';
      expect(spec.type, name).toBe(type);
      const range = /Integer ([\d,]+)[–-]([\d,]+)/.exec(documented!);
      if (range) {
        expect(spec.min, name).toBe(Number(range[1]!.replace(/,/g, '')));
        expect(spec.max, name).toBe(Number(range[2]!.replace(/,/g, '')));
      }
    }
  });

  it('every OrgDBOrgSetting the kit may write is in §2.3', () => {
    for (const name of Object.keys(ORGDB_SETTINGS)) expect(odbTable.has(name), name).toBe(true);
  });

  it('changing every setting: the PATCH body and the OrgDBOrgSettings elements hold only documented names with documented JSON types', () => {
    const flip: Partial<Settings> = {};
    for (const [k, v] of Object.entries(DEFAULT_SETTINGS) as [keyof Settings, unknown][]) {
      if (typeof v === 'boolean') (flip as Record<string, unknown>)[k] = !v;
    }
    Object.assign(flip, { trackingprefix: 'ACME', hashmaxcount: 30, hashdeltasubjectcount: 1, hashminaddresscount: 3, trackingtokenidbase: 500, trackingtokeniddigits: 4, maximumtrackingnumber: 9999, MaximumSubjectLengthOnMailServer: 400, SSSForceFilteringMethodForUserMailboxes: 2, hashfilterkeywords: '^RE:' });
    const kit = buildApplyKit(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, ...flip }, { organizationUri: 'https://contoso.crm.dynamics.com' });
    const body = kit.webApi!.body;
    expect(Object.keys(body).length).toBeGreaterThan(8);
    for (const [name, value] of Object.entries(body)) {
      const documented = orgTable.get(name)!;
      expect(documented, name).toBeDefined();
      if (/^Boolean/.test(documented)) expect(typeof value, name).toBe('boolean');
      if (/^Integer/.test(documented)) expect(Number.isInteger(value), name).toBe(true);
      if (/^String/.test(documented)) expect(typeof value, name).toBe('string');
    }
    expect(JSON.parse(kit.webApi!.bodyText)).toEqual(body);
    for (const m of kit.orgDbElements!.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)) {
      expect(odbTable.has(m[1]!), m[1]).toBe(true);
      expect(m[2]).toMatch(/^(true|false|-?\d+)$/);
    }
    // usetrackingtokens has no column (research §13): it is a manual step, never in the body.
    expect(body).not.toHaveProperty('usetrackingtokens');
  });
});
