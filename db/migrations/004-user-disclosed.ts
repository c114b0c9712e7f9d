import type { Kysely } from 'kysely';

/**
 * Accounts whose credentials were disclosed: app_user.disclosed_since records the moment from
 * which the account's actions are treated as someone else's (ISO date-time, UTC). The account is
 * locked at the same time; the column lets the administrator come back to the list of its changes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('disclosed_since', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('disclosed_since').execute();
}
