import { expect, test } from '@playwright/test';
import { apiSession, createUserViaUi, login, openSection, otherWindow, state, uniqueLogin } from './helpers';

test('журнал показывает вход и создание пользователя, отбор по пользователю, проверку целостности', async ({ page, browser }) => {
  await login(page, state.users.admin);
  const user = { login: uniqueLogin('aud'), password: 'Audit-Pass-1', fullName: 'Фёдорова Дарья Львовна' };
  await createUserViaUi(page, user, 'Секретарь');
  // The new user signs in once, so the log has an entry by them.
  const other = await otherWindow(browser);
  await login(other, user);
  await other.context().close();

  await openSection(page, 'Журнал действий');
  const table = page.getByRole('table');
  // Newest first: the new user's sign-in, then the creation by the administrator.
  const first = table.getByRole('row').nth(1);
  await expect(first).toContainText(user.login);
  await expect(first).toContainText('Вход');
  const creation = table.getByRole('row', { name: /Создание пользователя/ }).filter({ hasText: user.fullName });
  await expect(creation).toHaveCount(1);
  await expect(creation).toContainText(state.users.admin.login);
  await expect(creation.getByRole('cell').first()).toHaveText(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
  await expect(table.getByRole('row', { name: /Вход/ }).filter({ hasText: state.users.admin.login }).first()).toBeVisible();
  // Details expand on demand and never show a password.
  await creation.getByRole('button', { name: /Подробнее/ }).click();
  await expect(creation).toContainText('роль: Секретарь');
  expect(await page.content()).not.toContain(user.password);
  await expect(page.getByText(/Найдено: \d+ запис/)).toBeVisible();

  // Filter by user.
  await page.getByLabel('Пользователь', { exact: true }).selectOption(user.login);
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page.getByText('Найдено: 1 запись.')).toBeVisible();
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Вход');
  await expect(rows.nth(1)).toContainText(user.login);

  // Filter by operation.
  await page.getByLabel('Пользователь', { exact: true }).selectOption('');
  await page.getByLabel('Операция').selectOption({ label: 'Создание пользователя' });
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(table.getByRole('row', { name: /Создание пользователя/ }).filter({ hasText: user.fullName })).toHaveCount(1);
  await expect(table.getByRole('row', { name: /Вход/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Сбросить' }).click();
  await expect(page.getByLabel('Операция')).toHaveValue('');

  await page.getByRole('button', { name: 'Проверить целостность' }).click();
  await expect(page.getByText(/Журнал цел: \d+ запис/)).toBeVisible();
});

test('«Показать ещё» догружает следующие записи', async ({ page }) => {
  // Prepare more than one page (100) of entries through the same API the window uses.
  const admin = await apiSession(page.request, state.users.admin);
  for (let i = 0; i < 130; i += 1) await admin.call('settings.update', { lockAfterMinutes: 15 });

  await login(page, state.users.admin);
  await openSection(page, 'Журнал действий');
  await page.getByLabel('Операция').selectOption({ label: 'Изменение настроек' });
  await page.getByRole('button', { name: 'Найти' }).click();
  const rows = page.getByRole('table').getByRole('row');
  await expect(page.getByText(/Показано: 100, сначала новые/)).toBeVisible();
  await expect(rows).toHaveCount(101);
  const text = (await page.getByText(/Найдено: /).textContent()) ?? '';
  const total = Number(/Найдено: ([\d\s\u00a0]+)/.exec(text)?.[1]?.replace(/\D/g, ''));
  expect(total).toBeGreaterThanOrEqual(130);

  await page.getByRole('button', { name: /Показать ещё/ }).click();
  await expect(rows).toHaveCount(Math.min(total, 200) + 1);
  await expect(page.getByText(`Показано: ${Math.min(total, 200)}, сначала новые`)).toBeVisible();
});
