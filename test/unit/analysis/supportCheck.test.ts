import { describe, expect, it } from 'vitest';
import {
  checkMailbox, checkSupport, parseSupportConfig, profileWarnings, SUPPORT_RULES,
  type Deployment, type MailboxUnderCheck, type ServerProfile, type Verdict,
} from '../../../core/analysis/supportCheck.js';

const EXO: ServerProfile = { id: 'exo', type: 'exchange-online', auth: 'server-to-server' };
const HYB: ServerProfile = { id: 'hyb', type: 'exchange-server-hybrid' };
const EXS: ServerProfile = { id: 'exs', type: 'exchange-server' };
const POP: ServerProfile = { id: 'pop', type: 'pop3-smtp' };
const ONLINE: Deployment = { kind: 'online' };
const ONPREM: Deployment = { kind: 'onpremises' };

function mb(over: Partial<MailboxUnderCheck>): MailboxUnderCheck {
  return { id: 'm', host: { kind: 'exchange-online', tenant: 'same' }, incoming: EXO, outgoing: EXO, items: ['email', 'appointments-contacts-tasks'], ...over };
}
function verdictOf(d: Deployment, m: MailboxUnderCheck, item: 'email' | 'appointments-contacts-tasks' = 'email'): { verdict: Verdict; rules: string[] } {
  const r = checkMailbox(d, m).items.find((i) => i.itemKind === item);
  if (!r) throw new Error('item missing');
  return { verdict: r.verdict, rules: r.findings.map((f) => f.rule) };
}

// Each row: a configuration from research §11 / seed 000 and the verdict the source documents.
const CASES: { rule: string; name: string; d: Deployment; m: Partial<MailboxUnderCheck>; item?: 'email' | 'appointments-contacts-tasks'; verdict: Verdict }[] = [
  { rule: 'R1', name: 'EXO same tenant, appointments', d: ONLINE, m: {}, item: 'appointments-contacts-tasks', verdict: 'supported' },
  { rule: 'R2', name: 'EXO other tenant from online (seed 000: not supported)', d: ONLINE, m: { host: { kind: 'exchange-online', tenant: 'other' } }, verdict: 'not-supported' },
  { rule: 'R2', name: 'EXO other tenant from on-prem: partial', d: ONPREM, m: { host: { kind: 'exchange-online', tenant: 'other' }, incoming: { id: 'h', type: 'exchange-online-hybrid' }, outgoing: { id: 'h', type: 'exchange-online-hybrid' } }, verdict: 'limited' },
  { rule: 'R3', name: 'Exchange 2016 via hybrid profile from online', d: ONLINE, m: { host: { kind: 'exchange-server', version: '2016' }, incoming: HYB, outgoing: HYB }, item: 'appointments-contacts-tasks', verdict: 'supported' },
  { rule: 'R3', name: 'Exchange 2013 without SP1 from online', d: ONLINE, m: { host: { kind: 'exchange-server', version: '2013' }, incoming: HYB, outgoing: HYB }, verdict: 'not-supported' },
  { rule: 'R3', name: 'Exchange 2013 SP1 from online', d: ONLINE, m: { host: { kind: 'exchange-server', version: '2013', servicePack: 1 }, incoming: HYB, outgoing: HYB }, verdict: 'supported' },
  { rule: 'R4', name: 'Exchange 2010 on-prem', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2010' }, incoming: EXS, outgoing: EXS }, verdict: 'supported' },
  { rule: 'R4', name: 'Exchange 2010 from online (sources conflict)', d: ONLINE, m: { host: { kind: 'exchange-server', version: '2010', servicePack: 3 }, incoming: HYB, outgoing: HYB }, verdict: 'limited' },
  { rule: 'R5', name: 'Exchange 2007', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2007' }, incoming: EXS, outgoing: EXS }, verdict: 'not-supported' },
  { rule: 'R5', name: 'Exchange 2003', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2003' }, incoming: EXS, outgoing: EXS }, verdict: 'not-supported' },
  { rule: 'R6', name: 'Gmail email', d: ONLINE, m: { host: { kind: 'pop3-imap', host: 'gmail' }, incoming: POP, outgoing: POP }, verdict: 'supported' },
  { rule: 'R6', name: 'Yahoo appointments', d: ONLINE, m: { host: { kind: 'pop3-imap', host: 'yahoo' }, incoming: POP, outgoing: POP }, item: 'appointments-contacts-tasks', verdict: 'not-supported' },
  { rule: 'R7', name: 'Outlook.com on-prem without FIPS', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'outlook.com' }, incoming: POP, outgoing: POP }, verdict: 'supported' },
  { rule: 'R7', name: 'Outlook.com on-prem with FIPS', d: { kind: 'onpremises', fips: true }, m: { host: { kind: 'pop3-imap', host: 'outlook.com' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R8', name: 'Exchange incoming + SMTP outgoing', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2016' }, incoming: EXS, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R9', name: 'EXO profile for on-prem Exchange mailbox', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2016' } }, verdict: 'not-supported' },
  { rule: 'R10', name: 'EXO profile for a Gmail mailbox', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'gmail' } }, verdict: 'not-supported' },
  { rule: 'R11', name: 'mass email', d: { kind: 'online', massEmail: true }, m: {}, verdict: 'not-supported' },
  { rule: 'R11', name: 'protocol extensibility', d: { kind: 'online', protocolExtensibility: true }, m: {}, verdict: 'not-supported' },
  { rule: 'R12', name: 'MFA online → Exchange on-prem', d: { kind: 'online', mfa: true }, m: { host: { kind: 'exchange-server', version: '2019' }, incoming: HYB, outgoing: HYB }, verdict: 'not-supported' },
  { rule: 'R12', name: 'MFA on-prem → Exchange Online', d: { kind: 'onpremises', mfa: true }, m: { incoming: { id: 'h', type: 'exchange-online-hybrid' }, outgoing: { id: 'h', type: 'exchange-online-hybrid' } }, verdict: 'not-supported' },
  { rule: 'R13', name: 'network inspection', d: { kind: 'online', networkInspection: true }, m: {}, verdict: 'not-supported' },
  { rule: 'R14', name: 'distribution list as mailbox', d: ONLINE, m: { aliasOrDistributionList: true }, verdict: 'not-supported' },
  { rule: 'R15', name: 'manual tracking in Outlook with POP3', d: ONLINE, m: { host: { kind: 'pop3-imap', host: 'gmail' }, incoming: POP, outgoing: POP, manualTrackingInOutlook: true }, verdict: 'not-supported' },
  { rule: 'R15b', name: 'OWA in hybrid', d: { kind: 'onpremises', owaInHybrid: true }, m: { incoming: { id: 'h', type: 'exchange-online-hybrid' }, outgoing: { id: 'h', type: 'exchange-online-hybrid' } }, verdict: 'not-supported' },
  { rule: 'R16', name: 'S/MIME', d: ONLINE, m: { smimeOrThirdPartyEncryption: true }, verdict: 'not-supported' },
  { rule: 'R17', name: 'online + EXO with impersonation', d: ONLINE, m: { incoming: { id: 'x', type: 'exchange-online', auth: 'impersonation' } }, verdict: 'not-supported' },
  { rule: 'R17', name: 'online + EXO with autodiscover off', d: ONLINE, m: { incoming: { id: 'x', type: 'exchange-online', autoDiscover: false } }, verdict: 'not-supported' },
  { rule: 'R18', name: 'untested POP3 host', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'other' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R19', name: 'mixed Outlook sync and SSS for appointments', d: { kind: 'online', mixedOutlookSyncAndSss: true }, m: {}, item: 'appointments-contacts-tasks', verdict: 'limited' },
  { rule: 'R20', name: 'Outlook.com from online', d: ONLINE, m: { host: { kind: 'pop3-imap', host: 'outlook.com' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R21', name: 'POP3 profile for an Exchange mailbox', d: ONPREM, m: { host: { kind: 'exchange-server', version: '2016' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R8', name: 'POP3 incoming + Exchange outgoing', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'gmail' }, incoming: POP, outgoing: EXS }, verdict: 'not-supported' },
  { rule: 'R10', name: 'Exchange Server profile for a Yahoo mailbox', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'yahoo' }, incoming: EXS, outgoing: EXS }, verdict: 'not-supported' },
  { rule: 'R7', name: 'MSN with FIPS 140-2', d: { kind: 'onpremises', fips: true }, m: { host: { kind: 'pop3-imap', host: 'msn' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R7', name: 'Windows Live Mail with FIPS 140-2', d: { kind: 'onpremises', fips: true }, m: { host: { kind: 'pop3-imap', host: 'windows-live' }, incoming: POP, outgoing: POP }, verdict: 'not-supported' },
  { rule: 'R7', name: 'Windows Live Mail appointments', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'windows-live' }, incoming: POP, outgoing: POP }, item: 'appointments-contacts-tasks', verdict: 'not-supported' },
  { rule: 'R6', name: 'Gmail over IMAP/SMTP, email', d: ONPREM, m: { host: { kind: 'pop3-imap', host: 'gmail' }, incoming: { id: 'i', type: 'imap-smtp' }, outgoing: { id: 'i', type: 'imap-smtp' } }, verdict: 'supported' },
  { rule: 'R22', name: 'Dynamics CRM 2011 on-premises (before server-side sync)', d: { kind: 'onpremises', version: 'CRM 2011' }, m: { host: { kind: 'exchange-server', version: '2010' }, incoming: EXS, outgoing: EXS }, verdict: 'not-supported' },
  { rule: 'R22', name: 'Dynamics CRM 4.0 on-premises', d: { kind: 'onpremises', version: '4.0' }, m: { host: { kind: 'exchange-server', version: '2010' }, incoming: EXS, outgoing: EXS }, verdict: 'not-supported' },
];

describe('supportCheck rules', () => {
  for (const c of CASES) {
    it(`${c.rule}: ${c.name} → ${c.verdict}`, () => {
      const r = verdictOf(c.d, mb(c.m), c.item);
      expect(r.verdict).toBe(c.verdict);
      expect(r.rules).toContain(c.rule);
    });
  }
  it('every rule of the table is exercised by a case', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    for (const r of SUPPORT_RULES) expect(covered.has(r.id), r.id).toBe(true);
  });
  it('every finding carries a reason and a source', () => {
    const f = verdictOf(ONPREM, mb({ host: { kind: 'exchange-server', version: '2007' }, incoming: EXS, outgoing: EXS }));
    const rep = checkMailbox(ONPREM, mb({ host: { kind: 'exchange-server', version: '2007' }, incoming: EXS, outgoing: EXS }));
    expect(f.verdict).toBe('not-supported');
    for (const x of rep.items.flatMap((i) => i.findings)) { expect(x.reason.length).toBeGreaterThan(10); expect(x.source).toMatch(/“Supported email service configurations for server-side synchronization”/); }
  });
  it('mixed online mailbox set: per-mailbox verdicts and org findings', () => {
    const rep = checkSupport({ deployment: { kind: 'online', networkInspection: true }, mailboxes: [mb({ id: 'a' }), mb({ id: 'b', host: { kind: 'pop3-imap', host: 'gmail' }, incoming: POP, outgoing: POP, items: ['email'] })] });
    expect(rep.organization.map((f) => f.rule)).toEqual(['R13']);
    expect(rep.mailboxes.map((m) => [m.mailboxId, m.verdict])).toEqual([['a', 'not-supported'], ['b', 'not-supported']]);
  });
  it('Gmail mailbox: email supported, appointments not', () => {
    const rep = checkMailbox(ONLINE, mb({ host: { kind: 'pop3-imap', host: 'gmail' }, incoming: POP, outgoing: POP }));
    expect(rep.items.map((i) => i.verdict)).toEqual(['supported', 'not-supported']);
    expect(rep.verdict).toBe('not-supported');
  });
});

describe('profileWarnings', () => {
  it('appointments over POP3 could never have been synchronized', () => {
    const w = profileWarnings({ type: 'pop3-smtp' }, ['email', 'appointments-contacts-tasks']);
    expect(w.some((x) => /Appointments.*POP3.*never/.test(x))).toBe(true);
  });
  it('no warnings for Exchange Online', () => {
    expect(profileWarnings({ type: 'exchange-online' }, ['email', 'appointments-contacts-tasks'])).toEqual([]);
  });
});

describe('parseSupportConfig', () => {
  it('names the bad path', () => {
    expect(() => parseSupportConfig({ deployment: { kind: 'cloud' }, mailboxes: [] }, 'x.json')).toThrow(/x\.json: deployment\.kind/);
    expect(() => parseSupportConfig({ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-server', version: '2000' } }] })).toThrow(/mailboxes\[0\]\.host\.version/);
  });
  it('defaults items to email and profiles to null', () => {
    const c = parseSupportConfig({ deployment: { kind: 'online' }, mailboxes: [{ id: 'a', host: { kind: 'exchange-online', tenant: 'same' } }] });
    expect(c.mailboxes[0]).toMatchObject({ items: ['email'], incoming: null, outgoing: null });
  });
});
