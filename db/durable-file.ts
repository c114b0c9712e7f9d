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
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  syncFolder(dirname(target));
}

function syncFolder(folder: string): void {
  // Folders cannot be opened for fsync on Windows; there the rename is already durable enough.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
