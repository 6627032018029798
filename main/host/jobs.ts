// The host's long jobs (import, replay, what-if, sweep, audit, pulls): each has an id the renderer can
// cancel it by. A job that ends, however it ends, is taken off the list and reported to `onDone` (a
// job cancelled part-way may still have written rows).
import { HostError } from './errors.js';

export interface Job {
  jobId: string;
  signal: AbortSignal;
  done: () => void;
}

export class JobRegistry {
  private readonly running = new Map<string, AbortController>();
  private counter = 0;

  constructor(private readonly onDone: () => void = () => {}) {}

  /** Starts a job under the id the caller chose, or a new one named after its kind. */
  start(requested: string | undefined, kind: string): Job {
    const jobId = requested ?? `${kind}-${++this.counter}-${Date.now()}`;
    if (this.running.has(jobId)) throw new HostError('INVALID_INPUT', `Job id ${jobId} is already running: choose a new jobId.`);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    return {
      jobId,
      signal: controller.signal,
      done: () => {
        this.running.delete(jobId);
        this.onDone();
      },
    };
  }

  /** Whether a job of that id was running (it is now told to stop). */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.abort();
    return job !== undefined;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
