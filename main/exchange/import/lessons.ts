import { searchKey } from '../../../common/domain/russian';
import type { ImportConflict, ImportWarning, RejectedRow } from '../../../common/exchange/report';
import type { Db } from '../../../db/connection';
import { mapRows } from '../map';
import { compareRecord } from '../merge';
import type { Importer } from './types';
import { ClassFinder, Counts, classNotFound, readBaseline, subjectMap, subjectNotFound, writeBaseline, yearOfDate, type YearRow } from './journal-common';

/**
 * The `lessons` profile (formats.md, «Темы уроков и домашние задания»): one lesson per class,
 * group, subject, date and lesson number. Class, subject and group must exist; a teacher not
 * found among the staff is a warning, and the lesson is kept without (or with its old) teacher.
 * Re-importing the same file changes nothing; a changed topic or homework updates the lesson,
 * unless it was edited in the app since the last import: then the report lists the conflict and
 * the app's text stays until the user takes the file's (import_baseline, merge.ts).
 */

const BASELINE_ENTITY = 'lesson';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

async function staffMap(trx: Db): Promise<Map<string, number | null>> {
  const rows = await trx.selectFrom('staff').select(['id', 'last_name', 'first_name', 'middle_name']).execute();
  const map = new Map<string, number | null>();
  for (const r of rows) {
    const key = searchKey(`${r.last_name} ${r.first_name} ${r.middle_name ?? ''}`);
    // Two namesakes on the staff: neither is taken (null), the lesson is kept without a teacher.
    map.set(key, map.has(key) ? null : r.id);
  }
  return map;
}

export const importLessons: Importer = async (input) => {
  if (input.source.kind !== 'table') throw new Error('lessons expects a table');
  const { trx } = input;
  const mapped = mapRows(input.profile, input.source.file.rows);
  const counts = new Counts();
  counts.touch('lessons');
  const rejected: RejectedRow[] = [];
  const conflicts: ImportConflict[] = [];
  const at = input.ctx.now().toISOString();
  const warnings: ImportWarning[] = mapped.warnings.map((w) => ({ column: w.column, reason: w.reason }));
  const warned = new Set<string>();
  const subjects = await subjectMap(trx);
  const staff = await staffMap(trx);
  const classes = new ClassFinder(trx);
  const years = new Map<string, YearRow | null>();
  const header = (field: string, fallback: string) => mapped.headers[field] ?? fallback;

  const teacherOf = (name: string | null, field: string, fallback: string): number | null | undefined => {
    if (name === null) return null;
    const id = staff.get(searchKey(name));
    if (id) return id;
    const column = header(field, fallback);
    if (!warned.has(`${column}|${searchKey(name)}`)) {
      warned.add(`${column}|${searchKey(name)}`);
      warnings.push({ column, reason: `учитель «${name}» не найден среди сотрудников (или найден не один): урок сохранён без учителя` });
    }
    return undefined;
  };

  let done = 0;
  for (const record of mapped.records) {
    done += 1;
    if (done % 200 === 0) input.progress(done, mapped.records.length, 'Уроки');
    if (record.problems.length > 0) {
      for (const p of record.problems) rejected.push({ row: record.row, column: p.column, reason: p.reason });
      continue;
    }
    const v = record.values;
    const date = v['date'] as string;
    const label = v['classLabel'] as { parallel: number; letter: string };
    const labelText = `${label.parallel}${label.letter}`;
    const subjectName = v['subject'] as string;
    if (!years.has(date)) years.set(date, await yearOfDate(trx, date));
    const year = years.get(date)!;
    if (!year) {
      rejected.push({ row: record.row, column: header('date', 'Дата'), reason: `дата ${date.split('-').reverse().join('.')} не входит ни в один учебный год` });
      continue;
    }
    const cls = await classes.find(year, label);
    if (!cls) {
      rejected.push({ row: record.row, column: header('classLabel', 'Класс'), reason: classNotFound(labelText, year.name) });
      continue;
    }
    const subjectId = subjects.get(searchKey(subjectName));
    if (subjectId === undefined) {
      rejected.push({ row: record.row, column: header('subject', 'Предмет'), reason: subjectNotFound(subjectName) });
      continue;
    }
    const groupName = str(v['group']);
    let groupId: number | null = null;
    if (groupName !== null) {
      const groups = await trx.selectFrom('study_group').select(['id', 'name']).where('class_id', '=', cls.id).where('subject_id', '=', subjectId).execute();
      const group = groups.find((g) => searchKey(g.name) === searchKey(groupName));
      if (!group) {
        rejected.push({ row: record.row, column: header('group', 'Группа'), reason: `группа «${groupName}» не найдена в классе ${cls.label} по предмету «${subjectName}»` });
        continue;
      }
      groupId = group.id;
    }
    const lessonNumber = typeof v['lessonNumber'] === 'number' ? v['lessonNumber'] : null;
    const topic = v['topic'] as string;
    const homework = str(v['homework']);
    const teacher = teacherOf(str(v['teacher']), 'teacher', 'Учитель');
    const substitute = teacherOf(str(v['substitute']), 'substitute', 'Замена');

    let query = trx
      .selectFrom('lesson')
      .select(['id', 'topic', 'homework', 'teacher_id', 'substitute_teacher_id'])
      .where('class_id', '=', cls.id)
      .where('subject_id', '=', subjectId)
      .where('lesson_date', '=', date)
      .where('group_id', groupId === null ? 'is' : '=', groupId)
      .where('lesson_number', lessonNumber === null ? 'is' : '=', lessonNumber);
    query = query.orderBy('id');
    const existing = await query.executeTakeFirst();
    if (!existing) {
      const created = await trx
        .insertInto('lesson')
        .values({
          class_id: cls.id,
          group_id: groupId,
          subject_id: subjectId,
          lesson_date: date,
          lesson_number: lessonNumber,
          topic,
          homework,
          teacher_id: teacher ?? null,
          substitute_teacher_id: substitute ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeBaseline(trx, BASELINE_ENTITY, created.id, { topic, homework }, input.profile.id, at);
      counts.add('lessons', 'created');
      continue;
    }
    // Texts: three-way against the last import, so a hand edit is never overwritten silently.
    const columns: Record<string, string> = { topic: header('topic', 'Тема урока'), homework: header('homework', 'Домашнее задание') };
    const inFile: Record<string, string | null> = { topic };
    if ('homework' in mapped.columns) inFile['homework'] = homework;
    const baseline = await readBaseline(trx, BASELINE_ENTITY, existing.id);
    const comparison = compareRecord({ topic: existing.topic, homework: existing.homework }, inFile, baseline);
    const next: { topic?: string; homework?: string | null; teacher_id?: number | null; substitute_teacher_id?: number | null } = { ...comparison.updates };
    const settled: Record<string, string | null> = {};
    // An empty cell keeps the app's text and is no baseline of anything.
    for (const field of Object.keys(inFile)) if (inFile[field] !== null && !comparison.conflicts.some((c) => c.field === field)) settled[field] = inFile[field] ?? null;
    for (const c of comparison.conflicts) {
      const column = columns[c.field]!;
      const take = input.resolutions.find((r) => r.row === record.row && r.column === column)?.take;
      if (take === 'file') {
        Object.assign(next, { [c.field]: c.inFile });
        settled[c.field] = c.inFile;
      } else conflicts.push({ row: record.row, column, inApp: c.inApp, inFile: c.inFile });
    }
    // A known teacher in the file is set; an unknown one (undefined) leaves the lesson's as it is.
    if (teacher !== undefined && teacher !== null && teacher !== existing.teacher_id) next.teacher_id = teacher;
    if (substitute !== undefined && substitute !== null && substitute !== existing.substitute_teacher_id) next.substitute_teacher_id = substitute;
    await writeBaseline(trx, BASELINE_ENTITY, existing.id, settled, input.profile.id, at);
    if (Object.keys(next).length === 0) {
      counts.add('lessons', 'unchanged');
      continue;
    }
    await trx.updateTable('lesson').set(next).where('id', '=', existing.id).execute();
    counts.add('lessons', 'updated');
  }
  input.audit({ action: 'import', entity: 'lesson', details: { profile: input.profile.id, rows: mapped.records.length, counts: counts.counts, rejected: rejected.length } });
  return { counts: counts.counts, rejected, conflicts, warnings };
};
