import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../common/api/errors';
import type { Db } from '../../db/connection';
import { writeDurably } from '../../db/durable-file';
import { keysFolder } from './folders';

/**
 * The school's archive key (Ed25519, node:crypto). The private half is a PKCS#8 PEM file beside
 * the database (`keys/archive-signing-key.pem`, owner-only); the public half and its fingerprint
 * are in `archive_key`, so the register can be verified without the private key, and every key
 * ever used stays there (old signatures keep verifying after a key change).
 *
 * A lost private key is never silently replaced while the register has a key: a new key would
 * leave the old signatures orphaned in the eyes of whoever reads the certification sheets, so
 * sealing is refused until the file is restored from the backup.
 */

export const PRIVATE_KEY_FILE = 'archive-signing-key.pem';

export interface SigningKey {
  privateKey: KeyObject;
  /** SHA-256 of the raw 32-byte public key, hex (64 characters). */
  fingerprint: string;
}

export function privateKeyPath(dbPath: string): string {
  return join(keysFolder(dbPath), PRIVATE_KEY_FILE);
}

/** SHA-256 of the raw 32-byte Ed25519 public key, lowercase hex. */
export function keyFingerprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('archive key is not Ed25519');
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex');
}

/** The printed form: the first 16 bytes in groups of two bytes, «3F2A 9C01 …». */
export function printedFingerprint(hex: string): string {
  return (hex.slice(0, 32).toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** The key the register signs with now: the latest one created. */
export async function currentKeyRow(db: Db): Promise<{ fingerprint: string; public_key_pem: string } | undefined> {
  return db.selectFrom('archive_key').select(['fingerprint', 'public_key_pem']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

function readPrivateKey(path: string): KeyObject | null {
  if (!existsSync(path)) return null;
  try {
    const key = createPrivateKey(readFileSync(path));
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

const MISSING_KEY =
  'Сдача в архив невозможна: нет файла ключа электронной подписи архива (keys/archive-signing-key.pem рядом с базой данных) или он повреждён. ' +
  'Восстановите этот файл из резервной копии и повторите. Новый ключ не создаётся, чтобы подписи уже сданных дел оставались проверяемыми; проверка архива работает и без него.';

/**
 * Makes sure the school has an archive key, in the caller's write transaction: at set-up and,
 * for registers set up before the archive existed, lazily before the first print or seal.
 *
 * - No key in the register and no key file: a new key pair; the file is written durably first
 *   (a rollback leaves only an unused file, which the next call adopts).
 * - No key in the register but a key file (a rolled-back set-up, a restored folder): its public
 *   half is registered.
 * - A key in the register: returned with its private half; refused when the file is missing,
 *   broken or belongs to another key.
 */
export async function ensureSigningKey(trx: Db, dbPath: string, at: Date): Promise<SigningKey & { created: boolean }> {
  const path = privateKeyPath(dbPath);
  const row = await currentKeyRow(trx);
  if (row) return { ...(await loadSigningKey(trx, dbPath)), created: false };
  let privateKey = readPrivateKey(path);
  if (!privateKey) {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
    mkdirSync(keysFolder(dbPath), { recursive: true, mode: 0o700 });
    await writeDurably(path, async (tmp) => {
      writeFileSync(tmp, pem, { mode: 0o600 });
      if (process.platform !== 'win32') chmodSync(tmp, 0o600);
    });
  }
  const publicKey = createPublicKey(privateKey);
  const fingerprint = keyFingerprint(publicKey);
  await trx
    .insertInto('archive_key')
    .values({ fingerprint, public_key_pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), created_at: at.toISOString() })
    .execute();
  return { privateKey, fingerprint, created: true };
}

/** The current key with its private half, for sealing; refused (nothing created) when the file is missing or is not the registered key. */
export async function loadSigningKey(db: Db, dbPath: string): Promise<SigningKey> {
  const row = await currentKeyRow(db);
  if (!row) throw new ApiError('refused', MISSING_KEY);
  const privateKey = readPrivateKey(privateKeyPath(dbPath));
  if (!privateKey || keyFingerprint(createPublicKey(privateKey)) !== row.fingerprint) throw new ApiError('refused', MISSING_KEY);
  return { privateKey, fingerprint: row.fingerprint };
}

/** Public keys of the register by fingerprint (every key ever used), for verification. */
export async function publicKeys(db: Db): Promise<Map<string, KeyObject>> {
  const rows = await db.selectFrom('archive_key').select(['fingerprint', 'public_key_pem']).execute();
  return new Map(rows.map((r) => [r.fingerprint, createPublicKey(r.public_key_pem)]));
}
