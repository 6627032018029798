import { describe, expect, it } from 'vitest';
import { applyPreset, explainPresetDiff, findPreset, PRESETS, type Preset } from '../../../core/analysis/presets.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';

function get(name: string): Preset {
  const p = findPreset(name);
  if (!p) throw new Error(name);
  return p;
}

describe('presets', () => {
  it('CRM 3.0: token only (B-2008) — header correlation and smart matching off', () => {
    const s = applyPreset(get('crm3'));
    expect(s.usetrackingtokens).toBe(true);
    expect(s.emailcorrelationenabled).toBe(false);
    expect(s.enablesmartmatching).toBe(false);
  });
  it('CRM 4.0: smart matching on with the registry defaults 20/0/2 (F-REG)', () => {
    const s = applyPreset(get('crm4'));
    expect(s.enablesmartmatching).toBe(true);
    expect([s.hashmaxcount, s.hashdeltasubjectcount, s.hashminaddresscount]).toEqual([20, 0, 2]);
    expect(s.emailcorrelationenabled).toBe(false);
  });
  it('CRM 2011/2013+: header correlation on, smart matching on (D3)', () => {
    const s = applyPreset(get('crm2011'));
    expect(s.emailcorrelationenabled && s.enablesmartmatching && !s.IgnoreConversationIndexAndInReplyToForCorrelation).toBe(true);
  });
  it('Dataverse: smart matching off, correlation on (D1 2023)', () => {
    const s = applyPreset(get('dataverse'));
    expect(s.enablesmartmatching).toBe(false);
    expect(s.emailcorrelationenabled).toBe(true);
  });
  it('every preset documents behaviour, notes and sources', () => {
    for (const p of PRESETS) {
      expect(p.behaviour.length).toBeGreaterThan(0);
      expect(p.notes.length).toBeGreaterThan(0);
      expect(p.sources.length).toBeGreaterThan(0);
      for (const k of Object.keys(p.settings)) expect(Object.keys(DEFAULT_SETTINGS)).toContain(k);
    }
  });
  it('presets applied onto a base keep the base for untouched settings', () => {
    const s = applyPreset(get('crm3'), { ...DEFAULT_SETTINGS, trackingprefix: 'ACME' });
    expect(s.trackingprefix).toBe('ACME');
  });
  it('findPreset is case-insensitive and returns undefined for unknown', () => {
    expect(findPreset('CRM4')?.name).toBe('crm4');
    expect(findPreset('crm5')).toBeUndefined();
  });
});

describe('explainPresetDiff', () => {
  it('crm3 → crm4 turns smart matching on and says so', () => {
    const d = explainPresetDiff(get('crm3'), get('crm4'));
    const sm = d.find((c) => c.key === 'enablesmartmatching');
    expect(sm).toMatchObject({ from: false, to: true });
    expect(sm?.effect).toMatch(/smart matching/);
    expect(d.find((c) => c.key === 'emailcorrelationenabled')).toBeUndefined();
  });
  it('crm4 → dataverse: header correlation on, smart matching off', () => {
    const d = explainPresetDiff(get('crm4'), get('dataverse'));
    expect(d.map((c) => c.key)).toEqual(expect.arrayContaining(['emailcorrelationenabled', 'enablesmartmatching', 'IgnoreConversationIndexAndInReplyToForCorrelation']));
    expect(d.find((c) => c.key === 'emailcorrelationenabled')?.effect).toMatch(/In-Reply-To/);
  });
  it('identical presets have no diff', () => {
    expect(explainPresetDiff(get('dataverse'), get('dataverse'))).toEqual([]);
  });
});
