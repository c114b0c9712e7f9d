import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { Migrator, NO_MIGRATIONS } from 'kysely';
import { MIGRATIONS, SCHEMA_VERSION } from '../../db/migrations';

const DOMAIN_TABLES = [
  'school', 'setting', 'app_user', 'audit_log', 'school_year', 'period', 'holiday', 'staff', 'school_class', 'subject',
  'curriculum', 'study_group', 'group_member', 'pupil', 'alphabet_counter', 'guardian', 'pupil_guardian', 'pupil_order',
  'movement_event', 'class_membership', 'consent_template', 'consent', 'access_code', 'lesson', 'mark', 'attendance',
  'final_mark', 'archive_volume', 'backup', 'external_ref',
];

let dir: string;
let opened: OpenedDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m001-'));
  opened = openDatabase(join(dir, 'm.db'));
  await migrateToLatest(opened);
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

function tableSql(name: string): string {
  const row = opened.raw.prepare("select sql from sqlite_master where type = 'table' and name = ?").get(name) as { sql: string } | undefined;
  return row?.sql ?? '';
}

describe('migration 001: the whole domain', () => {
  it('creates every domain table as STRICT', () => {
    for (const table of DOMAIN_TABLES) {
      expect(tableSql(table), table).toMatch(/\)\s*strict$/i);
    }
  });

  it('opens with WAL, enforced foreign keys, FULL sync, a busy timeout and secure delete', () => {
    expect(opened.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(opened.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(opened.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    // Removed personal data is zeroed on disk, not left in free pages.
    expect(opened.raw.pragma('secure_delete', { simple: true })).toBe(1);
    expect(opened.raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('refuses wrong types, broken references and impossible values', () => {
    const insertYear = opened.raw.prepare("insert into school_year (name, starts_on, ends_on) values ('2025/2026', '2025-09-01', '2026-05-26')");
    const yearId = Number(insertYear.run().lastInsertRowid);
    expect(() => opened.raw.prepare('insert into school_class (year_id, parallel, letter, period_scheme) values (?, ?, ?, ?)').run(yearId, 'пятый', 'А', 'quarters')).toThrow(/cannot store TEXT value in INTEGER/);
    expect(() => opened.raw.prepare('insert into school_class (year_id, parallel, letter, period_scheme) values (?, 12, ?, ?)').run(yearId, 'А', 'quarters')).toThrow(/CHECK/);
    expect(() => opened.raw.prepare('insert into school_class (year_id, parallel, letter, period_scheme) values (999, 5, ?, ?)').run('А', 'quarters')).toThrow(/FOREIGN KEY/);
    const pupil = opened.raw
      .prepare("insert into pupil (last_name, first_name, birth_date, gender, updated_at) values ('Тест', 'Тест', '2015-01-01', 'м', 'x')")
      .run();
    const subject = opened.raw.prepare("insert into subject (name, short_name) values ('Математика', 'Мат')").run();
    const finalMark = opened.raw.prepare("insert into final_mark (pupil_id, subject_id, year_id, kind, value) values (?, ?, ?, 'year', ?)");
    expect(() => finalMark.run(pupil.lastInsertRowid, subject.lastInsertRowid, yearId, '6')).toThrow(/CHECK/);
    finalMark.run(pupil.lastInsertRowid, subject.lastInsertRowid, yearId, 'осв');
    expect(() => finalMark.run(pupil.lastInsertRowid, subject.lastInsertRowid, yearId, '5')).toThrow(/UNIQUE/);
    expect(() => opened.raw.prepare("insert into school (id, name, updated_at) values (2, 'Вторая', 'x')").run()).toThrow(/CHECK/);
  });

  it('keeps alphabet-book entries unique per letter', () => {
    const insert = opened.raw.prepare(
      "insert into pupil (last_name, first_name, birth_date, gender, alphabet_letter, alphabet_number, updated_at) values (?, 'Имя', '2015-01-01', 'ж', 'К', 15, 'x')",
    );
    insert.run('Кузнецова');
    expect(() => insert.run('Козлова')).toThrow(/UNIQUE/);
  });

  it('is reversible', async () => {
    // Every later migration is undone first (they reference these tables), then 001 itself.
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } });
    expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
    for (const table of DOMAIN_TABLES) expect(tableSql(table), table).toBe('');
  });
});
