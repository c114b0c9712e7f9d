import type { MethodName, Params, Result } from '../../common/api/contract';
import type { CommandSession } from './args';
import { InterruptedError } from './errors';

/** The methods that run as jobs: their params take the optional `jobId` the CLI follows. */
type JobMethodName = { [M in MethodName]: Params<M> extends { jobId?: string } ? M : never }[MethodName];

export interface CancellableJobOptions {
  /** Part of the job id, `cli-<name>-<pid>-<time>`: tells one command's jobs from another's. */
  name: string;
  /**
   * What the user reads when they stopped the job with Ctrl+C (exit code 130): a fixed text, or
   * made from the error the stopped job threw. Absent: the job's own error is passed on as is.
   */
  interrupted?: string | ((error: unknown) => string);
}

/**
 * Runs a job method the user can stop with Ctrl+C — the same `jobs.cancel` as the window's
 * «Прервать», so the job throws and its work is rolled back — with its progress lines on stderr
 * (the session's `follow`).
 */
export async function runCancellableJob<M extends JobMethodName>(
  session: CommandSession,
  method: M,
  params: Omit<Params<M>, 'jobId'>,
  options: CancellableJobOptions,
): Promise<Result<M>> {
  const jobId = `cli-${options.name}-${process.pid}-${Date.now()}`;
  let interrupted = false;
  const cancel = () => {
    interrupted = true;
    // A Ctrl+C before the job is registered is not lost: follow() repeats it on the job's first progress.
    void session.call('jobs.cancel', { jobId }).catch(() => undefined);
  };
  const stop = session.follow?.(jobId, cancel) ?? (() => undefined);
  try {
    return await session.call(method, { ...params, jobId } as Params<M>);
  } catch (error) {
    const message = options.interrupted;
    if (interrupted && message !== undefined) throw new InterruptedError(typeof message === 'string' ? message : message(error));
    throw error;
  } finally {
    stop();
  }
}
