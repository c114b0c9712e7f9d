import { z } from 'zod';
import { jobMethod } from './method';

/**
 * Backups (issue 8): the administrator writes one encrypted, verified backup file into each of
 * two or more target folders (different media). The passphrase is a param of the call only: it
 * is never stored, and the audit log redacts it.
 */

const targetOutcomeSchema = z.object({
  path: z.string(),
  ok: z.boolean(),
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
});

export const backupMethods = {
  /** Makes one snapshot and writes (and verifies) a backup file in every target; a target that fails does not stop the others. */
  'backup.run': jobMethod(
    'Резервное копирование',
    ['admin'],
    z
      .object({
        targets: z.array(z.string().min(1, 'папка: не указана').max(4096)).min(1, 'папки резервных копий: укажите хотя бы одну').max(10, 'папки резервных копий: не больше 10'),
        passphrase: z.string().min(8, 'парольная фраза: не короче 8 символов').max(1024, 'парольная фраза: не длиннее 1024 символов'),
        jobId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    z.object({ targets: z.array(targetOutcomeSchema), warnings: z.array(z.string()) }),
  ),
};
