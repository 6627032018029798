// Stage results shared between messages (core/engine/replay/stageMemo.ts): a replay resolves each distinct
// sender, recipient list, folder and acceptance once and shares the result. These tests check that a
// shared result is exactly what the message would have got on its own, and that a message using a
// shared result still counts as having read the settings behind it (the reuse of decisions rests on it).
import { describe, expect, it } from 'vitest';
import { replay, ReplayCache } from '../../../core/engine/replay/replay.js';
import type { Decision, ReplayInput } from '../../../core/engine/model/types.js';
import { DIR, entry, input, mailbox, msg } from './helpers.js';

/** The decisions as JSON (what a caller serialises), one per message. */
const json = (ds: Decision[]): string[] => ds.map((d) => JSON.stringify(d));

/** Each decision as JSON by key, without its position in the processing order (#n differs when alone). */
function byKey(ds: Decision[]): Map<string, string> {
  return new Map(ds.map((d) => [d.key, JSON.stringify(d).replace(/Processed as #\d+/, 'Processed as #n')]));
}

/** A replay of every message alone (nothing shared between messages) for comparison. */
function oneByOne(inp: ReplayInput): Map<string, string> {
  return byKey(inp.messages.map((m) => replay({ ...inp, messages: [m] }).decisions[0] as Decision));
}

// Messages that are independent of each other (no correlation), so each one alone must decide the same.
function independent(): ReplayInput {
  const dir = [
    ...DIR,
    entry('contact', 'carla', ['carla@fabrikam.com'], { owner: 'user:alice' }),
    entry('account', 'carla2', ['carla@fabrikam.com'], { owner: 'user:bob' }),
    entry('user', 'dan', ['dan@contoso.com'], { active: false }),
    entry('user', 'erin', ['erin@contoso.com']),
  ];
  const mailboxes = [mailbox('user:alice', 'alice@contoso.com', 2, { trackedFolders: [{ folder: 'Inbox/Deals', regarding: 'account:deals' }] }), mailbox('user:erin', 'erin@contoso.com', 0)];
  const messages = [
    msg({ key: 'a1', subject: 'one', from: 'carla@fabrikam.com', to: ['alice@contoso.com', 'erin@contoso.com'] }),
    msg({ key: 'a2', subject: 'two', from: 'carla@fabrikam.com', to: ['alice@contoso.com', 'erin@contoso.com'] }),
    msg({ key: 'a3', subject: 'three', from: 'carla@fabrikam.com', to: ['alice@contoso.com', 'erin@contoso.com'], mailbox: 'erin@contoso.com' }),
    msg({ key: 'a4', subject: 'four', from: 'dan@contoso.com', to: ['alice@contoso.com'] }),
    msg({ key: 'a5', subject: 'five', from: 'dan@contoso.com', to: ['alice@contoso.com'] }),
    msg({ key: 'a6', subject: 'six', from: 'bob@fabrikam.com', to: ['alice@contoso.com'], folder: 'Inbox/Deals' }),
    msg({ key: 'a7', subject: 'seven', from: 'bob@fabrikam.com', to: ['alice@contoso.com'], folder: 'Inbox/Deals' }),
    msg({ key: 'a8', subject: 'eight', from: 'bob@fabrikam.com', to: ['alice@contoso.com'], folder: 'Sent Items' }),
    msg({ key: 'a9', subject: 'nine', from: 'bob@fabrikam.com', to: ['alice@contoso.com'], folder: 'Sent Items' }),
    msg({ key: 'a10', subject: 'ten', from: null, to: [] }),
    msg({ key: 'a11', subject: 'eleven', from: null, to: [] }),
  ];
  return input(messages, { directory: dir, mailboxes, settings: { AutoTrackSentFolderItems: true } });
}

describe('stage results shared between the messages of a replay', () => {
  it('each message decides exactly as it would alone, under several settings', () => {
    const base = independent();
    for (const over of [{}, { UnresolveSenderInCaseOfMultipleMatch: true }, { ResolveForInactiveEntities: true }, { AutoTrackSentFolderItems: false }, { ignoreinternalemail: true }, { SSSForceFilteringMethodForUserMailboxes: 0 }]) {
      const inp = { ...base, settings: { ...base.settings, ...over } };
      expect(byKey(replay(inp).decisions)).toEqual(oneByOne(inp));
    }
  });

  it('the same sender in two mailboxes is resolved for each mailbox owner', () => {
    const d = replay(independent()).decisions;
    const byKey = new Map(d.map((x) => [x.key, x]));
    // carla@ is a contact owned by alice and an account owned by bob: alice's mailbox picks the row alice owns.
    expect(byKey.get('a1')?.sender).toBe('contact:carla');
    expect(byKey.get('a3')?.sender).toBe('contact:carla');
    expect(byKey.get('a3')?.receivingMailbox).toBe('erin@contoso.com');
    expect(byKey.get('a1')?.receivingMailbox).toBe('alice@contoso.com');
  });

  it('a message that used a shared result still counts as having read its settings', () => {
    // The second message from carla@ gets the first one's sender resolution. Turning on
    // UnresolveSenderInCaseOfMultipleMatch must redo both (a re-replay that reused the second would keep
    // the old sender), exactly as a fresh replay does.
    const inp = independent();
    const cache = new ReplayCache();
    const first = replay(inp, cache);
    const changed = { ...inp, settings: { ...inp.settings, UnresolveSenderInCaseOfMultipleMatch: true } };
    const again = replay(changed, cache);
    expect(json(again.decisions)).toEqual(json(replay(changed).decisions));
    const a2 = again.decisions.find((x) => x.key === 'a2');
    expect(a2?.sender).toBeNull();
    expect(a2).not.toBe(first.decisions.find((x) => x.key === 'a2'));
    // ...while a message from an address with one row keeps its decision object (nothing it read changed).
    const a6 = again.decisions.find((x) => x.key === 'a6');
    expect(a6).toBe(first.decisions.find((x) => x.key === 'a6'));
  });

  it('shared steps and empty lists are frozen, so no caller can change another decision through them', () => {
    const d = replay(independent()).decisions;
    const a1 = d.find((x) => x.key === 'a1') as Decision;
    const a2 = d.find((x) => x.key === 'a2') as Decision;
    const resolve1 = a1.trace.find((t) => t.stage === 'Resolve');
    const resolve2 = a2.trace.find((t) => t.stage === 'Resolve');
    expect(resolve1).toBe(resolve2);
    expect(JSON.stringify(resolve1)).toContain('carla@fabrikam.com');
    expect(Object.isFrozen(resolve1)).toBe(true);
    expect(() => (resolve1 as { detail: string }).detail = 'changed').toThrow(TypeError);
    expect(Object.isFrozen((resolve1?.data as { matches: string[] }).matches)).toBe(true);
    const accept1 = a1.trace.find((t) => t.stage === 'Accept');
    expect(accept1).toBe(a2.trace.find((t) => t.stage === 'Accept'));
    expect(Object.isFrozen(accept1)).toBe(true);
    const stoppedEarly = d.find((x) => x.key === 'a10') as Decision;
    expect(stoppedEarly.subjectHashes).toEqual([]);
    expect(Object.isFrozen(stoppedEarly.subjectHashes)).toBe(true);
  });
});
