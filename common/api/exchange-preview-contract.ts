import { z } from 'zod';
import { MAX_IMPORT_BASE64_CHARS } from './exchange-import-contract';
import { readMethod, type MethodDef } from './method';

/**
 * The first rows of a user's table file, as text, for the mapping screen: the renderer has no
 * spreadsheet reader of its own, so it asks the main process to read the file the same way the
 * import will (same reader, same encoding detection, same cell text).
 */

/** How many non-empty rows the preview shows: enough to see title rows, the header and some data. */
export const PREVIEW_ROWS = 30;

export const previewParamsSchema = z
  .object({
    fileName: z.string().trim().min(1, 'укажите имя файла').max(300, 'имя файла не длиннее 300 символов'),
    contentBase64: z.string().min(1, 'пустой файл').max(MAX_IMPORT_BASE64_CHARS, 'файл больше 50 МБ'),
    encoding: z.enum(['auto', 'utf-8', 'windows-1251'], { message: 'кодировка: auto, utf-8 или windows-1251' }).optional(),
    sheet: z.union([z.string().trim().min(1).max(31), z.number().int().min(1).max(1000)], { message: 'лист: имя листа или его номер' }).optional(),
  })
  .strict();

export const previewResultSchema = z.object({
  kind: z.enum(['xlsx', 'csv']),
  sheets: z.array(z.string()),
  sheet: z.string(),
  /** Non-empty rows with the file's own row numbers; cells as the import reads them, as text. */
  rows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
});
export type FilePreview = z.infer<typeof previewResultSchema>;

export const exchangePreviewMethods = {
  'exchange.preview': readMethod('Просмотр файла для загрузки', ['secretary', 'admin'], previewParamsSchema, previewResultSchema),
} satisfies Record<string, MethodDef>;
