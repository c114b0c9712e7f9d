import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from './errors';
import { cachingDatabase } from './statement-cache';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  path: string;
  raw: BetterSqlite3.Database;
  db: Db;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the register file with the pragmas every connection needs:
 * WAL for concurrent readers, foreign keys enforced, FULL sync so that a confirmed write
 * survives a power cut, and a busy timeout so that the CLI and the app can share the file.
 */
export function openDatabase(path: string): OpenedDatabase {
  // The folder holds children's personal data: readable by its owner only (where the OS has modes).
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(path);
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = FULL');
    // Deleted and overwritten content is zeroed on disk: personal data removed from the register
    // (an edited phone, destroyed data after a withdrawn consent) does not linger in free space.
    raw.pragma('secure_delete = ON');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new DatabaseError('not_a_database', `Файл «${path}» не является базой данных «Канцелярии».`);
    }
    if (code === 'SQLITE_BUSY') {
      throw new DatabaseError('locked', `База данных «${path}» занята другой программой. Закройте её и повторите.`);
    }
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
  return {
    path,
    raw,
    db,
    async close() {
      // Kysely's destroy closes the better-sqlite3 handle too.
      await db.destroy();
    },
  };
}
