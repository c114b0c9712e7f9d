import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { apiSession, login, openSection, state } from './helpers';

const url = state.contingentUrl;

/** A Cyrillic surname nobody in the register has yet (the demo school is regenerated per run only when empty). */
function uniqueSurname(): string {
  const letters = 'абвгдежзиклмнопрстуфхцчшэюя';
  let tail = '';
  let n = Date.now() + Math.floor(Math.random() * 1000);
  for (let i = 0; i < 6; i++) {
    tail += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  }
  return `Загрузова${tail}`;
}

/** A roster in the built-in shape, with a title row above and «Фамилия» renamed «Фамилия ученика». */
async function rosterFile(classLabel: string, surnames: string[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Список');
  sheet.addRow(['Список обучающихся для загрузки']);
  sheet.addRow(['Класс', 'Фамилия ученика', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Дата зачисления']);
  const names = ['Анна', 'Борис', 'Вера'];
  surnames.forEach((surname, i) => sheet.addRow([classLabel, surname, names[i], 'Ивановна', `1${i}.03.2015`, i === 1 ? 'м' : 'ж', '01.02.2026']));
  return Buffer.from(await book.xlsx.writeBuffer());
}

test('администратор загружает список: сопоставляет переименованный столбец, проверяет и загружает', async ({ page, request }) => {
  test.setTimeout(120_000);
  const admin = await apiSession(request, state.users.admin, url);
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const { classes } = await admin.call('classes.list', {});
  const target = classes.find((c) => !c.yearClosed) ?? classes[0]!;
  const base = uniqueSurname();
  const surnames = [`${base}а`, `${base}о`, `${base}и`];
  const buffer = await rosterFile(target.label, surnames);

  await login(page, state.users.admin, url);
  await openSection(page, 'Обмен данными');
  await expect(page.getByRole('tab', { name: 'Загрузка', selected: true })).toBeVisible();
  await expect(page.getByLabel('Профиль загрузки')).toBeFocused();
  await page.getByLabel('Профиль загрузки').selectOption({ label: 'Список обучающихся' });
  await page.getByLabel('Файл', { exact: true }).setInputFiles({
    name: 'список.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer,
  });

  // The preview finds the header row below the title, and the built-in names do not find «Фамилия».
  const mapping = page.getByRole('region', { name: /Сопоставление столбцов/ });
  await expect(mapping.getByTestId('header-row')).toContainText('Фамилия ученика');
  await expect(mapping.getByTestId('header-row').getByRole('rowheader')).toHaveText('2');
  const fields = mapping.getByRole('group', { name: 'Поля и столбцы файла' });
  const surnameSelect = fields.getByLabel('Фамилия', { exact: true });
  await expect(surnameSelect).toHaveValue('');
  await expect(fields.getByText('обязательное поле: выберите столбец файла')).toBeVisible();
  await expect(fields.getByLabel('Имя', { exact: true })).toHaveValue('2');
  await expect(page.getByRole('button', { name: 'Проверить' })).toBeDisabled();
  await expect(mapping.getByRole('button', { name: 'Сохранить профиль в файл' })).toBeDisabled();

  // One changed choice makes the user's own profile, which can be saved as a file.
  await surnameSelect.selectOption({ label: 'Фамилия ученика' });
  await expect(fields.getByText('обязательное поле: выберите столбец файла')).toHaveCount(0);
  await expect(mapping.getByText(/своему профилю «Список обучающихся \(свой\)»/)).toBeVisible();
  const saving = page.waitForEvent('download');
  await mapping.getByRole('link', { name: 'Сохранить профиль в файл' }).click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toMatch(/^user-\d+\.json$/);
  const profileJson = readFileSync(await saved.path(), 'utf8');
  const savedProfile = JSON.parse(profileJson) as { title: string; basedOn: string; columns: { field: string; headers: string[] }[] };
  expect(savedProfile.title).toBe('Список обучающихся (свой)');
  expect(savedProfile.basedOn).toBe('roster');
  expect(savedProfile.columns.find((c) => c.field === 'lastName')?.headers).toEqual(['Фамилия ученика']);

  // A broken profile file is refused with Russian reasons; the saved one is taken back and maps the file by itself.
  const profileInput = mapping.getByLabel('Загрузить профиль из файла');
  const broken = { ...savedProfile, columns: savedProfile.columns.filter((c) => c.field !== 'lastName') };
  await profileInput.setInputFiles({ name: 'плохой.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await expect(mapping.getByRole('alert')).toContainText('нет обязательного поля «lastName» (Фамилия)');
  await profileInput.setInputFiles({ name: 'свой.json', mimeType: 'application/json', buffer: Buffer.from(profileJson) });
  await expect(mapping.getByRole('heading', { name: 'Сопоставление столбцов — профиль «Список обучающихся (свой)»' })).toBeVisible();
  await expect(fields.getByLabel('Фамилия', { exact: true })).toHaveValue('1');

  // The dry run: counts, nothing written.
  await page.getByRole('button', { name: 'Проверить' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report.getByTestId('counts-pupils')).toHaveAccessibleName(/Обучающиеся: будет создано: 3,/);
  await expect(report.getByTestId('counts-pupils')).toContainText('будет создано: 3');
  await expect(report.getByText('Отклонённых строк нет.')).toBeVisible();
  expect((await admin.call('pupils.search', { query: base, includeNotEnrolled: true })).rows).toHaveLength(0);

  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('Обучающиеся: создано 3', { timeout: 60_000 });
  await expect(page.getByTestId('import-report')).toHaveCount(0);

  // The pupils are in «Контингент».
  await page.getByRole('link', { name: 'Открыть «Контингент»' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Контингент' })).toBeVisible();
  await page.getByLabel('На дату').fill('2026-02-10');
  await page.getByLabel('Поиск').fill(surnames[1]!);
  await expect(page.locator('#pupils-table tbody tr')).toHaveCount(1);
  await expect(page.locator('#pupils-table tbody tr')).toContainText(surnames[1]!);
});

test('секретарь выгружает движение за период: ошибки сервера видны у полей, файл сохраняется', async ({ page }) => {
  await login(page, state.users.secretary, url);
  await openSection(page, 'Обмен данными');
  await page.getByRole('tab', { name: 'Выгрузка' }).click();
  await page.getByLabel('Что выгрузить').selectOption({ label: 'Движение обучающихся' });
  await expect(page.getByLabel('Класс')).toHaveCount(0);
  await page.getByRole('button', { name: 'Выгрузить' }).click();
  // Nothing closes: the server's reasons stand next to the fields.
  await expect(page.getByText('для выгрузки движения укажите начало периода', { exact: true })).toBeVisible();
  await page.getByLabel('Начало периода').fill('2025-09-01');
  await page.getByLabel('Конец периода').fill('2026-06-30');
  await page.getByRole('button', { name: 'Выгрузить' }).click();
  const save = page.getByRole('link', { name: /^Сохранить «.+\.xlsx»$/ });
  await expect(save).toBeVisible({ timeout: 30_000 });
  const downloading = page.waitForEvent('download');
  await save.click();
  const file = await downloading;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await file.path());
  expect(book.worksheets[0]!.getRow(1).values).toContain('Событие');
});
