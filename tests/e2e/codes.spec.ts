import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { apiSession, login, openSection, state } from './helpers';

const url = state.contingentUrl;

/** The shape of a code on the slips (the alphabet without look-alike letters and digits). */
const CODE = /\b[ACDEFGHJKMNPQRTUVWXY34679]{10}\b/g;

/** The demo school (classes of 2025/2026) unless the register already has classes. */
async function ensureSchool(request: Parameters<typeof apiSession>[0]) {
  const admin = await apiSession(request, state.users.admin, url);
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const { classes } = await admin.call('classes.list', {});
  expect(classes.length).toBeGreaterThan(1);
  return { admin, classes };
}

async function expectNoCodeOnPage(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(CODE)).toBeNull();
}

test('администратор создаёт коды класса, печатает листки и отмечает утерю; директор только смотрит', async ({ page, browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const { admin, classes } = await ensureSchool(request);
  // A class with pupils and no codes yet, so «новый» is what the creation made.
  let target = classes[0]!;
  for (const c of classes) {
    if (c.pupils === 0) continue;
    if ((await admin.call('codes.list', { classId: c.id })).rows.length === 0) {
      target = c;
      break;
    }
  }

  await login(page, state.users.admin, url);
  await openSection(page, 'Коды доступа');
  await expect(page.getByLabel('Класс')).toBeFocused();
  await page.getByLabel('Класс').selectOption(String(target.id));
  await page.getByRole('button', { name: 'Создать коды для класса…' }).click();
  const creating = page.getByRole('dialog', { name: /^Создание кодов для/ });
  // The validity date is asked for, pre-filled with the end of the school year, and goes on the slips.
  await expect(creating.getByLabel('Действует до')).toHaveValue(/^\d{4}-06-30$/);
  const validUntil = await creating.getByLabel('Действует до').inputValue();
  await creating.getByRole('button', { name: 'Создать коды' }).click();
  await expect(creating).toBeHidden();
  await expect(page.getByTestId('generated')).toContainText(/Создано кодов: [1-9]\d*/);
  const table = page.locator('#codes-table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(table.getByTestId('code-status').filter({ hasText: 'новый' }).first()).toBeVisible();
  await expectNoCodeOnPage(page);

  // The slips: the codes are in the PDF, and only there.
  await page.getByRole('button', { name: 'Печать: листки с кодами и ведомость' }).click();
  const save = page.getByRole('link', { name: /^Сохранить «/ });
  await expect(save).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/\d+ страниц.*, \d+ листк/)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await save.click();
  const download = await downloading;
  const file = testInfo.outputPath('codes.pdf');
  await download.saveAs(file);
  const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(pdfText).toContain('Реквизиты доступа');
  expect((pdfText.match(CODE) ?? []).length).toBeGreaterThan(0);
  expect(pdfText).toContain(`Действует до: ${validUntil.split('-').reverse().join('.')}`);
  await expectNoCodeOnPage(page);

  // A lost code: confirmed, then the row says «отозван».
  const first = table.locator('tbody tr').first();
  const holder = (await first.locator('td').first().innerText()).trim();
  // The rare actions sit behind «Ещё…», so the list stays readable.
  await first.locator('summary').click();
  await first.getByRole('button', { name: 'Утерян' }).click();
  const confirm = page.getByRole('dialog', { name: 'Код утерян' });
  await expect(confirm).toContainText('Код перестанет действовать');
  await confirm.getByRole('button', { name: 'Код утерян' }).click();
  await expect(confirm).toBeHidden();
  const revoked = table.locator('tbody tr').filter({ hasText: holder }).filter({ hasText: 'отозван' });
  await expect(revoked).toHaveCount(1);
  await revoked.locator('summary').click();
  await expect(revoked.getByRole('button', { name: 'Перевыпустить' })).toBeVisible();
  await expectNoCodeOnPage(page);

  // The director reads the list, with no buttons.
  const director = await browser.newPage();
  await login(director, state.users.director, url);
  await openSection(director, 'Коды доступа');
  await director.getByLabel('Класс').selectOption(String(target.id));
  await expect(director.locator('#codes-table tbody tr').filter({ hasText: holder }).first()).toBeVisible();
  await expect(director.getByRole('button', { name: /Утерян|Выдан|Разглашён|Перевыпустить|Создать коды|Загрузить коды|Печать/ })).toHaveCount(0);
  await expectNoCodeOnPage(director);
  await director.close();
});

test('проверка файла кодов показывает отклонённую строку и ничего не записывает', async ({ page, request }, testInfo) => {
  const { admin, classes } = await ensureSchool(request);
  const target = classes[0]!;
  const before = (await admin.call('codes.list', { classId: target.id })).rows.length;
  const csv = [
    'Класс;Фамилия;Имя;Отчество;Дата рождения;Роль;Представитель;Код',
    `${target.label};Несуществующая;Ученица;Ивановна;01.01.2015;обучающийся;;ABCDEFGH2345`,
  ].join('\r\n');

  await login(page, state.users.secretary, url);
  await openSection(page, 'Коды доступа');
  await page.getByLabel('Класс').selectOption(String(target.id));
  await page.getByRole('button', { name: 'Загрузить коды из файла…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Загрузка кодов из файла' });
  await dialog.getByLabel('Файл с кодами').setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  const report = dialog.getByTestId('import-report');
  await expect(report).toContainText('ничего не записано');
  const rejected = dialog.getByRole('table', { name: 'Отклонённые строки' });
  await expect(rejected.locator('tbody tr')).toHaveCount(1);
  await expect(rejected.locator('tbody tr td').nth(0)).toHaveText('2');
  await expect(rejected.locator('tbody tr td').nth(1)).toHaveText('Фамилия');
  await expect(rejected.locator('tbody tr td').nth(2)).toContainText('не найден в реестре');
  await expectNoCodeOnPage(page);
  // The refused rows come back as a workbook with the reason, to fix and load again.
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('link', { name: 'Скачать отклонённые строки (XLSX)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('codes — отклонённые строки.xlsx');
  const saved = testInfo.outputPath('rejected.xlsx');
  await download.saveAs(saved);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(saved);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(1).getCell(10).value).toBe('Причина');
  expect(String(sheet.getRow(2).getCell(10).value)).toContain('не найден в реестре');
  await expect(dialog.getByRole('button', { name: 'Загрузить' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Отмена' }).click();
  await expect(dialog).toBeHidden();
  expect((await admin.call('codes.list', { classId: target.id })).rows.length).toBe(before);
});
