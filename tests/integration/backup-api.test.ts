import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInitializedApp, type TestApp } from '../support/app';
import { verifyBackup } from '../../main/backup/verify';

/**
 * `backup.run` through the dispatcher (what the window will call): the administrator's job,
 * validated with Russian messages naming the field, each target recorded in the backup history
 * with an audit entry that holds neither the passphrase nor personal data.
 */

const PASSPHRASE = 'длинная-фраза-для-копий';
let t: TestApp & { adminSession: string };

beforeAll(async () => {
  t = await openInitializedApp();
  await t.call('demo.generate', { pupils: 30, seed: 4, year: '2025/2026' }, t.adminSession);
}, 120_000);
afterAll(async () => t.close());

describe('backup.run', () => {
  it('refuses bad params with the field named and writes nothing', async () => {
    const target = join(t.dir, 'usb');
    mkdirSync(target);
    const short = await t.refuse('backup.run', { targets: [target], passphrase: 'коротко' }, t.adminSession);
    expect(short.code).toBe('invalid_params');
    expect(short.message).toContain('парольная фраза: не короче 8 символов');
    const none = await t.refuse('backup.run', { targets: [], passphrase: PASSPHRASE }, t.adminSession);
    expect(none.message).toContain('укажите хотя бы одну');
    expect(readdirSync(target)).toEqual([]);
    expect(await t.app.db.selectFrom('backup').selectAll().execute()).toEqual([]);
  });

  it('writes a verified backup and one history row per target, audited without the passphrase', async () => {
    const good = join(t.dir, 'good');
    mkdirSync(good);
    const missing = join(t.dir, 'missing');
    const result = await t.call('backup.run', { targets: [good, missing], passphrase: PASSPHRASE }, t.adminSession);
    expect(result.targets.map((r) => r.ok)).toEqual([true, false]);
    expect(result.targets[1]!.error).toContain(`«${missing}»`);
    const verified = await verifyBackup(result.targets[0]!.file!, PASSPHRASE);
    expect(verified.manifest.counts.pupil).toBe(30);

    const rows = await t.app.db.selectFrom('backup').select(['target', 'path', 'status', 'bytes', 'sha256', 'message', 'finished_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.target, r.status, r.path])).toEqual([
      [good, 'ok', result.targets[0]!.file],
      [missing, 'failed', null],
    ]);
    expect(rows[0]!.sha256).toBe(result.targets[0]!.sha256);
    expect(rows[1]!.message).toBe(result.targets[1]!.error);

    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'backup.run').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(PASSPHRASE);
    const surname = (await t.app.db.selectFrom('pupil').select('last_name').executeTakeFirstOrThrow()).last_name;
    expect(text).not.toContain(surname);
  });
});
