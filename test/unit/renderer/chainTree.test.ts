// The chain outline's tree: an email hangs under the email it links to (its parent activity first), in date
// order, and collapsing a sub-thread hides exactly what sits below it.
import { describe, expect, it } from 'vitest';
import type { ChainEdge, ChainGraph, ChainNode } from '../../../core/contract/contract.js';
import { chainTree, visibleGraph, visibleRows } from '../../../renderer/src/components/chainTree.js';

function node(id: string, date: string, kind: ChainNode['kind'] = 'message'): ChainNode {
  return { id, kind, label: `${id}@example.com`, subject: `subject ${id}`, date, outcome: null, selected: false };
}
function edge(from: string, to: string, method: ChainEdge['method'], parent: boolean): ChainEdge {
  return { from, to, method, parent, onSelectedPath: false };
}

// t: tracked root; a and b reply to it; c replies to a; d correlates by ConversationIndex to the ancestor t
// but records a as its parent activity (SIMULATOR.md §3: the longest tracked prefix is correlated, the
// direct parent is recorded), so in a thread it belongs under a.
const graph: ChainGraph = {
  nodes: [node('b', '2024-03-03'), node('t', '2024-03-01', 'tracked'), node('a', '2024-03-02'), node('c', '2024-03-04'), node('d', '2024-03-05')],
  edges: [
    edge('t', 'a', 'InReplyTo', true),
    edge('t', 'b', 'TrackingToken', false),
    edge('a', 'c', 'InReplyTo', true),
    edge('t', 'd', 'ConversationIndex', false),
    edge('a', 'd', 'ConversationIndex', true),
  ],
};

describe('chain outline tree', () => {
  it('hangs each email under its parent activity, siblings oldest first', () => {
    const rows = visibleRows(graph, new Set());
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.node.id}`)).toEqual(['t', '  a', '    c', '    d', '  b']);
    expect(rows.find((r) => r.node.id === 'd')?.via?.method).toBe('ConversationIndex');
    expect(rows.find((r) => r.node.id === 't')?.descendantCount).toBe(4);
  });

  it('collapsing a sub-thread hides what is below it in the outline and the drawing', () => {
    const collapsed = new Set(['a']);
    expect(visibleRows(graph, collapsed).map((r) => r.node.id)).toEqual(['t', 'a', 'b']);
    const shown = visibleGraph(graph, collapsed);
    expect(shown.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 't']);
    expect(shown.edges.every((e) => e.to !== 'c' && e.to !== 'd')).toBe(true);
  });

  it('shows every email of a damaged, looping chain once', () => {
    const loop: ChainGraph = { nodes: [node('x', '2024-01-01'), node('y', '2024-01-02')], edges: [edge('x', 'y', 'InReplyTo', true), edge('y', 'x', 'InReplyTo', true)] };
    const ids = visibleRows(loop, new Set()).map((r) => r.node.id);
    expect(ids.sort()).toEqual(['x', 'y']);
  });

  it('walks a 2,000-deep reply chain without recursion limits', () => {
    const n = 2000;
    const deep: ChainGraph = {
      nodes: Array.from({ length: n }, (_, i) => node(`m${i}`, `2024-01-01T00:00:${String(i).padStart(5, '0')}`)),
      edges: Array.from({ length: n - 1 }, (_, i) => edge(`m${i}`, `m${i + 1}`, 'InReplyTo', true)),
    };
    const rows = visibleRows(deep, new Set());
    expect(rows).toHaveLength(n);
    expect(rows[n - 1]?.depth).toBe(n - 1);
    expect(chainTree(deep).roots).toEqual(['m0']);
  });
});
