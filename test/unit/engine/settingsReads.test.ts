// The settings view records which keys a decision read; the replay's reuse rests on it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { SETTING_KEYS, SettingsReads, changedMask, isEmptyMask, maskOf, readsOf } from '../../../core/engine/replay/incremental/settingsReads.js';

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

  it('begin/end records a computation apart and keeps what was read before', () => {
    const r = new SettingsReads({ ...DEFAULT_SETTINGS });
    void r.view.trackingprefix;
    const saved = r.begin();
    expect(isEmptyMask(r.bits)).toBe(true);
    void r.view.hashminaddresscount;
    const read = r.end(saved);
    expect([...read]).toEqual([...maskOf(['hashminaddresscount'])]);
    expect([...r.bits]).toEqual([...maskOf(['trackingprefix', 'hashminaddresscount'])]);
  });

  it('the view reads every key like the settings, spreads like them, and keeps extra keys as plain data', () => {
    const raw = JSON.parse(JSON.stringify({ ...DEFAULT_SETTINGS, extra: 1 })) as typeof DEFAULT_SETTINGS;
    Object.defineProperty(raw, '__proto__', { value: 'odd', enumerable: true, writable: true, configurable: true });
    const r = new SettingsReads(raw);
    expect({ ...r.view }).toMatchObject({ ...raw });
    expect(Object.getOwnPropertyDescriptor(r.view, '__proto__')?.value).toBe('odd');
    expect(JSON.stringify(r.view)).toBe(JSON.stringify(raw));
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
