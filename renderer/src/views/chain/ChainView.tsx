import { call } from '../../api.js';
import { ChainGraphView } from '../../components/ChainGraph.js';
import { useAppStore } from '../../store/index.js';
import { NothingSelected, useSelected } from '../message/MessageView.js';

export function ChainView() {
  const key = useAppStore((s) => s.selectedKey);
  const select = useAppStore((s) => s.select);
  const setCandidate = useAppStore((s) => s.setCandidate);
  const setView = useAppStore((s) => s.setView);
  const { value: graph, loading } = useSelected((k) => call('chain.get', { key: k }));
  if (!key) return <NothingSelected />;
  return (
    <section className="view chain-view" aria-labelledby="chain-title" data-testid="chain-view">
      <h1 id="chain-title">Correlation chain</h1>
      <p className="muted">
        Click a message to open it (its chain is shown here); click a tracked email to compare its hashes with the selected message.
      </p>
      {!graph ? (
        <p>{loading ? 'Loading…' : 'No chain.'}</p>
      ) : graph.nodes.length <= 1 && graph.edges.length === 0 ? (
        <>
          <p data-testid="chain-empty">This message is not correlated with anything, and nothing correlates with it.</p>
          <ChainGraphView graph={graph} onOpen={() => undefined} />
        </>
      ) : (
        <ChainGraphView
          graph={graph}
          onOpen={(node) => {
            if (node.kind === 'message') {
              if (node.id !== key) select(node.id, 'chain');
              else setView('message');
            } else {
              setCandidate(node.id);
              setView('hash');
            }
          }}
        />
      )}
    </section>
  );
}
