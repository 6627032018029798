// Each version preset against messages whose outcome differs between eras (research §4.1 "CRM
// history"; B-2008, B-2009, C-FKB, D1), through the real engine replay, plus the what-if comparison
// of two presets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePresets, compareDecisions, findPreset, applyPreset, type Preset } from '../../../core/analysis/presets.js';
import { extractFacts } from '../../../core/mail/facts.js';
import { replay } from '../../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import type { ReplayInput } from '../../../core/engine/model/types.js';
import { DIRECTORY, E2, alice } from '../router/helpers.js';

const FIX = join(__dirname, '../../fixtures/router/eras');
const A = 'reply-with-in-reply-to.eml';
const B = 'reply-without-in-reply-to.eml';

function get(name: string): Preset {
  const p = findPreset(name);
  if (!p) throw new Error(name);
  return p;
}

// Alice tracks "in response to" mail; e2 "Project kickoff" was sent from CRM without a token.
const input: ReplayInput = {
  settings: DEFAULT_SETTINGS, directory: { entries: DIRECTORY }, mailboxes: [alice(1)], tracked: [E2],
  messages: [A, B].map((f, i) => extractFacts(new Uint8Array(readFileSync(join(FIX, f))), { key: f, mailbox: 'alice@contoso.com', folder: 'Inbox', order: i })),
};

function run(preset: string): Record<string, string> {
  const r = replay({ ...input, settings: applyPreset(get(preset)) });
  return Object.fromEntries(r.decisions.map((d) => [d.key, `${d.outcome}/${d.correlationMethod}`]));
}

describe('each preset reproduces its era on the same two replies', () => {
  it('CRM 3.0: token only — neither reply (no token) correlates (B-2008)', () => {
    expect(run('crm3')).toEqual({ [A]: 'NoCorrelationMatch/None', [B]: 'NoCorrelationMatch/None' });
  });
  it('CRM 4.0: smart matching finds both; In-Reply-To is not used yet (C-FKB)', () => {
    expect(run('crm4')).toEqual({ [A]: 'CorrelationMatch/SmartMatching', [B]: 'CorrelationMatch/SmartMatching' });
  });
  it('CRM 2011/2013+: In-Reply-To first, smart matching for the reply without headers (D1 order)', () => {
    expect(run('crm2011')).toEqual({ [A]: 'CorrelationMatch/InReplyTo', [B]: 'CorrelationMatch/SmartMatching' });
  });
  it('Dataverse: In-Reply-To correlates, smart matching is off by default (D1 2023)', () => {
    expect(run('dataverse')).toEqual({ [A]: 'CorrelationMatch/InReplyTo', [B]: 'NoCorrelationMatch/None' });
  });
  it('the four eras give four different results', () => {
    const all = ['crm3', 'crm4', 'crm2011', 'dataverse'].map((p) => JSON.stringify(run(p)));
    expect(new Set(all).size).toBe(4);
  });
});

describe('what-if between two presets', () => {
  it('crm4 → dataverse: the header-less reply is lost, explained by the smart-matching default', () => {
    const cmp = comparePresets(input, get('crm4'), get('dataverse'));
    expect(cmp.before).toBe('crm4');
    expect(cmp.after).toBe('dataverse');
    const b = cmp.changed.find((c) => c.key === B);
    expect(b?.changes.find((c) => c.key === 'outcome')).toEqual({ key: 'outcome', before: 'CorrelationMatch', after: 'NoCorrelationMatch' });
    expect(b?.summary).toMatch(/enablesmartmatching true → false/);
    const a = cmp.changed.find((c) => c.key === A);
    expect(a?.summary).toMatch(/SmartMatching → InReplyTo.*emailcorrelationenabled false → true/);
    expect(cmp.settingChanges.map((c) => c.key)).toContain('enablesmartmatching');
  });
  it('crm3 → crm4 on the same mailbox: both replies start correlating', () => {
    const cmp = comparePresets(input, get('crm3'), get('crm4'));
    expect(cmp.changed.map((c) => c.key).sort()).toEqual([A, B].sort());
    expect(cmp.countsBefore).toEqual({ NoCorrelationMatch: 2 });
    expect(cmp.countsAfter).toEqual({ CorrelationMatch: 2 });
  });
  it('the same preset twice changes nothing', () => {
    const cmp = comparePresets(input, get('crm2011'), get('crm2011'));
    expect(cmp.changed).toEqual([]);
    expect(cmp.unchanged).toHaveLength(2);
  });
  it('compareDecisions works on any two replays (labels are the caller\'s)', () => {
    const r1 = replay({ ...input, settings: DEFAULT_SETTINGS });
    const r2 = replay({ ...input, settings: { ...DEFAULT_SETTINGS, emailcorrelationenabled: false } });
    const cmp = compareDecisions(r1, r2, ['today', 'no correlation']);
    expect(cmp.changed.map((c) => c.key)).toEqual([A]);
  });
});

describe('delivery method of each era', () => {
  it('CRM 3.0 only had the sink-mailbox Router; current Dataverse only server-side sync (research §10.1, D-FWD)', () => {
    expect(get('crm3').delivery).toEqual(['router-sink']);
    expect(get('crm4').delivery).toContain('router-per-mailbox');
    expect(get('crm2011').delivery).toContain('server-side-sync');
    expect(get('dataverse').delivery).toEqual(['server-side-sync']);
  });
});
