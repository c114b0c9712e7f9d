import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/012-backup-key';

let dir: string;
let opened: OpenedDatabase;

const run = (text: string) => opened.raw.prepare(text).run();
const insert = (fingerprint: string, replacedAt: string | null) =>
  opened.raw
    .prepare("insert into backup_key (fingerprint, public_key, kdf_json, wrapped_private_key, created_at, replaced_at) values (?, 'pk', '{}', 'wrapped', '2026-01-01', ?)")
    .run(fingerprint, replacedAt);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m012-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 012: the backup key', () => {
  it('holds at most one current key (replaced ones as history), strict, and goes down cleanly', async () => {
    const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
    expect((await new Migrator({ db: opened.db, provider }).migrateToLatest()).error).toBeUndefined();
    expect((opened.raw.prepare("select sql from sqlite_master where name = 'backup_key'").get() as { sql: string }).sql).toMatch(/strict$/i);
    insert('a', null);
    expect(() => insert('b', null)).toThrow(/UNIQUE/);
    run("update backup_key set replaced_at = '2026-02-01' where fingerprint = 'a'");
    insert('b', null);
    expect(() => insert('b', '2026-03-01')).toThrow(/UNIQUE/);
    expect(opened.raw.prepare('select fingerprint, replaced_at from backup_key order by id').all()).toEqual([
      { fingerprint: 'a', replaced_at: '2026-02-01' },
      { fingerprint: 'b', replaced_at: null },
    ]);
    await down(opened.db);
    expect(opened.raw.prepare("select name from sqlite_master where name like 'backup_key%'").all()).toEqual([]);
  });
});
