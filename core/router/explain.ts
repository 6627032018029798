// A router decision's trace as prose paragraphs (CLI `router run` and the app), like the engine's
// explainDecision.

import type { RouterDecision } from './types.js';

const STAGE_TITLES: Record<string, string> = {
  Receive: '1 Receive', Unwrap: '2 Unwrap', Check: '3 Check (CheckIncomingEmail)', Deliver: '4 Deliver (DeliverIncomingEmail)', Sink: '5 Sink mailbox',
};

export function routerHeadline(d: RouterDecision): string {
  const check = d.check ? `ShouldDeliver ${d.check.shouldDeliver}, ReasonCode ${d.check.reasonCode} ${d.check.reasonName}` : 'never checked';
  return `${d.key}: ${d.fate} (${d.forward} forward${d.forward === 'direct' ? ' — sent directly' : ''}; ${check}; correlation ${d.correlationMethod}${d.correlatedTo ? ` → ${d.correlatedTo}` : ''})${d.undeliverableReason ? ` — ${d.undeliverableReason}` : ''}`;
}

export function explainRouterDecision(d: RouterDecision): string[] {
  const paras = [routerHeadline(d) + '.'];
  for (const t of d.trace) {
    const extra: string[] = [];
    if (t.settings && t.settings.length) extra.push(`Settings that decided this: ${t.settings.join(', ')}.`);
    if (t.undocumented) extra.push('This rests on an undocumented assumption of the simulator, not on a Microsoft source.');
    paras.push(`${STAGE_TITLES[t.stage] ?? t.stage} — ${t.result}. ${t.detail}${extra.length ? ' ' + extra.join(' ') : ''}`);
  }
  if (d.flags.length) paras.push(`Flags: ${d.flags.join(', ')}.`);
  return paras;
}
