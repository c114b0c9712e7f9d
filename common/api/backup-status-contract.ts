import { z } from 'zod';
import { readMethod } from './method';

/**
 * Backups on the status screen (issue 8): what the administrator sees before trusting the
 * backups — each target checked live, its last good copy and whether it is overdue, the last
 * failure, warnings; the targets form checks folders before saving; the history of runs.
 * Nothing here changes data: settings change through `settings.update`, runs through `backup.run`.
 */

export const FOLDER_STATES = ['ok', 'missing', 'not_folder', 'read_only'] as const;
export const folderStateSchema = z.enum(FOLDER_STATES);
export type FolderState = z.infer<typeof folderStateSchema>;

/** The folder states as the user sees them. */
export const FOLDER_STATE_LABELS: Record<FolderState, string> = {
  ok: 'доступна для записи',
  missing: 'не найдена',
  not_folder: 'не папка',
  read_only: 'только для чтения',
};

const folderCheckSchema = z.object({
  path: z.string(),
  state: folderStateSchema,
  freeBytes: z.number().nullable(),
  device: z.string().nullable(),
  problem: z.string().nullable(),
});
export type FolderCheckRow = z.infer<typeof folderCheckSchema>;

const targetStatusSchema = folderCheckSchema.extend({
  lastGood: z
    .object({
      finishedAt: z.string(),
      file: z.string().nullable(),
      bytes: z.number().nullable(),
      /** Whether the file is still in the folder (a copy may be deleted or the medium swapped). */
      present: z.boolean(),
    })
    .nullable(),
  /** Whole days since the last good copy; null when there is none. */
  ageDays: z.number().int().nullable(),
  /** No good copy yet, or the last is older than the interval. */
  overdue: z.boolean(),
  /** The last failure, only when newer than the last success. */
  lastFailure: z.object({ at: z.string(), message: z.string() }).nullable(),
});
export type TargetStatus = z.infer<typeof targetStatusSchema>;

export const backupStatusSchema = z.object({
  /** The server's clock, so ages read the same on every screen. */
  now: z.string(),
  targets: z.array(targetStatusSchema),
  warnings: z.array(z.string()),
  keyConfigured: z.boolean(),
  schedule: z.object({
    enabled: z.boolean(),
    intervalDays: z.number().int(),
    /** When the next copy is due (now or in the past: due already); null without targets. */
    nextDueAt: z.string().nullable(),
  }),
  rotation: z.object({ keepLatest: z.number().int(), keepMonthly: z.number().int() }),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

const historyRowSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  target: z.string(),
  file: z.string().nullable(),
  bytes: z.number().nullable(),
  status: z.enum(['running', 'ok', 'failed']),
  message: z.string().nullable(),
  /** 'manual', 'schedule', 'cli'… when the run recorded it. */
  trigger: z.string().nullable(),
});
export type BackupHistoryRow = z.infer<typeof historyRowSchema>;

export const backupStatusMethods = {
  /** Per target: folder state, last good copy, overdue, last failure; warnings; key and schedule. */
  'backup.status': readMethod('Состояние резервных копий', ['admin'], z.object({}).strict(), backupStatusSchema),
  /** Checks folders before they are saved as targets: exists, folder, writable (a test file), free space, device. */
  'backup.checkTargets': readMethod(
    'Проверка папок резервных копий',
    ['admin'],
    z
      .object({
        targets: z
          .array(z.string().trim().min(1, 'папка: не указана').max(500, 'папка: не длиннее 500 символов'))
          .min(1, 'папки: укажите хотя бы одну')
          .max(10, 'папки: не больше 10'),
      })
      .strict(),
    z.object({ targets: z.array(folderCheckSchema), warnings: z.array(z.string()) }),
  ),
  /** Backup runs, one row per target, newest first, a page at a time. */
  'backup.history': readMethod(
    'Журнал резервного копирования',
    ['admin'],
    z
      .object({
        limit: z.number().int().min(1, 'limit: не меньше 1').max(500, 'limit: не больше 500').default(100),
        offset: z.number().int().min(0, 'offset: не меньше 0').default(0),
      })
      .strict(),
    z.object({ rows: z.array(historyRowSchema), total: z.number().int() }),
  ),
};
