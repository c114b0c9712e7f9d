import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, cli, serve } from '../support/cli';

let dir: string;
let db: string;

beforeAll(assertBuilt);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-'));
  db = join(dir, 'a.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const asAdmin = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
const init = () => cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' });
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('school-office CLI', () => {
  it('prints help and its version, and exits 2 on a wrong command line', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init --admin ЛОГИН/);
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = cli(['--db', db, 'frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Неизвестная команда «frobnicate»/);
    expect(cli(['--db', db, 'init', '--admn', 'x']).code).toBe(2);
  });

  it('initialises once; a second init refuses and changes nothing', () => {
    const first = init();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Администратор: admin/);
    cli(['--db', db, '--user', 'admin', 'audit', 'verify'], asAdmin); // checkpoints nothing, but opens the file as the app would
    const before = digest(db);
    const second = cli(['--db', db, 'init', '--admin', 'other'], { input: 'another\n' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/уже настроена.*ничего не изменено/);
    expect(digest(db)).toBe(before);
  });

  it('refuses a wrong password with a clear message and locks the account after five failures', () => {
    init();
    for (let i = 0; i < 4; i += 1) {
      const wrong = cli(['--db', db, '--user', 'admin', 'user', 'list'], { env: { SCHOOL_OFFICE_PASSWORD: 'wrong' } });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/Неверный логин или пароль/);
    }
    const fifth = cli(['--db', db, '--user', 'admin', 'user', 'list'], { env: { SCHOOL_OFFICE_PASSWORD: 'wrong' } });
    expect(fifth.code).toBe(1);
    expect(fifth.stderr).toMatch(/заблокирована/);
    const right = cli(['--db', db, '--user', 'admin', 'user', 'list'], asAdmin);
    expect(right.code).toBe(1);
    expect(right.stderr).toMatch(/заблокирована/);
  });

  it('manages users: add with the password from stdin, list, lock and unlock', () => {
    init();
    const add = cli(['--db', db, '--user', 'admin', 'user', 'add', 'sec', '--role', 'Секретарь', '--name', 'Петрова Ольга Ивановна'], {
      input: 'secret\nsec-password\n',
    });
    expect(add.code, add.stderr).toBe(0);
    expect(cli(['--db', db, '--user', 'sec', 'user', 'list'], { env: { SCHOOL_OFFICE_PASSWORD: 'sec-password' } }).stderr).toMatch(
      /Роль «Секретарь» не может выполнять операцию «Список пользователей»/,
    );
    const list = cli(['--db', db, '--user', 'admin', '--json', 'user', 'list'], asAdmin);
    const users = JSON.parse(list.stdout).users as Array<{ login: string; role: string; locked: boolean }>;
    expect(users.map((u) => [u.login, u.role])).toEqual([
      ['admin', 'admin'],
      ['sec', 'secretary'],
    ]);
    expect(list.stdout).not.toMatch(/sec-password|scrypt/);
    expect(cli(['--db', db, '--user', 'admin', 'user', 'lock', 'sec'], asAdmin).stdout).toMatch(/заблокирован/);
    expect(cli(['--db', db, '--user', 'sec', 'user', 'list'], { env: { SCHOOL_OFFICE_PASSWORD: 'sec-password' } }).stderr).toMatch(/заблокирована/);
    expect(cli(['--db', db, '--user', 'admin', 'user', 'unlock', 'sec'], asAdmin).code).toBe(0);
    expect(cli(['--db', db, '--user', 'admin', 'user', 'add', 'x', '--role', 'king', '--name', 'X'], asAdmin).code).toBe(2);
  });

  it('verifies the audit chain, and names the first edited entry with exit code 1', () => {
    init();
    cli(['--db', db, '--user', 'admin', 'user', 'add', 'arch', '--role', 'archivist', '--name', 'Архивова Анна'], {
      env: { SCHOOL_OFFICE_PASSWORD: 'secret', SCHOOL_OFFICE_NEW_PASSWORD: 'arch-password' },
    });
    const ok = cli(['--db', db, '--user', 'admin', 'audit', 'verify', '--json'], asAdmin);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ ok: true, firstBroken: null });
    expect(report.entries).toBeGreaterThanOrEqual(4);

    const raw = new BetterSqlite3(db);
    raw.prepare("update audit_log set details_json = '{}' where id = 2").run();
    raw.close();
    const broken = cli(['--db', db, '--user', 'admin', 'audit', 'verify', '--json'], asAdmin);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBroken: { id: 2 } });
    const withoutAccount = cli(['--db', db, 'audit', 'verify']);
    expect(withoutAccount.code).toBe(1);
    expect(withoutAccount.stdout).toMatch(/запись № 2/);
  });

  it('lists the audit log with filters', () => {
    init();
    const list = cli(['--db', db, '--user', 'admin', 'audit', 'list', '--by', 'admin', '--limit', '5'], asAdmin);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/Вход/);
    expect(list.stdout).toMatch(/Показано \d+ из \d+/);
  });

  it('fills a demo school and reports it as JSON', () => {
    init();
    const demo = cli(['--db', db, '--user', 'admin', 'demo', '--seed', '1', '--pupils', '60', '--json'], asAdmin);
    expect(demo.code, demo.stderr).toBe(0);
    const result = JSON.parse(demo.stdout);
    expect(result.year).toBe('2025/2026');
    expect(result.counts.pupils).toBe(60);
  });

  it('refuses a missing or foreign file clearly', () => {
    const missing = cli(['--db', join(dir, 'none.db'), '--user', 'admin', 'user', 'list'], asAdmin);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/не найден/);
  });

  it('serves the app on 127.0.0.1 behind its launch token', async () => {
    init();
    const server = await serve(db);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
      const base = server.url.split('#')[0]!;
      const page = await fetch(base);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root"/);
      const noToken = await fetch(`${base}api/invoke`, { method: 'POST', body: JSON.stringify({ method: 'app.status', params: {} }) });
      expect(noToken.status).toBe(401);
      const token = server.url.split('#token=')[1]!;
      const status = await fetch(`${base}api/invoke`, {
        method: 'POST',
        headers: { 'x-school-office-token': token },
        body: JSON.stringify({ method: 'app.status', params: {} }),
      });
      expect(await status.json()).toMatchObject({ ok: true, result: { initialized: true } });
    } finally {
      await server.stop();
    }
  });
});
