import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { login, state } from './helpers';

// The README's picture is refreshed on demand (UPDATE_DOCS_SCREENSHOT=1 npx playwright test
// overview); an ordinary run writes its shot under test-results and leaves the tree clean.
const target = process.env.UPDATE_DOCS_SCREENSHOT
  ? fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url))
  : fileURLToPath(new URL('../../test-results/e2e/overview.png', import.meta.url));

test('демонстрационная школа: прогресс, отмена без изменений, затем заполнение', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, state.users.admin);
  await expect(page.getByRole('heading', { name: 'Реестр пока пуст' })).toBeVisible();

  // A large school takes seconds: the progress bar shows, and «Отменить» leaves the register as it was.
  await page.getByRole('button', { name: 'Заполнить демонстрационной школой…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Заполнение демонстрационной школой' });
  await dialog.getByLabel('Число обучающихся').fill('3000');
  await dialog.getByRole('button', { name: 'Заполнить' }).click();
  await expect(dialog.getByRole('progressbar')).toBeVisible();
  await dialog.getByRole('button', { name: 'Отменить' }).click();
  await expect(dialog.getByText('Операция отменена. Данные не изменены.')).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Закрыть' }).click();
  await page.getByRole('button', { name: 'Обновить' }).click();
  await expect(page.getByRole('heading', { name: 'Реестр пока пуст' })).toBeVisible();

  await page.getByRole('button', { name: 'Заполнить демонстрационной школой…' }).click();
  await dialog.getByLabel('Число обучающихся').fill('300');
  await dialog.getByLabel('Зерно').fill('7');
  await dialog.getByRole('button', { name: 'Заполнить' }).click();
  await expect(page.getByText(/Демонстрационная школа создана за .* 300 обучающихся/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Текущий учебный год: 2025/2026')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Реестр пока пуст' })).toBeHidden();
  // A filled register offers no second demo: it would be refused.
  await expect(page.getByRole('button', { name: 'Заполнить демонстрационной школой…' })).toBeHidden();

  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: target });
});
