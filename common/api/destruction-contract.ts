import { z } from 'zod';
import { consentPurposeSchema } from './consents';
import { dateSchema } from './contingent';
import { readMethod, writeMethod, type MethodDef } from './method';

/**
 * Withdrawn consents due for destruction and the acts of destruction (ст. 21 ч. 5 152-ФЗ,
 * приказ Роскомнадзора № 179). Messages of the schemas start with the field's Russian name.
 */

const ROLES = ['secretary', 'admin'] as const;
const subjectKindSchema = z.enum(['pupil', 'guardian']);

/** The method written in an act when the user names none. */
export const DEFAULT_DESTRUCTION_METHOD = 'удаление записей из базы данных программы «Канцелярия» без возможности восстановления';

export const dueRowSchema = z.object({
  consentId: z.number().int(),
  purpose: consentPurposeSchema,
  subjectKind: subjectKindSchema,
  pupilId: z.number().int().nullable(),
  guardianId: z.number().int().nullable(),
  subject: z.string(),
  withdrawnOn: z.string(),
  destroyDue: z.string(),
  /** Days until the deadline; negative when it has passed. */
  daysLeft: z.number().int(),
  overdue: z.boolean(),
});
export type DueRow = z.infer<typeof dueRowSchema>;

export const actRowSchema = z.object({
  id: z.number().int(),
  /** As stored: «2026-3» — act 3 of 2026; shown as «№ 3 от ДД.ММ.ГГГГ». */
  number: z.string(),
  actDate: z.string(),
  subjectKind: subjectKindSchema,
  subject: z.string(),
  categories: z.string(),
  reason: z.string(),
  method: z.string(),
  keepUntil: z.string(),
  logEntries: z.number().int(),
  logSha256: z.string(),
});
export type ActRow = z.infer<typeof actRowSchema>;

export const destructionMethods = {
  'consents.due': readMethod(
    'Данные к уничтожению после отзыва согласия',
    ROLES,
    z.object({}).strict(),
    z.object({ today: z.string(), rows: z.array(dueRowSchema) }),
  ),
  'consents.destroy': writeMethod(
    'Уничтожение персональных данных по отозванному согласию',
    ROLES,
    z
      .object({
        consentId: z.number({ message: 'согласие: ожидается номер' }).int('согласие: ожидается целый номер').positive('согласие: ожидается номер больше нуля'),
        actDate: dateSchema,
        method: z.string().trim().min(1, 'способ уничтожения: не может быть пустым').max(500, 'способ уничтожения: не длиннее 500 символов').optional(),
        commission: z
          .array(z.string().trim().min(1, 'член комиссии: пустая строка').max(200, 'член комиссии: не длиннее 200 символов'))
          .max(10, 'комиссия: не больше 10 человек')
          .optional(),
      })
      .strict(),
    z.object({ actId: z.number().int(), number: z.string(), destroyed: z.array(z.string()), auditEntriesErased: z.number().int() }),
  ),
  'consents.acts': readMethod('Акты об уничтожении персональных данных', ROLES, z.object({}).strict(), z.object({ acts: z.array(actRowSchema) })),
  'consents.actLog': readMethod(
    'Выгрузка журнала действий к акту об уничтожении',
    ROLES,
    z.object({ actId: z.number({ message: 'акт: ожидается номер' }).int('акт: ожидается целый номер').positive('акт: ожидается номер больше нуля') }).strict(),
    z.object({ fileName: z.string(), contentBase64: z.string() }),
  ),
} satisfies Record<string, MethodDef>;
