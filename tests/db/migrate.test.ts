import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely, Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../db/connection';
import { DatabaseError } from '../../db/errors';
import { migrateToLatest } from '../../db/migrate';
import { MIGRATIONS, SCHEMA_VERSION as N } from '../../db/migrations/index';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-migrate-'));
  path = join(dir, 'r.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const extra: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('staff').addColumn('room', 'text').execute();
  },
};

async function migrateWith(migrations: Record<string, Migration>) {
  const opened = openDatabase(path);
  try {
    return await migrateToLatest(opened, new Date('2026-11-23T10:00:00Z'), migrations);
  } finally {
    await opened.close();
  }
}

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('the migrator', () => {
  it('migrates a new file without making a copy, and a second run does nothing', async () => {
    expect(await migrateWith({ ...MIGRATIONS })).toEqual({ from: 0, to: N, backupPath: null });
    expect(await migrateWith({ ...MIGRATIONS })).toEqual({ from: N, to: N, backupPath: null });
  });

  it('copies an existing file with the backup API before migrating it', async () => {
    await migrateWith({ ...MIGRATIONS });
    const raw = new BetterSqlite3(path);
    raw.prepare("insert into staff (last_name, first_name) values ('Сидорова', 'Мария')").run();
    raw.close();
    const outcome = await migrateWith({ ...MIGRATIONS, '999-test-room': extra });
    expect(outcome.from).toBe(N);
    expect(outcome.to).toBe(N + 1);
    expect(outcome.backupPath).not.toBeNull();
    expect(existsSync(outcome.backupPath!)).toBe(true);
    const copy = new BetterSqlite3(outcome.backupPath!, { readonly: true });
    const columns = copy.prepare('pragma table_info(staff)').all() as Array<{ name: string }>;
    expect(columns.map((c) => c.name)).not.toContain('room');
    expect(copy.prepare('select count(*) n from staff').get()).toEqual({ n: 1 });
    copy.close();
  });

  it('refuses a file from a newer version with a clear Russian message and leaves it untouched', async () => {
    await migrateWith({ ...MIGRATIONS, '999-test-room': extra });
    const before = digest(path);
    const attempt = migrateWith({ ...MIGRATIONS });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseError);
    await expect(attempt).rejects.toThrow(new RegExp(`более новой версией «Канцелярии».*версия схемы ${N + 1}.*до ${N}`));
    expect(digest(path)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('passes on the Russian reason a migration gives for refusing, with the copy it made', async () => {
    await migrateWith({ ...MIGRATIONS });
    const refusing = {
      up: () => Promise.reject(new Error('Журнал действий повреждён (запись № 3): обновление отменено.')),
    };
    const attempt = migrateWith({ ...MIGRATIONS, '999-refusing': refusing });
    await expect(attempt).rejects.toThrow(/шаг 999-refusing\).*копия до обновления: .*\.bak\. Журнал действий повреждён \(запись № 3\)/);
  });
});

describe('durable files', () => {
  it('leaves no temporary file behind, and no target when writing fails', async () => {
    const { writeDurably } = await import('../../db/durable-file');
    const { writeFileSync } = await import('node:fs');
    const target = join(dir, 'out.bin');
    await writeDurably(target, async (tmp) => writeFileSync(tmp, 'whole'));
    expect(readFileSync(target, 'utf8')).toBe('whole');
    const failing = join(dir, 'never.bin');
    await expect(
      writeDurably(failing, async (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(existsSync(failing)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
