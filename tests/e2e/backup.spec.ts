import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, openSection, state } from './helpers';
import { cliOrThrow, startOwnHost, type OwnHost } from './own-host';

/**
 * «Резервные копии» in the real window. A register of its own (its own `serve`): the backup key
 * is set up once per register, and other specs must not find it set up, nor these backups.
 */

const ADMIN = state.users.admin;
const PASSPHRASE = 'синий трамвай едет в парк';

let dir: string;
let server: OwnHost | null = null;
let url: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-e2e-backup-'));
  const dbPath = join(dir, 'school.db');
  cliOrThrow(['--db', dbPath, 'init', '--admin', ADMIN.login, '--name', ADMIN.fullName, '--school', 'МБОУ СОШ № 3'], `${ADMIN.password}\n`);
  server = await startOwnHost(dbPath);
  url = server.url;
});

test.afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

async function addFolder(page: Page, folder: string): Promise<void> {
  await page.getByLabel('Новая папка').fill(folder);
  await page.getByLabel('Новая папка').press('Enter');
  await expect(page.getByTestId('backup-folders')).toContainText(folder);
}

test('администратор задаёт фразу и две папки, делает копию и видит её в истории', async ({ page }) => {
  const usbA = join(dir, 'флешка-А');
  const usbB = join(dir, 'диск-Б');
  mkdirSync(usbA);
  mkdirSync(usbB);
  await login(page, ADMIN, url);
  await openSection(page, 'Резервные копии');

  // Nothing is set up: the status says what to do, and a copy cannot be made yet.
  await expect(page.getByText('Парольная фраза резервных копий не задана')).toBeVisible();
  await expect(page.getByText(/Настройте не меньше двух папок на разных носителях/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Сделать копию сейчас' })).toBeDisabled();

  // The passphrase: the plain warning, and the checkbox is required.
  await page.getByRole('button', { name: 'Задать парольную фразу' }).click();
  await expect(page.getByText(/Без парольной фразы резервную копию прочитать нельзя никому/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Парольная фраза', exact: true })).toHaveAttribute('autocomplete', 'new-password');
  await page.getByRole('textbox', { name: 'Парольная фраза', exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Повторите парольную фразу').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Задать парольную фразу' }).click();
  await expect(page.getByText('отметьте, что поняли: без парольной фразы копии не открыть')).toBeVisible();
  await page.getByLabel(/Я понимаю/).check();
  await page.getByRole('button', { name: 'Задать парольную фразу' }).click();
  await expect(page.getByText(/Парольная фраза задана/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Сменить парольную фразу' })).toBeVisible();

  // Two folders, checked before saving: both writable, and on one device here (temp folders).
  await openTab(page, 'Носители');
  await addFolder(page, usbA);
  await addFolder(page, usbB);
  await page.getByRole('button', { name: 'Проверить' }).click();
  await expect(page.getByTestId('backup-folder-check')).toHaveText([/доступна для записи/, /доступна для записи/]);
  await expect(page.getByText(/находятся на одном носителе/)).toBeVisible();
  await page.getByLabel('Как часто делать копию').selectOption({ label: 'еженедельно — рекомендуется' });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Настройки резервных копий сохранены.')).toBeVisible();

  // Run now: both media written and verified.
  await openTab(page, 'Состояние');
  await expect(page.getByTestId('backup-target')).toHaveCount(2);
  await expect(page.getByTestId('backup-overdue')).toHaveCount(2);
  await page.getByRole('button', { name: 'Сделать копию сейчас' }).click();
  await expect(page.getByTestId('backup-run-target')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('backup-run-target').nth(0)).toContainText('записано и проверено');
  await expect(page.getByTestId('backup-run-target').nth(1)).toContainText('записано и проверено');
  await expect(page.getByTestId('backup-overdue')).toHaveCount(0);
  await expect(page.getByTestId('backup-target').first()).toContainText('сегодня');

  await openTab(page, 'История');
  await expect(page.getByTestId('backup-history-row')).toHaveCount(2);
  await expect(page.getByTestId('backup-history-row').first()).toContainText('записано и проверено');
  await expect(page.getByTestId('backup-history-row').first()).toContainText('вручную');
});

test('папка, которой нет, показывает свою причину, а остальные записываются', async ({ page }) => {
  const absent = join(dir, 'флешка-дома');
  await login(page, ADMIN, url);
  await openSection(page, 'Резервные копии');
  await openTab(page, 'Носители');
  await addFolder(page, absent);
  await page.getByRole('button', { name: 'Проверить' }).click();
  await expect(page.getByTestId('backup-folder-check').nth(2)).toContainText('не найдена: папка не найдена — подключите носитель или создайте папку');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Настройки резервных копий сохранены.')).toBeVisible();

  await openTab(page, 'Состояние');
  await expect(page.getByTestId('backup-target')).toHaveCount(3);
  await expect(page.getByTestId('backup-target').nth(2)).toContainText('не найдена');
  await page.getByRole('button', { name: 'Сделать копию сейчас' }).click();
  await expect(page.getByTestId('backup-run-target')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByTestId('backup-run-target').nth(0)).toContainText('записано и проверено');
  await expect(page.getByTestId('backup-run-target').nth(1)).toContainText('записано и проверено');
  await expect(page.getByTestId('backup-run-target').nth(2)).toContainText('не записано: Папка резервных копий');
  await expect(page.getByTestId('backup-run-target').nth(2)).toContainText('папка не найдена');
  // The status keeps the reason until a copy there succeeds.
  await expect(page.getByTestId('backup-last-failure')).toHaveCount(1);
  await expect(page.getByTestId('backup-last-failure')).toContainText('папка не найдена');
});
