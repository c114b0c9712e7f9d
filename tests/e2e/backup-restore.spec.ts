import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOrThrow, startOwnHost, type OwnHost } from './own-host';
import { apiSession, login, openSection, state } from './helpers';

/**
 * «Резервные копии» → «Восстановление»: the administrator picks a backup from the backup folder,
 * checks it with the passphrase and sees what it holds, restores it after «Я понимаю», and the
 * window lands on the login screen with the message; the account made after the copy is gone.
 * The restore replaces the whole register (and the keys and archive beside it), so this spec
 * runs its own host in its own folder.
 */

const admin = state.users.admin;
const PASSPHRASE = 'фраза-для-восстановления';

let dir = '';
let host: OwnHost | null = null;
let url = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'school-office-restore-'));
  const db = join(dir, 'data', 'school.db');
  mkdirSync(join(dir, 'data'));
  const usb = join(dir, 'usb');
  mkdirSync(usb);
  cliOrThrow(['--db', db, 'init', '--admin', admin.login, '--name', admin.fullName, '--school', 'МБОУ «Школа № 3»'], `${admin.password}\n`);
  host = await startOwnHost(db);
  url = host.url;
  const api = await apiSession(request, admin, url);
  await api.call('demo.generate', { seed: 9, pupils: 40, year: '2025/2026' });
  await api.call('backup.setUpPassphrase', { passphrase: PASSPHRASE, passphraseRepeat: PASSPHRASE, understood: true });
  await api.call('settings.update', { backupTargets: [usb] });
  const run = await api.call('backup.run', { targets: [usb] });
  if (!run.targets[0]?.ok) throw new Error(`backup.run: ${run.targets[0]?.error ?? 'failed'}`);
  // A change after the copy: the restore must take it away (and keep it in the pre-restore folder).
  await api.call('users.create', { login: 'posle.kopii', fullName: 'Петрова Мария Ивановна', role: 'secretary', password: 'secret-123' });
});

test.afterAll(() => {
  host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the administrator checks a backup, restores it and lands on the login screen', async ({ page, request }) => {
  await login(page, admin, url);
  await openSection(page, 'Резервные копии');
  await page.getByRole('tab', { name: 'Восстановление' }).click();

  const candidates = page.getByTestId('restore-candidate');
  await expect(candidates).toHaveCount(1);
  await expect(candidates.getByRole('radio')).toBeChecked();
  const made = (await candidates.locator('td').first().innerText()).trim();
  expect(made).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);

  // A wrong passphrase first: said plainly, nothing to restore.
  const passphrase = page.getByLabel('Парольная фраза резервных копий');
  await passphrase.fill('совсем-не-та-фраза');
  await page.getByRole('button', { name: 'Проверить копию' }).click();
  await expect(page.getByTestId('restore-inspection')).toContainText('Неверная парольная фраза');
  await expect(page.getByRole('button', { name: 'Восстановить…' })).toHaveCount(0);

  await passphrase.fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Проверить копию' }).click();
  const report = page.getByTestId('restore-inspection');
  await expect(report).toContainText('Копия цела');
  await expect(report.getByRole('definition').filter({ hasText: /^40$/ })).toHaveCount(1);
  await expect(report).toContainText('Учеников');
  await expect(report).toContainText('Классов');

  await page.getByRole('button', { name: 'Восстановить…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Восстановить из резервной копии?' });
  await expect(dialog).toContainText('pre-restore-');
  await expect(dialog).toContainText('должны войти снова');
  const confirm = dialog.getByRole('button', { name: 'Восстановить', exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Я понимаю').check();
  await confirm.click();

  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible({ timeout: 60_000 });
  // The copy's time in the window's own clock, as the list showed it.
  await expect(page.getByText(`Данные восстановлены из копии от ${made}; прежняя база сохранена в ${join(dir, 'data', 'pre-restore-')}`, { exact: false })).toBeVisible();
  expect(readdirSync(join(dir, 'data')).filter((n) => n.startsWith('pre-restore-'))).toHaveLength(1);

  // The restored register's accounts: the administrator signs in; the one made after the copy is gone.
  await page.getByLabel('Логин').fill(admin.login);
  await page.getByLabel('Пароль', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  await expect(apiSession(request, { login: 'posle.kopii', password: 'secret-123', fullName: '' }, url)).rejects.toThrow();
});
