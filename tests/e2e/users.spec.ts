import { expect, test } from '@playwright/test';
import { createUserViaUi, login, openSection, otherWindow, state, uniqueLogin } from './helpers';

test('администратор создаёт, блокирует и разблокирует пользователя; пароль нигде не виден', async ({ page, browser }) => {
  await login(page, state.users.admin);
  const user = { login: uniqueLogin('clerk'), password: 'Kl-Pass-4417', fullName: 'Васильева Ирина Олеговна' };

  // Field errors come back from the main process next to the field.
  await openSection(page, 'Пользователи');
  await page.getByRole('button', { name: 'Создать пользователя…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Новый пользователь' });
  await expect(dialog.getByLabel('Логин')).toBeFocused();
  await dialog.getByLabel('Логин').fill('Плохой логин');
  await dialog.getByLabel('ФИО').fill(user.fullName);
  await dialog.getByLabel('Пароль', { exact: true }).fill(user.password);
  await dialog.getByLabel('Пароль ещё раз').fill(user.password);
  await dialog.getByRole('button', { name: 'Создать' }).click();
  await expect(dialog.getByLabel('Логин')).toHaveAccessibleDescription(/только латинские буквы/);
  await expect(dialog.getByRole('alert')).toContainText('Проверьте данные');
  // Esc closes the dialog.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await createUserViaUi(page, user, 'Секретарь');
  const row = page.getByRole('row', { name: new RegExp(user.login) });
  await expect(row).toContainText(user.fullName);
  await expect(row).toContainText('Секретарь');
  await expect(row).toContainText('активен');
  await expect(row).toContainText('не входил');
  expect(await page.content()).not.toContain(user.password);

  // Lock (with confirmation).
  await row.getByRole('button', { name: 'Заблокировать' }).click();
  const confirm = page.getByRole('dialog', { name: 'Блокировка пользователя' });
  await expect(confirm).toContainText(user.login);
  await confirm.getByRole('button', { name: 'Заблокировать' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('заблокирован');

  // The locked user cannot sign in and is told why.
  const other = await otherWindow(browser);
  await other.goto(state.url);
  await other.getByLabel('Логин').fill(user.login);
  await other.getByLabel('Пароль', { exact: true }).fill(user.password);
  await other.keyboard.press('Enter');
  await expect(other.getByRole('alert')).toContainText('Учётная запись заблокирована');
  await expect(other.getByRole('heading', { name: 'Вход' })).toBeVisible();

  // Unlock: the user signs in.
  await row.getByRole('button', { name: 'Разблокировать' }).click();
  await expect(row).toContainText('активен');
  await other.getByLabel('Пароль', { exact: true }).fill(user.password);
  await other.keyboard.press('Enter');
  await expect(other.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
  await expect(other.getByRole('banner')).toContainText(user.fullName);
  await other.context().close();

  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(user.login) })).not.toContainText('не входил');
  expect(await page.content()).not.toContain(user.password);
});

test('администратор меняет ФИО и роль; пользователь сам меняет пароль', async ({ page, browser }) => {
  await login(page, state.users.admin);
  const user = { login: uniqueLogin('arch'), password: 'Arch-Pass-1', fullName: 'Новикова Алла Юрьевна' };
  await createUserViaUi(page, user, 'Секретарь');
  const row = page.getByRole('row', { name: new RegExp(user.login) });
  await row.getByRole('button', { name: 'Изменить' }).click();
  const edit = page.getByRole('dialog', { name: `Пользователь ${user.login}` });
  await edit.getByLabel('ФИО').fill('Новикова Алла Юрьевна (архив)');
  await edit.getByLabel('Роль', { exact: true }).selectOption({ label: 'Архивариус' });
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('Архивариус');
  await expect(row).toContainText('Новикова Алла Юрьевна (архив)');

  const other = await otherWindow(browser);
  await login(other, user);
  await expect(other.getByRole('banner')).toContainText('Архивариус');
  await other.getByRole('button', { name: 'Сменить пароль' }).click();
  const dialog = other.getByRole('dialog', { name: 'Смена пароля' });
  await dialog.getByLabel('Текущий пароль').fill('wrong-current');
  await dialog.getByLabel('Новый пароль', { exact: true }).fill('Arch-Pass-2');
  await dialog.getByLabel('Новый пароль ещё раз').fill('Arch-Pass-2');
  await dialog.getByRole('button', { name: 'Сменить пароль' }).click();
  await expect(dialog.getByText('неверный пароль')).toBeVisible();
  await dialog.getByLabel('Текущий пароль').fill(user.password);
  await dialog.getByRole('button', { name: 'Сменить пароль' }).click();
  await expect(dialog).toBeHidden();
  await other.getByRole('button', { name: 'Выйти' }).click();
  await login(other, { ...user, password: 'Arch-Pass-2' });
  await other.context().close();
});
