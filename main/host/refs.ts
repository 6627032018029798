// Turns the ids a decision and its trace use (a message key, a tracked email's id) into what a user
// recognises: subject, sender and date. The engine's texts say "tracked email <id>"; the views replace
// each such id with its EmailRef.
import { ENTITY_MENTION, TRACKED_EMAIL_MENTION } from '../../core/contract/contract.js';
import type { Decision } from '../../core/engine/index.js';
// The lookups themselves are SQL and live with the workspace (core/node/workspace/emailRefs.ts).
export { emailRefs, entityNames } from '../../core/node/workspace/emailRefs.js';

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

/** Every directory reference a decision and its texts name. */
export function entitiesReferredTo(decision: Decision, texts: readonly string[]): string[] {
  const refs = new Set<string>();
  for (const r of [decision.acceptingEntity, decision.sender, decision.regarding]) if (r) refs.add(r);
  for (const text of [...decision.trace.map((s) => s.detail), ...texts]) for (const m of text.matchAll(ENTITY_MENTION)) refs.add(m[0]);
  return [...refs];
}
