import type { Kysely } from 'kysely';

/**
 * Indexes on the columns that point at a movement event (the membership it started or ended, the
 * event it cancels, its order) and at a membership (the close's record of those it ended). SQLite checks these foreign keys whenever an event is deleted — the reopen
 * of a year close deletes one event per pupil — and without an index each check read the whole
 * table: the reopen of a 3,000-pupil close spent two seconds on it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

const INDEXES = [
  { name: 'class_membership_start_event', table: 'class_membership', column: 'start_event_id' },
  { name: 'class_membership_end_event', table: 'class_membership', column: 'end_event_id' },
  { name: 'movement_event_cancels', table: 'movement_event', column: 'cancels_event_id' },
  { name: 'movement_event_order', table: 'movement_event', column: 'order_id' },
  // A membership deleted by the reopen is checked against the close's record of ended memberships.
  { name: 'year_close_ending_membership', table: 'year_close_ending', column: 'membership_id' },
] as const;

export async function up(db: AnyDb): Promise<void> {
  for (const index of INDEXES) await db.schema.createIndex(index.name).on(index.table).column(index.column).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const index of INDEXES) await db.schema.dropIndex(index.name).execute();
}
