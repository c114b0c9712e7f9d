import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncFile, syncFolder, writeDurably } from '../../db/durable-file';
import { safeFileName } from '../print/documents';

/**
 * Where the electronic archive lives: beside the database, in `archive/` (sealed volumes in one
 * folder per school year, drafts in `archive/drafts/`), and the private signing key in `keys/`.
 * The second copy (another disk or a share) mirrors the same relative names.
 */

export function archiveFolder(dbPath: string): string {
  return join(dirname(dbPath), 'archive');
}

export function draftsFolder(dbPath: string): string {
  return join(archiveFolder(dbPath), 'drafts');
}

export function keysFolder(dbPath: string): string {
  return join(dirname(dbPath), 'keys');
}

/** The second-copy folder from the settings, or null when none is configured. */
export function mirrorFolder(setting: string): string | null {
  const trimmed = setting.trim();
  return trimmed === '' ? null : trimmed;
}

/** «2025/2026» → «2025-2026»: a year as a folder name. */
export function yearFolderName(yearName: string): string {
  return safeFileName(yearName.replace(/\//g, '-'));
}

/**
 * The volume's file name relative to the archive folder, always with «/» (joined with the
 * platform's separator when used): «2025-2026/2026-003 v1 Классный журнал 5А класса.pdf».
 */
export function volumeRelativeName(input: { yearName: string; archiveNo: string; version: number; title: string }): string {
  return `${yearFolderName(input.yearName)}/${safeFileName(`${input.archiveNo} v${input.version} ${input.title}`)}.pdf`;
}

/** The absolute path of a stored relative name inside a root folder. */
export function resolveStored(root: string, relativeName: string): string {
  return join(root, ...relativeName.split('/'));
}

/** A read-only file left by a crash (or a sealed copy being destroyed) must be writable to be replaced or removed on Windows. */
function makeReplaceable(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o644);
}

/**
 * Flushes a file's data before it is renamed. Windows flushes only through a handle open for
 * writing ('r+'); a read-only file (a sealed copy moved back to the drafts after a failed
 * registration) cannot be opened so, and was flushed when it was first moved.
 */
function flushBeforeMove(path: string): void {
  try {
    fsyncFile(path, 'r+');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
  }
}

/**
 * Moves a file within one filesystem durably (the archive folder and its drafts share it):
 * rename, then fsync of both folders. The result is read-only: a sealed volume never changes.
 */
export function moveSealed(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  makeReplaceable(to);
  flushBeforeMove(from);
  renameSync(from, to);
  chmodSync(to, 0o444);
  syncFolder(dirname(to));
  syncFolder(dirname(from));
}

/**
 * Copies a sealed file into the second-copy folder `root` durably and read-only. The root itself
 * must exist: it is a removable disk or a share, and creating it would put the «second copy» of
 * an unplugged drive on the local disk (a missing root throws with code ENOENT). Folders inside
 * it (one per school year) are created.
 */
export async function copySealed(from: string, root: string, relativeName: string): Promise<void> {
  if (!existsSync(root)) throw Object.assign(new Error('second-copy folder is missing'), { code: 'ENOENT' });
  const to = resolveStored(root, relativeName);
  mkdirSync(dirname(to), { recursive: true });
  makeReplaceable(to);
  await writeDurably(to, async (tmp) => {
    rmSync(tmp, { force: true });
    copyFileSync(from, tmp);
    // The copy keeps the source's mode; the temp file must stay writable until it is renamed.
    chmodSync(tmp, 0o600);
  });
  chmodSync(to, 0o444);
}

/** Removes a file even if it is read-only; true when it existed. */
export function removeFile(path: string): boolean {
  if (!existsSync(path)) return false;
  makeReplaceable(path);
  rmSync(path, { force: true });
  return true;
}
