import { sql, type Kysely } from 'kysely';

/**
 * The closed-year guard (issue 6): once a school year is closed, SQLite itself refuses every
 * INSERT, UPDATE and DELETE of a row that belongs to it, whatever code path tries — so no
 * handler written later can change a closed year by forgetting a check. Each trigger raises
 * `closed_year:<table>`; the dispatcher turns that into a Russian refusal naming the year.
 *
 * The close marks the year closed as its last write and the reopen opens it as its first, so
 * neither needs a way around the guard. Archive volumes are not guarded: the journals of a
 * closed year are sealed after the close.
 *
 * Cost: while no year is closed, each WHEN clause stops at its first term (a scan of the few
 * school_year rows; SQLite short-circuits AND), so a row pays the trigger call and that scan:
 * ~0.3–0.4 µs. Measured on the 3,000-pupil demo school (~1.2 million rows): 4.3 s → 4.7 s.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

/** How a row (NEW or OLD) of a guarded table is found to belong to a closed year. */
type InClosedYear = (row: 'new' | 'old') => string;

const yearClosed = (yearId: string) => `exists (select 1 from school_year y where y.id = ${yearId} and y.closed = 1)`;
const classInClosedYear = (classId: string) =>
  `exists (select 1 from school_class c join school_year y on y.id = c.year_id where c.id = ${classId} and y.closed = 1)`;
const groupInClosedYear = (groupId: string) =>
  `exists (select 1 from study_group g join school_class c on c.id = g.class_id join school_year y on y.id = c.year_id where g.id = ${groupId} and y.closed = 1)`;
const lessonInClosedYear = (lessonId: string) =>
  `exists (select 1 from lesson l join school_class c on c.id = l.class_id join school_year y on y.id = c.year_id where l.id = ${lessonId} and y.closed = 1)`;
const dateInClosedYear = (date: string) => `exists (select 1 from school_year y where y.closed = 1 and ${date} between y.starts_on and y.ends_on)`;

/** Every guarded table but school_year, with its way to the year. */
export const GUARDED_TABLES: Readonly<Record<string, InClosedYear>> = {
  period: (r) => yearClosed(`${r}.year_id`),
  holiday: (r) => yearClosed(`${r}.year_id`),
  school_class: (r) => yearClosed(`${r}.year_id`),
  curriculum: (r) => classInClosedYear(`${r}.class_id`),
  study_group: (r) => classInClosedYear(`${r}.class_id`),
  group_member: (r) => groupInClosedYear(`${r}.group_id`),
  class_membership: (r) => classInClosedYear(`${r}.class_id`),
  lesson: (r) => classInClosedYear(`${r}.class_id`),
  mark: (r) => lessonInClosedYear(`${r}.lesson_id`),
  attendance: (r) => lessonInClosedYear(`${r}.lesson_id`),
  final_mark: (r) => yearClosed(`${r}.year_id`),
  year_decision: (r) => yearClosed(`${r}.year_id`),
  movement_event: (r) =>
    `(${dateInClosedYear(`${r}.event_date`)} or ${classInClosedYear(`${r}.from_class_id`)} or ${classInClosedYear(`${r}.to_class_id`)})`,
  pupil_order: (r) => dateInClosedYear(`${r}.order_date`),
};

/** Checked first: while no year is closed, SQLite stops here (AND short-circuits in WHEN). */
const ANY_YEAR_CLOSED = 'exists (select 1 from school_year where closed = 1)';

const EVENTS = ['insert', 'update', 'delete'] as const;

export const guardTriggerName = (table: string, event: (typeof EVENTS)[number]) => `${table}_closed_year_${event}`;

function whenClause(inClosedYear: InClosedYear, event: (typeof EVENTS)[number]): string {
  if (event === 'insert') return inClosedYear('new');
  if (event === 'delete') return inClosedYear('old');
  // An update may move a row into a closed year or out of it: both are refused.
  return `(${inClosedYear('old')} or ${inClosedYear('new')})`;
}

export async function up(db: AnyDb): Promise<void> {
  for (const [table, inClosedYear] of Object.entries(GUARDED_TABLES)) {
    for (const event of EVENTS) {
      await sql
        .raw(
          `create trigger ${guardTriggerName(table, event)} before ${event} on ${table} ` +
            `when ${ANY_YEAR_CLOSED} and ${whenClause(inClosedYear, event)} ` +
            `begin select raise(abort, 'closed_year:${table}'); end`,
        )
        .execute(db);
    }
  }
  // The year's own row: closing it (0 → 1) is allowed, and so is reopening (1 → 0) with nothing
  // else changed; anything else on a closed year is refused. A new year starts open.
  await sql
    .raw(
      `create trigger ${guardTriggerName('school_year', 'update')} before update on school_year ` +
        `when old.closed = 1 and not (new.closed = 0 and new.id is old.id and new.name is old.name ` +
        `and new.starts_on is old.starts_on and new.ends_on is old.ends_on) ` +
        `begin select raise(abort, 'closed_year:school_year'); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${guardTriggerName('school_year', 'delete')} before delete on school_year ` +
        `when old.closed = 1 begin select raise(abort, 'closed_year:school_year'); end`,
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql.raw(`drop trigger if exists ${guardTriggerName('school_year', 'delete')}`).execute(db);
  await sql.raw(`drop trigger if exists ${guardTriggerName('school_year', 'update')}`).execute(db);
  for (const table of Object.keys(GUARDED_TABLES)) {
    for (const event of EVENTS) await sql.raw(`drop trigger if exists ${guardTriggerName(table, event)}`).execute(db);
  }
}
