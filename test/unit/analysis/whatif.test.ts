// What-if on training scenarios whose answers are known by hand (their lessons say what each message does
// and why), and on a hand-built chain for knock-on effects.
import { describe, expect, it } from 'vitest';
import { whatIf } from '../../../core/analysis/whatif.js';
import { loadScenario } from '../../../core/node/scenario/load.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import type { ReplayInput } from '../../../core/engine/model/types.js';
import { DIR, entry, input, mailbox, msg, tracked } from '../replay/helpers.js';

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
    // The reply has no In-Reply-To, References or Thread-Index (the lesson says so): the threading cannot judge it.
    expect(r.groups[0]!.sentence).toBe('smart matching on: 1 reply now tracked, linked by smart matching');
    expect(r.groups[0]!.gradeSentence).toBe('1 new link, 1 not judged: a reply without threading headers');
    expect(c.attribution).toBe('only-change');
    expect(r.warnings).toEqual([]);
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
    expect(r.groups[0]!.grade).toMatchObject({ newLinks: 0, lostLinks: 1 });
    expect(r.effectLines).toEqual(r.groups.map((g) => g.sentence));
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

  it('identical settings: nothing changes, and the warning says why', () => {
    const { input: inp, settings } = scenario('02-reply-correlates-by-in-reply-to');
    const r = whatIf(inp, settings, { ...settings });
    expect(r.changed).toBe(0);
    expect(r.groups).toEqual([]);
    expect(r.effectLines[0]).toMatch(/no message changes/);
    expect(r.warnings).toEqual(['The proposal has the same settings as the baseline: the what-if cannot change anything. Change a setting first.']);
  });

  it('smart-matching thresholds with smart matching off: warned that they cannot change anything', () => {
    const { input: inp, settings } = scenario('08-smart-matching-off-by-default');
    const r = whatIf(inp, settings, { ...settings, hashminaddresscount: 3 });
    expect(r.changed).toBe(0);
    expect(r.warnings[0]).toBe('hashminaddresscount cannot change anything: smart matching is off in the proposal (Use smart matching is off).');
    // The scenario's one reply reaches nothing under either side (its lesson: NoCorrelationMatch for Alice's
    // filter 1), so the what-if also says why the proposal tracks nothing (issue 13).
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[1]).toMatch(/^The proposal tracks nothing\. .*'in response'/);
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
    // The only change made is the cause of both; m2 is flagged as a knock-on of m1, and its lost In-Reply-To
    // link was right (m2 answers m1 by its headers), so losing it is a loss.
    expect(r.changes.map((c) => c.settings)).toEqual([['enablesmartmatching'], ['enablesmartmatching']]);
    expect(r.changes[1]!.grade).toEqual({ newLink: null, lostLink: 'same' });
    expect(r.groups.map((g) => `${g.sentence} — ${g.gradeSentence}`).sort()).toEqual([
      'smart matching off: 1 reply no longer tracked (knock-on: their own decision reads none of the changed settings; an earlier email they depend on changed) — 1 lost link, 1 of them right (same thread): a loss',
      'smart matching off: 1 reply no longer tracked — 1 lost link, 1 not judged',
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
    expect(r.groups[0]!.gradeSentence).toBe('3 new links, 3 not judged: a reply without threading headers');
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
    // Neither change alone does that (tokens off alone: filter 0 accepts it unlinked; smart on alone: the
    // token still wins, being tried first), so only the two together explain it.
    expect(t1).toMatchObject({ kind: 'method-changed', settings: ['enablesmartmatching', 'usetrackingtokens'], attribution: 'combination' });
    expect(t1!.before.method).toBe('TrackingToken');
    expect(t1!.after.method).toBe('SmartMatching');
    // n1 never had a token: only smart matching explains its new link.
    expect(n1).toMatchObject({ kind: 'now-correlated', settings: ['enablesmartmatching'], attribution: 'single' });
    expect(r.groups.find((g) => g.keys.includes('n1'))!.sentence).toBe('smart matching on: smart matching now links 1 reply');
    expect(r.groups.find((g) => g.keys.includes('t1'))!.sentence.startsWith('only smart matching on and tokens off together: ')).toBe(true);
  });
});

describe('whatIf attribution: three changes, each decision\'s cause known from the spec', () => {
  // Mailbox filter 1 (In response): a message is tracked only when it correlates (SIMULATOR §5).
  // Correlation order: In-Reply-To, tracking token, ConversationIndex, smart matching (§3).
  const dir = [...DIR, entry('contact', 'carol', ['carol@fabrikam.com'], { owner: 'user:alice' })];
  const e1 = tracked('e1', { subject: 'Quote' });
  const e2 = tracked('e2', { subject: 'Price list' });
  // e3 went to dave: a reply from bob shares only alice's address with it, below HashMinAddressCount 2.
  const e3 = tracked('e3', { subject: 'Order CRM:0001003', trackingToken: 'CRM:0001003', to: ['dave@fabrikam.com'] });
  const e4 = tracked('e4', { subject: 'Contract CRM:0001004', trackingToken: 'CRM:0001004' });
  // S: a reply whose client dropped every header; only smart matching (subject "quote", bob + alice) finds e1.
  const S = msg({ key: 'S', subject: 'RE: Quote', date: '2024-03-03T08:00:00Z' });
  // N: a new email, not a reply, with the same one-word subject, last of all: smart matching links it into the
  // thread (to the most recent candidate, SIMULATOR §3.2), across conversations.
  const N = msg({ key: 'N', subject: 'Quote', date: '2024-03-08T08:00:00Z' });
  // K answers S by In-Reply-To: it can correlate only once S is tracked.
  const K = msg({ key: 'K', subject: 'RE: Quote', inReplyTo: '<S@x>', references: ['<S@x>'], date: '2024-03-04T08:00:00Z' });
  // F: a forward of e2 from carol (shares only alice with e2: no smart match); In-Reply-To names e2.
  const F = msg({
    key: 'F', subject: 'FW: Price list', from: 'carol@fabrikam.com', inReplyTo: '<e2@contoso.com>', date: '2024-03-05T08:00:00Z',
    flags: { ...msg({ key: 'x' }).flags, forwardSubject: true },
  });
  // T: a reply carrying e3's token only.
  const T = msg({ key: 'T', subject: 'RE: Order CRM:0001003', date: '2024-03-06T08:00:00Z' });
  // C: a reply carrying e4's token, whose subject words and addresses also smart-match e4.
  const C = msg({ key: 'C', subject: 'RE: Contract CRM:0001004', date: '2024-03-07T08:00:00Z' });
  const base = input([S, N, K, F, T, C], {
    settings: { enablesmartmatching: false, DoNotCorrelateForwardedEmailsAsReplies: true, usetrackingtokens: true },
    tracked: [e1, e2, e3, e4], directory: dir, mailboxes: [mailbox('user:alice', 'alice@contoso.com', 1)],
  });
  const { settings, ...rest } = base;
  const proposal: Settings = { ...settings, enablesmartmatching: true, DoNotCorrelateForwardedEmailsAsReplies: false, usetrackingtokens: false };
  const r = whatIf(rest, settings, proposal);
  const change = (key: string) => r.changes.find((c) => c.key === key)!;

  it('replays each change alone and each left out (2 × 3 extra replays)', () => {
    expect(r.settingsDiff.map((c) => c.key).sort()).toEqual(['DoNotCorrelateForwardedEmailsAsReplies', 'enablesmartmatching', 'usetrackingtokens']);
    expect(r.attributionMethod).toBe('replay');
    expect(r.attributionReplays).toBe(6);
    expect(r.changes.map((c) => c.key).sort()).toEqual(['C', 'F', 'K', 'N', 'S', 'T']);
  });

  it('smart matching alone explains S and N, and K, which In-Reply-To links to S once S is tracked', () => {
    expect(change('S')).toMatchObject({ kind: 'newly-tracked', settings: ['enablesmartmatching'], attribution: 'single' });
    expect(change('S').after).toMatchObject({ method: 'SmartMatching', correlatedTo: 'e1' });
    expect(change('N')).toMatchObject({ kind: 'newly-tracked', settings: ['enablesmartmatching'], attribution: 'single' });
    expect(change('K')).toMatchObject({ kind: 'newly-tracked', settings: ['enablesmartmatching'], attribution: 'single' });
    expect(change('K').after).toMatchObject({ method: 'InReplyTo', correlatedTo: 'S' });
  });

  it('the forward linked by In-Reply-To is put on DoNotCorrelateForwardedEmailsAsReplies, never on smart matching', () => {
    expect(change('F')).toMatchObject({ kind: 'newly-tracked', settings: ['DoNotCorrelateForwardedEmailsAsReplies'], attribution: 'single' });
    expect(change('F').after).toMatchObject({ method: 'InReplyTo', correlatedTo: 'e2' });
    const g = r.groups.find((x) => x.keys.includes('F'))!;
    expect(`${g.sentence} — ${g.gradeSentence}`).toBe('DoNotCorrelateForwardedEmailsAsReplies off: 1 reply now tracked, linked by In-Reply-To — 1 new link, right: same thread');
  });

  it('tokens off alone loses T; C needs tokens off and smart matching on together', () => {
    expect(change('T')).toMatchObject({ kind: 'no-longer-tracked', settings: ['usetrackingtokens'], attribution: 'single' });
    expect(change('C')).toMatchObject({ kind: 'method-changed', settings: ['enablesmartmatching', 'usetrackingtokens'], attribution: 'combination' });
    expect(change('C').before.method).toBe('TrackingToken');
    expect(change('C').after).toMatchObject({ method: 'SmartMatching', correlatedTo: 'e4' });
  });

  it('grades every new and lost link against the threading', () => {
    // K → S and F → e2 follow the headers (same thread); N, a new email, is linked into e1's thread (false);
    // S and T are replies without threading headers (not judged).
    expect(change('K').grade.newLink).toBe('same');
    expect(change('F').grade.newLink).toBe('same');
    expect(change('N').grade.newLink).toBe('different');
    expect(change('S').grade.newLink).toBe('unknown');
    expect(change('T').grade).toEqual({ newLink: null, lostLink: 'unknown' });
    expect(change('C').grade).toEqual({ newLink: null, lostLink: null });
    const smart = r.groups.find((g) => g.keys.includes('N'))!;
    expect(smart.keys.sort()).toEqual(['N', 'S']);
    expect(smart.gradeSentence).toBe('2 new links, 1 likely false: different thread, 1 not judged: a reply without threading headers');
    const k = r.groups.find((g) => g.keys.includes('K'))!;
    expect(`${k.sentence} — ${k.gradeSentence}`).toBe('smart matching on: 1 reply now tracked, linked by In-Reply-To — 1 new link, right: same thread');
    expect(r.grade).toMatchObject({ newLinks: 4, newRight: 2, newFalse: 1, newUnknown: 1, lostLinks: 1, lostUnknown: 1 });
  });
});
