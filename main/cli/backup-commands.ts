import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Result } from '../../common/api/contract';
import { BackupFileError, readHeader } from '../backup/format';
import { restoreBackup } from '../backup/restore';
import { listBackups } from '../backup/run';
import { verifyBackup } from '../backup/verify';
import type { CommandModule, OptionValues, StandaloneIo } from './args';
import { CommandError, InterruptedError, UsageError } from './errors';
import { table } from './format';
import { runCancellableJob } from './jobs';

/**
 * `backup run`, `backup verify`, `backup list`, `restore`. `backup run` is the administrator's
 * job through the dispatcher (recorded in the backup history); the other three work on backup
 * files alone — the passphrase is what opens a backup, not an account — so they run without
 * opening a register (`restore` writes a NEW one at `--db`). The passphrase comes from
 * SCHOOL_OFFICE_BACKUP_PASSPHRASE or the first line of standard input; it is never echoed or
 * printed.
 */

export const PASSPHRASE_ENV = 'SCHOOL_OFFICE_BACKUP_PASSPHRASE';
const PASSPHRASE_PROMPT = 'Парольная фраза резервных копий';

const ru = (iso: string) => `${iso.slice(0, 10).split('-').reverse().join('.')} ${iso.slice(11, 16)}`;

function targetsOf(values: OptionValues): string[] {
  const raw = values.toList;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  if (list.length === 0) throw new UsageError('Не указана папка резервных копий: --to ПАПКА (для двух носителей: --to ПАПКА1 --to ПАПКА2).');
  return list.map((t) => resolve(t));
}

function requireFile(argument: string | undefined, usage: string): string {
  if (!argument) throw new UsageError(`Не указан файл резервной копии: ${usage}.`);
  const file = resolve(argument);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CommandError(`Файл резервной копии не найден: ${file}`);
  return file;
}

function runText(result: Result<'backup.run'>): string {
  const lines = result.targets.map((t) => (t.ok ? `  записано и проверено: ${t.file} (${t.bytes} байт, SHA-256 ${t.sha256})` : `  НЕ ЗАПИСАНО: ${t.error}`));
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

export const BACKUP_MODULE: CommandModule = {
  commands: ['backup run', 'backup verify', 'backup list', 'restore'],
  options: {},
  standalone: ['backup verify', 'backup list', 'restore'],
  async run(key, values, _argument, session) {
    if (key !== 'backup run') throw new UsageError(`Неизвестная команда «${key}».`);
    const targets = targetsOf(values);
    if (!session.secret) throw new CommandError('Парольная фраза недоступна.');
    const passphrase = await session.secret(PASSPHRASE_ENV, PASSPHRASE_PROMPT);
    const result = await runCancellableJob(session, 'backup.run', { targets, passphrase }, { name: 'backup', interrupted: 'Резервное копирование прервано: недописанные файлы удалены.' });
    return [result, runText(result), result.targets.every((t) => t.ok) ? 0 : 1];
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
