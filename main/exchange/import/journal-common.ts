import { classLabel, parseClassLabel, searchKey } from '../../../common/domain/russian';
import type { EntityCounts, ReportEntity } from '../../../common/exchange/report';
import { emptyCounts } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';

/**
 * What the journal importers (lessons, journal-report, final-marks, kiasuo) share: finding the
 * school year, the class, the pupil among the class's members and the subject in the register.
 * Nothing here creates a pupil or a subject: what cannot be matched is reported by the caller.
 */

export interface YearRow {
  id: number;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface ClassRef {
  id: number;
  label: string;
  yearId: number;
}

export interface Member {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  snils: string | null;
}

/** The key of a person's ФИО for matching: case, ё→е, spaces; a missing patronymic is empty. */
export function nameKey(lastName: string, firstName: string, middleName: string | null | undefined): string {
  return searchKey(`${lastName} ${firstName} ${middleName ?? ''}`);
}

export function fullName(p: { lastName: string; firstName: string; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** Counts per report entity, created lazily so that an importer reports only what applies. */
export class Counts {
  readonly counts: Partial<Record<ReportEntity, EntityCounts>> = {};

  add(entity: ReportEntity, kind: keyof EntityCounts, n = 1): void {
    const c = (this.counts[entity] ??= emptyCounts());
    c[kind] += n;
  }

  touch(entity: ReportEntity): void {
    this.counts[entity] ??= emptyCounts();
  }
}

export async function yearByName(trx: Db, name: string): Promise<YearRow | null> {
  return (await trx.selectFrom('school_year').select(['id', 'name', 'starts_on', 'ends_on']).where('name', '=', name.trim()).executeTakeFirst()) ?? null;
}

/** The school year holding `date`. */
export async function yearOfDate(trx: Db, date: string): Promise<YearRow | null> {
  return (
    (await trx
      .selectFrom('school_year')
      .select(['id', 'name', 'starts_on', 'ends_on'])
      .where('starts_on', '<=', date)
      .where('ends_on', '>=', date)
      .orderBy('starts_on', 'desc')
      .executeTakeFirst()) ?? null
  );
}

/**
 * The year a file without dates (final marks) belongs to: the one holding today, else the last
 * one begun by today (a summer import of the year just ended), else the first.
 */
export async function currentYear(trx: Db, today: string): Promise<YearRow | null> {
  const holding = await yearOfDate(trx, today);
  if (holding) return holding;
  const begun = await trx.selectFrom('school_year').select(['id', 'name', 'starts_on', 'ends_on']).where('starts_on', '<=', today).orderBy('starts_on', 'desc').executeTakeFirst();
  return begun ?? (await trx.selectFrom('school_year').select(['id', 'name', 'starts_on', 'ends_on']).orderBy('starts_on').executeTakeFirst()) ?? null;
}

/** Classes of one year by label, read once. */
export class ClassFinder {
  private readonly byYear = new Map<number, Map<string, ClassRef>>();

  constructor(private readonly trx: Db) {}

  async find(year: YearRow, label: string | { parallel: number; letter: string }): Promise<ClassRef | null> {
    const parsed = typeof label === 'string' ? parseClassLabel(label) : label;
    if (!parsed) return null;
    let map = this.byYear.get(year.id);
    if (!map) {
      const rows = await this.trx.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('year_id', '=', year.id).execute();
      map = new Map(rows.map((r) => [classLabel(r.parallel, r.letter.toUpperCase()), { id: r.id, label: classLabel(r.parallel, r.letter), yearId: year.id }]));
      this.byYear.set(year.id, map);
    }
    return map.get(classLabel(parsed.parallel, parsed.letter.toUpperCase())) ?? null;
  }

  forget(yearId: number): void {
    this.byYear.delete(yearId);
  }
}

/** The pupils who were members of a class at any time during the year. */
export async function classMembers(trx: Db, classId: number, year: YearRow): Promise<Member[]> {
  const rows = await trx
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'p.birth_date', 'p.snils'])
    .where('m.class_id', '=', classId)
    .where('m.from_date', '<=', year.ends_on)
    .where((w) => w.or([w('m.to_date', 'is', null), w('m.to_date', '>=', year.starts_on)]))
    .distinct()
    .execute();
  return rows.map((r) => ({ id: r.id, lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, birthDate: r.birth_date, snils: r.snils }));
}

/** Members of a class by ФИО key, read once per class. */
export class MemberFinder {
  private readonly byClass = new Map<number, Map<string, Member[]>>();

  constructor(
    private readonly trx: Db,
    private readonly year: YearRow,
  ) {}

  /**
   * The one member with this ФИО (and birth date when given). Null when none, or when two
   * namesakes cannot be told apart: guessing would attach marks to the wrong child.
   */
  async find(cls: ClassRef, person: { lastName: string; firstName: string; middleName: string | null; birthDate?: string | null }): Promise<Member | null> {
    let map = this.byClass.get(cls.id);
    if (!map) {
      map = new Map();
      for (const m of await classMembers(this.trx, cls.id, this.year)) {
        const key = nameKey(m.lastName, m.firstName, m.middleName);
        map.set(key, [...(map.get(key) ?? []), m]);
      }
      this.byClass.set(cls.id, map);
    }
    const found = (map.get(nameKey(person.lastName, person.firstName, person.middleName)) ?? []).filter((m) => !person.birthDate || m.birthDate === person.birthDate);
    return found.length === 1 ? found[0]! : null;
  }
}

export function pupilNotFound(person: { lastName: string; firstName: string; middleName?: string | null }, cls: string, year: string): string {
  return `обучающийся «${fullName(person)}» не найден в классе ${cls} в ${year} учебном году`;
}

export function subjectNotFound(name: string): string {
  return `предмет «${name}» не найден в справочнике предметов`;
}

export function classNotFound(label: string, year: string): string {
  return `класс «${label}» не найден в ${year} учебном году`;
}

/** Subjects by normalised name; never created by an import. */
export async function subjectMap(trx: Db): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('subject').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [searchKey(r.name), r.id]));
}

/** Rows per multi-row INSERT: few statements, and far below SQLite's limit of bound values. */
const INSERT_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Lessons of the journal (marks and attendance) found by class, subject and date, or created
 * with an empty topic. A lesson of a group is never taken for the class's: the class lesson
 * (no group) of that day is preferred, then the first of that day.
 *
 * `resolve` finds or creates the lessons of a whole file at once (one query per class and
 * subject, multi-row inserts); `idOf` then answers without the database. `get` does the same
 * for one lesson at a time.
 */
export class LessonFinder {
  private readonly cache = new Map<string, number>();
  private readonly loaded = new Set<string>();
  /** Lessons already counted (found as unchanged, or created). */
  private readonly seen = new Set<number>();

  constructor(
    private readonly trx: Db,
    private readonly counts: Counts,
  ) {}

  private async load(classId: number, subjectId: number): Promise<void> {
    const pair = `${classId}|${subjectId}`;
    if (this.loaded.has(pair)) return;
    const rows = await this.trx
      .selectFrom('lesson')
      .select(['id', 'lesson_date', 'group_id'])
      .where('class_id', '=', classId)
      .where('subject_id', '=', subjectId)
      .orderBy('group_id')
      .orderBy('lesson_number')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const key = `${pair}|${r.lesson_date}`;
      if (!this.cache.has(key)) this.cache.set(key, r.id);
    }
    this.loaded.add(pair);
  }

  /** The known lesson's id, counted as unchanged the first time; undefined when there is none yet. */
  private known(key: string): number | undefined {
    const id = this.cache.get(key);
    if (id !== undefined && !this.seen.has(id)) {
      this.counts.add('lessons', 'unchanged');
      this.seen.add(id);
    }
    return id;
  }

  async get(classId: number, subjectId: number, date: string): Promise<number> {
    await this.load(classId, subjectId);
    const key = `${classId}|${subjectId}|${date}`;
    const known = this.known(key);
    if (known !== undefined) return known;
    const inserted = await this.trx
      .insertInto('lesson')
      .values({ class_id: classId, subject_id: subjectId, lesson_date: date, topic: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.counts.add('lessons', 'created');
    this.seen.add(inserted.id);
    this.cache.set(key, inserted.id);
    return inserted.id;
  }

  /** Finds or creates every lesson named (in the order first named), so that `idOf` answers for each. */
  async resolve(wanted: Iterable<{ classId: number; subjectId: number; date: string }>): Promise<void> {
    // Each named lesson once, in the order first named (so new lessons get their ids in that order).
    const named = new Map<string, { classId: number; subjectId: number; date: string }>();
    for (const w of wanted) {
      const key = `${w.classId}|${w.subjectId}|${w.date}`;
      if (!named.has(key)) named.set(key, w);
    }
    const pairs = new Map<string, { classId: number; subjectId: number }>();
    for (const w of named.values()) pairs.set(`${w.classId}|${w.subjectId}`, w);
    for (const pair of pairs.values()) await this.load(pair.classId, pair.subjectId);
    const missing = new Map<string, { class_id: number; subject_id: number; lesson_date: string; topic: string }>();
    for (const [key, w] of named) {
      if (this.known(key) === undefined) missing.set(key, { class_id: w.classId, subject_id: w.subjectId, lesson_date: w.date, topic: '' });
    }
    for (const chunk of chunks([...missing.values()], INSERT_CHUNK)) {
      // Matched back by their own columns: RETURNING does not promise the order of the rows.
      const rows = await this.trx.insertInto('lesson').values(chunk).returning(['id', 'class_id', 'subject_id', 'lesson_date']).execute();
      for (const r of rows) {
        this.cache.set(`${r.class_id}|${r.subject_id}|${r.lesson_date}`, r.id);
        this.seen.add(r.id);
      }
      this.counts.add('lessons', 'created', rows.length);
    }
  }

  /** The id of a lesson `resolve` has found or created. */
  idOf(classId: number, subjectId: number, date: string): number {
    const id = this.known(`${classId}|${subjectId}|${date}`);
    if (id === undefined) throw new Error('LessonFinder.idOf: the lesson was not resolved first');
    return id;
  }
}

export type AttendanceCode = 'Н' | 'Б' | 'У' | 'О';

/**
 * Writes the marks and attendance of a set of (lesson, pupil) cells. Marks of one cell are
 * compared as a multiset of values: the same → unchanged; different → replaced (updated); none
 * in the app → created. Attendance is one per (lesson, pupil). Cells the file does not mention
 * are left as they are.
 *
 * Compared per slice of lessons, then written per slice in a few multi-row statements (deletes,
 * updates grouped by code, inserts): thousands of one-row statements were most of an import's time.
 */
export async function writeJournalCells(
  trx: Db,
  counts: Counts,
  cells: Map<string, { lessonId: number; pupilId: number; marks: string[]; attendance: AttendanceCode | null }>,
  progress: (done: number, total: number) => void,
): Promise<void> {
  counts.touch('marks');
  counts.touch('attendance');
  const byLesson = new Map<number, { pupilId: number; marks: string[]; attendance: AttendanceCode | null }[]>();
  for (const c of cells.values()) {
    const list = byLesson.get(c.lessonId);
    if (list) list.push(c);
    else byLesson.set(c.lessonId, [c]);
  }
  const lessonIds = [...byLesson.keys()];
  let done = 0;
  for (const slice of chunks(lessonIds, 400)) {
    const existingMarks = await trx.selectFrom('mark').select(['id', 'lesson_id', 'pupil_id', 'value']).where('lesson_id', 'in', slice).execute();
    const existingAtt = await trx.selectFrom('attendance').select(['id', 'lesson_id', 'pupil_id', 'code']).where('lesson_id', 'in', slice).execute();
    const marksOf = new Map<string, { id: number; value: string }[]>();
    for (const m of existingMarks) {
      const k = `${m.lesson_id}|${m.pupil_id}`;
      const list = marksOf.get(k);
      if (list) list.push(m);
      else marksOf.set(k, [m]);
    }
    const attOf = new Map(existingAtt.map((a) => [`${a.lesson_id}|${a.pupil_id}`, a]));
    const staleMarks: number[] = [];
    const newMarks: { lesson_id: number; pupil_id: number; value: string }[] = [];
    const newAttendance: { lesson_id: number; pupil_id: number; code: AttendanceCode }[] = [];
    const changedAttendance = new Map<AttendanceCode, number[]>();
    for (const lessonId of slice) {
      for (const c of byLesson.get(lessonId)!) {
        const k = `${lessonId}|${c.pupilId}`;
        if (c.marks.length > 0) {
          const have = marksOf.get(k) ?? [];
          const same = have.length === c.marks.length && have.map((h) => h.value).sort().join(',') === [...c.marks].sort().join(',');
          if (same) counts.add('marks', 'unchanged', c.marks.length);
          else {
            staleMarks.push(...have.map((h) => h.id));
            for (const value of c.marks) newMarks.push({ lesson_id: lessonId, pupil_id: c.pupilId, value });
            counts.add('marks', have.length > 0 ? 'updated' : 'created', c.marks.length);
          }
        }
        if (c.attendance) {
          const have = attOf.get(k);
          if (!have) {
            newAttendance.push({ lesson_id: lessonId, pupil_id: c.pupilId, code: c.attendance });
            counts.add('attendance', 'created');
          } else if (have.code !== c.attendance) {
            const ids = changedAttendance.get(c.attendance);
            if (ids) ids.push(have.id);
            else changedAttendance.set(c.attendance, [have.id]);
            counts.add('attendance', 'updated');
          } else counts.add('attendance', 'unchanged');
        }
        done += 1;
      }
      progress(done, cells.size);
    }
    for (const ids of chunks(staleMarks, INSERT_CHUNK)) await trx.deleteFrom('mark').where('id', 'in', ids).execute();
    for (const rows of chunks(newMarks, INSERT_CHUNK)) await trx.insertInto('mark').values(rows).execute();
    for (const [code, all] of changedAttendance) {
      for (const ids of chunks(all, INSERT_CHUNK)) await trx.updateTable('attendance').set({ code }).where('id', 'in', ids).execute();
    }
    for (const rows of chunks(newAttendance, INSERT_CHUNK)) await trx.insertInto('attendance').values(rows).execute();
  }
}

/**
 * The last import's values of a record's fields (import_baseline), so that a re-import tells a
 * hand edit in the app (kept, or a conflict) from a change in the file (applied).
 */
export async function readBaseline(trx: Db, entity: string, entityId: number): Promise<Record<string, string | null>> {
  const rows = await trx.selectFrom('import_baseline').select(['field', 'value']).where('entity', '=', entity).where('entity_id', '=', entityId).execute();
  return Object.fromEntries(rows.map((r) => [r.field, r.value]));
}

export async function writeBaseline(trx: Db, entity: string, entityId: number, fields: Record<string, string | null>, profile: string, at: string): Promise<void> {
  const values = Object.entries(fields).map(([field, value]) => ({ entity, entity_id: entityId, field, value, profile, imported_at: at }));
  if (values.length === 0) return;
  await trx
    .insertInto('import_baseline')
    .values(values)
    .onConflict((oc) => oc.columns(['entity', 'entity_id', 'field']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), profile: eb.ref('excluded.profile'), imported_at: eb.ref('excluded.imported_at') })))
    .execute();
}
