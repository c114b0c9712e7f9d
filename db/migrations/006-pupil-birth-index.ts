import type { Kysely } from 'kysely';

/**
 * Pupils by birth date: the duplicate check of every admission (same ФИО and birth date,
 * main/contingent/pupils.ts findSamePerson) looks pupils up by it, once per pupil of an import.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('pupil_birth_date').on('pupil').column('birth_date').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('pupil_birth_date').execute();
}
