import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackupScheduler, type BackupScheduler } from '../../main/backup/scheduler';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';

/**
 * The scheduler's check with a clock the test moves: it runs a real backup (with the stored key,
 * no passphrase) only when one is due, never without a key, records a failed medium and does
 * not try that medium again within the hour, while the other medium is left alone until due.
 */

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const PASSPHRASE = 'длинная фраза для копий';
let clock = new Date('2026-11-02T09:00:00Z');
let t: TestApp & { adminSession: string };
let session: string;
let scheduler: BackupScheduler;
let usb: string;
let absent: string;

beforeAll(async () => {
  t = await openInitializedApp({ now: () => clock });
  session = t.adminSession;
  usb = join(t.dir, 'usb');
  absent = join(t.dir, 'usb-at-home');
  mkdirSync(usb);
  // The timers never fire during the test: only checkNow() runs checks.
  scheduler = startBackupScheduler(t.app, { firstCheckAfterMs: 10 * DAY, checkEveryMs: 10 * DAY });
});
afterAll(async () => {
  scheduler.stop();
  await t.close();
});

async function at(moment: Date): Promise<void> {
  clock = moment;
  session = (await t.call('auth.login', { login: ADMIN.login, password: ADMIN.password })).sessionId;
}

const history = () => t.app.db.selectFrom('backup').select(['target', 'status', 'path', 'message']).orderBy('id').execute();
const audited = () => t.app.db.selectFrom('audit_log').select(['action', 'user_login', 'details_json']).where('method', '=', 'backup.run').orderBy('id').execute();

describe('the backup scheduler', () => {
  it('does nothing without media, then nothing without a key', async () => {
    expect(await scheduler.checkNow()).toEqual({ decision: 'no_targets', targets: [] });
    await t.call('settings.update', { backupTargets: [usb, absent], backupIntervalDays: 7 }, session);
    expect(await scheduler.checkNow()).toEqual({ decision: 'no_key', targets: [] });
    expect(await history()).toEqual([]);
  });

  it('runs a due backup without the passphrase and records each medium, the failed one with its reason', async () => {
    await t.call('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true }, session);
    expect(await scheduler.checkNow()).toEqual({ decision: 'ran', targets: [usb, absent] });
    const rows = await history();
    expect(rows.map((r) => [r.target, r.status])).toEqual([
      [usb, 'ok'],
      [absent, 'failed'],
    ]);
    expect(existsSync(rows[0]!.path!)).toBe(true);
    expect(rows[1]!.message).toContain('папка не найдена');
    const audit = await audited();
    expect(audit.map((a) => a.action)).toEqual(['Резервное копирование по расписанию', 'Резервное копирование по расписанию']);
    expect(audit.every((a) => a.user_login === null)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(PASSPHRASE);
    const page = await t.call('backup.history', { limit: 10 }, session);
    expect(page.rows.map((r) => r.trigger)).toEqual(['schedule', 'schedule']);
  });

  it('does not retry the failed medium within the hour, nor rewrite a fresh one', async () => {
    await at(new Date(clock.getTime() + 30 * MINUTE));
    expect(await scheduler.checkNow()).toEqual({ decision: 'retry_later', targets: [absent] });
    expect(await history()).toHaveLength(2);
  });

  it('tries the failed medium again after an hour, and only it', async () => {
    await at(new Date(clock.getTime() + 31 * MINUTE));
    expect(await scheduler.checkNow()).toEqual({ decision: 'ran', targets: [absent] });
    const rows = await history();
    expect(rows.slice(2).map((r) => [r.target, r.status])).toEqual([[absent, 'failed']]);
    expect(readdirSync(usb).filter((n) => n.endsWith('.sobak'))).toHaveLength(1);
  });

  it('runs nothing while every medium is fresh; runs the one whose copy is older than the interval', async () => {
    mkdirSync(absent);
    await at(new Date(clock.getTime() + 61 * MINUTE));
    expect(await scheduler.checkNow()).toEqual({ decision: 'ran', targets: [absent] });
    await at(new Date(clock.getTime() + 6 * DAY));
    expect(await scheduler.checkNow()).toEqual({ decision: 'not_due', targets: [] });
    expect((await t.call('backup.status', {}, session)).targets.map((x) => x.overdue)).toEqual([false, false]);
    // usb's copy (made two hours before absent's) is now older than 7 days; absent's is exactly 7 days old.
    await at(new Date(clock.getTime() + DAY));
    expect(await scheduler.checkNow()).toEqual({ decision: 'ran', targets: [usb] });
    expect(readdirSync(usb).filter((n) => n.endsWith('.sobak'))).toHaveLength(2);
  });

  it('does nothing when the schedule is off, even when a copy is due', async () => {
    await t.call('settings.update', { backupScheduleEnabled: false }, session);
    await at(new Date(clock.getTime() + 30 * DAY));
    const before = (await history()).length;
    expect(await scheduler.checkNow()).toEqual({ decision: 'disabled', targets: [] });
    expect(await history()).toHaveLength(before);
  });

  it('waits while another job runs (a manual copy, a restore, a print), then runs', async () => {
    await t.call('settings.update', { backupScheduleEnabled: true }, session);
    let release = () => undefined as void;
    const held = t.app.jobs.run(undefined, () => new Promise<void>((resolve) => (release = resolve)));
    expect(await scheduler.checkNow()).toEqual({ decision: 'running', targets: [] });
    release();
    await held;
    expect((await scheduler.checkNow()).decision).toBe('ran');
  });
});
