import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/007-year-close';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

const tables = () => (opened.raw.prepare("select name from sqlite_master where type = 'table' and name like 'year_%' order by name").all() as { name: string }[]).map((r) => r.name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m007-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 007: year close', () => {
  it('keeps decisions only of the four kinds, and what the close made, by table', async () => {
    expect((await migrator().migrateTo('007-year-close')).error).toBeUndefined();
    expect(tables()).toEqual(['year_close', 'year_close_ending', 'year_close_row', 'year_decision']);
    opened.raw.prepare("insert into school_year (name, starts_on, ends_on) values ('2025/2026', '2025-09-01', '2026-05-31')").run();
    opened.raw.prepare("insert into pupil (last_name, first_name, birth_date, gender, updated_at) values ('Тестов', 'Тест', '2015-01-01', 'м', 'x')").run();
    opened.raw.prepare("insert into year_decision (year_id, pupil_id, decision, decided_at) values (1, 1, 'repeat', 'x')").run();
    expect(opened.raw.prepare('select subject_ids from year_decision').get()).toEqual({ subject_ids: '[]' });
    expect(() => opened.raw.prepare("insert into year_decision (year_id, pupil_id, decision, decided_at) values (1, 1, 'expelled', 'x')").run()).toThrow(/CHECK/);
    opened.raw.prepare("insert into year_close (year_id, next_year_id, next_year_created, order_date, closed_at) values (1, 1, 0, '2026-05-29', 'x')").run();
    expect(() => opened.raw.prepare("insert into year_close_row (year_id, table_name, row_id) values (1, 'pupil', 1)").run()).toThrow(/CHECK/);
  });

  it('is reversible', async () => {
    await migrator().migrateTo('007-year-close');
    await down(opened.db);
    expect(tables()).toEqual([]);
  });
});
