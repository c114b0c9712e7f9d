import { sql, type Kysely } from 'kysely';

/**
 * Access codes the year close revoked (issue 6): graduates leave the school at the close, so
 * their codes to the e-journal — and those of guardians left with no child in the school —
 * stop working, as on any leaving. Each revoked code is kept here with what it held before, so
 * that «reopen» gives it back exactly (status, revoked_at, revoke_reason).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('year_close_code')
    .addColumn('year_id', 'integer', (c) => c.notNull().references('year_close.year_id').onDelete('cascade'))
    .addColumn('code_id', 'integer', (c) => c.notNull().references('access_code.id'))
    .addColumn('old_status', 'text', (c) => c.notNull().check(sql`old_status in ('new','issued')`))
    .addColumn('old_revoked_at', 'text')
    .addColumn('old_revoke_reason', 'text')
    .addPrimaryKeyConstraint('year_close_code_pk', ['year_id', 'code_id'])
    .modifyEnd(sql`strict`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('year_close_code').execute();
}
