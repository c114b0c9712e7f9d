import { z } from 'zod';
import { ROLES } from '../roles';

/** Shared value schemas. Messages are Russian: they reach the user as they are. */

export const loginSchema = z
  .string()
  .trim()
  .min(3, 'не короче 3 символов')
  .max(32, 'не длиннее 32 символов')
  .regex(/^[a-zA-Z0-9._-]+$/, 'только латинские буквы, цифры, точка, дефис и подчёркивание')
  .toLowerCase();

export const passwordSchema = z.string().min(6, 'не короче 6 символов').max(200, 'не длиннее 200 символов');

export const personNameSchema = z.string().trim().min(1, 'обязательное поле').max(200, 'не длиннее 200 символов');

export const roleSchema = z.enum(ROLES, { message: 'неизвестная роль' });

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'дата в формате ГГГГ-ММ-ДД');

export const idSchema = z.number().int().positive();

export const userSchema = z.object({
  id: idSchema,
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
  locked: z.boolean(),
  failedAttempts: z.number().int(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** Since when the account's credentials are known to be disclosed (its changes since then are suspect). */
  disclosedSince: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const auditEntrySchema = z.object({
  id: idSchema,
  at: z.string(),
  userLogin: z.string().nullable(),
  method: z.string(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  lastId: z.number().int().nullable(),
  /** Entries whose payloads had destroyed personal data erased (checked against the original digests). */
  erased: z.number().int().optional(),
  firstBroken: z
    .object({ id: z.number().int(), reason: z.string() })
    .nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

export const schoolSchema = z.object({
  name: z.string(),
  shortName: z.string(),
  address: z.string(),
  directorName: z.string(),
  phone: z.string(),
  email: z.string(),
  inn: z.string(),
});
export type School = z.infer<typeof schoolSchema>;

export const settingsSchema = z.object({
  /** Minutes of inactivity after which the screen locks; 0 turns locking off. */
  lockAfterMinutes: z.number().int().min(0, 'не меньше 0').max(240, 'не больше 240 минут'),
  /** Appended to the numbers of orders on pupils, e.g. «12-у». */
  orderSuffix: z.string().trim().max(10, 'не длиннее 10 символов'),
  /** Archive retention terms in years, per kind of volume (issue 7). */
  retentionYears: z.object({
    class_journal: z.number().int().min(1, 'не меньше 1 года').max(100, 'не больше 100 лет'),
    final_marks_ledger: z.number().int().min(1, 'не меньше 1 года').max(100, 'не больше 100 лет'),
    attendance_ledger: z.number().int().min(1, 'не меньше 1 года').max(100, 'не больше 100 лет'),
    movement_ledger: z.number().int().min(1, 'не меньше 1 года').max(100, 'не больше 100 лет'),
  }).strict(),
  /** Whether the cover and the certification sheet are counted in a volume's sheets. */
  countCoverAndCertification: z.boolean(),
  /** Two-sided printing unless the user says otherwise for one print. */
  duplexByDefault: z.boolean(),
  /** The folder of the second electronic copy of sealed volumes (another disk or a share); '' — none. */
  archiveMirrorDir: z.string().trim().max(500, 'не длиннее 500 символов'),
  /** Backup target folders (issue 8): two or more, on different media (a USB drive, a second disk, a share). */
  backupTargets: z.array(z.string().trim().min(1, 'папка: не указана').max(500, 'не длиннее 500 символов')).max(10, 'не больше 10 папок'),
  /** Days after which the last good backup of a target counts as overdue; the regulations ask for monthly, weekly is recommended. */
  backupIntervalDays: z.number().int().min(1, 'не меньше 1 дня').max(31, 'не больше 31 дня'),
  /** Whether the running app makes a backup by itself when one is due. */
  backupScheduleEnabled: z.boolean(),
  /** Rotation: the newest backups kept in each target… */
  backupKeepLatest: z.number().int().min(1, 'не меньше 1').max(100, 'не больше 100'),
  /** …plus one per month for this many months. */
  backupKeepMonthly: z.number().int().min(0, 'не меньше 0').max(120, 'не больше 120 месяцев'),
});
export type Settings = z.infer<typeof settingsSchema>;
