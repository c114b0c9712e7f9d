import { sql, type Kysely } from 'kysely';

/**
 * The year close (issue 6): the administrator's decisions per pupil before the close, and what
 * the close did — so that «reopen» can undo it exactly.
 *
 * - year_decision: an explicit decision for a pupil (when it differs from, or confirms, what the
 *   final marks propose); subject_ids is a JSON array of the debt's subjects.
 * - year_close: one row per closed year: the next year it moved pupils into, and whether the
 *   close opened that year itself.
 * - year_close_row: every row the close created (orders, movement events, memberships, and in a
 *   year it opened: the year, its periods, holidays, classes, curriculum, groups).
 * - year_close_ending: every membership the close ended, with what it held before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('year_decision')
    .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id').onDelete('cascade'))
    .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('promoted','conditional','repeat','graduated')`))
    .addColumn('subject_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('year_decision_pk', ['year_id', 'pupil_id'])
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('year_close')
    .addColumn('year_id', 'integer', (c) => c.primaryKey().references('school_year.id'))
    .addColumn('next_year_id', 'integer', (c) => c.notNull().references('school_year.id'))
    .addColumn('next_year_created', 'integer', (c) => c.notNull().check(sql`next_year_created in (0,1)`))
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('snapshot_file', 'text')
    .addColumn('closed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('year_close_row')
    .addColumn('year_id', 'integer', (c) => c.notNull().references('year_close.year_id').onDelete('cascade'))
    .addColumn('table_name', 'text', (c) =>
      c
        .notNull()
        .check(sql`table_name in ('pupil_order','movement_event','class_membership','school_year','period','holiday','school_class','curriculum','study_group')`),
    )
    .addColumn('row_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('year_close_row_pk', ['year_id', 'table_name', 'row_id'])
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable('year_close_ending')
    .addColumn('year_id', 'integer', (c) => c.notNull().references('year_close.year_id').onDelete('cascade'))
    .addColumn('membership_id', 'integer', (c) => c.notNull().references('class_membership.id'))
    .addColumn('old_to_date', 'text')
    .addColumn('old_end_event_id', 'integer')
    .addPrimaryKeyConstraint('year_close_ending_pk', ['year_id', 'membership_id'])
    .modifyEnd(sql`strict`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('year_close_ending').execute();
  await db.schema.dropTable('year_close_row').execute();
  await db.schema.dropTable('year_close').execute();
  await db.schema.dropTable('year_decision').execute();
}
