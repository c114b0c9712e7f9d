import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { down } from '../../db/migrations/005-import-baseline';

let dir: string;
let opened: OpenedDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m005-'));
  opened = openDatabase(join(dir, 'm.db'));
  await migrateToLatest(opened);
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 005: the baseline of imported values', () => {
  it('keeps one value per record and field, typed strictly', () => {
    const insert = opened.raw.prepare("insert into import_baseline (entity, entity_id, field, value, profile, imported_at) values ('pupil', 1, 'phone', ?, 'roster', '2026-01-01T00:00:00Z')");
    insert.run('+79131234567');
    expect(() => insert.run('+79130000000')).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      opened.raw.prepare("insert into import_baseline (entity, entity_id, field, value, profile, imported_at) values ('pupil', 'x', 'phone', null, 'roster', 'now')").run(),
    ).toThrow(/datatype|INTEGER/i);
  });

  it('is reversible', async () => {
    await down(opened.db);
    expect(opened.raw.prepare("select count(*) n from sqlite_master where name = 'import_baseline'").get()).toEqual({ n: 0 });
  });
});
