import { useEffect, useState } from 'react';
import type { ReplayWarningsView } from '../../../core/contract/contract.js';
import { call } from '../api.js';
import { useAppStore } from '../store/index.js';

/**
 * One line above the message list when a tagged mailbox's configuration could never have produced the
 * latest replay (core/analysis/supportCheck.ts replayWarnings); the Support view has the details.
 */
export function ReplayWarningsLine() {
  const runs = useAppStore((s) => s.runs);
  const setView = useAppStore((s) => s.setView);
  const latest = runs[runs.length - 1]?.runId ?? null;
  const [view, setWarnings] = useState<ReplayWarningsView | null>(null);
  useEffect(() => {
    let live = true;
    // Quietly: a workspace without tags (or an older one) is the normal case, not an error to show.
    call('replay.warnings', {}).then((w) => live && setWarnings(w), () => live && setWarnings(null));
    return () => {
      live = false;
    };
  }, [latest]);
  const flagged = view?.mailboxes.filter((m) => m.warnings.length > 0) ?? [];
  if (flagged.length === 0) return null;
  const count = flagged.reduce((n, m) => n + m.warnings.length, 0);
  const first = flagged[0]!;
  return (
    <p className="replay-warnings-line" role="status" data-testid="replay-warnings-line">
      <span className="badge warn">{count} replay warning{count === 1 ? '' : 's'}</span>{' '}
      {first.mailbox}: {first.warnings[0]!.message}
      {count > 1 ? ` (and ${count - 1} more)` : ''}{' '}
      <button type="button" className="link" onClick={() => setView('support')}>See the support check</button>
    </p>
  );
}
