import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AUDIT_EMAIL_COLUMNS, AuditImportError, parseCsv, parseDirectory, parseEmailActivities } from '../../../core/analysis/auditImport.js';

const G1 = '11111111-aaaa-bbbb-cccc-000000000001';
const G2 = '11111111-aaaa-bbbb-cccc-000000000002';
const ACC = '22222222-aaaa-bbbb-cccc-000000000001';
const USR = '33333333-aaaa-bbbb-cccc-000000000001';

const WEB_API = JSON.stringify({
  '@odata.context': 'https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#emails(subject,messageid)',
  value: [
    {
      activityid: G2, messageid: '<r@x>', inreplyto: '<o@x>', conversationindex: 'AQHZ', trackingtoken: null, subject: 'RE: Offer',
      correlationmethod: 3, 'correlationmethod@OData.Community.Display.V1.FormattedValue': 'InReplyTo',
      _correlatedactivityid_value: G1, _parentactivityid_value: G1,
      _regardingobjectid_value: ACC.toUpperCase(), '_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue': 'Contoso Ltd',
      _acceptingentityid_value: USR, '_acceptingentityid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
      _receivingmailboxid_value: null, createdon: '2024-03-01T10:00:00Z', directioncode: false, sender: 'bob@contoso.com', torecipients: 'alice@fabrikam.com;',
    },
    { emailid: G1, subject: 'Offer CRM:0001001', trackingtoken: 'CRM:0001001', correlationmethod: 0, directioncode: true, createdon: '2024-02-28T09:00:00Z' },
    { activityid: 'x', correlationmethod: 42 },
    'not a row',
  ],
});

describe('parseEmailActivities — Web API JSON', () => {
  const r = parseEmailActivities(WEB_API, 'emails.json');
  it('reads columns, lookups with their table and formatted values', () => {
    expect(r.format).toBe('json');
    expect(r.rows.length).toBe(3);
    const reply = r.rows[0]!;
    expect(reply).toMatchObject({
      activityId: G2, messageId: '<r@x>', inReplyTo: '<o@x>', correlationMethod: 3, correlationMethodLabel: 'InReplyTo',
      direction: 'incoming', createdOn: '2024-03-01T10:00:00.000Z', receivingMailbox: null,
    });
    expect(reply.regarding).toEqual({ id: ACC, table: 'account', name: 'Contoso Ltd' });
    expect(reply.acceptingEntity).toEqual({ id: USR, table: 'systemuser', name: null });
    expect(reply.parentActivity?.id).toBe(G1);
  });
  it('emailid is accepted for the activity id; label derived from the value when not annotated', () => {
    expect(r.rows[1]).toMatchObject({ activityId: G1, correlationMethod: 0, correlationMethodLabel: 'None', direction: 'outgoing', trackingToken: 'CRM:0001001' });
  });
  it('bad cells are reported with row and column and read as empty; non-object rows skipped', () => {
    expect(r.rows[2]).toMatchObject({ activityId: 'x', correlationMethod: null, correlationMethodLabel: null });
    expect(r.problems).toEqual([
      { row: 3, column: 'correlationmethod', problem: expect.stringMatching(/42 is not a value of email_correlationmethod/) as unknown as string },
      { row: 4, column: null, problem: 'row is not an object' },
    ]);
  });
  it('invalid JSON / wrong shape name the file', () => {
    expect(() => parseEmailActivities('{"value": 3}', 'e.json')).toThrow(/e\.json: expected a Web API response/);
    expect(() => parseEmailActivities('{oops', 'e.json')).toThrow(AuditImportError);
  });
});

const CSV = '\uFEFF' + [
  '(Do Not Modify) Email,Subject,Message ID,Correlation Method,Regarding,Created On,Direction,To',
  `${G1},"Offer, final ""v2""",<o@x>,Tracking Token,Contoso Ltd,2024-02-28 09:00,Outgoing,"a@x.com;`,
  `b@x.com"`,
  `${G2},RE: Offer,<r@x>,InReplyTo,,2024-03-01T10:00:00Z,Incoming,`,
  `${G2},Bad,<q@x>,Telepathy,,nodate,Sideways,`,
].join('\r\n');

describe('parseEmailActivities — Advanced Find CSV', () => {
  const r = parseEmailActivities(CSV, 'emails.csv');
  it('accepts display names, BOM, quoted commas, doubled quotes and newlines', () => {
    expect(r.format).toBe('csv');
    expect(r.rows[0]).toMatchObject({ activityId: G1, subject: 'Offer, final "v2"', messageId: '<o@x>', correlationMethod: 4, direction: 'outgoing', toRecipients: 'a@x.com;\r\nb@x.com' });
    expect(r.rows[0]!.regarding).toEqual({ id: null, table: null, name: 'Contoso Ltd' });
  });
  it('labels with and without spaces map to email_correlationmethod values', () => {
    expect(r.rows[1]).toMatchObject({ correlationMethod: 3, direction: 'incoming' });
  });
  it('malformed cells: row number, column display name and the problem; the row is kept', () => {
    expect(r.rows.length).toBe(3);
    expect(r.rows[2]).toMatchObject({ subject: 'Bad', messageId: '<q@x>', correlationMethod: null, createdOn: null, direction: null });
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[3, 'Correlation Method'], [3, 'Created On'], [3, 'Direction']]);
    expect(r.problems[0]!.problem).toMatch(/Telepathy/);
    expect(r.problems[1]!.problem).toMatch(/"nodate" is not a date; read as empty/);
  });
  it('logical-name headers work too', () => {
    const x = parseEmailActivities('subject,messageid,correlationmethod,createdon\nHi,<h@x>,6,2024-01-01\n');
    expect(x.rows[0]).toMatchObject({ subject: 'Hi', correlationMethod: 6, correlationMethodLabel: 'SmartMatching' });
  });
  it('short rows and unknown headers are reported', () => {
    const x = parseEmailActivities('Subject,Message ID\nOnly subject\n');
    expect(x.rows[0]).toMatchObject({ subject: 'Only subject', messageId: null });
    expect(x.problems[0]).toMatchObject({ row: 1, problem: expect.stringMatching(/1 fields, the header has 2/) as unknown as string });
    expect(() => parseEmailActivities('Foo,Bar\n1,2\n', 'f.csv')).toThrow(/f\.csv: no known email columns/);
    expect(() => parseEmailActivities('', 'f.csv')).toThrow(/empty/);
  });
});

describe('parseCsv', () => {
  it('unterminated quote is reported, not thrown', () => {
    const r = parseCsv('a,b\n"x,y\n');
    expect(r.problems[0]?.problem).toMatch(/never closed/);
  });
  it('LF and CRLF, trailing newline, empty fields', () => {
    expect(parseCsv('a,,c\r\nd,e,\n').records).toEqual([['a', '', 'c'], ['d', 'e', '']]);
  });
});

describe('parseDirectory', () => {
  it('Web API contacts with owner lookup (table from @odata.context)', () => {
    const text = JSON.stringify({
      '@odata.context': 'https://c.crm.dynamics.com/api/data/v9.2/$metadata#contacts(fullname,emailaddress1)',
      value: [
        { contactid: G1, fullname: 'Ann Lee', emailaddress1: 'Ann@Fabrikam.com', emailaddress2: 'ann@fabrikam.com', emailaddress3: 'not-an-address', statecode: 0, _ownerid_value: USR, '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser' },
        { fullname: 'No Id' },
        { contactid: G2, fullname: 'Old', emailaddress1: 'old@x.com', statecode: 1 },
      ],
    });
    const r = parseDirectory(text);
    expect(r.rows).toEqual([
      { kind: 'contact', ref: `contact:${G1}`, id: G1, table: 'contact', name: 'Ann Lee', emails: ['ann@fabrikam.com'], active: true, owner: `user:${USR}` },
      { kind: 'contact', ref: `contact:${G2}`, id: G2, table: 'contact', name: 'Old', emails: ['old@x.com'], active: false, owner: null },
    ]);
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'emailaddress3'], [2, 'contactid']]);
  });
  it('systemusers: internalemailaddress, isdisabled; team owners', () => {
    const text = JSON.stringify({ value: [{ systemuserid: USR, fullname: 'Alice', internalemailaddress: 'alice@contoso.com', isdisabled: true }] });
    const r = parseDirectory(text, 'systemuser');
    expect(r.rows[0]).toMatchObject({ kind: 'user', ref: `user:${USR}`, emails: ['alice@contoso.com'], active: false });
    const q = parseDirectory(JSON.stringify({ value: [{ queueid: G1, name: 'Sales', emailaddress: 'sales@contoso.com', _ownerid_value: G2, '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'team' }] }), 'queue');
    expect(q.rows[0]).toMatchObject({ kind: 'queue', ref: `queue:${G1}`, owner: `team:${G2}`, emails: ['sales@contoso.com'] });
  });
  it('CSV accounts with display names; table detected from the id column; owner names reported', () => {
    const csv = `(Do Not Modify) Account,Account Name,Email,Status,Owner\r\n{${ACC.toUpperCase()}},"Contoso, Ltd",info@contoso.com,Active,${USR}\r\n${G2},Fabrikam,,Inactive,Jane Doe\r\n`;
    const r = parseDirectory(csv);
    expect(r.rows).toEqual([
      { kind: 'account', ref: `account:${ACC}`, id: ACC, table: 'account', name: 'Contoso, Ltd', emails: ['info@contoso.com'], active: true, owner: `user:${USR}` },
      { kind: 'account', ref: `account:${G2}`, id: G2, table: 'account', name: 'Fabrikam', emails: [], active: false, owner: null },
    ]);
    expect(r.problems).toEqual([{ row: 2, column: 'Owner', problem: expect.stringMatching(/Jane Doe/) as unknown as string }]);
  });
  it('leads by logical names', () => {
    const r = parseDirectory('leadid,fullname,emailaddress1,statecode\n' + `${G1},Lee,lee@x.com,0\n`, 'lead');
    expect(r.rows[0]).toMatchObject({ kind: 'lead', ref: `lead:${G1}`, active: true });
  });
  it('unknown table is an error naming the file', () => {
    expect(() => parseDirectory('{"value":[]}', undefined, 'd.json')).toThrow(/d\.json: cannot tell which table/);
  });
});

describe('export columns and sample files', () => {
  const SAMPLES = new URL('../../../assets/audit-samples/', import.meta.url).pathname;

  it('a corrupt .json file is reported as JSON, not as a CSV header problem', () => {
    expect(() => parseEmailActivities('"value": [ {"activityid": "x"', 'emails.json')).toThrow(/emails\.json: not valid JSON/);
    expect(() => parseEmailActivities('{"value": [ {"activityid": "x"', 'export')).toThrow(/not valid JSON/);
  });

  it('every documented CSV header name is read as its column', () => {
    const header = AUDIT_EMAIL_COLUMNS.map((c) => c.csv[0]!);
    const cells = AUDIT_EMAIL_COLUMNS.map((c) => (c.webApi === 'directioncode' ? 'Incoming' : c.webApi === 'correlationmethod' ? 'InReplyTo' : c.webApi === 'createdon' ? '2024-03-04T08:00:00Z' : c.webApi === 'messageid' ? '<m@x>' : 'v'));
    const r = parseEmailActivities(`${header.join(',')}\r\n${cells.join(',')}`, 'all.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ messageId: '<m@x>', subject: 'v', direction: 'incoming', correlationMethod: 3, trackingToken: 'v', conversationIndex: 'v', inReplyTo: 'v', sender: 'v', toRecipients: 'v' });
    expect(r.rows[0]!.correlatedActivity).toMatchObject({ name: 'v' });
  });

  it('the sample exports read without a problem, the CSV giving the same records as the JSON', () => {
    const j = parseEmailActivities(readFileSync(`${SAMPLES}emails.json`, 'utf8'), 'emails.json');
    const c = parseEmailActivities(readFileSync(`${SAMPLES}emails.csv`, 'utf8'), 'emails.csv');
    expect(j.problems).toEqual([]);
    expect(c.problems).toEqual([]);
    expect(j.rows.map((r) => [r.messageId, r.direction, r.correlationMethod])).toEqual([
      ['<hire-1@contoso.com>', 'outgoing', 0], ['<5512.onb@fabrikam.com>', 'incoming', 6], ['<b81c.reply1@fabrikam.com>', 'incoming', 3],
    ]);
    expect(c.rows.map((r) => [r.messageId, r.direction, r.correlationMethod])).toEqual(j.rows.map((r) => [r.messageId, r.direction, r.correlationMethod]));
    const contacts = parseDirectory(readFileSync(`${SAMPLES}contacts.csv`, 'utf8'), undefined, 'contacts.csv');
    expect(contacts.problems).toEqual([]);
    expect(contacts.rows.map((r) => r.emails[0])).toEqual(['bob@fabrikam.com', 'carol@fabrikam.com']);
  });
});
