import { sql, type Kysely } from 'kysely';

/**
 * Consents as separate structured documents and the destruction of personal data.
 *
 * - consent_template gets the parts of ст. 9 ч. 4 152-ФЗ that the school words itself (purpose,
 *   list of data, actions and methods, processor, term and how to withdraw) and, for the
 *   distribution consent (ст. 10.1), the categories the family chooses one by one. The parts
 *   filled from the register (subject, representative, operator) are not text: the printed form
 *   takes them from the pupil, guardian and school cards. Legacy free-text templates keep their
 *   text in purpose_text.
 * - consent rows stay decisions in time (given / refused / withdrawn); a withdrawal carries its
 *   destruction deadline, the act that destroyed the data, who recorded it and the scan's name.
 * - destruction_act records each act (приказ Роскомнадзора № 179) with the export of the event
 *   log for that person, kept 3 years.
 * - pupil and guardian remember when their personal data was destroyed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const templateText = ['purpose_text', 'data_list', 'actions_text', 'term_text'] as const;
  for (const column of templateText) {
    await db.schema.alterTable('consent_template').addColumn(column, 'text', (c) => c.notNull().defaultTo('')).execute();
  }
  await db.schema.alterTable('consent_template').addColumn('processor_text', 'text').execute();
  await db.schema.alterTable('consent_template').addColumn('categories_json', 'text').execute();
  await sql`update consent_template set purpose_text = body where purpose_text = ''`.execute(db);

  await db.schema
    .createTable('destruction_act')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('act_date', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('pupil','guardian')`))
    .addColumn('pupil_id', 'integer', (c) => c.references('pupil.id'))
    .addColumn('guardian_id', 'integer', (c) => c.references('guardian.id'))
    /** Whose data: the name stays in the act, which is itself kept 3 years. */
    .addColumn('subject_label', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('information_system', 'text', (c) => c.notNull())
    .addColumn('commission_json', 'text')
    .addColumn('log_export_json', 'text', (c) => c.notNull())
    .addColumn('log_export_sha256', 'text', (c) => c.notNull())
    .addColumn('keep_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addCheckConstraint('destruction_act_subject', sql`pupil_id is not null or guardian_id is not null`)
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema.alterTable('consent').addColumn('destroy_due', 'text').execute();
  await db.schema.alterTable('consent').addColumn('destruction_act_id', 'integer', (c) => c.references('destruction_act.id')).execute();
  await db.schema.alterTable('consent').addColumn('scan_name', 'text').execute();
  await db.schema.alterTable('consent').addColumn('note', 'text').execute();
  await db.schema.alterTable('consent').addColumn('recorded_by', 'integer', (c) => c.references('app_user.id')).execute();
  await db.schema.createIndex('consent_destroy_due').on('consent').column('destroy_due').where(sql.ref('destroy_due'), 'is not', null).execute();

  await db.schema.alterTable('pupil').addColumn('data_destroyed_at', 'text').execute();
  await db.schema.alterTable('guardian').addColumn('data_destroyed_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('guardian').dropColumn('data_destroyed_at').execute();
  await db.schema.alterTable('pupil').dropColumn('data_destroyed_at').execute();
  await db.schema.dropIndex('consent_destroy_due').execute();
  for (const column of ['recorded_by', 'note', 'scan_name', 'destruction_act_id', 'destroy_due']) {
    await db.schema.alterTable('consent').dropColumn(column).execute();
  }
  await db.schema.dropTable('destruction_act').execute();
  for (const column of ['categories_json', 'processor_text', 'term_text', 'actions_text', 'data_list', 'purpose_text']) {
    await db.schema.alterTable('consent_template').dropColumn(column).execute();
  }
}
