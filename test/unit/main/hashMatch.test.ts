// The Hash match view's near-miss list: tracked emails ranked by how close smart matching came, each with
// what it misses by. Expected values are worked out by hand from SIMULATOR.md §3.2 (default
// HashFilterKeywords strips a leading "RE: "; subject rule B with hashdeltasubjectcount 0; at least
// hashminaddresscount = 2 shared addresses), never from running the code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageListResult, NearMissView } from '../../../core/contract/contract.js';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/engine/model/settings.js';
import { createHost, type Host } from '../../../main/host/host.js';
import { nearMisses, smartMatchingNote, type CandidateEmail, type MessageSide } from '../../../main/host/hashMatch.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-05-10T09:00:00Z');
const ON: Settings = { ...DEFAULT_SETTINGS, enablesmartmatching: true };

const message: MessageSide = {
  subject: 'RE: Printer keeps jamming',
  from: 'bob@fabrikam.com',
  to: ['alice@contoso.com'],
  cc: ['carol@fabrikam.com'],
  time: NOW,
};

function tracked(id: string, subject: string, from: string, to: string[], cc: string[] = [], daysBefore = 3): CandidateEmail {
  const time = NOW - daysBefore * DAY;
  return { id, kind: 'tracked', origin: 'before replay', subject, from, to, cc, date: new Date(time).toISOString(), time, seq: -1 };
}

// The message's words are printer, keeps, jamming (3); its addresses bob, alice, carol (3).
const addressMiss = tracked('addr', 'Printer keeps jamming', 'alice@contoso.com', ['dave@northwind.com']); // same 3 words; shares alice only
const deltaMiss = tracked('delta', 'Printer keeps jamming again', 'alice@contoso.com', ['bob@fabrikam.com'], ['carol@fabrikam.com']); // 4 words vs 3; shares all 3 addresses
const bothMiss = tracked('both', 'Printer jamming', 'dave@northwind.com', ['alice@contoso.com']); // 2 words vs 3; shares alice only
const unrelated = tracked('none', 'Lunch on Friday', 'erin@example.com', ['frank@example.org']); // shares nothing
const match = tracked('match', 'Printer keeps jamming', 'alice@contoso.com', ['bob@fabrikam.com'], [], 200); // same words, alice and bob

const texts = (r: { criteria: { ok: boolean; text: string }[] }) => r.criteria.map((c) => `${c.ok ? '✔' : '✘'} ${c.text}`);

describe('near-miss ranking (SIMULATOR §3.2)', () => {
  it('ranks by fewest failing conditions, then most shared hashes, and leaves out what shares nothing', () => {
    const r = nearMisses(message, [unrelated, bothMiss, addressMiss, deltaMiss, match], ON);
    expect(r.words).toEqual(['printer', 'keeps', 'jamming']);
    expect(r.addresses).toEqual(['bob@fabrikam.com', 'alice@contoso.com', 'carol@fabrikam.com']);
    expect(r.sharing).toBe(4);
    expect(r.nearest.map((x) => x.id)).toEqual(['match', 'delta', 'addr', 'both']);
    expect(r.nearest.map((x) => x.failing)).toEqual([0, 1, 1, 2]);
    // match: 3 words + alice, bob = 5; delta: 3 + 3 = 6; addr: 3 + alice = 4; both: printer, jamming + alice = 3.
    expect(r.nearest.map((x) => x.sharedHashes)).toEqual([5, 6, 4, 3]);
  });

  it('says what each misses by: the address threshold, or subject rule B’s delta', () => {
    const r = nearMisses(message, [bothMiss, addressMiss, deltaMiss, match], ON);
    const by = Object.fromEntries(r.nearest.map((x) => [x.id, x]));
    expect(texts(by['match']!)).toEqual(['✔ subject rule B: the same 3 subject words', '✔ 2 shared addresses, 2 needed']);
    expect(texts(by['addr']!)).toEqual(['✔ subject rule B: the same 3 subject words', '✘ 2 shared addresses needed, 1 shared']);
    expect(texts(by['delta']!)).toEqual(['✘ subject rule B: 1 subject word differs (delta 0)', '✔ 3 shared addresses, 2 needed']);
    expect(texts(by['both']!)).toEqual(['✘ subject rule B: 1 subject word differs (delta 0)', '✘ 2 shared addresses needed, 1 shared']);
    expect(by['delta']!.sharedWords).toEqual(['printer', 'keeps', 'jamming']);
    expect(by['addr']!.sharedAddresses).toEqual(['alice@contoso.com']);
    expect(by['both']!.sharedWords).toEqual(['printer', 'jamming']);
    expect(by['delta']!.criteria.map((c) => c.setting)).toEqual(['hashdeltasubjectcount', 'hashminaddresscount']);
  });

  it('with a delta of 1, four words against three pass rule B', () => {
    const r = nearMisses(message, [deltaMiss], { ...ON, hashdeltasubjectcount: 1 });
    expect(r.nearest[0]?.failing).toBe(0);
    expect(texts(r.nearest[0]!)[0]).toBe('✔ subject rule B: 3 shared, counts 3 vs 4 (delta 1)');
  });

  it('a subject of the same length with one other word misses rule B by the shorter subject’s words', () => {
    const q4 = tracked('q4', 'Printer keeps beeping', 'alice@contoso.com', ['bob@fabrikam.com']);
    expect(texts(nearMisses(message, [q4], ON).nearest[0]!)[0]).toBe('✘ subject rule B: 1 word of the shorter subject is not in the other (delta 0)');
  });

  it('words rules A and C by their own thresholds', () => {
    const a = nearMisses(message, [bothMiss], { ...ON, simSmartMatchingSubjectRule: 'A' });
    expect(texts(a.nearest[0]!)[0]).toBe('✘ subject rule A: 3 vs 2 subject words, counts differ by 1 (delta 0)');
    // Rule C: shared (3) must reach the larger count (4) minus the delta (0).
    const c = nearMisses(message, [deltaMiss], { ...ON, simSmartMatchingSubjectRule: 'C' });
    expect(texts(c.nearest[0]!)[0]).toBe('✘ subject rule C: 3 shared subject words, 4 needed (delta 0)');
  });

  it('adds the window when one is set: 200 days back is outside 90 days', () => {
    const r = nearMisses(message, [match, addressMiss], { ...ON, simSmartMatchingWindowDays: 90 });
    const m = r.nearest.find((x) => x.id === 'match')!;
    expect(m.failing).toBe(1);
    expect(texts(m)[2]).toBe('✘ tracked 200 days before the message, outside the 90-day window');
    expect(texts(r.nearest.find((x) => x.id === 'addr')!)[2]).toBe('✔ within the 90-day window');
  });

  it('a HashFilterKeywords regex that cannot be used leaves no subject hashes', () => {
    const r = nearMisses(message, [match], { ...ON, hashfilterkeywords: '(RE' });
    expect(r.error).toMatch(/HashFilterKeywords/);
    expect(r.nearest[0]?.criteria[0]).toMatchObject({ ok: false, setting: 'hashfilterkeywords' });
  });

  it('says when smart matching would not have been tried', () => {
    expect(smartMatchingNote(DEFAULT_SETTINGS, { outcome: 'NoCorrelationMatch', correlationMethod: 'None' })).toMatch(/off in this run \(enablesmartmatching is off\), so the engine would not have tried it/);
    expect(smartMatchingNote({ ...ON, DisableSmartMatching: true }, null)).toMatch(/DisableSmartMatching is on/);
    expect(smartMatchingNote(ON, { outcome: 'CorrelationMatch', correlationMethod: 'InReplyTo' })).toMatch(/correlated by InReplyTo before smart matching/);
    expect(smartMatchingNote(ON, { outcome: 'NoCorrelationMatch', correlationMethod: 'None' })).toBeNull();
    expect(smartMatchingNote(DEFAULT_SETTINGS, null, false)).toMatch(/^No replay has run yet: .*smart matching off: enablesmartmatching is off/);
  });
});

describe('hash.nearMisses on the training workspace', () => {
  let tmp: string;
  let host: Host;
  beforeAll(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'synclens-nearmiss-')));
    host = createHost({ sampleWorkspaceDir: path.join(tmp, 'sample'), scenariosDir: path.resolve(import.meta.dirname, '../../../assets/scenarios'), allowedRoots: [tmp] });
    expect((await host.invoke('workspace.openSample', {})).ok).toBe(true);
  }, 120_000);
  afterAll(() => {
    host.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const keyOf = async (subject: string): Promise<string> => {
    const r = await host.invoke('messages.list', { filter: { text: subject }, offset: 0, limit: 50 });
    const row = (r as { ok: true; value: MessageListResult }).value.rows.find((x) => x.subject === subject);
    if (!row) throw new Error(`no message “${subject}” in the sample`);
    return row.key;
  };

  it('lists the tracked “New hire onboarding” emails for the unmatched reply, and says smart matching is off', async () => {
    // Scenarios 06 and 08 track "New hire onboarding" from Alice to Bob, Cc Carol; the reply from Bob to
    // Alice, Cc Carol, has no In-Reply-To, token or Thread-Index. The sample replays with the defaults
    // (smart matching off), so the reply is refused by Alice's filter 1 (NoCorrelationMatch, scenario 08).
    const key = await keyOf('RE: New hire onboarding');
    const r = await host.invoke('hash.nearMisses', { key });
    expect(r.ok).toBe(true);
    const v = (r as { ok: true; value: NearMissView }).value;
    expect(v.message.outcome).toBe('NoCorrelationMatch');
    expect(v.smartMatchingOn).toBe(false);
    expect(v.note).toMatch(/would not have tried/);
    expect(v.messageWords).toEqual(['new', 'hire', 'onboarding']);
    const top = v.nearest.slice(0, 2);
    expect(top.map((x) => [x.subject, x.from, x.failing])).toEqual([
      ['New hire onboarding', 'alice@contoso.com', 0],
      ['New hire onboarding', 'alice@contoso.com', 0],
    ]);
    expect(texts(top[0]!)).toEqual(['✔ subject rule B: the same 3 subject words', '✔ 3 shared addresses, 2 needed']);
    expect(v.nearest[2]?.failing ?? 1).toBeGreaterThan(0);
    // Searching by subject finds the same emails; the selected one is described for the comparison.
    const s = await host.invoke('hash.nearMisses', { key, text: 'new hire onboarding', candidateId: top[0]!.id });
    const sv = (s as { ok: true; value: NearMissView }).value;
    expect(sv.search?.filter((x) => x.subject === 'New hire onboarding').length).toBe(2);
    expect(sv.selected?.subject).toBe('New hire onboarding');
  });

  it('with smart matching on, no message left NoCorrelationMatch has a tracked email meeting every condition', async () => {
    // SIMULATOR §3/§4: with method 4 on, a message refused by filter 1 found no tracked email with a matching
    // subject and enough shared addresses, so none of its near misses can meet every condition.
    expect((await host.invoke('settings.save', { name: 'Smart on', settings: { ...DEFAULT_SETTINGS, enablesmartmatching: true } })).ok).toBe(true);
    expect((await host.invoke('replay.run', { profile: 'Smart on' })).ok).toBe(true);
    const list = await host.invoke('messages.list', { filter: { outcomes: ['NoCorrelationMatch'] }, offset: 0, limit: 500 });
    const rows = (list as { ok: true; value: MessageListResult }).value.rows;
    expect(rows.length).toBeGreaterThan(0);
    let listed = 0;
    for (const row of rows) {
      const r = await host.invoke('hash.nearMisses', { key: row.key });
      const v = (r as { ok: true; value: NearMissView }).value;
      expect(v.smartMatchingOn).toBe(true);
      expect(v.note).toBeNull();
      expect(v.nearest.filter((x) => x.failing === 0).map((x) => x.subject)).toEqual([]);
      listed += v.nearest.length;
    }
    expect(listed).toBeGreaterThan(0);
  });

  it('refuses an unknown message with a sentence, not a stack', async () => {
    const r = await host.invoke('hash.nearMisses', { key: '99999999' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
