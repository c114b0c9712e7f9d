import { z } from 'zod';
import {
  CONSENT_STATUSES,
  SCAN_MAX_BYTES,
  SCAN_MIME_TYPES,
  consentCoverageSchema,
  consentPurposeSchema,
} from './consents';
import { readMethod, writeMethod, type MethodDef } from './method';

/**
 * Consent texts, the consent register and coverage (issue 4, items 1–3). Messages of the schemas
 * start with the field's Russian name: the dispatcher shows the key, the user needs the words.
 */

const ROLES = ['secretary', 'admin'] as const;

const id = (field: string) => z.number({ message: `${field}: ожидается номер` }).int(`${field}: ожидается целый номер`).positive(`${field}: ожидается номер больше нуля`);
const day = (field: string) => z.string({ message: `${field}: обязательное поле` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${field}: дата в формате ГГГГ-ММ-ДД`);
const text = (field: string, max: number) =>
  z
    .string({ message: `${field}: обязательное поле` })
    .trim()
    .min(1, `${field}: обязательное поле`)
    .max(max, `${field}: не длиннее ${max} символов`);

const statusSchema = z.enum(CONSENT_STATUSES);

/* ---------- Templates ---------- */

/** The parts of ст. 9 ч. 4 that the school words itself; the rest comes from the register cards. */
export const consentTemplateDraftSchema = z.object({
  purpose: consentPurposeSchema,
  title: z.string(),
  purposeText: z.string(),
  dataList: z.string(),
  actionsText: z.string(),
  processorText: z.string().nullable(),
  termText: z.string(),
  categories: z.array(z.string()).nullable(),
});
export type ConsentTemplateDraft = z.infer<typeof consentTemplateDraftSchema>;

export const consentTemplateSchema = consentTemplateDraftSchema.extend({
  id: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  /** The highest version of its purpose: the one new consents are recorded against. */
  current: z.boolean(),
});
export type ConsentTemplate = z.infer<typeof consentTemplateSchema>;

export const consentTemplateListSchema = z.object({
  /** Every stored version, purposes in their fixed order, newest version first. */
  templates: z.array(consentTemplateSchema),
  /** Suggested texts, one per purpose, not stored: the administrator starts from them. */
  defaults: z.array(consentTemplateDraftSchema),
});
export type ConsentTemplateList = z.infer<typeof consentTemplateListSchema>;

export const consentTemplateSaveSchema = z
  .object({
    purpose: consentPurposeSchema,
    title: text('Заголовок', 300),
    purposeText: text('Цель обработки', 5000),
    dataList: text('Перечень данных', 5000),
    actionsText: text('Действия с данными', 5000),
    processorText: z.string().trim().max(2000, 'Обработчик: не длиннее 2000 символов').nullable().optional(),
    termText: text('Срок действия и порядок отзыва', 5000),
    categories: z.array(text('Категория данных', 300), { message: 'Категории: ожидается список' }).max(30, 'Категории: не больше 30').optional(),
  })
  .strict();
export type ConsentTemplateSave = z.infer<typeof consentTemplateSaveSchema>;

/* ---------- The family card ---------- */

export const consentPurposeStateSchema = z.object({
  purpose: consentPurposeSchema,
  status: statusSchema.nullable(),
  decidedOn: z.string().nullable(),
  consentId: z.number().int().nullable(),
  templateVersion: z.number().int().nullable(),
  signedBy: z.string().nullable(),
  signedByPupil: z.boolean(),
  categories: z.array(z.string()).nullable(),
  hasScan: z.boolean(),
  destroyDue: z.string().nullable(),
  destroyed: z.boolean(),
});
export type ConsentPurposeState = z.infer<typeof consentPurposeStateSchema>;

export const consentSubjectSchema = z.object({
  kind: z.enum(['pupil', 'guardian']),
  pupilId: z.number().int(),
  guardianId: z.number().int().nullable(),
  name: z.string(),
  kinship: z.string().nullable(),
  purposes: z.array(consentPurposeStateSchema),
});
export type ConsentSubject = z.infer<typeof consentSubjectSchema>;

export const consentHistoryRowSchema = z.object({
  consentId: z.number().int(),
  purpose: consentPurposeSchema,
  subject: z.string(),
  status: statusSchema,
  decidedOn: z.string(),
  templateVersion: z.number().int().nullable(),
  signedBy: z.string().nullable(),
  signedByPupil: z.boolean(),
  hasScan: z.boolean(),
  note: z.string().nullable(),
  destroyDue: z.string().nullable(),
  destructionActId: z.number().int().nullable(),
  recordedAt: z.string(),
});
export type ConsentHistoryRow = z.infer<typeof consentHistoryRowSchema>;

export const consentFamilySchema = z.object({
  pupilId: z.number().int(),
  pupil: z.string(),
  age: z.number().int(),
  pupilSigns: z.boolean(),
  dataDestroyedAt: z.string().nullable(),
  subjects: z.array(consentSubjectSchema),
  history: z.array(consentHistoryRowSchema),
});
export type ConsentFamily = z.infer<typeof consentFamilySchema>;

/* ---------- Recording ---------- */

/** Base64 of SCAN_MAX_BYTES plus padding; the decoded size is checked again exactly. */
const SCAN_BASE64_MAX = Math.ceil(SCAN_MAX_BYTES / 3) * 4 + 4;

export const consentScanSchema = z
  .object({
    fileName: text('Имя файла скана', 255),
    mime: z.enum(SCAN_MIME_TYPES, { message: 'Скан: допускаются только PDF, JPEG или PNG' }),
    contentBase64: z
      .string({ message: 'Скан: нет содержимого файла' })
      .min(1, 'Скан: файл пустой')
      .max(SCAN_BASE64_MAX, `Скан: файл больше ${SCAN_MAX_BYTES / 1024 / 1024} МБ`),
  })
  .strict();
export type ConsentScan = z.infer<typeof consentScanSchema>;

export const consentRecordSchema = z
  .object({
    purpose: consentPurposeSchema,
    pupilId: id('Обучающийся'),
    /** The subject of a guardian consent (guardian_data, electronic_results). */
    guardianId: id('Представитель').optional(),
    status: z.enum(['given', 'refused'], { message: 'Решение: дано (given) или отказ (refused)' }),
    date: day('Дата решения'),
    templateVersion: z.number({ message: 'Версия текста: ожидается номер' }).int('Версия текста: ожидается целый номер').positive('Версия текста: ожидается номер больше нуля').optional(),
    signedByGuardianId: id('Подписал представитель').optional(),
    signedByPupil: z.boolean({ message: 'Подпись обучающегося: да или нет' }).optional(),
    categories: z.array(text('Категория данных', 300), { message: 'Категории: ожидается список' }).max(30, 'Категории: не больше 30').optional(),
    note: z.string().trim().max(1000, 'Примечание: не длиннее 1000 символов').optional(),
    scan: consentScanSchema.optional(),
  })
  .strict();
export type ConsentRecordParams = z.infer<typeof consentRecordSchema>;

export const consentRecordResultSchema = z.object({ consentId: z.number().int(), revokedCodes: z.number().int() });

export const consentWithdrawSchema = z
  .object({
    consentId: id('Согласие'),
    date: day('Дата отзыва'),
    note: z.string().trim().max(1000, 'Примечание: не длиннее 1000 символов').optional(),
  })
  .strict();
export type ConsentWithdrawParams = z.infer<typeof consentWithdrawSchema>;

export const consentWithdrawResultSchema = z.object({
  consentId: z.number().int(),
  destroyDue: z.string().nullable(),
  revokedCodes: z.number().int(),
});
export type ConsentWithdrawResult = z.infer<typeof consentWithdrawResultSchema>;

export const consentScanFileSchema = z.object({ fileName: z.string(), mime: z.string(), contentBase64: z.string() });

export const consentMethods = {
  'consentTemplates.list': readMethod('Просмотр текстов согласий', ROLES, z.object({}).strict(), consentTemplateListSchema),
  'consentTemplates.save': writeMethod('Новая редакция текста согласия', ['admin'], consentTemplateSaveSchema, consentTemplateSchema),
  'consents.family': readMethod('Просмотр согласий семьи', ROLES, z.object({ pupilId: id('Обучающийся') }).strict(), consentFamilySchema),
  'consents.record': writeMethod('Регистрация согласия', ROLES, consentRecordSchema, consentRecordResultSchema),
  'consents.withdraw': writeMethod('Отзыв согласия', ROLES, consentWithdrawSchema, consentWithdrawResultSchema),
  'consents.scan': readMethod('Просмотр скана согласия', ROLES, z.object({ consentId: id('Согласие') }).strict(), consentScanFileSchema),
  'consents.coverage': readMethod(
    'Сводка по согласиям',
    ROLES,
    /** `date` (default today) lets the command line and tests look at a past day of the year. */
    z.object({ classId: id('Класс').optional(), date: day('Дата').optional() }).strict(),
    consentCoverageSchema,
  ),
} satisfies Record<string, MethodDef>;

export type { ConsentCoverage, CoverageClass, CoverageMissing, CoverageRefused } from './consents';
