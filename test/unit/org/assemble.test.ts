// The small Contoso org of test/fixtures/org, in both its Web API JSON and its CSV form, linked into the
// engine's inputs. Expected values are read off the fixture files and SIMULATOR §1/§9 by hand.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleOrg, conversationIndexBase64 } from '../../../core/org/assemble.js';
import { parseOrgFile } from '../../../core/org/parseFile.js';
import type { OrgRecord } from '../../../core/org/types.js';

const DIR = path.resolve(new URL('../../fixtures/org', import.meta.url).pathname);
function load(sub: string): OrgRecord[] {
  const d = path.join(DIR, sub);
  return fs.readdirSync(d).sort().flatMap((f) => parseOrgFile(fs.readFileSync(path.join(d, f), 'utf8'), f).records);
}
const ALICE = 'user:5a1ce000-0000-4000-8000-0000000000a1';
const BOB = 'user:5a1ce000-0000-4000-8000-0000000000b0';
const FABRIKAM = 'account:acc00000-0000-4000-8000-0000000000f1';

describe.each(['json', 'csv'])('the Contoso org (%s)', (form) => {
  const org = assembleOrg(load(form));

  it('links without problems', () => {
    expect(org.problems).toEqual([]);
  });

  it('mailboxes: owner, the owner\'s filtering method, Process Emails From (the later of mailbox and profile), delivery, tracked folders', () => {
    const byAddr = new Map(org.mailboxes.map((m) => [m.address, m]));
    expect(byAddr.get('alice@contoso.com')).toMatchObject({
      owner: ALICE, ownerName: 'Alice Smith', filter: 1, incoming: true,
      // mailbox 2024-02-15, profile 2024-03-01: the later one
      processEmailsFrom: '2024-03-01T00:00:00.000Z',
      trackedFolders: [{ folder: 'Inbox/Projects', regarding: FABRIKAM }],
    });
    // mailbox 2024-03-10 is later than the profile's 2024-03-01
    expect(byAddr.get('bob@contoso.com')).toMatchObject({ owner: BOB, filter: 2, incoming: true, processEmailsFrom: '2024-03-10T00:00:00.000Z', trackedFolders: [] });
    // a queue mailbox whose Incoming Email is None: never synchronized; the queue's own method (All)
    expect(byAddr.get('support@contoso.com')).toMatchObject({ owner: 'queue:9e9e0000-0000-4000-8000-000000000051', filter: 0, incoming: false, delivery: 0 });
  });

  it('directory: users, the queue (owned by Alice), contact, account and lead with their addresses', () => {
    const rows = org.directory.map((e) => [e.ref, e.kind, e.name, e.emails, e.active, e.owner]);
    expect(rows).toEqual([
      [ALICE, 'user', 'Alice Smith', ['alice@contoso.com'], true, null],
      [BOB, 'user', 'Bob Jones', ['bob@contoso.com'], true, null],
      ['queue:9e9e0000-0000-4000-8000-000000000051', 'queue', 'Support', ['support@contoso.com'], true, ALICE],
      [FABRIKAM, 'account', 'Fabrikam, Inc.', ['info@fabrikam.com'], true, BOB],
      ['contact:c0c0c000-0000-4000-8000-0000000000c1', 'contact', 'Carol Diaz', ['carol@fabrikam.com'], true, BOB],
      ['lead:1ead0000-0000-4000-8000-0000000000d1', 'lead', 'Dan Lee', ['dan@litware.com'], true, ALICE],
    ]);
  });

  it('tracked emails: the quote Alice sent (outgoing, token, Regarding Fabrikam) and the pricing question (incoming)', () => {
    expect(org.tracked).toEqual([
      { id: 'e1e1e1e1-0000-4000-8000-000000000001', messageId: '<e1-out@contoso.com>', subject: 'Quote for Q2 CRM:0001001', trackingToken: 'CRM:0001001', conversationIndex: null,
        direction: 'outgoing', from: 'alice@contoso.com', to: ['carol@fabrikam.com'], cc: [], sentOn: '2024-03-04T09:00:00.000Z', regarding: FABRIKAM },
      { id: 'e2e2e2e2-0000-4000-8000-000000000002', messageId: '<m4@litware.com>', subject: 'Pricing question', trackingToken: null, conversationIndex: null,
        direction: 'incoming', from: 'dan@litware.com', to: ['alice@contoso.com'], cc: [], sentOn: '2024-03-09T08:00:00.000Z', regarding: null },
    ]);
  });

  it('the same email rows are the audit\'s record of what Dynamics decided', () => {
    expect(org.auditEmails.map((e) => [e.activityId, e.messageId, e.direction, e.correlationMethod])).toEqual([
      ['e1e1e1e1-0000-4000-8000-000000000001', '<e1-out@contoso.com>', 'outgoing', 0],
      ['e2e2e2e2-0000-4000-8000-000000000002', '<m4@litware.com>', 'incoming', 0],
    ]);
  });

  it('organization settings: the simulated ones, and CreateQueueItemForSynchronizingMailbox kept as unknown', () => {
    expect(org.organization?.settings).toMatchObject({ emailcorrelationenabled: true, enablesmartmatching: false, hashminaddresscount: 2, DoNotCorrelateForwardedEmailsAsReplies: true, AutoTrackSentFolderItems: false });
    expect(org.organization?.unknownSettings).toContainEqual({ name: 'CreateQueueItemForSynchronizingMailbox', value: 'true', source: 'orgdborgsettings' });
  });
});

describe('linking', () => {
  it('a later row with the same id replaces the earlier one', () => {
    const base = { file: 'a.json', row: 1, id: 'c0c0c000-0000-4000-8000-0000000000c1', recordTable: 'contact', emails: ['old@fabrikam.com'], owner: null, active: true };
    const org = assembleOrg([{ ...base, table: 'contact', name: 'Old' }, { ...base, table: 'contact', file: 'b.json', name: 'New', emails: ['new@fabrikam.com'] }]);
    expect(org.directory).toEqual([expect.objectContaining({ name: 'New', emails: ['new@fabrikam.com'] })]);
  });
  it('a CSV name that matches no row, or several, is reported', () => {
    const u = (id: string, name: string): OrgRecord => ({ table: 'systemuser', file: 'u.csv', row: 1, id, name, emails: [], disabled: false, defaultMailbox: null });
    const org = assembleOrg([u('5a1ce000-0000-4000-8000-000000000001', 'Sam Lee'), u('5a1ce000-0000-4000-8000-000000000002', 'Sam Lee'),
      { table: 'mailbox', file: 'm.csv', row: 2, id: '3b0c0000-0000-4000-8000-000000000001', name: 'Sam Lee', email: 'sam@contoso.com', regarding: { id: null, table: null, name: 'Sam Lee' }, delivery: 2, processEmailsFrom: null, enabledForIncoming: null, isForward: null, approval: null, profile: null }]);
    expect(org.mailboxes).toEqual([]);
    expect(org.problems.map((p) => [p.file, p.row, p.column])).toEqual([['m.csv', 2, 'regardingobjectid'], ['m.csv', 2, 'regardingobjectid']]);
    expect(org.problems[0]!.problem).toMatch(/"Sam Lee" names 2 rows/);
  });
  it('a user without usersettings gets the documented default for users, 1 (SIMULATOR §1)', () => {
    const org = assembleOrg([
      { table: 'systemuser', file: 'u.json', row: 1, id: '5a1ce000-0000-4000-8000-000000000001', name: 'Sam', emails: ['sam@contoso.com'], disabled: false, defaultMailbox: null },
      { table: 'mailbox', file: 'm.json', row: 1, id: '3b0c0000-0000-4000-8000-000000000001', name: 'Sam', email: 'sam@contoso.com', regarding: { id: '5a1ce000-0000-4000-8000-000000000001', table: 'systemuser', name: null }, delivery: 1, processEmailsFrom: null, enabledForIncoming: null, isForward: null, approval: 2, profile: null },
    ]);
    expect(org.mailboxes[0]).toMatchObject({ filter: 1, incoming: false, processEmailsFrom: null });
    expect(org.mailboxes[0]!.filterSource).toMatch(/^not in the export; the default for users/);
    expect(org.mailboxes[0]!.notes.join(' ')).toMatch(/Microsoft Dynamics 365 for Outlook: server-side synchronization never reads this mailbox/);
  });
  it('a hex conversation index becomes the base64 the Thread-Index header carries', () => {
    // research §8.3 example 1: AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A is 01d41cd8337b acba12de182713f3bbeaba45cf137f13 001d745e00
    expect(conversationIndexBase64('01d41cd8337bacba12de182713f3bbeaba45cf137f13001d745e00')).toBe('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
    expect(conversationIndexBase64('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A')).toBe('AdQc2DN7rLoS3hgnE/O76rpFzxN/EwAddF4A');
  });
});

describe('activity parties exported on their own', () => {
  it('an activityparty export (Web API rows) gives an email its sender and recipients', async () => {
    const { orgResultFromRows } = await import('../../../core/org/parseFile.js');
    const email = orgResultFromRows('email', [{ activityid: 'e3e3e3e3-0000-4000-8000-000000000003', messageid: '<e3@contoso.com>', subject: 'Parties apart', directioncode: true, senton: '2024-03-05T09:00:00Z' }], { source: 'GET emails' });
    const parties = orgResultFromRows('activityparty', [
      { activitypartyid: 'aa000000-0000-4000-8000-000000000031', _activityid_value: 'e3e3e3e3-0000-4000-8000-000000000003', participationtypemask: 1, addressused: 'alice@contoso.com' },
      { activitypartyid: 'aa000000-0000-4000-8000-000000000032', _activityid_value: 'e3e3e3e3-0000-4000-8000-000000000003', participationtypemask: 2, addressused: 'carol@fabrikam.com' },
      { activitypartyid: 'aa000000-0000-4000-8000-000000000033', _activityid_value: 'e3e3e3e3-0000-4000-8000-000000000003', participationtypemask: 3, addressused: 'bob@contoso.com' },
      { activitypartyid: 'aa000000-0000-4000-8000-000000000034', _activityid_value: 'e3e3e3e3-0000-4000-8000-000000000003', participationtypemask: 4, addressused: 'hidden@contoso.com' },
    ], { source: 'GET activityparties' });
    expect([...email.problems, ...parties.problems]).toEqual([]);
    const org = assembleOrg([...email.records, ...parties.records]);
    expect(org.tracked[0]).toMatchObject({ from: 'alice@contoso.com', to: ['carol@fabrikam.com'], cc: ['bob@contoso.com'], direction: 'outgoing' });
  });
});
