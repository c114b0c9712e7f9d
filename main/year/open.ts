import { ApiError } from '../../common/api/errors';
import { classLabel } from '../../common/domain/russian';
import {
  checkClassTeachers,
  checkPeriodsAndHolidays,
  checkYearDates,
  defaultPeriods,
  shiftYears,
  type CalendarHoliday,
  type CalendarPeriod,
  type PeriodScheme,
} from '../../common/domain/year-calendar';
import type { Db } from '../../db/connection';
import { assertNoProblems } from './refuse';

export interface OpenYearInput {
  name: string;
  startsOn: string;
  endsOn: string;
  copyFromYearId?: number;
}

export type CreatedTable = 'school_year' | 'period' | 'holiday' | 'school_class' | 'curriculum' | 'study_group';

export interface OpenedYear {
  yearId: number;
  copied: { classes: number; curriculum: number; groups: number; periods: number; holidays: number } | null;
  /** Every row created, by table (the close records them in year_close_row). */
  created: { table: CreatedTable; id: number }[];
}

/** Default scheme of a class with nothing to copy it from: quarters for 1–9, halves for 10–11. */
export function defaultScheme(parallel: number): PeriodScheme {
  return parallel >= 10 ? 'halves' : 'quarters';
}

interface SourceClass {
  id: number;
  parallel: number;
  letter: string;
  period_scheme: PeriodScheme;
  class_teacher_id: number | null;
}

interface PlannedClass {
  parallel: number;
  letter: string;
  scheme: PeriodScheme;
  teacherId: number | null;
  /** The old class whose curriculum and groups the new one takes, if any. */
  curriculumFrom: number | null;
}

/**
 * Classes of the new year rolled forward from the old one: (P, L) → (P+1, L) for P ≤ 10 with its
 * scheme and class teacher; new 1st classes with the letters of the old 1st classes, no teacher.
 * Curriculum of new (P, L) comes from old (P, L), else from any old class of parallel P.
 */
export function planClasses(source: readonly SourceClass[], activeStaff: ReadonlySet<number>): PlannedClass[] {
  const sorted = [...source].sort((a, b) => a.parallel - b.parallel || a.letter.localeCompare(b.letter, 'ru'));
  const curriculumSource = (parallel: number, letter: string): number | null =>
    sorted.find((c) => c.parallel === parallel && c.letter === letter)?.id ?? sorted.find((c) => c.parallel === parallel)?.id ?? null;
  const planned: PlannedClass[] = [];
  for (const old of sorted.filter((c) => c.parallel === 1)) {
    planned.push({ parallel: 1, letter: old.letter, scheme: old.period_scheme, teacherId: null, curriculumFrom: curriculumSource(1, old.letter) });
  }
  for (const old of sorted.filter((c) => c.parallel <= 10)) {
    const parallel = old.parallel + 1;
    // A teacher who has left the school is not carried into the new year.
    const teacherId = old.class_teacher_id !== null && activeStaff.has(old.class_teacher_id) ? old.class_teacher_id : null;
    planned.push({ parallel, letter: old.letter, scheme: old.period_scheme, teacherId, curriculumFrom: curriculumSource(parallel, old.letter) });
  }
  return planned.sort((a, b) => a.parallel - b.parallel || a.letter.localeCompare(b.letter, 'ru'));
}

/** Old periods a year later, kept inside the new year's dates (its first and last days may differ). */
function shiftedPeriods(rows: readonly CalendarPeriod[], startsOn: string, endsOn: string): CalendarPeriod[] {
  return rows.map((p) => {
    const from = shiftYears(p.startsOn, 1);
    const to = shiftYears(p.endsOn, 1);
    return { ...p, startsOn: from < startsOn ? startsOn : from, endsOn: to > endsOn ? endsOn : to };
  });
}

/**
 * Opens a school year: the year, its calendar and, with `copyFromYearId`, the structure of that
 * year rolled forward (classes 5А → 6А with their class teachers, curriculum, groups without
 * members, periods and holidays a year later). Without a source: the year with default periods
 * for both schemes (4 quarters, 2 halves) and no holidays. Runs inside the caller's transaction;
 * refuses (ApiError, nothing written) when the year or the resulting calendar is invalid.
 */
export async function openYear(trx: Db, input: OpenYearInput): Promise<OpenedYear> {
  const others = await trx.selectFrom('school_year').select(['name', 'starts_on', 'ends_on']).execute();
  assertNoProblems(
    checkYearDates(
      input,
      others.map((o) => ({ name: o.name, startsOn: o.starts_on, endsOn: o.ends_on })),
    ),
    `Учебный год ${input.name} не открыт`,
  );

  let source: { id: number; name: string } | null = null;
  if (input.copyFromYearId !== undefined) {
    const row = await trx.selectFrom('school_year').select(['id', 'name']).where('id', '=', input.copyFromYearId).executeTakeFirst();
    if (!row) {
      throw new ApiError('not_found', `Учебный год № ${input.copyFromYearId}, из которого копировать структуру, не найден. Выберите год из списка.`, {
        copyFromYearId: 'нет такого учебного года',
      });
    }
    source = row;
  }

  // The calendar first, so that a calendar that does not fit refuses before anything is written.
  let periods: CalendarPeriod[];
  let holidays: CalendarHoliday[];
  if (source) {
    const oldPeriods = await trx
      .selectFrom('period')
      .select(['scheme', 'number', 'name', 'starts_on', 'ends_on'])
      .where('year_id', '=', source.id)
      .orderBy('scheme')
      .orderBy('number')
      .execute();
    periods = shiftedPeriods(
      oldPeriods.map((p) => ({ scheme: p.scheme, number: p.number, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
      input.startsOn,
      input.endsOn,
    );
    const oldHolidays = await trx.selectFrom('holiday').select(['name', 'starts_on', 'ends_on']).where('year_id', '=', source.id).orderBy('starts_on').execute();
    holidays = oldHolidays.map((h) => ({ name: h.name, startsOn: shiftYears(h.starts_on, 1), endsOn: shiftYears(h.ends_on, 1) }));
  } else {
    periods = defaultPeriods(input.startsOn, input.endsOn);
    holidays = [];
  }
  assertNoProblems(
    checkPeriodsAndHolidays(input, periods, holidays),
    source ? `Календарь ${source.name}, перенесённый на ${input.name}, не подходит к датам года — измените даты или откройте год без копирования` : 'Календарь года',
  );

  let planned: PlannedClass[] = [];
  let active = new Set<number>();
  if (source) {
    const oldClasses = await trx
      .selectFrom('school_class')
      .select(['id', 'parallel', 'letter', 'period_scheme', 'class_teacher_id'])
      .where('year_id', '=', source.id)
      .execute();
    active = new Set((await trx.selectFrom('staff').select('id').where('active', '=', 1).execute()).map((s) => s.id));
    planned = planClasses(oldClasses, active);
    assertNoProblems(
      checkClassTeachers(planned.map((c) => ({ label: classLabel(c.parallel, c.letter), classTeacherId: c.teacherId }))),
      `Классы ${source.name} не перенесены`,
    );
  }

  const created: OpenedYear['created'] = [];
  const year = await trx
    .insertInto('school_year')
    .values({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn, closed: 0, closed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  created.push({ table: 'school_year', id: year.id });

  for (const p of periods) {
    const row = await trx
      .insertInto('period')
      .values({ year_id: year.id, scheme: p.scheme, number: p.number, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn })
      .returning('id')
      .executeTakeFirstOrThrow();
    created.push({ table: 'period', id: row.id });
  }
  for (const h of holidays) {
    const row = await trx
      .insertInto('holiday')
      .values({ year_id: year.id, name: h.name, starts_on: h.startsOn, ends_on: h.endsOn })
      .returning('id')
      .executeTakeFirstOrThrow();
    created.push({ table: 'holiday', id: row.id });
  }
  if (!source) return { yearId: year.id, copied: null, created };

  const keepTeacher = (id: number | null): number | null => (id !== null && active.has(id) ? id : null);
  let curriculumCount = 0;
  let groupCount = 0;
  for (const c of planned) {
    const cls = await trx
      .insertInto('school_class')
      .values({ year_id: year.id, parallel: c.parallel, letter: c.letter, period_scheme: c.scheme, class_teacher_id: c.teacherId })
      .returning('id')
      .executeTakeFirstOrThrow();
    created.push({ table: 'school_class', id: cls.id });
    if (c.curriculumFrom === null) continue;
    const rows = await trx
      .selectFrom('curriculum')
      .select(['subject_id', 'hours_per_week', 'teacher_id'])
      .where('class_id', '=', c.curriculumFrom)
      .orderBy('id')
      .execute();
    if (rows.length > 0) {
      const ids = await trx
        .insertInto('curriculum')
        .values(rows.map((r) => ({ class_id: cls.id, subject_id: r.subject_id, hours_per_week: r.hours_per_week, teacher_id: keepTeacher(r.teacher_id) })))
        .returning('id')
        .execute();
      for (const r of ids) created.push({ table: 'curriculum', id: r.id });
      curriculumCount += ids.length;
    }
    const groups = await trx
      .selectFrom('study_group')
      .select(['subject_id', 'name', 'teacher_id'])
      .where('class_id', '=', c.curriculumFrom)
      .orderBy('id')
      .execute();
    if (groups.length > 0) {
      const ids = await trx
        .insertInto('study_group')
        .values(groups.map((g) => ({ class_id: cls.id, subject_id: g.subject_id, name: g.name, teacher_id: keepTeacher(g.teacher_id) })))
        .returning('id')
        .execute();
      for (const r of ids) created.push({ table: 'study_group', id: r.id });
      groupCount += ids.length;
    }
  }

  return {
    yearId: year.id,
    copied: { classes: planned.length, curriculum: curriculumCount, groups: groupCount, periods: periods.length, holidays: holidays.length },
    created,
  };
}
