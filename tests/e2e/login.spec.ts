import { expect, test } from '@playwright/test';
import { login, nav, state } from './helpers';

test('вход с верным паролем открывает программу, «Выйти» возвращает ко входу', async ({ page }) => {
  const admin = state.users.admin;
  await login(page, admin);
  const header = page.getByRole('banner');
  await expect(header).toContainText('МБОУ «Средняя общеобразовательная школа № 7»');
  await expect(header).toContainText(admin.fullName);
  await expect(header).toContainText('Администратор');
  expect(page.url()).not.toContain('token=');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();

  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
});

test('неверный пароль: сообщение программы по-русски, остаёмся на экране входа', async ({ page }) => {
  const victim = state.users.victim;
  await page.goto(state.url);
  await page.getByLabel('Логин').fill(victim.login);
  await page.getByLabel('Пароль', { exact: true }).fill('not-the-password');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Неверный логин или пароль');
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
  await expect(nav(page)).toHaveCount(0);
  // The password field is cleared and focused for the next try; the login stays.
  await expect(page.getByLabel('Пароль', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Пароль', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Логин')).toHaveValue(victim.login);

  // An empty form is checked before anything is sent.
  await page.getByLabel('Логин').fill('');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByText('введите логин')).toBeVisible();
});
