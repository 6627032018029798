import { useCallback, useEffect, useState } from 'react';
import type { MessageFlag, MessageRow, SortKey } from '../../../../core/contract/contract.js';
import type { CorrelationMethod, Outcome } from '../../../../core/engine/index.js';
import { VirtualTable, type Column } from '../../components/VirtualTable.js';
import { ReplayWarningsLine } from '../../components/ReplayWarningsLine.js';
import { PAGE_SIZE, ensurePage } from '../../store/actions.js';
import { useAppStore } from '../../store/index.js';
import { ALL_METHODS, ALL_OUTCOMES, FLAG_NAMES, flagLabel } from '../domain.js';

const COLUMNS: Column<MessageRow>[] = [
  { id: 'date', label: 'Date', width: '10.5rem', sortable: true, render: (r) => (r.date ? r.date.slice(0, 16).replace('T', ' ') : '—') },
  { id: 'mailbox', label: 'Mailbox', width: 'minmax(8rem,1fr)', sortable: true, render: (r) => r.mailbox },
  { id: 'folder', label: 'Folder', width: '7rem', sortable: true, render: (r) => r.folder },
  { id: 'from', label: 'From', width: 'minmax(9rem,1.2fr)', sortable: true, render: (r) => r.from ?? '—' },
  { id: 'subject', label: 'Subject', width: 'minmax(12rem,2.5fr)', sortable: true, render: (r) => r.subject || '(no subject)' },
  {
    id: 'outcome',
    label: 'Outcome',
    width: '11rem',
    sortable: true,
    render: (r) => (r.outcome ? <span className={`outcome o-${r.outcome}`}>{r.outcome}</span> : <span className="muted">not replayed</span>),
  },
  { id: 'method', label: 'Method', width: '9rem', sortable: true, render: (r) => r.method ?? '' },
  { id: 'flags', label: 'Flags', width: '8rem', render: (r) => r.flags.map((f) => <span key={f} className="flag">{flagLabel(f)}</span>) },
];

export function MessagesView() {
  const workspace = useAppStore((s) => s.workspace);
  const total = useAppStore((s) => s.total);
  const pages = useAppStore((s) => s.pages);
  const generation = useAppStore((s) => s.generation);
  const sort = useAppStore((s) => s.sort);
  const setSort = useAppStore((s) => s.setSort);
  const activeIndex = useAppStore((s) => s.activeIndex);
  const setActiveIndex = useAppStore((s) => s.setActiveIndex);
  const select = useAppStore((s) => s.select);

  // The first page tells us the total; fetch it whenever the query changes.
  useEffect(() => {
    void ensurePage(0);
  }, [generation, workspace]);

  const onRange = useCallback((start: number, end: number) => {
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) void ensurePage(p);
  }, []);

  const getRow = useCallback((index: number) => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE], [pages]);

  if (!workspace) return <NoWorkspace />;
  return (
    <section className="view messages" aria-labelledby="messages-title">
      <h1 id="messages-title" className="sr-only">Messages</h1>
      <FilterBar />
      <ReplayWarningsLine />
      <p
        className="count"
        role="status"
        data-testid="message-count"
        data-generation={generation}
        data-ready={pages[0] !== undefined ? 'yes' : 'no'}
      >
        {total === null ? 'Loading…' : `${total.toLocaleString('en')} messages`}
      </p>
      {total === 0 && (
        <p className="muted" data-testid="messages-empty">
          {workspace.messageCount === 0
            ? 'This workspace has no messages yet: import a mailbox on the Start view.'
            : 'No message matches these filters: clear a filter to see more.'}
        </p>
      )}
      <VirtualTable
        columns={COLUMNS}
        rowCount={total ?? 0}
        getRow={getRow}
        rowKey={(row, i) => row?.key ?? `pending-${i}`}
        onRange={onRange}
        activeIndex={activeIndex}
        onActiveIndex={setActiveIndex}
        onOpen={(row) => select(row.key, 'message')}
        sort={sort}
        onSort={(id) => setSort(id as SortKey)}
        label="Messages"
      />
    </section>
  );
}

export function NoWorkspace() {
  const setView = useAppStore((s) => s.setView);
  return (
    <section className="view empty">
      <p>No workspace is open.</p>
      <button type="button" onClick={() => setView('start')}>Open a workspace</button>
    </section>
  );
}

function FilterBar() {
  const filter = useAppStore((s) => s.filter);
  const setFilter = useAppStore((s) => s.setFilter);
  const workspace = useAppStore((s) => s.workspace);
  const [text, setText] = useState(filter.text ?? '');

  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label="Filter messages">
      <label>
        Text
        <input
          type="search"
          value={text}
          placeholder="subject, sender, or <message-id@…>"
          data-testid="filter-text"
          onChange={(e) => {
            setText(e.target.value);
            setFilter({ text: e.target.value || undefined });
          }}
        />
      </label>
      <label>
        Outcome
        <select
          value={filter.outcomes?.[0] ?? ''}
          data-testid="filter-outcome"
          onChange={(e) => setFilter({ outcomes: e.target.value ? [e.target.value as Outcome] : undefined })}
        >
          <option value="">any</option>
          {ALL_OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      </label>
      <label>
        Method
        <select
          value={filter.methods?.[0] ?? ''}
          data-testid="filter-method"
          onChange={(e) => setFilter({ methods: e.target.value ? [e.target.value as CorrelationMethod] : undefined })}
        >
          <option value="">any</option>
          {ALL_METHODS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label>
        Flag
        <select value={filter.flags?.[0] ?? ''} data-testid="filter-flag" onChange={(e) => setFilter({ flags: e.target.value ? [e.target.value as MessageFlag] : undefined })}>
          <option value="">any</option>
          {FLAG_NAMES.map((f) => <option key={f} value={f}>{flagLabel(f)}</option>)}
        </select>
      </label>
      <label>
        Mailbox
        <select value={filter.mailbox ?? ''} data-testid="filter-mailbox" onChange={(e) => setFilter({ mailbox: e.target.value || undefined })}>
          <option value="">any</option>
          {workspace?.mailboxes.map((m) => <option key={m.address} value={m.address}>{m.address}</option>)}
        </select>
      </label>
      <label>
        Folder
        <select value={filter.folder ?? ''} data-testid="filter-folder" onChange={(e) => setFilter({ folder: e.target.value || undefined })}>
          <option value="">any</option>
          {workspace?.folders.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
    </form>
  );
}
