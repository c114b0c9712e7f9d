import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import { createBackupKey, rewrapBackupKey, unlockBackupKey, type BackupKeyRecord } from './backup-key';
import { BackupFileError, type KdfParams } from './format';

/**
 * The register's backup key (table backup_key, migration 012): set up once with a passphrase;
 * the passphrase changed by rewrapping the same private key (older backups open with the new
 * passphrase too); replaced by a new pair when the passphrase is lost (older backups then open
 * only with the old passphrase). Runs inside the caller's write transaction.
 */

export interface StoredBackupKey extends BackupKeyRecord {
  id: number;
  createdAt: string;
}

export const NO_KEY_MESSAGE = 'Сначала задайте парольную фразу резервных копий: раздел «Резервные копии» → «Парольная фраза».';

export async function currentBackupKey(db: Db): Promise<StoredBackupKey | null> {
  const row = await db.selectFrom('backup_key').selectAll().where('replaced_at', 'is', null).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, fingerprint: row.fingerprint, publicKey: row.public_key, kdf: JSON.parse(row.kdf_json) as KdfParams, wrappedPrivateKey: row.wrapped_private_key, createdAt: row.created_at };
}

/** Every key the register has had (current and replaced): for opening older backups in the app (verifyBackup's keyRecords). */
export async function allBackupKeys(db: Db): Promise<StoredBackupKey[]> {
  const rows = await db.selectFrom('backup_key').selectAll().orderBy('id', 'desc').execute();
  return rows.map((row) => ({ id: row.id, fingerprint: row.fingerprint, publicKey: row.public_key, kdf: JSON.parse(row.kdf_json) as KdfParams, wrappedPrivateKey: row.wrapped_private_key, createdAt: row.created_at }));
}

async function insertKey(trx: Db, passphrase: string, userId: number | null, now: Date): Promise<StoredBackupKey> {
  const record = await createBackupKey(passphrase);
  const createdAt = now.toISOString();
  const row = await trx
    .insertInto('backup_key')
    .values({ fingerprint: record.fingerprint, public_key: record.publicKey, kdf_json: JSON.stringify(record.kdf), wrapped_private_key: record.wrappedPrivateKey, created_at: createdAt, created_by: userId, replaced_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...record, id: row.id, createdAt };
}

export async function setUpBackupKey(trx: Db, passphrase: string, userId: number | null, now: Date): Promise<StoredBackupKey> {
  if (await currentBackupKey(trx)) {
    throw new ApiError('conflict', 'Парольная фраза резервных копий уже задана. Чтобы её сменить, используйте «Сменить парольную фразу»; если она утеряна — «Заменить ключ».');
  }
  return insertKey(trx, passphrase, userId, now);
}

function wrongCurrent(field: string): ApiError {
  return new ApiError('invalid_params', `Проверьте данные: ${field}: неверная парольная фраза. Введите действующую парольную фразу резервных копий.`, { [field]: 'неверная парольная фраза' });
}

export async function changeBackupPassphrase(trx: Db, currentPassphrase: string, newPassphrase: string, field = 'currentPassphrase'): Promise<StoredBackupKey> {
  const current = await currentBackupKey(trx);
  if (!current) throw new ApiError('refused', NO_KEY_MESSAGE);
  let next: BackupKeyRecord;
  try {
    next = await rewrapBackupKey(current, currentPassphrase, newPassphrase);
  } catch (error) {
    if (error instanceof BackupFileError && error.kind === 'passphrase') throw wrongCurrent(field);
    throw error;
  }
  await trx.updateTable('backup_key').set({ kdf_json: JSON.stringify(next.kdf), wrapped_private_key: next.wrappedPrivateKey }).where('id', '=', current.id).execute();
  return { ...current, kdf: next.kdf, wrappedPrivateKey: next.wrappedPrivateKey };
}

export async function replaceBackupKey(trx: Db, passphrase: string, userId: number | null, now: Date): Promise<{ key: StoredBackupKey; replaced: string | null }> {
  const current = await currentBackupKey(trx);
  if (current) await trx.updateTable('backup_key').set({ replaced_at: now.toISOString() }).where('id', '=', current.id).execute();
  return { key: await insertKey(trx, passphrase, userId, now), replaced: current?.fingerprint ?? null };
}

/** Checks a passphrase against the current key (the CLI's SCHOOL_OFFICE_BACKUP_PASSPHRASE); throws a field-named refusal when it does not open it. */
export async function checkBackupPassphrase(key: BackupKeyRecord, passphrase: string, field = 'passphrase'): Promise<void> {
  try {
    await unlockBackupKey(key, passphrase);
  } catch (error) {
    if (error instanceof BackupFileError && error.kind === 'passphrase') throw wrongCurrent(field);
    throw error;
  }
}
