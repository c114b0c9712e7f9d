import { sql } from 'kysely';
import { ApiError } from '../../common/api/errors';
import type { ClassRow } from '../../common/api/contingent';
import { classLabel } from '../../common/domain/russian';
import type { Db } from '../../db/connection';

export interface ClassInfo {
  id: number;
  label: string;
  parallel: number;
  letter: string;
  yearId: number;
  yearName: string;
  yearStart: string;
  yearEnd: string;
  yearClosed: boolean;
}

function baseQuery(db: Db) {
  return db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .select(['c.id', 'c.parallel', 'c.letter', 'c.year_id', 'y.name as year_name', 'y.starts_on', 'y.ends_on', 'y.closed']);
}

type BaseRow = { id: number; parallel: number; letter: string; year_id: number; year_name: string; starts_on: string; ends_on: string; closed: number };

function toInfo(row: BaseRow): ClassInfo {
  return {
    id: row.id,
    label: classLabel(row.parallel, row.letter),
    parallel: row.parallel,
    letter: row.letter,
    yearId: row.year_id,
    yearName: row.year_name,
    yearStart: row.starts_on,
    yearEnd: row.ends_on,
    yearClosed: row.closed === 1,
  };
}

export async function classById(db: Db, id: number): Promise<ClassInfo> {
  const row = await baseQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Класс № ${id} не найден. Выберите класс из списка.`, { classId: 'нет такого класса' });
  return toInfo(row);
}

/** Labels of every class, for joining in memory (a school has ~100 classes a year). */
export async function classLabels(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('school_class').select(['id', 'parallel', 'letter']).execute();
  return new Map(rows.map((r) => [r.id, classLabel(r.parallel, r.letter)]));
}

/** The classes of the school year that contains the day (or the latest year before it). */
export async function listClasses(db: Db, date: string): Promise<ClassRow[]> {
  const year =
    (await db.selectFrom('school_year').selectAll().where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst()) ??
    (await db.selectFrom('school_year').selectAll().where('starts_on', '<=', date).orderBy('starts_on', 'desc').limit(1).executeTakeFirst()) ??
    (await db.selectFrom('school_year').selectAll().orderBy('starts_on').limit(1).executeTakeFirst());
  if (!year) return [];
  const rows = await baseQuery(db)
    .leftJoin('staff as t', 't.id', 'c.class_teacher_id')
    .select(['t.last_name', 't.first_name', 't.middle_name'])
    .select((eb) =>
      eb
        .selectFrom('class_membership as m')
        .whereRef('m.class_id', '=', 'c.id')
        .where('m.from_date', '<=', date)
        .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', date)]))
        .select(sql<number>`count(*)`.as('n'))
        .as('pupils'),
    )
    .where('c.year_id', '=', year.id)
    .orderBy('c.parallel')
    .orderBy('c.letter')
    .execute();
  return rows.map((row) => {
    const info = toInfo(row);
    const teacher = row.last_name ? `${row.last_name} ${row.first_name?.[0] ?? ''}. ${row.middle_name ? `${row.middle_name[0]}.` : ''}`.trim() : null;
    return { ...info, yearClosed: info.yearClosed, teacher, pupils: Number(row.pupils ?? 0) };
  }).map(({ yearStart: _s, yearEnd: _e, ...rest }) => rest);
}

/** Refuses any change dated inside a closed school year. */
export async function ensureYearOpenOn(db: Db, date: string, what: string): Promise<void> {
  const closed = await db
    .selectFrom('school_year')
    .select('name')
    .where('starts_on', '<=', date)
    .where('ends_on', '>=', date)
    .where('closed', '=', 1)
    .executeTakeFirst();
  if (closed) throw new ApiError('refused', `Учебный год ${closed.name} закрыт: ${what} с датой в нём невозможно. Проверьте дату.`);
}
