import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { syncFolder, fsyncFile } from '../../db/durable-file';
import { SCHEMA_VERSION } from '../../db/migrations';
import { archiveFolder, keysFolder } from '../archive/folders';
import { APP_VERSION } from '../version';
import { BACKUP_EXTENSION, BackupFileError, CHUNK_SIZE, ChunkWriter, deriveKey, encodePrefix, FORMAT_VERSION, newKdfParams, readHeader, type BackupHeader } from './format';
import { DATABASE_NAME, describeSources, filesUnder, writePayload, type Manifest, type PayloadSource } from './payload';
import { vacuumInto } from './snapshot';
import { countMainTables, verifyBackup } from './verify';

/**
 * One backup run: ONE consistent snapshot of the database (VACUUM INTO through a read-only
 * connection), one manifest, then each target folder written and verified independently — a
 * missing, read-only or full target fails alone, with its reason; the others are still written.
 * A file gets its final name only after it was read back and verified.
 */

export interface TargetOutcome {
  path: string;
  ok: boolean;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
}

export interface BackupOutcome {
  targets: TargetOutcome[];
  warnings: string[];
  createdAt: string;
  counts: Record<string, number>;
}

export interface RunBackupOptions {
  dbPath: string;
  targets: readonly string[];
  passphrase: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string) => void;
  now?: Date;
}

/** Backup file names: `school-2026-11-24-041530.sobak` (ASCII: safe on every file system). */
export const BACKUP_NAME = /^school-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.sobak$/;

export function backupFileName(moment: Date, attempt = 1): string {
  const iso = moment.toISOString();
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `school-${stamp}${attempt > 1 ? `-${attempt}` : ''}${BACKUP_EXTENSION}`;
}

export const MIN_PASSPHRASE = 8;

/** Test hook: pauses (and says so on stderr) at named points, so tests can kill the process there. */
async function testPause(stage: string): Promise<void> {
  const ms = Number(process.env.SCHOOL_OFFICE_TEST_PAUSE_IN_BACKUP_MS ?? '0');
  if (!(ms > 0)) return;
  process.stderr.write(`TEST-PAUSE ${stage}\n`);
  await new Promise((r) => setTimeout(r, ms));
}

/** A target's failure in words, naming the folder. */
export function targetReason(target: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const why =
    error instanceof BackupFileError
      ? `записанный файл не прошёл проверку: ${error.message}`
      : code === 'ENOENT'
        ? 'папка не найдена (носитель не подключён?)'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'это не папка'
          : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
            ? 'нет доступа на запись (носитель защищён от записи?)'
            : code === 'ENOSPC' || code === 'EDQUOT'
              ? 'на носителе не хватает места'
              : code === 'EIO'
                ? 'ошибка ввода-вывода (носитель извлечён?)'
                : `ошибка записи (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)})`;
  return `Папка резервных копий «${target}»: ${why}.`;
}

function snapshotCounts(file: string): Record<string, number> {
  const raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return countMainTables(raw);
  } finally {
    raw.close();
  }
}

/** Warnings for targets that share a device: two copies on one disk are one copy. */
function sameDeviceWarnings(targets: readonly string[]): string[] {
  const byDevice = new Map<number, string[]>();
  for (const target of targets) {
    try {
      const stat = statSync(target);
      if (stat.isDirectory()) byDevice.set(stat.dev, [...(byDevice.get(stat.dev) ?? []), target]);
    } catch {
      // A missing target is reported as its own failure.
    }
  }
  return [...byDevice.values()]
    .filter((group) => group.length > 1)
    .map((group) => `Папки ${group.map((g) => `«${g}»`).join(' и ')} находятся на одном носителе: при его поломке пропадут обе копии. Укажите папки на разных носителях.`);
}

function freeName(target: string, moment: Date): string {
  for (let attempt = 1; ; attempt += 1) {
    const name = backupFileName(moment, attempt);
    if (!existsSync(join(target, name))) return name;
  }
}

async function writeTarget(
  target: string,
  input: { header: BackupHeader; key: Buffer; manifest: Manifest; sources: PayloadSource[]; passphrase: string; scratch: string; signal?: AbortSignal; progress: (done: number, total: number, stage: string) => void },
): Promise<TargetOutcome> {
  if (!statSync(target).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  const name = freeName(target, new Date(input.header.createdAt));
  const final = join(target, name);
  const tmp = join(target, `.${name}.tmp-${process.pid}`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    let writer: ChunkWriter;
    try {
      const prefix = encodePrefix(input.header, input.key);
      writer = new ChunkWriter(fd, input.key, prefix.headerHash, input.header.chunkSize);
      writer.writeRaw(prefix.bytes);
      await writePayload(writer, input.manifest, input.sources, async (done, total) => {
        input.progress(done, total, `Запись резервной копии в «${target}»`);
        // Let a cancel request (Ctrl+C, «Прервать») get through between blocks.
        await new Promise((resolve) => setImmediate(resolve));
        input.signal?.throwIfAborted();
      });
      writer.finish();
    } finally {
      closeSync(fd);
    }
    fsyncFile(tmp);
    await testPause('written');
    await verifyBackup(tmp, input.passphrase, {
      knownKey: { salt: input.header.kdf.salt, key: input.key },
      scratchParent: input.scratch,
      signal: input.signal,
      onProgress: (done, total) => input.progress(done, total, `Проверка резервной копии в «${target}»`),
    });
    await testPause('verified');
    input.signal?.throwIfAborted();
    renameSync(tmp, final);
    syncFolder(target);
    return { path: target, ok: true, file: final, bytes: writer.bytesWritten, sha256: writer.hash.digest('hex'), error: null };
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

const WORK_PREFIX = '.backup-work-';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Work folders (with a snapshot inside) left by a run that was killed: their process is gone. */
function removeStaleWork(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const pid = Number(/^\.backup-work-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

export async function runBackup(options: RunBackupOptions): Promise<BackupOutcome> {
  if (options.passphrase.length < MIN_PASSPHRASE) throw new Error(`Парольная фраза резервных копий должна быть не короче ${MIN_PASSPHRASE} символов.`);
  if (options.targets.length === 0) throw new Error('Не указана ни одна папка для резервных копий.');
  const targets = [...new Set(options.targets.map((t) => resolve(t)))];
  const progress = options.onProgress ?? (() => undefined);
  const now = options.now ?? new Date();
  // The snapshot holds children's personal data: it is made in a private folder beside the
  // register (not the shared temp folder) and removed when the run ends.
  const dataDir = dirname(resolve(options.dbPath));
  removeStaleWork(dataDir);
  const scratch = mkdtempSync(join(dataDir, `${WORK_PREFIX}${process.pid}-`));
  if (process.platform !== 'win32') chmodSync(scratch, 0o700);
  try {
    progress(0, 1, 'Снимок базы данных');
    const snapshot = join(scratch, DATABASE_NAME);
    vacuumInto(options.dbPath, snapshot);
    await testPause('snapshot');
    options.signal?.throwIfAborted();
    const sources: PayloadSource[] = [
      { name: DATABASE_NAME, path: snapshot },
      ...filesUnder(keysFolder(options.dbPath), 'keys'),
      // Sealed volumes only: drafts are working files, printed again at will.
      ...filesUnder(archiveFolder(options.dbPath), 'archive', ['drafts']),
    ];
    const createdAt = now.toISOString();
    const manifest: Manifest = { appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION, createdAt, counts: snapshotCounts(snapshot), entries: describeSources(sources) };
    const header: BackupHeader = { format: FORMAT_VERSION, appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION, createdAt, kdf: newKdfParams(), chunkSize: CHUNK_SIZE };
    progress(0, 1, 'Вычисление ключа шифрования');
    const key = await deriveKey(options.passphrase, header.kdf);
    const outcomes: TargetOutcome[] = [];
    for (const target of targets) {
      options.signal?.throwIfAborted();
      try {
        outcomes.push(await writeTarget(target, { header, key, manifest, sources, passphrase: options.passphrase, scratch, signal: options.signal, progress }));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        outcomes.push({ path: target, ok: false, file: null, bytes: null, sha256: null, error: targetReason(target, error) });
      }
    }
    return { targets: outcomes, warnings: sameDeviceWarnings(targets), createdAt, counts: manifest.counts };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface ListedBackup {
  file: string;
  name: string;
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  bytes: number;
}

/** The backups in a folder, newest first, from their plain headers (no passphrase needed). Temp files and other files are ignored. */
export function listBackups(folder: string): { backups: ListedBackup[]; unreadable: string[] } {
  const backups: ListedBackup[] = [];
  const unreadable: string[] = [];
  for (const name of readdirSync(folder).filter((n) => BACKUP_NAME.test(n))) {
    const file = join(folder, name);
    try {
      const { header } = readHeader(file);
      backups.push({ file, name: basename(file), createdAt: header.createdAt, appVersion: header.appVersion, schemaVersion: header.schemaVersion, bytes: statSync(file).size });
    } catch {
      unreadable.push(file);
    }
  }
  backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  return { backups, unreadable };
}
