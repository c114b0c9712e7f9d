import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';

/**
 * The closed-year guard's refusals (migration 008): SQLite aborts a write into a closed year
 * with `closed_year:<table>`; here that becomes a Russian message that names the year, says
 * what could not be changed, and what to do.
 */

/** What the refused write would have changed, by guarded table (accusative: «изменить …»). */
const WHAT: Readonly<Record<string, string>> = {
  period: 'периоды (четверти, полугодия)',
  holiday: 'каникулы',
  school_class: 'классы',
  curriculum: 'учебный план',
  study_group: 'учебные группы',
  group_member: 'состав учебных групп',
  class_membership: 'состав классов',
  lesson: 'уроки',
  mark: 'оценки',
  attendance: 'посещаемость',
  final_mark: 'итоговые отметки',
  year_decision: 'решения о переводе',
  movement_event: 'движение обучающихся',
  pupil_order: 'приказы',
  school_year: 'даты учебного года',
};

const REOPEN_HINT = 'Если нужно исправить, администратор может отменить закрытие года.';

/** The guarded table named by a trigger's refusal, or null for any other error. */
export function closedYearTable(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return null;
  const message = error instanceof Error ? error.message : '';
  const match = /^closed_year:([a-z_]+)/.exec(message);
  return match ? match[1]! : null;
}

/** The refusal's text; `years` are the names of the closed years the write may have touched. */
export function closedYearMessage(table: string, years: readonly string[]): string {
  const what = WHAT[table] ?? 'его данные';
  if (years.length === 1) return `Учебный год ${years[0]} закрыт: его данные только для чтения, изменить ${what} нельзя. ${REOPEN_HINT}`;
  const named = years.length > 1 ? ` (закрытые годы: ${years.slice(-3).join(', ')})` : '';
  return `Учебный год закрыт${named}: данные закрытого года только для чтения, изменить ${what} нельзя. ${REOPEN_HINT}`;
}

const idParam = (params: Record<string, unknown>, key: string): number | null => {
  const value = params[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
};

/**
 * The closed year a call was about, when its parameters say (a year, a class); else every
 * closed year. Read after the write's rollback, on the app's connection: a few indexed lookups.
 */
async function closedYearsOf(db: Db, params: unknown): Promise<string[]> {
  const p = params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  const closed = db.selectFrom('school_year').select('name').where('closed', '=', 1);
  const yearId = idParam(p, 'yearId');
  if (yearId !== null) {
    const row = await closed.where('id', '=', yearId).executeTakeFirst();
    if (row) return [row.name];
  }
  for (const key of ['classId', 'toClassId']) {
    const classId = idParam(p, key);
    if (classId === null) continue;
    const row = await closed.where('id', '=', (eb) => eb.selectFrom('school_class').select('year_id').where('id', '=', classId)).executeTakeFirst();
    if (row) return [row.name];
  }
  return (await closed.orderBy('starts_on').execute()).map((r) => r.name);
}

/** The API refusal for a write the guard stopped, or null when `error` is something else. */
export async function closedYearRefusal(db: Db, error: unknown, params: unknown): Promise<ApiError | null> {
  const table = closedYearTable(error);
  if (table === null) return null;
  let years: string[] = [];
  try {
    years = await closedYearsOf(db, params);
  } catch {
    // The year's name is a courtesy: without it the refusal still says what happened.
  }
  return new ApiError('refused', closedYearMessage(table, years));
}
