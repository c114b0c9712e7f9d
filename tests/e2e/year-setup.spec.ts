import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOrThrow, startOwnHost, type OwnHost } from './own-host';
import { apiSession, login, openSection, state } from './helpers';

/**
 * «Учебный год», set-up: the administrator opens 2026/2027 from the demo school's 2025/2026 with
 * the wizard, then edits its calendar and classes; the director only looks. The year change
 * would disturb the other specs' schools (their classes lists), so this spec runs its own host.
 */

const admin = state.users.admin;
const director = state.users.director;

let dir = '';
let host: OwnHost | null = null;
let url = '';

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'school-office-year-setup-'));
  const db = join(dir, 'school.db');
  cliOrThrow(['--db', db, 'init', '--admin', admin.login, '--name', admin.fullName, '--school', 'МБОУ «Школа № 12»'], `${admin.password}\n`);
  cliOrThrow(['--db', db, '--user', admin.login, 'user', 'add', director.login, '--role', 'director', '--name', director.fullName], '', {
    SCHOOL_OFFICE_PASSWORD: admin.password,
    SCHOOL_OFFICE_NEW_PASSWORD: director.password,
  });
  host = await startOwnHost(db);
  url = host.url;
  const api = await apiSession(request, admin, url);
  await api.call('demo.generate', { seed: 5, pupils: 120, year: '2025/2026' });
});

test.afterAll(() => {
  host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** «Фамилия И. О.», as the staff select lists a person. */
function short(s: { lastName: string; firstName: string; middleName: string | null }): string {
  return [s.lastName, [s.firstName, s.middleName].filter(Boolean).map((n) => `${n!.charAt(0)}.`).join(' ')].join(' ').trim();
}

async function selectedText(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
}

test('администратор открывает 2026/2027 мастером, правит календарь и классы; директор только смотрит', async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  const api = await apiSession(request, admin, url);
  const { years } = await api.call('years.list', {});
  const source = years.find((y) => y.name === '2025/2026')!;
  const old = await api.call('years.get', { yearId: source.id });
  const { staff } = await api.call('staff.list', {});
  const old5a = old.classes.find((c) => c.parallel === 5 && c.letter === 'А')!;
  const teacher5a = staff.find((s) => s.id === old5a.classTeacherId)!;
  expect(teacher5a, 'в демо-школе у 5А есть классный руководитель').toBeTruthy();

  await login(page, admin, url);
  await openSection(page, 'Учебный год');
  await expect(page.getByLabel('Учебный год', { exact: true })).toHaveValue(String(source.id));
  await page.getByRole('button', { name: 'Открыть учебный год…' }).click();

  // Step 1: the next year with the lead's default dates, copying from the newest year.
  const wizard = page.getByRole('region', { name: 'Открыть учебный год' });
  const name = wizard.getByLabel('Учебный год', { exact: true });
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('2026/2027');
  await expect(wizard.getByLabel('Начало года')).toHaveValue('2026-09-01');
  await expect(wizard.getByLabel('Конец года')).toHaveValue('2027-05-31');
  expect(await selectedText(page, 'Скопировать структуру из')).toContain('2025/2026');
  await name.press('Enter');

  // Step 2: the calendar a year later; Enter moves on from its first field.
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Периоды и каникулы' })).toHaveAttribute('aria-current', 'step');
  const firstName = wizard.getByLabel('Название: 1 четверть');
  await expect(firstName).toBeFocused();
  const q1 = old.periods.find((p) => p.scheme === 'quarters' && p.number === 1)!;
  await expect(wizard.getByLabel('Начало: 1 четверть')).toHaveValue(q1.startsOn.replace(/^\d{4}/, (y) => String(Number(y) + 1)));
  await firstName.press('Enter');

  // Step 3: 5А has become 6А with its class teacher.
  await expect(wizard.getByRole('table', { name: 'Классы' })).toBeVisible();
  await expect(wizard.getByRole('table', { name: 'Классы' }).getByRole('combobox').first()).toBeFocused();
  // Enter in a row adds a row below it, same parallel, with the cursor in it; the row can go again.
  await page.keyboard.press('Enter');
  await expect(wizard.getByLabel('Параллель: 1', { exact: true })).toBeFocused();
  await expect(wizard.getByLabel('Литера: 1', { exact: true })).toHaveValue('');
  await wizard.getByRole('button', { name: 'Удалить класс 1', exact: true }).click();
  await expect(wizard.getByLabel('Параллель: 1', { exact: true })).toHaveCount(0);
  expect(await selectedText(page, 'Классный руководитель: 6А')).toBe(short(teacher5a));
  await wizard.getByRole('button', { name: 'Далее' }).click();

  // Step 4: curriculum rolled forward; then the summary and «Открыть год».
  await expect(wizard.getByRole('table', { name: /^Учебный план / })).toBeVisible();
  const classChoice = wizard.getByLabel('Класс', { exact: true });
  await expect(classChoice).toBeFocused();
  // The last class gets a subject twice: only the server sees it, when everything before it in
  // the draft (the year, its calendar, its classes) would already be written.
  const lastClass = await classChoice.evaluate((el) => {
    const options = (el as HTMLSelectElement).options;
    return { value: options[options.length - 1]!.value, label: options[options.length - 1]!.text.split(' ')[0]! };
  });
  await classChoice.selectOption(lastClass.value);
  const secondSubject = wizard.getByLabel('Предмет: строка 2', { exact: true });
  const secondSubjectWas = await secondSubject.inputValue();
  await secondSubject.selectOption(await wizard.getByLabel('Предмет: строка 1', { exact: true }).inputValue());
  await wizard.getByRole('button', { name: 'Далее' }).click();
  await expect(wizard.getByLabel('Итог')).toContainText('2026/2027');
  await expect(wizard.getByLabel('Итог')).toContainText('6А');
  await wizard.getByRole('button', { name: 'Открыть год' }).click();
  // Refused as a whole: back at the curriculum of that class, the error at its row; no year.
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Предметы и учебный план' })).toHaveAttribute('aria-current', 'step');
  await expect(wizard.getByRole('alert')).toContainText(`Учебный план ${lastClass.label}`);
  await expect(wizard.getByLabel('Класс', { exact: true })).toHaveValue(lastClass.value);
  await expect(secondSubject).toHaveAttribute('aria-invalid', 'true');
  await expect(secondSubject).toHaveAccessibleDescription(/предмет уже есть в строке 1/);
  expect((await api.call('years.list', {})).years.map((y) => y.name)).toEqual(['2025/2026']);
  await secondSubject.selectOption(secondSubjectWas);
  await expect(secondSubject).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.getByRole('button', { name: 'Далее' }).click();
  await wizard.getByRole('button', { name: 'Открыть год' }).click();
  await expect(page.getByText('Учебный год 2026/2027 открыт')).toBeVisible({ timeout: 30_000 });
  await expect(wizard).toBeHidden();

  const opened = (await api.call('years.list', {})).years.find((y) => y.name === '2026/2027')!;
  expect(opened.startsOn).toBe('2026-09-01');
  const structure = await api.call('years.get', { yearId: opened.id });
  const new6a = structure.classes.find((c) => c.label === '6А')!;
  expect(new6a.classTeacherId).toBe(teacher5a.id);
  await expect(page.getByLabel('Учебный год', { exact: true })).toHaveValue(String(opened.id));
  expect(await selectedText(page, 'Учебный год')).toBe('2026/2027');
  await expect(page.getByLabel('Учебный год', { exact: true }).locator('option', { hasText: '2025/2026' })).toHaveCount(1);

  // Calendar of the open year: the 1st quarter pushed into the 2nd — the error stands at the 2nd quarter's start.
  await expect(page.getByRole('tab', { name: 'Периоды и каникулы', selected: true })).toBeVisible();
  const q2 = structure.periods.find((p) => p.scheme === 'quarters' && p.number === 2)!;
  const q1End = page.getByLabel('Конец: 1 четверть');
  await q1End.fill(addDays(q2.startsOn, 3));
  const q2Start = page.getByLabel('Начало: 2 четверть');
  await expect(q2Start).toHaveAttribute('aria-invalid', 'true');
  await expect(q2Start).toHaveAccessibleDescription(/пересекается с периодом 1/);
  await page.getByRole('button', { name: 'Сохранить периоды и каникулы' }).click();
  await expect(page.getByRole('alert')).toContainText('Календарь не сохранён');
  const fixedEnd = addDays(structure.periods.find((p) => p.scheme === 'quarters' && p.number === 1)!.endsOn, -1);
  await q1End.fill(fixedEnd);
  await expect(q2Start).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Сохранить периоды и каникулы' }).click();
  await expect(page.getByText('Периоды и каникулы 2026/2027 сохранены')).toBeVisible();
  const afterCalendar = await api.call('years.get', { yearId: opened.id });
  expect(afterCalendar.periods.find((p) => p.scheme === 'quarters' && p.number === 1)!.endsOn).toBe(fixedEnd);

  // Classes: a new class whose teacher already leads 6А is refused, nothing is written.
  await page.getByRole('tab', { name: 'Классы' }).click();
  await page.getByRole('button', { name: 'Добавить класс' }).click();
  const parallel = page.getByLabel(/^Параллель: строка \d+$/);
  await expect(parallel).toBeFocused();
  await parallel.selectOption('6');
  await page.getByLabel('Литера: 6', { exact: true }).fill('Я');
  const teacherSelect = page.getByLabel('Классный руководитель: 6Я');
  await teacherSelect.selectOption({ label: short(teacher5a) });
  await expect(teacherSelect).toHaveAccessibleDescription(/уже классный руководитель 6А; у учителя может быть только один класс в году/);
  await page.getByRole('button', { name: 'Сохранить классы' }).click();
  await expect(page.getByRole('alert')).toContainText('Классы не сохранены');
  expect((await api.call('years.get', { yearId: opened.id })).classes.some((c) => c.label === '6Я')).toBe(false);

  // A new member of staff, added on the spot, leads it: accepted.
  await teacherSelect.selectOption({ label: '+ новый сотрудник…' });
  const newStaff = page.getByRole('group', { name: 'Новый сотрудник' });
  await expect(newStaff.getByLabel('Фамилия')).toBeFocused();
  await newStaff.getByLabel('Фамилия').fill('Тестова');
  await newStaff.getByLabel('Имя').fill('Ирина');
  await newStaff.getByLabel('Отчество').fill('Павловна');
  await newStaff.getByLabel('Отчество').press('Enter');
  await expect(newStaff).toBeHidden();
  expect(await selectedText(page, 'Классный руководитель: 6Я')).toBe('Тестова И. П.');
  await expect(teacherSelect).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Сохранить классы' }).click();
  await expect(page.getByText('Классы 2026/2027 сохранены')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Сохранить классы' })).toBeDisabled();
  const saved6ya = (await api.call('years.get', { yearId: opened.id })).classes.find((c) => c.label === '6Я')!;
  expect(saved6ya.classTeacher).toContain('Тестова');

  // The director sees the same year without a button that changes anything.
  const other = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
  const dp = await other.newPage();
  await login(dp, director, url);
  await openSection(dp, 'Учебный год');
  await expect(dp.getByLabel('Учебный год', { exact: true })).toHaveValue(String(opened.id));
  await expect(dp.getByText('Структуру года ведёт администратор')).toBeVisible();
  await expect(dp.getByRole('button', { name: 'Открыть учебный год…' })).toHaveCount(0);
  await expect(dp.getByRole('button', { name: /Сохранить|Удалить|Добавить|Отменить/ })).toHaveCount(0);
  await expect(dp.getByRole('textbox')).toHaveCount(0);
  await dp.getByRole('tab', { name: 'Классы' }).click();
  const classes = dp.getByRole('table', { name: 'Классы' });
  await expect(classes.getByRole('row').filter({ has: dp.getByRole('cell', { name: '6А', exact: true }) })).toContainText(short(teacher5a));
  await expect(dp.getByRole('combobox', { name: /Классный руководитель/ })).toHaveCount(0);
  await other.close();
});

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
