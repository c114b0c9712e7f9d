import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigrationProvider } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { MIGRATIONS } from '../../db/migrations';

let dir: string;
let opened: OpenedDatabase;

function migrator(): Migrator {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };
  return new Migrator({ db: opened.db, provider });
}
const run = (text: string) => opened.raw.prepare(text).run();
const get = (text: string) => opened.raw.prepare(text).get();
const HASH = 'a'.repeat(64);

function insertVolume(id: number, extra: { archiveNo?: string; version?: number; status?: string; classId?: number | null } = {}) {
  const classId = extra.classId === undefined ? 1 : extra.classId;
  run(
    `insert into archive_volume (id, archive_no, version, kind, year_id, class_id, title, date_from, date_to, pages, sheets, duplex, cover_counted,
      retention_years, destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at, status)
     values (${id}, '${extra.archiveNo ?? '2026-001'}', ${extra.version ?? 1}, 'class_journal', 1, ${classId === null ? 'null' : classId}, 'Журнал', '2025-09-01', '2026-05-31',
      10, 10, 0, 0, 5, '2031-12-31', 'f.pdf', '${HASH}', 'sig', 'fp1', 'x', '${extra.status ?? 'sealed'}')`,
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-m011-'));
  opened = openDatabase(join(dir, 'm.db'));
});
afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 011: the archive register', () => {
  it('keeps versions under one number, one current volume per document, and sealed rows immutable', async () => {
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    run("insert into school_year (name, starts_on, ends_on) values ('2025/2026', '2025-09-01', '2026-05-31')");
    run("insert into school_class (year_id, parallel, letter, period_scheme) values (1, 5, 'А', 'quarters')");
    run("insert into archive_key (fingerprint, public_key_pem, created_at) values ('fp1', 'pem', 'x')");

    insertVolume(1);
    // A second current volume of the same document is refused; a replaced one is history.
    expect(() => insertVolume(2, { version: 2 })).toThrow(/UNIQUE/);
    expect(() => insertVolume(2, { version: 1, status: 'replaced' })).toThrow(/UNIQUE/);
    run("update archive_volume set status = 'replaced' where id = 1");
    insertVolume(2, { version: 2 });
    run('update archive_volume set replaced_by = 2 where id = 1');
    expect(get('select status, replaced_by from archive_volume where id = 1')).toEqual({ status: 'replaced', replaced_by: 2 });

    // What was sealed never changes, a replaced volume never becomes current again, nothing is deleted.
    expect(() => run(`update archive_volume set sha256 = '${'b'.repeat(64)}' where id = 2`)).toThrow(/archive_volume_immutable/);
    expect(() => run('update archive_volume set sheets = 11 where id = 2')).toThrow(/archive_volume_immutable/);
    expect(() => run("update archive_volume set status = 'sealed' where id = 1")).toThrow(/archive_volume_immutable/);
    expect(() => run('delete from archive_volume where id = 1')).toThrow(/archive_volume_immutable/);
    run("update archive_volume set status = 'destroyed', destroyed_at = '2032-01-10', destruction_act = '№ 1 от 10.01.2032' where id = 1");
    expect(() => run("update archive_volume set destruction_act = 'другой' where id = 1")).toThrow(/archive_volume_immutable/);

    // A whole-school ledger (no class) is one document too.
    run(`insert into archive_volume (archive_no, kind, year_id, class_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years,
      destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at) values ('2026-002', 'final_marks_ledger', 1, null, 'Ведомость', 'a', 'b', 1, 1, 0, 0, 25, 'c', 'g.pdf', '${HASH}', 's', 'fp1', 'x')`);
    expect(() =>
      run(`insert into archive_volume (archive_no, kind, year_id, class_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years,
      destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at) values ('2026-003', 'final_marks_ledger', 1, null, 'Ведомость', 'a', 'b', 1, 1, 0, 0, 25, 'c', 'h.pdf', '${HASH}', 's', 'fp1', 'x')`),
    ).toThrow(/UNIQUE/);
    // The signing key must be registered; the hash is a SHA-256.
    expect(() => insertVolume(9, { archiveNo: '2026-009', classId: null })).not.toThrow();
    expect(() =>
      run(`insert into archive_volume (archive_no, kind, year_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years,
      destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at) values ('2026-010', 'movement_ledger', 1, 'В', 'a', 'b', 1, 1, 0, 0, 25, 'c', 'i.pdf', '${HASH}', 's', 'nokey', 'x')`),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      run(`insert into archive_volume (archive_no, kind, year_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years,
      destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at) values ('2026-011', 'movement_ledger', 1, 'В', 'a', 'b', 1, 1, 0, 0, 25, 'c', 'j.pdf', 'short', 's', 'fp1', 'x')`),
    ).toThrow(/CHECK/);
  });

  it('goes down to the placeholder table of 001 and up again', async () => {
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    expect((await migrator().migrateTo('010-movement-links-index')).error).toBeUndefined();
    const columns = (opened.raw.prepare("select name from pragma_table_info('archive_volume')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('volume_number');
    expect(get("select count(*) as n from sqlite_master where name in ('archive_key', 'archive_batch')")).toEqual({ n: 0 });
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    expect(get("select count(*) as n from sqlite_master where name in ('archive_key', 'archive_batch', 'archive_volume_immutable')")).toEqual({ n: 3 });
  });

  it('stops rather than drop rows of the old placeholder table', async () => {
    expect((await migrator().migrateTo('010-movement-links-index')).error).toBeUndefined();
    run("insert into archive_volume (kind, volume_number, title, date_from, date_to, sheets, retention_years) values ('other', 'Т-1', 'Дело', 'a', 'b', 1, 5)");
    const outcome = await migrator().migrateToLatest();
    expect(String(outcome.error)).toMatch(/прежнего формата/);
    expect(get('select count(*) as n from archive_volume')).toEqual({ n: 1 });
  });
});
