// The row parser against Microsoft's documented shapes: Web API rows (logical names, lookups as _x_value,
// with or without annotations) and Excel / Advanced Find CSV rows (display names, choice labels, lookup names).
import { describe, expect, it } from 'vitest';
import { parseOrgRows, readDate } from '../../../core/org/parseRows.js';
import type { OrgEmail, OrgMailbox, OrgPartyRow, OrgUserSettings } from '../../../core/org/types.js';

const ALICE = '5a1ce000-0000-4000-8000-0000000000a1';
const MBX = '3b0c0000-0000-4000-8000-0000000000a1';

describe('Web API rows', () => {
  const bare = { name: 'Alice Smith', emailaddress: 'Alice@Contoso.com', _regardingobjectid_value: ALICE, incomingemaildeliverymethod: 2, processemailreceivedafter: '2024-02-15T00:00:00Z', emailrouteraccessapproval: 1, mailboxid: MBX.toUpperCase() };
  const annotated = {
    '@odata.etag': 'W/"501"', ...bare,
    '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue': 'Alice Smith',
    '_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
    'incomingemaildeliverymethod@OData.Community.Display.V1.FormattedValue': 'Server-Side Synchronization or Email Router',
  };

  it('reads a mailbox with or without annotations; the annotations add the lookup table and name', () => {
    const a = parseOrgRows('mailbox', [bare], { file: 'm.json' });
    const b = parseOrgRows('mailbox', [annotated], { file: 'm.json' });
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    const ma = a.records[0] as OrgMailbox;
    const mb = b.records[0] as OrgMailbox;
    expect(ma).toMatchObject({ table: 'mailbox', id: MBX, email: 'alice@contoso.com', delivery: 2, processEmailsFrom: '2024-02-15T00:00:00.000Z', approval: 1, file: 'm.json', row: 1 });
    expect(ma.regarding).toEqual({ id: ALICE, table: null, name: null });
    expect(mb.regarding).toEqual({ id: ALICE, table: 'systemuser', name: 'Alice Smith' });
  });

  it('a row without its id is skipped and reported; the others load', () => {
    const r = parseOrgRows('mailbox', [{ name: 'No id', emailaddress: 'x@contoso.com' }, bare], { file: 'm.json' });
    expect(r.records.map((x) => x.id)).toEqual([MBX]);
    expect(r.problems).toEqual([{ file: 'm.json', table: 'mailbox', row: 1, column: 'mailboxid', problem: "has no mailboxid (the row's id); row skipped" }]);
  });

  it('an address in a lookup column and an unknown choice value are reported by row and column, and read as empty', () => {
    const r = parseOrgRows('queue', [{ queueid: '9e9e0000-0000-4000-8000-000000000051', name: 'Support', emailaddress: 'support@contoso.com', _ownerid_value: 'alice@contoso.com', incomingemailfilteringmethod: 5 }], { file: 'q.json', firstRow: 3 });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ owner: null, filter: null, emails: ['support@contoso.com'] });
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[3, 'incomingemailfilteringmethod'], [3, 'ownerid']]);
    expect(r.problems[1]!.problem).toMatch(/"alice@contoso\.com" is an email address, but this column is a lookup/);
  });

  it('an email keeps its expanded parties 1–4 (Sender, To, Cc, Bcc) and ignores other participation types', () => {
    const r = parseOrgRows('email', [{
      activityid: 'e1e1e1e1-0000-4000-8000-000000000001', subject: 'Hi', directioncode: true, senton: '2024-03-04T09:00:00Z',
      email_activity_parties: [
        { participationtypemask: 1, addressused: 'Alice@contoso.com', _partyid_value: ALICE },
        { participationtypemask: 2, addressused: 'carol@fabrikam.com' },
        { participationtypemask: 3, addressused: 'bob@contoso.com' },
        { participationtypemask: 9, addressused: 'owner@contoso.com' },
        { participationtypemask: 99, addressused: 'odd@contoso.com' },
      ],
    }], { file: 'e.json' });
    const e = r.records[0] as OrgEmail;
    expect(e.direction).toBe('outgoing');
    expect(e.parties).toEqual([
      { mask: 1, address: 'alice@contoso.com', party: { id: ALICE, table: null, name: null } },
      { mask: 2, address: 'carol@fabrikam.com', party: null },
      { mask: 3, address: 'bob@contoso.com', party: null },
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ row: 1, column: 'email_activity_parties[4].participationtypemask' });
  });

  it('another email-enabled table: its email-format columns are found by name', () => {
    const r = parseOrgRows('record', [{ new_partnerid: '0a000000-0000-4000-8000-000000000001', name: 'Partner', new_email: 'p@partner.example', new_backupemail: 'not-an-address', statecode: 1 }], { file: 'p.json', customTable: 'new_partner' });
    expect(r.records[0]).toMatchObject({ table: 'record', recordTable: 'new_partner', emails: ['p@partner.example'], active: false });
    expect(r.problems.map((p) => p.column)).toEqual(['new_backupemail']);
  });
});

describe('CSV rows', () => {
  it('reads display-name headers, choice labels and the hidden id column', () => {
    const r = parseOrgRows('usersettings', [{ '(Do Not Modify) User Settings': `{${ALICE.toUpperCase()}}`, '(Do Not Modify) Row Checksum': 'x', '(Do Not Modify) Modified On': '3/1/2024 9:00 AM', 'Incoming Email Filtering Method': 'Email messages in response to Dynamics 365 email' }], { file: 'u.csv', shape: 'csv' });
    expect(r.problems).toEqual([]);
    expect(r.records[0] as OrgUserSettings).toMatchObject({ id: ALICE, filter: 1 });
  });

  it("older labels ('CRM') are Microsoft's too; an unknown label is reported", () => {
    const r = parseOrgRows('usersettings', [
      { '(Do Not Modify) User Settings': ALICE, 'Incoming Email Filtering Method': 'Email messages from CRM Leads, Contacts and Accounts' },
      { '(Do Not Modify) User Settings': '5a1ce000-0000-4000-8000-0000000000b0', 'Incoming Email Filtering Method': 'Only the important ones' },
    ], { file: 'u.csv', shape: 'csv' });
    expect(r.records.map((x) => (x as OrgUserSettings).filter)).toEqual([2, null]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ row: 2, column: 'Incoming Email Filtering Method' });
  });

  it('a lookup cell holds the related row\'s name; lead Status "Qualified" is inactive', () => {
    const r = parseOrgRows('lead', [{ '(Do Not Modify) Lead': '1ead0000-0000-4000-8000-0000000000d1', Name: 'Dan Lee', Email: 'dan@litware.com', Owner: 'Alice Smith', Status: 'Qualified' }], { file: 'l.csv', shape: 'csv' });
    expect(r.records[0] as OrgPartyRow).toMatchObject({ name: 'Dan Lee', owner: { id: null, table: null, name: 'Alice Smith' }, active: false, emails: ['dan@litware.com'] });
  });

  it('an email export\'s From/To cells list names and addresses', () => {
    const r = parseOrgRows('email', [{ '(Do Not Modify) Email Message': 'e2e2e2e2-0000-4000-8000-000000000002', Subject: 'S', From: 'dan@litware.com', To: 'Alice Smith; Bob Jones <bob@contoso.com>', Direction: 'Incoming' }], { file: 'e.csv', shape: 'csv' });
    expect((r.records[0] as OrgEmail).parties).toEqual([
      { mask: 1, address: 'dan@litware.com', party: null },
      { mask: 2, address: null, party: { id: null, table: null, name: 'Alice Smith' } },
      { mask: 2, address: 'bob@contoso.com', party: { id: null, table: null, name: 'Bob Jones' } },
    ]);
    expect((r.records[0] as OrgEmail).direction).toBe('incoming');
  });
});

describe('dates', () => {
  it('Web API ISO values, date-only values and the US format of an Excel export, zone-less read as UTC', () => {
    expect(readDate('2024-03-01T09:30:00Z')).toBe('2024-03-01T09:30:00.000Z');
    expect(readDate('2024-03-01T09:30:00+02:00')).toBe('2024-03-01T07:30:00.000Z');
    expect(readDate('2024-03-01')).toBe('2024-03-01T00:00:00.000Z');
    expect(readDate('3/1/2024 9:00 PM')).toBe('2024-03-01T21:00:00.000Z');
    expect(readDate('3/1/2024 12:00 AM')).toBe('2024-03-01T00:00:00.000Z');
    expect(readDate('3/10/2024')).toBe('2024-03-10T00:00:00.000Z');
  });
  it('malformed dates are refused', () => {
    for (const bad of ['2024-31-12T00:00:00Z', '2/30/2024', '32/13/2024 9:00 AM', 'yesterday', '3/1/2024 13:00 PM']) expect(readDate(bad), bad).toBeNull();
  });
});
