import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openDatabase } from '../../db/connection';
import { fsyncFile, syncFolder, writeDurably } from '../../db/durable-file';
import { migrateToLatest } from '../../db/migrate';
import { SCHEMA_VERSION } from '../../db/migrations';
import { archiveFolder, keysFolder, resolveStored } from '../archive/folders';
import type { BackupKeyRecord } from './backup-key';
import { BackupFileError, readHeader } from './format';
import { DATABASE_NAME } from './payload';
import { verifyBackup } from './verify';

/**
 * Restores a backup into a NEW database file: verified first (a damaged file restores nothing),
 * refused when it comes from a newer schema; the database is written durably, then the signing
 * key and the sealed archive beside it (keys/, archive/), and the result must open and migrate.
 * Switching the running app to it is the window's job.
 */

export interface RestoreOutcome {
  db: string;
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  counts: Record<string, number>;
  files: number;
}

export function refuseNewer(schemaVersion: number, appVersion: string): void {
  if (schemaVersion > SCHEMA_VERSION) {
    throw new BackupFileError(
      `Резервная копия сделана более новой версией программы (${appVersion}, версия схемы ${schemaVersion}; эта программа знает версии до ${SCHEMA_VERSION}). Установите новую версию «Канцелярии» и повторите восстановление.`,
      'newer',
    );
  }
}

function nonEmpty(folder: string): boolean {
  return existsSync(folder) && readdirSync(folder).length > 0;
}

/** Where an entry goes beside the new database; null for the database itself (written separately). */
function destinationOf(name: string, dbPath: string): string {
  if (name.startsWith('keys/')) return resolveStored(keysFolder(dbPath), name.slice('keys/'.length));
  if (name.startsWith('archive/')) return resolveStored(archiveFolder(dbPath), name.slice('archive/'.length));
  throw new BackupFileError(`файл повреждён: неизвестная часть «${name}»`, 'damaged');
}

function safeName(name: string): boolean {
  return !name.split('/').some((part) => part === '' || part === '.' || part === '..') && !name.includes('\\');
}

export async function restoreBackup(file: string, passphrase: string, newDbPath: string, options: { signal?: AbortSignal; onProgress?: (done: number, total: number, stage: string) => void; keyRecords?: readonly BackupKeyRecord[] } = {}): Promise<RestoreOutcome> {
  const dbPath = resolve(newDbPath);
  const { header } = readHeader(file);
  refuseNewer(header.schemaVersion, header.appVersion);
  if (existsSync(dbPath)) throw new Error(`Файл «${dbPath}» уже существует: восстановление пишет только в новый файл.`);
  for (const folder of [keysFolder(dbPath), archiveFolder(dbPath)]) {
    if (nonEmpty(folder)) throw new Error(`Папка «${folder}» уже не пуста: выберите для восстановленной базы пустую папку.`);
  }
  // Verify first: nothing is written from a file that does not verify.
  const progress = options.onProgress ?? (() => undefined);
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const verified = await verifyBackup(file, passphrase, { keyRecords: options.keyRecords, scratchParent: dirname(dbPath), signal: options.signal, onProgress: (d, t) => progress(d, t, 'Проверка резервной копии') });
  refuseNewer(verified.manifest.schemaVersion, verified.manifest.appVersion);
  for (const entry of verified.manifest.entries) if (!safeName(entry.name)) throw new BackupFileError(`файл повреждён: недопустимое имя «${entry.name}»`, 'damaged');

  const staged = new Map<string, string>();
  const written: string[] = [];
  try {
    await writeDurably(dbPath, async (tmp) => {
      rmSync(tmp, { force: true });
      await verifyBackup(file, passphrase, {
        keyRecords: options.keyRecords,
        signal: options.signal,
        onProgress: (d, t) => progress(d, t, 'Восстановление'),
        extract: (name) => {
          if (name === DATABASE_NAME) return tmp;
          const to = destinationOf(name, dbPath);
          mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
          const part = `${to}.tmp-${process.pid}`;
          rmSync(part, { force: true });
          staged.set(part, to);
          return part;
        },
      });
    });
    written.push(dbPath);
    for (const [part, to] of staged) {
      fsyncFile(part);
      renameSync(part, to);
      written.push(to);
      // Sealed volumes are read-only, as in the live archive; the key stays its owner's only.
      if (process.platform !== 'win32') chmodSync(to, to.startsWith(archiveFolder(dbPath)) ? 0o444 : 0o600);
      syncFolder(dirname(to));
    }
    const opened = openDatabase(dbPath);
    try {
      await migrateToLatest(opened);
      const check = opened.raw.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error('Восстановленная база не прошла проверку целостности.');
    } finally {
      await opened.close();
    }
    return { db: dbPath, createdAt: header.createdAt, appVersion: header.appVersion, schemaVersion: header.schemaVersion, counts: verified.manifest.counts, files: verified.manifest.entries.length };
  } catch (error) {
    for (const part of staged.keys()) rmSync(part, { force: true });
    for (const path of written) rmSync(path, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    throw error;
  }
}
