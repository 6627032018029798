import type { SweepResult } from '../../../../core/contract/contract.js';

const W = 460;
const H = 340;
const PAD = { left: 56, right: 16, top: 16, bottom: 44 };

/** Axis range around the values, padded, never beyond 0–1 (precision and recall are ratios). */
function range(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.02, (hi - lo) * 0.1);
  return [Math.max(0, lo - pad), Math.min(1, hi + pad)];
}

function ticks([lo, hi]: [number, number]): number[] {
  const step = hi - lo > 0.5 ? 0.1 : hi - lo > 0.2 ? 0.05 : hi - lo > 0.08 ? 0.02 : 0.01;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(4)));
  return out;
}

/**
 * Precision (up) against recall (right), one mark per point: Pareto points filled and joined by the
 * front line, the recommended one as a star, the baseline as a square. Hand-written SVG (no chart
 * dependency); colours come from the theme variables so both themes read well.
 */
export function SweepChart({ result, highlight, onHighlight }: { result: SweepResult; highlight: number | null; onHighlight: (id: number | null) => void }) {
  const base = result.baseline.metrics;
  const xr = range([...result.points.map((p) => p.metrics.recall), base.recall]);
  const yr = range([...result.points.map((p) => p.metrics.precision), base.precision]);
  const x = (v: number): number => PAD.left + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - ((v - yr[0]) / (yr[1] - yr[0] || 1)) * (H - PAD.top - PAD.bottom);
  const front = result.points.filter((p) => p.pareto).sort((a, b) => a.metrics.recall - b.metrics.recall);
  const star = (cx: number, cy: number, r: number): string =>
    Array.from({ length: 10 }, (_, i) => {
      const a = (Math.PI / 5) * i - Math.PI / 2;
      const rr = i % 2 === 0 ? r : r * 0.45;
      return `${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`;
    }).join(' ');
  return (
    <figure className="sweep-chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby="sweep-chart-title" data-testid="sweep-chart">
        <title id="sweep-chart-title">Precision against recall for {result.points.length} settings; Pareto points filled, the recommended one a star, the baseline a square</title>
        {ticks(xr).map((t) => (
          <g key={`x${t}`}>
            <line className="grid-line" x1={x(t)} x2={x(t)} y1={PAD.top} y2={H - PAD.bottom} />
            <text className="axis-text" x={x(t)} y={H - PAD.bottom + 16} textAnchor="middle">{(t * 100).toFixed(0)}%</text>
          </g>
        ))}
        {ticks(yr).map((t) => (
          <g key={`y${t}`}>
            <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text className="axis-text" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">{(t * 100).toFixed(0)}%</text>
          </g>
        ))}
        <text className="axis-label" x={(PAD.left + W - PAD.right) / 2} y={H - 8} textAnchor="middle">recall →</text>
        <text className="axis-label" transform={`translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)`} textAnchor="middle">precision →</text>
        {front.length > 1 && <polyline className="pareto-line" points={front.map((p) => `${x(p.metrics.recall)},${y(p.metrics.precision)}`).join(' ')} />}
        <rect className="baseline-mark" x={x(base.recall) - 5} y={y(base.precision) - 5} width={10} height={10} data-testid="sweep-chart-baseline">
          <title>baseline: precision {(base.precision * 100).toFixed(1)}%, recall {(base.recall * 100).toFixed(1)}%</title>
        </rect>
        {/* pointId 0 = no point beats today's settings: the star goes on the baseline. */}
        {result.recommendation?.pointId === 0 && (
          <polygon className="recommended-mark" points={star(x(base.recall), y(base.precision), 11)} data-testid="sweep-point-recommended">
            <title>recommended: keep the baseline</title>
          </polygon>
        )}
        {/* The recommended point is drawn last so a point at the same spot cannot hide its star. */}
        {[...result.points].sort((a, b) => Number(a.recommended) - Number(b.recommended) || Number(a.pareto) - Number(b.pareto)).map((p) => {
          const cx = x(p.metrics.recall);
          const cy = y(p.metrics.precision);
          const cls = `point${p.pareto ? ' pareto' : ''}${highlight === p.id ? ' highlight' : ''}`;
          const label = `point ${p.id} ${p.label}: precision ${(p.metrics.precision * 100).toFixed(1)}%, recall ${(p.metrics.recall * 100).toFixed(1)}%${p.pareto ? ', Pareto' : ''}${p.recommended ? ', recommended' : ''}`;
          return (
            <g key={p.id} className={cls} tabIndex={0} aria-label={label} onMouseEnter={() => onHighlight(p.id)} onMouseLeave={() => onHighlight(null)} onFocus={() => onHighlight(p.id)} onBlur={() => onHighlight(null)} data-testid={p.pareto ? 'sweep-point-pareto' : 'sweep-point'}>
              <title>{label}</title>
              {p.recommended ? <polygon className="recommended-mark" points={star(cx, cy, 11)} data-testid="sweep-point-recommended" /> : <circle cx={cx} cy={cy} r={p.pareto ? 5.5 : 4.5} />}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend small">
        <span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4.5" className="legend-point" /></svg> point</span>
        <span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" className="legend-pareto" /></svg> Pareto (no point beats it on both)</span>
        <span>★ recommended</span>
        <span><svg width="12" height="12" aria-hidden="true"><rect x="1" y="1" width="10" height="10" className="baseline-mark" /></svg> baseline</span>
      </figcaption>
    </figure>
  );
}
