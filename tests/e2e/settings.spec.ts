import { expect, test } from '@playwright/test';
import { login, openSection, state } from './helpers';

test('администратор правит карточку школы; ошибки показываются у поля', async ({ page }) => {
  await login(page, state.users.admin);
  await openSection(page, 'Настройки');
  const address = page.getByLabel('Адрес');
  const street = `ул. Школьная, д. ${Date.now() % 1000}`;
  await expect(page.getByLabel('Полное название')).toBeFocused();
  await page.getByLabel('ИНН').fill('12345');
  await page.getByRole('button', { name: 'Сохранить сведения о школе' }).click();
  await expect(page.getByText('10 цифр (у организации) или 12')).toBeVisible();
  await page.getByLabel('ИНН').fill('2460000000');
  await page.getByLabel('Краткое название').fill('МБОУ СОШ № 7');
  await address.fill(`660000, г. Красноярск, ${street}`);
  await page.getByLabel('ФИО директора').fill('Кузнецов Сергей Владимирович');
  await page.getByRole('button', { name: 'Сохранить сведения о школе' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Сведения о школе сохранены' })).toBeVisible();

  await openSection(page, 'Обзор');
  await expect(page.getByText(`660000, г. Красноярск, ${street}`)).toBeVisible();
  await expect(page.getByText('МБОУ СОШ № 7', { exact: true })).toBeVisible();
});

test('блокировка экрана после бездействия и разблокировка паролем', async ({ page }) => {
  await page.clock.install();
  await login(page, state.users.admin);
  await openSection(page, 'Пользователи');
  // The default is 15 minutes without keyboard or mouse.
  await page.clock.fastForward('16:00');
  const lock = page.getByRole('dialog', { name: 'Экран заблокирован' });
  await expect(lock).toBeVisible();
  await expect(lock).toContainText(state.users.admin.fullName);
  await lock.getByLabel('Пароль', { exact: true }).fill('wrong-password');
  await page.keyboard.press('Enter');
  await expect(lock.getByRole('alert')).toContainText('Неверный пароль');
  // Esc does not open the screen.
  await page.keyboard.press('Escape');
  await expect(lock).toBeVisible();
  await lock.getByLabel('Пароль', { exact: true }).fill(state.users.admin.password);
  await page.keyboard.press('Enter');
  await expect(lock).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Пользователи' })).toBeVisible();
});

test('администратор задаёт окончание номеров приказов по контингенту', async ({ page }) => {
  await login(page, state.users.admin);
  await openSection(page, 'Настройки');
  const suffix = page.getByLabel('Окончание номера приказа');
  await expect(suffix).toHaveValue('-у');
  await suffix.fill('-к');
  await suffix.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'нумероваться так: 12-к' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Окончание номера приказа')).toHaveValue('-к');
  await page.getByLabel('Окончание номера приказа').fill('-у');
  await page.getByLabel('Окончание номера приказа').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'нумероваться так: 12-у' })).toBeVisible();
});
