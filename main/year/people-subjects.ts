import { ApiError } from '../../common/api/errors';
import { searchKey } from '../../common/domain/russian';
import type { Db } from '../../db/connection';
import { assertNoProblems } from './refuse';

/**
 * Subjects and staff: the school-wide lists the year's classes and curriculum refer to. Both
 * report what changed by field name only (staff names are personal data).
 */

export interface SubjectInput {
  id?: number | undefined;
  name: string;
  shortName: string;
  part: 'federal' | 'school';
  sortOrder: number;
}

/** Creates or updates a subject; the name is unique (ignoring case and ё/е). */
export async function saveSubject(trx: Db, input: SubjectInput): Promise<{ id: number; created: boolean; fields: string[] }> {
  const all = await trx.selectFrom('subject').selectAll().execute();
  const before = input.id === undefined ? undefined : all.find((s) => s.id === input.id);
  if (input.id !== undefined && !before) {
    throw new ApiError('not_found', `Предмет № ${input.id} не найден. Выберите предмет из списка.`, { id: 'нет такого предмета' });
  }
  const twin = all.find((s) => s.id !== input.id && searchKey(s.name) === searchKey(input.name));
  if (twin) {
    assertNoProblems([{ field: 'name', message: `Название предмета: предмет «${twin.name}» уже есть — выберите его в списке или назовите иначе` }], 'Предмет не сохранён');
  }
  const row = { name: input.name, short_name: input.shortName, part: input.part, sort_order: input.sortOrder };
  if (!before) {
    const created = await trx.insertInto('subject').values(row).returning('id').executeTakeFirstOrThrow();
    return { id: created.id, created: true, fields: ['name', 'shortName', 'part', 'sortOrder'] };
  }
  const names = { name: 'name', short_name: 'shortName', part: 'part', sort_order: 'sortOrder' } as const;
  const changed = (Object.keys(row) as (keyof typeof row)[]).filter((k) => before[k] !== row[k]);
  if (changed.length > 0) await trx.updateTable('subject').set(row).where('id', '=', before.id).execute();
  return { id: before.id, created: false, fields: changed.map((k) => names[k]) };
}

export interface StaffInput {
  id?: number | undefined;
  lastName: string;
  firstName: string;
  middleName: string | null;
  position: string;
  active: boolean;
}

/** Creates or updates an employee (a person who has left is made inactive, never deleted). */
export async function saveStaff(trx: Db, input: StaffInput): Promise<{ id: number; created: boolean; fields: string[] }> {
  const before = input.id === undefined ? undefined : await trx.selectFrom('staff').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (input.id !== undefined && !before) {
    throw new ApiError('not_found', `Сотрудник № ${input.id} не найден. Выберите его из списка.`, { id: 'нет такого сотрудника' });
  }
  const middle = input.middleName?.trim() ? input.middleName.trim() : null;
  const row = { last_name: input.lastName, first_name: input.firstName, middle_name: middle, position: input.position, active: input.active ? 1 : 0 };
  if (!before) {
    const created = await trx.insertInto('staff').values(row).returning('id').executeTakeFirstOrThrow();
    return { id: created.id, created: true, fields: ['lastName', 'firstName', 'middleName', 'position', 'active'] };
  }
  const names = { last_name: 'lastName', first_name: 'firstName', middle_name: 'middleName', position: 'position', active: 'active' } as const;
  const changed = (Object.keys(row) as (keyof typeof row)[]).filter((k) => before[k] !== row[k]);
  if (changed.length > 0) await trx.updateTable('staff').set(row).where('id', '=', before.id).execute();
  return { id: before.id, created: false, fields: changed.map((k) => names[k]) };
}
