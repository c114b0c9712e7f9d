import { expect, test } from '@playwright/test';
import { state } from './helpers';

test('на пустой базе открывается первый запуск и создаёт администратора', async ({ page }) => {
  await page.goto(state.freshUrl);
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  // The launch token leaves the address bar at once.
  expect(page.url()).not.toContain('token=');
  // The first field has the focus.
  await expect(page.getByLabel('Название школы')).toBeFocused();

  await page.getByLabel('Название школы').fill('МБОУ «Гимназия № 3»');
  await page.getByLabel('ФИО администратора').fill('Орлова Наталья Викторовна');
  await page.getByLabel('Логин').fill('orlova');
  await page.getByLabel('Пароль', { exact: true }).fill('first-run-pw');
  await page.getByLabel('Пароль ещё раз').fill('first-run-px');
  await page.keyboard.press('Enter');
  // The mismatch is shown next to the field, and nothing is created yet.
  await expect(page.getByText('пароли не совпадают')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();

  await page.getByLabel('Пароль ещё раз').fill('first-run-pw');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
  const header = page.getByRole('banner');
  await expect(header).toContainText('МБОУ «Гимназия № 3»');
  await expect(header).toContainText('Орлова Наталья Викторовна');
  await expect(header).toContainText('Администратор');
  // A fresh register tells the administrator what to do next.
  await expect(page.getByRole('heading', { name: 'Реестр пока пуст' })).toBeVisible();

  // A reload keeps the user signed in (session id in sessionStorage).
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();

  // The register is initialized now: a new window gets the login screen, not the first run.
  await page.evaluate(() => window.sessionStorage.removeItem('school-office.session'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
});
