import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { OpenedDatabase } from './connection';
import { writeDurably } from './durable-file';
import { DatabaseError } from './errors';
import { MIGRATIONS } from './migrations/index';

export interface MigrationOutcome {
  from: number;
  to: number;
  /** The copy made before migrating an existing file, if any. */
  backupPath: string | null;
}


async function executedMigrationNames(opened: OpenedDatabase): Promise<string[]> {
  const exists = opened.raw
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
    .get();
  if (!exists) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(opened.db);
  return rows.rows.map((r) => r.name);
}

function backupName(path: string, version: number, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${path}.before-schema-${version}-${stamp}.bak`;
}

/**
 * Brings the file to this app's schema. A file from a newer app is refused untouched; an
 * existing file is first copied with SQLite's online backup, so a failed migration loses nothing.
 */
export async function migrateToLatest(
  opened: OpenedDatabase,
  now = new Date(),
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<MigrationOutcome> {
  const latest = Object.keys(migrations).length;
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  const userVersion = opened.raw.pragma('user_version', { simple: true }) as number;
  const executed = await executedMigrationNames(opened);
  const unknown = executed.filter((name) => !(name in migrations));
  if (unknown.length > 0 || userVersion > latest) {
    const theirs = Math.max(userVersion, executed.length);
    throw new DatabaseError(
      'newer_version',
      `Файл базы данных создан более новой версией «Канцелярии» (версия схемы ${theirs}, эта программа знает версии до ${latest}). ` +
        'Установите новую версию программы. Файл не изменён.',
    );
  }
  const from = executed.length;
  if (from === latest) return { from, to: from, backupPath: null };

  let backupPath: string | null = null;
  if (from > 0 && opened.path !== ':memory:') {
    backupPath = backupName(opened.path, from, now);
    await writeDurably(backupPath, async (tmp) => {
      await opened.raw.backup(tmp);
    });
  }

  const migrator = new Migrator({ db: opened.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'неизвестная';
    // A migration that refuses on purpose says why in Russian; pass that on to the user.
    const cause = error instanceof Error && /[А-Яа-яЁё]/.test(error.message) ? ` ${error.message}` : '';
    throw new DatabaseError(
      'migration_failed',
      `Не удалось обновить базу данных (шаг ${failed}). Данные не изменены` +
        (backupPath ? `; копия до обновления: ${backupPath}.` : '.') +
        cause,
    );
  }
  opened.raw.pragma(`user_version = ${latest}`);
  return { from, to: latest, backupPath };
}
