import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/009-year-close-codes';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

const tables = () => (opened.raw.prepare("select name from sqlite_master where type = 'table' and name like 'year_%' order by name").all() as { name: string }[]).map((r) => r.name);
const run = (text: string) => opened.raw.prepare(text).run();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m009-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 009: access codes the year close revoked', () => {
  it('keeps each revoked code once per close with what it held, only from an active state, and goes with the close record', async () => {
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    expect(tables()).toEqual(['year_close', 'year_close_code', 'year_close_ending', 'year_close_row', 'year_decision']);
    expect((opened.raw.prepare("select sql from sqlite_master where name = 'year_close_code'").get() as { sql: string }).sql).toMatch(/strict$/i);
    run("insert into school_year (name, starts_on, ends_on) values ('2025/2026', '2025-09-01', '2026-05-31')");
    run("insert into school_year (name, starts_on, ends_on) values ('2026/2027', '2026-09-01', '2027-05-31')");
    run("insert into pupil (last_name, first_name, birth_date, gender, updated_at) values ('Тестов', 'Тест', '2010-01-01', 'м', 'x')");
    run("insert into access_code (holder_kind, pupil_id, code_secret, status, imported_at) values ('pupil', 1, 'TESTCODE1', 'revoked', 'x')");
    run("insert into year_close (year_id, next_year_id, next_year_created, order_date, closed_at) values (1, 2, 1, '2026-05-29', 'x')");

    run("insert into year_close_code (year_id, code_id, old_status) values (1, 1, 'issued')");
    expect(opened.raw.prepare('select * from year_close_code').get()).toEqual({ year_id: 1, code_id: 1, old_status: 'issued', old_revoked_at: null, old_revoke_reason: null });
    expect(() => run("insert into year_close_code (year_id, code_id, old_status) values (1, 1, 'new')")).toThrow(/UNIQUE|PRIMARY/);
    expect(() => run("insert into year_close_code (year_id, code_id, old_status) values (1, 2, 'new')")).toThrow(/FOREIGN KEY/);
    run("insert into access_code (holder_kind, pupil_id, code_secret, status, imported_at) values ('pupil', 1, 'TESTCODE2', 'revoked', 'x')");
    expect(() => run("insert into year_close_code (year_id, code_id, old_status) values (1, 2, 'revoked')")).toThrow(/CHECK/);
    expect(() => run("insert into year_close_code (year_id, code_id, old_status, old_revoked_at) values (1, 2, 'new', x'00')")).toThrow(/cannot store BLOB value in TEXT column/);

    run('delete from year_close where year_id = 1');
    expect(opened.raw.prepare('select count(*) as n from year_close_code').get()).toEqual({ n: 0 });
  });

  it('is reversible', async () => {
    await migrator().migrateToLatest();
    await down(opened.db);
    expect(tables()).toEqual(['year_close', 'year_close_ending', 'year_close_row', 'year_decision']);
  });

  it('goes down and up again through the migrator', async () => {
    await migrator().migrateToLatest();
    expect((await migrator().migrateTo('008-closed-year-guard')).error).toBeUndefined();
    expect(tables()).not.toContain('year_close_code');
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    expect(tables()).toContain('year_close_code');
  });
});
