import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { backupRestoreMethods, BackupCandidate, BackupInspection } from '../../common/api/backup-restore-contract';
import { ApiError } from '../../common/api/errors';
import { SCHEMA_VERSION } from '../../db/migrations';
import { BackupFileError, readHeader } from '../backup/format';
import { allBackupKeys } from '../backup/key-store';
import { refuseNewer, restoreBackup } from '../backup/restore';
import { listBackups } from '../backup/run';
import { hasPendingSwitch, preRestoreFolder, removeStaleStaging, restoreStamp, stagingFolder, switchRegister } from '../backup/switch';
import { verifyBackup } from '../backup/verify';
import type { Handler, HandlerContext } from '../context';

/**
 * Restore in the app: list the backups of the configured folders, check one with its passphrase
 * (what it holds), restore it. The restore writes the copy into a staging folder inside the data
 * folder, then the app closes its register, switches the folders (main/backup/switch.ts: the
 * current register is kept as a pre-restore copy) and reopens; every session ends. Audit entries
 * name the file and the outcome, never the passphrase nor personal data.
 */

/** Why a backup cannot be used, in words that say what to do; null for errors that are not about the file. */
function backupProblem(file: string, error: unknown): string | null {
  const name = basename(file);
  if (error instanceof BackupFileError) {
    if (error.kind === 'passphrase') return `Неверная парольная фраза для резервной копии «${name}». Проверьте раскладку клавиатуры и Caps Lock и введите фразу ещё раз.`;
    if (error.kind === 'newer') return /[.!]$/.test(error.message) ? error.message : `Резервная копия «${name}»: ${error.message}. Установите новую версию «Канцелярии» и повторите восстановление.`;
    return `Резервная копия «${name}» не прошла проверку: ${error.message}. Восстановите данные из другой копии (со второго носителя).`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `Файл резервной копии «${file}» не найден. Проверьте, что носитель подключён, и выберите файл снова.`;
  if (code === 'EACCES' || code === 'EPERM') return `Нет доступа к файлу резервной копии «${file}». Скопируйте его в доступную папку и выберите снова.`;
  if (code === 'EISDIR') return `«${file}» — папка, а не файл резервной копии. Выберите файл с расширением .sobak.`;
  if (code === 'EIO') return `Ошибка чтения файла «${file}» (носитель извлечён?). Подключите носитель и повторите.`;
  return null;
}

function cancelledError(what: string): ApiError {
  return new ApiError('cancelled', `${what} отменено. Данные не изменены.`);
}

/** The register's folder; restoring needs a register on disk. */
function dataFolderOf(ctx: HandlerContext): { dataDir: string; dbName: string } {
  const path = ctx.app.opened.path;
  if (path === ':memory:') throw new ApiError('refused', 'База данных открыта в памяти: восстанавливать некуда.');
  return { dataDir: dirname(path), dbName: basename(path) };
}

/** `2026-11-24T05:30:15.000Z` → «24.11.2026 08:30» in the computer's own time zone (the window shows the same clock). */
function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}.${two(d.getMonth() + 1)}.${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function folderReason(folder: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `Папка «${folder}» не найдена (носитель не подключён?).`;
  if (code === 'ENOTDIR') return `«${folder}» — не папка.`;
  if (code === 'EACCES' || code === 'EPERM') return `Нет доступа к папке «${folder}».`;
  return `Папка «${folder}» не читается (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}).`;
}

const candidates: Handler<'backup.candidates'> = async (ctx) => {
  const backups: BackupCandidate[] = [];
  const folders: { folder: string; error: string | null; unreadable: number }[] = [];
  for (const folder of [...new Set(ctx.app.settings.backupTargets.map((t) => resolve(t)))]) {
    try {
      const listed = listBackups(folder);
      for (const b of listed.backups) backups.push({ ...b, folder, newer: b.schemaVersion > SCHEMA_VERSION });
      folders.push({ folder, error: null, unreadable: listed.unreadable.length });
    } catch (error) {
      folders.push({ folder, error: folderReason(folder, error), unreadable: 0 });
    }
  }
  backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.file.localeCompare(b.file));
  return { backups, folders, schemaVersion: SCHEMA_VERSION, dataDir: dirname(ctx.app.opened.path) };
};

function requireFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    throw Object.assign(new Error('no file'), { code: (error as { code?: unknown }).code ?? 'ENOENT' });
  }
  if (!isFile) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
}

const inspect: Handler<'backup.inspect'> = async (ctx, params) =>
  ctx.app.jobs.run(params.jobId, async (job) => {
    const file = resolve(params.file);
    const result: BackupInspection = {
      ok: false,
      file,
      name: basename(file),
      createdAt: null,
      appVersion: null,
      schemaVersion: null,
      counts: {},
      files: 0,
      archiveFiles: 0,
      bytes: 0,
      newer: false,
      error: null,
    };
    let kind = 'ok';
    try {
      requireFile(file);
      result.bytes = statSync(file).size;
      const { header } = readHeader(file);
      Object.assign(result, { createdAt: header.createdAt, appVersion: header.appVersion, schemaVersion: header.schemaVersion, newer: header.schemaVersion > SCHEMA_VERSION });
      refuseNewer(header.schemaVersion, header.appVersion);
      // The test-restore copy holds personal data: it goes into a private folder beside the register.
      const scratchParent = ctx.app.opened.path === ':memory:' ? undefined : dirname(ctx.app.opened.path);
      const { manifest } = await verifyBackup(file, params.passphrase, {
        // Backups made before a change of the passphrase open with the current one too.
        keyRecords: await allBackupKeys(ctx.db),
        signal: job.signal,
        scratchParent,
        onProgress: (done, total) => job.progress(done, total, 'Проверка резервной копии'),
      });
      refuseNewer(manifest.schemaVersion, manifest.appVersion);
      Object.assign(result, {
        ok: true,
        createdAt: manifest.createdAt,
        appVersion: manifest.appVersion,
        schemaVersion: manifest.schemaVersion,
        counts: manifest.counts,
        files: manifest.entries.length,
        archiveFiles: manifest.entries.filter((e) => e.name.startsWith('archive/')).length,
      });
    } catch (error) {
      if (job.signal.aborted) throw cancelledError('Проверка резервной копии');
      const problem = backupProblem(file, error);
      if (problem === null) throw error;
      kind = error instanceof BackupFileError ? error.kind : 'file';
      result.error = problem;
    }
    await ctx.write(async () => {
      ctx.audit({ entity: 'backup', details: { file: result.name, ok: result.ok, problem: result.ok ? null : kind, createdAt: result.createdAt } });
    });
    return result;
  });

/** Replacing the register under another long job (a backup, a print) would pull its database away. */
const ALONE = {
  busy: 'Сейчас выполняется другая длительная операция (резервное копирование, печать или проверка). Дождитесь её окончания и повторите восстановление.',
  meanwhile: 'Идёт восстановление из резервной копии: другие длительные операции сейчас не запускаются. Дождитесь его окончания.',
};

const restore: Handler<'backup.restore'> = async (ctx, params) =>
  ctx.app.jobs.runExclusive(params.jobId, ALONE, async (job) => {
    const { dataDir, dbName } = dataFolderOf(ctx);
    const file = resolve(params.file);
    const name = basename(file);
    if (file.startsWith(`${dataDir}/`) || file.startsWith(`${dataDir}\\`)) {
      // A file inside the data folder might be moved aside by the switch itself.
      const inside = file.slice(dataDir.length + 1).split(/[\\/]/)[0];
      if (inside === 'archive' || inside === 'keys') throw new ApiError('refused', `Резервная копия «${name}» лежит в папке архива или ключей программы. Скопируйте её в другую папку и повторите.`, { file: 'файл в папке данных программы' });
    }
    removeStaleStaging(dataDir);
    const stamp = restoreStamp(ctx.now());
    const staging = stagingFolder(dataDir, stamp);
    mkdirSync(staging, { recursive: true, mode: 0o700 });

    // 1. The copy, verified and migrated, into the staging folder: the register is untouched so far.
    let outcome: Awaited<ReturnType<typeof restoreBackup>>;
    try {
      requireFile(file);
      outcome = await restoreBackup(file, params.passphrase, join(staging, dbName), {
        keyRecords: await allBackupKeys(ctx.db),
        signal: job.signal,
        onProgress: (done, total, stage) => job.progress(done, total, stage),
      });
      job.signal.throwIfAborted();
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (job.signal.aborted) throw cancelledError('Восстановление');
      const problem = backupProblem(file, error);
      await ctx.write(async () => {
        ctx.audit({ entity: 'backup', details: { file: name, ok: false, problem: error instanceof BackupFileError ? error.kind : 'error' } });
      });
      if (problem === null) throw error;
      throw new ApiError('refused', `${problem} Текущие данные не изменены.`, error instanceof BackupFileError && error.kind === 'passphrase' ? { passphrase: 'неверная парольная фраза' } : undefined);
    }

    // 2. The current register's own last word, then the switch (no cancel from here: it takes moments).
    const preRestore = preRestoreFolder(dataDir, stamp);
    const made = localDateTime(outcome.createdAt);
    await ctx.write(async () => {
      ctx.audit({
        entity: 'backup',
        details: { file: name, ok: true, note: `начата замена базы восстановленной из копии ${name} от ${made}; эта база будет сохранена в ${preRestore}`, preRestore },
      });
    });
    job.progress(0, 1, 'Переключение на восстановленную базу');
    try {
      await ctx.app.replaceDatabase(async () => {
        await switchRegister(dataDir, { staging, preRestore, dbName });
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (hasPendingSwitch(dataDir)) {
        // Not put back: the register stays closed, and the next start finishes the switch from the staging folder.
        throw new ApiError('internal', `Переключение на восстановленную базу прервано: ${reason} Перезапустите программу — при запуске она завершит переключение; прежняя база будет в папке «${preRestore}».`);
      }
      rmSync(staging, { recursive: true, force: true });
      await ctx.write(async () => {
        ctx.audit({ entity: 'backup', details: { file: name, ok: false, problem: 'switch', note: 'переключение не выполнено, база осталась прежней' } });
      });
      throw new ApiError('refused', `Переключение на восстановленную базу не выполнено: ${reason} Текущие данные остались на месте.`);
    }

    // 3. The restored register: its own audit entry (its users did not make this change: no user id).
    const actorLogin = ctx.session?.user.login ?? null;
    await ctx.write(async () => {
      ctx.audit({
        actor: { userId: null, login: actorLogin },
        entity: 'backup',
        details: {
          file: name,
          createdAt: outcome.createdAt,
          appVersion: outcome.appVersion,
          note: `восстановлено из резервной копии ${name}, сделанной ${made}; прежняя база сохранена в ${preRestore}`,
          preRestore,
        },
      });
    });
    const school = await ctx.app.db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirst();
    const message = `Данные восстановлены из копии от ${made}; прежняя база сохранена в ${preRestore}. Войдите в программу снова: учётные записи — те, что были на момент копии.`;
    ctx.app.events.emit('backup.restored', { message, createdAt: outcome.createdAt, preRestore, schoolName: school?.name ?? null });
    return { createdAt: outcome.createdAt, appVersion: outcome.appVersion, counts: outcome.counts, preRestore, message };
  });

export const backupRestoreHandlers: { [M in keyof typeof backupRestoreMethods]: Handler<M> } = {
  'backup.candidates': candidates,
  'backup.inspect': inspect,
  'backup.restore': restore,
};

