import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { apiSession, login, openSection, state } from './helpers';

/**
 * The import screen beyond the happy path: a long real import cancelled with «Прервать», the
 * choices on conflicts of a re-import, and guardian columns mapped by hand into a user profile.
 * All on the contingent register (its demo school), like exchange.spec.ts.
 */

const url = state.contingentUrl;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LETTERS = 'абвгдежзиклмнопрстуфхцчшэюя';

/** A Cyrillic tail for a number: surnames that differ by row, in letters only. */
function letters(value: number, length: number): string {
  let tail = '';
  let n = value;
  for (let i = 0; i < length; i++) {
    tail += LETTERS[n % LETTERS.length];
    n = Math.floor(n / LETTERS.length);
  }
  return tail;
}

/** A surname prefix nobody in the register has yet. */
function uniqueBase(prefix: string): string {
  return `${prefix}${letters(Date.now() + Math.floor(Math.random() * 1000), 6)}`;
}

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Список');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

type Admin = Awaited<ReturnType<typeof apiSession>>;

/** The open classes of the demo school (generated once when the register is still empty). */
async function openClasses(admin: Admin) {
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const { classes } = await admin.call('classes.list', {});
  const open = classes.filter((c) => !c.yearClosed);
  expect(open.length).toBeGreaterThan(0);
  return open;
}

/** A birth date that fits the class's age range (parallel + 6 years at the start of 2025/2026). */
const birthFor = (parallel: number, day = 10) => `${String(day).padStart(2, '0')}.03.${2019 - parallel}`;

async function openImport(page: Page, fileName: string, buffer: Buffer) {
  await login(page, state.users.admin, url);
  await openSection(page, 'Обмен данными');
  await page.getByLabel('Профиль загрузки').selectOption({ label: 'Список обучающихся' });
  await page.getByLabel('Файл', { exact: true }).setInputFiles({ name: fileName, mimeType: XLSX, buffer });
}

test('«Прервать» останавливает долгую загрузку: окно говорит, что загрузка отменена, и ничего не записано', async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  const admin = await apiSession(request, state.users.admin, url);
  const classes = await openClasses(admin);
  const base = uniqueBase('Прерванова');
  const names = ['Анна', 'Вера', 'Дарья', 'Елена', 'Зоя', 'Инна'];
  const rows: (string | number)[][] = [['Класс', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Дата зачисления']];
  const total = 6000;
  for (let i = 0; i < total; i++) {
    const cls = classes[i % classes.length]!;
    rows.push([cls.label, `${base}${letters(i, 3)}`, names[i % names.length]!, 'Сергеевна', birthFor(cls.parallel, 1 + (i % 28)), 'ж', '01.02.2026']);
  }
  // The file goes through the test's own folder, as a user picks it from the disk.
  const path = testInfo.outputPath('большой-список.xlsx');
  writeFileSync(path, await workbook(rows));
  const before = (await admin.call('school.overview', {})).counts;

  await login(page, state.users.admin, url);
  await openSection(page, 'Обмен данными');
  await page.getByLabel('Профиль загрузки').selectOption({ label: 'Список обучающихся' });
  await page.getByLabel('Файл', { exact: true }).setInputFiles(path);
  await page.getByRole('button', { name: 'Проверить' }).click();
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('counts-pupils')).toContainText(`будет создано: ${total}`, { timeout: 180_000 });

  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  // The real run shows its progress; «Прервать» is pressed while the rows are being written.
  const progress = page.locator('#exchange-progress-label');
  await expect(progress).toContainText('Обучающиеся и представители', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Прервать' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'отменена. Данные не изменены.' })).toBeVisible({ timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('import-done')).toHaveCount(0);
  // The checked report stays, so the user can start the import again.
  await expect(page.getByRole('button', { name: 'Загрузить', exact: true })).toBeEnabled();

  const after = (await admin.call('school.overview', {})).counts;
  expect(after.pupils).toBe(before.pupils);
  expect((await admin.call('pupils.search', { query: base, includeNotEnrolled: true })).total).toBe(0);
});

test('расхождения при повторной загрузке: «взять из файла» меняет поле, оставленное значение программы сохраняется', async ({ page, request }) => {
  test.setTimeout(120_000);
  const admin = await apiSession(request, state.users.admin, url);
  const [cls] = await openClasses(admin);
  const base = uniqueBase('Расходова');
  const header = ['Класс', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Дата зачисления', 'Адрес проживания'];
  const pupilRows = (addresses: [string, string]) => [
    header,
    [cls!.label, `${base}а`, 'Анна', 'Петровна', birthFor(cls!.parallel, 11), 'ж', '01.02.2026', addresses[0]],
    [cls!.label, `${base}о`, 'Ольга', 'Петровна', birthFor(cls!.parallel, 12), 'ж', '01.02.2026', addresses[1]],
  ];

  // The first import (prepared through the API) sets the baseline: what the import wrote.
  const first = await workbook(pupilRows(['г. Тестоград, ул. Лесная, д. 1', 'г. Тестоград, ул. Лесная, д. 2']));
  const imported = await admin.call('exchange.import', { fileName: 'список.xlsx', contentBase64: first.toString('base64'), profile: 'roster', dryRun: false });
  expect(imported.counts.pupils?.created).toBe(2);
  const found = (await admin.call('pupils.search', { query: base, includeNotEnrolled: true })).rows;
  const idOf = (surname: string) => found.find((r) => r.lastName === surname)!.id;
  const [anna, olga] = [idOf(`${base}а`), idOf(`${base}о`)];

  // The office edits both addresses in the app.
  const edit = async (id: number, liveAddress: string) => {
    const card = await admin.call('pupils.get', { id });
    const { lastName, firstName, middleName, birthDate, gender, snils, docKind, docSeries, docNumber, docIssuedBy, docIssuedOn, regAddress, phone, email } = card;
    await admin.call('pupils.update', {
      id,
      data: { lastName, firstName, middleName, birthDate, gender, snils, docKind, docSeries, docNumber, docIssuedBy, docIssuedOn, regAddress, liveAddress, phone, email },
    });
  };
  await edit(anna, 'г. Тестоград, ул. Новая, д. 5');
  await edit(olga, 'г. Тестоград, ул. Новая, д. 7');

  // The next file changed them too: both fields are conflicts.
  const second = await workbook(pupilRows(['г. Тестоград, ул. Речная, д. 10', 'г. Тестоград, ул. Речная, д. 11']));
  await openImport(page, 'список-2.xlsx', second);
  await page.getByRole('button', { name: 'Проверить' }).click();
  const conflicts = page.getByRole('table', { name: 'Расхождения' });
  await expect(conflicts).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Расхождения: 2')).toBeVisible();
  const annaRow = conflicts.getByRole('row').filter({ hasText: 'ул. Речная, д. 10' });
  await expect(annaRow.getByRole('cell')).toHaveText(['2', 'Адрес проживания', 'г. Тестоград, ул. Новая, д. 5', 'г. Тестоград, ул. Речная, д. 10', /оставить в программе/]);
  const olgaRow = conflicts.getByRole('row').filter({ hasText: 'ул. Речная, д. 11' });
  await expect(olgaRow.getByRole('cell')).toHaveText(['3', 'Адрес проживания', 'г. Тестоград, ул. Новая, д. 7', 'г. Тестоград, ул. Речная, д. 11', /оставить в программе/]);

  const annaChoice = page.getByLabel('Строка 2, Адрес проживания: что оставить');
  await expect(annaChoice).toHaveValue('app');
  await annaChoice.selectOption({ label: 'взять из файла' });
  await expect(page.getByLabel('Строка 3, Адрес проживания: что оставить')).toHaveValue('app');
  // Nothing is written by the check.
  expect((await admin.call('pupils.get', { id: anna })).liveAddress).toBe('г. Тестоград, ул. Новая, д. 5');

  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('Обучающиеся: создано 0, обновлено 1', { timeout: 60_000 });
  expect((await admin.call('pupils.get', { id: anna })).liveAddress).toBe('г. Тестоград, ул. Речная, д. 10');
  expect((await admin.call('pupils.get', { id: olga })).liveAddress).toBe('г. Тестоград, ул. Новая, д. 7');
});

test('столбцы представителей с другими названиями сопоставляются на экране, сохраняются в свой профиль и загружаются', async ({ page, request }) => {
  test.setTimeout(120_000);
  const admin = await apiSession(request, state.users.admin, url);
  const [cls] = await openClasses(admin);
  const base = uniqueBase('Родителева');
  const rows = [
    ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Пол', 'Дата зачисления', 'Родитель 1 фамилия', 'Родитель 1 имя', 'Родитель 1 кем приходится', 'Родитель 2 фамилия', 'Родитель 2 имя', 'Родитель 2 кем приходится'],
    [cls!.label, `${base}а`, 'Анна', birthFor(cls!.parallel, 13), 'ж', '01.02.2026', `${base}а`, 'Мария', 'мать', `${base}`, 'Павел', 'отец'],
    [cls!.label, `${base}и`, 'Нина', birthFor(cls!.parallel, 14), 'ж', '01.02.2026', `${base}и`, 'Ирина', 'мать', '', '', ''],
  ];
  await openImport(page, 'список-с-родителями.xlsx', await workbook(rows));

  const mapping = page.getByRole('region', { name: /Сопоставление столбцов/ });
  const first = mapping.getByRole('group', { name: 'Представитель 1' });
  const second = mapping.getByRole('group', { name: 'Представитель 2' });
  // The built-in names («Представитель 1: Фамилия») find nothing here.
  await expect(first.getByLabel('Фамилия', { exact: true })).toHaveValue('');
  await expect(mapping.getByTestId('mapped-fields')).not.toContainText('Представитель');

  await first.getByLabel('Фамилия', { exact: true }).selectOption({ label: 'Родитель 1 фамилия' });
  // Half a guardian is not enough: its name is required once its surname is loaded.
  await expect(first.getByText('обязательное поле, раз загружаются другие столбцы: представитель 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Проверить' })).toBeDisabled();
  await first.getByLabel('Имя', { exact: true }).selectOption({ label: 'Родитель 1 имя' });
  await first.getByLabel('Степень родства').selectOption({ label: 'Родитель 1 кем приходится' });
  await second.getByLabel('Фамилия', { exact: true }).selectOption({ label: 'Родитель 2 фамилия' });
  await second.getByLabel('Имя', { exact: true }).selectOption({ label: 'Родитель 2 имя' });
  await second.getByLabel('Степень родства').selectOption({ label: 'Родитель 2 кем приходится' });
  await expect(mapping.getByRole('alert')).toHaveCount(0);
  await expect(mapping.getByText(/своему профилю «Список обучающихся \(свой\)»/)).toBeVisible();
  // The preview names what each file column goes into.
  const mapped = mapping.getByTestId('mapped-fields').getByRole('cell');
  await expect(mapped).toHaveText([
    'Класс',
    'Фамилия',
    'Имя',
    'Дата рождения',
    'Пол',
    'Дата зачисления',
    'Представитель 1: Фамилия',
    'Представитель 1: Имя',
    'Представитель 1: Степень родства',
    'Представитель 2: Фамилия',
    'Представитель 2: Имя',
    'Представитель 2: Степень родства',
  ]);

  // The own profile keeps the guardian headers with the place of the number.
  const saving = page.waitForEvent('download');
  await mapping.getByRole('link', { name: 'Сохранить профиль в файл' }).click();
  const saved = JSON.parse(readFileSync(await (await saving).path(), 'utf8')) as {
    repeatGroups: { group: string; n: number[]; columns: { field: string; headers: string[] }[] }[];
  };
  expect(saved.repeatGroups).toHaveLength(1);
  expect(saved.repeatGroups[0]!.n).toEqual([1, 2]);
  expect(saved.repeatGroups[0]!.columns.map((c) => [c.field, c.headers])).toEqual([
    ['lastName', ['Родитель {n} фамилия']],
    ['firstName', ['Родитель {n} имя']],
    ['kinship', ['Родитель {n} кем приходится']],
  ]);

  await page.getByRole('button', { name: 'Проверить' }).click();
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('counts-guardians')).toContainText('будет создано: 3', { timeout: 30_000 });
  await expect(report.getByText('Отклонённых строк нет.')).toBeVisible();
  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  await expect(page.getByTestId('import-done')).toContainText('Обучающиеся: создано 2, обновлено 0, без изменений 0; Представители: создано 3', { timeout: 60_000 });

  const pupils = (await admin.call('pupils.search', { query: base, includeNotEnrolled: true })).rows;
  const anna = await admin.call('pupils.get', { id: pupils.find((p) => p.lastName === `${base}а`)!.id });
  expect(anna.guardians.map((g) => [g.lastName, g.firstName, g.kinship]).sort()).toEqual([
    [base, 'Павел', 'отец'],
    [`${base}а`, 'Мария', 'мать'],
  ]);
});
