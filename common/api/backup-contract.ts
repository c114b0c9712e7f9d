import { z } from 'zod';
import { jobMethod, readMethod, writeMethod } from './method';

/**
 * Backups (issue 8): one encrypted, verified backup file into each of two or more target
 * folders (different media). Files are sealed to the register's backup key pair, so a run needs
 * no passphrase (the scheduler runs unattended); the passphrase opens the private key, which is
 * stored only wrapped under it. Passphrases are params of calls only: never stored in clear,
 * never returned, and their param names match the audit log's redaction (/passphrase/).
 */

const targetOutcomeSchema = z.object({
  path: z.string(),
  ok: z.boolean(),
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  /** Files removed by rotation in this target after the write (old backups, unused archive objects). */
  removed: z.number().int(),
});

const passphrase = (field: string) => z.string().min(8, `${field}: не короче 8 символов`).max(1024, `${field}: не длиннее 1024 символов`);
const understood = z.literal(true, { error: 'подтверждение: отметьте, что поняли: без парольной фразы резервные копии не открыть' });
const sameAs = (a: string, b: string) => (v: Record<string, unknown>) => v[a] === v[b];
const keyResult = z.object({ fingerprint: z.string(), createdAt: z.string() });

export const backupMethods = {
  /**
   * Makes one snapshot and writes (and verifies) a backup file in every target (default: the
   * settings' targets); a target that fails does not stop the others. `passphrase`, when given
   * (the CLI with SCHOOL_OFFICE_BACKUP_PASSPHRASE), must open the current key, else nothing is written.
   */
  'backup.run': jobMethod(
    'Резервное копирование',
    ['admin'],
    z
      .object({
        targets: z.array(z.string().min(1, 'папка: не указана').max(4096)).min(1, 'папки резервных копий: укажите хотя бы одну').max(10, 'папки резервных копий: не больше 10').optional(),
        passphrase: passphrase('парольная фраза').optional(),
        /** Rotation overrides for this run (the CLI's --keep-latest, --keep-monthly); default: the settings. */
        keepLatest: z.number().int().min(1, 'хранить последних: не меньше 1').max(100, 'хранить последних: не больше 100').optional(),
        keepMonthly: z.number().int().min(0, 'хранить помесячных: не меньше 0').max(120, 'хранить помесячных: не больше 120').optional(),
        jobId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    z.object({ targets: z.array(targetOutcomeSchema), warnings: z.array(z.string()) }),
  ),
  'backup.keyStatus': readMethod(
    'Ключ резервных копий',
    ['admin'],
    z.object({}).strict(),
    z.object({ configured: z.boolean(), fingerprint: z.string().nullable(), createdAt: z.string().nullable() }),
  ),
  /** First set-up: a new key pair, its private half wrapped under the passphrase. Refused when a key exists. */
  'backup.setUpPassphrase': writeMethod(
    'Задание парольной фразы резервных копий',
    ['admin'],
    z
      .object({ passphrase: passphrase('парольная фраза'), passphraseRepeat: z.string().max(1024), understood })
      .strict()
      .refine(sameAs('passphrase', 'passphraseRepeat'), { path: ['passphraseRepeat'], message: 'повтор парольной фразы: не совпадает с парольной фразой, введите её ещё раз' }),
    keyResult,
  ),
  /** The same key under a new passphrase: older backups then open with the new one too. */
  'backup.changePassphrase': writeMethod(
    'Смена парольной фразы резервных копий',
    ['admin'],
    z
      .object({ currentPassphrase: z.string().min(1, 'действующая парольная фраза: не указана').max(1024), newPassphrase: passphrase('новая парольная фраза'), newPassphraseRepeat: z.string().max(1024) })
      .strict()
      .refine(sameAs('newPassphrase', 'newPassphraseRepeat'), { path: ['newPassphraseRepeat'], message: 'повтор новой парольной фразы: не совпадает с новой парольной фразой, введите её ещё раз' }),
    keyResult,
  ),
  /** A lost passphrase: a NEW key pair; backups made before open only with the old passphrase. */
  'backup.replaceKey': writeMethod(
    'Замена ключа резервных копий',
    ['admin'],
    z
      .object({ passphrase: passphrase('новая парольная фраза'), passphraseRepeat: z.string().max(1024), understood })
      .strict()
      .refine(sameAs('passphrase', 'passphraseRepeat'), { path: ['passphraseRepeat'], message: 'повтор парольной фразы: не совпадает с парольной фразой, введите её ещё раз' }),
    keyResult.extend({ message: z.string() }),
  ),
};
