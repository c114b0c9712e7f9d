import { expect, test } from '@playwright/test';
import { apiSession, login, openSection, state, uniqueLogin } from './helpers';

/** «2026-11-23T21:40» as the window's clock shows it (playwright.config.ts sets its time zone). */
function windowLocal(moment: Date): string {
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Krasnoyarsk', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(moment);
  return text.replace(' ', 'T');
}

test('администратор отмечает раскрытую учётную запись, видит её изменения и отменяет их', async ({ page, request }) => {
  // Own accounts only: the shared ones are used by the other tests.
  const rogue = { login: uniqueLogin('rogue'), password: 'Rg-Pass-5521', fullName: 'Раскрытая Учётная Запись' };
  const puppet = { login: uniqueLogin('puppet'), password: 'Pp-Pass-5522', fullName: 'Созданный Посторонним' };
  const since = new Date(Date.now() - 60_000);
  const admin = await apiSession(request, state.users.admin);
  await admin.call('users.create', { ...rogue, role: 'admin' });
  const intruder = await apiSession(request, rogue);
  await intruder.call('users.create', { ...puppet, role: 'secretary' });

  await login(page, state.users.admin);
  await openSection(page, 'Пользователи');
  const row = page.getByRole('row', { name: new RegExp(rogue.login) });
  await row.getByRole('button', { name: `Учётные данные раскрыты: ${rogue.login}` }).click();
  const dialog = page.getByRole('dialog', { name: `Учётные данные раскрыты: ${rogue.login}` });
  const field = dialog.getByLabel('Раскрыты с (дата и время)');
  await expect(field).toBeFocused();
  // The moment is required.
  await dialog.getByRole('button', { name: 'Заблокировать и показать изменения' }).click();
  await expect(field).toHaveAccessibleDescription(/укажите дату и время/);
  await field.fill(windowLocal(since));
  await dialog.getByLabel('Что случилось (необязательно)').fill('пароль видели на мониторе');
  await dialog.getByRole('button', { name: 'Заблокировать и показать изменения' }).click();

  // The account is locked and its change is listed, revertible.
  const change = dialog.getByRole('row', { name: /Создание пользователя/ });
  await expect(change).toContainText(`пользователь ${puppet.login}`);
  await expect(change).toContainText('будет отменено');
  await expect(row).toContainText('заблокирован');
  await expect(dialog).not.toContainText(puppet.password);

  await dialog.getByRole('button', { name: 'Отменить изменения (1)' }).click();
  await dialog.getByRole('button', { name: 'Отменить изменения', exact: true }).click();
  await expect(change).toContainText('отменено');
  await expect(change).not.toContainText('будет отменено');
  await expect(dialog.getByRole('button', { name: 'Отменить изменения (0)' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Закрыть' }).click();
  await expect(dialog).toBeHidden();

  // The account the intruder created is locked now; the intruder's session is gone.
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(puppet.login) })).toContainText('заблокирован');
  await expect(intruder.call('users.list', {})).rejects.toThrow(/Сеанс завершён/);
});
