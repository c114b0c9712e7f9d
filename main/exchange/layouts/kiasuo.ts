import { z } from 'zod';

/**
 * The КИАСУО data package (formats.md, `kiasuo`): JSON files shaped after what КИАСУО's diary
 * service returns. Ids are kept as text exactly as written: the reader turns integers beyond
 * 15 digits into strings, and a safe integer given as a bare number becomes its decimal text.
 *
 * Pure: parsed JSON in, typed records and problems out; matching to the register is the
 * importer's job.
 */

const id = z.union([z.string().regex(/^\d+$/, 'идентификатор — только цифры'), z.number().int().nonnegative()]).transform((v) => String(v));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'дата в виде ГГГГ-ММ-ДД');
const text = z.string().trim().min(1, 'пусто');

const classSchema = z.object({ id, name: text, ou: z.string().optional(), study_year: z.string().regex(/^\d{4}\/\d{4}$/, 'учебный год в виде 2025/2026') });
const periodSchema = z.object({ id, text, from: isoDate, to: isoDate });
const studentSchema = z.object({
  id,
  last_name: text,
  first_name: text,
  middle_name: z.string().nullish(),
  birth_date: isoDate,
  snils: z.string().nullish(),
  gender: z.enum(['male', 'female']).nullish(),
  school_class: id,
});
const slotSchema = z.object({
  lesson_date: isoDate,
  mark: z.object({ value: z.union([z.string(), z.number()]).transform((v) => String(v)) }).nullish(),
  absence: z.enum(['Н', 'Б', 'У', 'О']).nullish(),
});
const lessonMarksSchema = z.object({ student: id, subject: text, slots: z.array(slotSchema) });
const studentMarkSchema = z.object({
  student: id,
  subject: text,
  study_period: z.union([z.literal('year'), id]),
  standard_mark_type: z.object({ text: z.string(), short_text: z.string() }),
});

export const KIASUO_FILES = {
  classes: 'school_classes.json',
  periods: 'study_periods.json',
  students: 'students.json',
  lessonMarks: 'lesson_marks.json',
  studentMarks: 'student_marks.json',
} as const;

export interface KiasuoProblem {
  file: string;
  /** Index of the record in its file, from 1. */
  item: number;
  field: string;
  reason: string;
}

export interface KiasuoPackage {
  classes: z.output<typeof classSchema>[];
  periods: z.output<typeof periodSchema>[];
  students: z.output<typeof studentSchema>[];
  marks: { student: string; subject: string; date: string; value: string }[];
  attendance: { student: string; subject: string; date: string; code: 'Н' | 'Б' | 'У' | 'О' }[];
  finalMarks: { student: string; subject: string; period: string; value: string }[];
  problems: KiasuoProblem[];
}

function records<S extends z.ZodType>(entries: ReadonlyMap<string, unknown>, file: string, schema: S, problems: KiasuoProblem[], required: boolean): z.output<S>[] {
  const raw = entries.get(file);
  if (raw === undefined) {
    if (required) problems.push({ file, item: 0, field: '', reason: 'файл отсутствует в пакете' });
    return [];
  }
  if (!Array.isArray(raw)) {
    problems.push({ file, item: 0, field: '', reason: 'ожидается массив записей' });
    return [];
  }
  const out: z.output<S>[] = [];
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else for (const issue of parsed.error.issues) problems.push({ file, item: index + 1, field: issue.path.join('.'), reason: issue.message });
  });
  return out;
}

export function parseKiasuoPackage(entries: ReadonlyMap<string, unknown>): KiasuoPackage {
  const problems: KiasuoProblem[] = [];
  const classes = records(entries, KIASUO_FILES.classes, classSchema, problems, true);
  const periods = records(entries, KIASUO_FILES.periods, periodSchema, problems, false);
  const students = records(entries, KIASUO_FILES.students, studentSchema, problems, true);
  const lessonMarks = records(entries, KIASUO_FILES.lessonMarks, lessonMarksSchema, problems, false);
  const studentMarks = records(entries, KIASUO_FILES.studentMarks, studentMarkSchema, problems, false);

  const classIds = new Set(classes.map((c) => c.id));
  students.forEach((s, i) => {
    if (!classIds.has(s.school_class)) problems.push({ file: KIASUO_FILES.students, item: i + 1, field: 'school_class', reason: `класс ${s.school_class} не найден в ${KIASUO_FILES.classes}` });
  });
  const periodIds = new Set(periods.map((p) => p.id));
  const marks: KiasuoPackage['marks'] = [];
  const attendance: KiasuoPackage['attendance'] = [];
  for (const entry of lessonMarks) {
    for (const slot of entry.slots) {
      if (slot.mark) marks.push({ student: entry.student, subject: entry.subject, date: slot.lesson_date, value: slot.mark.value });
      if (slot.absence) attendance.push({ student: entry.student, subject: entry.subject, date: slot.lesson_date, code: slot.absence });
    }
  }
  const finalMarks: KiasuoPackage['finalMarks'] = [];
  studentMarks.forEach((m, i) => {
    if (m.study_period !== 'year' && !periodIds.has(m.study_period)) {
      problems.push({ file: KIASUO_FILES.studentMarks, item: i + 1, field: 'study_period', reason: `период ${m.study_period} не найден в ${KIASUO_FILES.periods}` });
      return;
    }
    finalMarks.push({ student: m.student, subject: m.subject, period: m.study_period, value: m.standard_mark_type.short_text || m.standard_mark_type.text });
  });
  return { classes, periods, students, marks, attendance, finalMarks, problems };
}
