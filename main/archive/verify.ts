import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { MAIN_COPY_LABEL, MIRROR_COPY_LABEL, PROBLEM_FILE_MISSING, type VolumeKind, type verifyProblemSchema } from '../../common/api/archive-contract';
import type { Db } from '../../db/connection';
import { resolveStored } from './folders';
import { publicKeys } from './keys';
import { signatureVerifies } from './signature';

/**
 * Integrity control of the electronic archive: every stored copy of every kept volume (sealed or
 * replaced; destroyed ones have no files) is read and checked against the register — the file
 * exists, its SHA-256 is the registered one, and the registered signature over that hash
 * verifies with the public key the volume was signed with.
 */

export type VerifyProblem = z.infer<typeof verifyProblemSchema>;

export interface VerifyOutcome {
  checkedVolumes: number;
  checkedCopies: number;
  ok: boolean;
  problems: VerifyProblem[];
}

export const PROBLEM_MISSING = PROBLEM_FILE_MISSING;
export const PROBLEM_CHANGED = 'файл изменён: контрольная сумма не совпадает';
export const PROBLEM_SIGNATURE = 'подпись не подтверждается';

/** SHA-256 of a file, streamed (volumes may be large). */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface VerifyOptions {
  archiveDir: string;
  mirrorDir: string | null;
  onVolume?: (done: number, total: number) => void | Promise<void>;
}

/** A kept volume as the checks need it (register columns). */
export interface KeptVolume {
  id: number;
  archive_no: string;
  version: number;
  kind: VolumeKind;
  title: string;
  file_name: string;
  sha256: string;
  signature: string;
  key_fingerprint: string;
  sealed_at: string;
}

/** Sealed and replaced volumes (destroyed ones have no files), in register order. */
export function keptVolumes(db: Db): Promise<KeptVolume[]> {
  return db
    .selectFrom('archive_volume')
    .select(['id', 'archive_no', 'version', 'kind', 'title', 'file_name', 'sha256', 'signature', 'key_fingerprint', 'sealed_at'])
    .where('status', 'in', ['sealed', 'replaced'])
    .orderBy('id')
    .execute();
}

/** The title as reports show it: later versions say which. */
export function shownTitle(v: KeptVolume): string {
  return v.version > 1 ? `${v.title} (версия ${v.version})` : v.title;
}

/** Whether the register entry's signature holds with the key it names. */
export function entrySigned(keys: Map<string, KeyObject>, v: KeptVolume): boolean {
  const key = keys.get(v.key_fingerprint);
  return key !== undefined && signatureVerifies(key, { archiveNo: v.archive_no, version: v.version, kind: v.kind, sha256: v.sha256, sealedAt: v.sealed_at }, v.signature);
}

/** What is wrong with one stored copy of a volume (Russian), or null when it is intact. */
export async function copyProblem(path: string, v: KeptVolume, signed: boolean): Promise<string | null> {
  if (!existsSync(path)) return PROBLEM_MISSING;
  let actual: string;
  try {
    actual = await fileSha256(path);
  } catch {
    return 'файл не читается';
  }
  if (actual !== v.sha256) return PROBLEM_CHANGED;
  // The signature binds the registered hash to the entry: a copy equal to that hash is
  // authentic only if the signature holds (a forged entry with a new hash would not).
  if (!signed) return PROBLEM_SIGNATURE;
  return null;
}

export async function verifyArchive(db: Db, options: VerifyOptions): Promise<VerifyOutcome> {
  const volumes = await keptVolumes(db);
  const keys = await publicKeys(db);
  const copies: { label: string; root: string }[] = [{ label: `${MAIN_COPY_LABEL} (${options.archiveDir})`, root: options.archiveDir }];
  if (options.mirrorDir) copies.push({ label: `${MIRROR_COPY_LABEL} (${options.mirrorDir})`, root: options.mirrorDir });

  const problems: VerifyProblem[] = [];
  let checkedCopies = 0;
  for (const [index, v] of volumes.entries()) {
    await options.onVolume?.(index, volumes.length);
    const signed = entrySigned(keys, v);
    for (const copy of copies) {
      checkedCopies += 1;
      const problem = await copyProblem(resolveStored(copy.root, v.file_name), v, signed);
      if (problem !== null) problems.push({ volumeId: v.id, archiveNo: v.archive_no, title: shownTitle(v), copy: copy.label, problem });
    }
  }
  await options.onVolume?.(volumes.length, volumes.length);
  return { checkedVolumes: volumes.length, checkedCopies, ok: problems.length === 0, problems };
}
