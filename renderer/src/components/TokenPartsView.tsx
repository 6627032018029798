import type { TokenParts } from '../../../core/engine/index.js';

/**
 * A tracking token with each part in its own colour: prefix, designator, user number, counter.
 * With `explain`, the split is also spelled out: one digit string can be read several ways when the
 * digit settings changed over time (SIMULATOR.md §3.1), and colour alone does not show which.
 */
export function TokenPartsView({ parts, explain = false }: { parts: TokenParts; explain?: boolean }) {
  const separator = parts.token.slice(parts.prefix.length, parts.token.length - parts.designator.length - parts.userNumber.length - parts.counter.length);
  return (
    <span className="token" data-testid="token-parts" title={parts.token}>
      <span className="tp-prefix" title="prefix">{parts.prefix}</span>
      <span className="tp-sep">{separator}</span>
      <span className="tp-designator" title="designator (0 online, 1 offline)">{parts.designator}</span>
      <span className="tp-user" title="user number">{parts.userNumber}</span>
      <span className="tp-counter" title="counter">{parts.counter}</span>
      {explain && (
        <span className="token-explain muted small">
          {' '}designator {parts.designator} · user number {parts.userNumber} ({digits(parts.userNumber)}) · counter {parts.counter} (
          {digits(parts.counter)})
        </span>
      )}
    </span>
  );
}

function digits(s: string): string {
  return s.length === 1 ? '1 digit' : `${s.length} digits`;
}

export function TokenLegend() {
  return (
    <p className="legend">
      <span className="tp-prefix">prefix</span> <span className="tp-designator">designator</span>{' '}
      <span className="tp-user">user number</span> <span className="tp-counter">counter</span>
    </p>
  );
}
