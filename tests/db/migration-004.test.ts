import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/004-user-disclosed';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

function columns(): string[] {
  return (opened.raw.prepare('pragma table_info(app_user)').all() as { name: string }[]).map((c) => c.name);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m004-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 004: disclosed accounts', () => {
  it('adds an empty disclosed_since to users made before it', async () => {
    const names = Object.keys(MIGRATIONS);
    const before = names[names.indexOf('004-user-disclosed') - 1]!;
    const steps = migrator();
    expect((await steps.migrateTo(before)).error).toBeUndefined();
    expect(columns()).not.toContain('disclosed_since');
    opened.raw.prepare("insert into app_user (login, full_name, role, password_hash) values ('petrova', 'Петрова Ольга', 'secretary', 'x')").run();

    expect((await steps.migrateToLatest()).error).toBeUndefined();
    expect(opened.raw.prepare('select login, disclosed_since from app_user').all()).toEqual([{ login: 'petrova', disclosed_since: null }]);
    opened.raw.prepare("update app_user set disclosed_since = '2026-03-12T09:00:00.000Z'").run();
    expect(opened.raw.prepare('select disclosed_since from app_user').get()).toEqual({ disclosed_since: '2026-03-12T09:00:00.000Z' });
  });

  it('is reversible', async () => {
    await migrator().migrateToLatest();
    await down(opened.db);
    expect(columns()).not.toContain('disclosed_since');
    expect(columns()).toContain('locked_at');
  });
});
