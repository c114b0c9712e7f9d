import { z } from 'zod';
import { archiveMethods } from './archive-contract';
import { backupMethods } from './backup-contract';
import { backupRestoreEvents, backupRestoreMethods } from './backup-restore-contract';
import { backupStatusMethods } from './backup-status-contract';
import type { Role } from '../roles';
import { publicMethod, readMethod, selfMethod, writeMethod, type MethodDef } from './method';
import {
  auditEntrySchema,
  auditVerifySchema,
  idSchema,
  isoDateSchema,
  loginSchema,
  passwordSchema,
  personNameSchema,
  roleSchema,
  schoolSchema,
  settingsSchema,
  userSchema,
} from './schemas';
import {
  classRowSchema,
  dateSchema,
  eventRowSchema,
  guardianInputSchema,
  guardianSchema,
  KINSHIPS,
  LEAVE_REASONS,
  movementReportSchema,
  movementResultSchema,
  orderDetailSchema,
  orderRefSchema,
  orderRowSchema,
  pupilCardSchema,
  pupilInputSchema,
  pupilRowSchema,
} from './contingent';
import { consentPurposeSchema } from './consents';
import { consentMethods } from './consents-contract';
import { destructionMethods } from './destruction-contract';
import { disclosureMethods } from './disclosure-contract';
import { exchangeMethods } from './exchange-contract';
import { exchangeImportMethods } from './exchange-import-contract';
import { exchangePreviewMethods } from './exchange-preview-contract';
import { yearMethods } from './year-contract';

/**
 * The one API contract between the renderer (or the CLI) and the main process.
 *
 * Every method names its params and result schemas and its access rule. This file is the
 * single place where the role × method matrix lives:
 * - `public`: no session needed (first run, login);
 * - `self`: any signed-in user acting on their own session;
 * - `read`: the listed roles, plus the director, who reads everything;
 * - `write`: the listed roles only; the director never writes. Writes run in one
 *   transaction and are written to the audit log.
 */
export type { Access, MethodDef } from './method';

const empty = z.object({}).strict();
const okResult = z.object({ ok: z.literal(true) });

const sessionUser = z.object({
  id: idSchema,
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
});
export type SessionUser = z.infer<typeof sessionUser>;

const sessionInfo = z.object({
  sessionId: z.string(),
  user: sessionUser,
  lockAfterMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const auditFilterSchema = z
  .object({
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    userLogin: z.string().trim().max(32).optional(),
    method: z.string().trim().max(64).optional(),
    entity: z.string().trim().max(64).optional(),
    /** Show entries with id below this one (keyset paging: stays fast at any depth). */
    beforeId: idSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditFilter = z.input<typeof auditFilterSchema>;

const demoParams = z
  .object({
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    pupils: z.number().int().min(10, 'не меньше 10').max(3000, 'не больше 3000').default(600),
    year: z.string().regex(/^(\d{4})\/(\d{4})$/, 'учебный год в виде 2025/2026').default('2025/2026'),
    jobId: z.string().max(64).optional(),
  })
  .strict();

export const demoResultSchema = z.object({
  year: z.string(),
  seconds: z.number(),
  counts: z.record(z.string(), z.number().int()),
});
export type DemoResult = z.infer<typeof demoResultSchema>;

export const overviewSchema = z.object({
  school: schoolSchema,
  currentYear: z.object({ id: idSchema, name: z.string(), startsOn: z.string(), endsOn: z.string(), closed: z.boolean() }).nullable(),
  counts: z.object({
    pupils: z.number().int(),
    classes: z.number().int(),
    guardians: z.number().int(),
    staff: z.number().int(),
    lessons: z.number().int(),
    marks: z.number().int(),
    users: z.number().int(),
  }),
});
export type Overview = z.infer<typeof overviewSchema>;

const codeCountsSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

/** The import report of formats.md («The import report») for the access-codes profile. */
export const codesImportReportSchema = z.object({
  profile: z.literal('access-codes'),
  file: z.string(),
  dryRun: z.boolean(),
  counts: z.object({ codes: codeCountsSchema }),
  rejected: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })),
  warnings: z.array(z.object({ column: z.string(), reason: z.string() })),
  /** The refused rows with a «Причина» column (XLSX), or null when none: to fix and load again. */
  rejectedFile: z.object({ fileName: z.string(), contentBase64: z.string() }).nullable(),
});
export type CodesImportReport = z.infer<typeof codesImportReportSchema>;

/** A code as lists show it: who holds it and its state, never the code itself. */
export const codeRowSchema = z
  .object({
    id: idSchema,
    holderKind: z.enum(['pupil', 'guardian']),
    role: z.string(),
    holder: z.string(),
    pupilId: idSchema,
    guardianId: idSchema.nullable(),
    pupil: z.string(),
    status: z.enum(['new', 'issued', 'revoked', 'disclosed']),
    statusLabel: z.string(),
    validUntil: z.string().nullable(),
    importedAt: z.string(),
    issuedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
    /** When the code was reported disclosed: what was done with it since then is invalid. */
    disclosedAt: z.string().nullable(),
  })
  .strict();
export type CodeRow = z.infer<typeof codeRowSchema>;

/** Someone of the class who gets no code, and why (refusal or a missing consent). */
export const blockedHolderSchema = z.object({
  holderKind: z.enum(['pupil', 'guardian']),
  pupilId: idSchema,
  guardianId: idSchema.nullable(),
  holder: z.string(),
  pupil: z.string(),
  reason: z.string(),
});
export type BlockedHolder = z.infer<typeof blockedHolderSchema>;

export const contract = {
  'app.status': publicMethod(
    'Состояние программы',
    empty,
    z.object({
      initialized: z.boolean(),
      schoolName: z.string().nullable(),
      appVersion: z.string(),
      schemaVersion: z.number().int(),
    }),
  ),
  'auth.setup': publicMethod(
    'Первый запуск: создание администратора',
    z
      .object({
        schoolName: z.string().trim().min(3, 'не короче 3 символов').max(300),
        login: loginSchema,
        fullName: personNameSchema,
        password: passwordSchema,
      })
      .strict(),
    sessionInfo,
  ),
  'auth.login': publicMethod(
    'Вход',
    z.object({ login: z.string().trim().min(1, 'введите логин').max(64), password: z.string().min(1, 'введите пароль').max(200) }).strict(),
    sessionInfo,
  ),
  'auth.logout': selfMethod('Выход', empty, okResult),
  'auth.me': selfMethod(
    'Текущий пользователь',
    empty,
    z.object({ user: sessionUser, lockAfterMinutes: z.number().int(), screenLocked: z.boolean() }),
  ),
  'auth.unlockScreen': selfMethod('Разблокировка экрана', z.object({ password: z.string().min(1, 'введите пароль').max(200) }).strict(), okResult),
  'auth.changePassword': selfMethod(
    'Смена своего пароля',
    z.object({ currentPassword: z.string().min(1, 'введите текущий пароль').max(200), newPassword: passwordSchema }).strict(),
    okResult,
  ),
  'jobs.cancel': selfMethod('Отмена длительной операции', z.object({ jobId: z.string().min(1).max(64) }).strict(), z.object({ cancelled: z.boolean() })),

  'school.overview': readMethod('Сведения о школе', ['secretary', 'admin', 'archivist'], empty, overviewSchema),
  'settings.get': readMethod('Настройки', ['secretary', 'admin', 'archivist'], empty, settingsSchema),
  'users.list': readMethod('Список пользователей', ['admin'], empty, z.object({ users: z.array(userSchema) })),
  'audit.list': readMethod(
    'Журнал действий',
    ['admin'],
    auditFilterSchema,
    z.object({ rows: z.array(auditEntrySchema), total: z.number().int(), nextBeforeId: z.number().int().nullable() }),
  ),
  'audit.verify': readMethod('Проверка целостности журнала действий', ['admin'], empty, auditVerifySchema),

  'school.update': writeMethod('Изменение сведений о школе', ['admin'], schoolSchema.partial().strict(), schoolSchema),
  'settings.update': writeMethod('Изменение настроек', ['admin'], settingsSchema.partial().strict(), settingsSchema),
  'users.create': writeMethod(
    'Создание пользователя',
    ['admin'],
    z.object({ login: loginSchema, fullName: personNameSchema, role: roleSchema, password: passwordSchema }).strict(),
    userSchema,
  ),
  'users.update': writeMethod(
    'Изменение пользователя',
    ['admin'],
    z.object({ id: idSchema, fullName: personNameSchema.optional(), role: roleSchema.optional() }).strict(),
    userSchema,
  ),
  'users.lock': writeMethod('Блокировка пользователя', ['admin'], z.object({ id: idSchema }).strict(), userSchema),
  'users.unlock': writeMethod('Разблокировка пользователя', ['admin'], z.object({ id: idSchema }).strict(), userSchema),
  'users.resetPassword': writeMethod(
    'Сброс пароля пользователя',
    ['admin'],
    z.object({ id: idSchema, password: passwordSchema }).strict(),
    userSchema,
  ),
  'demo.generate': writeMethod('Заполнение демонстрационной школы', ['admin'], demoParams, demoResultSchema),

  // Contingent: the register of pupils, kept only through orders.
  'classes.list': readMethod(
    'Список классов',
    ['secretary', 'admin', 'archivist'],
    z.object({ date: dateSchema.optional() }).strict(),
    z.object({ date: z.string(), classes: z.array(classRowSchema) }),
  ),
  'pupils.search': readMethod(
    'Поиск обучающихся',
    ['secretary', 'admin', 'archivist'],
    z
      .object({
        /** Surname prefix (ё-insensitive, may continue with the first name), СНИЛС, or file number «К/15». */
        query: z.string().trim().max(100).optional(),
        classId: idSchema.optional(),
        /** Class membership as of this day (default today). */
        date: dateSchema.optional(),
        /** Also those not enrolled on that day (leavers, not yet admitted). */
        includeNotEnrolled: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ date: z.string(), rows: z.array(pupilRowSchema), total: z.number().int() }),
  ),
  'pupils.get': readMethod('Карточка обучающегося', ['secretary', 'admin', 'archivist'], z.object({ id: idSchema }).strict(), pupilCardSchema),
  'pupils.update': writeMethod(
    'Изменение анкетных данных обучающегося',
    ['secretary', 'admin'],
    z.object({ id: idSchema, data: pupilInputSchema }).strict(),
    pupilCardSchema,
  ),
  'pupils.findExisting': readMethod(
    'Поиск ранее обучавшегося',
    ['secretary', 'admin'],
    z
      .object({ snils: z.string().trim().max(20).nullish(), lastName: z.string().trim().max(100), firstName: z.string().trim().max(100), middleName: z.string().trim().max(100).nullish(), birthDate: dateSchema })
      .strict(),
    z.object({ matches: z.array(pupilRowSchema) }),
  ),
  'guardians.search': readMethod(
    'Поиск законных представителей',
    ['secretary', 'admin'],
    z.object({ query: z.string().trim().min(1, 'введите начало фамилии').max(100) }).strict(),
    z.object({ rows: z.array(guardianSchema.extend({ children: z.array(z.string()) })) }),
  ),
  'guardians.link': writeMethod(
    'Добавление законного представителя',
    ['secretary', 'admin'],
    z
      .object({
        pupilId: idSchema,
        /** An existing guardian (a sibling's parent), or the data of a new one. */
        guardianId: idSchema.optional(),
        guardian: guardianInputSchema.optional(),
        kinship: z.enum(KINSHIPS, { message: 'степень родства: мать, отец, опекун, попечитель или иное' }),
        authorityDoc: z.string().trim().max(500).nullish(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.guardianId === undefined) === (v.guardian === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['guardianId'], message: 'выберите существующего представителя или введите данные нового' });
        }
        if (v.kinship !== 'мать' && v.kinship !== 'отец' && !v.authorityDoc) {
          ctx.addIssue({ code: 'custom', path: ['authorityDoc'], message: 'для опекуна, попечителя и иного представителя укажите документ о полномочиях' });
        }
      }),
    pupilCardSchema,
  ),
  'guardians.update': writeMethod(
    'Изменение данных законного представителя',
    ['secretary', 'admin'],
    z.object({ id: idSchema, data: guardianInputSchema }).strict(),
    guardianSchema,
  ),
  'guardians.unlink': writeMethod(
    'Исключение законного представителя из карточки',
    ['secretary', 'admin'],
    z.object({ pupilId: idSchema, guardianId: idSchema }).strict(),
    pupilCardSchema,
  ),
  'orders.list': readMethod(
    'Книга приказов по контингенту',
    ['secretary', 'admin', 'archivist'],
    z.object({ yearLabel: z.string().regex(/^\d{4}\/\d{4}$/, 'учебный год в виде 2025/2026').optional() }).strict(),
    z.object({ years: z.array(z.string()), orders: z.array(orderRowSchema) }),
  ),
  'orders.get': readMethod('Приказ', ['secretary', 'admin', 'archivist'], z.object({ id: idSchema }).strict(), orderDetailSchema),
  'movement.admit': writeMethod(
    'Зачисление обучающегося',
    ['secretary', 'admin'],
    z
      .object({
        order: orderRefSchema,
        classId: idSchema,
        /** First day in the school; the order date when omitted. */
        date: dateSchema.optional(),
        /** A former pupil returning (found with pupils.findExisting), or the data of a new one. */
        pupilId: idSchema.optional(),
        pupil: pupilInputSchema.optional(),
        /** Откуда прибыл. */
        place: z.string().trim().max(300).nullish(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.pupilId === undefined) === (v.pupil === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['pupil'], message: 'выберите ранее обучавшегося или введите данные нового обучающегося' });
        }
      }),
    movementResultSchema,
  ),
  'movement.transfer': writeMethod(
    'Перевод в другой класс',
    ['secretary', 'admin'],
    z.object({ pupilId: idSchema, toClassId: idSchema, order: orderRefSchema, date: dateSchema.optional() }).strict(),
    movementResultSchema,
  ),
  'movement.leave': writeMethod(
    'Выбытие обучающегося',
    ['secretary', 'admin'],
    z
      .object({
        pupilId: idSchema,
        order: orderRefSchema,
        /** First day the pupil is no longer in the school; the order date when omitted. */
        date: dateSchema.optional(),
        reason: z.enum(LEAVE_REASONS, { message: 'выберите причину выбытия из списка' }),
        /** Куда выбыл: the receiving school or the town. */
        place: z.string().trim().max(300).nullish(),
        note: z.string().trim().max(1000).nullish(),
      })
      .strict(),
    movementResultSchema.extend({ revokedCodes: z.number().int() }),
  ),
  'movement.cancel': writeMethod(
    'Отмена ошибочной записи о движении',
    ['secretary', 'admin'],
    z.object({ eventId: idSchema, reason: z.string().trim().min(3, 'укажите причину отмены').max(1000) }).strict(),
    eventRowSchema,
  ),
  'movement.report': readMethod(
    'Движение обучающихся за период',
    ['secretary', 'admin', 'archivist'],
    z
      .object({ from: dateSchema, to: dateSchema })
      .strict()
      .refine((v) => v.from <= v.to, { path: ['to'], message: 'конец периода раньше начала' }),
    movementReportSchema,
  ),
  'print.document': readMethod(
    'Печать документа',
    ['secretary', 'admin', 'archivist'],
    z
      .object({
        document: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('order'), orderId: idSchema }).strict(),
          z.object({ kind: z.literal('alphabetBook'), letter: z.string().length(1).optional() }).strict(),
          z.object({ kind: z.literal('classList'), classId: idSchema, date: dateSchema.optional() }).strict(),
          z.object({ kind: z.literal('marksExtract'), pupilId: idSchema, date: dateSchema.optional() }).strict(),
          // Consent forms pre-filled for one family (the pupil and each guardian) or a whole class.
          z.object({ kind: z.literal('consentFormsFamily'), pupilId: idSchema, purposes: z.array(consentPurposeSchema).min(1).optional() }).strict(),
          z.object({ kind: z.literal('consentFormsClass'), classId: idSchema, purposes: z.array(consentPurposeSchema).min(1).optional() }).strict(),
          // The list for the class teacher: who lacks which consent, who refused electronic access.
          z.object({ kind: z.literal('consentCoverage'), classId: idSchema }).strict(),
          z.object({ kind: z.literal('destructionAct'), actId: idSchema }).strict(),
          // Weekly paper extracts for the families of a class who refused electronic access.
          z.object({ kind: z.literal('weeklyExtracts'), classId: idSchema, week: dateSchema }).strict(),
        ]),
      })
      .strict(),
    // `documents`: how many separate documents a printout of many holds (consent forms, weekly
    // extracts); absent for a single document.
    z.object({ fileName: z.string(), title: z.string(), pages: z.number().int(), documents: z.number().int().optional(), pdfBase64: z.string() }),
  ),

  // Access codes to the regional e-journal: secrets, never returned nor logged.
  'codes.import': writeMethod(
    'Загрузка кодов доступа',
    ['secretary', 'admin'],
    z
      .object({
        fileName: z.string().trim().min(1, 'укажите имя файла').max(300),
        contentBase64: z.string().min(1, 'пустой файл').max(70_000_000, 'файл больше 50 МБ'),
        dryRun: z.boolean(),
        encoding: z.enum(['auto', 'utf-8', 'windows-1251'], { message: 'кодировка: auto, utf-8 или windows-1251' }).default('auto'),
      })
      .strict(),
    codesImportReportSchema,
  ),
  'codes.generate': writeMethod(
    'Создание кодов доступа',
    ['admin'],
    z.object({ classId: idSchema, validUntil: dateSchema.optional() }).strict(),
    z.object({
      classId: idSchema,
      created: z.number().int(),
      pupils: z.number().int(),
      guardians: z.number().int(),
      skippedRefused: z.number().int(),
      /** Holders without the consent to processing: no code until it is recorded. */
      skippedNoConsent: z.number().int(),
    }),
  ),
  'codes.list': readMethod(
    'Коды доступа класса',
    ['secretary', 'admin'],
    z.object({ classId: idSchema }).strict(),
    z.object({ classId: idSchema, classLabel: z.string(), rows: z.array(codeRowSchema), blocked: z.array(blockedHolderSchema) }),
  ),
  // A write, not a read: the slips reveal the codes, so only those who hand them out print
  // them (never the director), and each print is recorded.
  'codes.print': writeMethod(
    'Печать реквизитов доступа',
    ['secretary', 'admin'],
    z.object({ classId: idSchema }).strict(),
    z.object({ fileName: z.string(), title: z.string(), pages: z.number().int(), slips: z.number().int(), blocked: z.number().int(), pdfBase64: z.string() }),
  ),
  'codes.mark': writeMethod(
    'Отметка о коде доступа',
    ['secretary', 'admin'],
    z.object({ codeId: idSchema, status: z.enum(['issued', 'lost', 'disclosed'], { message: 'отметка: выдан, утерян или разглашён' }) }).strict(),
    codeRowSchema,
  ),
  'codes.reissue': writeMethod('Перевыпуск кода доступа', ['secretary', 'admin'], z.object({ codeId: idSchema }).strict(), codeRowSchema),

  // Fragments kept in their own files (one per area), so the matrix stays readable.
  ...consentMethods,
  ...destructionMethods,
  ...disclosureMethods,
  ...exchangeMethods,
  ...exchangeImportMethods,
  ...exchangePreviewMethods,
  ...yearMethods,
  ...archiveMethods,
  ...backupMethods,
  ...backupRestoreMethods,
  ...backupStatusMethods,
} satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Whether a role may call a method at all (session state aside). */
export function roleMayCall(method: MethodName, role: Role): boolean {
  return contract[method].roles.includes(role);
}

/** Events pushed from main to the renderer. */
export const eventSchemas = {
  'job.progress': z.object({ jobId: z.string(), done: z.number(), total: z.number(), stage: z.string() }),
  ...backupRestoreEvents,
} as const;
export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

/** The transport every client uses: Electron preload, loopback HTTP, or in-process tests. */
export interface ApiTransport {
  invoke<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
