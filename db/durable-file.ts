import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Produces `target` through a temporary file in the same folder: `write(tmp)`, then fsync of
 * the file, rename over the target, and fsync of the folder. A crash at any point leaves either
 * no target or a whole one, never a half-written file.
 */
export async function writeDurably(target: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await write(tmp);
    fsyncFile(tmp);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  syncFolder(dirname(target));
}

/**
 * Flushes a file's content to the disk (before it is renamed into place). Opened for writing by
 * default; `'r'` opens it read-only (folders, and files that need not be writable).
 */
export function fsyncFile(path: string, flags: 'r' | 'r+' = 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename into it, or out of it) to the disk. */
export function syncFolder(folder: string): void {
  // Folders cannot be opened for fsync on Windows; there the rename is already durable enough.
  if (process.platform === 'win32') return;
  fsyncFile(folder, 'r');
}
