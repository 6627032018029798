// The settings view records which keys a decision read; the replay's reuse rests on it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/settings.js';
import { SETTING_KEYS, SettingsReads, changedMask, isEmptyMask, maskOf, readsOf } from '../../../core/engine/settingsReads.js';

describe('SettingsReads', () => {
  it('reads like the settings and records exactly the keys read', () => {
    const r = new SettingsReads({ ...DEFAULT_SETTINGS, hashminaddresscount: 3 });
    expect(r.view.hashminaddresscount).toBe(3);
    expect(r.view.trackingprefix).toBe('CRM');
    expect([...r.bits]).toEqual([...maskOf(['hashminaddresscount', 'trackingprefix'])]);
    r.reset();
    expect(isEmptyMask(r.bits)).toBe(true);
    r.mark(maskOf(['simTokenPosition']));
    expect([...r.bits]).toEqual([...maskOf(['simTokenPosition'])]);
    expect(readsOf(r.view)).toBe(r);
    expect(readsOf(DEFAULT_SETTINGS)).toBeUndefined();
  });

  it('every settings key has its own bit', () => {
    const seen = new Set<string>();
    for (const k of SETTING_KEYS) {
      const m = maskOf([k]);
      expect(m.reduce((n, w) => n + w.toString(2).split('1').length - 1, 0)).toBe(1);
      seen.add([...m].join(','));
    }
    expect(seen.size).toBe(SETTING_KEYS.length);
  });

  it('changedMask compares values, lists by their items', () => {
    const a = { ...DEFAULT_SETTINGS, trackingprefixhistory: ['OLD'] };
    expect(isEmptyMask(changedMask(a, { ...a, trackingprefixhistory: ['OLD'] }))).toBe(true);
    expect([...changedMask(a, { ...a, trackingprefixhistory: ['NEW'], ignoreinternalemail: true })]).toEqual([...maskOf(['trackingprefixhistory', 'ignoreinternalemail'])]);
  });
});
