import { useMemo, useState } from 'react';
import type { ChainNode } from '../../../../core/contract/contract.js';
import { call } from '../../api.js';
import { ChainGraphView } from '../../components/ChainGraph.js';
import { ChainOutline } from '../../components/ChainOutline.js';
import { visibleGraph, visibleRows } from '../../components/chainTree.js';
import { useAppStore } from '../../store/index.js';
import { NothingSelected, useSelected } from '../message/MessageView.js';

export function ChainView() {
  const key = useAppStore((s) => s.selectedKey);
  const select = useAppStore((s) => s.select);
  const setCandidate = useAppStore((s) => s.setCandidate);
  const setView = useAppStore((s) => s.setView);
  const { value: graph, loading } = useSelected((k) => call('chain.get', { key: k }));
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [collapsedFor, setCollapsedFor] = useState(graph);
  if (collapsedFor !== graph) {
    // A new chain starts fully expanded.
    setCollapsedFor(graph);
    setCollapsed(new Set());
  }
  const rows = useMemo(() => (graph ? visibleRows(graph, collapsed) : []), [graph, collapsed]);
  const shown = useMemo(() => (graph ? visibleGraph(graph, collapsed) : null), [graph, collapsed]);
  if (!key) return <NothingSelected />;

  const open = (node: ChainNode) => {
    if (node.kind === 'message') {
      if (node.id !== key) select(node.id, 'chain');
      else setView('message');
    } else {
      setCandidate(node.id);
      setView('hash');
    }
  };
  const toggle = (id: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="view chain-view" aria-labelledby="chain-title" data-testid="chain-view">
      <h1 id="chain-title">Correlation chain</h1>
      <p className="muted">
        Click a message to open it (its chain is shown here); click a tracked email to compare its hashes with the selected message.
        {graph && graph.nodes.length > 1 ? ` ${graph.nodes.length} emails in this chain.` : ''}
      </p>
      {!graph || !shown ? (
        <p>{loading ? 'Loading…' : 'No chain.'}</p>
      ) : graph.nodes.length <= 1 && graph.edges.length === 0 ? (
        <>
          <p data-testid="chain-empty">This message is not correlated with anything, and nothing correlates with it.</p>
          <ChainGraphView graph={graph} onOpen={() => undefined} />
        </>
      ) : (
        <div className="chain-panes">
          <ChainOutline rows={rows} collapsed={collapsed} onToggle={toggle} onOpen={open} />
          <ChainGraphView graph={shown} onOpen={open} />
        </div>
      )}
    </section>
  );
}
