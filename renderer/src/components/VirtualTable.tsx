import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<R> {
  id: string;
  label: string;
  width: string;
  render: (row: R) => ReactNode;
  sortable?: boolean;
}

interface Props<R> {
  columns: Column<R>[];
  rowCount: number;
  getRow: (index: number) => R | undefined;
  rowKey: (row: R | undefined, index: number) => string;
  /** Called with the visible index range so the owner can fetch missing pages. */
  onRange: (start: number, end: number) => void;
  activeIndex: number;
  onActiveIndex: (index: number) => void;
  onOpen: (row: R) => void;
  sort?: { key: string; dir: 'asc' | 'desc' };
  onSort?: (columnId: string) => void;
  label: string;
}

const ROW_HEIGHT = 28;

/**
 * A windowed grid: only the rows in view (plus overscan) exist in the DOM, so 100,000 rows cost
 * the same as 30. Keyboard: arrows, Page Up/Down, Home/End move the cursor; Enter opens.
 */
export function VirtualTable<R>(props: Props<R>) {
  const { columns, rowCount, getRow, rowKey, onRange, activeIndex, onActiveIndex, onOpen, sort, onSort, label } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    onRange(first, Math.max(first, last));
  }, [first, last, rowCount, onRange]);

  const template = columns.map((c) => c.width).join(' ');

  function move(to: number) {
    if (rowCount === 0) return;
    const index = Math.max(0, Math.min(rowCount - 1, to));
    onActiveIndex(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown': move(activeIndex + 1); break;
      case 'ArrowUp': move(activeIndex - 1); break;
      case 'PageDown': move(activeIndex + page); break;
      case 'PageUp': move(activeIndex - page); break;
      case 'Home': move(0); break;
      case 'End': move(rowCount - 1); break;
      case 'Enter': {
        const row = getRow(activeIndex);
        if (row) onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div className="vtable" role="grid" aria-label={label} aria-rowcount={rowCount + 1} data-testid="message-table">
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const sorted = sort?.key === c.id;
          return (
            <div key={c.id} role="columnheader" aria-sort={sorted ? (sort?.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              {c.sortable && onSort ? (
                <button type="button" className="th-button" onClick={() => onSort(c.id)}>
                  {c.label} {sorted ? (sort?.dir === 'asc' ? '▲' : '▼') : ''}
                </button>
              ) : (
                c.label
              )}
            </div>
          );
        })}
      </div>
      <div
        className="vtable-body"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={rowCount > 0 ? `row-${activeIndex}` : undefined}
        data-testid="message-table-body"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = getRow(item.index);
            const active = item.index === activeIndex;
            return (
              // Keyed by position, not by message: a new filter or page then updates the rows in place
              // instead of tearing down and rebuilding every visible row's DOM (most of a filter's cost).
              <div
                key={item.index}
                data-key={rowKey(row, item.index)}
                id={`row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={active}
                className={`vtable-row${active ? ' active' : ''}${row ? '' : ' pending'}`}
                data-testid={row ? 'message-row' : 'message-row-pending'}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => onActiveIndex(item.index)}
                onDoubleClick={() => row && onOpen(row)}
              >
                {columns.map((c) => (
                  <div key={c.id} role="gridcell" className={`cell cell-${c.id}`}>
                    {row ? c.render(row) : c === columns[0] ? '…' : ''}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
