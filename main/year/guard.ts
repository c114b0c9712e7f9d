import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import { yearRow } from './structure';

/**
 * The year a set-up change writes into: it must exist and be open. (Migration 008's triggers
 * refuse such writes too; refusing here first gives the message before any row is touched.)
 */
export async function writableYear(db: Db, yearId: number) {
  const year = await yearRow(db, yearId);
  if (year.closed === 1) {
    throw new ApiError(
      'refused',
      `Учебный год ${year.name} закрыт: его данные только для чтения. Чтобы изменить структуру года, сначала отмените его закрытие («Учебный год» → «Отменить закрытие»).`,
    );
  }
  return year;
}

/** A class of an open year, for a change to it or to its curriculum. */
export async function writableClass(db: Db, classId: number) {
  const cls = await db.selectFrom('school_class').selectAll().where('id', '=', classId).executeTakeFirst();
  if (!cls) throw new ApiError('not_found', `Класс № ${classId} не найден. Выберите класс из списка.`, { classId: 'нет такого класса' });
  const year = await writableYear(db, cls.year_id);
  return { cls, year };
}

/** Staff ids that exist, of those asked about. */
export async function existingStaff(db: Db, ids: readonly number[]): Promise<Map<number, { active: boolean }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'active']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, { active: r.active === 1 }]));
}
