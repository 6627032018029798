import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { counterDigits, diffSettings, isSimulatorSetting, SETTINGS_META, settingMeta, validateSettings } from '../../../core/engine/model/settingsMeta.js';

describe('SETTINGS_META', () => {
  it('covers every key of Settings exactly once, with its default', () => {
    expect(SETTINGS_META.map((m) => m.key).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    for (const m of SETTINGS_META) expect(m.default).toEqual(DEFAULT_SETTINGS[m.key]);
  });
  it('kinds agree with the default values', () => {
    for (const m of SETTINGS_META) {
      const v = m.default;
      const expected = Array.isArray(v) ? 'string[]' : typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'boolean' : m.values ? 'enum' : 'string';
      expect(m.kind, m.key).toBe(expected);
    }
  });
  it('sim* settings are flagged undocumented and grouped apart; Microsoft settings carry a source', () => {
    for (const m of SETTINGS_META) {
      if (m.key.startsWith('sim')) {
        expect(m.undocumented, m.key).toBe(true);
        expect(m.group).toBe('Simulator (undocumented)');
      }
      expect(m.source.length, m.key).toBeGreaterThan(0);
      expect(m.label.length, m.key).toBeGreaterThan(0);
    }
  });
  it('ranges follow research §2', () => {
    expect(settingMeta('trackingprefix')).toMatchObject({ minLength: 1, maxLength: 20 });
    expect(settingMeta('trackingtokenidbase')).toMatchObject({ min: 0, max: 2147483647 });
    expect(settingMeta('trackingtokeniddigits')).toMatchObject({ min: 1, max: 10 });
    expect(settingMeta('SSSForceFilteringMethodForUserMailboxes')).toMatchObject({ min: -1, max: 4, group: 'OrgDBOrgSettings' });
    expect(settingMeta('MaximumSubjectLengthOnMailServer')).toMatchObject({ min: 255, max: 400 });
    expect(settingMeta('hashminaddresscount').min).toBe(0);
    expect(settingMeta('emailcorrelationenabled').group).toBe('Email correlation');
    expect(settingMeta('enablesmartmatching').group).toBe('Smart matching');
  });
});

describe('validateSettings', () => {
  it('an empty object gives the defaults', () => {
    expect(validateSettings({})).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });
  it('merges valid values onto the defaults', () => {
    const r = validateSettings({ trackingprefix: 'ACME', trackingprefixhistory: ['CRM'], maximumtrackingnumber: 9999, enablesmartmatching: true });
    expect(r.ok && r.settings).toMatchObject({ trackingprefix: 'ACME', trackingprefixhistory: ['CRM'], maximumtrackingnumber: 9999, enablesmartmatching: true, hashmaxcount: 20 });
  });
  it('names the setting, the value and the allowed range', () => {
    const r = validateSettings({ trackingtokeniddigits: 12 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]?.message).toBe('trackingtokeniddigits = 12 is out of range: allowed 1–10');
  });
  it('refuses each class of bad value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ trackingprefix: '' }, /trackingprefix = "" has 0 characters: allowed 1–20/],
      [{ trackingprefix: 'x'.repeat(21) }, /allowed 1–20/],
      [{ trackingtokenidbase: -1 }, /trackingtokenidbase = -1 is out of range: allowed 0–2147483647/],
      [{ maximumtrackingnumber: 500 }, /maximumtrackingnumber = 500 is not 10\^d−1/],
      [{ maximumtrackingnumber: 9999999999 }, /out of range/],
      [{ SSSForceFilteringMethodForUserMailboxes: 5 }, /allowed -1–4/],
      [{ MaximumSubjectLengthOnMailServer: 200 }, /allowed 255–400/],
      [{ hashmaxcount: 2.5 }, /hashmaxcount = 2.5 is not an integer/],
      [{ emailcorrelationenabled: 'yes' }, /emailcorrelationenabled = "yes" is not a boolean/],
      [{ simSmartMatchingSubjectRule: 'D' }, /simSmartMatchingSubjectRule = "D" is not allowed: allowed A, B, C/],
      [{ trackingprefixhistory: 'CRM' }, /not a list of strings/],
      [{ trackingprefixhistory: ['CRM', ''] }, /trackingprefixhistory\[1\]/],
      [{ hashfilterkeywords: '(?i)re:' }, /hashfilterkeywords = .*inline option/],
      [{ TrackingPrefix: 'X' }, /unknown setting 'TrackingPrefix' \(did you mean 'trackingprefix'\?\)/],
      [{ nosuch: 1 }, /unknown setting 'nosuch'$/],
    ];
    for (const [input, msg] of cases) {
      const r = validateSettings(input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      expect(!r.ok && r.errors.map((e) => e.message).join('\n')).toMatch(msg);
    }
  });
  it('reports every error at once, with the key', () => {
    const r = validateSettings({ hashmaxcount: -1, trackingprefix: 7 });
    expect(!r.ok && r.errors.map((e) => e.key)).toEqual(['hashmaxcount', 'trackingprefix']);
  });
  it('refuses non-objects', () => {
    for (const v of [null, 3, 'x', [1]]) expect(validateSettings(v).ok).toBe(false);
  });
  it('does not share the history array with its input or the defaults', () => {
    const input = { trackingprefixhistory: ['CRM'] };
    const r = validateSettings(input);
    input.trackingprefixhistory.push('X');
    expect(r.ok && r.settings.trackingprefixhistory).toEqual(['CRM']);
    expect(DEFAULT_SETTINGS.trackingprefixhistory).toEqual([]);
  });
});

describe('counterDigits and diffSettings', () => {
  it('counter digits are the digits of maximumtrackingnumber', () => {
    expect(counterDigits(DEFAULT_SETTINGS)).toBe(3);
    expect(counterDigits({ maximumtrackingnumber: 9 })).toBe(1);
    expect(counterDigits({ maximumtrackingnumber: 999999999 })).toBe(9);
  });
  it('lists changed keys only', () => {
    const b = { ...DEFAULT_SETTINGS, enablesmartmatching: true, trackingprefixhistory: ['OLD'] };
    expect(diffSettings(DEFAULT_SETTINGS, b)).toEqual([
      { key: 'trackingprefixhistory', from: [], to: ['OLD'] },
      { key: 'enablesmartmatching', from: false, to: true },
    ]);
    expect(diffSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS })).toEqual([]);
  });
});

describe('SIMULATOR §8 settings', () => {
  // The 14 named settings of the §8 table (point 4 has none), each with its default first.
  const EXPECTED: [string, unknown, unknown[]][] = [
    ['skippedScope', 'stage7', ['stage7', 'all']],
    ['receivedHeaderRule', 'topmost', ['topmost', 'latest']],
    ['forwardPrefixRule', 'first', ['first', 'any']],
    ['forwardSuppressesConversationIndex', false, []],
    ['internalQueueExceptionScope', 'recipient', ['recipient', 'processedMailbox']],
    ['inactiveSingleSenderMatch', 'resolve', ['resolve', 'never']],
    ['multipleMatchCountsInactive', false, []],
    ['storeTokenOfIncoming', true, []],
    ['equalSentOnTieBreak', 'later', ['later', 'earlier']],
    ['filter3AcceptsUsersAndQueues', true, []],
    ['sentItemsFilterOn', 'recipients', ['recipients', 'sender']],
    ['trackedFolderSubfolders', false, []],
    ['deliveryOffMailbox', 'notProcessed', ['notProcessed', 'evaluate']],
    ['addressHashOrder', 'header', ['header', 'sorted']],
    ['inReplyToIdRule', 'first', ['first', 'last', 'any']],
  ];
  it('each has the spec\'s default, every alternative selectable, and is marked undocumented and simulator-only', () => {
    for (const [key, def, values] of EXPECTED) {
      const m = SETTINGS_META.find((x) => x.key === key);
      expect(m, key).toBeDefined();
      expect(m?.default, key).toEqual(def);
      expect(m?.undocumented, key).toBe(true);
      expect(isSimulatorSetting(key), key).toBe(true);
      if (values.length) expect(m?.values, key).toEqual(values);
      for (const v of values.length ? values : [true, false]) expect(validateSettings({ [key]: v }).ok, `${key}=${String(v)}`).toBe(true);
    }
    expect(isSimulatorSetting('hashmaxcount')).toBe(false);
    expect(validateSettings({ sentItemsFilterOn: 'bcc' }).ok).toBe(false);
  });
});
