import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { BackupFileError, deriveKey, newKdfParams, type KdfParams } from './format';

/**
 * The backup key pair (hybrid encryption), pure crypto, no storage.
 *
 * Scheduled runs must write backups without the passphrase, and the passphrase is never stored.
 * So a backup is encrypted with a random per-file data key, and that data key is sealed to an
 * X25519 public key (ECDH with a fresh ephemeral key → HKDF-SHA256 → AES-256-GCM). Writing needs
 * only the public key. The private key (PKCS#8 DER) is kept only wrapped: AES-256-GCM under
 * scrypt(passphrase) — reading a backup needs the passphrase, exactly as before.
 */

export interface BackupKeyRecord {
  /** SHA-256 (hex) of the public key's SPKI DER: names the key in headers and on screen. */
  fingerprint: string;
  /** SPKI DER, base64. */
  publicKey: string;
  kdf: KdfParams;
  /** nonce 12 + AES-256-GCM ciphertext + tag 16 of the PKCS#8 DER private key, base64. */
  wrappedPrivateKey: string;
}

/** A data key sealed to a public key: what a file header carries. */
export interface SealedDataKey {
  /** SPKI DER, base64. */
  ephemeralPublicKey: string;
  /** nonce 12 + ciphertext 32 + tag 16, base64. */
  wrappedDataKey: string;
}

const NONCE = 12;
const TAG = 16;
const WRAP_AAD = Buffer.from('school-office backup private key v1');
const HKDF_INFO = Buffer.from('school-office backup data key v1');

export const MIN_PASSPHRASE = 8;

function fingerprintOf(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}

function seal(key: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens a sealed box; null when the key is wrong or the box damaged (the tag does not match). */
function unseal(key: Buffer, box: Buffer, aad: Buffer): Buffer | null {
  if (box.length < NONCE + TAG) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, NONCE));
    decipher.setAAD(aad);
    decipher.setAuthTag(box.subarray(box.length - TAG));
    return Buffer.concat([decipher.update(box.subarray(NONCE, box.length - TAG)), decipher.final()]);
  } catch {
    return null;
  }
}

async function wrapPrivate(privateKey: KeyObject, passphrase: string, fingerprint: string): Promise<{ kdf: KdfParams; wrappedPrivateKey: string }> {
  const kdf = newKdfParams();
  const kek = await deriveKey(passphrase, kdf);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return { kdf, wrappedPrivateKey: seal(kek, der, Buffer.concat([WRAP_AAD, Buffer.from(fingerprint)])).toString('base64') };
}

/** A new key pair, its private half wrapped under the passphrase (new salt). */
export async function createBackupKey(passphrase: string): Promise<BackupKeyRecord> {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = fingerprintOf(spki);
  return { fingerprint, publicKey: spki.toString('base64'), ...(await wrapPrivate(privateKey, passphrase, fingerprint)) };
}

/** The private key, or BackupFileError('passphrase') when the passphrase does not open it. */
export async function unlockBackupKey(record: BackupKeyRecord, passphrase: string): Promise<KeyObject> {
  const kek = await deriveKey(passphrase, record.kdf);
  const der = unseal(kek, Buffer.from(record.wrappedPrivateKey, 'base64'), Buffer.concat([WRAP_AAD, Buffer.from(record.fingerprint)]));
  if (der === null) throw new BackupFileError('неверная парольная фраза', 'passphrase');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new BackupFileError('файл повреждён: ключ в заголовке', 'damaged');
  }
  // The wrapped key must belong to the public key it is stored with.
  if (fingerprintOf(createPublicKey(key).export({ type: 'spki', format: 'der' })) !== record.fingerprint) throw new BackupFileError('файл повреждён: ключ в заголовке', 'damaged');
  return key;
}

/** The same private key wrapped under a new passphrase (new salt): older backups open with the new passphrase too. */
export async function rewrapBackupKey(record: BackupKeyRecord, currentPassphrase: string, newPassphrase: string): Promise<BackupKeyRecord> {
  const key = await unlockBackupKey(record, currentPassphrase);
  return { fingerprint: record.fingerprint, publicKey: record.publicKey, ...(await wrapPrivate(key, newPassphrase, record.fingerprint)) };
}

function kek(shared: Buffer, ephemeralSpki: Buffer, recipientSpki: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralSpki, recipientSpki]), HKDF_INFO, 32));
}

function publicKeyOf(spkiBase64: string): { key: KeyObject; der: Buffer } {
  const der = Buffer.from(spkiBase64, 'base64');
  try {
    return { key: createPublicKey({ key: der, format: 'der', type: 'spki' }), der };
  } catch {
    throw new BackupFileError('файл повреждён: заголовок (ключ)', 'damaged');
  }
}

/** A fresh random data key sealed to the public key (base64 SPKI DER). */
export function sealDataKey(publicKey: string): SealedDataKey & { dataKey: Buffer } {
  const recipient = publicKeyOf(publicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralDer = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient.key });
  const dataKey = randomBytes(32);
  const wrapped = seal(kek(shared, ephemeralDer, recipient.der), dataKey, HKDF_INFO);
  return { dataKey, ephemeralPublicKey: ephemeralDer.toString('base64'), wrappedDataKey: wrapped.toString('base64') };
}

/** The data key of a file; BackupFileError('damaged') when it does not unwrap with this private key. */
export function openDataKey(privateKey: KeyObject, sealed: SealedDataKey): Buffer {
  const ephemeral = publicKeyOf(sealed.ephemeralPublicKey);
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey: ephemeral.key });
  } catch {
    throw new BackupFileError('файл повреждён: заголовок (ключ)', 'damaged');
  }
  const recipientDer = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const dataKey = unseal(kek(shared, ephemeral.der, recipientDer), Buffer.from(sealed.wrappedDataKey, 'base64'), HKDF_INFO);
  if (dataKey?.length !== 32) throw new BackupFileError('файл повреждён: ключ файла не открывается', 'damaged');
  return dataKey;
}
