import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { syncFolder, writeDurably } from '../../db/durable-file';

/**
 * Switching the data folder to a restored register, crash-safe. The restore wrote the new
 * register (database, keys/, archive/) into a staging folder inside the data folder, so every
 * step here is a rename on one file system. Before the first rename a durable marker
 * (`restore-switch.json`) names the staging folder, the pre-restore folder and what moves; the
 * current register moves into the pre-restore folder, the staged one into place, and the marker
 * goes last. Each step checks where its item already is, so `completePendingSwitch` (run at
 * start, before the database opens) finishes a switch a crash left half-done, from any point.
 * Nothing is deleted: the register that was replaced stays whole in the pre-restore folder.
 */

export const SWITCH_MARKER = 'restore-switch.json';
const STAGING_PREFIX = '.restore-';

interface SwitchMarker {
  /** Folder names inside the data folder (not absolute paths: the data folder may be moved between a crash and the next start). */
  staging: string;
  preRestore: string;
  /** The register's file name (school.db). */
  dbName: string;
  /** What the current register had when the switch began, moved into the pre-restore folder. */
  moveOut: string[];
  /** What the staging folder holds, moved into the data folder (the database last). */
  moveIn: string[];
}

export interface SwitchPlan {
  /** Absolute paths. */
  staging: string;
  preRestore: string;
  dbName: string;
}

/** Called after each rename: tests throw from it to stop the switch where a crash would. */
export type StepHook = (step: string) => void;

/** `2026-11-24-053015`: ASCII, sortable, safe on every file system. */
export function restoreStamp(moment: Date): string {
  const iso = moment.toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** The staging folder of this process's restore: the pid lets a later start tell a dead run's leftovers from a live one. */
export function stagingFolder(dataDir: string, stamp: string): string {
  return join(dataDir, `${STAGING_PREFIX}${process.pid}-${stamp}`);
}

/** A pre-restore folder name not taken yet. */
export function preRestoreFolder(dataDir: string, stamp: string): string {
  for (let attempt = 1; ; attempt += 1) {
    const folder = join(dataDir, `pre-restore-${stamp}${attempt > 1 ? `-${attempt}` : ''}`);
    if (!existsSync(folder)) return folder;
  }
}

/** The parts of a register beside its folder: the database with SQLite's side files, the signing key and the archive. */
function registerItems(dbName: string): string[] {
  return [dbName, `${dbName}-wal`, `${dbName}-shm`, `${dbName}-journal`, 'keys', 'archive'];
}

function markerPath(dataDir: string): string {
  return join(dataDir, SWITCH_MARKER);
}

function readMarker(dataDir: string): SwitchMarker | null {
  const path = markerPath(dataDir);
  if (!existsSync(path)) return null;
  const marker = JSON.parse(readFileSync(path, 'utf8')) as Partial<SwitchMarker>;
  const names = [marker.staging, marker.preRestore, marker.dbName, ...(marker.moveOut ?? []), ...(marker.moveIn ?? [])];
  // Only plain names inside the data folder: a hand-edited marker must not move files elsewhere.
  if (!Array.isArray(marker.moveOut) || !Array.isArray(marker.moveIn) || names.some((n) => typeof n !== 'string' || n === '' || /[\\/]|^\.\.?$/.test(n))) {
    throw new Error(`Файл «${path}» повреждён: переключение на восстановленную базу не завершено. Обратитесь к администратору: прежняя база — в папке pre-restore-…, восстановленная — в папке .restore-….`);
  }
  return marker as SwitchMarker;
}

export function hasPendingSwitch(dataDir: string): boolean {
  return existsSync(markerPath(dataDir));
}

/** Writes the marker that makes the switch resumable. The app's database must already be closed. */
export async function beginSwitch(dataDir: string, plan: SwitchPlan): Promise<void> {
  if (hasPendingSwitch(dataDir)) throw new Error('Предыдущее переключение на восстановленную базу не завершено: перезапустите программу, она завершит его.');
  const items = registerItems(plan.dbName);
  if (!existsSync(join(plan.staging, plan.dbName))) throw new Error('Восстановленная база не найдена в промежуточной папке: переключение не начато.');
  const marker: SwitchMarker = {
    staging: relativeName(dataDir, plan.staging),
    preRestore: relativeName(dataDir, plan.preRestore),
    dbName: plan.dbName,
    moveOut: items.filter((item) => existsSync(join(dataDir, item))),
    // The database goes in last: until it is in place, the old register is not half-replaced by it.
    moveIn: [...items.filter((item) => item !== plan.dbName), plan.dbName].filter((item) => existsSync(join(plan.staging, item))),
  };
  await writeDurably(markerPath(dataDir), async (tmp) => {
    writeFileSync(tmp, JSON.stringify(marker, null, 2), { mode: 0o600 });
  });
}

function relativeName(dataDir: string, folder: string): string {
  if (dirname(resolve(folder)) !== resolve(dataDir)) throw new Error(`Папка «${folder}» должна лежать прямо в папке данных «${dataDir}».`);
  return basename(folder);
}

function move(from: string, to: string, step: string, onStep: StepHook | undefined): void {
  renameSync(from, to);
  onStep?.(step);
}

/**
 * Finishes the switch the marker describes (all of it, or what a crash left), then removes the
 * marker. Returns the pre-restore folder, or null when no switch was pending.
 */
export async function completePendingSwitch(dataDir: string, onStep?: StepHook): Promise<{ preRestore: string } | null> {
  const marker = readMarker(dataDir);
  if (!marker) return null;
  const staging = join(dataDir, marker.staging);
  const preRestore = join(dataDir, marker.preRestore);
  mkdirSync(preRestore, { recursive: true, mode: 0o700 });
  syncFolder(dataDir);

  for (const item of marker.moveOut) {
    const live = join(dataDir, item);
    const kept = join(preRestore, item);
    // Already kept: what is in place now (if anything) is the restored item.
    if (existsSync(kept) || !existsSync(live)) continue;
    move(live, kept, `out:${item}`, onStep);
  }
  syncFolder(preRestore);
  syncFolder(dataDir);

  for (const item of marker.moveIn) {
    const staged = join(staging, item);
    const live = join(dataDir, item);
    if (!existsSync(staged)) continue;
    if (existsSync(live)) {
      throw new Error(`Переключение на восстановленную базу остановлено: «${live}» уже существует, а из промежуточной папки «${staged}» ещё не перенесено. Ничего не удалено; обратитесь к администратору.`);
    }
    move(staged, live, `in:${item}`, onStep);
  }
  syncFolder(dataDir);

  // What is left in the staging folder is scratch of the restore (the register moved out of it).
  rmSync(staging, { recursive: true, force: true });
  rmSync(markerPath(dataDir), { force: true });
  syncFolder(dataDir);
  return { preRestore };
}

/**
 * Undoes a switch that failed in the running app (not a crash: an error thrown by a rename):
 * the restored items go back to the staging folder, the kept ones back into place, and the
 * marker is removed. Each step again checks where its item is.
 */
export function rollbackSwitch(dataDir: string): void {
  const marker = readMarker(dataDir);
  if (!marker) return;
  const staging = join(dataDir, marker.staging);
  const preRestore = join(dataDir, marker.preRestore);
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  for (const item of [...marker.moveIn].reverse()) {
    const staged = join(staging, item);
    const live = join(dataDir, item);
    // An item the old register also had is the restored one only once the old one was kept.
    const liveIsRestored = !marker.moveOut.includes(item) || existsSync(join(preRestore, item));
    if (liveIsRestored && existsSync(live) && !existsSync(staged)) renameSync(live, staged);
  }
  for (const item of marker.moveOut) {
    const kept = join(preRestore, item);
    const live = join(dataDir, item);
    if (existsSync(kept) && !existsSync(live)) renameSync(kept, live);
  }
  syncFolder(dataDir);
  if (existsSync(preRestore) && readdirSync(preRestore).length === 0) rmSync(preRestore, { recursive: true, force: true });
  rmSync(markerPath(dataDir), { force: true });
  syncFolder(dataDir);
}

/** Switches the data folder to the staged register; on a failure puts everything back as it was (and throws). */
export async function switchRegister(dataDir: string, plan: SwitchPlan, onStep?: StepHook): Promise<{ preRestore: string }> {
  await beginSwitch(dataDir, plan);
  try {
    const done = await completePendingSwitch(dataDir, onStep);
    return done ?? { preRestore: plan.preRestore };
  } catch (error) {
    rollbackSwitch(dataDir);
    throw error;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Staging folders left by a restore whose process died before the switch began: they hold a
 * copy of the register (personal data) that nothing will use. A pending switch keeps its own.
 */
export function removeStaleStaging(dataDir: string): void {
  if (!existsSync(dataDir) || hasPendingSwitch(dataDir)) return;
  for (const name of readdirSync(dataDir)) {
    const pid = Number(/^\.restore-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}
