import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * The backup file («школа-…» as `school-YYYY-MM-DD-HHMMSS.sobak`) and the archive objects beside
 * it (`archive/<year folder>/<name>.pdf.sobak`), format version 2 (version 1 is still read).
 *
 * ```
 * magic      8 bytes   "SOBAK01\n"
 * headerLen  u32 BE
 * header     UTF-8 JSON, plain — versions, a time, public key material and object names, never
 *            personal data:
 *              format 2: { format, appVersion, schemaVersion, createdAt, chunkSize,
 *                          recipient: { fingerprint, publicKey, kdf, wrappedPrivateKey },
 *                          ephemeralPublicKey, wrappedDataKey, objects: [relative paths] }
 *              format 1: { format, appVersion, schemaVersion, createdAt, chunkSize,
 *                          kdf: { name: "scrypt", N, r, p, salt (base64) } }
 * headerHash 32 bytes  SHA-256 of magic + headerLen + header: a damaged header is named as such
 * check      12-byte nonce + 16 encrypted bytes + 16-byte tag (AAD: headerHash + "check"):
 *                      decrypts only with the right key, so a wrong key is told from damage
 * chunks     each: plainLen u32 BE, last u8 (1 on the final chunk), nonce 12, ciphertext, tag 16
 *                      AES-256-GCM, a fresh random nonce per chunk, AAD = headerHash + index u64 BE
 *                      + last u8: chunks cannot be reordered, dropped, swapped between files, and a
 *                      file cut short (no chunk marked last) is noticed.
 * ```
 *
 * Format 2 (hybrid, see backup-key.ts): every file has its own random data key, sealed to the
 * register's X25519 public key (ephemeral ECDH → HKDF-SHA256 → AES-256-GCM: ephemeralPublicKey,
 * wrappedDataKey), so scheduled runs need no passphrase. `recipient` repeats the public key and
 * the private key wrapped under scrypt(passphrase) (N = 2^17, r = 8, p = 1, its own salt): every
 * file opens with the passphrase alone, without the register. `objects` lists the archive
 * objects (paths relative to the file's folder) the backup needs, so rotation can tell unused
 * objects without the passphrase. An archive object is the same format with `objects: []` and
 * the raw PDF as plaintext, plus `sha256` of that PDF (the cheap check of a present object).
 *
 * Format 1: the key is scrypt(passphrase, salt) directly.
 * The plaintext (the payload, see payload.ts) is processed chunk by chunk both ways, so memory
 * stays bounded whatever the size of the database and the archive.
 */

export const MAGIC = Buffer.from('SOBAK01\n', 'ascii');
export const FORMAT_VERSION = 2;
const READABLE_FORMATS = [1, 2];
export const CHUNK_SIZE = 1024 * 1024;
export const BACKUP_EXTENSION = '.sobak';
const CHECK_PLAIN = Buffer.from('school-office-ok', 'ascii');
const NONCE = 12;
const TAG = 16;
const CHUNK_HEAD = 5;
const MAX_HEADER = 64 * 1024;

export const KDF_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;

export interface KdfParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

interface HeaderBase {
  appVersion: string;
  schemaVersion: number;
  createdAt: string;
  chunkSize: number;
}

/** Format 1: the key is scrypt(passphrase). */
export interface BackupHeaderV1 extends HeaderBase {
  format: 1;
  kdf: KdfParams;
}

/** Format 2: a per-file data key sealed to the backup key pair (backup-key.ts). */
export interface BackupHeaderV2 extends HeaderBase {
  format: 2;
  recipient: { fingerprint: string; publicKey: string; kdf: KdfParams; wrappedPrivateKey: string };
  ephemeralPublicKey: string;
  wrappedDataKey: string;
  /** Archive objects this backup needs, relative to its folder («archive/2025-2026/….pdf.sobak»). */
  objects: string[];
  /** An archive object only: SHA-256 of its plaintext (the sealed PDF, as in the archive register), for the cheap check. */
  sha256?: string;
}

export type BackupHeader = BackupHeaderV1 | BackupHeaderV2;

/** Where the bytes of a file go: a file, or several targets at once (sink.ts). */
export interface ByteSink {
  write(bytes: Buffer): void;
}

/** The size of an encrypted file whose prefix ends at `checkOffset`, for `plainSize` bytes of plaintext: a cheap check without the key. */
export function encryptedSize(checkOffset: number, plainSize: number, chunkSize: number): number {
  const chunks = Math.floor(plainSize / chunkSize) + 1;
  return checkOffset + NONCE + CHECK_PLAIN.length + TAG + plainSize + chunks * (CHUNK_HEAD + NONCE + TAG);
}

/** A problem with a backup file, in words for the user («файл повреждён: часть 3 не сходится»). */
export class BackupFileError extends Error {
  constructor(
    message: string,
    readonly kind: 'passphrase' | 'damaged' | 'not_backup' | 'newer',
  ) {
    super(message);
  }
}

export function newKdfParams(): KdfParams {
  return { name: 'scrypt', ...KDF_DEFAULTS, salt: randomBytes(16).toString('base64') };
}

/** Derives the 32-byte key. The parameters come from a header, so their bounds are checked first. */
export function deriveKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  if (kdf.name !== 'scrypt' || !Number.isInteger(Math.log2(kdf.N)) || kdf.N < 2 ** 14 || kdf.N > 2 ** 20 || kdf.r < 1 || kdf.r > 16 || kdf.p < 1 || kdf.p > 4) {
    return Promise.reject(new BackupFileError('файл повреждён: заголовок (неизвестные параметры ключа)', 'damaged'));
  }
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 16 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function chunkAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  return Buffer.concat([headerHash, u64(index), Buffer.from([last ? 1 : 0])]);
}

/** The plain prefix of a file: magic, header, its hash and the check block. */
export function encodePrefix(header: BackupHeader, key: Buffer): { bytes: Buffer; headerHash: Buffer } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  const headerHash = createHash('sha256').update(MAGIC).update(len).update(json).digest();
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([headerHash, Buffer.from('check')]));
  const check = Buffer.concat([nonce, cipher.update(CHECK_PLAIN), cipher.final(), cipher.getAuthTag()]);
  return { bytes: Buffer.concat([MAGIC, len, json, headerHash, check]), headerHash };
}

/**
 * Writes the encrypted stream into an open file descriptor: `write` buffers plaintext and emits
 * full chunks, `finish` emits the last (possibly short or empty) chunk marked last.
 */
export class ChunkWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  bytesWritten = 0;
  /** SHA-256 of every byte written: the file's checksum, without reading it again. */
  readonly hash = createHash('sha256');

  private readonly sink: ByteSink;

  constructor(
    fd: number | ByteSink,
    private readonly key: Buffer,
    private readonly headerHash: Buffer,
    private readonly chunkSize: number,
  ) {
    this.sink = typeof fd === 'number' ? { write: (bytes) => writeAll(fd, bytes) } : fd;
  }

  writeRaw(bytes: Buffer): void {
    this.sink.write(bytes);
    this.bytesWritten += bytes.length;
    this.hash.update(bytes);
  }

  write(plain: Buffer): void {
    this.pending.push(plain);
    this.pendingBytes += plain.length;
    while (this.pendingBytes > this.chunkSize) {
      const all = Buffer.concat(this.pending);
      this.emit(all.subarray(0, this.chunkSize), false);
      const rest = all.subarray(this.chunkSize);
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
  }

  finish(): void {
    const all = Buffer.concat(this.pending);
    if (all.length === this.chunkSize) {
      this.emit(all, false);
      this.emit(Buffer.alloc(0), true);
    } else this.emit(all, true);
    this.pending = [];
    this.pendingBytes = 0;
  }

  private emit(plain: Buffer, last: boolean): void {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(chunkAad(this.headerHash, this.index, last));
    const head = Buffer.alloc(CHUNK_HEAD);
    head.writeUInt32BE(plain.length);
    head[4] = last ? 1 : 0;
    this.writeRaw(Buffer.concat([head, nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]));
    this.index += 1;
  }
}

export function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Reads exactly `length` bytes at `position`; fewer only at the end of the file. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

export interface OpenedBackup {
  header: BackupHeader;
  headerHash: Buffer;
  /** Where the check block starts. */
  checkOffset: number;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;

/** An object path from a header: relative, inside archive/, no way up. */
export function safeObjectPath(path: unknown): path is string {
  return isString(path) && path.startsWith('archive/') && path.endsWith(BACKUP_EXTENSION) && !path.includes('\\') && !path.split('/').some((p) => p === '' || p === '.' || p === '..');
}

function validV2(header: BackupHeaderV2): boolean {
  const r = header.recipient as Partial<BackupHeaderV2['recipient']> | undefined;
  return (
    typeof r === 'object' && r !== null && isString(r.fingerprint) && isString(r.publicKey) && isString(r.wrappedPrivateKey) && typeof r.kdf === 'object' && r.kdf !== null &&
    isString(header.ephemeralPublicKey) && isString(header.wrappedDataKey) && Array.isArray(header.objects) && header.objects.every(safeObjectPath)
  );
}

const damaged = (what: string) => new BackupFileError(`файл повреждён: ${what}`, 'damaged');

/** Reads and checks the plain header (no passphrase needed): for `backup list` and before decrypting. */
export function readHeader(path: string): OpenedBackup {
  const fd = openSync(path, 'r');
  try {
    const magic = readAt(fd, 0, MAGIC.length + 4);
    if (magic.length < MAGIC.length + 4 || !magic.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BackupFileError('это не файл резервной копии «Канцелярии» (или повреждён его заголовок)', 'not_backup');
    }
    const length = magic.readUInt32BE(MAGIC.length);
    if (length > MAX_HEADER) throw damaged('заголовок');
    const json = readAt(fd, magic.length, length);
    const stored = readAt(fd, magic.length + length, 32);
    const headerHash = createHash('sha256').update(magic).update(json).digest();
    if (json.length < length || stored.length < 32 || !timingSafeEqual(stored, headerHash)) throw damaged('заголовок');
    let header: BackupHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as BackupHeader;
    } catch {
      throw damaged('заголовок');
    }
    if (typeof header !== 'object' || header === null) throw damaged('заголовок');
    if (!READABLE_FORMATS.includes(header.format)) {
      throw new BackupFileError(`формат резервной копии ${header.format} не поддерживается этой версией программы`, 'newer');
    }
    if (!Number.isInteger(header.chunkSize) || header.chunkSize < 1024 || header.chunkSize > 64 * 1024 * 1024) throw damaged('заголовок');
    if (header.format === 2 && !validV2(header)) throw damaged('заголовок');
    return { header, headerHash, checkOffset: magic.length + length + 32 };
  } finally {
    closeSync(fd);
  }
}

/**
 * Decrypts a backup chunk by chunk, yielding plaintext. Tells a wrong passphrase (the check
 * block fails) from damage (a chunk fails: «часть N не сходится»; no last chunk: cut short).
 */
export async function* decryptChunks(path: string, opened: OpenedBackup, key: Buffer, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const check = readAt(fd, opened.checkOffset, NONCE + CHECK_PLAIN.length + TAG);
    if (check.length < NONCE + CHECK_PLAIN.length + TAG) throw damaged('файл обрывается после заголовка');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, check.subarray(0, NONCE));
      decipher.setAAD(Buffer.concat([opened.headerHash, Buffer.from('check')]));
      decipher.setAuthTag(check.subarray(NONCE + CHECK_PLAIN.length));
      decipher.update(check.subarray(NONCE, NONCE + CHECK_PLAIN.length));
      decipher.final();
    } catch {
      throw new BackupFileError('неверная парольная фраза', 'passphrase');
    }
    let position = opened.checkOffset + check.length;
    for (let index = 0; ; index += 1) {
      signal?.throwIfAborted();
      const head = readAt(fd, position, CHUNK_HEAD);
      if (head.length === 0) throw damaged(`файл обрывается после части ${index}`);
      if (head.length < CHUNK_HEAD) throw damaged(`часть ${index + 1} не сходится`);
      const length = head.readUInt32BE(0);
      const last = head[4] === 1;
      if (length > opened.header.chunkSize || (head[4] !== 0 && head[4] !== 1)) throw damaged(`часть ${index + 1} не сходится`);
      const body = readAt(fd, position + CHUNK_HEAD, NONCE + length + TAG);
      if (body.length < NONCE + length + TAG) throw damaged(`часть ${index + 1} не сходится (файл обрывается)`);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE));
        decipher.setAAD(chunkAad(opened.headerHash, index, last));
        decipher.setAuthTag(body.subarray(NONCE + length));
        plain = Buffer.concat([decipher.update(body.subarray(NONCE, NONCE + length)), decipher.final()]);
      } catch {
        throw damaged(`часть ${index + 1} не сходится`);
      }
      position += CHUNK_HEAD + body.length;
      yield plain;
      if (last) {
        if (readAt(fd, position, 1).length > 0) throw damaged(`лишние данные после части ${index + 1}`);
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
