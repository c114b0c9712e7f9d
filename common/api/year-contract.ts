import { z } from 'zod';
import { idSchema, isoDateSchema, personNameSchema } from './schemas';
import { readMethod, writeMethod, type MethodDef } from './method';
import { yearDraftPartsSchema } from './year-draft-contract';

/**
 * The school year: its set-up (dates, periods, holidays, classes and class teachers, subjects,
 * curriculum, groups) and its close with promotion and graduation (domain.md «Year close and
 * promotion», issue 6). The administrator writes; the director reads.
 */

export const yearNameSchema = z.string().regex(/^(\d{4})\/(\d{4})$/, 'учебный год в виде 2026/2027');
export const PERIOD_SCHEMES = ['quarters', 'halves', 'trimesters'] as const;
export const periodSchemeSchema = z.enum(PERIOD_SCHEMES, { message: 'схема периодов: quarters, halves или trimesters' });
export const CLASS_LETTER_PATTERN = /^[А-ЯЁ]{1,2}$/;

// ---- Structure -------------------------------------------------------------------------------

export const yearSummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  classes: z.number().int(),
  /** Pupils in a class of the year on its last day (or today, inside the year). */
  pupils: z.number().int(),
});
export type YearSummary = z.infer<typeof yearSummarySchema>;

export const periodSchema = z.object({
  id: idSchema.optional(),
  scheme: periodSchemeSchema,
  number: z.number().int().min(1).max(6),
  name: z.string().trim().min(1, 'укажите название периода').max(60),
  startsOn: isoDateSchema,
  endsOn: isoDateSchema,
});
export const holidaySchema = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1, 'укажите название каникул').max(60),
  startsOn: isoDateSchema,
  endsOn: isoDateSchema,
});
export const yearClassSchema = z.object({
  id: idSchema,
  parallel: z.number().int(),
  letter: z.string(),
  label: z.string(),
  periodScheme: periodSchemeSchema,
  classTeacherId: idSchema.nullable(),
  classTeacher: z.string().nullable(),
  pupils: z.number().int(),
});
export const subjectSchema = z.object({
  id: idSchema,
  name: z.string(),
  shortName: z.string(),
  part: z.enum(['federal', 'school']),
  sortOrder: z.number().int(),
});
export const curriculumRowSchema = z.object({
  subjectId: idSchema,
  hoursPerWeek: z.number().min(0.5, 'не меньше 0,5 часа в неделю').max(12, 'не больше 12 часов в неделю'),
  teacherId: idSchema.nullable(),
});
export const studyGroupSchema = z.object({
  id: idSchema.optional(),
  subjectId: idSchema,
  name: z.string().trim().min(1, 'укажите название группы').max(60),
  teacherId: idSchema.nullable(),
  pupilIds: z.array(idSchema).max(60),
});
export const staffSchema = z.object({
  id: idSchema,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  position: z.string(),
  active: z.boolean(),
});

export const yearStructureSchema = z.object({
  year: yearSummarySchema,
  periods: z.array(periodSchema.extend({ id: idSchema })),
  holidays: z.array(holidaySchema.extend({ id: idSchema })),
  classes: z.array(yearClassSchema),
  subjects: z.array(subjectSchema),
  curriculum: z.array(curriculumRowSchema.extend({ classId: idSchema })),
  groups: z.array(studyGroupSchema.extend({ id: idSchema, classId: idSchema })),
});
export type YearStructure = z.infer<typeof yearStructureSchema>;

const copiedSchema = z.object({
  classes: z.number().int(),
  curriculum: z.number().int(),
  groups: z.number().int(),
  periods: z.number().int(),
  holidays: z.number().int(),
});

// ---- Close -----------------------------------------------------------------------------------

export const DECISIONS = ['promoted', 'conditional', 'repeat', 'graduated'] as const;
export const decisionSchema = z.enum(DECISIONS, { message: 'решение: promoted, conditional, repeat или graduated' });
export type Decision = z.infer<typeof decisionSchema>;
/** An id in the close's parameters, refused in Russian naming what it is (zod's default text is English). */
const closeIdSchema = (what: string) => {
  const message = `${what}: укажите номер из списка`;
  return z.number({ message }).int(message).positive(message);
};
export const DECISION_LABELS: Record<Decision, string> = {
  promoted: 'переведён',
  conditional: 'условно переведён',
  repeat: 'оставлен на повторное обучение',
  graduated: 'окончил',
};

export const closeBlockerSchema = z.object({
  pupilId: idSchema,
  pupil: z.string(),
  class: z.string(),
  subject: z.string().nullable(),
  reason: z.string(),
});
export const closeWarningSchema = z.object({
  class: z.string().nullable(),
  reason: z.string(),
});
export const closeDecisionSchema = z.object({
  pupilId: idSchema,
  pupil: z.string(),
  classId: idSchema,
  class: z.string(),
  decision: decisionSchema,
  /** What the final marks propose; `decision` differs when the administrator chose otherwise. */
  proposed: decisionSchema.nullable(),
  explicit: z.boolean(),
  /** The class of the next year, «6А»; null for a graduate. */
  nextClass: z.string().nullable(),
  /** Subjects of the academic debt (conditional promotion, repeat). */
  subjects: z.array(z.string()),
});
export type CloseDecision = z.infer<typeof closeDecisionSchema>;
export const closeOrderSchema = z.object({
  kind: z.enum(['promotion', 'conditional_promotion', 'repeat', 'graduation']),
  number: z.string(),
  date: z.string(),
  title: z.string(),
  pupils: z.number().int(),
});
export const nextClassSchema = z.object({
  label: z.string(),
  exists: z.boolean(),
  /** Where its pupils come from: «5А: 25», «6А (повторное обучение): 1», «зачислены на новый год: 3». */
  sources: z.array(z.object({ from: z.string(), pupils: z.number().int() })),
  pupils: z.number().int(),
});

export const closePreviewSchema = z.object({
  year: z.string(),
  yearId: idSchema,
  closed: z.boolean(),
  orderDate: z.string(),
  blockers: z.array(closeBlockerSchema),
  warnings: z.array(closeWarningSchema),
  decisions: z.array(closeDecisionSchema),
  totals: z.object({ promoted: z.number().int(), conditional: z.number().int(), repeat: z.number().int(), graduated: z.number().int() }),
  nextYear: z.object({ name: z.string(), exists: z.boolean() }),
  nextClasses: z.array(nextClassSchema),
  orders: z.array(closeOrderSchema),
});
export type ClosePreview = z.infer<typeof closePreviewSchema>;

export const closeResultSchema = z.object({
  year: z.string(),
  yearId: idSchema,
  /** False when the year was closed already: the second run changes nothing. */
  changed: z.boolean(),
  snapshot: z.string().nullable(),
  nextYear: z.object({ id: idSchema, name: z.string(), created: z.boolean() }),
  orders: z.array(closeOrderSchema.extend({ id: idSchema })),
  totals: z.object({ promoted: z.number().int(), conditional: z.number().int(), repeat: z.number().int(), graduated: z.number().int() }),
});
export type CloseResult = z.infer<typeof closeResultSchema>;

/** What a reopen removes, by the kinds of `removed` in its result (CLI and screen report them alike). */
export const REOPEN_REMOVED_LABELS: Record<string, string> = {
  orders: 'приказов',
  movements: 'записей о движении',
  memberships: 'записей в списках классов',
  classes: 'классов',
  curriculum: 'строк учебного плана',
  groups: 'групп',
  periods: 'периодов',
  holidays: 'каникул',
  years: 'учебных годов',
};

export const reopenResultSchema = z.object({
  year: z.string(),
  yearId: idSchema,
  changed: z.boolean(),
  /** Rows the close had made and the reopen removed, by kind (orders, movements, classes…). */
  removed: z.record(z.string(), z.number().int()),
});

const yearIdParams = z.object({ yearId: idSchema }).strict();
const openYearParams = z
  .object({
    name: yearNameSchema,
    startsOn: isoDateSchema,
    endsOn: isoDateSchema,
    /** Roll the structure of that year forward (classes 5А → 6А, curriculum, groups, periods and holidays a year later). */
    copyFromYearId: idSchema.optional(),
  })
  .strict();

export const yearMethods = {
  'years.list': readMethod('Учебные годы', ['secretary', 'admin', 'archivist'], z.object({}).strict(), z.object({ years: z.array(yearSummarySchema) })),
  'years.get': readMethod('Структура учебного года', ['admin', 'secretary', 'archivist'], yearIdParams, yearStructureSchema),
  'years.open': writeMethod('Открытие учебного года', ['admin'], openYearParams, z.object({ yearId: idSchema, copied: copiedSchema.nullable() })),
  /**
   * The «Учебный год» screens' save: a new year (`open`) or an open one (`yearId`) made what the
   * draft says — calendar, class list, curriculum and groups — in one transaction; a refusal of
   * any part names the draft's field and leaves nothing written.
   */
  'years.applyDraft': writeMethod(
    'Сохранение структуры учебного года',
    ['admin'],
    z
      .object({ open: openYearParams.optional(), yearId: idSchema.optional(), draft: yearDraftPartsSchema })
      .strict()
      .refine((p) => (p.open === undefined) !== (p.yearId === undefined), { message: 'укажите либо новый год (open), либо открытый год (yearId)', path: ['yearId'] }),
    z.object({ yearId: idSchema, structure: yearStructureSchema }),
  ),
  'years.saveCalendar': writeMethod(
    'Изменение дат, периодов и каникул учебного года',
    ['admin'],
    z
      .object({ yearId: idSchema, startsOn: isoDateSchema, endsOn: isoDateSchema, periods: z.array(periodSchema).max(30), holidays: z.array(holidaySchema).max(20) })
      .strict(),
    yearStructureSchema,
  ),
  'classes.save': writeMethod(
    'Сохранение класса',
    ['admin'],
    z
      .object({
        yearId: idSchema,
        id: idSchema.optional(),
        parallel: z.number().int().min(1, 'параллель от 1 до 11').max(11, 'параллель от 1 до 11'),
        letter: z.string().trim().toUpperCase().regex(CLASS_LETTER_PATTERN, 'литера — одна или две заглавные русские буквы'),
        periodScheme: periodSchemeSchema,
        classTeacherId: idSchema.nullable(),
      })
      .strict(),
    yearClassSchema,
  ),
  'classes.delete': writeMethod('Удаление класса', ['admin'], z.object({ classId: idSchema }).strict(), z.object({ deleted: z.boolean() })),
  'subjects.save': writeMethod(
    'Сохранение предмета',
    ['admin'],
    z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1, 'укажите название предмета').max(120),
        shortName: z.string().trim().min(1, 'укажите краткое название').max(30),
        part: z.enum(['federal', 'school'], { message: 'часть учебного плана: federal или school' }),
        sortOrder: z.number().int().min(0).max(1000).default(0),
      })
      .strict(),
    subjectSchema,
  ),
  'curriculum.save': writeMethod(
    'Учебный план класса',
    ['admin'],
    z.object({ classId: idSchema, rows: z.array(curriculumRowSchema).max(60), groups: z.array(studyGroupSchema).max(60) }).strict(),
    yearStructureSchema,
  ),
  'staff.list': readMethod('Сотрудники', ['admin', 'secretary', 'archivist'], z.object({}).strict(), z.object({ staff: z.array(staffSchema) })),
  'staff.save': writeMethod(
    'Сохранение сотрудника',
    ['admin'],
    z
      .object({
        id: idSchema.optional(),
        lastName: personNameSchema,
        firstName: personNameSchema,
        middleName: z.string().trim().max(200).nullable(),
        position: z.string().trim().min(1, 'укажите должность').max(120),
        active: z.boolean().default(true),
      })
      .strict(),
    staffSchema,
  ),

  'year.closePreview': readMethod(
    'Предварительный просмотр закрытия учебного года',
    ['admin'],
    z.object({ yearId: closeIdSchema('учебный год'), orderDate: isoDateSchema.optional() }).strict(),
    closePreviewSchema,
  ),
  'year.decide': writeMethod(
    'Решение о переводе обучающегося',
    ['admin'],
    z
      .object({
        yearId: closeIdSchema('учебный год'),
        pupilId: closeIdSchema('обучающийся'),
        /** null: back to what the final marks propose. */
        decision: decisionSchema.nullable(),
        /** Subjects of the academic debt, for a conditional promotion or a repeat. */
        subjectIds: z.array(closeIdSchema('предмет задолженности'), { message: 'предметы задолженности: список номеров предметов' }).max(30, 'не больше 30 предметов задолженности').default([]),
      })
      .strict(),
    closeDecisionSchema,
  ),
  'year.close': writeMethod(
    'Закрытие учебного года',
    ['admin'],
    z.object({ yearId: closeIdSchema('учебный год'), orderDate: isoDateSchema.optional() }).strict(),
    closeResultSchema,
  ),
  'year.reopen': writeMethod('Отмена закрытия учебного года', ['admin'], yearIdParams, reopenResultSchema),
} satisfies Record<string, MethodDef>;
