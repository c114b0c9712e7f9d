import { sql } from 'kysely';
import { ApiError } from '../../common/api/errors';
import type { YearStructure, YearSummary } from '../../common/api/year-contract';
import { comparePeople, classLabel } from '../../common/domain/russian';
import type { Db } from '../../db/connection';

/**
 * The read side of the year set-up: the list of years and one year's whole structure, as the
 * wizard and `year list` show them.
 */

interface YearRow {
  id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  closed: number;
  closed_at: string | null;
}

/** The day a year's head count is taken: today inside the year, else its last day. */
export function countingDay(year: { starts_on: string; ends_on: string }, today: string): string {
  return today >= year.starts_on && today <= year.ends_on ? today : year.ends_on;
}

/** «Иванова А. П.» */
export function shortName(p: { last_name: string; first_name: string; middle_name: string | null }): string {
  const initials = [p.first_name, p.middle_name ?? ''].filter((n) => n.trim()).map((n) => `${n.trim()[0]}.`);
  return [p.last_name, initials.join(' ')].filter(Boolean).join(' ');
}

export async function yearRow(db: Db, yearId: number): Promise<YearRow> {
  const row = await db.selectFrom('school_year').selectAll().where('id', '=', yearId).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Учебный год № ${yearId} не найден. Выберите год из списка.`, { yearId: 'нет такого учебного года' });
  return row;
}

/** Pupils per class of the year on the day (memberships are inclusive of both dates). */
async function pupilsByClass(db: Db, yearId: number, day: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('school_class as c', 'c.id', 'm.class_id')
    .where('c.year_id', '=', yearId)
    .where('m.from_date', '<=', day)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', day)]))
    .select(['m.class_id', sql<number>`count(distinct m.pupil_id)`.as('n')])
    .groupBy('m.class_id')
    .execute();
  return new Map(rows.map((r) => [r.class_id, Number(r.n)]));
}

async function summary(db: Db, year: YearRow, today: string): Promise<YearSummary> {
  const classes = await db
    .selectFrom('school_class')
    .where('year_id', '=', year.id)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const byClass = await pupilsByClass(db, year.id, countingDay(year, today));
  return {
    id: year.id,
    name: year.name,
    startsOn: year.starts_on,
    endsOn: year.ends_on,
    closed: year.closed === 1,
    closedAt: year.closed_at,
    classes: Number(classes.n),
    pupils: [...byClass.values()].reduce((a, b) => a + b, 0),
  };
}

/** Every year, oldest first. */
export async function listYears(db: Db, today: string): Promise<YearSummary[]> {
  const years = await db.selectFrom('school_year').selectAll().orderBy('starts_on').execute();
  const out: YearSummary[] = [];
  for (const y of years) out.push(await summary(db, y, today));
  return out;
}

/** The whole structure of one year: calendar, classes, subjects, curriculum and groups. */
export async function readYearStructure(db: Db, yearId: number, today: string): Promise<YearStructure> {
  const year = await yearRow(db, yearId);
  const periods = await db.selectFrom('period').selectAll().where('year_id', '=', yearId).orderBy('scheme').orderBy('number').execute();
  const holidays = await db.selectFrom('holiday').selectAll().where('year_id', '=', yearId).orderBy('starts_on').orderBy('id').execute();
  const classes = await db
    .selectFrom('school_class as c')
    .leftJoin('staff as t', 't.id', 'c.class_teacher_id')
    .select(['c.id', 'c.parallel', 'c.letter', 'c.period_scheme', 'c.class_teacher_id', 't.last_name', 't.first_name', 't.middle_name'])
    .where('c.year_id', '=', yearId)
    .orderBy('c.parallel')
    .orderBy('c.letter')
    .execute();
  const pupils = await pupilsByClass(db, yearId, countingDay(year, today));
  const subjects = await db.selectFrom('subject').selectAll().orderBy('sort_order').orderBy('name').execute();
  const classIds = classes.map((c) => c.id);
  const curriculum =
    classIds.length === 0
      ? []
      : await db.selectFrom('curriculum').selectAll().where('class_id', 'in', classIds).orderBy('class_id').orderBy('id').execute();
  const groups =
    classIds.length === 0
      ? []
      : await db.selectFrom('study_group').selectAll().where('class_id', 'in', classIds).orderBy('class_id').orderBy('subject_id').orderBy('name').execute();
  const groupIds = groups.map((g) => g.id);
  const members =
    groupIds.length === 0 ? [] : await db.selectFrom('group_member').select(['group_id', 'pupil_id']).where('group_id', 'in', groupIds).orderBy('pupil_id').execute();
  const membersOf = new Map<number, number[]>();
  for (const m of members) membersOf.set(m.group_id, [...(membersOf.get(m.group_id) ?? []), m.pupil_id]);

  return {
    year: await summary(db, year, today),
    periods: periods.map((p) => ({ id: p.id, scheme: p.scheme, number: p.number, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
    holidays: holidays.map((h) => ({ id: h.id, name: h.name, startsOn: h.starts_on, endsOn: h.ends_on })),
    classes: classes.map((c) => ({
      id: c.id,
      parallel: c.parallel,
      letter: c.letter,
      label: classLabel(c.parallel, c.letter),
      periodScheme: c.period_scheme,
      classTeacherId: c.class_teacher_id,
      classTeacher: c.last_name ? shortName({ last_name: c.last_name, first_name: c.first_name ?? '', middle_name: c.middle_name }) : null,
      pupils: pupils.get(c.id) ?? 0,
    })),
    subjects: subjects.map((s) => ({ id: s.id, name: s.name, shortName: s.short_name, part: s.part, sortOrder: s.sort_order })),
    curriculum: curriculum.map((r) => ({ classId: r.class_id, subjectId: r.subject_id, hoursPerWeek: r.hours_per_week, teacherId: r.teacher_id })),
    groups: groups.map((g) => ({ id: g.id, classId: g.class_id, subjectId: g.subject_id, name: g.name, teacherId: g.teacher_id, pupilIds: membersOf.get(g.id) ?? [] })),
  };
}

/** Every employee, in Russian alphabetical order. */
export async function listStaff(db: Db) {
  const rows = await db.selectFrom('staff').select(['id', 'last_name', 'first_name', 'middle_name', 'position', 'active']).execute();
  return rows
    .map((r) => ({ id: r.id, lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, position: r.position, active: r.active === 1 }))
    .sort((a, b) => comparePeople(a, b) || a.id - b.id);
}
