import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';

describe('default settings follow SIMULATOR.md §1', () => {
  it('uses Microsoft defaults for the organization columns', () => {
    expect(DEFAULT_SETTINGS.emailcorrelationenabled).toBe(true);
    expect(DEFAULT_SETTINGS.enablesmartmatching).toBe(false);
    expect(DEFAULT_SETTINGS.trackingprefix).toBe('CRM');
    expect(DEFAULT_SETTINGS.maximumtrackingnumber).toBe(999);
    expect(DEFAULT_SETTINGS.hashminaddresscount).toBe(2);
    expect(DEFAULT_SETTINGS.hashmaxcount).toBe(20);
    expect(DEFAULT_SETTINGS.SSSForceFilteringMethodForUserMailboxes).toBe(-1);
    expect(DEFAULT_SETTINGS.MaximumSubjectLengthOnMailServer).toBe(255);
  });
});
