import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import type { DocumentOfKind, Rendered } from './rendered';

/** Weekly paper extracts of marks, absences and homework for the families without electronic access. */
export function renderWeeklyExtracts(_db: Db, _document: DocumentOfKind<'weeklyExtracts'>, _today: string, _fontCss: string): Promise<Rendered> {
  return Promise.reject(new ApiError('internal', 'Печать выписок ещё не готова.'));
}
