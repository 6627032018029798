// Replay warnings for a mailbox tagged with its real profile: what that configuration could never have
// produced (research §11 rules, D-SET folder-level tracking for Exchange folders), plus the version
// reader behind rule R22.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SIMULATED_USE, majorVersion, parseMailboxProfileTag, parseSupportConfig, replayWarnings, simulatedUseFromReplay, checkMailbox,
  type MailboxProfileTag, type ServerProfile, type SimulatedUse,
} from '../../../core/analysis/supportCheck.js';
import { replay } from '../../../core/engine/replay/replay.js';
import { DEFAULT_SETTINGS } from '../../../core/engine/model/settings.js';
import { extractFacts } from '../../../core/mail/facts.js';
import { fixture, DIRECTORY, E2 } from '../router/helpers.js';

const POP: ServerProfile = { id: 'pop', type: 'pop3-smtp' };
const IMAP: ServerProfile = { id: 'imap', type: 'imap-smtp' };
const EXO: ServerProfile = { id: 'exo', type: 'exchange-online', auth: 'server-to-server' };
const use = (over: Partial<SimulatedUse>): SimulatedUse => ({ ...EMPTY_SIMULATED_USE, ...over });
const codes = (tag: MailboxProfileTag, sim: SimulatedUse): string[] => replayWarnings(tag, sim).map((w) => w.code);

describe('replayWarnings', () => {
  it('appointments over POP3 could never have been synchronized (R6)', () => {
    const w = replayWarnings({ incoming: POP, outgoing: POP }, use({ itemKinds: ['email', 'appointments-contacts-tasks'] }));
    expect(w[0]).toMatchObject({ code: 'items-over-pop3', severity: 'impossible', rule: 'R6' });
    expect(w[0]?.message).toMatch(/POP3\/SMTP/);
    expect(w[0]?.source).toMatch(/“Supported email service configurations for server-side synchronization”/);
  });
  it('folder-level tracking on a POP3 or IMAP mailbox is impossible; on Exchange it is fine', () => {
    expect(codes({ incoming: POP }, use({ folderLevelTracked: 2 }))).toContain('folder-tracking-over-pop3');
    expect(codes({ incoming: IMAP }, use({ folderLevelTracked: 1 }))).toContain('folder-tracking-over-pop3');
    expect(codes({ incoming: EXO }, use({ folderLevelTracked: 2 }))).toEqual([]);
  });
  it('Sent Items tracking over POP3 (one maildrop) is impossible, over IMAP it is not flagged', () => {
    expect(codes({ incoming: POP }, use({ sentItemsTracked: 1 }))).toEqual(['sent-items-over-pop3']);
    expect(codes({ incoming: IMAP }, use({ sentItemsTracked: 1 }))).toEqual([]);
  });
  it('incoming tracking with no incoming profile is impossible', () => {
    expect(codes({ incoming: null, outgoing: EXO }, use({ incomingTracked: 3 }))).toEqual(['incoming-not-synchronized']);
    expect(codes({ incoming: null, outgoing: EXO }, use({}))).toEqual([]);
  });
  it('manual Outlook tracking with POP3 is unsupported (R15); S/MIME tracked is impossible (R16)', () => {
    const w = replayWarnings({ incoming: POP, outgoing: POP }, use({ manualOutlookTracking: true, smimeTracked: 1 }));
    expect(w.map((x) => [x.code, x.severity, x.rule])).toEqual([['manual-tracking-over-pop3', 'unsupported', 'R15'], ['smime-tracked', 'impossible', 'R16']]);
  });
  it('Exchange 2003 with SSS is impossible (R5), but not in the Router mode that era used', () => {
    const tag: MailboxProfileTag = { host: { kind: 'exchange-server', version: '2003' }, incoming: null };
    expect(codes(tag, use({}))).toEqual(['exchange-too-old']);
    expect(codes(tag, use({ routerMode: true }))).toEqual([]);
  });
  it('router mode on a mailbox tagged with an SSS profile is a caution', () => {
    expect(replayWarnings({ incoming: EXO }, use({ routerMode: true }))[0]).toMatchObject({ code: 'router-vs-sss', severity: 'caution' });
  });
  it('with host and deployment, the full check\'s failures are added (here R9 and R20)', () => {
    const tag: MailboxProfileTag = { host: { kind: 'exchange-server', version: '2016' }, incoming: EXO, outgoing: EXO, deployment: { kind: 'onpremises' } };
    expect(codes(tag, use({}))).toContain('support-R9');
    const ol: MailboxProfileTag = { host: { kind: 'pop3-imap', host: 'outlook.com' }, incoming: POP, outgoing: POP, deployment: { kind: 'online' } };
    expect(codes(ol, use({}))).toEqual(['support-R20']);
  });
  it('a supported, plain configuration has no warnings', () => {
    expect(replayWarnings({ host: { kind: 'exchange-online', tenant: 'same' }, incoming: EXO, outgoing: EXO, deployment: { kind: 'online' } }, use({ incomingTracked: 5, sentItemsTracked: 1, folderLevelTracked: 1 }))).toEqual([]);
  });
});

describe('simulatedUseFromReplay', () => {
  it('counts what a real replay tracked for the mailbox, by folder and outcome', () => {
    const mk = (f: string, folder: string, i: number) => extractFacts(fixture(f), { key: `${f}@${folder}`, mailbox: 'alice@contoso.com', folder, order: i });
    const messages = [mk('eras/reply-with-in-reply-to.eml', 'Inbox', 0), mk('eras/reply-without-in-reply-to.eml', 'Inbox/Projects', 1), mk('eras/reply-with-in-reply-to.eml', 'Sent Items', 2)];
    const r = replay({
      settings: { ...DEFAULT_SETTINGS, AutoTrackSentFolderItems: true }, directory: { entries: DIRECTORY }, tracked: [E2], messages,
      mailboxes: [{ owner: 'user:alice', address: 'alice@contoso.com', filter: 0, processEmailsFrom: null, trackedFolders: [{ folder: 'Inbox/Projects', regarding: null }], incoming: true }],
    });
    const u = simulatedUseFromReplay(messages, r.decisions, 'Alice@Contoso.com');
    // the Sent Items copy has the Inbox copy's Message-ID, so it is a Duplicate and not tracked
    expect(r.decisions.find((d) => d.key.endsWith('Sent Items'))?.outcome).toBe('Duplicate');
    expect(u).toMatchObject({ incomingTracked: 1, folderLevelTracked: 1, sentItemsTracked: 0, smimeTracked: 0, itemKinds: ['email'] });
    expect(codes({ incoming: POP }, u)).toEqual(['folder-tracking-over-pop3']);
    expect(simulatedUseFromReplay(messages, r.decisions, 'bob@x.com').incomingTracked).toBe(0);
  });
});

describe('majorVersion (rule R22)', () => {
  it.each([['9.2', 9], ['8.2.1', 8], ['CRM 2011', 5], ['2013', 6], ['Dynamics 365 (2019)', 9], ['Dynamics 365', 9], ['4.0', 4], ['', null], [undefined, null], ['n/a', null]])('%j → %j', (v, n) => {
    expect(majorVersion(v as string | undefined)).toBe(n);
  });
  it('on-premises 9.x has no R22 finding', () => {
    const r = checkMailbox({ kind: 'onpremises', version: '9.1' }, { id: 'm', host: { kind: 'exchange-server', version: '2016' }, incoming: { id: 'x', type: 'exchange-server' }, outgoing: { id: 'x', type: 'exchange-server' }, items: ['email'] });
    expect(r.verdict).toBe('supported');
  });
});

describe('config and tag parsing name the file and the path', () => {
  it.each([
    [{ deployment: { kind: 'online', fips: 'yes' }, mailboxes: [] }, /c\.json: deployment\.fips: expected true or false/],
    [{ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'mine' } }] }, /mailboxes\[0\]\.host\.tenant/],
    [{ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'pop3-imap', host: 'aol' } }] }, /mailboxes\[0\]\.host\.host: must be one of gmail/],
    [{ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-server', version: '2016', servicePack: -1 } }] }, /servicePack/],
    [{ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'same' }, incoming: { id: 'x', type: 'exchange-online', auth: 'magic' } }] }, /mailboxes\[0\]\.incoming\.auth/],
    [{ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'same' }, smimeOrThirdPartyEncryption: 1 }] }, /smimeOrThirdPartyEncryption: expected true or false/],
    [[], /c\.json: \$: expected an object/],
  ])('%j', (cfg, msg) => {
    expect(() => parseSupportConfig(cfg, 'c.json')).toThrow(msg);
  });
  it('profiles declared once can be named by id per mailbox; unknown ids are refused', () => {
    const cfg = parseSupportConfig({
      deployment: { kind: 'online' },
      profiles: [{ id: 'exo', type: 'exchange-online', auth: 'server-to-server' }, { id: 'gmail', type: 'imap-smtp' }],
      mailboxes: [{ id: 'a', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: 'gmail', outgoing: 'exo' }],
    });
    expect(cfg.mailboxes[0]?.incoming?.type).toBe('imap-smtp');
    // Gmail incoming with an Exchange Online outgoing profile is the unsupported mix R8
    expect(checkMailbox(cfg.deployment, cfg.mailboxes[0] as NonNullable<(typeof cfg.mailboxes)[0]>).items[0]?.findings.map((f) => f.rule)).toContain('R8');
    expect(() => parseSupportConfig({ deployment: { kind: 'online' }, profiles: [], mailboxes: [{ id: 'a', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: 'nope' }] }, 'c.json')).toThrow(/c\.json: mailboxes\[0\]\.incoming: unknown profile id "nope"/);
    expect(() => parseSupportConfig({ deployment: { kind: 'online' }, profiles: [{ id: 'x', type: 'pop3-smtp' }, { id: 'x', type: 'pop3-smtp' }], mailboxes: [] }, 'c.json')).toThrow(/profiles\[1\]\.id: duplicate/);
  });
  it('exchange version given as a number is accepted', () => {
    expect(parseSupportConfig({ deployment: { kind: 'onpremises' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-server', version: 2016 } }] }).mailboxes[0]?.host).toEqual({ kind: 'exchange-server', version: '2016' });
  });
  it('a tag needs "incoming" (null allowed) and validates host and deployment', () => {
    expect(parseMailboxProfileTag({ incoming: null })).toEqual({ incoming: null });
    expect(parseMailboxProfileTag({ incoming: { id: 'p', type: 'pop3-smtp' }, host: { kind: 'pop3-imap', host: 'gmail' }, deployment: { kind: 'online' } })).toMatchObject({ host: { kind: 'pop3-imap', host: 'gmail' } });
    expect(() => parseMailboxProfileTag({}, 't.json')).toThrow(/t\.json: incoming: missing/);
    expect(() => parseMailboxProfileTag({ incoming: null, deployment: { kind: 'cloud' } }, 't.json')).toThrow(/t\.json: deployment\.kind/);
  });
});
