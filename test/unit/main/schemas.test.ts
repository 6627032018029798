// The contract's input schemas: one per method, strict objects, settings derived from the real
// Settings so every documented setting is accepted and nothing else is.
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../core/contract/contract.js';
import { INPUT_SCHEMAS, LIMITS, partialSettingsSchema, validateInput } from '../../../core/contract/schemas.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/settings.js';

describe('contract schemas', () => {
  it('has exactly one schema per contract method', () => {
    expect(Object.keys(INPUT_SCHEMAS).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('accepts the full default settings and refuses unknown or mistyped settings', () => {
    expect(partialSettingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(partialSettingsSchema.safeParse({ trackingPrefix: 'CRM' }).success).toBe(false);
    expect(partialSettingsSchema.safeParse({ simSmartMatchingSubjectRule: 'D' }).success).toBe(false);
    expect(partialSettingsSchema.safeParse({ hashmaxcount: 2.5 }).success).toBe(false);
  });

  it('limits string sizes at the documented bounds', () => {
    expect(validateInput('messages.get', { key: 'k'.repeat(LIMITS.key) }).ok).toBe(true);
    expect(validateInput('messages.get', { key: 'k'.repeat(LIMITS.key + 1) }).ok).toBe(false);
    expect(validateInput('messages.get', { key: '' }).ok).toBe(false);
  });

  it('lists every problem with its field path so all can be fixed at once', () => {
    const v = validateInput('messages.list', { offset: -1, limit: 0, filter: { outcomes: ['Tracked'] } });
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.error.code).toBe('INVALID_INPUT');
      expect(v.error.details?.map((d) => d.split(':')[0]).sort()).toEqual(['filter.outcomes.0', 'limit', 'offset']);
    }
  });
});
