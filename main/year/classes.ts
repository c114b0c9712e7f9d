import { ApiError } from '../../common/api/errors';
import { classLabel } from '../../common/domain/russian';
import { SCHEME_LABELS, type CalendarProblem, type PeriodScheme } from '../../common/domain/year-calendar';
import type { Db } from '../../db/connection';
import { existingStaff, writableClass, writableYear } from './guard';
import { assertNoProblems } from './refuse';

export interface ClassInput {
  yearId: number;
  id?: number | undefined;
  parallel: number;
  letter: string;
  periodScheme: PeriodScheme;
  classTeacherId: number | null;
}

/**
 * Creates or updates a class of an open year. Refuses, naming the field, a second class with
 * the same parallel and letter, a class teacher who is missing, has left, or already leads
 * another class of the year, and a period scheme the year's calendar has no periods for.
 */
export async function saveClass(trx: Db, input: ClassInput): Promise<{ id: number; created: boolean; fields: string[] }> {
  const year = await writableYear(trx, input.yearId);
  const label = classLabel(input.parallel, input.letter);
  const before = input.id === undefined ? null : await trx.selectFrom('school_class').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (input.id !== undefined && (!before || before.year_id !== year.id)) {
    throw new ApiError('not_found', `Класс № ${input.id} не найден в учебном году ${year.name}. Выберите класс из списка.`, { id: 'нет такого класса в этом году' });
  }
  const problems: CalendarProblem[] = [];
  const twin = await trx
    .selectFrom('school_class')
    .select('id')
    .where('year_id', '=', year.id)
    .where('parallel', '=', input.parallel)
    .where('letter', '=', input.letter)
    .where('id', '!=', input.id ?? -1)
    .executeTakeFirst();
  if (twin) problems.push({ field: 'letter', message: `Литера: класс ${label} в учебном году ${year.name} уже есть — выберите другую литеру` });

  if (input.classTeacherId !== null) {
    const staff = await existingStaff(trx, [input.classTeacherId]);
    const teacher = staff.get(input.classTeacherId);
    if (!teacher) {
      problems.push({ field: 'classTeacherId', message: `Классный руководитель ${label}: сотрудник № ${input.classTeacherId} не найден — выберите его из списка` });
    } else if (!teacher.active && before?.class_teacher_id !== input.classTeacherId) {
      problems.push({ field: 'classTeacherId', message: `Классный руководитель ${label}: сотрудник не работает в школе — выберите действующего` });
    } else {
      const other = await trx
        .selectFrom('school_class')
        .select(['parallel', 'letter'])
        .where('year_id', '=', year.id)
        .where('class_teacher_id', '=', input.classTeacherId)
        .where('id', '!=', input.id ?? -1)
        .executeTakeFirst();
      if (other) {
        problems.push({
          field: 'classTeacherId',
          message: `Классный руководитель ${label}: этот сотрудник уже классный руководитель ${classLabel(other.parallel, other.letter)}; у учителя может быть только один класс в году`,
        });
      }
    }
  }

  const hasPeriods = await trx.selectFrom('period').select('id').where('year_id', '=', year.id).where('scheme', '=', input.periodScheme).executeTakeFirst();
  if (!hasPeriods) {
    problems.push({
      field: 'periodScheme',
      message: `Схема периодов ${label}: в календаре ${year.name} нет периодов схемы «${SCHEME_LABELS[input.periodScheme]}» — сначала добавьте их в календарь`,
    });
  }
  assertNoProblems(problems, `Класс ${label} не сохранён`);

  const row = { parallel: input.parallel, letter: input.letter, period_scheme: input.periodScheme, class_teacher_id: input.classTeacherId };
  if (!before) {
    const created = await trx
      .insertInto('school_class')
      .values({ year_id: year.id, ...row })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: created.id, created: true, fields: ['parallel', 'letter', 'periodScheme', 'classTeacherId'] };
  }
  const names: Record<keyof typeof row, string> = { parallel: 'parallel', letter: 'letter', period_scheme: 'periodScheme', class_teacher_id: 'classTeacherId' };
  const fields = (Object.keys(row) as (keyof typeof row)[]).filter((k) => before[k] !== row[k]);
  if (fields.length > 0) await trx.updateTable('school_class').set(row).where('id', '=', before.id).execute();
  return { id: before.id, created: false, fields: fields.map((k) => names[k]) };
}

async function countWhere(trx: Db, query: Promise<{ n: number | string | bigint } | undefined>): Promise<number> {
  return Number((await query)?.n ?? 0);
}

/**
 * Deletes a class of an open year with its curriculum and groups, unless it has a history:
 * pupils (ever), movements, lessons, marks, final marks of its pupils, archive volumes. Such a
 * class is refused with what it holds: its history must stay.
 */
export async function deleteClass(trx: Db, classId: number): Promise<{ yearId: number; curriculum: number; groups: number }> {
  const { cls, year } = await writableClass(trx, classId);
  const label = classLabel(cls.parallel, cls.letter);
  const count = (table: 'class_membership' | 'lesson' | 'archive_volume') =>
    countWhere(trx, trx.selectFrom(table).where('class_id', '=', classId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const pupils = await countWhere(
    trx,
    trx
      .selectFrom('class_membership')
      .where('class_id', '=', classId)
      .select((eb) => eb.fn.count<number>('pupil_id').distinct().as('n'))
      .executeTakeFirst(),
  );
  const movements = await countWhere(
    trx,
    trx
      .selectFrom('movement_event')
      .where((w) => w.or([w('from_class_id', '=', classId), w('to_class_id', '=', classId)]))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  );
  const lessons = await count('lesson');
  const marks = await countWhere(
    trx,
    trx
      .selectFrom('mark as k')
      .innerJoin('lesson as l', 'l.id', 'k.lesson_id')
      .where('l.class_id', '=', classId)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  );
  const finalMarks = await countWhere(
    trx,
    trx
      .selectFrom('final_mark as f')
      .where('f.year_id', '=', cls.year_id)
      .where('f.pupil_id', 'in', (eb) => eb.selectFrom('class_membership').select('pupil_id').where('class_id', '=', classId))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  );
  const volumes = await count('archive_volume');
  const held = [
    pupils > 0 ? `обучающиеся (${pupils})` : null,
    movements > 0 ? `записи о движении (${movements})` : null,
    lessons > 0 ? `уроки (${lessons})` : null,
    marks > 0 ? `отметки (${marks})` : null,
    finalMarks > 0 ? `итоговые отметки (${finalMarks})` : null,
    volumes > 0 ? `тома архива (${volumes})` : null,
  ].filter((x): x is string => x !== null);
  if (held.length > 0) {
    throw new ApiError(
      'refused',
      `Класс ${label} (${year.name}) не удалён: в нём есть ${held.join(', ')}. История класса должна сохраниться: переведите обучающихся приказом, а ошибочно созданный класс переименуйте (смените литеру).`,
    );
  }
  const curriculum = await trx.deleteFrom('curriculum').where('class_id', '=', classId).executeTakeFirst();
  const groups = await trx.deleteFrom('study_group').where('class_id', '=', classId).executeTakeFirst();
  await trx.deleteFrom('school_class').where('id', '=', classId).execute();
  return { yearId: cls.year_id, curriculum: Number(curriculum.numDeletedRows), groups: Number(groups.numDeletedRows) };
}
