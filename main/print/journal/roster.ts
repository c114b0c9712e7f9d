import { ApiError } from '../../../common/api/errors';
import { classLabel, comparePeople } from '../../../common/domain/russian';
import type { Db } from '../../../db/connection';
import { ruDate } from '../../../templates/layout';
import type { RowPupil } from '../../../templates/journal/types';
import { fullName, initialsFirst } from '../documents';
import { readSchool } from '../../handlers/school';
import type { SchoolHeader } from '../../../templates/types';

/**
 * What the class journal and the ledgers share: the class and its year, the pupils who were in
 * the class at any time of the year (with the spans of their membership), the school header.
 */

export interface ClassInfo {
  id: number;
  label: string;
  parallel: number;
  scheme: 'quarters' | 'halves' | 'trimesters';
  yearId: number;
  yearName: string;
  yearStart: string;
  yearEnd: string;
  /** The class teacher's full name, or null. */
  teacher: string | null;
}

export const CLASS_NOT_FOUND = 'Класс не найден: возможно, он удалён или номер указан неверно. Обновите список классов.';
export const YEAR_NOT_FOUND = 'Учебный год не найден: возможно, он удалён или номер указан неверно. Обновите список учебных лет.';

function classInfoQuery(db: Db) {
  return db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .leftJoin('staff as s', 's.id', 'c.class_teacher_id')
    .select([
      'c.id',
      'c.parallel',
      'c.letter',
      'c.period_scheme',
      'y.id as year_id',
      'y.name as year_name',
      'y.starts_on',
      'y.ends_on',
      's.last_name',
      's.first_name',
      's.middle_name',
    ]);
}

type ClassInfoRow = Awaited<ReturnType<ReturnType<typeof classInfoQuery>['executeTakeFirstOrThrow']>>;

function toClassInfo(row: ClassInfoRow): ClassInfo {
  return {
    id: row.id,
    label: classLabel(row.parallel, row.letter),
    parallel: row.parallel,
    scheme: row.period_scheme,
    yearId: row.year_id,
    yearName: row.year_name,
    yearStart: row.starts_on,
    yearEnd: row.ends_on,
    teacher: row.last_name ? fullName({ last_name: row.last_name, first_name: row.first_name ?? '', middle_name: row.middle_name }) : null,
  };
}

/** The class with its year, or a not_found refusal. */
export async function classInfo(db: Db, classId: number): Promise<ClassInfo> {
  const row = await classInfoQuery(db).where('c.id', '=', classId).executeTakeFirst();
  if (!row) throw new ApiError('not_found', CLASS_NOT_FOUND);
  return toClassInfo(row);
}

/** All classes of a year, in order (1А, 1Б, …, 11Б). */
export async function classesOfYear(db: Db, yearId: number): Promise<ClassInfo[]> {
  const rows = await classInfoQuery(db).where('c.year_id', '=', yearId).orderBy('c.parallel').orderBy('c.letter').execute();
  return rows.map(toClassInfo);
}

export async function yearById(db: Db, yearId: number): Promise<{ id: number; name: string; startsOn: string; endsOn: string }> {
  const year = await db.selectFrom('school_year').select(['id', 'name', 'starts_on', 'ends_on']).where('id', '=', yearId).executeTakeFirst();
  if (!year) throw new ApiError('not_found', YEAR_NOT_FOUND);
  return { id: year.id, name: year.name, startsOn: year.starts_on, endsOn: year.ends_on };
}

/** A pupil of the class over the year with the spans of their membership (from, to|null), oldest first. */
export interface RosterPupil {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  spans: { from: string; to: string | null }[];
}

/** Everyone who was in the class during its year, alphabetical («Фамилия Имя Отчество», then id). */
export async function loadRoster(db: Db, cls: ClassInfo): Promise<RosterPupil[]> {
  const rows = await db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'm.from_date', 'm.to_date'])
    .where('m.class_id', '=', cls.id)
    .where('m.from_date', '<=', cls.yearEnd)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', cls.yearStart)]))
    .orderBy('m.from_date')
    .orderBy('m.id')
    .execute();
  const byId = new Map<number, RosterPupil>();
  for (const r of rows) {
    let pupil = byId.get(r.id);
    if (!pupil) {
      pupil = { id: r.id, lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, spans: [] };
      byId.set(r.id, pupil);
    }
    pupil.spans.push({ from: r.from_date, to: r.to_date });
  }
  return [...byId.values()].sort((a, b) => comparePeople(a, b) || a.id - b.id);
}

/** Was the pupil in the class on the day? */
export function inClassOn(pupil: RosterPupil, day: string): boolean {
  return pupil.spans.some((s) => s.from <= day && (s.to === null || s.to >= day));
}

/** «с 20.10.2025», «по 14.04.2026», «с 20.10.2025 по 14.04.2026» when the pupil did not spend the whole year in the class. */
export function membershipNote(pupil: RosterPupil, yearStart: string, yearEnd: string): string | null {
  const parts: string[] = [];
  pupil.spans.forEach((s) => {
    const from = s.from > yearStart ? `с ${ruDate(s.from)}` : '';
    const to = s.to !== null && s.to < yearEnd ? `по ${ruDate(s.to)}` : '';
    const text = [from, to].filter(Boolean).join(' ');
    if (text) parts.push(text);
  });
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The grid rows: numbered, «Фамилия Имя», with the note of joining or leaving. */
export function rowPupils(pupils: readonly RosterPupil[], cls: Pick<ClassInfo, 'yearStart' | 'yearEnd'>): RowPupil[] {
  return pupils.map((p, i) => ({ number: i + 1, name: `${p.lastName} ${p.firstName}`, note: membershipNote(p, cls.yearStart, cls.yearEnd) }));
}

/** «Фамилия И. О.» of a staff member. */
export function staffShort(s: { last_name: string; first_name: string; middle_name: string | null }): string {
  const initials = [s.first_name, s.middle_name]
    .filter((part): part is string => Boolean(part && part.trim()))
    .map((part) => `${part.trim()[0]?.toUpperCase() ?? ''}.`)
    .join(' ');
  return initials ? `${s.last_name} ${initials}` : s.last_name;
}

/** Staff «Фамилия И. О.» by id, for the ids given (one query). */
export async function staffNames(db: Db, ids: Iterable<number | null>): Promise<Map<number, string>> {
  const wanted = [...new Set([...ids].filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'last_name', 'first_name', 'middle_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, staffShort(r)]));
}

/** The school as the volumes print it: full name, address, the director «И. О. Фамилия». */
export async function volumeSchool(db: Db): Promise<SchoolHeader> {
  const school = await readSchool(db);
  return { name: school.name || 'Образовательная организация', address: school.address, directorShort: initialsFirst(school.directorName) };
}

/** The periods of a scheme in the year, in order. */
export async function periodsOf(db: Db, yearId: number, scheme: ClassInfo['scheme']) {
  return db.selectFrom('period').select(['id', 'name', 'starts_on', 'ends_on']).where('year_id', '=', yearId).where('scheme', '=', scheme).orderBy('number').execute();
}

/** Splits an array into runs of `size` (for `in (…)` lists that stay under SQLite's limits). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
