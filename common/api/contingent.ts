import { z } from 'zod';
import { documentProblems, EMAIL_PATTERN, isRealIsoDate, normalizePhone } from '../domain/person';
import { isValidSnils, normalizeSnils } from '../domain/snils';
import { localDay } from '../domain/local-day';

/** Schemas of the contingent: pupils, guardians, orders and movement. Messages are Russian. */

const optionalText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max, `не длиннее ${max} символов`)
    .nullish()
    .transform((v) => (v ? v : null));

export const dateSchema = z.string().refine(isRealIsoDate, 'дата в формате ГГГГ-ММ-ДД, существующая в календаре');

const nameSchema = z
  .string()
  .trim()
  .min(1, 'обязательное поле')
  .max(100, 'не длиннее 100 символов')
  .regex(/^[А-ЯЁа-яёA-Za-z][А-ЯЁа-яёA-Za-z' -]*$/, 'только буквы, дефис, пробел и апостроф');

const snilsSchema = z
  .string()
  .trim()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const digits = normalizeSnils(v);
    if (!digits) {
      ctx.addIssue({ code: 'custom', message: 'СНИЛС — 11 цифр' });
      return z.NEVER;
    }
    if (!isValidSnils(digits)) {
      ctx.addIssue({ code: 'custom', message: 'неверная контрольная сумма СНИЛС' });
      return z.NEVER;
    }
    return digits;
  });

const phoneSchema = z
  .string()
  .trim()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const phone = normalizePhone(v);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'телефон: 10 цифр после +7, например +7 913 123-45-67' });
      return z.NEVER;
    }
    return phone;
  });

const emailSchema = z
  .string()
  .trim()
  .max(200)
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    if (!EMAIL_PATTERN.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'адрес электронной почты вида name@example.ru' });
      return z.NEVER;
    }
    return v.toLowerCase();
  });

const personFields = {
  lastName: nameSchema,
  firstName: nameSchema,
  middleName: optionalText(100),
  snils: snilsSchema,
  docSeries: optionalText(20),
  docNumber: optionalText(30),
  docIssuedBy: optionalText(300),
  docIssuedOn: dateSchema.nullish().transform((v) => v ?? null),
  regAddress: optionalText(500),
  liveAddress: optionalText(500),
  phone: phoneSchema,
  email: emailSchema,
};

function checkDocument(
  value: { docKind: 'birth_certificate' | 'passport' | 'foreign' | null; docSeries: string | null; docNumber: string | null; docIssuedOn: string | null },
  ctx: z.RefinementCtx,
  birthDate: string | null,
): void {
  if (!value.docKind) return;
  const problems = documentProblems(value.docKind, value.docSeries ?? '', value.docNumber ?? '');
  if (problems.series) ctx.addIssue({ code: 'custom', path: ['docSeries'], message: problems.series });
  if (problems.number) ctx.addIssue({ code: 'custom', path: ['docNumber'], message: problems.number });
  const today = localDay(new Date());
  if (value.docIssuedOn && value.docIssuedOn > today) ctx.addIssue({ code: 'custom', path: ['docIssuedOn'], message: 'дата выдачи ещё не наступила' });
  if (value.docIssuedOn && birthDate && value.docIssuedOn < birthDate) {
    ctx.addIssue({ code: 'custom', path: ['docIssuedOn'], message: 'документ выдан раньше даты рождения' });
  }
}

export const pupilInputSchema = z
  .object({
    ...personFields,
    birthDate: dateSchema,
    gender: z.enum(['м', 'ж'], { message: 'пол: м или ж' }),
    docKind: z.enum(['birth_certificate', 'passport', 'foreign']).nullish().transform((v) => v ?? null),
  })
  .strict()
  .superRefine((value, ctx) => {
    const today = localDay(new Date());
    if (value.birthDate > today) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'дата рождения в будущем' });
    if (value.birthDate < '1990-01-01') ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'слишком ранняя дата рождения для обучающегося' });
    checkDocument(value, ctx, value.birthDate);
  });
export type PupilInput = z.input<typeof pupilInputSchema>;
export type PupilData = z.output<typeof pupilInputSchema>;

export const KINSHIPS = ['мать', 'отец', 'опекун', 'попечитель', 'иное'] as const;
export type Kinship = (typeof KINSHIPS)[number];

export const guardianInputSchema = z
  .object({
    ...personFields,
    birthDate: dateSchema.nullish().transform((v) => v ?? null),
    docKind: z.enum(['passport', 'foreign']).nullish().transform((v) => v ?? null),
  })
  .strict()
  .superRefine((value, ctx) => checkDocument(value, ctx, value.birthDate));
export type GuardianInput = z.input<typeof guardianInputSchema>;
export type GuardianData = z.output<typeof guardianInputSchema>;

export const LEAVE_REASONS = [
  'перевод в другую образовательную организацию',
  'смена места жительства',
  'получение образования в форме семейного образования',
  'окончание обучения',
  'отчисление',
  'по состоянию здоровья',
  'иное',
] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

export const ORDER_KINDS = ['admission', 'class_transfer', 'expulsion', 'promotion', 'conditional_promotion', 'repeat', 'graduation'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
export const ORDER_KIND_LABELS: Record<OrderKind, string> = {
  admission: 'о зачислении',
  class_transfer: 'о переводе в другой класс',
  expulsion: 'о выбытии (отчислении)',
  promotion: 'о переводе в следующий класс',
  conditional_promotion: 'об условном переводе',
  repeat: 'об оставлении на повторное обучение',
  graduation: 'о выпуске',
};

export const MOVEMENT_KIND_LABELS: Record<string, string> = {
  admission: 'Зачисление',
  class_transfer: 'Перевод в класс',
  leave: 'Выбытие',
  promotion: 'Перевод в следующий класс',
  conditional_promotion: 'Условный перевод',
  repeat: 'Оставлен на повторное обучение',
  graduation: 'Выпуск',
  cancellation: 'Отмена ошибочной записи',
};

/** The order a movement is made by: an existing one, or a new one created with the movement. */
export const orderRefSchema = z.union([
  z.object({ id: z.number().int().positive() }).strict(),
  z
    .object({
      date: dateSchema,
      /** Without a number the next one of the year is given (e.g. «17-у»). */
      number: z.string().trim().min(1).max(30).optional(),
      title: z.string().trim().max(300).optional(),
      body: z.string().trim().max(5000).optional(),
    })
    .strict(),
]);
export type OrderRef = z.input<typeof orderRefSchema>;

export const classRowSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  parallel: z.number().int(),
  letter: z.string(),
  yearId: z.number().int(),
  yearName: z.string(),
  yearClosed: z.boolean(),
  teacher: z.string().nullable(),
  pupils: z.number().int(),
});
export type ClassRow = z.infer<typeof classRowSchema>;

export const pupilRowSchema = z.object({
  id: z.number().int(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  class: z.string().nullable(),
  classId: z.number().int().nullable(),
  fileNo: z.string().nullable(),
  enrolled: z.boolean(),
});
export type PupilRow = z.infer<typeof pupilRowSchema>;

export const guardianSchema = z.object({
  id: z.number().int(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string().nullable(),
  snils: z.string().nullable(),
  docKind: z.enum(['passport', 'foreign']).nullable(),
  docSeries: z.string().nullable(),
  docNumber: z.string().nullable(),
  docIssuedBy: z.string().nullable(),
  docIssuedOn: z.string().nullable(),
  regAddress: z.string().nullable(),
  liveAddress: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type Guardian = z.infer<typeof guardianSchema>;

export const eventRowSchema = z.object({
  id: z.number().int(),
  date: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  orderId: z.number().int().nullable(),
  order: z.string().nullable(),
  orderDate: z.string().nullable(),
  fromClass: z.string().nullable(),
  toClass: z.string().nullable(),
  reason: z.string().nullable(),
  place: z.string().nullable(),
  note: z.string().nullable(),
  cancelled: z.boolean(),
  cancelsEventId: z.number().int().nullable(),
});
export type EventRow = z.infer<typeof eventRowSchema>;

export const pupilCardSchema = z.object({
  id: z.number().int(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  birthDate: z.string(),
  gender: z.enum(['м', 'ж']),
  snils: z.string().nullable(),
  docKind: z.enum(['birth_certificate', 'passport', 'foreign']).nullable(),
  docSeries: z.string().nullable(),
  docNumber: z.string().nullable(),
  docIssuedBy: z.string().nullable(),
  docIssuedOn: z.string().nullable(),
  regAddress: z.string().nullable(),
  liveAddress: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  fileNo: z.string().nullable(),
  class: z.string().nullable(),
  classId: z.number().int().nullable(),
  enrolled: z.boolean(),
  guardians: z.array(guardianSchema.extend({ kinship: z.enum(KINSHIPS), authorityDoc: z.string().nullable() })),
  memberships: z.array(z.object({ class: z.string(), classId: z.number().int(), from: z.string(), to: z.string().nullable() })),
  events: z.array(eventRowSchema),
  /** When the personal fields were destroyed after a withdrawn consent (act of destruction); null while held. */
  dataDestroyedAt: z.string().nullable().optional(),
});
export type PupilCard = z.infer<typeof pupilCardSchema>;

export const orderRowSchema = z.object({
  id: z.number().int(),
  yearLabel: z.string(),
  number: z.string(),
  date: z.string(),
  kind: z.enum(ORDER_KINDS),
  kindLabel: z.string(),
  title: z.string(),
  body: z.string(),
  pupils: z.number().int(),
});
export type OrderRow = z.infer<typeof orderRowSchema>;

export const orderDetailSchema = orderRowSchema.extend({
  events: z.array(
    eventRowSchema.extend({ pupilId: z.number().int(), pupilName: z.string(), birthDate: z.string(), fileNo: z.string().nullable() }),
  ),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const movementReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  classes: z.array(z.object({ classId: z.number().int(), class: z.string(), start: z.number().int(), arrived: z.number().int(), left: z.number().int(), end: z.number().int() })),
  totals: z.object({ start: z.number().int(), arrived: z.number().int(), left: z.number().int(), end: z.number().int() }),
  events: z.array(
    z.object({
      id: z.number().int(),
      date: z.string(),
      kind: z.string(),
      kindLabel: z.string(),
      order: z.string().nullable(),
      orderDate: z.string().nullable(),
      pupilId: z.number().int(),
      pupilName: z.string(),
      birthDate: z.string(),
      fromClass: z.string().nullable(),
      toClass: z.string().nullable(),
      place: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type MovementReport = z.infer<typeof movementReportSchema>;

export const movementResultSchema = z.object({ pupilId: z.number().int(), eventId: z.number().int(), orderId: z.number().int(), order: z.string(), fileNo: z.string().nullable() });
export type MovementResult = z.infer<typeof movementResultSchema>;
