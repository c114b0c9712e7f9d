import { closeSync, constants, accessSync, openSync, rmSync, statSync, statfsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Live checks of backup target folders: does it exist, is it a folder, can we write there, how
 * much room is left, which device it sits on. Used by the status screen, by the targets form
 * before saving, and by a backup run for its same-device warning.
 */

/** Warnings for targets that share a device: two copies on one disk are one copy. */
export function sameDeviceWarnings(targets: readonly string[]): string[] {
  const byDevice = new Map<number, string[]>();
  for (const target of targets) {
    try {
      const stat = statSync(target);
      if (stat.isDirectory()) byDevice.set(stat.dev, [...(byDevice.get(stat.dev) ?? []), target]);
    } catch {
      // A missing target is reported as its own failure.
    }
  }
  return [...byDevice.values()]
    .filter((group) => group.length > 1)
    .map((group) => `Папки ${group.map((g) => `«${g}»`).join(' и ')} находятся на одном носителе: при его поломке пропадут обе копии. Укажите папки на разных носителях.`);
}

export type FolderState = 'ok' | 'missing' | 'not_folder' | 'read_only';

export interface FolderCheck {
  path: string;
  state: FolderState;
  /** Free bytes for this process on the folder's file system; null when it cannot be read. */
  freeBytes: number | null;
  /** The device number (stat().dev) as text, to compare folders; null for a missing folder. */
  device: string | null;
  /** What is wrong and what to do, in Russian; null when the folder is fine. */
  problem: string | null;
}

const PROBLEMS: Record<Exclude<FolderState, 'ok'>, string> = {
  missing: 'папка не найдена — подключите носитель или создайте папку',
  not_folder: 'по этому пути находится файл, а не папка — укажите папку',
  read_only: 'нет доступа на запись — снимите защиту от записи с носителя или выберите другую папку',
};

/**
 * `probe: 'access'` asks the OS for write permission (cheap, for the status screen);
 * `probe: 'write'` creates and removes a small file — the only proof on network shares and
 * removable media, whose permissions can lie.
 */
export function checkFolder(path: string, probe: 'access' | 'write'): FolderCheck {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { path, state: 'missing', freeBytes: null, device: null, problem: PROBLEMS.missing };
  }
  const device = String(stat.dev);
  if (!stat.isDirectory()) return { path, state: 'not_folder', freeBytes: null, device, problem: PROBLEMS.not_folder };
  let freeBytes: number | null = null;
  try {
    const fs = statfsSync(path);
    freeBytes = Number(fs.bavail) * Number(fs.bsize);
  } catch {
    // Some network file systems do not answer; the free space is then unknown, not an error.
  }
  const writable = probe === 'access' ? canAccess(path) : canWrite(path);
  if (!writable) return { path, state: 'read_only', freeBytes, device, problem: PROBLEMS.read_only };
  return { path, state: 'ok', freeBytes, device, problem: null };
}

function canAccess(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function canWrite(path: string): boolean {
  const probe = join(path, `.school-office-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    return true;
  } catch {
    return false;
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // Nothing was created, or it cannot be removed; the answer above stands.
    }
  }
}
