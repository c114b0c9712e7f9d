import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/002-consents';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m002-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

function columns(table: string): string[] {
  return (opened.raw.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration 002: structured consents and destruction acts', () => {
  it('keeps the text of a free-text template made before it as the purpose text', async () => {
    const steps = migrator();
    const first = await steps.migrateTo('001-initial');
    expect(first.error).toBeUndefined();
    opened.raw.prepare("insert into consent_template (purpose, version, title, body) values ('pupil_data', 1, 'Согласие', 'Старый текст согласия')").run();

    const second = await steps.migrateToLatest();
    expect(second.error).toBeUndefined();
    const row = opened.raw.prepare('select purpose_text, data_list, processor_text from consent_template').get() as Record<string, unknown>;
    expect(row).toEqual({ purpose_text: 'Старый текст согласия', data_list: '', processor_text: null });
  });

  it('adds the destruction deadline, the act and the destroyed marks, and refuses an act without a subject', async () => {
    await migrator().migrateToLatest();
    expect(columns('consent')).toEqual(expect.arrayContaining(['destroy_due', 'destruction_act_id', 'scan_name', 'note', 'recorded_by']));
    expect(columns('pupil')).toContain('data_destroyed_at');
    expect(columns('guardian')).toContain('data_destroyed_at');
    const sqlText = (opened.raw.prepare("select sql from sqlite_master where name = 'destruction_act'").get() as { sql: string }).sql;
    expect(sqlText).toMatch(/\)\s*strict$/i);
    expect(() =>
      opened.raw
        .prepare(
          "insert into destruction_act (number, act_date, subject_kind, subject_label, categories, reason, method, information_system, log_export_json, log_export_sha256, keep_until) values ('1', '2026-01-01', 'pupil', 'X', 'c', 'r', 'm', 'i', '[]', 'h', '2029-01-01')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('is reversible', async () => {
    await migrator().migrateToLatest();
    await down(opened.db);
    expect(columns('consent')).not.toContain('destroy_due');
    expect(columns('pupil')).not.toContain('data_destroyed_at');
    expect(columns('consent_template')).not.toContain('purpose_text');
    expect(opened.raw.prepare("select count(*) n from sqlite_master where name = 'destruction_act'").get()).toEqual({ n: 0 });
  });
});
