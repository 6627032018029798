// What-if between two router replays of the same sink items (e.g. the CRM 3.0 and CRM 4.0 presets):
// per message, what changed and in plain words why. Pure.

import type { RouterDecision, RouterResult } from './types.js';
import { cite } from '../sources.js';

export const COMPARED_KEYS = ['fate', 'delivered', 'correlationMethod', 'correlatedTo', 'regarding', 'acceptingEntity', 'reasonName'] as const;
export type ComparedKey = (typeof COMPARED_KEYS)[number];

export interface FieldChange { key: ComparedKey; before: unknown; after: unknown }
export interface MessageChange { key: string; changes: FieldChange[]; summary: string }
export interface RouterComparison {
  before: string;
  after: string;
  changed: MessageChange[];
  unchanged: string[];
  /** Keys present in only one of the two results (different inputs). */
  unmatched: string[];
}

function value(d: RouterDecision, k: ComparedKey): unknown {
  return k === 'reasonName' ? (d.check?.reasonName ?? null) : d[k];
}

function summarize(a: RouterDecision, b: RouterDecision, before: string, after: string): string {
  const parts: string[] = [];
  if (a.fate !== b.fate) parts.push(`${a.fate} under ${before}, ${b.fate} under ${after}`);
  if (a.correlationMethod !== b.correlationMethod) parts.push(`correlation ${a.correlationMethod} → ${b.correlationMethod}`);
  if (a.regarding !== b.regarding) parts.push(`Regarding ${a.regarding ?? '(none)'} → ${b.regarding ?? '(none)'}`);
  if ((a.check?.reasonName ?? null) !== (b.check?.reasonName ?? null)) parts.push(`ReasonCode ${a.check?.reasonName ?? '-'} → ${b.check?.reasonName ?? '-'}`);
  if (b.correlationMethod === 'SmartMatching' && a.correlationMethod !== 'SmartMatching') parts.push(`smart matching (subject and address hashes) exists only from the CRM 4.0 router on (${cite('smartMatchingBlog2008')})`);
  if (a.correlationMethod === 'SmartMatching' && b.correlationMethod !== 'SmartMatching') parts.push('smart matching is not available or switched off in the second setup');
  return parts.join('; ');
}

export function compareRouterResults(a: RouterResult, b: RouterResult): RouterComparison {
  const byKey = new Map(b.decisions.map((d) => [d.key, d]));
  const seen = new Set<string>();
  const out: RouterComparison = { before: a.era, after: b.era, changed: [], unchanged: [], unmatched: [] };
  for (const da of a.decisions) {
    const db = byKey.get(da.key);
    if (!db) { out.unmatched.push(da.key); continue; }
    seen.add(da.key);
    const changes: FieldChange[] = [];
    for (const k of COMPARED_KEYS) {
      const va = value(da, k);
      const vb = value(db, k);
      if (va !== vb) changes.push({ key: k, before: va, after: vb });
    }
    if (changes.length) out.changed.push({ key: da.key, changes, summary: summarize(da, db, a.era, b.era) });
    else out.unchanged.push(da.key);
  }
  for (const d of b.decisions) if (!seen.has(d.key)) out.unmatched.push(d.key);
  return out;
}
