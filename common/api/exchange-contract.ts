import { z } from 'zod';
import { isRealIsoDate } from '../domain/person';
import { readMethod, type MethodDef } from './method';

/** Data exchange with the regional systems: exports (imports come with a later issue). */

export const EXPORT_PROFILES = ['roster', 'movement', 'kiasuo'] as const;
export type ExportProfile = (typeof EXPORT_PROFILES)[number];

export const EXPORT_PROFILE_TITLES: Record<ExportProfile, string> = {
  roster: 'Список обучающихся',
  movement: 'Движение обучающихся',
  kiasuo: 'Пакет данных КИАСУО',
};

const day = (what: string) => z.string().refine(isRealIsoDate, `${what}: дата в формате ГГГГ-ММ-ДД, существующая в календаре`);

/** Which filters each profile takes; any other given filter is refused rather than ignored. */
const ALLOWED_FILTERS: Record<ExportProfile, readonly string[]> = {
  roster: ['classId', 'admittedSince', 'withoutCodes'],
  movement: ['from', 'to'],
  kiasuo: ['classId'],
};

const FILTER_TITLES: Record<string, string> = {
  classId: 'класс',
  admittedSince: 'зачисленные с даты',
  withoutCodes: 'без кодов доступа',
  from: 'начало периода',
  to: 'конец периода',
};

export const exportParamsSchema = z
  .object({
    profile: z.enum(EXPORT_PROFILES, { message: 'профиль выгрузки: roster (список обучающихся), movement (движение) или kiasuo (пакет КИАСУО)' }),
    classId: z.number({ message: 'класс: номер класса из списка' }).int('класс: номер класса из списка').positive('класс: номер класса из списка').optional(),
    admittedSince: day('зачисленные с').optional(),
    withoutCodes: z.boolean({ message: 'без кодов доступа: да или нет' }).optional(),
    from: day('начало периода').optional(),
    to: day('конец периода').optional(),
    /** Names the export as a job: progress events carry it, and jobs.cancel stops the export. */
    jobId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const allowed = ALLOWED_FILTERS[value.profile];
    for (const key of Object.keys(FILTER_TITLES)) {
      if (value[key as keyof typeof value] !== undefined && !allowed.includes(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `«${FILTER_TITLES[key]}» не применяется к выгрузке «${EXPORT_PROFILE_TITLES[value.profile]}»` });
      }
    }
    if (value.profile === 'movement') {
      if (value.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'для выгрузки движения укажите начало периода' });
      if (value.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'для выгрузки движения укажите конец периода' });
      if (value.from !== undefined && value.to !== undefined && value.from > value.to) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'конец периода раньше начала' });
      }
    }
  });
export type ExportParams = z.output<typeof exportParamsSchema>;

export const exchangeMethods = {
  // A read: nothing in the register changes. The handler still records each export in the audit
  // log (profile, filters, number of rows), because the file carries personal data out.
  'exchange.export': readMethod(
    'Выгрузка данных',
    ['secretary', 'admin'],
    exportParamsSchema,
    z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  ),
} satisfies Record<string, MethodDef>;
