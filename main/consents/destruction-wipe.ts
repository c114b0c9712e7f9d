import type { App } from '../app';

/**
 * After a destruction commits, makes the destroyed values leave the file, not just the tables:
 * the write-ahead log is copied in and truncated (older frames still hold the old pages), and
 * VACUUM rebuilds the file, so free pages left by earlier edits (written before secure_delete was
 * on) cannot keep a copy either. Destruction acts are rare; a rebuild of a school's register
 * takes seconds. Backups made before the act still hold the data until rotated out.
 */
export function wipeDestroyedPages(app: App): void {
  const raw = app.opened.raw;
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.exec('VACUUM');
  raw.pragma('wal_checkpoint(TRUNCATE)');
}
