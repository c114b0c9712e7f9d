import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/010-movement-links-index';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

/** How SQLite finds the rows that point at an event: the plans' detail texts. */
function plans(): string[] {
  return [
    'select id from class_membership where start_event_id = 1',
    'select id from class_membership where end_event_id = 1',
    'select id from movement_event where cancels_event_id = 1',
    'select id from movement_event where order_id = 1',
    'select year_id from year_close_ending where membership_id = 1',
  ].map((q) => (opened.raw.prepare(`explain query plan ${q}`).all() as { detail: string }[]).map((r) => r.detail).join('; '));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m010-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 010: what points at a movement event is indexed', () => {
  it('lets the foreign-key checks of a deleted event search instead of scanning', async () => {
    const names = Object.keys(MIGRATIONS);
    const steps = migrator();
    expect((await steps.migrateTo(names[names.indexOf('010-movement-links-index') - 1]!)).error).toBeUndefined();
    for (const plan of plans()) expect(plan).toMatch(/^SCAN /);
    expect((await steps.migrateToLatest()).error).toBeUndefined();
    for (const plan of plans()) expect(plan).toMatch(/^SEARCH .* USING (COVERING )?INDEX /);
  });

  it('is reversible', async () => {
    await migrator().migrateToLatest();
    await down(opened.db);
    for (const plan of plans()) expect(plan).toMatch(/^SCAN /);
  });
});
