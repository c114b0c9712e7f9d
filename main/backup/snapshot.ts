import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeDurably } from '../../db/durable-file';

/** The folder next to the register where snapshots (copies taken before risky steps) live. */
export function snapshotsFolder(dbPath: string): string {
  return join(dirname(dbPath), 'snapshots');
}

/** «2026-06-01T10-15-30-123Z»: a moment usable in a file name on every OS. */
export function fileStamp(moment: Date): string {
  return moment.toISOString().replace(/[:.]/g, '-');
}

/**
 * Copies the register's last COMMITTED state into `<data dir>/snapshots/<name>`.
 *
 * A separate read-only connection runs `VACUUM INTO`: in WAL mode it reads the last committed
 * state, so a write transaction held open by the caller's own connection (the year close takes
 * its snapshot inside the dispatcher's transaction, before its writes) neither blocks it nor
 * leaks into it. The copy is written to a temporary file, fsynced and renamed, so a crash leaves
 * either no snapshot or a whole one. Returns the snapshot's path.
 */
export async function takeSnapshot(dbPath: string, fileName: string): Promise<string> {
  if (/[\\/]/.test(fileName) || fileName.startsWith('.')) throw new Error('имя снимка базы не должно содержать путь');
  const folder = snapshotsFolder(dbPath);
  // Snapshots hold children's personal data: the folder is its owner's only.
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, fileName);
  await writeDurably(target, async (tmp) => {
    rmSync(tmp, { force: true });
    vacuumInto(dbPath, tmp);
    if (process.platform !== 'win32') chmodSync(tmp, 0o600);
  });
  return target;
}

/**
 * Writes the register's last committed state into `file` (which must not exist) through a
 * separate read-only connection: in WAL mode it neither waits for nor sees a write transaction
 * that another connection holds open.
 */
export function vacuumInto(dbPath: string, file: string): void {
  const reader = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  try {
    reader.pragma('busy_timeout = 5000');
    reader.prepare('VACUUM INTO ?').run(file);
  } finally {
    reader.close();
  }
}
