// Audit: records exported from Dataverse (Web API JSON and Advanced Find CSV, written to the documented
// column names) against hand-built workspace messages whose SyncLens decisions are known by hand.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../core/analysis/audit.js';
import { parseEmailActivities } from '../../../core/analysis/auditImport.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { DIR, mailbox, msg } from '../replay/helpers.js';

const G1 = '11111111-aaaa-bbbb-cccc-000000000001'; // outgoing quote, sent from Dynamics
const OPP = '44444444-aaaa-bbbb-cccc-000000000001';
const R1 = '22222222-aaaa-bbbb-cccc-000000000001';
const R2 = '22222222-aaaa-bbbb-cccc-000000000002';
const R3 = '22222222-aaaa-bbbb-cccc-000000000003';
const R5 = '22222222-aaaa-bbbb-cccc-000000000005';
const GX = '99999999-aaaa-bbbb-cccc-000000000009'; // never exported

const LLN = '@Microsoft.Dynamics.CRM.lookuplogicalname';
const FV = '@OData.Community.Display.V1.FormattedValue';
const regarding = { _regardingobjectid_value: OPP, [`_regardingobjectid_value${LLN}`]: 'opportunity', [`_regardingobjectid_value${FV}`]: 'Big deal' };

const JSON_EXPORT = JSON.stringify({
  '@odata.context': 'https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#emails',
  value: [
    { activityid: G1, messageid: '<quote-1@contoso.com>', subject: 'Quote', trackingtoken: 'CRM:0001001', correlationmethod: 0, directioncode: true, createdon: '2024-03-01T09:00:00Z', sender: 'alice@contoso.com', torecipients: 'bob@fabrikam.com;', ...regarding },
    // m1: In-Reply-To the quote — SyncLens agrees.
    { activityid: R1, messageid: '<m1@x>', subject: 'RE: Quote CRM:0001001', correlationmethod: 3, _correlatedactivityid_value: G1, _parentactivityid_value: G1, directioncode: false, createdon: '2024-03-02T08:00:00Z', ...regarding },
    // m2: Dynamics smart-matched it, but the audited settings have smart matching off.
    { activityid: R2, messageid: '<m2@x>', subject: 'RE: Quote', correlationmethod: 6, [`correlationmethod${FV}`]: 'SmartMatching', _correlatedactivityid_value: G1, directioncode: false, createdon: '2024-03-03T08:00:00Z', ...regarding },
    // m3: correlated to an activity the export does not hold.
    { activityid: R3, messageid: '<m3@x>', subject: 'RE: Other', correlationmethod: 3, _correlatedactivityid_value: GX, _parentactivityid_value: GX, directioncode: false, createdon: '2024-03-04T08:00:00Z' },
    // no such message in the workspace
    { activityid: R5, messageid: '<ghost@x>', subject: 'Ghost', correlationmethod: 0, directioncode: false },
    // no Message-ID at all, and a malformed direction
    { activityid: '55555555-aaaa-bbbb-cccc-000000000000', subject: 'Typed by hand', directioncode: 'sideways' },
  ],
});

const messages = [
  msg({ key: 'k1', messageId: '<m1@x>', inReplyTo: '<quote-1@contoso.com>', subject: 'RE: Quote CRM:0001001', date: '2024-03-02T08:00:00Z' }),
  msg({ key: 'k2', messageId: '<m2@x>', subject: 'RE: Quote', date: '2024-03-03T08:00:00Z', to: ['alice@contoso.com'] }),
  msg({ key: 'k3', messageId: '<m3@x>', inReplyTo: '<other@contoso.com>', subject: 'RE: Other', date: '2024-03-04T08:00:00Z' }),
  msg({ key: 'k4', messageId: '<m4@x>', subject: 'Not exported', date: '2024-03-05T08:00:00Z' }),
];
const input = { directory: { entries: DIR }, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)], tracked: [], messages };

describe('runAudit on a Web API JSON export', () => {
  const imp = parseEmailActivities(JSON_EXPORT, 'emails.json');
  const r = runAudit({ input, settings: DEFAULT_SETTINGS, emails: imp.rows, importProblems: imp.problems });

  it('matches incoming records by Message-ID and reports what is unmatched both ways', () => {
    expect(r.counts).toMatchObject({ records: 6, outgoing: 1, incoming: 5, matched: 3, unmatchedRecords: 2, addedTracked: 1 });
    expect(r.rows.map((x) => x.messageKey)).toEqual(['k1', 'k2', 'k3']);
    expect(r.unmatchedRecords.map((u) => [u.row, u.reason])).toEqual([
      [5, expect.stringMatching(/no workspace message has Message-ID <ghost@x>/)],
      [6, expect.stringMatching(/no Message-ID/)],
    ]);
    expect(r.unmatchedMessages.map((u) => u.key)).toEqual(['k4']);
    // The malformed cell is reported with its row and column; the row itself was still imported.
    expect(r.importProblems).toEqual([{ row: 6, column: 'directioncode', problem: expect.stringMatching(/sideways/) }]);
  });

  it('agrees with an In-Reply-To correlation to an email sent from Dynamics (imported as tracked)', () => {
    const a = r.rows[0]!;
    expect(a.agree).toBe(true);
    expect(a.synclens).toMatchObject({ tracked: true, method: 'InReplyTo', methodCode: 3, correlatedTo: G1, parent: G1, regarding: OPP });
    expect(a.dynamics).toMatchObject({ method: 'InReplyTo', methodCode: 3, correlatedTo: G1, regarding: OPP });
    expect(a.causes).toEqual([]);
  });

  it('smart-matched in Dynamics, smart matching off in the audited settings: proven by replaying with it on', () => {
    const d = r.rows[1]!;
    expect(d.agree).toBe(false);
    expect(d.synclens).toMatchObject({ tracked: false });
    expect(d.fields.find((f) => f.field === 'tracked')).toMatchObject({ dynamics: true, synclens: false, agree: false });
    const c = d.causes.find((x) => x.kind === 'setting-difference' && x.settings?.includes('enablesmartmatching'));
    expect(c?.verified).toBe(true);
    expect(c?.detail).toBe("Replaying with smart matching on gives Dynamics' recorded decision (tracked, smart matching → “Quote” (2024-03-01)): the organization's settings at the time probably had smart matching on.");
    expect(d.candidates).toEqual([]);
    expect(d.trace.join('\n')).toMatch(/NoCorrelationMatch/);
    // Step numbers are the positions of the steps: each once, in order.
    const numbers = d.trace.slice(1).map((p) => Number(/^Step (\d+) ·/.exec(p)?.[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(d.trace.join('\n')).not.toContain('k2');
  });

  it('correlated to an activity missing from the export: messages missing from the import', () => {
    const d = r.rows[2]!;
    expect(d.agree).toBe(false);
    expect(d.causes[0]).toMatchObject({ kind: 'missing-from-import' });
    expect(d.causes[0]!.detail).toContain(GX);
    expect(r.causes.find((c) => c.kind === 'missing-from-import')?.count).toBe(1);
  });

  it('with the settings of the time (smart matching on) the smart-matched reply agrees too', () => {
    const on = runAudit({ input, settings: { ...DEFAULT_SETTINGS, enablesmartmatching: true }, emails: imp.rows });
    const d = on.rows.find((x) => x.messageKey === 'k2')!;
    expect(d.synclens).toMatchObject({ tracked: true, method: 'SmartMatching', correlatedTo: G1, regarding: OPP });
    expect(d.agree).toBe(true);
  });
});

describe('runAudit on an Advanced Find CSV export', () => {
  const csv = [
    'Email,Subject,Message ID,Correlation Method,Correlated Activity,Regarding,Created On,Direction',
    `${G1},Quote,<quote-1@contoso.com>,None,,Big deal,2024-03-01T09:00:00Z,Outgoing`,
    `${R1},RE: Quote CRM:0001001,<m1@x>,In Reply To,Quote CRM:0001001,Big deal,2024-03-02T08:00:00Z,Incoming`,
    `${R2},RE: Quote,<m2@x>,Telepathy,,,2024-03-03T08:00:00Z,Incoming`,
  ].join('\r\n');
  const imp = parseEmailActivities(csv, 'emails.csv');
  const r = runAudit({ input, settings: DEFAULT_SETTINGS, emails: imp.rows, importProblems: imp.problems });

  it('lookups exported as names are not compared; method and tracking are', () => {
    const a = r.rows.find((x) => x.messageKey === 'k1')!;
    expect(a.fields.find((f) => f.field === 'method')).toMatchObject({ dynamics: 'InReplyTo', synclens: 'InReplyTo', comparable: true, agree: true });
    expect(a.fields.find((f) => f.field === 'correlatedTo')).toMatchObject({ comparable: false });
    expect(a.agree).toBe(true);
    expect(a.causes.map((c) => c.kind)).toEqual(['not-comparable']);
  });

  it('the malformed correlation method is reported by row and column, and the row is still audited', () => {
    expect(imp.problems).toEqual([{ row: 3, column: 'Correlation Method', problem: expect.stringMatching(/Telepathy/) }]);
    const d = r.rows.find((x) => x.messageKey === 'k2')!;
    expect(d.dynamics.methodCode).toBeNull();
    expect(d.agree).toBe(false); // Dynamics tracked it, SyncLens (smart matching off) does not
  });
});

describe('audit causes are offered only once a replay proves them', () => {
  // k5 answers the quote by In-Reply-To, yet Dynamics recorded SmartMatching. In-Reply-To is tried before
  // smart matching (SIMULATOR §3), so turning smart matching on cannot give Dynamics' answer: not a cause.
  const exp = JSON.stringify({
    value: [
      { activityid: G1, messageid: '<quote-1@contoso.com>', subject: 'Quote', correlationmethod: 0, directioncode: true, createdon: '2024-03-01T09:00:00Z', sender: 'alice@contoso.com', torecipients: 'bob@fabrikam.com', ...regarding },
      { activityid: R5, messageid: '<m5@x>', subject: 'RE: Quote', correlationmethod: 6, _correlatedactivityid_value: G1, directioncode: false, createdon: '2024-03-06T08:00:00Z', ...regarding },
    ],
  });
  const k5 = msg({ key: 'k5', messageId: '<m5@x>', inReplyTo: '<quote-1@contoso.com>', subject: 'RE: Quote', date: '2024-03-06T08:00:00Z' });
  const inp = { directory: { entries: DIR }, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)], tracked: [], messages: [k5] };
  const r = runAudit({ input: inp, settings: DEFAULT_SETTINGS, emails: parseEmailActivities(exp, 'emails.json').rows });
  const row = r.rows[0]!;

  it('the method differs by name, SmartMatching vs InReplyTo, never as codes', () => {
    expect(row.fields.find((f) => f.field === 'method')).toMatchObject({ dynamics: 'SmartMatching', synclens: 'InReplyTo', comparable: true, agree: false });
  });

  it('smart matching on is tried but does not reproduce it: the row is unexplained, with the nearest candidates', () => {
    expect(r.verification.changesTried).toContain('smart matching on');
    expect(r.verification.replays).toBe(r.verification.changesTried.length);
    expect(row.causes.map((c) => c.kind)).toEqual(['unexplained']);
    expect(row.causes[0]!.detail).toMatch(/^No single change SyncLens tried reproduces Dynamics' decision \(tracked, smart matching → “Quote” \(2024-03-01\); SyncLens: tracked, In-Reply-To → “Quote” \(2024-03-01\)\)/);
    // With smart matching on, In-Reply-To still wins: tracked, the same email and Regarding agree, the method does not.
    const nearest = row.candidates.find((c) => c.change === 'smart matching on')!;
    expect(nearest).toMatchObject({ gives: 'tracked, In-Reply-To → “Quote” (2024-03-01)', of: 4, agreeing: 3 });
    expect(row.candidates.length).toBeLessThanOrEqual(3);
    expect(row.candidates[0]!.agreeing).toBeGreaterThanOrEqual(row.candidates[row.candidates.length - 1]!.agreeing);
  });

  it('no cause is offered without proof: no setting-difference on the row', () => {
    expect(row.causes.some((c) => c.kind === 'setting-difference')).toBe(false);
    expect(r.causes).toEqual([{ kind: 'unexplained', count: 1 }]);
  });
});
