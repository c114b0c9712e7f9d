import { z } from 'zod';
import type { PeriodScheme } from '../domain/year-calendar';
import type { Params } from './contract';
import { idSchema } from './schemas';
import type { PERIOD_SCHEMES } from './year-contract';

/**
 * The draft of a year's structure as the «Учебный год» screens hold it (common/domain/
 * year-draft.ts derives its types from here) and as `years.applyDraft` receives it. Values stay
 * the strings the administrator typed: the set-up methods' own schemas check them when the
 * server writes the draft, so a refusal names the draft's field (`classes.<key>.letter`,
 * `periods.2.endsOn`), not a path of this envelope. The limits here only bound the request.
 *
 * This module must not import year-contract.ts at run time (year-contract.ts imports it).
 */

const SCHEMES = ['quarters', 'halves', 'trimesters'] as const satisfies readonly PeriodScheme[];
// The same schemes as the contract's PERIOD_SCHEMES, checked by the compiler (both directions).
type SameSchemes<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemesMatch: SameSchemes<(typeof SCHEMES)[number], (typeof PERIOD_SCHEMES)[number]> = true;
void schemesMatch;

const schemeSchema = z.enum(SCHEMES, { message: 'схема периодов: quarters, halves или trimesters' });
const text = (max: number) => z.string().max(max, `не длиннее ${max} символов`);
/** A React key of a row; errors of rows without an id name it. */
const keySchema = z.string().min(1).max(40);
/** An id typed into a select: '' = none. */
const idText = z.string().max(12);
/** A date while typed ('' until filled): the set-up methods check its form. */
const dateText = z.string().max(20);

export const draftPeriodSchema = z
  .object({ key: keySchema, id: idSchema.nullable(), scheme: schemeSchema, number: z.number().int().min(1).max(6), name: text(200), startsOn: dateText, endsOn: dateText })
  .strict();
export const draftHolidaySchema = z.object({ key: keySchema, id: idSchema.nullable(), name: text(200), startsOn: dateText, endsOn: dateText }).strict();
export const calendarDraftSchema = z
  .object({ startsOn: dateText, endsOn: dateText, periods: z.array(draftPeriodSchema).max(30), holidays: z.array(draftHolidaySchema).max(20) })
  .strict();

export const draftCurriculumRowSchema = z.object({ key: keySchema, subjectId: idText, hours: text(12), teacherId: idText }).strict();
export const draftGroupSchema = z
  .object({ key: keySchema, id: idSchema.nullable(), subjectId: idText, name: text(200), teacherId: idText, pupilIds: z.array(idSchema).max(60) })
  .strict();
export const draftClassSchema = z
  .object({
    key: keySchema,
    id: idSchema.nullable(),
    parallel: text(4),
    letter: text(8),
    periodScheme: schemeSchema,
    /** '' = no class teacher. */
    classTeacherId: idText,
    /** Shown only (pupils in the class); never written. */
    pupils: z.number().int().min(0),
    curriculum: z.array(draftCurriculumRowSchema).max(60),
    groups: z.array(draftGroupSchema).max(60),
  })
  .strict();

/** A row of the class list: what `classes.save` writes. */
export const draftClassRowSchema = draftClassSchema.pick({ key: true, id: true, parallel: true, letter: true, periodScheme: true, classTeacherId: true }).strict();
/** One class's curriculum and groups, by the class's key (its id when the class list is not sent). */
export const draftClassPlanSchema = draftClassSchema.pick({ key: true, id: true, parallel: true, letter: true, curriculum: true, groups: true }).strict();

const MAX_CLASSES = 120;

function uniqueKeys(rows: readonly { key: string }[] | undefined, path: string, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  (rows ?? []).forEach((r, i) => {
    if (seen.has(r.key)) ctx.addIssue({ code: 'custom', path: [path, i, 'key'], message: 'ключ строки повторяется' });
    seen.add(r.key);
  });
}

/**
 * The parts of a draft to write, each optional: the calendar (dates, periods, holidays), the
 * class list (the year's classes become exactly these: classes left out are deleted), the
 * curriculum and groups of some classes.
 */
export const yearDraftPartsSchema = z
  .object({
    calendar: calendarDraftSchema.optional(),
    classes: z.array(draftClassRowSchema).max(MAX_CLASSES, `не больше ${MAX_CLASSES} классов`).optional(),
    curriculum: z.array(draftClassPlanSchema).max(MAX_CLASSES, `не больше ${MAX_CLASSES} классов`).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    uniqueKeys(d.classes, 'classes', ctx);
    uniqueKeys(d.curriculum, 'curriculum', ctx);
  });

export type DraftPeriod = z.infer<typeof draftPeriodSchema>;
export type DraftHoliday = z.infer<typeof draftHolidaySchema>;
export type CalendarDraft = z.infer<typeof calendarDraftSchema>;
export type DraftCurriculumRow = z.infer<typeof draftCurriculumRowSchema>;
export type DraftGroup = z.infer<typeof draftGroupSchema>;
export type DraftClass = z.infer<typeof draftClassSchema>;
export type DraftClassRow = z.infer<typeof draftClassRowSchema>;
export type DraftClassPlan = z.infer<typeof draftClassPlanSchema>;
export type YearDraftParts = z.infer<typeof yearDraftPartsSchema>;

/*
 * The wire form of the draft's parts: each field picked by name, so that whatever else a row
 * of the screen carries does not reach the strict schema.
 */

/** The calendar part of a draft. */
export function calendarPart(c: CalendarDraft): CalendarDraft {
  return {
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    periods: c.periods.map((p) => ({ key: p.key, id: p.id, scheme: p.scheme, number: p.number, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn })),
    holidays: c.holidays.map((h) => ({ key: h.key, id: h.id, name: h.name, startsOn: h.startsOn, endsOn: h.endsOn })),
  };
}

/** The class list part of a draft. */
export function classRows(classes: readonly DraftClass[]): DraftClassRow[] {
  return classes.map((c) => ({ key: c.key, id: c.id, parallel: c.parallel, letter: c.letter, periodScheme: c.periodScheme, classTeacherId: c.classTeacherId }));
}

/** The curriculum part of a draft, for these classes. */
export function classPlans(classes: readonly DraftClass[]): DraftClassPlan[] {
  return classes.map((c) => ({
    key: c.key,
    id: c.id,
    parallel: c.parallel,
    letter: c.letter,
    curriculum: c.curriculum.map((r) => ({ key: r.key, subjectId: r.subjectId, hours: r.hours, teacherId: r.teacherId })),
    groups: c.groups.map((g) => ({ key: g.key, id: g.id, subjectId: g.subjectId, name: g.name, teacherId: g.teacherId, pupilIds: [...g.pupilIds] })),
  }));
}

/*
 * The screens' requests: each save is one years.applyDraft (the draft written in one transaction).
 */

export interface NewYearInput {
  name: string;
  startsOn: string;
  endsOn: string;
  copyFromYearId: number | null;
}

/** «Открыть год»: the new year with the whole wizard's draft. */
export function newYearRequest(input: NewYearInput, draft: { calendar: CalendarDraft; classes: readonly DraftClass[] }): Params<'years.applyDraft'> {
  return {
    open: {
      name: input.name,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      ...(input.copyFromYearId ? { copyFromYearId: input.copyFromYearId } : {}),
    },
    draft: { calendar: calendarPart(draft.calendar), classes: classRows(draft.classes), curriculum: classPlans(draft.classes) },
  };
}

/** «Сохранить периоды и каникулы» of an open year. */
export function calendarRequest(yearId: number, calendar: CalendarDraft): Params<'years.applyDraft'> {
  return { yearId, draft: { calendar: calendarPart(calendar) } };
}

/** «Сохранить классы»: the year's classes become the list (classes left out are deleted). */
export function classesRequest(yearId: number, classes: readonly DraftClass[]): Params<'years.applyDraft'> {
  return { yearId, draft: { classes: classRows(classes) } };
}

/** «Сохранить учебный план»: the curriculum and groups of the year's classes (those saved already). */
export function curriculumRequest(yearId: number, classes: readonly DraftClass[]): Params<'years.applyDraft'> {
  return { yearId, draft: { curriculum: classPlans(classes.filter((c) => c.id !== null)) } };
}
