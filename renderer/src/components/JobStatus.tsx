import { call } from '../api.js';
import { attempt } from '../store/actions.js';
import { useAppStore } from '../store/index.js';

/** A running job's progress bar, message and Cancel button (job.progress events, job.cancel). */
export function JobStatus({ jobId, label, testId }: { jobId: string; label: string; testId: string }) {
  const progress = useAppStore((s) => s.jobs[jobId]);
  return (
    <div className="progress" role="status" data-testid={testId}>
      <span>{label}</span>
      <progress value={progress?.done ?? 0} max={progress?.total ?? undefined} aria-label={`${label} progress`} />
      {/* Before the message, whose length changes with every event: the button must not move under the pointer. */}
      <button type="button" onClick={() => void attempt(() => call('job.cancel', { jobId }))} data-testid={`${testId}-cancel`}>
        Cancel
      </button>
      <span className="muted small" data-testid={`${testId}-message`}>
        {progress ? `${progress.message ?? ''} (${progress.done} of ${progress.total ?? '?'})` : 'Starting…'}
      </span>
    </div>
  );
}
