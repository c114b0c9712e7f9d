import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInitializedApp, type TestApp } from '../support/app';
import { allBackupKeys } from '../../main/backup/key-store';
import { restoreBackup } from '../../main/backup/restore';
import { verifyBackup } from '../../main/backup/verify';

/**
 * Backups through the dispatcher (what the window calls): the backup key set up, changed and
 * replaced with Russian messages naming the field; `backup.run` needing no passphrase, refusing
 * without a key or targets; each target recorded in the backup history with an audit entry that
 * holds neither a passphrase nor personal data.
 */

const PASSPHRASE = 'длинная-фраза-для-копий';
const NEW_PASSPHRASE = 'новая-фраза-для-копий-2';
const LOST_REPLACEMENT = 'третья-фраза-после-утери';
const FOURTH = 'четвёртая-фраза-на-замену';
let t: TestApp & { adminSession: string };

beforeAll(async () => {
  t = await openInitializedApp();
  await t.call('demo.generate', { pupils: 30, seed: 4, year: '2025/2026' }, t.adminSession);
}, 120_000);
afterAll(async () => t.close());

function folder(name: string): string {
  const path = join(t.dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

describe('backup key and backup.run', () => {
  it('refuses a run before the passphrase is set up, pointing to where to set it, writing nothing', async () => {
    const target = folder('usb');
    expect(await t.call('backup.keyStatus', {}, t.adminSession)).toEqual({ configured: false, fingerprint: null, createdAt: null });
    const refused = await t.refuse('backup.run', { targets: [target] }, t.adminSession);
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain('Сначала задайте парольную фразу резервных копий: раздел «Резервные копии» → «Парольная фраза»');
    expect(readdirSync(target)).toEqual([]);
    expect(await t.app.db.selectFrom('backup').selectAll().execute()).toEqual([]);
  });

  it('validates the set-up with the field named: short, repeat differs, not confirmed', async () => {
    const short = await t.refuse('backup.setUpPassphrase', { passphrase: 'коротко', passphraseRepeat: 'коротко', understood: true }, t.adminSession);
    expect(short.code).toBe('invalid_params');
    expect(short.message).toContain('парольная фраза: не короче 8 символов');
    const differs = await t.refuse('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: `${PASSPHRASE}x`, understood: true }, t.adminSession);
    expect(differs.message).toContain('повтор парольной фразы: не совпадает');
    const unconfirmed = await t.refuse('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: false }, t.adminSession);
    expect(unconfirmed.message).toContain('подтверждение');
    expect(await allBackupKeys(t.app.db)).toEqual([]);
  });

  it('sets the key up once; a second set-up is refused', async () => {
    const key = await t.call('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true }, t.adminSession);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await t.call('backup.keyStatus', {}, t.adminSession)).toEqual({ configured: true, fingerprint: key.fingerprint, createdAt: key.createdAt });
    const again = await t.refuse('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true }, t.adminSession);
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('уже задана');
  });

  it('refuses a run with no targets given and none in the settings', async () => {
    const refused = await t.refuse('backup.run', {}, t.adminSession);
    expect(refused.message).toContain('Не задано ни одной папки для резервных копий');
  });

  it('writes a verified backup without a passphrase and one history row per target, audited without secrets', async () => {
    const good = folder('good');
    const missing = join(t.dir, 'missing');
    const result = await t.call('backup.run', { targets: [good, missing] }, t.adminSession);
    expect(result.targets.map((r) => r.ok)).toEqual([true, false]);
    expect(result.targets[1]!.error).toContain(`«${missing}»`);
    const verified = await verifyBackup(result.targets[0]!.file!, PASSPHRASE);
    expect(verified.manifest.counts.pupil).toBe(30);
    expect(verified.header.format).toBe(2);
    await expect(verifyBackup(result.targets[0]!.file!, 'не-та-фраза-совсем')).rejects.toThrow('неверная парольная фраза');

    const rows = await t.app.db.selectFrom('backup').select(['target', 'path', 'status', 'bytes', 'sha256', 'message', 'finished_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.target, r.status, r.path])).toEqual([
      [good, 'ok', result.targets[0]!.file],
      [missing, 'failed', null],
    ]);
    expect(rows[0]!.sha256).toBe(result.targets[0]!.sha256);
    expect(rows[1]!.message).toBe(result.targets[1]!.error);

    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'backup.run').execute();
    expect(audit.map((a) => [a.user_login, a.action])).toEqual([
      ['admin', 'Резервное копирование'],
      ['admin', 'Резервное копирование'],
    ]);
    const surname = (await t.app.db.selectFrom('pupil').select('last_name').executeTakeFirstOrThrow()).last_name;
    expect(JSON.stringify(audit)).not.toContain(surname);
  });

  it('runs one backup at a time: a second run while one is writing is refused, saying to wait; the first completes', async () => {
    const target = folder('one-at-a-time');
    const first = t.call('backup.run', { targets: [target] }, t.adminSession);
    const second = await t.refuse('backup.run', { targets: [target] }, t.adminSession);
    expect(second.code).toBe('refused');
    expect(second.message).toContain('Резервное копирование уже идёт');
    const done = await first;
    expect(done.targets.map((x) => x.ok)).toEqual([true]);
    expect(readdirSync(target).filter((n) => n.endsWith('.sobak'))).toHaveLength(1);
  });

  it('uses the settings’ targets by default; a passphrase given must open the key, else nothing is written', async () => {
    const a = folder('settings-a');
    await t.call('settings.update', { backupTargets: [a] }, t.adminSession);
    const wrong = await t.refuse('backup.run', { passphrase: 'не-та-фраза-совсем' }, t.adminSession);
    expect(wrong.code).toBe('invalid_params');
    expect(wrong.message).toContain('неверная парольная фраза');
    expect(readdirSync(a)).toEqual([]);
    const result = await t.call('backup.run', { passphrase: PASSPHRASE }, t.adminSession);
    expect(result.targets.map((r) => [r.path, r.ok])).toEqual([[a, true]]);
  });

  it('changes the passphrase: the same key; new backups open with the new one; older ones with the old one, or the new one given the register’s keys', async () => {
    const before = (await t.call('backup.run', { targets: [folder('change')] }, t.adminSession)).targets[0]!.file!;
    const wrong = await t.refuse('backup.changePassphrase', { currentPassphrase: 'не-та-фраза-совсем', newPassphrase: NEW_PASSPHRASE, newPassphraseRepeat: NEW_PASSPHRASE }, t.adminSession);
    expect(wrong.message).toContain('currentPassphrase: неверная парольная фраза');
    const differs = await t.refuse('backup.changePassphrase', { currentPassphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE, newPassphraseRepeat: PASSPHRASE }, t.adminSession);
    expect(differs.message).toContain('повтор новой парольной фразы: не совпадает');
    const status = await t.call('backup.keyStatus', {}, t.adminSession);
    const changed = await t.call('backup.changePassphrase', { currentPassphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE, newPassphraseRepeat: NEW_PASSPHRASE }, t.adminSession);
    expect(changed.fingerprint).toBe(status.fingerprint);
    const after = (await t.call('backup.run', { targets: [folder('change')] }, t.adminSession)).targets[0]!.file!;
    await expect(verifyBackup(after, NEW_PASSPHRASE)).resolves.toBeTruthy();
    await expect(verifyBackup(after, PASSPHRASE)).rejects.toThrow('неверная парольная фраза');
    await expect(verifyBackup(before, PASSPHRASE)).resolves.toBeTruthy();
    await expect(verifyBackup(before, NEW_PASSPHRASE)).rejects.toThrow('неверная парольная фраза');
    await expect(verifyBackup(before, NEW_PASSPHRASE, { keyRecords: await allBackupKeys(t.app.db) })).resolves.toBeTruthy();
  });

  it('replaces a lost key: a new pair; the message says older backups need the old passphrase', async () => {
    const old = await t.call('backup.keyStatus', {}, t.adminSession);
    const before = (await t.call('backup.run', { targets: [folder('replace')] }, t.adminSession)).targets[0]!.file!;
    const replaced = await t.call('backup.replaceKey', { passphrase: LOST_REPLACEMENT, passphraseRepeat: LOST_REPLACEMENT, understood: true }, t.adminSession);
    expect(replaced.fingerprint).not.toBe(old.fingerprint);
    expect(replaced.message).toContain('только прежней парольной фразой');
    const keys = await allBackupKeys(t.app.db);
    expect(keys.map((k) => k.fingerprint)).toEqual([replaced.fingerprint, old.fingerprint]);
    const after = (await t.call('backup.run', { targets: [folder('replace')] }, t.adminSession)).targets[0]!.file!;
    await expect(verifyBackup(after, LOST_REPLACEMENT)).resolves.toBeTruthy();
    await expect(verifyBackup(before, LOST_REPLACEMENT)).rejects.toThrow('неверная парольная фраза');
    await expect(verifyBackup(before, NEW_PASSPHRASE)).resolves.toBeTruthy();
  });

  it('takes the archive PDFs’ SHA-256 from the register; a PDF that does not match it is left out with a warning, the rest is backed up', async () => {
    const archive = join(t.dir, 'archive', '2025-2026');
    mkdirSync(archive, { recursive: true });
    const good = Buffer.alloc(50_000, 1);
    const bad = Buffer.alloc(40_000, 2);
    writeFileSync(join(archive, 'good.pdf'), good);
    writeFileSync(join(archive, 'bad.pdf'), bad);
    const raw = t.app.opened.raw;
    const year = (raw.prepare('select id from school_year order by id limit 1').get() as { id: number }).id;
    raw.prepare("insert into archive_key (fingerprint, public_key_pem, created_at) values ('f', 'pem', '2026-01-01')").run();
    const insert = raw.prepare(
      "insert into archive_volume (archive_no, version, kind, year_id, class_id, title, date_from, date_to, pages, sheets, duplex, cover_counted, retention_years, destroy_after, file_name, sha256, signature, key_fingerprint, sealed_at) values (?, 1, ?, ?, null, 't', '2025-09-01', '2026-05-31', 1, 1, 0, 0, 5, '2031-12-31', ?, ?, 's', 'f', '2026-06-01')",
    );
    insert.run('2026-901', 'attendance_ledger', year, '2025-2026/good.pdf', createHash('sha256').update(good).digest('hex'));
    // The register says the file is other than what lies on the disk (damaged since it was sealed).
    insert.run('2026-902', 'final_marks_ledger', year, '2025-2026/bad.pdf', createHash('sha256').update(Buffer.from('what was sealed')).digest('hex'));
    const target = folder('register-hashes');
    const result = await t.call('backup.run', { targets: [target] }, t.adminSession);
    expect(result.targets[0]!.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringContaining('Файл архива «archive/2025-2026/bad.pdf» не совпадает с описью архива (SHA-256) и в эту копию не вошёл')]);
    expect(readdirSync(join(target, 'archive', '2025-2026'))).toEqual(['good.pdf.sobak']);
    const verified = await verifyBackup(result.targets[0]!.file!, LOST_REPLACEMENT);
    expect(verified.manifest.entries.filter((e) => e.external).map((e) => e.name)).toEqual(['archive/2025-2026/good.pdf']);
  });

  it('after another key replacement, the archive object of the old key is kept aside: older backups still open whole with the old passphrase; rotation removes it with them', async () => {
    const target = join(t.dir, 'register-hashes');
    const older = readdirSync(target).find((n) => n.endsWith('.sobak'))!;
    const oldKey = await t.call('backup.keyStatus', {}, t.adminSession);
    await t.call('backup.replaceKey', { passphrase: FOURTH, passphraseRepeat: FOURTH, understood: true }, t.adminSession);
    const result = await t.call('backup.run', { targets: [target] }, t.adminSession);
    expect(result.targets[0]!.ok).toBe(true);
    const aside = `good.pdf.${oldKey.fingerprint!.slice(0, 16)}.sobak`;
    expect(readdirSync(join(target, 'archive', '2025-2026')).sort()).toEqual([aside, 'good.pdf.sobak']);
    await expect(verifyBackup(result.targets[0]!.file!, FOURTH)).resolves.toBeTruthy();
    const restored = join(t.dir, 'restored-older', 'school.db');
    const outcome = await restoreBackup(join(target, older), LOST_REPLACEMENT, restored);
    expect(outcome.files).toBeGreaterThan(1);
    expect(readFileSync(join(t.dir, 'restored-older', 'archive', '2025-2026', 'good.pdf')).equals(Buffer.alloc(50_000, 1))).toBe(true);
    // Rotation keeping only the newest: the older backup goes, and so does the object kept for it (once a day old).
    const dayAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(join(target, 'archive', '2025-2026', aside), dayAgo, dayAgo);
    const rotated = await t.call('backup.run', { targets: [target], keepLatest: 1, keepMonthly: 0 }, t.adminSession);
    expect(rotated.targets[0]!.removed).toBe(3);
    expect(readdirSync(join(target, 'archive', '2025-2026'))).toEqual(['good.pdf.sobak']);
    await expect(verifyBackup(rotated.targets[0]!.file!, FOURTH)).resolves.toBeTruthy();
  });

  it('keeps every passphrase out of the audit log and the register', async () => {
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', 'like', 'backup.%').execute();
    expect(audit.map((a) => a.method)).toEqual(expect.arrayContaining(['backup.setUpPassphrase', 'backup.changePassphrase', 'backup.replaceKey', 'backup.run']));
    const text = JSON.stringify(audit);
    // Refused calls are not audited; the successful ones carry redacted params only.
    for (const secret of [PASSPHRASE, NEW_PASSPHRASE, LOST_REPLACEMENT, FOURTH]) expect(text).not.toContain(secret);
    const all = JSON.stringify(await t.app.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of [PASSPHRASE, NEW_PASSPHRASE, LOST_REPLACEMENT, FOURTH]) expect(all).not.toContain(secret);
    await t.app.opened.raw.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(t.app.opened.path);
    for (const secret of [PASSPHRASE, NEW_PASSPHRASE, LOST_REPLACEMENT, FOURTH]) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
  });
});
