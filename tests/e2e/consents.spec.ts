import { expect, test, type Page } from '@playwright/test';
import { apiSession, login, openSection, state } from './helpers';

const url = state.contingentUrl;

/** The smallest valid PNG (1×1 pixel): a scan that passes the type check by its first bytes. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The register's "today" (the host counts days in UTC). The window runs in Krasnoyarsk time, so
 * its own today may already be tomorrow for the host: the tests type the host's day.
 */
const hostToday = () => new Date().toISOString().slice(0, 10);

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const ru = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;

/** The demo school (classes of 2025/2026) unless the register already has classes. */
async function ensureSchool(request: Parameters<typeof apiSession>[0]) {
  const admin = await apiSession(request, state.users.admin, url);
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const secretary = await apiSession(request, state.users.secretary, url);
  return { admin, secretary };
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

test('администратор сохраняет новую редакцию текста согласия', async ({ page, request }) => {
  const { admin } = await ensureSchool(request);
  const versions = (await admin.call('consentTemplates.list', {})).templates.filter((t) => t.purpose === 'pupil_data');
  const last = Math.max(0, ...versions.map((t) => t.version));

  await login(page, state.users.admin, url);
  await openSection(page, 'Согласия');
  await openTab(page, 'Тексты согласий');
  const section = page.locator('section[data-purpose="pupil_data"]');
  await expect(section.getByTestId('template-version')).toHaveText(last ? `редакция № ${last}` : 'текст не утверждён');
  await section.getByRole('button', { name: /^(Новая редакция…|Утвердить текст…)$/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Новая редакция/ });
  await expect(dialog.getByLabel('Заголовок')).toBeFocused();
  // Pre-filled from the current (or suggested) text.
  await expect(dialog.getByLabel('Цель обработки')).not.toHaveValue('');
  const title = `Согласие на обработку персональных данных обучающегося, редакция ${Date.now().toString(36)}`;
  await dialog.getByLabel('Заголовок').fill(title);

  // An emptied required part: the error is shown at the field and nothing closes.
  const dataList = await dialog.getByLabel('Перечень данных').inputValue();
  await dialog.getByLabel('Перечень данных').fill('   ');
  await dialog.getByRole('button', { name: 'Сохранить новую редакцию' }).click();
  await expect(dialog.getByText('обязательное поле')).toBeVisible();
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Перечень данных').fill(dataList);
  await dialog.getByRole('button', { name: 'Сохранить новую редакцию' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByTestId('template-version')).toHaveText(`редакция № ${last + 1}`);
  await expect(section).toContainText(title);
  if (last > 0) await expect(section.getByText(/^Прежние редакции/)).toBeVisible();

  const current = (await admin.call('consentTemplates.list', {})).templates.find((t) => t.purpose === 'pupil_data' && t.current);
  expect(current?.version).toBe(last + 1);
  expect(current?.title).toBe(title);
  expect(current?.dataList).toBe(dataList.trim());
});

test('секретарь видит недостающие согласия класса, записывает и отзывает согласие, составляет акт', async ({ page, request }) => {
  test.setTimeout(120_000);
  const { secretary } = await ensureSchool(request);
  const today = hostToday();
  const { classes } = await secretary.call('consents.coverage', {});
  const withGaps = classes.filter((c) => c.missing.length > 0);
  expect(withGaps.length).toBeGreaterThan(0);
  const cls = withGaps.find((c) => c.refusedElectronic.length > 0) ?? withGaps[0]!;
  const names = new Map((await secretary.call('pupils.search', { classId: cls.classId, limit: 5000 })).rows.map((r) => [r.id, [r.lastName, r.firstName, r.middleName].filter(Boolean).join(' ')]));
  const gap = cls.missing[0]!;
  const pupilName = names.get(gap.pupilId)!;
  expect(pupilName).toBeTruthy();

  await login(page, state.users.secretary, url);
  await openSection(page, 'Согласия');
  await expect(page.getByLabel('Класс', { exact: true })).toBeFocused();
  await page.getByLabel('Класс', { exact: true }).selectOption(String(cls.classId));

  // The class: the missing consent is marked at its pupil, the refusals are listed apart.
  const coverage = page.locator('#coverage-table');
  await expect(coverage.locator('caption')).toContainText(`Класс ${cls.class}`);
  const gapRow = coverage.locator('tbody tr').filter({ hasText: pupilName });
  await expect(gapRow.locator(`td[data-purpose="${gap.purpose}"]`)).toContainText(gap.personKind === 'pupil' ? 'обучающийся' : gap.person);
  await expect(gapRow.locator(`td[data-purpose="${gap.purpose}"]`)).toContainText(gap.reason);
  const refusedPairs = new Set(cls.refusedElectronic.map((r) => `${r.guardianId}:${r.pupilId}`));
  await expect(page.locator('#refused-table tbody tr')).toHaveCount(refusedPairs.size);
  for (const r of cls.refusedElectronic.slice(0, 3)) {
    await expect(page.locator('#refused-table tbody tr').filter({ hasText: r.guardian }).first()).toContainText(r.pupil);
  }
  await expect(page.getByRole('button', { name: 'Печать: Бланки согласий класса' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Печать: Список для классного руководителя' })).toBeVisible();

  // The family of that pupil.
  await gapRow.getByRole('button', { name: pupilName }).click();
  await expect(page.getByRole('tab', { name: 'Семья' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { level: 2, name: pupilName })).toBeVisible();
  const family = page.locator('#family-table');
  const distribution = family.locator('tbody tr[data-purpose="distribution"]');
  await expect(distribution).toHaveCount(1);

  // The family's forms: one PDF with a separate form per consent and person.
  await page.getByRole('button', { name: 'Печать: Бланки согласий семьи' }).click();
  await expect(page.getByRole('link', { name: /^Сохранить «/ })).toBeVisible({ timeout: 60_000 });

  // Record the consent to distribution with one category and a scan.
  await distribution.getByRole('button', { name: 'Записать согласие…' }).click();
  const record = page.getByRole('dialog', { name: 'Запись согласия' });
  await expect(record.getByLabel('Решение')).toBeFocused();
  await expect(record.getByText('не больше 5 МБ')).toBeVisible();
  // A day before the pupil's birth: the host refuses, the message stays in the open dialog.
  await record.getByLabel('Дата решения').fill('2001-01-01');
  const categories = record.getByRole('group', { name: 'Категории данных, разрешённые для распространения' });
  await categories.getByRole('checkbox').first().check();
  await record.getByRole('button', { name: 'Записать согласие' }).click();
  await expect(record.getByRole('alert')).toContainText('раньше даты рождения');
  await expect(record).toBeVisible();

  await record.getByLabel('Дата решения').fill(today);
  await record.getByLabel('Скан подписанного согласия (необязательно)').setInputFiles({ name: 'согласие.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await record.getByRole('button', { name: 'Записать согласие' }).click();
  await expect(record).toBeHidden();
  await expect(distribution.getByTestId('consent-status')).toHaveText(/^дано/);
  await expect(distribution).toContainText(ru(today));
  await expect(distribution).toContainText('Разрешено:');
  await distribution.getByRole('button', { name: 'Скан' }).click();
  await expect(distribution.getByRole('link', { name: 'Сохранить «согласие.png»' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'История согласий' }).locator('tbody tr').first()).toBeVisible();

  // Withdraw it: the deadline is 30 days later.
  await distribution.getByRole('button', { name: 'Отозвать…' }).click();
  const withdraw = page.getByRole('dialog', { name: 'Отзыв согласия' });
  await withdraw.getByLabel('Дата отзыва').fill(today);
  await withdraw.getByRole('button', { name: 'Отозвать согласие' }).click();
  const withdrawn = page.getByRole('dialog', { name: 'Согласие отозвано' });
  const due = addDays(today, 30);
  await expect(withdrawn.getByTestId('destroy-due')).toHaveText(ru(due));
  await withdrawn.getByRole('button', { name: 'Готово' }).click();
  await expect(withdrawn).toBeHidden();
  await expect(distribution.getByTestId('consent-status')).toContainText('отозвано');

  // «Срок уничтожения»: the withdrawal with its deadline, then the act.
  await openTab(page, 'Срок уничтожения');
  const dueRow = page.locator('#due-table tbody tr').filter({ hasText: pupilName }).filter({ hasText: 'распространение' });
  await expect(dueRow).toHaveCount(1);
  await expect(dueRow.getByTestId('destroy-due')).toHaveText(ru(due));
  await expect(dueRow).toContainText('осталось 30 дней');
  await dueRow.getByRole('button', { name: 'Уничтожить данные и составить акт…' }).click();
  const destroy = page.getByRole('dialog', { name: 'Уничтожение данных и акт' });
  await expect(destroy).toContainText('опубликованные материалы');
  await expect(destroy.getByLabel('Способ уничтожения')).toHaveCount(0);
  await destroy.getByLabel('Дата акта').fill(today);
  await destroy.getByLabel('Члены комиссии').fill('Председатель комиссии, директор Кузнецов С. В.\nСекретарь Петрова М. И.');
  await destroy.getByRole('button', { name: 'Уничтожить данные и составить акт' }).click();
  const destroyed = page.getByRole('dialog', { name: 'Данные уничтожены' });
  await expect(destroyed.getByTestId('destroy-result')).toContainText('Составлен акт №');
  await destroyed.getByRole('button', { name: 'Выгрузка журнала' }).click();
  await expect(destroyed.getByRole('link', { name: /^Сохранить «/ })).toBeVisible();
  await destroyed.getByRole('button', { name: 'Готово' }).click();
  await expect(dueRow).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Акты об уничтожении' }).locator('tbody tr').filter({ hasText: pupilName })).toHaveCount(1);

  // A guardian's own data: the dialog warns that the erasure cannot be undone; cancelled here.
  const guardian = (await secretary.call('consents.family', { pupilId: gap.pupilId })).subjects.find(
    (s) => s.kind === 'guardian' && s.purposes.some((p) => p.purpose === 'guardian_data' && p.status === 'given'),
  );
  expect(guardian).toBeTruthy();
  const given = guardian!.purposes.find((p) => p.purpose === 'guardian_data')!;
  await secretary.call('consents.withdraw', { consentId: given.consentId!, date: today });
  await openTab(page, 'Семья');
  await openTab(page, 'Срок уничтожения');
  const guardianRow = page.locator('#due-table tbody tr').filter({ hasText: guardian!.name });
  await guardianRow.getByRole('button', { name: 'Уничтожить данные и составить акт…' }).click();
  await expect(destroy).toContainText('Это действие необратимо.');
  await expect(destroy).toContainText('Для архива остаются: фамилия, имя, отчество и степень родства');
  await expect(destroy.getByLabel('Способ уничтожения')).not.toHaveValue('');
  // Without the confirmation nothing is erased and the dialog stays.
  await destroy.getByRole('button', { name: 'Уничтожить данные и составить акт' }).click();
  await expect(destroy.getByText('подтвердите, что данные будут стёрты безвозвратно')).toBeVisible();
  await destroy.getByRole('button', { name: 'Отмена' }).click();
  await expect(destroy).toBeHidden();
  await expect(guardianRow).toHaveCount(1);
});

test('директор видит согласия, но без кнопок изменения', async ({ page, request }) => {
  await ensureSchool(request);
  await login(page, state.users.director, url);
  await openSection(page, 'Согласия');
  const coverage = page.locator('#coverage-table');
  await expect(coverage.locator('caption')).toContainText('Класс');
  // Show every pupil, then open the first family.
  await page.getByLabel('только с недостающими согласиями').uncheck();
  const first = coverage.locator('tbody tr').first().getByRole('button');
  const name = (await first.innerText()).trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(page.locator('#family-table tbody tr').first()).toBeVisible();
  const writeButtons = /Записать согласие|Отозвать|Уничтожить|Новая редакция|Утвердить текст/;
  await expect(page.getByRole('button', { name: writeButtons })).toHaveCount(0);

  // The tabs answer the arrow keys.
  await page.getByRole('tab', { name: 'Семья' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Срок уничтожения' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Срок уничтожения' })).toBeFocused();
  await expect(page.locator('#due-table')).toBeVisible();
  await expect(page.getByRole('button', { name: writeButtons })).toHaveCount(0);

  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('Изменять тексты может только администратор.')).toBeVisible();
  await expect(page.locator('section[data-purpose="pupil_data"]')).toContainText('Перечень данных');
  await expect(page.getByRole('button', { name: writeButtons })).toHaveCount(0);
});
