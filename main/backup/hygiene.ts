import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Leftovers of killed runs. A run writes `.<name>.tmp-<pid>` files into a target (and its
 * archive/ subfolders) and renames them only once verified; a run killed in between leaves them.
 * They are removed at the start of the next run to that target — but only when their process is
 * gone, so a run still going on (the scheduler and a manual run) is never disturbed.
 */

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Only our own temp files (backups and archive objects), never another program's. */
const TEMP = /^\..+\.sobak\.tmp-(\d+)$/;

/** Removes stale temp files in `folder` (and its subfolders when `recursive`); returns how many. */
export function removeStaleTemps(folder: string, recursive: boolean): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (recursive) removed += removeStaleTemps(path, true);
      continue;
    }
    const pid = Number(TEMP.exec(entry.name)?.[1] ?? NaN);
    if (entry.isFile() && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      rmSync(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}
