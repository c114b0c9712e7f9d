import { sql } from 'kysely';
import type { Db } from './connection';

/**
 * Runs `work` in one write transaction that holds the only connection until it ends.
 *
 * BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads first (the audit
 * chain reads the previous hash) can never fail half-way when another process (the CLI, a
 * second window) has written meanwhile: it waits for busy_timeout instead.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
