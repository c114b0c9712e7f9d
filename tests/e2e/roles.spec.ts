import { expect, test } from '@playwright/test';
import { login, nav, openSection, state } from './helpers';

const ALL_SECTIONS = [
  'Обзор',
  'Контингент',
  'Приказы',
  'Согласия',
  'Коды доступа',
  'Учебный год',
  'Обмен данными',
  'Печать и архив',
  'Резервные копии',
  'Журнал действий',
  'Пользователи',
  'Настройки',
];

test('администратор видит все разделы в заданном порядке', async ({ page }) => {
  await login(page, state.users.admin);
  await expect(nav(page).getByRole('link')).toHaveText(ALL_SECTIONS);
});

test('секретарь не видит «Пользователи» и «Журнал действий»', async ({ page }) => {
  await login(page, state.users.secretary);
  await expect(page.getByRole('banner')).toContainText('Секретарь');
  await expect(nav(page).getByRole('link')).toHaveText(['Обзор', 'Контингент', 'Приказы', 'Согласия', 'Коды доступа', 'Обмен данными', 'Настройки']);
  await expect(nav(page).getByRole('link', { name: 'Пользователи' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Журнал действий' })).toHaveCount(0);
  // «Согласия» is the secretary's working section now.
  await openSection(page, 'Согласия');
  await expect(page.getByRole('tab', { name: 'По классам' })).toBeVisible();
  // Typing the address of a hidden section leads back to what the role may see.
  await page.evaluate(() => (window.location.hash = '#/users'));
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
  // No demo button for non-administrators.
  await expect(page.getByRole('button', { name: /демонстрационной/ })).toHaveCount(0);
});

test('архивариус видит «Печать и архив»; резервные копии — дело администратора', async ({ page }) => {
  await login(page, state.users.archivist);
  await expect(nav(page).getByRole('link')).toHaveText(['Обзор', 'Печать и архив', 'Настройки']);
  await openSection(page, 'Печать и архив');
  await expect(page.getByText('классных журналов')).toBeVisible();
});

test('директор видит пользователей и журнал, но без кнопок изменения', async ({ page }) => {
  await login(page, state.users.director);
  await expect(page.getByRole('banner')).toContainText('Директор');
  // «Обмен данными» loads and sends the register's files: the secretary's and administrator's work.
  await expect(nav(page).getByRole('link')).toHaveText(ALL_SECTIONS.filter((s) => s !== 'Обмен данными'));

  await openSection(page, 'Пользователи');
  await expect(page.getByRole('row', { name: /secretary/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Создать пользователя…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Заблокировать/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Сбросить пароль/ })).toHaveCount(0);

  await openSection(page, 'Журнал действий');
  await expect(page.getByRole('table')).toBeVisible();

  await openSection(page, 'Настройки');
  await expect(page.getByLabel('Полное название')).toHaveJSProperty('readOnly', true);
  await expect(page.getByRole('button', { name: /Сохранить/ })).toHaveCount(0);
});
