// The contract inputs of the Mailboxes & Directory view and "Save as scenario": valid inputs pass; an
// unknown field, a wrong type or an oversize value is refused naming the field (as every method's are).
import { describe, expect, it } from 'vitest';
import { validateInput, PATH_FIELDS } from '../../../core/contract/schemas.js';

const VALID = {
  'mailboxes.list': { profile: 'Mailbox changes' },
  'mailboxes.override': { profile: 'p', address: 'alice@contoso.com', override: { filter: 0, processEmailsFrom: '2024-01-01T00:00:00Z', trackedFolders: [{ folder: 'Inbox/Projects', regarding: 'account:a1' }], incoming: false } },
  'directory.search': { text: 'alice', limit: 50 },
  'case.export': { key: '12', out: '/tmp/case', anonymize: true },
} as const;

describe('mailbox and case contract inputs', () => {
  it('accepts the valid inputs', () => {
    for (const [m, input] of Object.entries(VALID)) {
      const r = validateInput(m, input);
      expect(r.ok, `${m}: ${r.ok ? '' : r.error.message}`).toBe(true);
    }
  });

  it('refuses unknown fields, wrong types, out-of-range values and oversize strings, naming the field', () => {
    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['mailboxes.list', { profile: 'x', extra: 1 }, 'extra'],
      ['mailboxes.override', { ...VALID['mailboxes.override'], override: { filter: 5 } }, 'filter'],
      ['mailboxes.override', { ...VALID['mailboxes.override'], override: { processEmailsFrom: 'yesterday' } }, 'processEmailsFrom'],
      ['mailboxes.override', { ...VALID['mailboxes.override'], override: { incoming: 'yes' } }, 'incoming'],
      ['mailboxes.override', { ...VALID['mailboxes.override'], override: { trackedFolders: [{ folder: '' , regarding: null }] } }, 'trackedFolders'],
      ['mailboxes.override', { ...VALID['mailboxes.override'], address: 'x'.repeat(1024 * 1024) }, 'address'],
      ['directory.search', { text: 'x'.repeat(1024 * 1024) }, 'text'],
      ['directory.search', { text: 'a', limit: 0 }, 'limit'],
      ['case.export', { key: '1', out: 'a\0b' }, 'out'],
      ['case.export', { key: '1', anonymize: 'true' }, 'anonymize'],
    ];
    for (const [m, input, field] of bad) {
      const r = validateInput(m, input);
      expect(r.ok, `${m} ${field}`).toBe(false);
      if (!r.ok) expect(r.error.details?.join(' ') ?? r.error.message).toContain(field);
    }
  });

  it('has the host check the output folder of a case against the folders the user chose', () => {
    expect(PATH_FIELDS['case.export']?.({ key: '1', out: '/tmp/x' })).toEqual(['/tmp/x']);
    expect(PATH_FIELDS['case.export']?.({ key: '1' })).toEqual([]);
  });
});
