import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackupKeyRecord } from './backup-key';
import { BackupFileError, decryptChunks, readHeader, writeAll, type BackupHeader } from './format';
import { KeyRing } from './keyring';
import { objectFor, objectPath, readObject } from './objects';
import { ByteReader, DATABASE_NAME, MANIFEST_NAME, readRecordHead, type Manifest, type ManifestEntry } from './payload';

/**
 * Reads a backup through: decrypts every chunk, checks every entry against the manifest's size
 * and SHA-256, then test-restores the database snapshot into a temporary database and runs
 * `PRAGMA integrity_check` and the manifest's row counts. Optionally writes the entries out
 * (restore): `extract(name)` returns where an entry goes, or null to only check it. The archive
 * objects a format-2 backup lists (`external` entries) are read from the backup file's folder
 * and decrypted and checked the same way; a missing or damaged one fails, named.
 */

/** The main tables whose row counts the manifest records and the test-restore compares. */
export const COUNTED_TABLES = ['pupil', 'staff', 'school_class', 'subject', 'lesson', 'mark', 'attendance', 'final_mark', 'archive_volume', 'audit_log'] as const;

export function countMainTables(raw: BetterSqlite3.Database): Record<string, number> {
  const present = new Set((raw.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    if (present.has(table)) counts[table] = (raw.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  }
  return counts;
}

export interface VerifiedBackup {
  header: BackupHeader;
  manifest: Manifest;
}

export interface VerifyOptions {
  /** The file's data key, known to the run that just wrote it: no passphrase needed. */
  knownDataKey?: Buffer;
  /** The register's backup keys (current and replaced): an older file then opens with the passphrase set since (keyring.ts). */
  keyRecords?: readonly BackupKeyRecord[];
  /** false: skip the archive objects (the run checked each one as it wrote it). Default true. */
  checkObjects?: boolean;
  extract?: (name: string) => string | null;
  /** Where the test-restore copy goes (default: the system's temp folder); a private folder beside the register keeps personal data there. */
  scratchParent?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

const damaged = (what: string) => new BackupFileError(`файл повреждён: ${what}`, 'damaged');

/**
 * A database snapshot up to this size is test-restored in memory (sqlite3_deserialize): no
 * decrypted copy of children's data is written to disk, and none has to be removed. Larger ones go
 * to a temporary file, so memory stays bounded.
 */
const IN_MEMORY_TEST_RESTORE = 256 * 1024 * 1024;

async function entryStream(reader: ByteReader, size: number, destination: string | Buffer | null, onBytes: (n: number) => Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  const fd = typeof destination === 'string' ? openSync(destination, 'wx', 0o600) : null;
  try {
    let left = size;
    while (left > 0) {
      const block = await reader.takeSome(Math.min(left, 1024 * 1024));
      hash.update(block);
      if (fd !== null) {
        let offset = 0;
        while (offset < block.length) offset += writeSync(fd, block, offset, block.length - offset);
      } else if (destination instanceof Buffer) {
        block.copy(destination, size - left);
      }
      left -= block.length;
      await onBytes(block.length);
      // Let a cancel request (Ctrl+C, «Прервать») get through between blocks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    if (fd !== null) closeSync(fd);
  }
  return hash.digest('hex');
}

function testRestore(db: string | Buffer, manifest: Manifest): void {
  let raw: BetterSqlite3.Database;
  try {
    raw = typeof db === 'string' ? new BetterSqlite3(db, { readonly: true, fileMustExist: true }) : new BetterSqlite3(db, { readonly: true });
  } catch {
    throw damaged('база данных в копии не открывается');
  }
  try {
    let result: unknown;
    try {
      result = raw.pragma('integrity_check', { simple: true });
    } catch {
      throw damaged('база данных в копии не открывается');
    }
    if (result !== 'ok') throw damaged('проверка целостности базы данных в копии не пройдена');
    const counts = countMainTables(raw);
    for (const [table, expected] of Object.entries(manifest.counts)) {
      if (counts[table] !== expected) throw damaged(`число записей в таблице ${table} не совпадает с описью (${counts[table] ?? 0} вместо ${expected})`);
    }
  } finally {
    raw.close();
  }
}

async function verifyObject(folder: string, entry: ManifestEntry, fingerprint: string, keys: KeyRing, destination: string | null, signal: AbortSignal | undefined, onBytes: (n: number) => Promise<void>): Promise<void> {
  const file = objectFor(folder, objectPath(entry.name), fingerprint);
  if (!existsSync(file)) throw damaged(`нет файла архива «${objectPath(entry.name)}» рядом с копией`);
  let dataKey: Buffer;
  try {
    dataKey = await keys.dataKey(readHeader(file).header);
  } catch (error) {
    if (error instanceof BackupFileError && error.kind !== 'damaged') throw damaged(`файл архива «${objectPath(entry.name)}» не открывается этой парольной фразой (${error.message})`);
    if (error instanceof BackupFileError) throw damaged(`файл архива «${objectPath(entry.name)}»: ${error.message.replace(/^файл повреждён: /, '')}`);
    throw error;
  }
  const fd = destination === null ? null : openSync(destination, 'wx', 0o600);
  let result: { sha256: string; size: number };
  try {
    result = await readObject(file, dataKey, fd === null ? null : (block) => writeAll(fd, block), signal, onBytes);
  } catch (error) {
    if (error instanceof BackupFileError) throw damaged(`файл архива «${objectPath(entry.name)}»: ${error.message.replace(/^файл повреждён: /, '')}`);
    throw error;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (result.sha256 !== entry.sha256 || result.size !== entry.size) throw damaged(`не сходится контрольная сумма «${entry.name}»`);
}

export async function verifyBackup(path: string, passphrase: string, options: VerifyOptions = {}): Promise<VerifiedBackup> {
  const opened = readHeader(path);
  const { header } = opened;
  const keys = new KeyRing(passphrase, options.keyRecords);
  const key = options.knownDataKey ?? (await keys.dataKey(header));
  const reader = new ByteReader(decryptChunks(path, opened, key, options.signal));
  const scratch = mkdtempSync(join(options.scratchParent ?? tmpdir(), '.school-office-verify-'));
  try {
    let manifest: Manifest;
    try {
      const head = await readRecordHead(reader);
      if (head?.name !== MANIFEST_NAME || head.size > 64 * 1024 * 1024) throw damaged('опись содержимого');
      manifest = JSON.parse(((await reader.take(head.size)) ?? Buffer.alloc(0)).toString('utf8')) as Manifest;
    } catch (error) {
      if (error instanceof BackupFileError) throw error;
      throw damaged('опись содержимого');
    }
    const checkObjects = options.checkObjects ?? true;
    const external = manifest.entries.filter((e) => e.external);
    if (external.length > 0 && header.format !== 2) throw damaged('опись содержимого');
    const total = manifest.entries.filter((e) => !e.external || checkObjects).reduce((sum, e) => sum + e.size, 0);
    let done = 0;
    let dbFile: string | Buffer | null = null;
    for (const entry of manifest.entries.filter((e) => !e.external)) {
      let head: { name: string; size: number } | null;
      try {
        head = await readRecordHead(reader);
      } catch (error) {
        if (error instanceof BackupFileError) throw error;
        throw damaged(`содержимое обрывается перед «${entry.name}»`);
      }
      if (head?.name !== entry.name || head.size !== entry.size) throw damaged(`«${entry.name}» не на своём месте`);
      let destination: string | Buffer | null = options.extract?.(entry.name) ?? null;
      if (entry.name === DATABASE_NAME && destination === null) destination = entry.size <= IN_MEMORY_TEST_RESTORE ? Buffer.allocUnsafe(entry.size) : join(scratch, 'test-restore.db');
      let sha256: string;
      try {
        sha256 = await entryStream(reader, entry.size, destination, async (n) => {
          done += n;
          await options.onProgress?.(done, total);
        });
      } catch (error) {
        if (error instanceof BackupFileError) throw error;
        if (error instanceof Error && error.message === 'short') throw damaged(`«${entry.name}» обрывается`);
        throw error;
      }
      if (sha256 !== entry.sha256) throw damaged(`не сходится контрольная сумма «${entry.name}»`);
      if (entry.name === DATABASE_NAME) dbFile = destination;
    }
    if (!(await reader.atEnd())) throw damaged('лишние данные после описи');
    if (dbFile === null) throw damaged('в копии нет базы данных');
    testRestore(dbFile, manifest);
    if (checkObjects) {
      const listed = new Set(header.format === 2 ? header.objects : []);
      for (const entry of external) {
        if (!listed.has(objectPath(entry.name))) throw damaged(`«${entry.name}» нет в заголовке`);
        await verifyObject(dirname(path), entry, header.format === 2 ? header.recipient.fingerprint : '', keys, options.extract?.(entry.name) ?? null, options.signal, async (n) => {
          done += n;
          await options.onProgress?.(done, total);
        });
      }
    }
    return { header, manifest };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
