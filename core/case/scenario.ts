// The scenario.json of a case (SCENARIO-FORMAT.md), built from a CaseSelection. Its `expect` entries
// are the workspace's own decisions (latest run), so `scenario check` on the folder says whether the
// case reproduces; references to earlier messages become their file names. With an Anonymizer every
// address, name, id, subject and folder goes through it, the same way the message files do.

import type { Decision, DirectoryEntry, MessageFacts } from '../engine/index.js';
import type { Anonymizer } from './anonymize.js';
import type { CaseSelection } from './select.js';

export interface CaseFile { key: string; file: string }

export interface CaseScenarioInfo {
  /** Subject of the case's message as it will read in the scenario (already anonymized when asked). */
  subject: string;
  exportedAt: string;
}

const KIND_KEY: Record<DirectoryEntry['kind'], string> = { user: 'users', queue: 'queues', contact: 'contacts', account: 'accounts', lead: 'leads', record: 'records' };

export function expectOf(d: Decision, fileOf: (key: string) => string | null, map: (ref: string) => string, mapAddr: (a: string) => string): Record<string, unknown> {
  const link = (v: string | null): string | null => (v === null ? null : fileOf(v) ?? v);
  return {
    outcome: d.outcome,
    tracked: d.tracked,
    correlationMethod: d.correlationMethod,
    correlatedTo: link(d.correlatedTo),
    parent: link(d.parent),
    regarding: d.regarding === null ? null : map(d.regarding),
    acceptingEntity: d.acceptingEntity === null ? null : map(d.acceptingEntity),
    receivingMailbox: d.receivingMailbox === null ? null : mapAddr(d.receivingMailbox),
  };
}

export function buildCaseScenario(sel: CaseSelection, target: MessageFacts, files: readonly CaseFile[], anon: Anonymizer | null, info: CaseScenarioInfo): Record<string, unknown> {
  const addr = (a: string): string => (anon ? anon.address(a) : a);
  const ref = (r: string): string => (anon ? anon.ref(r) : r);
  const name = (n: string): string => (anon ? anon.name(n) : n);
  const folder = (f: string): string => (anon ? anon.folder(f) : f);
  const id = (e: { kind: DirectoryEntry['kind']; table: string; id: string }): string => (anon ? anon.refId(e.kind === 'record' ? e.table : e.kind, e.id) : e.id);
  const fileByKey = new Map(files.map((f) => [f.key, f.file]));
  const fileOf = (k: string): string | null => fileByKey.get(k) ?? null;

  const directory: Record<string, Record<string, unknown>[]> = {};
  for (const e of sel.directory) {
    const row: Record<string, unknown> = { id: id(e), name: name(e.name), emails: e.emails.map(addr) };
    if (e.kind === 'record') row.table = e.table;
    if (e.owner) row.owner = ref(e.owner);
    if (!e.active) row.active = false;
    if (e.trackingNumber !== undefined) row.trackingNumber = e.trackingNumber;
    (directory[KIND_KEY[e.kind]] ??= []).push(row);
  }
  // A mailbox owner the workspace directory lacks (e.g. an import with only --mailbox) must still be a
  // row for the scenario to be valid; a bare user with no address is what the workspace implied.
  for (const o of sel.missingOwners) {
    const [kind, ...rest] = o.split(':');
    const rawId = rest.join(':');
    const k = kind === 'queue' ? 'queue' : 'user';
    (directory[KIND_KEY[k]] ??= []).push({ id: anon ? anon.refId(k, rawId) : rawId, name: anon ? anon.name(rawId) : rawId, emails: [] });
  }

  const scenario: Record<string, unknown> = {
    title: `Case: ${info.subject || '(no subject)'}`,
    lesson: lessonOf(sel, target, info),
    organization: sel.organization,
    directory,
    mailboxes: sel.mailboxes.map((b) => ({
      owner: ref(b.owner), address: addr(b.address), filter: b.filter, processEmailsFrom: b.processEmailsFrom,
      trackedFolders: b.trackedFolders.map((f) => (f.regarding ? { folder: folder(f.folder), regarding: ref(f.regarding) } : folder(f.folder))),
      incoming: b.incoming,
    })),
    tracked: sel.tracked.map((t) => ({
      id: t.id,
      messageId: t.messageId === null ? null : anon ? `<${anon.messageId(t.messageId.replace(/^<|>$/g, ''))}>` : t.messageId,
      subject: anon ? anon.subject(t.subject) : t.subject,
      trackingToken: t.trackingToken, conversationIndex: t.conversationIndex, direction: t.direction,
      from: t.from === null ? null : addr(t.from), to: t.to.map(addr), cc: t.cc.map(addr), sentOn: t.sentOn,
      regarding: t.regarding === null ? null : ref(t.regarding),
    })),
    messages: files.map((f) => {
      const m = sel.messages.find((x) => x.key === f.key) as MessageFacts;
      return { file: f.file, mailbox: addr(m.mailbox), folder: folder(m.folder) };
    }),
    expect: files.map((f) => ({ file: f.file, ...expectOf(sel.decisions.get(f.key) as Decision, fileOf, ref, addr) })),
  };
  return scenario;
}

function lessonOf(sel: CaseSelection, target: MessageFacts, info: CaseScenarioInfo): string {
  const d = sel.decisions.get(target.key) as Decision;
  const earlier = sel.messages.length - 1;
  const parts = [
    `A message exported from a workspace on ${info.exportedAt.slice(0, 10)}: "${info.subject || '(no subject)'}" ended ${d.outcome}` +
      (d.correlationMethod !== 'None' && d.correlationMethod !== 'Skipped' ? ` by ${d.correlationMethod}` : '') + '.',
    earlier > 0 ? `It comes with the ${earlier} earlier message${earlier === 1 ? '' : 's'} its decision rests on.` : '',
    sel.tracked.length > 0 ? `${sel.tracked.length} email${sel.tracked.length === 1 ? ' was' : 's were'} already tracked.` : '',
    Object.keys(sel.organization).length ? `Settings that differ from the defaults: ${Object.keys(sel.organization).join(', ')}.` : 'Every setting has its default value.',
  ];
  return parts.filter(Boolean).join(' ');
}
