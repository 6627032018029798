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
