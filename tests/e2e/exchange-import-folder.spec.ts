import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, openSection, state } from './helpers';

/**
 * «Выбрать папку» on the import screen: a КИАСУО package chosen as a folder is packed into
 * `<folder>.zip` in the window and checked like the package's ZIP; a folder holding anything but
 * *.json files is refused in the window with its file named, before anything is sent.
 */

const url = state.contingentUrl;
const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/kiasuo', import.meta.url));

test('папка пакета КИАСУО: посторонний файл — отказ с его именем; папка из JSON проверяется как kiasuo.zip', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await login(page, state.users.admin, url);
  await openSection(page, 'Обмен данными');
  const profile = page.getByLabel('Профиль загрузки');
  // The folder picker belongs to the КИАСУО package only.
  await expect(page.getByLabel('Выбрать папку')).toHaveCount(0);
  await profile.selectOption({ label: 'Пакет данных КИАСУО' });
  const folderInput = page.getByLabel('Выбрать папку');
  await expect(folderInput).toBeVisible();

  const stray = testInfo.outputPath('с-запиской');
  mkdirSync(stray, { recursive: true });
  writeFileSync(join(stray, 'students.json'), '[]');
  writeFileSync(join(stray, 'записка.txt'), 'не часть пакета');
  await folderInput.setInputFiles(stray);
  await expect(page.getByRole('alert').filter({ hasText: 'файл «записка.txt» — не JSON' })).toBeVisible();

  if (!existsSync(FIXTURE)) {
    console.warn(`Проверка папки-образца пропущена: нет ${FIXTURE} (../shared/fixtures).`);
    return;
  }
  await folderInput.setInputFiles(FIXTURE);
  await expect(page.getByRole('alert').filter({ hasText: 'не JSON' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Проверить' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('Проверка файла «kiasuo.zip»', { timeout: 60_000 });
  await expect(report.getByTestId('counts-classes')).toBeVisible();
});
