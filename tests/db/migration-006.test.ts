import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/006-pupil-birth-index';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

/** How SQLite would find the pupils born on a day: the plan's detail text. */
function planOfBirthLookup(): string {
  const rows = opened.raw.prepare("explain query plan select last_name from pupil where birth_date = '2015-04-01'").all() as { detail: string }[];
  return rows.map((r) => r.detail).join('; ');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m006-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 006: pupils by birth date', () => {
  it('lets the duplicate check of an admission find pupils by birth date through an index', async () => {
    const names = Object.keys(MIGRATIONS);
    const steps = migrator();
    expect((await steps.migrateTo(names[names.indexOf('006-pupil-birth-index') - 1]!)).error).toBeUndefined();
    expect(planOfBirthLookup()).toMatch(/^SCAN pupil/);
    expect((await steps.migrateToLatest()).error).toBeUndefined();
    expect(planOfBirthLookup()).toMatch(/USING (COVERING )?INDEX pupil_birth_date/);
  });

  it('is reversible', async () => {
    await migrator().migrateToLatest();
    await down(opened.db);
    expect(planOfBirthLookup()).toMatch(/^SCAN pupil/);
  });
});
