import type { App } from '../app';

/**
 * After a destruction commits, copies the write-ahead log into the database file and truncates
 * it: older frames of the log would otherwise still hold the pages with the destroyed values
 * until SQLite happens to overwrite them. Best effort: when a reader (the CLI, another window)
 * holds the log, the next checkpoint finishes the job; nothing here can fail the destruction.
 */
export function wipeWriteAheadLog(app: App): void {
  // A macrotask runs after the dispatcher's transaction has committed (all of it is microtasks).
  setImmediate(() => {
    try {
      app.opened.raw.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // The connection may be closed or busy; SQLite checkpoints again on its own.
    }
  });
}
