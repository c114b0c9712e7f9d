import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down, GUARDED_TABLES } from '../../db/migrations/008-closed-year-guard';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

const run = (statement: string, ...args: unknown[]) => opened.raw.prepare(statement).run(...args);
const guardTriggers = () =>
  (opened.raw.prepare("select name from sqlite_master where type = 'trigger' and name like '%_closed_year_%' order by name").all() as { name: string }[]).map((r) => r.name);

/**
 * Two years with one row in every guarded table each: 2025/2026 (ids 1) and 2026/2027 (ids 2).
 * Row ids are fixed so that statements below can name them.
 */
function seed(): void {
  run("insert into school_year (id, name, starts_on, ends_on) values (1, '2025/2026', '2025-09-01', '2026-05-31'), (2, '2026/2027', '2026-09-01', '2027-05-31')");
  run("insert into pupil (id, last_name, first_name, birth_date, gender, updated_at) values (1, 'Тестов', 'Тест', '2014-01-01', 'м', 'x')");
  run("insert into subject (id, name, short_name) values (1, 'Математика', 'Мат')");
  for (const y of [1, 2]) {
    const d = y === 1 ? '2025' : '2026';
    run(`insert into period (id, year_id, scheme, number, name, starts_on, ends_on) values (${y}, ${y}, 'quarters', 1, '1 четверть', '${d}-09-01', '${d}-10-24')`);
    run(`insert into holiday (id, year_id, name, starts_on, ends_on) values (${y}, ${y}, 'осенние', '${d}-10-25', '${d}-11-02')`);
    run(`insert into school_class (id, year_id, parallel, letter, period_scheme) values (${y}, ${y}, ${4 + y}, 'А', 'quarters')`);
    run(`insert into curriculum (id, class_id, subject_id, hours_per_week) values (${y}, ${y}, 1, 5)`);
    run(`insert into study_group (id, class_id, subject_id, name) values (${y}, ${y}, 1, 'гр. ${y}')`);
    run(`insert into group_member (group_id, pupil_id) values (${y}, 1)`);
    run(`insert into pupil_order (id, year_label, seq, number, order_date, kind, title) values (${y}, '${d}', 1, '1-у', '${d}-09-01', 'admission', 'О зачислении')`);
    run(`insert into movement_event (id, pupil_id, order_id, kind, event_date, to_class_id) values (${y}, 1, ${y}, 'admission', '${d}-09-01', ${y})`);
    run(`insert into class_membership (id, pupil_id, class_id, from_date, start_event_id) values (${y}, 1, ${y}, '${d}-09-01', ${y})`);
    run(`insert into lesson (id, class_id, subject_id, lesson_date, topic) values (${y}, ${y}, 1, '${d}-09-02', 'Тема')`);
    run(`insert into mark (id, lesson_id, pupil_id, value) values (${y}, ${y}, 1, '5')`);
    run(`insert into attendance (id, lesson_id, pupil_id, code) values (${y}, ${y}, 1, 'Н')`);
    run(`insert into final_mark (id, pupil_id, subject_id, year_id, kind, value) values (${y}, 1, 1, ${y}, 'year', '5')`);
    run(`insert into year_decision (year_id, pupil_id, decision, decided_at) values (${y}, 1, 'promoted', 'x')`);
    run(`insert into archive_volume (id, year_id, kind, class_id, volume_number, title, date_from, date_to, sheets, retention_years) values (${y}, ${y}, 'class_journal', ${y}, 'Т-${y}', 'Журнал', '${d}-09-01', '${d}-12-31', 10, 5)`);
  }
}

/** One statement per table and event that touches a row of year `y` (1 or 2). */
function writes(y: 1 | 2): Record<string, string[]> {
  const d = y === 1 ? '2025' : '2026';
  const n = y + 10;
  return {
    period: [
      `insert into period (year_id, scheme, number, name, starts_on, ends_on) values (${y}, 'quarters', 2, '2 четверть', '${d}-11-03', '${d}-12-26')`,
      `update period set name = 'I четверть' where id = ${y}`,
      `delete from period where id = ${y}`,
    ],
    holiday: [
      `insert into holiday (year_id, name, starts_on, ends_on) values (${y}, 'зимние', '${d}-12-29', '${d}-12-31')`,
      `update holiday set name = 'осенние каникулы' where id = ${y}`,
      `delete from holiday where id = ${y}`,
    ],
    school_class: [
      `insert into school_class (year_id, parallel, letter, period_scheme) values (${y}, 9, 'Б', 'quarters')`,
      `update school_class set period_scheme = 'halves' where id = ${y}`,
      // A class with rows pointing at it: the guard answers before the foreign key would.
      `delete from school_class where id = ${y}`,
    ],
    curriculum: [
      `insert into curriculum (class_id, subject_id, hours_per_week) values (${y}, 2, 1)`,
      `update curriculum set hours_per_week = 4 where id = ${y}`,
      `delete from curriculum where id = ${y}`,
    ],
    study_group: [
      `insert into study_group (class_id, subject_id, name) values (${y}, 1, 'гр. ${n}')`,
      `update study_group set name = 'группа' where id = ${y}`,
      `delete from study_group where id = ${y}`,
    ],
    group_member: [`insert into group_member (group_id, pupil_id) values (${y}, 2)`, `update group_member set pupil_id = 2 where group_id = ${y}`, `delete from group_member where group_id = ${y}`],
    class_membership: [
      `insert into class_membership (pupil_id, class_id, from_date) values (2, ${y}, '${d}-10-01')`,
      `update class_membership set to_date = '${d}-12-31' where id = ${y}`,
      `delete from class_membership where id = ${y}`,
    ],
    lesson: [
      `insert into lesson (class_id, subject_id, lesson_date, topic) values (${y}, 1, '${d}-09-03', 'Тема 2')`,
      `update lesson set topic = 'Новая тема' where id = ${y}`,
      `delete from lesson where id = ${y}`,
    ],
    mark: [`insert into mark (lesson_id, pupil_id, value) values (${y}, 1, '4')`, `update mark set value = '3' where id = ${y}`, `delete from mark where id = ${y}`],
    attendance: [`insert into attendance (lesson_id, pupil_id, code) values (${y}, 2, 'Б')`, `update attendance set code = 'У' where id = ${y}`, `delete from attendance where id = ${y}`],
    final_mark: [
      `insert into final_mark (pupil_id, subject_id, year_id, kind, value) values (1, 2, ${y}, 'year', '4')`,
      `update final_mark set value = '4' where id = ${y}`,
      `delete from final_mark where id = ${y}`,
    ],
    year_decision: [
      `insert into year_decision (year_id, pupil_id, decision, decided_at) values (${y}, 2, 'repeat', 'x')`,
      `update year_decision set decision = 'conditional' where year_id = ${y}`,
      `delete from year_decision where year_id = ${y}`,
    ],
    movement_event: [
      // Dated inside the year, without a class of it (a leaving records only where from).
      `insert into movement_event (pupil_id, kind, event_date) values (2, 'leave', '${d}-12-01')`,
      `update movement_event set place = 'школа № 2' where id = ${y}`,
      `delete from movement_event where id = ${y}`,
    ],
    pupil_order: [
      `insert into pupil_order (year_label, seq, number, order_date, kind, title) values ('${d}', 2, '2-у', '${d}-12-01', 'expulsion', 'Об отчислении')`,
      `update pupil_order set title = 'О зачислении в школу' where id = ${y}`,
      `delete from pupil_order where id = ${y}`,
    ],
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m008-'));
  opened = openDatabase(join(dir, 'm.db'));
  // Pinned to the schema its fixture rows are written for (011 rebuilt archive_volume).
  expect((await migrator().migrateTo('010-movement-links-index')).error).toBeUndefined();
  seed();
  run("insert into pupil (id, last_name, first_name, birth_date, gender, updated_at) values (2, 'Второв', 'Тест', '2014-02-02', 'м', 'x')");
  run("insert into subject (id, name, short_name) values (2, 'Физкультура', 'Физ')");
  // Foreign keys would refuse some deletes for their own reasons; the guard is what is tested.
  opened.raw.pragma('foreign_keys = OFF');
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a statement in a savepoint and undoes it, so that each one meets the seeded rows. */
function attempt(statement: string): string | null {
  run('savepoint attempt');
  try {
    run(statement);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    run('rollback to attempt');
    run('release attempt');
  }
}

describe('migration 008: the closed-year guard', () => {
  it('guards every year-bound table, for insert, update and delete', () => {
    expect(Object.keys(GUARDED_TABLES).sort()).toEqual(Object.keys(writes(1)).sort());
    expect(guardTriggers()).toHaveLength(Object.keys(GUARDED_TABLES).length * 3 + 2);
  });

  it('lets every write through while no year is closed', () => {
    for (const [table, statements] of Object.entries(writes(1))) for (const s of statements) expect(attempt(s), `${table}: ${s}`).toBeNull();
  });

  it('refuses every write into a closed year with closed_year:<table>, and leaves the open year writable', () => {
    run('update school_year set closed = 1, closed_at = ? where id = 1', '2026-06-10T10:00:00Z');
    for (const [table, statements] of Object.entries(writes(1))) {
      for (const s of statements) expect(attempt(s), `${table}: ${s}`).toBe(`closed_year:${table}`);
    }
    for (const [table, statements] of Object.entries(writes(2))) for (const s of statements) expect(attempt(s), `${table}: ${s}`).toBeNull();
  });

  it('refuses moving rows of an open year into a closed one, and movement from or to its classes', () => {
    run('update school_year set closed = 1 where id = 1');
    expect(attempt('update school_class set year_id = 1 where id = 2')).toBe('closed_year:school_class');
    expect(attempt('update lesson set class_id = 1 where id = 2')).toBe('closed_year:lesson');
    expect(attempt('update mark set lesson_id = 1 where id = 2')).toBe('closed_year:mark');
    // Dated after the closed year, but from its class (a leaving in the summer) or into it.
    expect(attempt("insert into movement_event (pupil_id, kind, event_date, from_class_id) values (1, 'leave', '2026-06-20', 1)")).toBe('closed_year:movement_event');
    expect(attempt("insert into movement_event (pupil_id, kind, event_date, to_class_id) values (2, 'admission', '2026-06-20', 1)")).toBe('closed_year:movement_event');
    expect(attempt("insert into movement_event (pupil_id, kind, event_date, to_class_id) values (2, 'admission', '2026-06-20', 2)")).toBeNull();
    expect(attempt("insert into pupil_order (year_label, seq, number, order_date, kind, title) values ('2025', 3, '3-у', '2026-06-20', 'admission', 'О зачислении')")).toBeNull();
  });

  it('keeps the closed year row itself read-only, except reopening it', () => {
    run('update school_year set closed = 1, closed_at = ? where id = 1', '2026-06-10T10:00:00Z');
    expect(attempt("update school_year set ends_on = '2026-06-30' where id = 1")).toBe('closed_year:school_year');
    expect(attempt("update school_year set closed = 0, name = '2025/2026 (2)' where id = 1")).toBe('closed_year:school_year');
    expect(attempt('delete from school_year where id = 1')).toBe('closed_year:school_year');
    // Archive volumes are sealed after the close: not guarded.
    expect(attempt("update archive_volume set status = 'sealed', sealed_at = 'x' where id = 1")).toBeNull();
    // Reopen: closed 1 → 0 (and its time cleared); then the year is writable again.
    expect(attempt('update school_year set closed = 0, closed_at = null where id = 1')).toBeNull();
    run('update school_year set closed = 0, closed_at = null where id = 1');
    for (const [table, statements] of Object.entries(writes(1))) for (const s of statements) expect(attempt(s), `${table}: ${s}`).toBeNull();
  });

  it('is reversible', async () => {
    run('update school_year set closed = 1 where id = 1');
    await down(opened.db);
    expect(guardTriggers()).toEqual([]);
    for (const [table, statements] of Object.entries(writes(1))) for (const s of statements) expect(attempt(s), `${table}: ${s}`).toBeNull();
    expect(attempt('delete from school_year where id = 1')).toBeNull();
  });
});
