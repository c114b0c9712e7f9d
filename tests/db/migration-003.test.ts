import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, type MigrationProvider } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { DatabaseError } from '../../db/errors';
import { migrateToLatest } from '../../db/migrate';
import { MIGRATIONS } from '../../db/migrations';
import { down } from '../../db/migrations/003-audit-erasure';
import { entryHash, entryHashV1, GENESIS_HASH, type ChainedFields } from '../../main/audit/chain';
import { verifyAudit } from '../../main/audit/log';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m003-'));
  opened = openDatabase(join(dir, 'm.db'));
  expect((await migrator().migrateTo('002-consents')).error).toBeUndefined();
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a log the way schema 002 did: chain version 1 over the payload texts. */
function writeV1Log(count: number): void {
  let prev = GENESIS_HASH;
  const insert = opened.raw.prepare(
    'insert into audit_log (at, user_id, user_login, method, action, entity, entity_id, before_json, after_json, details_json, prev_hash, hash) values (@at, @user_id, @user_login, @method, @action, @entity, @entity_id, @before_json, @after_json, @details_json, @prev_hash, @hash)',
  );
  for (let i = 1; i <= count; i += 1) {
    const f: ChainedFields = {
      at: `2026-01-0${i}T10:00:00.000Z`,
      user_id: null,
      user_login: 'admin',
      method: 'pupils.update',
      action: 'Изменение данных обучающегося',
      entity: 'pupil',
      entity_id: String(i),
      before_json: i === 1 ? null : JSON.stringify({ phone: `+7913000000${i}` }),
      after_json: JSON.stringify({ phone: `+7913111111${i}` }),
      details_json: null,
    };
    const hash = entryHashV1(prev, f);
    insert.run({ ...f, prev_hash: prev, hash });
    prev = hash;
  }
}

const rows = () => opened.raw.prepare('select * from audit_log order by id').all() as Array<ChainedFields & { id: number; prev_hash: string; hash: string }>;
const tableExists = (name: string) => opened.raw.prepare("select count(*) n from sqlite_master where type = 'table' and name = ?").get(name) as { n: number };

describe('migration 003: erasable audit payloads', () => {
  it('re-chains a verified log under version 2 and creates audit_erasure as STRICT', async () => {
    writeV1Log(4);
    const before = rows();
    const result = await migrator().migrateToLatest();
    expect(result.error).toBeUndefined();
    const after = rows();
    expect(after.map((r) => [r.id, r.after_json])).toEqual(before.map((r) => [r.id, r.after_json]));
    // Every hash changed, and each is the version-2 hash of its unchanged content.
    let prev = GENESIS_HASH;
    for (const [i, row] of after.entries()) {
      expect(row.hash).not.toBe(before[i]!.hash);
      expect(row.prev_hash).toBe(prev);
      expect(row.hash).toBe(entryHash(prev, row));
      prev = row.hash;
    }
    expect(await verifyAudit(opened.db)).toMatchObject({ ok: true, entries: 4, erased: 0, firstBroken: null });
    const sqlText = (opened.raw.prepare("select sql from sqlite_master where name = 'audit_erasure'").get() as { sql: string }).sql;
    expect(sqlText).toMatch(/\)\s*strict$/i);
    expect(() => opened.raw.prepare("insert into audit_erasure (entry_id, field, original_sha256, act_id) values (1, 'after_json', ?, 999)").run('a'.repeat(64))).toThrow(/FOREIGN KEY/);
    expect(() => opened.raw.prepare("insert into audit_erasure (entry_id, field, original_sha256, act_id) values (1, 'at', ?, 1)").run('a'.repeat(64))).toThrow(/CHECK/);
  });

  it('refuses a tampered log with a Russian message naming the entry, and changes nothing', async () => {
    writeV1Log(4);
    opened.raw.prepare("update audit_log set after_json = '{\"phone\":\"+79130000000\"}' where id = 3").run();
    const before = rows();
    const result = await migrator().migrateToLatest();
    expect(result.error).toBeInstanceOf(Error);
    expect((result.error as Error).message).toBe('Журнал действий повреждён (запись № 3): обновление отменено, файл не изменён. Восстановите базу из резервной копии.');
    expect(rows()).toEqual(before);
    expect(tableExists('audit_erasure')).toEqual({ n: 0 });
    const done = opened.raw.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>;
    expect(done.map((d) => d.name)).toEqual(['001-initial', '002-consents']);
  });

  it('refuses a log whose last entries were deleted', async () => {
    writeV1Log(4);
    opened.raw.prepare('delete from audit_log where id = 4').run();
    const result = await migrator().migrateToLatest();
    expect((result.error as Error).message).toMatch(/^Журнал действий повреждён \(запись № 4\)/);
    expect(tableExists('audit_erasure')).toEqual({ n: 0 });
  });

  it('through the app migrator: a broken log stops the update, the copy is kept and the file is unchanged', async () => {
    writeV1Log(3);
    opened.raw.prepare("update audit_log set user_login = 'someone' where id = 2").run();
    const before = rows();
    const attempt = migrateToLatest(opened, new Date('2026-11-23T10:00:00Z'));
    await expect(attempt).rejects.toBeInstanceOf(DatabaseError);
    await expect(attempt).rejects.toThrow(/003-audit-erasure.*копия до обновления/);
    expect(rows()).toEqual(before);
    expect(tableExists('audit_erasure')).toEqual({ n: 0 });
    expect(opened.raw.pragma('user_version', { simple: true })).toBe(0);
    const backups = (await import('node:fs')).readdirSync(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(existsSync(join(dir, backups[0]!))).toBe(true);
  });

  it('is reversible while nothing was erased, back to a valid version-1 chain', async () => {
    writeV1Log(3);
    const v1 = rows();
    await migrator().migrateTo('003-audit-erasure');
    expect(rows().map((r) => r.hash)).not.toEqual(v1.map((r) => r.hash));
    await down(opened.db);
    expect(rows()).toEqual(v1);
    expect(tableExists('audit_erasure')).toEqual({ n: 0 });
  });
});
