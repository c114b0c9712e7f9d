import { z } from 'zod';
import { conflictResolutionSchema, importReportSchema } from '../exchange/report';
import { profileSchema } from '../exchange/profile';
import { readMethod, writeMethod, type MethodDef } from './method';

/**
 * Import of the regional systems' files through the profile engine (formats.md). Every run
 * ends in the report of formats.md; a dry run writes nothing. The profile is a built-in id
 * or a whole profile object (from the mapping screen or a profile file), checked by the runner
 * with Russian messages naming each problem.
 */

/** Base64 of the largest accepted file (50 МБ) with room for its padding. */
export const MAX_IMPORT_BASE64_CHARS = 70_000_000;

export const importParamsSchema = z
  .object({
    fileName: z.string().trim().min(1, 'укажите имя файла').max(300, 'имя файла не длиннее 300 символов'),
    contentBase64: z.string().min(1, 'пустой файл').max(MAX_IMPORT_BASE64_CHARS, 'файл больше 50 МБ'),
    profile: z.union([z.string().trim().min(1).max(64), z.record(z.string(), z.unknown())], {
      message: 'профиль загрузки: имя встроенного профиля (roster, access-codes, …) или профиль целиком',
    }),
    encoding: z.enum(['auto', 'utf-8', 'windows-1251'], { message: 'кодировка: auto, utf-8 или windows-1251' }).optional(),
    sheet: z.union([z.string().trim().min(1).max(31), z.number().int().min(1).max(1000)], { message: 'лист: имя листа или его номер' }).optional(),
    dryRun: z.boolean({ message: 'пробная загрузка: да или нет' }),
    resolutions: z.array(conflictResolutionSchema).max(100_000).optional(),
    jobId: z.string().max(64).optional(),
  })
  .strict();
export type ImportParams = z.output<typeof importParamsSchema>;

export const rejectedFileSchema = z.object({ fileName: z.string(), contentBase64: z.string() }).nullable();

export const exchangeImportMethods = {
  'exchange.import': writeMethod('Загрузка данных', ['secretary', 'admin'], importParamsSchema, importReportSchema.extend({ rejectedFile: rejectedFileSchema })),
  'exchange.profiles': readMethod('Профили загрузки', ['secretary', 'admin'], z.object({}).strict(), z.object({ profiles: z.array(profileSchema) })),
} satisfies Record<string, MethodDef>;
