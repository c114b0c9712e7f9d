import { expect } from 'vitest';
import { ApiError } from '../../common/api/errors';

/** The ApiError 'refused' a promise must reject with (fails the test otherwise). */
export async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe('refused');
  return error as ApiError;
}
