import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';

/**
 * `backup.status`, `backup.checkTargets` and `backup.history` through the dispatcher, with a
 * clock the test moves: overdue after the interval, a missing medium, two folders on one device,
 * a failure newer than the last success, a deleted last copy, and paging of a long history.
 * History rows are written as a backup run records them (the run itself is tested elsewhere).
 */

const DAY = 24 * 60 * 60 * 1000;
let clock = new Date('2026-11-01T09:00:00Z');
let t: TestApp & { adminSession: string };
let session: string;

beforeAll(async () => {
  t = await openInitializedApp({ now: () => clock });
  session = t.adminSession;
});
afterAll(async () => t.close());

/** Moves the clock and signs in again (a session does not outlive weeks of idle time). */
async function at(moment: Date): Promise<void> {
  clock = moment;
  session = (await t.call('auth.login', { login: ADMIN.login, password: ADMIN.password })).sessionId;
}

async function record(row: { target: string; status: 'ok' | 'failed'; at: Date; path?: string | null; message?: string | null }): Promise<void> {
  await t.app.db
    .insertInto('backup')
    .values({
      started_at: new Date(row.at.getTime() - 60_000).toISOString(),
      finished_at: row.at.toISOString(),
      target: row.target,
      path: row.path ?? null,
      bytes: row.status === 'ok' ? 1234 : null,
      sha256: null,
      status: row.status,
      message: row.message ?? null,
    })
    .execute();
}

describe('backup.status', () => {
  it('without media and key: says what to set up, nothing is due', async () => {
    const status = await t.call('backup.status', {}, session);
    expect(status.targets).toEqual([]);
    expect(status.keyConfigured).toBe(false);
    expect(status.warnings.join('\n')).toContain('Настройте не меньше двух папок на разных носителях');
    expect(status.warnings.join('\n')).toContain('Парольная фраза резервных копий не задана');
    expect(status.schedule).toEqual({ enabled: true, intervalDays: 30, nextDueAt: null });
  });

  it('checks every target live: a missing medium, two folders on one device, overdue without any copy', async () => {
    const a = join(t.dir, 'usb-a');
    const b = join(t.dir, 'usb-b');
    mkdirSync(a);
    mkdirSync(b);
    const gone = join(t.dir, 'not-plugged-in');
    await t.call('settings.update', { backupTargets: [a, b, gone] }, session);
    const status = await t.call('backup.status', {}, session);
    expect(status.targets.map((x) => [x.path, x.state, x.overdue, x.lastGood])).toEqual([
      [a, 'ok', true, null],
      [b, 'ok', true, null],
      [gone, 'missing', true, null],
    ]);
    expect(status.targets[0]!.freeBytes).toBeGreaterThan(0);
    expect(status.targets[2]!.problem).toContain('подключите носитель');
    expect(status.warnings.some((w) => w.includes(`«${a}» и «${b}»`) && w.includes('одном носителе'))).toBe(true);
    expect(status.warnings.join('\n')).not.toContain('Настройте не меньше двух папок');
    expect(status.schedule.nextDueAt).toBe(clock.toISOString());
  });

  it('a copy is fresh within the interval and overdue after it, by the clock', async () => {
    const a = join(t.dir, 'usb-a');
    const file = join(a, 'school-2026-11-01-090000.sobak');
    writeFileSync(file, 'backup');
    await record({ target: a, status: 'ok', at: clock, path: file });
    await t.call('settings.update', { backupTargets: [a, join(t.dir, 'usb-b')], backupIntervalDays: 7 }, session);

    await at(new Date(clock.getTime() + 5 * DAY));
    let row = (await t.call('backup.status', {}, session)).targets[0]!;
    expect(row).toMatchObject({ ageDays: 5, overdue: false, lastFailure: null, lastGood: { file: 'school-2026-11-01-090000.sobak', bytes: 1234, present: true } });
    const status = await t.call('backup.status', {}, session);
    // usb-b has no copy at all: the next copy is due now.
    expect(status.schedule.nextDueAt).toBe(clock.toISOString());

    await at(new Date(clock.getTime() + 3 * DAY));
    row = (await t.call('backup.status', {}, session)).targets[0]!;
    expect(row).toMatchObject({ ageDays: 8, overdue: true });
  });

  it('shows a failure only when it is newer than the last success, and a last copy that was deleted', async () => {
    const a = join(t.dir, 'usb-a');
    const b = join(t.dir, 'usb-b');
    await record({ target: b, status: 'failed', at: new Date(clock.getTime() - 2 * DAY), message: 'Папка резервных копий: на носителе не хватает места.' });
    await record({ target: b, status: 'ok', at: new Date(clock.getTime() - DAY), path: join(b, 'school-x.sobak') });
    await record({ target: a, status: 'failed', at: clock, message: 'Папка резервных копий: нет доступа на запись.' });
    const status = await t.call('backup.status', {}, session);
    const [rowA, rowB] = status.targets;
    expect(rowA!.lastFailure).toEqual({ at: clock.toISOString(), message: 'Папка резервных копий: нет доступа на запись.' });
    expect(rowB!.lastFailure).toBeNull();
    expect(rowB!.lastGood).toMatchObject({ present: false });
    expect(status.warnings.some((w) => w.includes(`«${b}»`) && w.includes('нет последней резервной копии'))).toBe(true);
  });
});

describe('backup.checkTargets', () => {
  it('tells per folder whether a copy can be written there, before saving', async () => {
    const ok = join(t.dir, 'check-ok');
    const second = join(t.dir, 'check-second');
    mkdirSync(ok);
    mkdirSync(second);
    const file = join(t.dir, 'a-file.txt');
    writeFileSync(file, 'x');
    const missing = join(t.dir, 'check-missing');
    const result = await t.call('backup.checkTargets', { targets: [ok, second, file, missing] }, session);
    expect(result.targets.map((x) => [x.path, x.state])).toEqual([
      [ok, 'ok'],
      [second, 'ok'],
      [file, 'not_folder'],
      [missing, 'missing'],
    ]);
    expect(result.targets[0]!.device).toBe(result.targets[1]!.device);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('одном носителе');
    expect(result.targets[2]!.problem).toContain('укажите папку');
    // The test file is removed: nothing is left in the folder.
    expect(readdirSync(ok)).toEqual([]);
    rmSync(file);
  });

  // Root writes into a 0500 folder, so as root (CI) the folder is /sys: sysfs refuses new files even to root.
  const AS_ROOT = process.getuid?.() === 0;
  it.skipIf(AS_ROOT && !existsSync('/sys'))('finds a read-only folder by trying to write', async () => {
    const locked = AS_ROOT ? '/sys' : join(t.dir, 'check-locked');
    if (!AS_ROOT) mkdirSync(locked, { mode: 0o500 });
    const result = await t.call('backup.checkTargets', { targets: [locked] }, session);
    expect(result.targets[0]).toMatchObject({ state: 'read_only' });
  });

  it('refuses an empty list naming the field', async () => {
    const error = await t.refuse('backup.checkTargets', { targets: [] }, session);
    expect(error.code).toBe('invalid_params');
    expect(error.fields?.targets).toContain('укажите хотя бы одну');
  });
});

describe('backup.history', () => {
  it('pages the runs newest first with their total', async () => {
    const before = (await t.call('backup.history', { limit: 1 }, session)).total;
    for (let i = 0; i < 120; i += 1) await record({ target: join(t.dir, 'many'), status: i % 2 ? 'ok' : 'failed', at: new Date(clock.getTime() + i * 1000), message: i % 2 ? null : `ошибка ${i}` });
    const first = await t.call('backup.history', { limit: 50 }, session);
    expect(first.total).toBe(before + 120);
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]!.message).toBeNull();
    expect(first.rows[1]!.message).toBe('ошибка 118');
    const ids = first.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const last = await t.call('backup.history', { limit: 50, offset: 100 }, session);
    expect(last.rows).toHaveLength(before + 20);
    expect(last.rows.at(-1)!.id).toBe(1);
    expect((await t.refuse('backup.history', { limit: 0 }, session)).fields?.limit).toContain('не меньше 1');
  });
});
