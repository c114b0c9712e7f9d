import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { apiSession, login, openSection, state } from './helpers';

const url = state.contingentUrl;

/** A valid СНИЛС above the exempt range: digits 1–9 weighted 9..1, the sum reduced to two check digits. */
function validSnils(): string {
  let first9 = '';
  do {
    first9 = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)).join('');
  } while (Number(first9) <= 1_001_998);
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(first9[i]) * (9 - i);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return `${first9.slice(0, 3)}-${first9.slice(3, 6)}-${first9.slice(6, 9)} ${String(check).padStart(2, '0')}`;
}

/** The same number with its check digits off by one. */
function brokenSnils(snils: string): string {
  const check = Number(snils.slice(-2));
  return `${snils.slice(0, -2)}${String((check + 1) % 100).padStart(2, '0')}`;
}

/** A surname nobody else in the register has: letters only. */
function uniqueSurname(base: string): string {
  const letters = 'абвгдежзиклмнопрстуфхцчшэюя';
  let tail = '';
  for (let i = 0; i < 4; i += 1) tail += letters[Math.floor(Math.random() * letters.length)];
  return `${base}${tail}`;
}

/** The demo school (classes of 2025/2026) unless the register already has classes. */
async function ensureSchool(request: Parameters<typeof apiSession>[0]) {
  const admin = await apiSession(request, state.users.admin, url);
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const secretary = await apiSession(request, state.users.secretary, url);
  const { classes } = await secretary.call('classes.list', { date: '2026-02-02' });
  expect(classes.length).toBeGreaterThan(1);
  return { secretary, classes };
}

async function startAdmission(page: Page, orderDate: string) {
  await page.getByRole('button', { name: 'Зачислить…' }).click();
  const wizard = page.getByRole('dialog', { name: 'Зачисление' });
  await expect(wizard.getByLabel('Приказ', { exact: true })).toBeFocused();
  await wizard.getByLabel('Дата приказа').fill(orderDate);
  await page.keyboard.press('Enter');
  await expect(wizard.getByLabel('Фамилия')).toBeFocused();
  return wizard;
}

test('секретарь зачисляет, переводит и отчисляет обучающегося; история и алфавитная книга', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const { secretary, classes } = await ensureSchool(request);
  const [first, second] = [classes[0]!, classes[1]!];
  const surname = uniqueSurname('Зорина');
  const snils = validSnils();

  await login(page, state.users.secretary, url);
  await openSection(page, 'Контингент');
  await expect(page.getByLabel('Поиск')).toBeFocused();

  // 1) a new admission order, 2) the pupil, 3) the class, 4) confirm.
  const wizard = await startAdmission(page, '2026-02-02');
  await wizard.getByLabel('Фамилия').fill(surname);
  await wizard.getByLabel('Имя').fill('Алёна');
  await wizard.getByLabel('Отчество').fill('Сергеевна');
  await wizard.getByLabel('Дата рождения').fill('2015-05-12');
  await wizard.getByLabel('СНИЛС').fill(snils);
  await wizard.getByRole('button', { name: 'Найти и продолжить' }).click();
  await expect(wizard.getByText('Новый обучающийся: заполните анкету')).toBeVisible();
  await wizard.getByLabel('Телефон').fill('8 913 123 45 67');
  await wizard.getByLabel('Пол').selectOption({ label: 'женский' });
  // Enter in a drop-down list moves on, as in a text field.
  await wizard.getByLabel('Пол').press('Enter');
  await wizard.getByLabel('Класс').selectOption(String(first.id));
  await wizard.getByLabel('Откуда прибыл').fill('МБОУ СОШ № 3 г. Ачинска');
  await page.keyboard.press('Enter');
  await expect(wizard.locator('dt', { hasText: 'Откуда прибыл' })).toBeVisible();
  await wizard.getByRole('button', { name: 'Зачислить' }).click();
  const fileNo = wizard.getByTestId('file-no');
  await expect(fileNo).toHaveText(/^З\/\d+$/);
  const fileNumber = (await fileNo.textContent()) ?? '';
  await wizard.getByRole('button', { name: 'Открыть карточку' }).click();
  await expect(wizard).toBeHidden();
  await expect(page.getByRole('heading', { name: `${surname} Алёна Сергеевна` })).toBeVisible();
  await expect(page.getByTestId('card-file-no')).toHaveText(fileNumber);

  // A move to another class by a dated order.
  await page.getByRole('button', { name: 'Перевести в другой класс…' }).click();
  const transfer = page.getByRole('dialog', { name: 'Перевод в другой класс' });
  await transfer.getByLabel('Дата приказа').fill('2026-03-02');
  await transfer.getByLabel('В класс').selectOption(String(second.id));
  await transfer.getByRole('button', { name: 'Перевести' }).click();
  await expect(transfer).toBeHidden();
  await expect(page.getByText(`переведён(а) в ${second.label}`)).toBeVisible();

  // The leaver, by an order of expulsion.
  await page.getByRole('button', { name: 'Выбытие…' }).click();
  const leave = page.getByRole('dialog', { name: 'Выбытие' });
  await leave.getByLabel('Дата приказа').fill('2026-04-06');
  await leave.getByLabel('Причина выбытия').selectOption({ label: 'смена места жительства' });
  await leave.getByLabel('Куда выбыл').fill('г. Новосибирск');
  await leave.getByRole('button', { name: 'Оформить выбытие' }).click();
  await expect(leave).toBeHidden();
  await expect(page.getByText(/выбыл\(а\) по приказу № .*(Отозвано кодов доступа|Действующих кодов доступа не было)/)).toBeVisible();

  // The card's history: three events, each with its order.
  const card = (await secretary.call('pupils.search', { query: fileNumber, includeNotEnrolled: true })).rows;
  expect(card).toHaveLength(1);
  const events = (await secretary.call('pupils.get', { id: card[0]!.id })).events;
  expect(events.map((e) => e.kind).sort()).toEqual(['admission', 'class_transfer', 'leave']);
  const history = page.getByRole('table', { name: 'История движения' });
  await expect(history.getByRole('row')).toHaveCount(4);
  for (const [label, date] of [
    ['Зачисление', '02.02.2026'],
    ['Перевод в класс', '02.03.2026'],
    ['Выбытие', '06.04.2026'],
  ] as const) {
    const event = events.find((e) => e.date === date.split('.').reverse().join('-'))!;
    const row = history.getByRole('row').filter({ hasText: label }).filter({ hasText: date });
    await expect(row).toContainText(`№ ${event.order!}`);
  }
  await expect(history).toContainText('г. Новосибирск');

  // Back to the list: the leaver is found by file number with «показать выбывших», Enter opens the card.
  await page.getByRole('button', { name: '← К списку' }).click();
  await page.getByLabel('показать выбывших').check();
  await page.getByLabel('Поиск').fill(fileNumber);
  await expect(page.locator('#pupils-table tbody tr')).toHaveCount(1);
  await expect(page.locator('#pupils-table')).toContainText(surname);
  await page.getByLabel('Поиск').press('Enter');
  await expect(page.getByRole('heading', { name: `${surname} Алёна Сергеевна` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Поиск')).toBeFocused();

  // The alphabet book, printed from the window: the pupil is on the page of their letter.
  await page.getByRole('button', { name: 'Печать: Алфавитная книга' }).click();
  const save = page.getByRole('link', { name: /^Сохранить «/ });
  await expect(save).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/\d+ страниц/)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await save.click();
  const download = await downloading;
  const file = testInfo.outputPath('alphabet-book.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain(surname);
  expect(text).toContain(fileNumber);

  // A class list as of a day is printed once a class is chosen.
  await page.getByLabel('На дату').fill('2026-02-10');
  await page.getByLabel('Класс').selectOption(String(first.id));
  await page.getByRole('button', { name: 'Печать: Список класса' }).click();
  await expect(page.getByRole('link', { name: /^Сохранить «/ })).toHaveCount(2, { timeout: 60_000 });
});

test('неверный СНИЛС в мастере зачисления: ошибка у поля, ничего не создано', async ({ page, request }) => {
  const { secretary } = await ensureSchool(request);
  const surname = uniqueSurname('Котова');
  const ordersBefore = (await secretary.call('orders.list', { yearLabel: '2025/2026' })).orders.length;

  await login(page, state.users.secretary, url);
  await openSection(page, 'Контингент');
  const wizard = await startAdmission(page, '2026-02-03');
  await wizard.getByLabel('Фамилия').fill(surname);
  await wizard.getByLabel('Имя').fill('Мария');
  await wizard.getByLabel('Дата рождения').fill('2016-01-20');
  await wizard.getByLabel('СНИЛС').fill(brokenSnils(validSnils()));
  await page.keyboard.press('Enter');
  await expect(wizard.getByLabel('СНИЛС')).toHaveAccessibleDescription('неверная контрольная сумма СНИЛС');
  await expect(wizard.getByRole('alert')).toContainText('Проверьте отмеченные поля');
  await page.keyboard.press('Escape');
  await expect(wizard).toBeHidden();

  const found = await secretary.call('pupils.search', { query: surname, includeNotEnrolled: true });
  expect(found.total).toBe(0);
  expect((await secretary.call('orders.list', { yearLabel: '2025/2026' })).orders.length).toBe(ordersBefore);
});

test('карточка: общий представитель братьев и сестёр, ошибка у поля, отмена ошибочной записи; книга приказов и движение', async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const { secretary, classes } = await ensureSchool(request);
  const surname = uniqueSurname('Ершова');
  const olderSnils = validSnils();
  // Two children of one family, admitted by one order; the mother is entered for the elder one.
  const older = await secretary.call('movement.admit', {
    order: { date: '2026-02-04' },
    classId: classes.find((c) => c.parallel === 5)?.id ?? classes[0]!.id,
    pupil: { lastName: surname, firstName: 'Полина', birthDate: '2014-03-15', gender: 'ж', snils: olderSnils },
    place: 'г. Канск',
  });
  const younger = await secretary.call('movement.admit', {
    order: { id: older.orderId },
    classId: classes.find((c) => c.parallel === 2)?.id ?? classes[1]!.id,
    pupil: { lastName: surname, firstName: 'Ульяна', birthDate: '2017-06-01', gender: 'ж' },
  });
  await secretary.call('guardians.link', {
    pupilId: older.pupilId,
    guardian: { lastName: surname, firstName: 'Ирина', middleName: 'Павловна', phone: '+7 913 555-12-34' },
    kinship: 'мать',
  });

  await login(page, state.users.secretary, url);
  await openSection(page, 'Контингент');
  await page.getByLabel('На дату').fill('2026-02-10');
  await page.getByLabel('Поиск').fill(`${surname} Уль`);
  await expect(page.locator('#pupils-table tbody tr')).toHaveCount(1);
  await page.getByLabel('Поиск').press('Enter');
  await expect(page.getByRole('heading', { name: `${surname} Ульяна` })).toBeVisible();

  // The sibling's mother is found and linked, not entered twice.
  await page.getByRole('button', { name: 'Добавить представителя…' }).click();
  const add = page.getByRole('dialog', { name: 'Законный представитель' });
  await add.getByLabel(new RegExp(`${surname} Ирина Павловна`)).check();
  await add.getByLabel('Степень родства').selectOption('мать');
  await add.getByRole('button', { name: 'Добавить' }).click();
  await expect(add).toBeHidden();
  const guardians = page.getByRole('region', { name: 'Законные представители' });
  await expect(guardians.getByRole('row', { name: new RegExp(`${surname} Ирина Павловна`) })).toContainText('+7 (913) 555-12-34');

  // A guardian who is not a parent needs the document of authority.
  await page.getByRole('button', { name: 'Добавить представителя…' }).click();
  await add.getByRole('button', { name: 'Новый представитель' }).click();
  await add.getByLabel('Фамилия').fill('Лаптева');
  await add.getByLabel('Имя').fill('Нина');
  await add.getByLabel('Степень родства').selectOption('опекун');
  await add.getByRole('button', { name: 'Добавить' }).click();
  await expect(add.getByLabel('Документ о полномочиях')).toHaveAccessibleDescription(/укажите документ о полномочиях/);
  await add.getByLabel('Документ о полномочиях').fill('постановление об опеке № 12 от 10.01.2026');
  await add.getByRole('button', { name: 'Добавить' }).click();
  await expect(add).toBeHidden();
  await expect(guardians.getByRole('row', { name: /Лаптева Нина/ })).toContainText('постановление об опеке № 12');

  // The server's refusal lands next to the field: the elder sister's СНИЛС is taken.
  await page.getByRole('button', { name: 'Изменить анкету…' }).click();
  const edit = page.getByRole('dialog', { name: /^Анкета:/ });
  await edit.getByLabel('СНИЛС').fill(olderSnils);
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(edit.getByLabel('СНИЛС')).toHaveAccessibleDescription('совпадает с другим обучающимся');
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();

  // A wrong admission is struck through by a counter-record, not erased.
  const history = page.getByRole('table', { name: 'История движения' });
  await history.getByRole('button', { name: /Отменить ошибочную запись: Зачисление/ }).click();
  const cancel = page.getByRole('dialog', { name: 'Отмена ошибочной записи' });
  await cancel.getByRole('button', { name: 'Отменить запись' }).click();
  await expect(cancel.getByLabel('Причина отмены')).toHaveAccessibleDescription('укажите причину отмены');
  await cancel.getByLabel('Причина отмены').fill('зачислена не в тот класс');
  await cancel.getByRole('button', { name: 'Отменить запись' }).click();
  await expect(cancel).toBeHidden();
  const admission = history.getByRole('row').filter({ hasText: 'Зачисление' });
  await expect(admission).toContainText('внесено ошибочно');
  await expect(admission.locator('s').first()).toBeVisible();

  // The book of orders: the common order with both girls, printed.
  await openSection(page, 'Приказы');
  await expect(page.getByLabel('Учебный год')).toHaveValue('2025/2026');
  await page.getByRole('button', { name: `Приказ № ${older.order}`, exact: true }).click();
  const order = page.getByRole('dialog', { name: new RegExp(`^Приказ № ${older.order} от 04.02.2026`) });
  await expect(order.getByRole('table')).toContainText(`${surname} Полина`);
  await expect(order.getByRole('table')).toContainText(`${surname} Ульяна`);
  await order.getByRole('button', { name: 'Печать: приказ' }).click();
  await expect(order.getByRole('link', { name: /^Сохранить «/ })).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(order).toBeHidden();

  // Movement for February: the elder sister arrived (the younger one's admission was cancelled).
  await page.getByRole('tab', { name: 'Движение' }).click();
  await page.getByLabel('С', { exact: true }).fill('2026-02-01');
  await page.getByLabel('По', { exact: true }).fill('2026-02-28');
  const arrivals = page.getByRole('table', { name: 'Прибывшие и выбывшие' });
  await expect(arrivals.getByRole('row', { name: new RegExp(`${surname} Полина`) })).toContainText('г. Канск');
  await expect(page.getByRole('table', { name: 'Сводная ведомость движения' }).getByRole('row', { name: /Итого/ })).toBeVisible();
  expect(younger.fileNo).toMatch(/^Е\/\d+$/);

  // The director reads the register but changes nothing.
  const director = await browser.newPage();
  await login(director, state.users.director, url);
  await openSection(director, 'Контингент');
  await expect(director.getByRole('button', { name: 'Зачислить…' })).toHaveCount(0);
  await director.getByLabel('Поиск').fill(older.fileNo!);
  await expect(director.locator('#pupils-table tbody tr')).toHaveCount(1);
  await director.getByLabel('Поиск').press('Enter');
  await expect(director.getByRole('heading', { name: new RegExp(`${surname} Полина`) })).toBeVisible();
  await expect(director.getByRole('button', { name: /Изменить анкету|Перевести|Выбытие|Добавить представителя/ })).toHaveCount(0);
  await director.close();
});

test('вернувшийся обучающийся зачисляется в прежнюю запись: тот же номер личного дела, без второй карточки', async ({ page, request }) => {
  const { secretary, classes } = await ensureSchool(request);
  const surname = uniqueSurname('Баранов');
  const snils = validSnils();
  const admitted = await secretary.call('movement.admit', {
    order: { date: '2025-10-06' },
    classId: classes.find((c) => c.parallel === 6)?.id ?? classes[0]!.id,
    pupil: { lastName: surname, firstName: 'Глеб', birthDate: '2013-08-21', gender: 'м', snils },
  });
  await secretary.call('movement.leave', { pupilId: admitted.pupilId, order: { date: '2025-12-01' }, reason: 'смена места жительства', place: 'г. Томск' });

  await login(page, state.users.secretary, url);
  await openSection(page, 'Контингент');
  const wizard = await startAdmission(page, '2026-02-09');
  await wizard.getByLabel('Фамилия').fill(surname);
  await wizard.getByLabel('Имя').fill('Глеб');
  await wizard.getByLabel('Дата рождения').fill('2013-08-21');
  await wizard.getByLabel('СНИЛС').fill(snils.replace(/\D/g, ''));
  await page.keyboard.press('Enter');
  const found = wizard.getByRole('group', { name: 'Найдены ранее обучавшиеся' });
  await expect(found).toContainText(`личное дело № ${admitted.fileNo!}`);
  await expect(wizard.getByRole('button', { name: /новый обучающийся/ })).toHaveCount(0);
  await found.getByRole('button', { name: 'Зачислить повторно' }).click();
  await wizard.getByLabel('Класс').selectOption(String(classes.find((c) => c.parallel === 6)?.id ?? classes[0]!.id));
  await wizard.getByLabel('Откуда прибыл').fill('г. Томск');
  await page.keyboard.press('Enter');
  await expect(wizard.locator('dd', { hasText: 'возвращается' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(wizard.getByTestId('file-no')).toHaveText(admitted.fileNo!);

  const rows = (await secretary.call('pupils.search', { query: surname, includeNotEnrolled: true, date: '2026-02-10' })).rows;
  expect(rows).toHaveLength(1);
  expect(rows[0]!.enrolled).toBe(true);
});
