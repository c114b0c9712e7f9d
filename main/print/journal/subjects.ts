import type { Selectable } from 'kysely';
import type { Db } from '../../../db/connection';
import type { LessonTable } from '../../../db/schema';
import type { GridColumn, JournalSubjectData, LessonLine } from '../../../templates/journal/types';
import { inClassOn, rowPupils, staffNames, type ClassInfo, type RosterPupil } from './roster';

/**
 * The subjects of a class journal: per subject of the class (curriculum order, then name) one
 * part, or one per group of a split subject; each with its marks-and-attendance grid and its
 * lessons. Loaded for the whole class in a handful of queries (lessons, marks, attendance,
 * groups, staff), never per pupil or per lesson.
 */

export interface SubjectPart {
  heading: string;
  subjectId: number;
  /** The group, or null for the whole class. */
  groupId: number | null;
  lessonIds: number[];
}

/** A lesson as the journal loads it: the table's row without the class (known) and the exchange id. */
type LessonRow = Omit<Selectable<LessonTable>, 'class_id' | 'external_id'>;

export interface ClassJournalData {
  parts: SubjectPart[];
  lessons: Map<number, LessonRow>;
  /** Marks by lesson id, then pupil id, in the order given. */
  marks: Map<number, Map<number, string[]>>;
  /** Attendance code by lesson id, then pupil id. */
  attendance: Map<number, Map<number, string>>;
  /** Pupil ids of each group. */
  groupMembers: Map<number, Set<number>>;
  staff: Map<number, string>;
  /** The subjects for the title page: name, teachers, lessons given. */
  subjectSummary: { name: string; teachers: string; lessons: number }[];
  firstDate: string | null;
  lastDate: string | null;
}

/** «Иностранный язык (английский), группа 1» / «Информатика (группа 2)» from the subject and a group named «1 группа». */
export function groupHeading(subject: string, group: string): string {
  const m = /^\s*(\d+)\s*(?:-?я)?\s*группа\s*$/i.exec(group) ?? /^\s*группа\s*(\d+)\s*$/i.exec(group);
  const label = m ? `группа ${m[1]}` : group.trim();
  return subject.trimEnd().endsWith(')') ? `${subject}, ${label}` : `${subject} (${label})`;
}

export async function loadClassJournal(db: Db, cls: ClassInfo): Promise<ClassJournalData> {
  const lessonRows = await db
    .selectFrom('lesson')
    .select(['id', 'group_id', 'subject_id', 'lesson_date', 'lesson_number', 'topic', 'homework', 'teacher_id', 'substitute_teacher_id'])
    .where('class_id', '=', cls.id)
    .orderBy('lesson_date')
    .orderBy('lesson_number')
    .orderBy('id')
    .execute();
  const markRows = await db
    .selectFrom('mark as k')
    .innerJoin('lesson as l', 'l.id', 'k.lesson_id')
    .select(['k.lesson_id', 'k.pupil_id', 'k.value'])
    .where('l.class_id', '=', cls.id)
    .orderBy('k.id')
    .execute();
  const attendanceRows = await db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .select(['a.lesson_id', 'a.pupil_id', 'a.code'])
    .where('l.class_id', '=', cls.id)
    .execute();
  const groups = await db.selectFrom('study_group').select(['id', 'subject_id', 'name']).where('class_id', '=', cls.id).orderBy('name').orderBy('id').execute();
  const members = groups.length
    ? await db
        .selectFrom('group_member')
        .select(['group_id', 'pupil_id'])
        .where(
          'group_id',
          'in',
          groups.map((g) => g.id),
        )
        .execute()
    : [];
  const curriculum = await db.selectFrom('curriculum').select(['subject_id', 'teacher_id']).where('class_id', '=', cls.id).execute();
  const subjectIds = [...new Set([...curriculum.map((c) => c.subject_id), ...lessonRows.map((l) => l.subject_id)])];
  const subjects = subjectIds.length
    ? await db.selectFrom('subject').select(['id', 'name']).where('id', 'in', subjectIds).orderBy('sort_order').orderBy('name').execute()
    : [];
  const staff = await staffNames(db, [...lessonRows.flatMap((l) => [l.teacher_id, l.substitute_teacher_id]), ...curriculum.map((c) => c.teacher_id)]);

  const lessons = new Map(lessonRows.map((l) => [l.id, l]));
  const marks = new Map<number, Map<number, string[]>>();
  for (const m of markRows) {
    let byPupil = marks.get(m.lesson_id);
    if (!byPupil) marks.set(m.lesson_id, (byPupil = new Map()));
    const list = byPupil.get(m.pupil_id);
    if (list) list.push(m.value);
    else byPupil.set(m.pupil_id, [m.value]);
  }
  const attendance = new Map<number, Map<number, string>>();
  for (const a of attendanceRows) {
    let byPupil = attendance.get(a.lesson_id);
    if (!byPupil) attendance.set(a.lesson_id, (byPupil = new Map()));
    byPupil.set(a.pupil_id, a.code);
  }
  const groupMembers = new Map<number, Set<number>>(groups.map((g) => [g.id, new Set<number>()]));
  for (const m of members) groupMembers.get(m.group_id)?.add(m.pupil_id);

  const lessonsBy = new Map<string, number[]>();
  for (const l of lessonRows) {
    const key = `${l.subject_id}:${l.group_id ?? 0}`;
    const list = lessonsBy.get(key);
    if (list) list.push(l.id);
    else lessonsBy.set(key, [l.id]);
  }
  const parts: SubjectPart[] = [];
  const subjectSummary: ClassJournalData['subjectSummary'] = [];
  for (const s of subjects) {
    const whole = lessonsBy.get(`${s.id}:0`) ?? [];
    if (whole.length > 0) parts.push({ heading: s.name, subjectId: s.id, groupId: null, lessonIds: whole });
    let count = whole.length;
    for (const g of groups.filter((x) => x.subject_id === s.id)) {
      const ids = lessonsBy.get(`${s.id}:${g.id}`) ?? [];
      count += ids.length;
      if (ids.length > 0) parts.push({ heading: groupHeading(s.name, g.name), subjectId: s.id, groupId: g.id, lessonIds: ids });
    }
    // Lessons of a group the class no longer has (deleted): still printed, under the subject.
    for (const [key, ids] of lessonsBy) {
      const [subjectId, groupId] = key.split(':').map(Number);
      if (subjectId !== s.id || groupId === 0 || groupMembers.has(groupId as number)) continue;
      count += ids.length;
      parts.push({ heading: groupHeading(s.name, 'группа'), subjectId: s.id, groupId: groupId as number, lessonIds: ids });
    }
    const teacherCounts = new Map<string, number>();
    for (const key of [...lessonsBy.keys()].filter((k) => k.startsWith(`${s.id}:`))) {
      for (const id of lessonsBy.get(key) ?? []) {
        const t = lessons.get(id)?.teacher_id;
        const name = t != null ? staff.get(t) : undefined;
        if (name) teacherCounts.set(name, (teacherCounts.get(name) ?? 0) + 1);
      }
    }
    if (teacherCounts.size === 0) {
      const planned = curriculum.find((c) => c.subject_id === s.id)?.teacher_id;
      const name = planned != null ? staff.get(planned) : undefined;
      if (name) teacherCounts.set(name, 0);
    }
    const teachers = [...teacherCounts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    subjectSummary.push({ name: s.name, teachers: teachers.join(', '), lessons: count });
  }
  return {
    parts,
    lessons,
    marks,
    attendance,
    groupMembers,
    staff,
    subjectSummary,
    firstDate: lessonRows[0]?.lesson_date ?? null,
    lastDate: lessonRows.at(-1)?.lesson_date ?? null,
  };
}

/** The text of a grid cell: the attendance letter (lower case), then the marks. */
export function cellText(code: string | undefined, marks: readonly string[] | undefined): string {
  const letter = code ? code.toLowerCase() : '';
  return [letter, ...(marks ?? [])].filter(Boolean).join(' ');
}

/** One part's grid and lessons, built when its section is printed. */
export function subjectPartData(data: ClassJournalData, part: SubjectPart, roster: readonly RosterPupil[], cls: ClassInfo): JournalSubjectData {
  const members = part.groupId === null ? null : data.groupMembers.get(part.groupId);
  // A group's pupils are its members; pupils with a mark or an absence in its lessons are kept too.
  const seen = new Set<number>();
  if (members) {
    for (const id of part.lessonIds) {
      for (const pupilId of data.marks.get(id)?.keys() ?? []) seen.add(pupilId);
      for (const pupilId of data.attendance.get(id)?.keys() ?? []) seen.add(pupilId);
    }
  }
  const pupils = members ? roster.filter((p) => members.has(p.id) || seen.has(p.id)) : [...roster];
  const lessons = part.lessonIds.map((id) => data.lessons.get(id)!);
  const columns: GridColumn[] = lessons.map((l) => ({ date: l.lesson_date }));
  const cells = pupils.map((p) => lessons.map((l) => cellText(data.attendance.get(l.id)?.get(p.id), data.marks.get(l.id)?.get(p.id))));
  const outside = pupils.map((p) => lessons.map((l) => !inClassOn(p, l.lesson_date)));
  const lines: LessonLine[] = lessons.map((l) => ({
    date: l.lesson_date,
    lessonNumber: l.lesson_number,
    topic: l.topic,
    homework: l.homework,
    teacher: l.teacher_id != null ? (data.staff.get(l.teacher_id) ?? '') : '',
    substitute: l.substitute_teacher_id != null ? (data.staff.get(l.substitute_teacher_id) ?? null) : null,
  }));
  return { heading: part.heading, grid: { title: part.heading, pupils: rowPupils(pupils, cls), columns, cells, outside }, lessons: lines };
}
