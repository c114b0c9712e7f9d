import { ApiError } from '../../../common/api/errors';
import type { Db } from '../../../db/connection';
import { classesOfYear, classInfo, yearById, type ClassInfo } from '../journal/roster';

/** The classes a ledger covers: the whole school's classes of the year, or the one class asked for. */
export interface LedgerScope {
  year: { id: number; name: string; startsOn: string; endsOn: string };
  classes: ClassInfo[];
  /** The one class, or null for the whole school. */
  only: ClassInfo | null;
}

export async function ledgerScope(db: Db, yearId: number, classId: number | undefined): Promise<LedgerScope> {
  const year = await yearById(db, yearId);
  if (classId !== undefined) {
    const cls = await classInfo(db, classId);
    if (cls.yearId !== year.id) {
      throw new ApiError('refused', `Класс ${cls.label} относится к ${cls.yearName} учебному году, а не к ${year.name}: выберите класс этого года или другой год.`, {
        classId: 'класс другого учебного года',
      });
    }
    return { year, classes: [cls], only: cls };
  }
  const classes = await classesOfYear(db, year.id);
  if (classes.length === 0) {
    throw new ApiError('refused', `В ${year.name} учебном году нет классов: ведомость составить не из чего. Создайте классы года и напечатайте снова.`);
  }
  return { year, classes, only: null };
}

/** First and last lesson dates of the classes, or the year's own dates when there are no lessons. */
export async function lessonDates(db: Db, scope: LedgerScope): Promise<{ from: string; to: string }> {
  const row = await db
    .selectFrom('lesson')
    .select((eb) => [eb.fn.min<string>('lesson_date').as('first'), eb.fn.max<string>('lesson_date').as('last')])
    .where(
      'class_id',
      'in',
      scope.classes.map((c) => c.id),
    )
    .executeTakeFirst();
  return { from: row?.first ?? scope.year.startsOn, to: row?.last ?? scope.year.endsOn };
}
