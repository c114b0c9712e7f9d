import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Erasable audit payloads (chain version 2).
 *
 * Personal data destroyed after a withdrawn consent (ст. 21 ч. 5 152-ФЗ) must also leave the
 * event log, yet the log must stay verifiable. From now on an entry's hash covers the SHA-256
 * digests of its three payloads instead of their text; audit_erasure keeps the original digest
 * of every payload whose destroyed values were cut out, with the act of destruction that did it.
 *
 * The existing log is re-chained under version 2, but only after it has been verified under
 * version 1: re-chaining a tampered log would launder the tampering. A broken log stops the
 * update before anything is written (the migrator has also copied the file beforehand).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

interface LogRow {
  id: number;
  at: string;
  user_id: number | null;
  user_login: string | null;
  method: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  details_json: string | null;
  prev_hash: string;
  hash: string;
}

/*
 * The two chain formulas as they stand at this migration. They are copies of entryHashV1 and
 * entryHash in main/audit/chain.ts, frozen here because a migration must not change when the
 * app's code does (and db/ does not import main/); tests/db/migration-003.test.ts checks that
 * both agree with chain.ts.
 */
const GENESIS_HASH = '0'.repeat(64);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function entryHashV1(prev: string, r: LogRow): string {
  return sha256(JSON.stringify([prev, r.at, r.user_id, r.user_login, r.method, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.details_json]));
}

function entryHash(prev: string, r: LogRow): string {
  const digest = (text: string | null) => (text === null ? null : sha256(text));
  return sha256(JSON.stringify([prev, r.at, r.user_id, r.user_login, r.method, r.action, r.entity, r.entity_id, digest(r.before_json), digest(r.after_json), digest(r.details_json)]));
}

const PAGE = 5000;

async function page(db: AnyDb, afterId: number): Promise<LogRow[]> {
  return (await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(PAGE).execute()) as LogRow[];
}

function brokenLog(id: number): Error {
  return new Error(`Журнал действий повреждён (запись № ${id}): обновление отменено, файл не изменён. Восстановите базу из резервной копии.`);
}

/** Checks the whole log under the version-1 formula, including entries cut from its end. */
async function verifyV1(db: AnyDb): Promise<void> {
  let expectedPrev = GENESIS_HASH;
  let lastId = 0;
  for (;;) {
    const rows = await page(db, lastId);
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev || entryHashV1(row.prev_hash, row) !== row.hash) throw brokenLog(row.id);
      expectedPrev = row.hash;
      lastId = row.id;
    }
    if (rows.length < PAGE) break;
  }
  const seq = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'audit_log'`.execute(db);
  if ((seq.rows[0]?.seq ?? 0) > lastId) throw brokenLog(lastId + 1);
}

async function rechain(db: AnyDb): Promise<void> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  for (;;) {
    const rows = await page(db, lastId);
    for (const row of rows) {
      const hash = entryHash(prev, row);
      await db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', row.id).execute();
      prev = hash;
      lastId = row.id;
    }
    if (rows.length < PAGE) break;
  }
}

export async function up(db: AnyDb): Promise<void> {
  // Read-only check first: a broken log leaves the file exactly as it was.
  await verifyV1(db);
  // Kysely does not wrap SQLite migrations in a transaction: a savepoint makes this step whole.
  await sql`savepoint m003`.execute(db);
  try {
    await db.schema
      .createTable('audit_erasure')
      .addColumn('entry_id', 'integer', (c) => c.notNull().references('audit_log.id'))
      .addColumn('field', 'text', (c) => c.notNull().check(sql`field in ('before_json','after_json','details_json')`))
      .addColumn('original_sha256', 'text', (c) => c.notNull().check(sql`length(original_sha256) = 64`))
      .addColumn('act_id', 'integer', (c) => c.notNull().references('destruction_act.id'))
      .addPrimaryKeyConstraint('audit_erasure_pk', ['entry_id', 'field'])
      .modifyEnd(sql`strict`)
      .execute();
    await db.schema.createIndex('audit_erasure_act').on('audit_erasure').column('act_id').execute();
    await rechain(db);
    await sql`release m003`.execute(db);
  } catch (error) {
    await sql`rollback to m003`.execute(db);
    await sql`release m003`.execute(db);
    throw error;
  }
}

/** Back to version 1; refused once payloads were erased, since their text cannot come back. */
export async function down(db: AnyDb): Promise<void> {
  const erased = await sql<{ n: number }>`select count(*) as n from audit_erasure`.execute(db);
  if ((erased.rows[0]?.n ?? 0) > 0) {
    throw new Error('В журнале действий уже стёрты уничтоженные данные: вернуть прежнюю версию журнала нельзя.');
  }
  let prev = GENESIS_HASH;
  let lastId = 0;
  for (;;) {
    const rows = await page(db, lastId);
    for (const row of rows) {
      const hash = entryHashV1(prev, row);
      await db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', row.id).execute();
      prev = hash;
      lastId = row.id;
    }
    if (rows.length < PAGE) break;
  }
  await db.schema.dropTable('audit_erasure').execute();
}
