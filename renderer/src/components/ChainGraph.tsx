import dagre from '@dagrejs/dagre';
import { useMemo, useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import type { ChainGraph as Chain, ChainNode } from '../../../core/contract/contract.js';

const NODE_W = 220;
const NODE_H = 58;

interface Laid {
  nodes: (ChainNode & { x: number; y: number })[];
  edges: { key: string; points: { x: number; y: number }[]; label: string; parent: boolean; onSelectedPath: boolean }[];
  width: number;
  height: number;
}

function layout(graph: Chain): Laid {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  graph.edges.forEach((e, i) => {
    // An edge whose ends are not in the node list would make dagre invent a node; skip it.
    // Oldest first: the tracked email (root) at the top, replies below it.
    if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, { width: 116, height: 18, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const nodes = graph.nodes.map((n) => {
    const p = g.node(n.id);
    return { ...n, x: p?.x ?? 0, y: p?.y ?? 0 };
  });
  const edges = graph.edges.flatMap((e, i) => {
    const laid = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points?: { x: number; y: number }[] } | undefined;
    if (!laid?.points) return [];
    return [{ key: `e${i}`, points: laid.points, label: e.method, parent: e.parent, onSelectedPath: e.onSelectedPath }];
  });
  const info = g.graph();
  return { nodes, edges, width: Math.max(info.width ?? 0, 200), height: Math.max(info.height ?? 0, 100) };
}

/** Smallest view box the drawing is shown in: a small chain stays at natural size, centred, not blown up. */
const MIN_VIEW = { w: 1100, h: 520 };

type Box = { x: number; y: number; w: number; h: number };

function fit(laid: Laid): Box {
  const w = Math.max(laid.width, MIN_VIEW.w);
  const h = Math.max(laid.height, MIN_VIEW.h);
  return { x: (laid.width - w) / 2, y: (laid.height - h) / 2, w, h };
}

/** Past this many emails the whole drawing shrinks below reading size: open on the selected one instead. */
const FIT_ALL_UP_TO = 40;

function selectedNode(laid: Laid) {
  return laid.nodes.find((n) => n.selected) ?? null;
}

/** The same zoom, moved so the selected email is in the middle. */
function centreOn(laid: Laid, box: Box): Box {
  const s = selectedNode(laid);
  return s ? { ...box, x: s.x - box.w / 2, y: s.y - box.h / 2 } : box;
}

function initialView(laid: Laid): Box {
  return laid.nodes.length > FIT_ALL_UP_TO ? centreOn(laid, { x: 0, y: 0, w: MIN_VIEW.w, h: MIN_VIEW.h }) : fit(laid);
}

function mid(points: { x: number; y: number }[]) {
  return points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
}

/** The correlation chain drawn with SVG; drag to pan, wheel or buttons to zoom, click a node to open it. */
export function ChainGraphView({ graph, onOpen }: { graph: Chain; onOpen: (node: ChainNode) => void }) {
  const laid = useMemo(() => layout(graph), [graph]);
  const [view, setView] = useState(() => initialView(laid));
  const [laidFor, setLaidFor] = useState(laid);
  if (laidFor !== laid) {
    setLaidFor(laid);
    setView(initialView(laid));
  }
  const drag = useRef<{ x: number; y: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);

  /** Zooms around the selected email while it is in sight (it stays put on screen), else around the middle. */
  function zoom(factor: number) {
    setView((v) => {
      const w = v.w * factor;
      const h = v.h * factor;
      const s = selectedNode(laid);
      const inSight = s && s.x >= v.x && s.x <= v.x + v.w && s.y >= v.y && s.y <= v.y + v.h;
      const ax = inSight ? s.x : v.x + v.w / 2;
      const ay = inSight ? s.y : v.y + v.h / 2;
      return { x: ax - (ax - v.x) * factor, y: ay - (ay - v.y) * factor, w, h };
    });
  }
  function onWheel(e: WheelEvent<SVGSVGElement>) {
    zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15);
  }
  function onPointerDown(e: PointerEvent<SVGSVGElement>) {
    if ((e.target as Element).closest('.chain-node')) return;
    drag.current = { x: e.clientX, y: e.clientY };
    svgRef.current?.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    if (!drag.current || !svgRef.current) return;
    const scale = view.w / svgRef.current.clientWidth;
    const dx = (e.clientX - drag.current.x) * scale;
    const dy = (e.clientY - drag.current.y) * scale;
    drag.current = { x: e.clientX, y: e.clientY };
    setView((v) => ({ ...v, x: v.x - dx, y: v.y - dy }));
  }

  return (
    <div className="chain">
      <div className="toolbar" role="toolbar" aria-label="Zoom">
        <button type="button" onClick={() => zoom(1 / 1.25)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom out">−</button>
        <button type="button" onClick={() => setView(fit(laid))}>Fit</button>
        <button type="button" onClick={() => setView((v) => centreOn(laid, v))} data-testid="chain-centre">Selected</button>
        <span className="legend">
          <svg width="40" height="10" aria-hidden="true"><line x1="0" y1="5" x2="40" y2="5" className="edge-line parent" /></svg> parent
          <svg width="40" height="10" aria-hidden="true"><line x1="0" y1="5" x2="40" y2="5" className="edge-line correlated" /></svg> correlated only
          <span className="swatch tracked" /> tracked email <span className="swatch message" /> message
        </span>
      </div>
      <svg
        ref={svgRef}
        className="chain-svg"
        data-testid="chain-graph"
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        preserveAspectRatio="xMidYMid meet"
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        role="img"
        aria-label="Correlation chain"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
          </marker>
        </defs>
        {laid.edges.map((e) => {
          const m = mid(e.points);
          return (
            <g key={e.key} className={`chain-edge${e.onSelectedPath ? ' on-path' : ''}`} data-testid="chain-edge">
              <polyline
                points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
                className={`edge-line ${e.parent ? 'parent' : 'correlated'}`}
                markerEnd="url(#arrow)"
              />
              <rect x={m.x - 58} y={m.y - 9} width={116} height={18} rx={4} className="edge-label-bg" />
              <text x={m.x} y={m.y + 4} textAnchor="middle" className="edge-label">{e.label}</text>
            </g>
          );
        })}
        {laid.nodes.map((n) => (
          <g
            key={n.id}
            className={`chain-node ${n.kind}${n.selected ? ' selected' : ''}`}
            transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}
            tabIndex={0}
            role="button"
            aria-label={`${n.kind} ${n.label}: ${n.subject}`}
            data-testid="chain-node"
            data-node-id={n.id}
            data-x={Math.round(n.x)}
            data-y={Math.round(n.y)}
            onClick={() => onOpen(n)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onOpen(n);
              }
            }}
          >
            <rect width={NODE_W} height={NODE_H} rx={8} />
            <text x={10} y={20} className="node-title">{truncate(n.label, 30)}</text>
            <text x={10} y={36} className="node-subject">{truncate(n.subject, 32)}</text>
            <text x={10} y={50} className="node-meta">{[n.kind === 'tracked' ? 'tracked' : n.outcome ?? '', n.date?.slice(0, 16).replace('T', ' ') ?? ''].join(' · ')}</text>
          </g>
        ))}
      </svg>
    </div>
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
