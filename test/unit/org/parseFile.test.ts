// Whole export files: which table (from @odata.context, the hidden "(Do Not Modify)" header, the file name,
// the columns, or --table), pages, and every bad-row case of the fixtures in test/fixtures/org/bad, whose
// problems are listed here as written by hand from the files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrgFileError, parseOrgFile } from '../../../core/org/parseFile.js';

const DIR = path.resolve(new URL('../../fixtures/org', import.meta.url).pathname);
const read = (rel: string): ReturnType<typeof parseOrgFile> => parseOrgFile(fs.readFileSync(path.join(DIR, rel), 'utf8'), rel);

describe('table detection', () => {
  it('every JSON fixture from its @odata.context, every CSV fixture from its hidden id header', () => {
    const want: Record<string, string> = {
      'json/organizations.json': 'organization', 'json/emailserverprofiles.json': 'emailserverprofile', 'json/systemusers.json': 'systemuser',
      'json/usersettings.json': 'usersettings', 'json/queues.json': 'queue', 'json/mailboxes.json': 'mailbox', 'json/mailboxtrackingfolders.json': 'mailboxtrackingfolder',
      'json/contacts.json': 'contact', 'json/accounts.json': 'account', 'json/leads.json': 'lead', 'json/emails-1.json': 'email',
      'csv/Organizations.csv': 'organization', 'csv/Email Server Profiles.csv': 'emailserverprofile', 'csv/Enabled Users.csv': 'systemuser',
      'csv/User Settings.csv': 'usersettings', 'csv/All Queues.csv': 'queue', 'csv/Active Mailboxes.csv': 'mailbox', 'csv/Mailbox Auto Tracking Folders.csv': 'mailboxtrackingfolder',
      'csv/My Active Contacts.csv': 'contact', 'csv/Active Accounts.csv': 'account', 'csv/Open Leads.csv': 'lead', 'csv/Email Messages.csv': 'email',
    };
    for (const [f, t] of Object.entries(want)) {
      const r = read(f);
      expect(r.table, f).toBe(t);
      expect(r.detectedBy, f).toBe(f.startsWith('json/') ? 'odata.context' : 'header');
    }
  });
  it('a bare array of rows: from the file name, else from its id column; --table wins', () => {
    const rows = JSON.stringify([{ contactid: 'c0c0c000-0000-4000-8000-0000000000c1', fullname: 'Carol Diaz', emailaddress1: 'carol@fabrikam.com' }]);
    expect(parseOrgFile(rows, 'exports/Contacts 2024-03-01.json')).toMatchObject({ table: 'contact', detectedBy: 'file name' });
    expect(parseOrgFile(rows, 'x.json')).toMatchObject({ table: 'contact', detectedBy: 'columns' });
    expect(parseOrgFile(rows, 'leads.json', { table: 'contacts' })).toMatchObject({ table: 'contact', detectedBy: 'option' });
  });
  it('a custom table from its entity set and <table>id column', () => {
    const body = JSON.stringify({ '@odata.context': 'https://x/api/data/v9.2/$metadata#new_partners(new_name,new_email)', value: [{ new_partnerid: '0a000000-0000-4000-8000-000000000001', new_email: 'p@partner.example' }] });
    expect(parseOrgFile(body, 'p.json')).toMatchObject({ table: 'record', customTable: 'new_partner', records: [{ emails: ['p@partner.example'] }] });
  });
  it('a file it cannot place, or that is not JSON or CSV, is refused with the file name', () => {
    expect(() => parseOrgFile('[{"a":1}]', 'mystery.json')).toThrow(OrgFileError);
    expect(() => parseOrgFile('[{"a":1}]', 'mystery.json')).toThrow(/^mystery\.json: cannot tell which table this is/);
    expect(() => parseOrgFile('{"value": [', 'broken.json')).toThrow(/^broken\.json: not valid JSON/);
    expect(() => parseOrgFile('', 'empty.csv')).toThrow(/^empty\.csv: the file is empty/);
  });
  it('a page with @odata.nextLink says the export continues', () => {
    const r = read('json/emails-1.json');
    expect(r.problems).toEqual([{ file: 'json/emails-1.json', table: null, row: 0, column: null, problem: expect.stringMatching(/^note: this page has an @odata\.nextLink/) }]);
  });
});

describe('bad rows: reported by file, row and column; the rest loads', () => {
  it('Contacts.csv: missing id (skipped), unknown Status label, an address as Owner, a malformed address', () => {
    const r = read('bad/Contacts.csv');
    expect(r.rows).toBe(5);
    expect(r.records.map((x) => x.row)).toEqual([1, 3, 4, 5]);
    expect(r.problems.map((p) => [p.file, p.row, p.column])).toEqual([
      ['bad/Contacts.csv', 2, '(Do Not Modify) Contact'],
      ['bad/Contacts.csv', 3, 'Status'],
      ['bad/Contacts.csv', 4, 'Owner'],
      ['bad/Contacts.csv', 5, 'Email'],
    ]);
    expect(r.problems[0]!.problem).toMatch(/row skipped$/);
    expect(r.problems[1]!.problem).toBe('"Archived" is not a label of statecode (known: 0 "Active", 1 "Inactive"); read as empty');
    expect(r.problems[2]!.problem).toMatch(/^"bob@contoso\.com" is an email address, but this column is a lookup/);
    expect(r.problems[3]!.problem).toBe('"frank at fabrikam" is not an email address; read as empty');
  });
  it('mailboxes.json: malformed date, unknown delivery method value, missing id, an address in Regarding', () => {
    const r = read('bad/mailboxes.json');
    expect(r.records.map((x) => x.row)).toEqual([1, 2, 4]);
    expect(r.records[0]).toMatchObject({ processEmailsFrom: null, delivery: 2 });
    expect(r.records[1]).toMatchObject({ delivery: null });
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'processemailreceivedafter'], [2, 'incomingemaildeliverymethod'], [3, 'mailboxid'], [4, 'regardingobjectid']]);
  });
  it('usersettings.json: a filtering method value that does not exist', () => {
    const r = read('bad/usersettings.json');
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'incomingemailfilteringmethod']]);
    expect(r.problems[0]!.problem).toMatch(/^9 is not a value of incomingemailfilteringmethod/);
  });
  it('Email Messages.csv: a Direction that is neither label, a malformed Date Sent', () => {
    const r = read('bad/Email Messages.csv');
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'Direction'], [1, 'Date Sent']]);
  });
  it('organizations.json: a setting out of range and malformed orgdborgsettings', () => {
    const r = read('bad/organizations.json');
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'hashmaxcount'], [1, 'orgdborgsettings']]);
  });
});
