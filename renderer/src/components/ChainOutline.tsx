import type { ChainNode } from '../../../core/contract/contract.js';
import type { TreeRow } from './chainTree.js';

const MAX_INDENT = 10;

function when(date: string | null): string {
  return date ? date.slice(0, 16).replace('T', ' ') : 'no date';
}

/**
 * The chain as an indented thread list beside the graph: readable at hundreds of emails where the drawing
 * is not. A row opens like a graph node; the triangle collapses the sub-thread in both.
 */
export function ChainOutline({
  rows,
  collapsed,
  onToggle,
  onOpen,
}: {
  rows: TreeRow[];
  collapsed: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onOpen: (node: ChainNode) => void;
}) {
  return (
    <ol className="chain-outline" data-testid="chain-outline" aria-label="Thread outline">
      {rows.map(({ node, depth, via, childCount, descendantCount }) => {
        const isCollapsed = collapsed.has(node.id);
        return (
          <li
            key={node.id}
            className={`outline-row ${node.kind}${node.selected ? ' selected' : ''}`}
            // Indentation stops growing after ten levels (a long back-and-forth would push the subject out of
            // sight); the level is still said in the tooltip.
            style={{ paddingLeft: `${Math.min(depth, MAX_INDENT) * 12 + 4}px` }}
            title={depth > MAX_INDENT ? `reply level ${depth}` : undefined}
            data-testid="chain-outline-row"
            data-node-id={node.id}
            aria-current={node.selected ? 'true' : undefined}
          >
            {childCount > 0 ? (
              <button
                type="button"
                className="outline-toggle"
                aria-expanded={!isCollapsed}
                aria-label={`${isCollapsed ? 'Expand' : 'Collapse'} the ${descendantCount} email${descendantCount === 1 ? '' : 's'} below “${node.subject}”`}
                data-testid="chain-outline-toggle"
                onClick={() => onToggle(node.id)}
              >
                {isCollapsed ? '▸' : '▾'}
              </button>
            ) : (
              <span className="outline-toggle" aria-hidden="true" />
            )}
            <button type="button" className="outline-open" onClick={() => onOpen(node)} title={node.subject}>
              <span className="outline-subject">{node.subject || '(no subject)'}</span>
              <span className="outline-meta">
                {node.label} · {when(node.date)}
                {node.kind === 'tracked' ? ' · tracked before the replay' : node.outcome ? ` · ${node.outcome}` : ''}
                {via ? ` · ${via.method}` : ''}
                {isCollapsed ? ` · +${descendantCount} hidden` : ''}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
