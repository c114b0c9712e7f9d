import { ApiError } from '../../common/api/errors';
import type { CalendarProblem } from '../../common/domain/year-calendar';

/**
 * Turns the problems found by a set-up check into the API's refusal: one message that lists
 * them all (each names its field and row) and the per-field map the wizard highlights.
 */
export function refuseProblems(problems: readonly CalendarProblem[], lead = 'Проверьте данные'): never {
  const fields: Record<string, string> = {};
  for (const p of problems) fields[p.field] ??= p.message;
  const shown = problems.slice(0, 8).map((p) => p.message);
  const more = problems.length > shown.length ? `; и ещё ${problems.length - shown.length}` : '';
  throw new ApiError('invalid_params', `${lead}: ${shown.join('; ')}${more}. Ничего не изменено.`, fields);
}

/** Refuses when there is anything to refuse. */
export function assertNoProblems(problems: readonly CalendarProblem[], lead?: string): void {
  if (problems.length > 0) refuseProblems(problems, lead);
}
