import { sql, type Kysely } from 'kysely';

/**
 * What the last import wrote into each field of a record: the base of a three-way comparison
 * (app now / file now / last import), so that a field edited by hand since the last import is
 * never overwritten silently by the next one (formats.md, «Rules for every import»).
 * Holds personal values: destruction of a person's data deletes their rows here too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('import_baseline')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_baseline_pk', ['entity', 'entity_id', 'field'])
    .modifyEnd(sql`strict`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('import_baseline').execute();
}
