// scenario.json validation (SCENARIO-FORMAT.md): unknown keys, missing files, bad dates, dangling refs.
import { describe, expect, it } from 'vitest';
import { parseScenario, checkExpect, ScenarioError } from '../../../core/scenario/scenario.js';

const good = () => ({
  title: 't', lesson: 'l',
  directory: { users: [{ id: 'alice', emails: ['alice@contoso.com'] }] },
  mailboxes: [{ owner: 'user:alice', address: 'alice@contoso.com', filter: 1, processEmailsFrom: '2024-01-01T00:00:00Z' }],
  tracked: [{ id: 'e1', messageId: '<a@b>', subject: 's', sentOn: '2024-03-01T09:00:00Z' }],
  messages: [{ file: 'messages/a.eml', mailbox: 'alice@contoso.com', folder: 'Inbox' }],
  expect: [{ file: 'messages/a.eml', correlatedTo: 'e1' }],
});
const parse = (raw: unknown, exists = true) => parseScenario(raw, 'x/scenario.json', () => exists);
const fails = (raw: unknown, re: RegExp, exists = true) => {
  expect(() => parse(raw, exists)).toThrow(ScenarioError);
  expect(() => parse(raw, exists)).toThrow(re);
};

describe('parseScenario', () => {
  it('accepts a valid scenario and applies defaults', () => {
    const sc = parse(good());
    expect(sc.settings.emailcorrelationenabled).toBe(true);
    expect(sc.mailboxes[0]?.incoming).toBe(true);
  });
  it('refuses unknown keys, naming file and key', () => {
    fails({ ...good(), colour: 1 }, /x\/scenario\.json: colour: unknown key/);
    const g = good(); (g.mailboxes[0] as Record<string, unknown>).filtr = 1;
    fails(g, /mailboxes\[0\]\.filtr: unknown key/);
    fails({ ...good(), organization: { nosuchsetting: true } }, /organization/);
  });
  it('refuses missing files, bad dates and dangling references', () => {
    fails(good(), /messages\[0\]\.file: missing file/, false);
    const g1 = good(); g1.tracked[0]!.sentOn = '5 March'; fails(g1, /tracked\[0\]\.sentOn: expected an ISO date-time/);
    const g2 = good(); g2.expect[0]!.correlatedTo = 'e9'; fails(g2, /expect\[0\]\.correlatedTo: dangling reference "e9"/);
    const g3 = good(); g3.messages[0]!.mailbox = 'bob@x.com'; fails(g3, /messages\[0\]\.mailbox: dangling reference/);
    const g4 = good(); g4.mailboxes[0]!.owner = 'user:zed'; fails(g4, /mailboxes\[0\]\.owner/);
  });
});

describe('checkExpect', () => {
  it('counts entries, and reports each differing key', () => {
    const r = checkExpect([{ file: 'a', outcome: 'AcceptAll', regarding: null }, { file: 'b', tracked: true }], [
      { file: 'a', outcome: 'AcceptAll', regarding: 'x:1' } as never, { file: 'b', tracked: true } as never,
    ]);
    expect(r).toMatchObject({ passed: 1, failed: 1, mismatches: [{ file: 'a', key: 'regarding', expected: null, actual: 'x:1' }] });
  });
});

describe('optional keys added later (SCENARIO-FORMAT.md)', () => {
  const withDir = () => ({
    ...good(),
    directory: {
      users: [{ id: 'alice', emails: ['alice@contoso.com'], trackingNumber: 1 }, { id: 'leaver', emails: ['l@contoso.com'], disabled: true }],
      queues: [{ id: 'sales', emails: ['sales@contoso.com'], owner: 'alice' }],
      contacts: [{ id: 'c1', emails: ['c@f.com'], owner: 'queue:sales', active: false }],
    },
  });
  it('directory rows take owner as a user id or a user:/queue: ref, active, and users disabled', () => {
    const sc = parse(withDir());
    const c1 = sc.directory.find((e) => e.ref === 'contact:c1');
    expect(c1).toMatchObject({ owner: 'queue:sales', active: false });
    expect(sc.directory.find((e) => e.ref === 'queue:sales')?.owner).toBe('user:alice');
    expect(sc.directory.find((e) => e.ref === 'user:leaver')?.disabled).toBe(true);
    const bad = withDir(); (bad.directory.contacts[0] as Record<string, unknown>).owner = 'contact:c1';
    fails(bad, /directory\.contacts\[0\]\.owner: expected a user id or a user:\/queue: reference/);
  });
  it('issueToken issues the next token of the user\'s counter in list order; a queue uses its owner\'s; without counters the first is 1', () => {
    const g = withDir();
    g.tracked = [
      { id: 'e1', messageId: '<a@b>', subject: 's', sentOn: '2024-03-01T09:00:00Z', issueToken: 'user:alice' },
      { id: 'e2', messageId: '<b@b>', subject: 's', sentOn: '2024-03-01T09:00:00Z', issueToken: 'queue:sales' },
    ] as never;
    const sc = parse(g);
    // CRM:<designator 0><user number 001><counter 001>, SIMULATOR §3.1 defaults.
    expect(sc.tracked.map((t) => t.trackingToken)).toEqual(['CRM:0001001', 'CRM:0001002']);
  });
  it('counters set the next value and wrap from 10^d−1 to 0', () => {
    const g = { ...withDir(), counters: { 'user:alice': 998 } };
    g.tracked = ['e1', 'b', 'c'].map((x) => ({ id: x, messageId: `<${x}@b>`, subject: 's', sentOn: '2024-03-01T09:00:00Z', issueToken: 'user:alice' })) as never;
    expect(parse(g).tracked.map((t) => t.trackingToken)).toEqual(['CRM:0001998', 'CRM:0001999', 'CRM:0001000']);
  });
  it('refuses a counter for a queue, a value past maximumtrackingnumber, and issueToken beside trackingToken', () => {
    fails({ ...withDir(), counters: { 'queue:sales': 5 } }, /counters\.queue:sales: expected a user of the directory/);
    fails({ ...withDir(), counters: { 'user:alice': 1000 } }, /counters\.user:alice: expected an integer 0–999/);
    const g = withDir();
    g.tracked = [{ id: 'e1', messageId: '<a@b>', subject: 's', sentOn: '2024-03-01T09:00:00Z', issueToken: 'user:alice', trackingToken: 'CRM:0001001' }] as never;
    fails(g, /tracked\[0\]\.issueToken: expected either trackingToken or issueToken/);
  });
  it('organization accepts the §8 settings by name and refuses a bad value; expect accepts NotProcessed', () => {
    const g = { ...good(), organization: { inReplyToIdRule: 'last', deliveryOffMailbox: 'evaluate' }, expect: [{ file: 'messages/a.eml', outcome: 'NotProcessed' }] };
    const sc = parse(g);
    expect(sc.settings.inReplyToIdRule).toBe('last');
    expect(sc.settings.deliveryOffMailbox).toBe('evaluate');
    fails({ ...good(), organization: { inReplyToIdRule: 'middle' } }, /organization: inReplyToIdRule = "middle" is not allowed: allowed first, last, any/);
  });
});
