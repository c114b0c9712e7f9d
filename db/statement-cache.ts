import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The database as Kysely sees it, with prepared statements kept and reused.
 *
 * Kysely prepares every query afresh; for SQLite, compiling the statement often costs more than
 * running it (an import of a whole school's roster spent a quarter of its time in `prepare`).
 * Queries built by the same code produce the same SQL text with different parameters, so a small
 * cache keyed by the text takes nearly all of that cost away. better-sqlite3 re-prepares a cached
 * statement by itself when the schema changes (migrations), and the app never streams results,
 * so a statement is never busy when it is taken from the cache again.
 */
export function cachingDatabase(raw: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) {
        // Most recently used last: the first key is the one to drop when the cache is full.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close(): void {
      statements.clear();
      raw.close();
    },
  };
}
