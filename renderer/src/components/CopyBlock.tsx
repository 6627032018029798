import { useId, useRef, useState } from 'react';

/** Copies text: the async clipboard API where allowed, else the selected textarea's copy command. */
async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallback) return false;
    fallback.focus();
    fallback.select();
    // execCommand is deprecated but is the only copy path when the clipboard permission is denied.
    return document.execCommand('copy');
  }
}

/** A read-only block of text (request, XML, note) with a Copy button that says whether it worked. */
export function CopyBlock({ title, text, testId }: { title: string; text: string; testId: string }) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const rows = Math.min(18, Math.max(3, text.split('\n').length + 1));
  return (
    <div className="copy-block" data-testid={testId}>
      <div className="row">
        <label htmlFor={id} className="copy-title">{title}</label>
        <span className="spacer" />
        <span className="muted small" aria-live="polite" data-testid={`${testId}-copied`}>
          {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and press Ctrl+C' : ''}
        </span>
        <button type="button" onClick={() => void copyText(text, area.current).then((ok) => setState(ok ? 'copied' : 'failed'))} data-testid={`${testId}-copy`}>
          Copy
        </button>
      </div>
      <textarea id={id} ref={area} readOnly value={text} rows={rows} spellCheck={false} className="code-area" data-testid={`${testId}-text`} />
    </div>
  );
}
