import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { syncFolder } from '../../db/durable-file';
import { SCHEMA_VERSION } from '../../db/migrations';
import { archiveFolder, keysFolder } from '../archive/folders';
import { APP_VERSION } from '../version';
import { sealDataKey, type BackupKeyRecord } from './backup-key';
import { sameDeviceWarnings } from './devices';
import { BACKUP_EXTENSION, BackupFileError, CHUNK_SIZE, ChunkWriter, encodePrefix, FORMAT_VERSION, readHeader, type BackupHeaderV2 } from './format';
import { rotateTarget, type RotationPolicy } from './gc';
import { processAlive, removeStaleTemps } from './hygiene';
import { objectLooksGood, objectPath, writeObject } from './objects';
import { DATABASE_NAME, describeSources, filesUnder, hashFile, writePayload, type Manifest, type ManifestEntry, type PayloadSource } from './payload';
import { MultiSink, NoTargetLeft, openTargetSink, type FileSink, type OpenSink } from './sink';
import { vacuumInto } from './snapshot';
import { countMainTables, verifyBackup } from './verify';

export { MIN_PASSPHRASE } from './backup-key';

/**
 * One backup run: ONE consistent snapshot of the database (VACUUM INTO through a read-only
 * connection), one manifest; the archive PDFs each target lacks written as objects beside it
 * (objects.ts); then the backup file encrypted ONCE and the same bytes written to every target
 * still alive (a missing, read-only, full or removed target fails alone, with its reason; the
 * others go on). Each copy is read back and verified (test-restore included) before it gets its
 * final name; then that target is rotated. Writing needs only the public key: no passphrase.
 */

export interface TargetOutcome {
  path: string;
  ok: boolean;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
  /** Older backups (and unused archive objects' backups) removed by rotation after this write. */
  removed: number;
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
  /** The backup key's public record (key-store.ts): the file is sealed to it. */
  recipient: BackupKeyRecord;
  /** Rotation after each target's successful write; absent: nothing is removed. */
  rotation?: RotationPolicy;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string) => void;
  now?: Date;
  /** How files are opened for writing (tests inject failing media). */
  openSink?: OpenSink;
}

/** Backup file names: `school-2026-11-24-041530.sobak` (ASCII: safe on every file system). */
export const BACKUP_NAME = /^school-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.sobak$/;

export function backupFileName(moment: Date, attempt = 1): string {
  const iso = moment.toISOString();
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `school-${stamp}${attempt > 1 ? `-${attempt}` : ''}${BACKUP_EXTENSION}`;
}

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

/**
 * SHA-256 of the sealed volumes as the archive register (in the snapshot) records them, by
 * payload name: a PDF already in every target is then neither hashed nor read; one that is
 * written is hashed while it is encrypted and compared with this.
 */
function registeredHashes(snapshot: string): Map<string, string> {
  const raw = new BetterSqlite3(snapshot, { readonly: true, fileMustExist: true });
  try {
    const hasTable = raw.prepare("select 1 from sqlite_master where type = 'table' and name = 'archive_volume'").get() !== undefined;
    if (!hasTable) return new Map();
    const rows = raw.prepare("select file_name as name, sha256 from archive_volume where status != 'destroyed'").all() as { name: string | null; sha256: string | null }[];
    return new Map(rows.filter((r) => r.name && r.sha256).map((r) => [`archive/${r.name!}`, r.sha256!]));
  } catch {
    return new Map();
  } finally {
    raw.close();
  }
}

function describeArchive(sources: readonly PayloadSource[], known: ReadonlyMap<string, string>): ManifestEntry[] {
  return sources.map((s) => ({ name: s.name, size: statSync(s.path).size, sha256: known.get(s.name) ?? hashFile(s.path), external: true as const }));
}

function freeName(target: string, moment: Date): string {
  for (let attempt = 1; ; attempt += 1) {
    const name = backupFileName(moment, attempt);
    if (!existsSync(join(target, name))) return name;
  }
}

const WORK_PREFIX = '.backup-work-';

/** Work folders (with a snapshot inside) left by a run that was killed: their process is gone. */
function removeStaleWork(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const pid = Number(/^\.backup-work-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

/** A target is usable: a folder; leftovers of killed runs removed. Throws with the reason. */
function prepareTarget(target: string): void {
  if (!statSync(target).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  removeStaleTemps(target, false);
  removeStaleTemps(join(target, 'archive'), true);
}

interface Run {
  failures: Map<string, unknown>;
  alive(): string[];
  fail(target: string, error: unknown): void;
}

function tracker(targets: readonly string[]): Run {
  const failures = new Map<string, unknown>();
  return {
    failures,
    alive: () => targets.filter((t) => !failures.has(t)),
    fail: (target, error) => {
      if (!failures.has(target)) failures.set(target, error);
    },
  };
}

export async function runBackup(options: RunBackupOptions): Promise<BackupOutcome> {
  if (options.targets.length === 0) throw new Error('Не указана ни одна папка для резервных копий.');
  const targets = [...new Set(options.targets.map((t) => resolve(t)))];
  const progress = options.onProgress ?? (() => undefined);
  const openSink = options.openSink ?? openTargetSink;
  const now = options.now ?? new Date();
  const run = tracker(targets);
  for (const target of targets) {
    try {
      prepareTarget(target);
    } catch (error) {
      run.fail(target, error);
    }
  }
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
    const internal: PayloadSource[] = [{ name: DATABASE_NAME, path: snapshot }, ...filesUnder(keysFolder(options.dbPath), 'keys')];
    // Sealed volumes only: drafts are working files, printed again at will.
    const archive = filesUnder(archiveFolder(options.dbPath), 'archive', ['drafts']);
    const archiveEntries = describeArchive(archive, registeredHashes(snapshot));
    const createdAt = now.toISOString();
    const internalEntries = describeSources(internal);
    const warnings: string[] = [];
    const base = { appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION, createdAt, chunkSize: CHUNK_SIZE };

    // 1. Archive objects, each only into the targets that lack it.
    let paused = false;
    const included: ManifestEntry[] = [];
    for (const [i, entry] of archiveEntries.entries()) {
      options.signal?.throwIfAborted();
      const lacking = run.alive().filter((t) => !objectLooksGood(join(t, objectPath(entry.name)), entry, options.recipient.fingerprint));
      included.push(entry);
      if (lacking.length === 0) continue;
      const written = await writeObject(lacking, archive[i]!, entry, {
        base,
        recipient: options.recipient,
        openSink,
        signal: options.signal,
        progress,
        afterFirstWrite: async () => {
          if (paused) return;
          paused = true;
          await testPause('objects');
        },
      });
      if (written.mismatch) {
        // The file is not what the register (or the hash a moment ago) says: it is left out of
        // this backup, loudly, rather than the whole backup failing; the copies already in the
        // targets (if any) stay untouched.
        included.pop();
        warnings.push(`Файл архива «${entry.name}» не совпадает с описью архива (SHA-256) и в эту копию не вошёл. Проверьте архив (раздел «Архив» → «Проверить») и восстановите файл из предыдущей резервной копии.`);
      }
      for (const [target, error] of written.failures) run.fail(target, error);
    }
    const manifest: Manifest = { appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION, createdAt, counts: snapshotCounts(snapshot), entries: [...internalEntries, ...included] };

    // 2. The backup file: encrypted once, the same bytes into every target still alive.
    const sealed = sealDataKey(options.recipient.publicKey);
    const header: BackupHeaderV2 = {
      format: FORMAT_VERSION,
      ...base,
      recipient: { fingerprint: options.recipient.fingerprint, publicKey: options.recipient.publicKey, kdf: options.recipient.kdf, wrappedPrivateKey: options.recipient.wrappedPrivateKey },
      ephemeralPublicKey: sealed.ephemeralPublicKey,
      wrappedDataKey: sealed.wrappedDataKey,
      objects: included.map((e) => objectPath(e.name)),
    };
    const written = await writeMainFile(run, header, sealed.dataKey, manifest, internal, { openSink, signal: options.signal, progress, scratch, now, rotation: options.rotation });
    const outcomes: TargetOutcome[] = targets.map((target) => {
      const error = run.failures.get(target);
      const done = written.get(target);
      if (error !== undefined || !done) return { path: target, ok: false, file: null, bytes: null, sha256: null, error: targetReason(target, error ?? new Error('не записано')), removed: 0 };
      return { path: target, ok: true, file: done.file, bytes: done.bytes, sha256: done.sha256, error: null, removed: done.removed };
    });
    return { targets: outcomes, warnings: [...warnings, ...sameDeviceWarnings(targets)], createdAt, counts: manifest.counts };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Written {
  file: string;
  bytes: number;
  sha256: string;
  removed: number;
}

async function writeMainFile(
  run: Run,
  header: BackupHeaderV2,
  dataKey: Buffer,
  manifest: Manifest,
  sources: PayloadSource[],
  input: { openSink: OpenSink; signal?: AbortSignal; progress: (done: number, total: number, stage: string) => void; scratch: string; now: Date; rotation?: RotationPolicy },
): Promise<Map<string, Written>> {
  const written = new Map<string, Written>();
  const members = new Map<string, FileSink>();
  const temps = new Map<string, { tmp: string; final: string }>();
  for (const target of run.alive()) {
    const name = freeName(target, new Date(header.createdAt));
    const tmp = join(target, `.${name}.tmp-${process.pid}`);
    try {
      members.set(target, input.openSink(tmp));
      temps.set(target, { tmp, final: join(target, name) });
    } catch (error) {
      run.fail(target, error);
    }
  }
  const multi = new MultiSink(members);
  try {
    if (members.size === 0) return written;
    const prefix = encodePrefix(header, dataKey);
    const writer = new ChunkWriter(multi, dataKey, prefix.headerHash, header.chunkSize);
    try {
      writer.writeRaw(prefix.bytes);
      await writePayload(writer, manifest, sources, async (done, total) => {
        input.progress(done, total, 'Запись резервной копии');
        // Let a cancel request (Ctrl+C, «Прервать») get through between blocks.
        await new Promise((resolve) => setImmediate(resolve));
        input.signal?.throwIfAborted();
      });
      writer.finish();
    } catch (error) {
      if (!(error instanceof NoTargetLeft)) throw error;
    }
    multi.finish();
    for (const [target, error] of multi.failures) run.fail(target, error);
    const sha256 = writer.hash.digest('hex');
    await testPause('written');
    let testRestored = false;
    for (const target of run.alive()) {
      input.signal?.throwIfAborted();
      const { tmp, final } = temps.get(target)!;
      try {
        if (!testRestored) {
          // Read back: decrypt, checksums, test-restore. The objects were each checked as written.
          await verifyBackup(tmp, '', {
            knownDataKey: dataKey,
            checkObjects: false,
            scratchParent: input.scratch,
            signal: input.signal,
            onProgress: (done, total) => input.progress(done, total, `Проверка резервной копии в «${target}»`),
          });
          testRestored = true;
        } else {
          // The same bytes went to every target, and one copy has passed the full check (its
          // chunks authenticate, so it holds exactly what was written): this copy is proved by
          // reading it back byte-identical to what was written.
          input.progress(0, 1, `Проверка резервной копии в «${target}»`);
          if (hashFile(tmp) !== sha256) throw new BackupFileError('файл повреждён: прочитанное обратно не совпадает с записанным', 'damaged');
        }
        await testPause('verified');
        input.signal?.throwIfAborted();
        renameSync(tmp, final);
        syncFolder(target);
      } catch (error) {
        if (input.signal?.aborted) throw error;
        run.fail(target, error);
        continue;
      }
      let removed = 0;
      if (input.rotation) {
        try {
          removed = rotateTarget(target, basename(final), input.rotation, input.now);
        } catch {
          // The new backup is written and verified; a rotation that failed is tried again next time.
        }
      }
      written.set(target, { file: final, bytes: writer.bytesWritten, sha256, removed });
    }
    return written;
  } finally {
    multi.abandonAll();
    for (const { tmp } of temps.values()) rmSync(tmp, { force: true });
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
