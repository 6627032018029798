// The contract's input schemas: one per method, strict objects, settings derived from the real
// Settings so every documented setting is accepted and nothing else is.
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../core/contract/contract.js';
import { INPUT_SCHEMAS, LIMITS, partialSettingsSchema, validateInput } from '../../../core/contract/schemas.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';

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

  it('checks the analysis inputs: sweepable keys only, the support form\'s closed value lists, https organization URLs', () => {
    expect(validateInput('sweep.run', { grid: { product: { hashminaddresscount: [1, 2], hashfilterkeywords: ['out-of-office'] } } }).ok).toBe(true);
    const notSwept = validateInput('sweep.run', { grid: { product: { usetrackingtokens: [true] } } });
    expect(notSwept.ok).toBe(false);
    if (!notSwept.ok) expect(notSwept.error.details?.join(' ')).toContain('grid.product');
    const mailbox = { id: 'a@b.c', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: { id: 'p', type: 'pop3-smtp' }, outgoing: null, items: ['email'] };
    expect(validateInput('support.check', { config: { deployment: { kind: 'online', fips: true }, mailboxes: [mailbox] } }).ok).toBe(true);
    const badHost = validateInput('support.check', { config: { deployment: { kind: 'online' }, mailboxes: [{ ...mailbox, host: { kind: 'pop3-imap', host: 'aol' } }] } });
    expect(badHost.ok).toBe(false);
    if (!badHost.ok) expect(badHost.error.details?.join(' ')).toContain('config.mailboxes.0.host');
    expect(validateInput('support.check', { config: { deployment: { kind: 'online' }, mailboxes: [{ ...mailbox, items: ['calendar'] }] } }).ok).toBe(false);
    expect(validateInput('mailboxes.setTag', { mailbox: 'a@b.c', tag: null }).ok).toBe(true);
    expect(validateInput('mailboxes.setTag', { mailbox: 'a@b.c', tag: { incoming: null, extra: 1 } }).ok).toBe(false);
    expect(validateInput('applykit.build', { baseline: 'a', proposal: 'b', organizationUri: 'https://contoso.crm.dynamics.com' }).ok).toBe(true);
    expect(validateInput('applykit.build', { baseline: 'a', proposal: 'b', organizationUri: 'https://contoso.crm.dynamics.com/path' }).ok).toBe(false);
    expect(validateInput('router.step', { id: 'x', index: 0, preset: 'crm9' }).ok).toBe(false);
    expect(validateInput('report.export', { kind: 'whatif', format: 'pdf', path: '/tmp/r.pdf' }).ok).toBe(false);
  });
});
