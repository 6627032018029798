import { Fragment } from 'react';
import { ENTITY_MENTION, TRACKED_EMAIL_MENTION, type EmailRef } from '../../../core/contract/contract.js';
import { useAppStore } from '../store/index.js';

function when(date: string | null): string {
  return date ? date.slice(0, 16).replace('T', ' ') : 'no date';
}

/** “Subject” · sender · date, as a button: a message opens, a tracked email opens the hash comparison. */
export function EmailRefLink({ r }: { r: EmailRef }) {
  const select = useAppStore((s) => s.select);
  const setCandidate = useAppStore((s) => s.setCandidate);
  const setView = useAppStore((s) => s.setView);
  const open = () => {
    if (r.kind === 'message') select(r.id, 'message');
    else {
      setCandidate(r.id);
      setView('hash');
    }
  };
  return (
    <button
      type="button"
      className="link email-ref"
      data-testid="email-ref"
      title={r.kind === 'tracked' ? 'Compare this tracked email’s hashes with the message' : 'Open this message'}
      onClick={open}
    >
      “{r.subject || '(no subject)'}” · {r.from ?? 'no sender'} · {when(r.date)}
    </button>
  );
}

/**
 * A trace or explanation sentence with every email it names ("tracked email <id>", "parent activity <id>")
 * shown as that email, and every directory row (`user:alice`) by its name, where the workspace knows them.
 */
export function RefText({ text, refs, names }: { text: string; refs: Record<string, EmailRef> | undefined; names?: Record<string, string> }) {
  if (!refs && !names) return <>{text}</>;
  const marks: { start: number; end: number; part: EmailRef | string }[] = [];
  for (const m of text.matchAll(TRACKED_EMAIL_MENTION)) {
    const r = refs?.[m[2] as string];
    if (!r) continue;
    const start = (m.index ?? 0) + (m[1] as string).length + 1;
    marks.push({ start, end: start + (m[2] as string).length, part: r });
  }
  for (const m of text.matchAll(ENTITY_MENTION)) {
    const name = names?.[m[0]];
    const start = m.index ?? 0;
    if (name && !marks.some((k) => start < k.end && k.start < start + m[0].length)) marks.push({ start, end: start + m[0].length, part: name });
  }
  marks.sort((a, b) => a.start - b.start);
  const parts: (string | EmailRef)[] = [];
  let last = 0;
  for (const k of marks) {
    parts.push(text.slice(last, k.start), k.part);
    last = k.end;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) => (typeof p === 'string' ? <Fragment key={i}>{p}</Fragment> : <EmailRefLink key={i} r={p} />))}
    </>
  );
}
