// The prose explanation names each stage, the deciding settings and undocumented defaults.
import { describe, expect, it } from 'vitest';
import { replay } from '../../../core/engine/replay/replay.js';
import { explainDecision } from '../../../core/engine/model/explain.js';
import { input, msg, tracked } from './helpers.js';

describe('explainDecision', () => {
  it('turns every trace step into a paragraph and flags undocumented defaults', () => {
    const t = [tracked('a', { trackingToken: 'CRM:0001005', sentOn: '2024-01-01T00:00:00Z' }), tracked('b', { trackingToken: 'CRM:0001005', sentOn: '2024-02-01T00:00:00Z' })];
    const d = replay(input([msg({ key: 'r', subject: 'RE: x CRM:0001005' })], { tracked: t })).decisions[0]!;
    const paras = explainDecision(d);
    expect(paras[0]).toContain('CorrelationMatch');
    expect(paras).toHaveLength(1 + d.trace.length);
    const corr = paras.find((p) => p.startsWith('7 Correlate'))!;
    expect(corr).toContain('the most recent, b, wins');
    expect(corr).toContain('undocumented default');
  });
  it('names the setting that stopped a message', () => {
    const d = replay(input([msg({ key: 'r', from: 'alice@contoso.com' })], { settings: { ignoreinternalemail: true } })).decisions[0]!;
    expect(explainDecision(d).join('\n')).toMatch(/Settings that decided this: ignoreinternalemail/);
  });
});
