import { z } from 'zod';
import { jobMethod, readMethod } from './method';

/**
 * Restore in the app (issue 8): the administrator picks a backup from the configured folders (or
 * any file), checks it with the passphrase and sees what it holds, then restores it. The copy is
 * restored into a new file beside the register and the app switches to it atomically; the
 * current register is kept as a pre-restore copy and everyone signs in again. The passphrase is
 * a param of the call only: never stored, redacted from the audit log.
 */

const fileParam = z.string().trim().min(1, 'файл резервной копии: не указан').max(4096, 'файл резервной копии: путь длиннее 4096 символов');
const passphraseParam = z.string().min(1, 'парольная фраза: введите её').max(1024, 'парольная фраза: не длиннее 1024 символов');
const jobIdParam = z.string().min(1).max(64).optional();

export const backupCandidateSchema = z.object({
  file: z.string(),
  folder: z.string(),
  name: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  bytes: z.number().int(),
  /** Made by a newer version of the program (newer schema): it cannot be restored here. */
  newer: z.boolean(),
});
export type BackupCandidate = z.infer<typeof backupCandidateSchema>;

export const backupFolderStateSchema = z.object({
  folder: z.string(),
  /** Null when the folder was read; otherwise why not (the drive is not connected…). */
  error: z.string().nullable(),
  /** Files named like backups whose header could not be read. */
  unreadable: z.number().int(),
});

export const backupInspectionSchema = z.object({
  ok: z.boolean(),
  file: z.string(),
  name: z.string(),
  /** From the file's plain header: known even when the passphrase is wrong; null when the file is not a backup. */
  createdAt: z.string().nullable(),
  appVersion: z.string().nullable(),
  schemaVersion: z.number().int().nullable(),
  /** Rows in the main tables (table name → rows); empty unless the copy verified. */
  counts: z.record(z.string(), z.number().int()),
  files: z.number().int(),
  archiveFiles: z.number().int(),
  bytes: z.number().int(),
  newer: z.boolean(),
  /** Why the copy cannot be restored, in Russian; null when `ok`. */
  error: z.string().nullable(),
});
export type BackupInspection = z.infer<typeof backupInspectionSchema>;

export const backupRestoreMethods = {
  /** Backups found in the configured backup folders, newest first; a missing folder is reported, not fatal. */
  'backup.candidates': readMethod(
    'Резервные копии для восстановления',
    ['admin'],
    z.object({}).strict(),
    z.object({
      backups: z.array(backupCandidateSchema),
      folders: z.array(backupFolderStateSchema),
      schemaVersion: z.number().int(),
      /** The data folder: where the pre-restore copy of the current register will be kept. */
      dataDir: z.string(),
    }),
  ),
  /** Reads a backup through (decrypts, checks every checksum, test-restores the database) and says what it holds. Changes nothing. */
  'backup.inspect': jobMethod(
    'Проверка резервной копии перед восстановлением',
    ['admin'],
    z.object({ file: fileParam, passphrase: passphraseParam, jobId: jobIdParam }).strict(),
    backupInspectionSchema,
  ),
  /**
   * Restores a backup into a new file beside the register and switches the app to it; the
   * current register is kept (its folder is returned). Every session ends: the restored register
   * has its own users.
   */
  'backup.restore': jobMethod(
    'Восстановление из резервной копии',
    ['admin'],
    z
      .object({
        file: fileParam,
        passphrase: passphraseParam,
        understood: z.literal(true, { message: 'подтвердите, что понимаете: текущие данные будут заменены данными копии' }),
        jobId: jobIdParam,
      })
      .strict(),
    z.object({
      createdAt: z.string(),
      appVersion: z.string(),
      counts: z.record(z.string(), z.number().int()),
      /** The folder that keeps the register as it was before the restore. */
      preRestore: z.string(),
      /** What the window shows on the login screen. */
      message: z.string(),
    }),
  ),
};

/** Events of the restore, spread into the contract's event list. */
export const backupRestoreEvents = {
  /**
   * The register was replaced: every window returns to the login screen and says so (the window
   * words it from `createdAt` in its own clock; `message` is the main process's wording).
   */
  'backup.restored': z.object({ message: z.string(), createdAt: z.string(), preRestore: z.string(), schoolName: z.string().nullable() }),
};
