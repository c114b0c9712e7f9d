import type { Handler } from '../context';
import { reopenYear } from '../year/reopen';

/**
 * «Отмена закрытия учебного года»: undoes the close exactly, or refuses with the reason (what in
 * the next year depends on it). Runs in the dispatcher's one write transaction.
 */
export const yearReopen: Handler<'year.reopen'> = async (ctx, params) => {
  const outcome = await reopenYear(ctx.db, params.yearId);
  ctx.audit({
    entity: 'school_year',
    entityId: params.yearId,
    details: { year: outcome.result.year, changed: outcome.result.changed, removed: outcome.result.removed, restoredMemberships: outcome.restored, restoredCodes: outcome.codesRestored, nextYearId: outcome.nextYearId },
  });
  return outcome.result;
};
