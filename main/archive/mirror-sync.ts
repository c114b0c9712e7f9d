import { existsSync } from 'node:fs';
import type { z } from 'zod';
import type { mirrorSyncFailureSchema } from '../../common/api/archive-contract';
import type { Db } from '../../db/connection';
import { copySealed, removeFile, resolveStored } from './folders';
import { publicKeys } from './keys';
import { copyProblem, entrySigned, keptVolumes, shownTitle, type KeptVolume } from './verify';

/**
 * «Записать недостающие вторые копии»: volumes sealed before the second-copy folder was set, or
 * whose second copy was lost with its disk, get it written from the main copy — but only from a
 * main copy that passes the same checks as `archive verify` (SHA-256 of the register and a
 * holding signature), so a damaged file is never multiplied. A second copy that is present is
 * never overwritten, even when it is damaged: which copy is right is for a person to decide.
 */

export type MirrorSyncFailure = z.infer<typeof mirrorSyncFailureSchema>;

export interface MirrorSyncOutcome {
  copied: number;
  alreadyPresent: number;
  failed: MirrorSyncFailure[];
}

export function emptyMirrorSyncOutcome(): MirrorSyncOutcome {
  return { copied: 0, alreadyPresent: 0, failed: [] };
}

export interface MirrorSyncOptions {
  archiveDir: string;
  mirrorDir: string;
  /** Called before each volume and once at the end; may throw to stop (a cancel) between volumes. */
  onVolume?: (done: number, total: number) => void | Promise<void>;
}

const NOT_SIGNED =
  'запись описи не подтверждается подписью архива — копия не записана. Запустите проверку архива и выясните, кто и когда менял опись (журнал действий)';

function damagedMirror(path: string, problem: string): string {
  return (
    `вторая копия повреждена: ${problem}. Она не перезаписывается автоматически: проверьте носитель второй копии, ` +
    `затем переименуйте или удалите файл «${path}» и запустите запись недостающих копий снова — копия будет записана из основной`
  );
}

function damagedMain(problem: string): string {
  return `основная копия повреждена (${problem}) — восстановите её из резервной копии и запустите запись недостающих копий снова`;
}

function writeFailure(mirrorDir: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const why =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'запись запрещена'
      : code === 'ENOSPC'
        ? 'на диске нет места'
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? 'папка недоступна'
          : 'не удалось записать файл';
  return `вторая копия не записана в папку «${mirrorDir}» (${why}): подключите диск или разрешите запись в эту папку и повторите`;
}

/** One volume: its second copy checked, or written from a verified main copy. Files only; no register change. */
async function syncOne(v: KeptVolume, signed: boolean, options: MirrorSyncOptions, outcome: MirrorSyncOutcome): Promise<void> {
  const fail = (problem: string) => outcome.failed.push({ volumeId: v.id, archiveNo: v.archive_no, title: shownTitle(v), problem });
  const mirrorCopy = resolveStored(options.mirrorDir, v.file_name);
  if (!signed) return void fail(NOT_SIGNED);
  if (existsSync(mirrorCopy)) {
    const problem = await copyProblem(mirrorCopy, v, signed);
    if (problem === null) outcome.alreadyPresent += 1;
    else fail(damagedMirror(mirrorCopy, problem));
    return;
  }
  const mainProblem = await copyProblem(resolveStored(options.archiveDir, v.file_name), v, signed);
  if (mainProblem !== null) return void fail(damagedMain(mainProblem));
  try {
    await copySealed(resolveStored(options.archiveDir, v.file_name), options.mirrorDir, v.file_name);
  } catch (error) {
    return void fail(writeFailure(options.mirrorDir, error));
  }
  // The main copy was checked a moment before it was read again for the copy: the written file
  // is checked too, so a change in between never leaves a wrong second copy behind.
  const written = await copyProblem(mirrorCopy, v, signed);
  if (written === null) {
    outcome.copied += 1;
    return;
  }
  removeFile(mirrorCopy);
  fail(`вторая копия не совпала с основной после записи (${written}) и удалена: запустите проверку архива`);
}

/**
 * Walks every kept volume (sealed or replaced) in register order. `outcome` is filled as it
 * goes, so a caller stopped by `onVolume` (a cancel) still knows what was written.
 */
export async function syncMirror(db: Db, options: MirrorSyncOptions, outcome: MirrorSyncOutcome = emptyMirrorSyncOutcome()): Promise<MirrorSyncOutcome> {
  const volumes = await keptVolumes(db);
  const keys = await publicKeys(db);
  for (const [index, v] of volumes.entries()) {
    await options.onVolume?.(index, volumes.length);
    await syncOne(v, entrySigned(keys, v), options, outcome);
  }
  await options.onVolume?.(volumes.length, volumes.length);
  return outcome;
}
