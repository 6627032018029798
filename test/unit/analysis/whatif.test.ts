// What-if on training scenarios whose answers are known by hand (their lessons say what each message does
// and why), and on a hand-built chain for knock-on effects.
import { describe, expect, it } from 'vitest';
import { whatIf } from '../../../core/analysis/whatif.js';
import { loadScenario } from '../../../core/node/scenario/load.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/settings.js';
import type { ReplayInput } from '../../../core/engine/types.js';
import { DIR, input, mailbox, msg, tracked } from '../replay/helpers.js';

const SCEN = new URL('../../../assets/scenarios/', import.meta.url).pathname;

function scenario(name: string): { input: Omit<ReplayInput, 'settings'>; settings: Settings } {
  const { input: full } = loadScenario(SCEN + name);
  const { settings, ...rest } = full;
  return { input: rest, settings };
}

describe('whatIf on scenarios', () => {
  it('08: turning smart matching on tracks the reply nothing else could place (as in scenario 06)', () => {
    const { input: inp, settings } = scenario('08-smart-matching-off-by-default');
    const r = whatIf(inp, settings, { ...settings, enablesmartmatching: true });
    expect(r.settingsDiff).toEqual([{ key: 'enablesmartmatching', from: false, to: true }]);
    expect(r.changed).toBe(1);
    const c = r.changes[0]!;
    expect(c.before).toMatchObject({ outcome: 'NoCorrelationMatch', tracked: false, method: 'None', correlatedTo: null });
    expect(c.after).toMatchObject({ outcome: 'CorrelationMatch', tracked: true, method: 'SmartMatching', correlatedTo: 'e1', parent: null, regarding: 'account:fabrikam' });
    expect(c.kind).toBe('newly-tracked');
    expect(c.settings).toEqual(['enablesmartmatching']);
    expect(c.fields).toEqual(['outcome', 'method', 'correlatedTo', 'regarding']);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.sentence).toBe('smart matching on: 1 reply now tracked, linked by smart matching');
    expect(r.baseline.tracked).toBe(0);
    expect(r.proposal.tracked).toBe(1);
  });

  it('04: tokens off — the token-only reply is no longer tracked under filter 1', () => {
    const { input: inp, settings } = scenario('04-tracking-token-in-subject');
    const r = whatIf(inp, settings, { ...settings, usetrackingtokens: false });
    expect(r.changed).toBe(1);
    expect(r.changes[0]!.before).toMatchObject({ method: 'TrackingToken', correlatedTo: 'e1', regarding: 'opportunity:o1' });
    expect(r.changes[0]!.after).toMatchObject({ outcome: 'NoCorrelationMatch', tracked: false, correlatedTo: null, regarding: null });
    expect(r.groups.map((g) => g.sentence)).toEqual(['tokens off: 1 reply no longer tracked']);
    expect(r.effectLines).toEqual(['tokens off: 1 reply no longer tracked']);
  });

  it('10: clearing DoNotCorrelateForwardedEmailsAsReplies correlates the forward by In-Reply-To again', () => {
    const { input: inp, settings } = scenario('10-forward-not-correlated-with-setting');
    expect(settings.DoNotCorrelateForwardedEmailsAsReplies).toBe(true);
    const r = whatIf(inp, settings, { ...settings, DoNotCorrelateForwardedEmailsAsReplies: false });
    const fwd = r.changes.find((c) => c.key === 'messages/01-forward.eml');
    expect(fwd).toBeDefined();
    expect(fwd!.before.outcome).toBe('NoCorrelationMatch');
    expect(fwd!.after).toMatchObject({ tracked: true, method: 'InReplyTo', correlatedTo: 'e1', parent: 'e1', regarding: 'opportunity:o1' });
    expect(fwd!.settings).toEqual(['DoNotCorrelateForwardedEmailsAsReplies']);
    // Every change is explained by the one setting changed, and every group counts its messages.
    for (const g of r.groups) {
      expect(g.sentence.startsWith('DoNotCorrelateForwardedEmailsAsReplies off: ')).toBe(true);
      expect(g.count).toBe(g.keys.length);
    }
  });

  it('identical settings: nothing changes', () => {
    const { input: inp, settings } = scenario('02-reply-correlates-by-in-reply-to');
    const r = whatIf(inp, settings, { ...settings });
    expect(r.changed).toBe(0);
    expect(r.groups).toEqual([]);
    expect(r.effectLines[0]).toMatch(/no message changes/);
  });
});

describe('whatIf knock-on effects', () => {
  it('a reply to a message that is no longer tracked is a knock-on, not attributed to the setting', () => {
    // m1 has no headers linking it to e1 (smart matching only); m2 answers m1 by In-Reply-To.
    const m1 = msg({ key: 'm1', subject: 'RE: Quote', date: '2024-03-02T08:00:00Z' });
    const m2 = msg({ key: 'm2', subject: 'RE: Quote', inReplyTo: '<m1@x>', date: '2024-03-03T08:00:00Z', to: ['alice@contoso.com'], from: 'bob@fabrikam.com' });
    const base = input([m1, m2], { settings: { enablesmartmatching: true }, tracked: [tracked('e1')], directory: DIR, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)] });
    const { settings, ...rest } = base;
    const r = whatIf(rest, settings, { ...settings, enablesmartmatching: false });
    expect(r.changes.map((c) => [c.key, c.kind, c.knockOn])).toEqual([['m1', 'no-longer-tracked', false], ['m2', 'no-longer-tracked', true]]);
    expect(r.changes[0]!.before).toMatchObject({ method: 'SmartMatching', correlatedTo: 'e1' });
    expect(r.changes[1]!.before).toMatchObject({ method: 'InReplyTo', correlatedTo: 'm1' });
    expect(r.groups.map((g) => g.sentence).sort()).toEqual([
      'knock-on (no changed setting decided them; an email they depend on changed): 1 reply no longer tracked',
      'smart matching off: 1 reply no longer tracked',
    ]);
  });

  it('groups count every changed message once, largest group first', () => {
    const msgs = [0, 1, 2].map((i) => msg({ key: `s${i}`, subject: `RE: Quote`, date: `2024-03-0${i + 2}T08:00:00Z`, messageId: `<s${i}@x>` }));
    const base = input(msgs, { settings: DEFAULT_SETTINGS, tracked: [tracked('e1')], mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)] });
    const { settings, ...rest } = base;
    const r = whatIf(rest, settings, { ...settings, enablesmartmatching: true });
    expect(r.changed).toBe(3);
    expect(r.groups.reduce((n, g) => n + g.count, 0)).toBe(3);
    expect(r.groups[0]!.sentence).toBe('smart matching on: 3 replies now tracked, linked by smart matching');
  });
});

describe('whatIf attribution when several settings change', () => {
  it('tokens off explains only the messages that carried a token', () => {
    const e1 = tracked('e1', { subject: 'Quote CRM:0001001', trackingToken: 'CRM:0001001' });
    const withToken = msg({ key: 't1', subject: 'RE: Quote CRM:0001001', date: '2024-03-02T08:00:00Z' });
    const e2 = tracked('e2', { subject: 'Price list', messageId: '<e2@contoso.com>' });
    const noToken = msg({ key: 'n1', subject: 'RE: Price list', messageId: '<n1@x>', date: '2024-03-03T08:00:00Z' });
    const base = input([withToken, noToken], { tracked: [e1, e2], mailboxes: [mailbox('user:alice', 'alice@contoso.com', 0)] });
    const { settings, ...rest } = base;
    const r = whatIf(rest, settings, { ...settings, usetrackingtokens: false, enablesmartmatching: true });
    const t1 = r.changes.find((c) => c.key === 't1');
    const n1 = r.changes.find((c) => c.key === 'n1');
    // t1 loses its token link; its subject words (quote, crm:0001001) equal e1's, so smart matching takes over.
    expect(t1).toMatchObject({ kind: 'method-changed', settings: ['enablesmartmatching', 'usetrackingtokens'] });
    expect(t1!.before.method).toBe('TrackingToken');
    expect(t1!.after.method).toBe('SmartMatching');
    // n1 never had a token: only smart matching explains its new link.
    expect(n1).toMatchObject({ kind: 'now-correlated', settings: ['enablesmartmatching'] });
    expect(r.groups.find((g) => g.keys.includes('n1'))!.sentence).toBe('smart matching on: smart matching now links 1 reply');
  });
});
