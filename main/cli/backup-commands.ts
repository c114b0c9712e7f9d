import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupMethods } from '../../common/api/backup-contract';
import type { Result } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { App } from '../app';
import { checkBackupPassphrase, currentBackupKey } from '../backup/key-store';
import { backupAndRecord } from '../backup/record';
import { BackupFileError, readHeader } from '../backup/format';
import { restoreBackup } from '../backup/restore';
import { listBackups } from '../backup/run';
import { verifyBackup } from '../backup/verify';
import type { CommandModule, CommandSession, OptionValues, StandaloneIo } from './args';
import { CommandError, InterruptedError, UsageError } from './errors';
import { table } from './format';
import { runCancellableJob } from './jobs';

/**
 * `backup set-passphrase`, `backup run`, `backup verify`, `backup list`, `restore`.
 * `backup set-passphrase` and `backup run` are the administrator's calls through the dispatcher
 * (recorded in the audit log and the backup history). `backup run` needs NO passphrase: files are
 * sealed to the register's backup key, so the OS scheduler's task carries no secret; when
 * SCHOOL_OFFICE_BACKUP_PASSPHRASE is set it must open the key (or, with no key yet, it sets the
 * key up — the former usage keeps working). The other three work on backup files alone — the
 * passphrase is what opens a backup, not an account — so they run without opening a register
 * (`restore` writes a NEW one at `--db`). Passphrases come from the environment or standard
 * input; they are never echoed or printed.
 */

export const PASSPHRASE_ENV = 'SCHOOL_OFFICE_BACKUP_PASSPHRASE';
export const NEW_PASSPHRASE_ENV = 'SCHOOL_OFFICE_NEW_BACKUP_PASSPHRASE';
const PASSPHRASE_PROMPT = 'Парольная фраза резервных копий';
const NEW_PASSPHRASE_PROMPT = 'Новая парольная фраза резервных копий';
const WRONG_PASSPHRASE = 'неверная парольная фраза';

const ru = (iso: string) => `${iso.slice(0, 10).split('-').reverse().join('.')} ${iso.slice(11, 16)}`;

function optionalTargets(values: OptionValues): string[] {
  const raw = values.toList;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list.map((t) => resolve(t));
}

function targetsOf(values: OptionValues): string[] {
  const list = optionalTargets(values);
  if (list.length === 0) throw new UsageError('Не указана папка резервных копий: --to ПАПКА (для двух носителей: --to ПАПКА1 --to ПАПКА2).');
  return list;
}

function count(values: OptionValues, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`Параметр --${name} должен быть целым числом, а не «${String(value)}».`);
  return Number(value);
}

const envPassphrase = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

const short = (fingerprint: string) => fingerprint.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');

function requireFile(argument: string | undefined, usage: string): string {
  if (!argument) throw new UsageError(`Не указан файл резервной копии: ${usage}.`);
  const file = resolve(argument);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CommandError(`Файл резервной копии не найден: ${file}`);
  return file;
}

function runText(result: Result<'backup.run'>): string {
  const lines = result.targets.map((t) =>
    t.ok ? `  записано и проверено: ${t.file} (${t.bytes} байт, SHA-256 ${t.sha256})${t.removed > 0 ? `; удалено старых файлов: ${t.removed}` : ''}` : `  НЕ ЗАПИСАНО: ${t.error}`,
  );
  const ok = result.targets.filter((t) => t.ok).length;
  return [`Резервная копия: записано ${ok} из ${result.targets.length}.`, ...lines, ...result.warnings.map((w) => `Внимание: ${w}`)].join('\n');
}

/** Ctrl+C stops a standalone command through its signal. */
function interruptible(io: StandaloneIo): AbortController {
  const controller = new AbortController();
  io.onInterrupt(() => controller.abort());
  return controller;
}

async function verifyCommand(argument: string | undefined, io: StandaloneIo): Promise<[unknown, string, number]> {
  const file = requireFile(argument, 'backup verify ФАЙЛ');
  try {
    readHeader(file);
  } catch (error) {
    if (error instanceof BackupFileError) return [{ file, ok: false, error: error.message }, `Резервная копия НЕ прошла проверку: ${error.message}.\nФайл: ${file}`, 1];
    throw error;
  }
  const passphrase = await io.secret(PASSPHRASE_ENV, PASSPHRASE_PROMPT);
  const controller = interruptible(io);
  try {
    const { header, manifest } = await verifyBackup(file, passphrase, { signal: controller.signal });
    const result = { file, ok: true, error: null, createdAt: header.createdAt, appVersion: header.appVersion, schemaVersion: header.schemaVersion, counts: manifest.counts, files: manifest.entries.length };
    const counts = Object.entries(manifest.counts).map(([k, v]) => `${k} ${v}`).join(', ');
    return [result, `Резервная копия цела: расшифрована, контрольные суммы сходятся, пробное восстановление базы прошло (integrity_check = ok).\nСделана ${ru(header.createdAt)} версией ${header.appVersion} (схема ${header.schemaVersion}); частей ${manifest.entries.length}; записей: ${counts}.`, 0];
  } catch (error) {
    if (controller.signal.aborted) throw new InterruptedError('Проверка резервной копии прервана.');
    if (error instanceof BackupFileError) return [{ file, ok: false, error: error.message }, `Резервная копия НЕ прошла проверку: ${error.message}.\nФайл: ${file}`, 1];
    throw error;
  }
}

function listCommand(values: OptionValues): [unknown, string] {
  const [folder] = targetsOf(values);
  if (folder === undefined || !existsSync(folder) || !statSync(folder).isDirectory()) throw new CommandError(`Папка резервных копий не найдена: ${folder ?? ''}`);
  const { backups, unreadable } = listBackups(folder);
  const text =
    backups.length === 0
      ? `В папке ${folder} резервных копий нет.`
      : table(
          ['Файл', 'Сделана', 'Версия программы', 'Схема', 'Байт'],
          backups.map((b) => [b.name, ru(b.createdAt), b.appVersion, String(b.schemaVersion), String(b.bytes)]),
        );
  const tail = unreadable.length > 0 ? `\nНе читаются (повреждён заголовок): ${unreadable.join(', ')}` : '';
  return [{ folder, backups, unreadable }, `${text}${tail}`];
}

async function restoreCommand(values: OptionValues, argument: string | undefined, io: StandaloneIo): Promise<[unknown, string]> {
  // Never the default register by accident: the new file is named explicitly.
  if (typeof values.db !== 'string') throw new UsageError('Не указан новый файл базы: restore ФАЙЛ --db НОВАЯ.db.');
  const file = requireFile(argument, 'restore ФАЙЛ --db НОВАЯ.db');
  const passphrase = await io.secret(PASSPHRASE_ENV, PASSPHRASE_PROMPT);
  const controller = interruptible(io);
  try {
    const result = await restoreBackup(file, passphrase, io.dbPath, { signal: controller.signal });
    return [result, `Восстановлено в новый файл ${result.db} из копии от ${ru(result.createdAt)} (версия ${result.appVersion}); частей ${result.files}, проверено.`];
  } catch (error) {
    if (controller.signal.aborted) throw new InterruptedError('Восстановление прервано: новый файл не создан.');
    if (error instanceof BackupFileError) throw new CommandError(error.kind === 'newer' ? error.message : `Восстановление не выполнено: ${error.message}.`);
    if (error instanceof Error && !(error instanceof CommandError)) throw new CommandError(error.message);
    throw error;
  }
}

async function setPassphraseCommand(values: OptionValues, session: CommandSession): Promise<[unknown, string]> {
  if (!session.secret) throw new CommandError('Парольная фраза недоступна.');
  if (values.change === true && values.replace === true) throw new UsageError('Укажите что-то одно: --change (сменить фразу) или --replace (утеряна: новый ключ).');
  if (values.change === true) {
    const currentPassphrase = await session.secret(PASSPHRASE_ENV, 'Действующая парольная фраза резервных копий');
    const newPassphrase = await session.secret(NEW_PASSPHRASE_ENV, NEW_PASSPHRASE_PROMPT);
    const result = await session.call('backup.changePassphrase', { currentPassphrase, newPassphrase, newPassphraseRepeat: newPassphrase });
    return [result, `Парольная фраза резервных копий сменена (ключ ${short(result.fingerprint)}…). Новые копии открываются новой фразой; копии, сделанные раньше, — прежней фразой (в программе — и новой). Сделайте новую резервную копию сейчас.`];
  }
  const passphrase = await session.secret(PASSPHRASE_ENV, values.replace === true ? NEW_PASSPHRASE_PROMPT : PASSPHRASE_PROMPT);
  if (values.replace === true) {
    const result = await session.call('backup.replaceKey', { passphrase, passphraseRepeat: passphrase, understood: true });
    return [result, `${result.message} Ключ ${short(result.fingerprint)}….`];
  }
  const result = await session.call('backup.setUpPassphrase', { passphrase, passphraseRepeat: passphrase, understood: true });
  return [result, `Парольная фраза резервных копий задана (ключ ${short(result.fingerprint)}…). Копии теперь делаются без неё, в том числе по расписанию; открыть копию можно только с ней — храните её отдельно от копий.`];
}

async function runCommand(values: OptionValues, session: CommandSession): Promise<[unknown, string, number]> {
  const targets = optionalTargets(values);
  const keepLatest = count(values, 'keep-latest');
  const keepMonthly = count(values, 'keep-monthly');
  const passphrase = envPassphrase(PASSPHRASE_ENV);
  const key = await session.call('backup.keyStatus', {});
  if (!key.configured) {
    // The former usage (a passphrase per run) keeps working: the first run sets the key up.
    if (passphrase === undefined) {
      throw new CommandError(`Парольная фраза резервных копий не задана. Сначала задайте её: school-office --user ЛОГИН backup set-passphrase (фраза из ${PASSPHRASE_ENV} или строкой на стандартный ввод); дальше копии делаются без неё.`);
    }
    const created = await session.call('backup.setUpPassphrase', { passphrase, passphraseRepeat: passphrase, understood: true });
    process.stderr.write(`Ключ резервных копий создан из парольной фразы ${PASSPHRASE_ENV} (ключ ${short(created.fingerprint)}…); дальше копии делаются и без неё.\n`);
  }
  let result: Result<'backup.run'>;
  try {
    result = await runCancellableJob(
      session,
      'backup.run',
      {
        ...(targets.length > 0 ? { targets } : {}),
        ...(key.configured && passphrase !== undefined ? { passphrase } : {}),
        ...(keepLatest !== undefined ? { keepLatest } : {}),
        ...(keepMonthly !== undefined ? { keepMonthly } : {}),
      },
      { name: 'backup', interrupted: 'Резервное копирование прервано: недописанные файлы удалены.' },
    );
  } catch (error) {
    if (error instanceof CommandError && error.message.includes(WRONG_PASSPHRASE)) {
      throw new UsageError(`${PASSPHRASE_ENV}: ${WRONG_PASSPHRASE} — она не открывает ключ резервных копий этой базы. Ничего не записано. Уберите переменную (копия делается и без неё) или укажите верную фразу.`);
    }
    throw error;
  }
  return [result, runText(result), result.targets.every((t) => t.ok) ? 0 : 1];
}

/** What the unattended run gets from the runner. */
export interface UnattendedIo {
  stderr(line: string): void;
  onInterrupt(handler: () => void): void;
  /** --json: no progress lines. */
  quiet: boolean;
}

/**
 * `backup run` without `--user`: the operating system's scheduled task (Task Scheduler, cron).
 * It needs neither an account nor the passphrase: a backup is encrypted to the register's public
 * backup key, so making one reveals nothing, and whoever can start this command can read the
 * register's file anyway. Recorded in the history and the audit log as a scheduled run.
 */
export async function unattendedBackup(app: App, values: OptionValues, io: UnattendedIo): Promise<[unknown, string, number]> {
  const targets = optionalTargets(values);
  const parsed = backupMethods['backup.run'].params.safeParse({
    ...(targets.length > 0 ? { targets } : {}),
    ...(count(values, 'keep-latest') !== undefined ? { keepLatest: count(values, 'keep-latest') } : {}),
    ...(count(values, 'keep-monthly') !== undefined ? { keepMonthly: count(values, 'keep-monthly') } : {}),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const key = await currentBackupKey(app.db);
  if (!key) {
    throw new CommandError('Парольная фраза резервных копий не задана, поэтому копия по расписанию невозможна. Задайте её в программе (раздел «Резервные копии» → «Парольная фраза») или командой school-office --user ЛОГИН backup set-passphrase.');
  }
  const passphrase = envPassphrase(PASSPHRASE_ENV);
  if (passphrase !== undefined) {
    try {
      await checkBackupPassphrase(key, passphrase);
    } catch {
      throw new UsageError(`${PASSPHRASE_ENV}: ${WRONG_PASSPHRASE} — она не открывает ключ резервных копий этой базы. Ничего не записано. Уберите переменную (копия делается и без неё) или укажите верную фразу.`);
    }
  }
  const jobId = `cli-backup-${process.pid}-${Date.now()}`;
  let interrupted = false;
  io.onInterrupt(() => {
    interrupted = true;
    app.jobs.cancel(jobId);
  });
  const unsubscribe = io.quiet
    ? () => undefined
    : app.events.subscribe((...[event, payload]) => {
        if (event === 'job.progress' && payload.jobId === jobId) io.stderr(`${payload.stage}: ${payload.done} из ${payload.total}`);
      });
  try {
    const result = await app.jobs.run(jobId, (job) =>
      backupAndRecord(app, { targets: parsed.data.targets ?? app.settings.backupTargets, actor: { userId: null, login: null }, trigger: 'schedule', rotation: { keepLatest: parsed.data.keepLatest, keepMonthly: parsed.data.keepMonthly } }, job),
    );
    return [result, runText(result), result.targets.every((t) => t.ok) ? 0 : 1];
  } catch (error) {
    if (interrupted) throw new InterruptedError('Резервное копирование прервано: недописанные файлы удалены.');
    if (error instanceof ApiError) throw new CommandError(error.message);
    throw error;
  } finally {
    unsubscribe();
  }
}

export const BACKUP_MODULE: CommandModule = {
  commands: ['backup set-passphrase', 'backup run', 'backup verify', 'backup list', 'restore'],
  options: { change: { type: 'boolean' }, replace: { type: 'boolean' }, 'keep-latest': { type: 'string' }, 'keep-monthly': { type: 'string' } },
  standalone: ['backup verify', 'backup list', 'restore'],
  async run(key, values, _argument, session) {
    if (key === 'backup set-passphrase') return setPassphraseCommand(values, session);
    if (key !== 'backup run') throw new UsageError(`Неизвестная команда «${key}».`);
    return runCommand(values, session);
  },
  async runStandalone(key, values, argument, io) {
    switch (key) {
      case 'backup verify':
        return verifyCommand(argument, io);
      case 'backup list':
        return listCommand(values);
      case 'restore':
        return restoreCommand(values, argument, io);
      default:
        throw new UsageError(`Неизвестная команда «${key}».`);
    }
  },
};
