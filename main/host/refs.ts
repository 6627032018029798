// Turns the ids a decision and its trace use (a message key, a tracked email's id) into what a user
// recognises: subject, sender and date. The engine's texts say "tracked email <id>"; the views replace
// each such id with its EmailRef.
import { ENTITY_MENTION, TRACKED_EMAIL_MENTION, type EmailRef } from '../../core/contract/contract.js';
import type { Decision } from '../../core/engine/index.js';
import type { Workspace } from '../../core/node/workspace/index.js';


export function idsReferredTo(decision: Decision, texts: readonly string[]): string[] {
  const ids = new Set<string>();
  if (decision.correlatedTo) ids.add(decision.correlatedTo);
  if (decision.parent) ids.add(decision.parent);
  for (const step of decision.trace) {
    const linked = step.data?.['correlatedTo'];
    if (typeof linked === 'string') ids.add(linked);
  }
  for (const text of [...decision.trace.map((s) => s.detail), ...texts]) {
    for (const m of text.matchAll(TRACKED_EMAIL_MENTION)) ids.add(m[2] as string);
  }
  return [...ids];
}

export function emailRefs(ws: Workspace, ids: readonly string[]): Record<string, EmailRef> {
  const message = ws.db.prepare('SELECT subject, from_addr, date FROM messages WHERE id = ?');
  const tracked = ws.db.prepare('SELECT subject, from_addr, sent_on FROM tracked_emails WHERE id = ?');
  const refs: Record<string, EmailRef> = {};
  for (const id of ids) {
    // A message tracked during the replay is named by its message key (digits); tracked emails loaded
    // before the replay by their own id, which may also be digits: the tracked table is asked second.
    const m = /^\d{1,15}$/.test(id)
      ? (message.get(Number(id)) as { subject: string; from_addr: string | null; date: string | null } | undefined)
      : undefined;
    if (m) {
      refs[id] = { id, kind: 'message', subject: m.subject, from: m.from_addr, date: m.date };
      continue;
    }
    const t = tracked.get(id) as { subject: string; from_addr: string | null; sent_on: string } | undefined;
    if (t) refs[id] = { id, kind: 'tracked', subject: t.subject, from: t.from_addr, date: t.sent_on };
  }
  return refs;
}

/** Every directory reference a decision and its texts name. */
export function entitiesReferredTo(decision: Decision, texts: readonly string[]): string[] {
  const refs = new Set<string>();
  for (const r of [decision.acceptingEntity, decision.sender, decision.regarding]) if (r) refs.add(r);
  for (const text of [...decision.trace.map((s) => s.detail), ...texts]) for (const m of text.matchAll(ENTITY_MENTION)) refs.add(m[0]);
  return [...refs];
}

/** "Alice Ray (user)" for each entity reference the directory holds. */
export function entityNames(ws: Workspace, refs: readonly (string | null)[]): Record<string, string> {
  const row = ws.db.prepare('SELECT name, kind, table_name FROM directory_entries WHERE ref = ?');
  const names: Record<string, string> = {};
  for (const ref of refs) {
    if (!ref || names[ref]) continue;
    const r = row.get(ref) as { name: string; kind: string; table_name: string } | undefined;
    if (r) names[ref] = `${r.name} (${r.kind === 'record' ? r.table_name : r.kind})`;
  }
  return names;
}
