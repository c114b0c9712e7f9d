import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from './api/context';

/** A long operation's progress as the main process reports it (job.progress events). */
export interface JobProgress {
  done: number;
  total: number;
  stage: string;
}

export function newJobId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One long operation at a time, named by a job id: `start()` gives the id to pass to the method,
 * `progress` follows its events, `cancel()` asks the main process to stop it (jobs.cancel), and
 * `finish()` forgets it once the call has returned or failed.
 */
export function useJob() {
  const api = useApi();
  const current = useRef<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>(null);

  useEffect(
    () =>
      api.subscribe('job.progress', (payload) => {
        if (payload.jobId === current.current) setProgress({ done: payload.done, total: payload.total, stage: payload.stage });
      }),
    [api],
  );

  const start = useCallback(() => {
    const id = newJobId();
    current.current = id;
    setJobId(id);
    setProgress(null);
    setCancelling(false);
    setCancelError(null);
    return id;
  }, []);

  const finish = useCallback(() => {
    current.current = null;
    setJobId(null);
    setCancelling(false);
  }, []);

  const cancel = useCallback(() => {
    const id = current.current;
    if (!id) return;
    setCancelling(true);
    api.invoke('jobs.cancel', { jobId: id }).catch((error: unknown) => {
      setCancelling(false);
      setCancelError(error);
    });
  }, [api]);

  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return { jobId, running: jobId !== null, progress, percent, cancelling, cancelError, start, finish, cancel };
}
