import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { syncFolder } from '../../db/durable-file';
import { sealDataKey, type BackupKeyRecord } from './backup-key';
import { BACKUP_EXTENSION, BackupFileError, ChunkWriter, decryptChunks, encodePrefix, encryptedSize, readHeader, type BackupHeaderV2 } from './format';
import { fileBlocks, hashFile, type ManifestEntry, type PayloadSource } from './payload';
import { MultiSink, NoTargetLeft, type OpenSink } from './sink';

/**
 * Archive objects: each sealed PDF lies in every target once, as its own encrypted file
 * `<target>/archive/<year folder>/<name>.pdf.sobak` (format 2, its own data key sealed to the
 * backup key), shared by all the backups in that folder that list it in their header's
 * `objects`. A run writes only the objects a target lacks (or that are for another key, or do
 * not read); a present one gets a cheap check only (its header reads, it is for the current key
 * and the manifest's SHA-256, its size is what its plaintext size gives). `backup verify` decrypts every object fully and
 * checks its SHA-256 against the manifest.
 */

export function objectPath(entryName: string): string {
  return `${entryName}${BACKUP_EXTENSION}`;
}

/**
 * Where an object of a REPLACED key is kept when the current key's object takes its place
 * («….pdf.<fingerprint 16>.sobak»): the backups made before the replacement still open, with the
 * old passphrase, whole.
 */
export function asidePath(objectRelative: string, fingerprint: string): string {
  return `${objectRelative.slice(0, -BACKUP_EXTENSION.length)}.${fingerprint.slice(0, 16)}${BACKUP_EXTENSION}`;
}

/** The object a backup of key `fingerprint` uses: the aside copy when the main path now holds another key's. */
export function objectFor(folder: string, objectRelative: string, fingerprint: string): string {
  const main = join(folder, objectRelative);
  const aside = join(folder, asidePath(objectRelative, fingerprint));
  if (!existsSync(aside)) return main;
  try {
    const { header } = readHeader(main);
    return header.format === 2 && header.recipient.fingerprint === fingerprint ? main : aside;
  } catch {
    return aside;
  }
}

/** Before a new key's object replaces one of another key: the old one is moved aside, not lost. */
function keepAside(target: string, rel: string, fingerprint: string): void {
  const final = join(target, rel);
  if (!existsSync(final)) return;
  let old: string;
  try {
    const { header } = readHeader(final);
    if (header.format !== 2 || header.recipient.fingerprint === fingerprint) return;
    old = header.recipient.fingerprint;
  } catch {
    return;
  }
  const aside = join(target, asidePath(rel, old));
  if (!existsSync(aside)) renameSync(final, aside);
}

/** Present and plausible without the passphrase: header, key, size. */
export function objectLooksGood(file: string, entry: ManifestEntry, fingerprint: string): boolean {
  try {
    const opened = readHeader(file);
    if (opened.header.format !== 2 || opened.header.recipient.fingerprint !== fingerprint || opened.header.sha256 !== entry.sha256) return false;
    return statSync(file).size === encryptedSize(opened.checkOffset, entry.size, opened.header.chunkSize);
  } catch {
    return false;
  }
}

/** Decrypts an object, optionally writing the plaintext to `destination`; returns its SHA-256 and size. */
export async function readObject(file: string, dataKey: Buffer, destination: ((block: Buffer) => void) | null, signal?: AbortSignal, onBytes?: (n: number) => void | Promise<void>): Promise<{ sha256: string; size: number }> {
  const opened = readHeader(file);
  const hash = createHash('sha256');
  let size = 0;
  for await (const block of decryptChunks(file, opened, dataKey, signal)) {
    hash.update(block);
    size += block.length;
    destination?.(block);
    await onBytes?.(block.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { sha256: hash.digest('hex'), size };
}

export interface ObjectWriteInput {
  /** The fields shared with the backup's header. */
  base: Pick<BackupHeaderV2, 'appVersion' | 'schemaVersion' | 'createdAt' | 'chunkSize'>;
  recipient: BackupKeyRecord;
  openSink: OpenSink;
  signal?: AbortSignal;
  progress: (done: number, total: number, stage: string) => void;
  /** Called once after the first object's bytes are written (the test pause hook). */
  afterFirstWrite: () => Promise<void>;
}

/**
 * Writes one object into every target in `targets` (encrypted once, the same bytes everywhere),
 * then reads each copy back and checks it; a copy that verifies is renamed into place. Returns
 * the targets that failed, with their error, and `mismatch` when the source is not what the
 * manifest says (hashed while encrypted): then nothing is renamed into place.
 */
export async function writeObject(targets: readonly string[], source: PayloadSource, entry: ManifestEntry, input: ObjectWriteInput): Promise<{ failures: Map<string, unknown>; mismatch: boolean }> {
  const rel = objectPath(entry.name);
  const sealed = sealDataKey(input.recipient.publicKey);
  const header: BackupHeaderV2 = {
    format: 2,
    ...input.base,
    recipient: { fingerprint: input.recipient.fingerprint, publicKey: input.recipient.publicKey, kdf: input.recipient.kdf, wrappedPrivateKey: input.recipient.wrappedPrivateKey },
    ephemeralPublicKey: sealed.ephemeralPublicKey,
    wrappedDataKey: sealed.wrappedDataKey,
    objects: [],
    sha256: entry.sha256,
  };
  const failures = new Map<string, unknown>();
  const members = new Map<string, ReturnType<OpenSink>>();
  const temps = new Map<string, string>();
  for (const target of targets) {
    const final = join(target, rel);
    const tmp = join(dirname(final), `.${final.slice(dirname(final).length + 1)}.tmp-${process.pid}`);
    try {
      mkdirSync(dirname(final), { recursive: true });
      if (existsSync(tmp)) rmSync(tmp, { force: true });
      members.set(target, input.openSink(tmp));
      temps.set(target, tmp);
    } catch (error) {
      failures.set(target, error);
    }
  }
  const multi = new MultiSink(members);
  const cleanup = (target: string) => {
    const tmp = temps.get(target);
    if (tmp) rmSync(tmp, { force: true });
  };
  try {
    if (members.size === 0) return { failures, mismatch: false };
    const prefix = encodePrefix(header, sealed.dataKey);
    const writer = new ChunkWriter(multi, sealed.dataKey, prefix.headerHash, header.chunkSize);
    const plainHash = createHash('sha256');
    let size = 0;
    try {
      writer.writeRaw(prefix.bytes);
      for (const block of fileBlocks(source.path)) {
        plainHash.update(block);
        size += block.length;
        writer.write(block);
        input.progress(size, entry.size, `Запись архива: «${entry.name.slice('archive/'.length)}»`);
        await new Promise((resolve) => setImmediate(resolve));
        input.signal?.throwIfAborted();
      }
      writer.finish();
    } catch (error) {
      if (!(error instanceof NoTargetLeft)) throw error;
    }
    multi.finish();
    for (const [target, error] of multi.failures) failures.set(target, error);
    // Hashed while encrypting: the file must be what the manifest says (the archive register's SHA-256).
    if (plainHash.digest('hex') !== entry.sha256 || size !== entry.size) return { failures, mismatch: true };
    await input.afterFirstWrite();
    const fileSha256 = writer.hash.digest('hex');
    let decryptedOnce = false;
    for (const target of multi.alive()) {
      input.signal?.throwIfAborted();
      const tmp = temps.get(target)!;
      try {
        if (!decryptedOnce) {
          const back = await readObject(tmp, sealed.dataKey, null, input.signal);
          if (back.sha256 !== entry.sha256 || back.size !== entry.size) throw new BackupFileError(`файл повреждён: не сходится контрольная сумма «${entry.name}»`, 'damaged');
          decryptedOnce = true;
        } else {
          // Every target got the same bytes: once one copy decrypted and matched, another one is
          // proved by being byte-identical to what was written (its SHA-256), half the work.
          if (hashFile(tmp) !== fileSha256) throw new BackupFileError(`файл повреждён: прочитанное обратно не совпадает с записанным («${entry.name}»)`, 'damaged');
        }
        keepAside(target, rel, input.recipient.fingerprint);
        renameSync(tmp, join(target, rel));
        syncFolder(dirname(join(target, rel)));
      } catch (error) {
        if (input.signal?.aborted) throw error;
        failures.set(target, error);
      }
    }
    return { failures, mismatch: false };
  } finally {
    multi.abandonAll();
    for (const target of temps.keys()) cleanup(target);
  }
}
