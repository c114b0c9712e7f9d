import { randomUUID } from 'node:crypto';
import { ApiError } from '../../common/api/errors';
import type { EventHub } from '../events';

const PROGRESS_INTERVAL_MS = 100;

export interface Job {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Reports progress (throttled); carries no personal data. */
  progress(done: number, total: number, stage: string): void;
  /**
   * Lets the event loop breathe (so a cancel request or a progress event gets through while a
   * long synchronous SQLite job runs) and throws if the user cancelled.
   */
  checkpoint(): Promise<void>;
}

/** Long operations that show progress and can be cancelled by their id. */
export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly events: EventHub) {}

  async run<T>(jobId: string | undefined, work: (job: Job) => Promise<T>): Promise<T> {
    const id = jobId ?? randomUUID();
    if (this.running.has(id)) throw new ApiError('conflict', 'Такая операция уже выполняется.');
    const controller = new AbortController();
    this.running.set(id, controller);
    let lastEmit = 0;
    let lastStage: string | null = null;
    const job: Job = {
      id,
      signal: controller.signal,
      progress: (done, total, stage) => {
        const now = Date.now();
        // Throttled within a stage; a new stage always shows (it may be the last word before a cancel).
        if (done < total && stage === lastStage && now - lastEmit < PROGRESS_INTERVAL_MS) return;
        lastEmit = now;
        lastStage = stage;
        this.events.emit('job.progress', { jobId: id, done, total, stage });
      },
      checkpoint: async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (controller.signal.aborted) throw new ApiError('cancelled', 'Операция отменена. Данные не изменены.');
      },
    };
    try {
      return await work(job);
    } finally {
      this.running.delete(id);
    }
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }
}
