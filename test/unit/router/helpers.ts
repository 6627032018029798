// Shared helpers of the router tests: fixtures of test/fixtures/router and a small directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sinkItemFromBytes } from '../../../core/router/sinkItem.js';
import type { RouterInput, SinkItem } from '../../../core/router/types.js';
import { applyPreset, findPreset } from '../../../core/analysis/presets.js';
import type { DirectoryEntry, MailboxConfig, TrackedEmail } from '../../../core/engine/model/types.js';
import type { Settings } from '../../../core/engine/model/settings.js';

export const FIX = join(__dirname, '../../fixtures/router');
export const SINK = 'crm-sink@contoso.com';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIX, name)));
}

export function item(name: string, order = 0, deliverFailure: string | null = null): SinkItem {
  return sinkItemFromBytes(fixture(name), { key: name, order, sinkAddress: SINK, deliverFailure });
}

export function presetSettings(name: string): Settings {
  const p = findPreset(name);
  if (!p) throw new Error(`no preset ${name}`);
  return applyPreset(p);
}

export const DIRECTORY: DirectoryEntry[] = [
  { kind: 'user', ref: 'user:alice', id: 'alice', table: 'systemuser', name: 'Alice Ray', emails: ['alice@contoso.com'], active: true, owner: null, trackingNumber: 1 },
  { kind: 'user', ref: 'user:bobray', id: 'bobray', table: 'systemuser', name: 'Bob Ray', emails: ['bob.ray@contoso.com'], active: true, owner: null, trackingNumber: 2 },
  { kind: 'contact', ref: 'contact:c1', id: 'c1', table: 'contact', name: 'Bob Lee', emails: ['bob@fabrikam.com'], active: true, owner: 'user:alice' },
  { kind: 'contact', ref: 'contact:c2', id: 'c2', table: 'contact', name: 'Carol Diaz', emails: ['carol@fabrikam.com'], active: true, owner: 'user:alice' },
  { kind: 'contact', ref: 'contact:c3', id: 'c3', table: 'contact', name: 'Dan Moss', emails: ['dan@fabrikam.com'], active: true, owner: 'user:alice' },
];

export const E1: TrackedEmail = { id: 'e1', messageId: '<quote-1@contoso.com>', subject: 'Quote for Q3 CRM:0001001', trackingToken: 'CRM:0001001', conversationIndex: null, direction: 'outgoing', from: 'alice@contoso.com', to: ['bob@fabrikam.com'], cc: [], sentOn: '2024-03-01T09:00:00Z', regarding: 'opportunity:o1' };
export const E2: TrackedEmail = { id: 'e2', messageId: '<kickoff-1@contoso.com>', subject: 'Project kickoff', trackingToken: null, conversationIndex: null, direction: 'outgoing', from: 'alice@contoso.com', to: ['bob@fabrikam.com'], cc: ['carol@fabrikam.com'], sentOn: '2024-03-04T09:00:00Z', regarding: 'opportunity:o2' };

export function alice(filter: MailboxConfig['filter']): MailboxConfig {
  return { owner: 'user:alice', address: 'alice@contoso.com', filter, processEmailsFrom: null, trackedFolders: [], incoming: true };
}

export function input(items: SinkItem[], over: Partial<RouterInput> = {}): RouterInput {
  return { settings: presetSettings('crm3'), era: 'crm3', sinkAddress: SINK, directory: { entries: DIRECTORY }, mailboxes: [alice(1)], tracked: [E1, E2], items, ...over };
}
