// The chain as a thread tree (what a mail client's thread pane shows): each email hangs under the email
// it was linked to. An email linked both by correlation and by a parent activity (ConversationIndex
// correlating to an ancestor) hangs under its parent, the nearer of the two. Pure, so it is unit-tested.
import type { ChainEdge, ChainGraph, ChainNode } from '../../../core/contract/contract.js';

export interface TreeRow {
  node: ChainNode;
  depth: number;
  /** The link that hangs this email under the row above it; null for a root. */
  via: ChainEdge | null;
  childCount: number;
  /** Every email below this one, at any depth (shown on a collapsed row). */
  descendantCount: number;
}

function byDate(a: ChainNode, b: ChainNode): number {
  return (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id);
}

export function chainTree(graph: ChainGraph): { roots: string[]; children: Map<string, string[]>; up: Map<string, ChainEdge> } {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const up = new Map<string, ChainEdge>();
  for (const e of graph.edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to) || e.from === e.to) continue;
    const known = up.get(e.to);
    if (!known || (e.parent && !known.parent)) up.set(e.to, e);
  }
  // A loop (which the engine never makes, but a damaged workspace might) would hide its members: cut the
  // link that closes it so every email is shown once.
  for (const id of [...up.keys()]) {
    const seen = new Set<string>([id]);
    let at = up.get(id)?.from;
    while (at !== undefined) {
      if (seen.has(at)) {
        up.delete(id);
        break;
      }
      seen.add(at);
      at = up.get(at)?.from;
    }
  }
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const n of graph.nodes) {
    const link = up.get(n.id);
    if (!link) roots.push(n.id);
    else children.set(link.from, [...(children.get(link.from) ?? []), n.id]);
  }
  const sort = (ids: string[]) => ids.sort((a, b) => byDate(nodes.get(a) as ChainNode, nodes.get(b) as ChainNode));
  sort(roots);
  for (const list of children.values()) sort(list);
  return { roots, children, up };
}

/** Rows in thread order, skipping what sits under a collapsed email. */
export function visibleRows(graph: ChainGraph, collapsed: ReadonlySet<string>): TreeRow[] {
  const { roots, children, up } = chainTree(graph);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const descendants = new Map<string, number>();
  const count = (id: string): number => {
    const known = descendants.get(id);
    if (known !== undefined) return known;
    let total = 0;
    for (const c of children.get(id) ?? []) total += 1 + count(c);
    descendants.set(id, total);
    return total;
  };
  const rows: TreeRow[] = [];
  // Iterative walk: a 500-email chain can be 500 deep.
  const stack: { id: string; depth: number }[] = roots.map((id) => ({ id, depth: 0 })).reverse();
  while (stack.length) {
    const { id, depth } = stack.pop() as { id: string; depth: number };
    const kids = children.get(id) ?? [];
    rows.push({ node: nodes.get(id) as ChainNode, depth, via: up.get(id) ?? null, childCount: kids.length, descendantCount: count(id) });
    if (!collapsed.has(id)) for (let i = kids.length - 1; i >= 0; i -= 1) stack.push({ id: kids[i] as string, depth: depth + 1 });
  }
  return rows;
}

/** The graph without what sits under a collapsed email, for the drawing beside the outline. */
export function visibleGraph(graph: ChainGraph, collapsed: ReadonlySet<string>): ChainGraph {
  if (collapsed.size === 0) return graph;
  const shown = new Set(visibleRows(graph, collapsed).map((r) => r.node.id));
  return {
    nodes: graph.nodes.filter((n) => shown.has(n.id)),
    edges: graph.edges.filter((e) => shown.has(e.from) && shown.has(e.to)),
  };
}
