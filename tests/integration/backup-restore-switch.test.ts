import BetterSqlite3 from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { asFromNewerSchema } from '../support/backup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../common/api/contract';
import { createApp } from '../../main/app';
import { restoreBackup } from '../../main/backup/restore';
import { beginSwitch, completePendingSwitch, rollbackSwitch, SWITCH_MARKER, switchRegister } from '../../main/backup/switch';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { dataDigest, dumpDataTables } from '../support/data-tables';

/**
 * Restore in the app, through the dispatcher: the backups of the configured folders listed, one
 * checked with its passphrase (what it holds), restored into a new file and switched to — the
 * data equal the backup's, the replaced register kept whole in the pre-restore folder, everyone
 * signed out, the restored register's audit log saying where the old one went. A wrong
 * passphrase changes nothing. And a switch cut short after any of its renames (a crash) is
 * finished at the next start, with nothing lost.
 */

const PASSPHRASE = 'длинная-фраза-для-копий';
/** Not data of the register: the backup history is written after the snapshot was taken. */
const AFTER_SNAPSHOT = ['backup'];
const ARCHIVE_PDF = ['2025-2026', 'тест.pdf'] as const;

let t: TestApp & { adminSession: string };
let usb: string;
let backupFile: string;
let atBackup: Record<string, string[]>;

function dump(path: string): Record<string, string[]> {
  const raw = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return dumpDataTables(raw, AFTER_SNAPSHOT);
  } finally {
    raw.close();
  }
}

function digest(path: string): string {
  const raw = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return dataDigest(raw).sha256;
  } finally {
    raw.close();
  }
}

/** Everything in the data folder but the database's own files: no staging or pre-restore folder left behind. */
function extraEntries(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.restore-') || n.startsWith('pre-restore-') || n === SWITCH_MARKER);
}

beforeAll(async () => {
  t = await openInitializedApp();
  await t.call('demo.generate', { pupils: 30, seed: 7, year: '2025/2026' }, t.adminSession);
  await t.call('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true }, t.adminSession);
  // A sealed archive file beside the register: the restore must bring it back too.
  mkdirSync(join(t.dir, 'archive', ARCHIVE_PDF[0]), { recursive: true });
  writeFileSync(join(t.dir, 'archive', ...ARCHIVE_PDF), '%PDF-1.7 архивное дело');
  usb = join(t.dir, '..', `${basename(t.dir)}-usb`);
  mkdirSync(usb);
  await t.call('settings.update', { backupTargets: [usb, join(usb, 'нет-такой')] }, t.adminSession);
  atBackup = dump(t.dbPath);
  const run = await t.call('backup.run', { targets: [usb] }, t.adminSession);
  expect(run.targets[0]!.ok, run.targets[0]!.error ?? '').toBe(true);
  backupFile = run.targets[0]!.file!;
}, 180_000);

afterAll(async () => {
  await t.close();
  rmSync(usb, { recursive: true, force: true });
});

describe('backup.candidates and backup.inspect', () => {
  it('lists the backups of the configured folders and reports a missing folder without failing', async () => {
    const list = await t.call('backup.candidates', {}, t.adminSession);
    expect(list.backups.map((b) => b.file)).toEqual([backupFile]);
    expect(list.backups[0]).toMatchObject({ folder: usb, newer: false });
    expect(list.folders.find((f) => f.folder === usb)?.error).toBeNull();
    expect(list.folders.find((f) => f.folder !== usb)?.error).toContain('не найдена');
  });

  it('a wrong passphrase: a clear Russian message, the header still shown, audited without the passphrase', async () => {
    const wrong = 'совсем-не-та-фраза';
    const result = await t.call('backup.inspect', { file: backupFile, passphrase: wrong }, t.adminSession);
    expect(result.ok).toBe(false);
    expect(result.error).toContain('Неверная парольная фраза');
    expect(result.createdAt).not.toBeNull();
    expect(result.counts).toEqual({});
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'backup.inspect').execute();
    expect(JSON.stringify(audit)).not.toContain(wrong);
  });

  it('the right passphrase: what the copy holds', async () => {
    const result = await t.call('backup.inspect', { file: backupFile, passphrase: PASSPHRASE }, t.adminSession);
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.counts.pupil).toBe(30);
    expect(result.archiveFiles).toBe(1);
    expect(result.files).toBeGreaterThan(result.archiveFiles);
    expect(result.newer).toBe(false);
  });

  it('a file that is not a backup is named as such', async () => {
    const junk = join(usb, 'junk.sobak');
    writeFileSync(junk, 'not a backup at all');
    const result = await t.call('backup.inspect', { file: junk, passphrase: PASSPHRASE }, t.adminSession);
    expect(result.ok).toBe(false);
    expect(result.error).toContain('не прошла проверку');
    rmSync(junk);
  });
});

describe('backup.restore', () => {
  it('needs «Я понимаю»', async () => {
    const error = await t.refuse('backup.restore', { file: backupFile, passphrase: PASSPHRASE }, t.adminSession);
    expect(error.code).toBe('invalid_params');
    expect(error.message).toContain('understood');
  });

  it('refused while another job runs, and no job starts while a restore runs', async () => {
    let release = () => undefined as void;
    const blocker = t.app.jobs.run('blocker', () => new Promise<void>((resolve) => (release = resolve)));
    const error = await t.refuse('backup.restore', { file: backupFile, passphrase: PASSPHRASE, understood: true }, t.adminSession);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('другая длительная операция');
    release();
    await blocker;
    expect(extraEntries(t.dir)).toEqual([]);

    let meanwhile: string | null = null;
    await t.app.jobs.runExclusive('restore-like', { busy: 'busy', meanwhile: 'идёт восстановление' }, async () => {
      const inspect = await t.refuse('backup.inspect', { file: backupFile, passphrase: PASSPHRASE }, t.adminSession);
      meanwhile = inspect.message;
    });
    expect(meanwhile).toBe('идёт восстановление');
  });

  it('a wrong passphrase changes nothing', async () => {
    await t.call('users.create', { login: 'posle.kopii', fullName: 'Петрова Мария Ивановна', role: 'secretary', password: 'secret-123' }, t.adminSession);
    const before = digest(t.dbPath);
    const error = await t.refuse('backup.restore', { file: backupFile, passphrase: 'совсем-не-та-фраза', understood: true }, t.adminSession);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('Неверная парольная фраза');
    expect(error.message).toContain('Текущие данные не изменены');
    expect(digest(t.dbPath)).toBe(before);
    expect(extraEntries(t.dir)).toEqual([]);
    // Still signed in: nothing was switched.
    await t.call('auth.me', {}, t.adminSession);
  });

  it('a switch that fails in the running app reopens the same register, everyone still signed in', async () => {
    const before = digest(t.dbPath);
    const staging = join(t.dir, `.restore-${process.pid}-failing`);
    await restoreBackup(backupFile, PASSPHRASE, join(staging, basename(t.dbPath)));
    const plan = { staging, preRestore: join(t.dir, 'pre-restore-failing'), dbName: basename(t.dbPath) };
    await expect(
      t.app.replaceDatabase(async () => {
        await switchRegister(t.dir, plan, (step) => {
          if (step === 'in:archive') throw new Error('носитель извлечён');
        });
      }),
    ).rejects.toThrow('носитель извлечён');
    expect(digest(t.dbPath)).toBe(before);
    expect(existsSync(join(t.dir, 'archive', ...ARCHIVE_PDF))).toBe(true);
    expect(dump(join(staging, basename(t.dbPath)))).toEqual(atBackup);
    await t.call('auth.me', {}, t.adminSession);
    rmSync(staging, { recursive: true, force: true });
    expect(extraEntries(t.dir)).toEqual([]);
  });

  it('a backup from a newer version: flagged in the list, refused with the message, nothing changed', async () => {
    const folder = join(usb, 'newer');
    mkdirSync(folder);
    const newer = join(folder, 'school-2030-01-01-000000.sobak');
    // What a newer program would have written.
    writeFileSync(newer, asFromNewerSchema(readFileSync(backupFile)));
    await t.call('settings.update', { backupTargets: [usb, folder] }, t.adminSession);

    const list = await t.call('backup.candidates', {}, t.adminSession);
    expect(list.backups.find((b) => b.file === newer)?.newer).toBe(true);
    const inspected = await t.call('backup.inspect', { file: newer, passphrase: PASSPHRASE }, t.adminSession);
    expect(inspected).toMatchObject({ ok: false, newer: true });
    expect(inspected.error).toContain('более новой версией программы');

    const before = digest(t.dbPath);
    const error = await t.refuse('backup.restore', { file: newer, passphrase: PASSPHRASE, understood: true }, t.adminSession);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('более новой версией программы');
    expect(digest(t.dbPath)).toBe(before);
    expect(extraEntries(t.dir)).toEqual([]);
    await t.call('auth.me', {}, t.adminSession);
  });

  it('restores the copy, keeps the current register aside and signs everyone out', async () => {
    const beforeRestore = dump(t.dbPath);
    expect(beforeRestore.app_user!.some((row) => row.includes('posle.kopii'))).toBe(true);
    const events: EventPayload<'backup.restored'>[] = [];
    const unsubscribe = t.app.events.subscribe((event, payload) => {
      if (event === 'backup.restored') events.push(payload);
    });
    const result = await t.call('backup.restore', { file: backupFile, passphrase: PASSPHRASE, understood: true }, t.adminSession);
    unsubscribe();

    // The data are the backup's.
    expect(dump(t.dbPath)).toEqual(atBackup);
    expect(readFileSync(join(t.dir, 'archive', ...ARCHIVE_PDF), 'utf8')).toBe('%PDF-1.7 архивное дело');
    expect(existsSync(join(t.dir, 'keys'))).toBe(true);
    // The register as it was is kept whole, with its keys and archive, and no SQLite side files left in place.
    expect(result.preRestore.startsWith(join(t.dir, 'pre-restore-'))).toBe(true);
    expect(dump(join(result.preRestore, basename(t.dbPath)))).toEqual(beforeRestore);
    expect(existsSync(join(result.preRestore, 'keys'))).toBe(true);
    expect(existsSync(join(result.preRestore, 'archive', ...ARCHIVE_PDF))).toBe(true);
    expect(extraEntries(t.dir)).toEqual([basename(result.preRestore)]);
    expect(existsSync(`${t.dbPath}-journal`)).toBe(false);
    expect(result.message).toContain('Данные восстановлены из копии от');
    expect(result.message).toContain(result.preRestore);
    const school = await t.app.db.selectFrom('school').select('name').executeTakeFirstOrThrow();
    expect(events).toEqual([{ message: result.message, createdAt: result.createdAt, preRestore: result.preRestore, schoolName: school.name }]);

    // Everyone signs in again; the restored register has its own users.
    const gone = await t.refuse('auth.me', {}, t.adminSession);
    expect(gone.code).toBe('no_session');
    const login = await t.call('auth.login', { login: ADMIN.login, password: ADMIN.password });
    const refused = await t.refuse('auth.login', { login: 'posle.kopii', password: 'secret-123' });
    expect(refused.code).toBe('bad_credentials');

    // The restored register's log says what happened, without the passphrase or personal data.
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'backup.restore').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details_json).toContain(result.preRestore);
    expect(audit[0]!.details_json).toContain(basename(backupFile));
    const text = JSON.stringify(audit);
    expect(text).not.toContain(PASSPHRASE);
    const surname = (await t.app.db.selectFrom('pupil').select('last_name').executeTakeFirstOrThrow()).last_name;
    expect(text).not.toContain(surname);
    // And the app works on it: a write lands in the restored file.
    await t.call('users.create', { login: 'novyi', fullName: 'Сидорова Ольга Павловна', role: 'secretary', password: 'secret-123' }, login.sessionId);
    expect(dump(t.dbPath).app_user!.some((row) => row.includes('novyi'))).toBe(true);
    t.adminSession = login.sessionId;
  });
});

describe('a switch cut short by a crash', () => {
  let template: string;
  let changed: Record<string, string[]>;
  const DB = 'school.db';

  beforeAll(async () => {
    // The register as it is now (after the restore above, plus a change): the one a crash must not lose.
    template = mkdtempSync(join(tmpdir(), 'school-office-crash-'));
    await t.call('users.create', { login: 'do.sboya', fullName: 'Кузнецова Ирина Олеговна', role: 'secretary', password: 'secret-123' }, t.adminSession);
    t.app.opened.raw.pragma('wal_checkpoint(TRUNCATE)');
    cpSync(t.dbPath, join(template, DB));
    cpSync(join(t.dir, 'keys'), join(template, 'keys'), { recursive: true });
    cpSync(join(t.dir, 'archive'), join(template, 'archive'), { recursive: true });
    changed = dump(join(template, DB));
  }, 60_000);

  afterAll(() => rmSync(template, { recursive: true, force: true }));

  /** A data folder with the register and a staged restore of the backup, the marker written: the moment before the first rename. */
  async function prepared(): Promise<{ dir: string; staging: string; preRestore: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'school-office-crash-'));
    cpSync(template, dir, { recursive: true });
    const staging = join(dir, `.restore-${process.pid}-test`);
    await restoreBackup(backupFile, PASSPHRASE, join(staging, DB));
    const preRestore = join(dir, 'pre-restore-test');
    await beginSwitch(dir, { staging, preRestore, dbName: DB });
    return { dir, staging, preRestore };
  }

  async function expectFinishedAtStart(dir: string, preRestore: string): Promise<void> {
    const app = await createApp({ dbPath: join(dir, DB) });
    try {
      expect(dump(join(dir, DB))).toEqual(atBackup);
      expect(readFileSync(join(dir, 'archive', ...ARCHIVE_PDF), 'utf8')).toBe('%PDF-1.7 архивное дело');
      const users = await app.db.selectFrom('app_user').select('login').execute();
      expect(users.map((u) => u.login)).not.toContain('do.sboya');
    } finally {
      await app.close();
    }
    expect(dump(join(preRestore, DB))).toEqual(changed);
    expect(existsSync(join(preRestore, 'keys'))).toBe(true);
    expect(existsSync(join(preRestore, 'archive', ...ARCHIVE_PDF))).toBe(true);
    expect(extraEntries(dir)).toEqual([basename(preRestore)]);
  }

  it('after the marker, before any rename', async () => {
    const { dir, preRestore } = await prepared();
    await expectFinishedAtStart(dir, preRestore);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a switch that fails in the running app is put back as it was, after any rename', async () => {
    for (let stop = 1; stop <= 6; stop += 1) {
      const { dir, staging } = await prepared();
      let steps = 0;
      await expect(
        completePendingSwitch(dir, () => {
          steps += 1;
          if (steps === stop) throw new Error('rename failed');
        }),
      ).rejects.toThrow('rename failed');
      rollbackSwitch(dir);
      expect(dump(join(dir, DB)), `stop ${stop}`).toEqual(changed);
      expect(existsSync(join(dir, 'archive', ...ARCHIVE_PDF))).toBe(true);
      expect(dump(join(staging, DB))).toEqual(atBackup);
      expect(existsSync(join(dir, SWITCH_MARKER))).toBe(false);
      expect(readdirSync(dir).filter((n) => n.startsWith('pre-restore-'))).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('after each rename of the switch', async () => {
    const crashed: string[] = [];
    for (let stop = 1; ; stop += 1) {
      const { dir, preRestore } = await prepared();
      let steps = 0;
      let at: string | null = null;
      try {
        await completePendingSwitch(dir, (step) => {
          steps += 1;
          if (steps === stop) {
            at = step;
            throw new Error('simulated crash');
          }
        });
      } catch (error) {
        expect((error as Error).message).toBe('simulated crash');
      }
      if (at === null) {
        rmSync(dir, { recursive: true, force: true });
        break;
      }
      crashed.push(at);
      expect(existsSync(join(dir, SWITCH_MARKER)), at).toBe(true);
      await expectFinishedAtStart(dir, preRestore);
      // Finishing again is harmless.
      expect(await completePendingSwitch(dir)).toBeNull();
      rmSync(dir, { recursive: true, force: true });
    }
    // The current register's three parts out (with SQLite's side files, when a reader left them), the restored three in, the database last.
    expect(crashed.filter((step) => !/-(wal|shm)$/.test(step))).toEqual(['out:school.db', 'out:keys', 'out:archive', 'in:keys', 'in:archive', 'in:school.db']);
  }, 180_000);
});
