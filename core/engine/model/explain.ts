// A decision's trace as prose paragraphs (CLI `explain` and the app).

import type { Decision } from './types.js';

const STAGE_TITLES: Record<string, string> = {
  Order: 'Order', Mailbox: 'Before stage 1 — Mailbox', Folder: '1 Folder', StartDate: '2 Start date', Format: '3 Format', Duplicate: '4 Duplicate',
  Resolve: '5 Resolve', Accept: '6 Accept', Correlate: '7 Correlate', Record: '8 Record',
};

/** `name` is how the message is introduced (the app passes its subject; the CLI its key). */
export function explainDecision(d: Decision, name: string = d.key): string[] {
  const head = `${name}: ${d.outcome}${d.tracked ? ' (tracked)' : ' (not tracked)'}, correlation method ${d.correlationMethod} (${d.correlationMethodCode}).`;
  const paras = [head];
  for (const t of d.trace) {
    const extra: string[] = [];
    if (t.settings && t.settings.length) extra.push(`Settings that decided this: ${t.settings.join(', ')}.`);
    if (t.undocumented) extra.push('This rests on an undocumented default of the simulator (SIMULATOR.md), not on a Microsoft source.');
    paras.push(`${STAGE_TITLES[t.stage] ?? t.stage} — ${t.result}. ${t.detail}${extra.length ? ' ' + extra.join(' ') : ''}`);
  }
  if (d.flags.length) paras.push(`Flags: ${d.flags.join(', ')}.`);
  return paras;
}
