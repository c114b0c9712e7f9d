import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiSession, login, openSection, state } from './helpers';

/**
 * «Печать и архив» through the window, on the contingent register (its demo school of
 * 2025/2026): the archivist prints the journal of the smallest class, sees the PDF and its
 * figures, seals it, finds it in the register, prints it again (version 2 replaces version 1),
 * verifies the archive (whole; then one byte changed is named). The director sees the register
 * and opens the PDF, with nothing that changes it. The act of destruction is printed for a far
 * date (the volume is in it, for planning) and for today (empty: no term has passed yet; the
 * server refuses an approval date in the future, so marking destroyed cannot run here).
 */
const url = state.contingentUrl;
const YEAR = '2025/2026';

/** Today in the browser's time zone, as the date field takes it. */
function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test.describe.configure({ mode: 'serial' });

/** The class as the «Класс» list shows it: «5А (11)». */
let classOption = '';
let classLabel = '';
let archiveNo = '';

test.beforeAll(async ({ request }) => {
  const admin = await apiSession(request, state.users.admin, url);
  if ((await admin.call('school.overview', {})).counts.classes === 0) {
    await admin.call('demo.generate', { seed: 3, pupils: 120, year: YEAR });
  }
  const { years } = await admin.call('years.list', {});
  const year = years.find((y) => y.name === YEAR);
  if (!year) throw new Error(`no year ${YEAR} in the register`);
  const { classes } = await admin.call('years.get', { yearId: year.id });
  // The smallest class with pupils: the printing stays short.
  const smallest = classes.filter((c) => c.pupils > 0).sort((a, b) => a.pupils - b.pupils)[0];
  if (!smallest) throw new Error('the demo school has no class with pupils');
  classLabel = smallest.label;
  classOption = `${smallest.label} (${smallest.pupils})`;
});

/** «Печать»: the class journal of our class, formed and shown; returns the figures line. */
async function printJournal(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Печать', exact: true }).click();
  const form = page.getByRole('form', { name: 'Печать документа' });
  await form.getByLabel('Документ').selectOption({ label: 'Классный журнал' });
  await form.getByLabel('Учебный год').selectOption({ label: YEAR });
  await form.getByLabel('Класс', { exact: true }).selectOption({ label: classOption });
  await form.getByLabel('Класс', { exact: true }).press('Enter');
  const preview = page.getByTestId('archive-preview');
  await expect(preview).toBeVisible({ timeout: 90_000 });
  const figures = await page.getByTestId('archive-preview-figures').innerText();
  const match = /(\d+) страниц\S*, (\d+) лист\S* \((одно|дву)сторонняя печать\)/.exec(figures);
  expect(match, figures).not.toBeNull();
  const pages = Number(match![1]);
  const sheets = Number(match![2]);
  expect(pages).toBeGreaterThan(2);
  expect(sheets).toBeGreaterThan(0);
  expect(sheets).toBeLessThanOrEqual(pages);
  // The PDF is inside the window: an iframe of a blob URL that the page's CSP lets load.
  const frame = preview.getByTestId('archive-pdf');
  const src = (await frame.getAttribute('src')) ?? '';
  expect(src).toMatch(/^blob:/);
  await expect.poll(() => page.frames().some((f) => f.url() === src)).toBe(true);
  return figures;
}

test('архивариус печатает журнал, сдаёт его, печатает заново и проверяет архив', async ({ page, request }) => {
  test.setTimeout(240_000);
  await login(page, state.users.archivist, url);
  await openSection(page, 'Печать и архив');

  // «Прервать» stops the printing: no preview, the window says nothing was changed.
  const form = page.getByRole('form', { name: 'Печать документа' });
  await form.getByLabel('Класс', { exact: true }).selectOption({ label: classOption });
  await form.getByRole('button', { name: 'Сформировать' }).click();
  await page.getByTestId('archive-print-progress').getByRole('button', { name: 'Прервать' }).click();
  await expect(form.getByRole('alert')).toContainText(/отменена/, { timeout: 30_000 });
  await expect(page.getByTestId('archive-preview')).toHaveCount(0);

  // Version 1: printed, saved as a file, sealed.
  const first = await printJournal(page);
  expect(first).toMatch(/Дело № \S+, версия 1/);
  expect(first).not.toMatch(/заменит/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Сохранить PDF…' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  await page.getByRole('button', { name: 'Сдать в архив' }).click();
  const sealed = page.getByTestId('archive-sealed');
  await expect(sealed).toBeVisible({ timeout: 30_000 });
  const sealedText = await sealed.innerText();
  archiveNo = /дело № (\S+?)[\s,]/.exec(sealedText)?.[1] ?? '';
  expect(archiveNo).not.toBe('');
  expect(sealedText).toMatch(/SHA-256 [0-9a-f]{12}…/);
  expect(sealedText).toMatch(/срок хранения 5 лет, хранить до \d{2}\.\d{2}\.\d{4}/);

  // The register has it, sealed.
  await page.getByRole('tab', { name: 'Опись' }).click();
  const row = page.getByTestId('archive-row').filter({ hasText: archiveNo });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('сдано');
  await expect(row).toContainText(classLabel);
  await expect(page.getByText('Электронные копии должны храниться на двух носителях: укажите папку второй копии в настройках.')).toBeVisible();

  // Version 2 replaces it; the register shows the replaced one only when asked.
  const second = await printJournal(page);
  expect(second).toMatch(new RegExp(`Дело № ${archiveNo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, версия 2 — заменит сданное`));
  await page.getByRole('button', { name: 'Сдать в архив' }).click();
  await expect(page.getByTestId('archive-sealed')).toContainText('версия 2', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Опись' }).click();
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('сдано');
  await page.getByLabel('Показать заменённые и уничтоженные').check();
  await expect(row).toHaveCount(2);
  await expect(row.filter({ hasText: 'заменено' })).toHaveCount(1);
  await expect(row.filter({ hasText: 'сдано' })).toHaveCount(1);

  // Every copy is whole.
  await page.getByRole('tab', { name: 'Проверка' }).click();
  await page.getByRole('button', { name: 'Проверить архив' }).click();
  const verdict = page.getByTestId('archive-verify-result');
  await expect(verdict).toContainText(/Все \d+ дел\S* \(\d+ копи\S*\) целы/, { timeout: 30_000 });

  // One byte of the stored PDF changed: the check names the volume; restored, all is whole again.
  const archivist = await apiSession(request, state.users.archivist, url);
  const register = await archivist.call('archive.list', {});
  const current = register.rows.find((r) => r.archiveNo === archiveNo && r.status === 'sealed');
  if (!current) throw new Error(`no sealed volume ${archiveNo}`);
  const stored = join(register.archiveDir, ...current.fileName.split('/'));
  const original = readFileSync(stored);
  const damaged = Buffer.from(original);
  const at = Math.floor(damaged.length / 2);
  damaged[at] = damaged[at]! ^ 0xff;
  writeFileSync(stored, damaged);
  try {
    await page.getByRole('button', { name: 'Проверить архив' }).click();
    const problem = page.getByTestId('archive-verify-problem').filter({ hasText: `№ ${archiveNo}` });
    await expect(problem).toHaveCount(1, { timeout: 30_000 });
    await expect(verdict).toContainText('найдено проблем: 1');
  } finally {
    writeFileSync(stored, original);
  }
  await page.getByRole('button', { name: 'Проверить архив' }).click();
  await expect(verdict).toContainText(/Все \d+ дел\S* \(\d+ копи\S*\) целы/, { timeout: 30_000 });
});

test('директор видит опись и открывает PDF, но не печатает и не сдаёт', async ({ page }) => {
  await login(page, state.users.director, url);
  await openSection(page, 'Печать и архив');
  await expect(page.getByRole('tab')).toHaveText(['Опись']);
  await expect(page.getByRole('button', { name: 'Сформировать' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Проверить архив' })).toHaveCount(0);
  const row = page.getByTestId('archive-row').filter({ hasText: archiveNo });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Открыть PDF' }).click();
  const dialog = page.getByRole('dialog', { name: `Дело № ${archiveNo}, версия 2` });
  const src = (await dialog.getByTestId('archive-pdf').getAttribute('src')) ?? '';
  expect(src).toMatch(/^blob:/);
  await expect.poll(() => page.frames().some((f) => f.url() === src)).toBe(true);
  await dialog.getByRole('button', { name: 'Закрыть' }).click();
  await expect(dialog).toBeHidden();
});

test('архивариус печатает акт о выделении к уничтожению дел с истёкшим сроком', async ({ page }) => {
  await login(page, state.users.archivist, url);
  await openSection(page, 'Печать и архив');
  // The act for a far date lists the volume (its term, 5 years, has passed by then).
  await page.getByRole('tab', { name: 'Уничтожение' }).click();
  await page.getByLabel('Срок истёк на дату').fill('2100-01-01');
  await expect(page.getByText(/Срок хранения истёк: \d+ дел/)).toBeVisible();
  await page.getByRole('button', { name: 'Сформировать акт' }).click();
  const act = page.getByTestId('archive-act');
  await expect(act).toBeVisible({ timeout: 30_000 });
  await expect(act).toContainText(`№ ${archiveNo}`);
  await expect(act.getByTestId('archive-pdf')).toHaveAttribute('src', /^blob:/);
  // The terms pass only in the future: the act is for planning, nothing can be marked destroyed yet.
  await expect(act).toContainText('Акт составлен на будущую дату');
  await expect(act.getByRole('button', { name: 'Отметить уничтоженными…' })).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), act.getByRole('button', { name: 'Сохранить акт…' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);

  // Today nothing is past its term: no act, and the screen says from when there will be one.
  await page.getByLabel('Срок истёк на дату').fill(todayIso());
  await expect(page.getByText('Дел с истёкшим сроком хранения нет.')).toContainText('Первые дела можно будет включить в акт с 01.01.2032.');
  await expect(act).toBeHidden();
  await page.getByRole('button', { name: 'Сформировать акт' }).click();
  await expect(page.getByRole('alert')).toContainText('нет дел с истёкшим сроком хранения', { timeout: 30_000 });
  await expect(act).toBeHidden();
});

test('печать года: сданное не печатается повторно, повторный запуск продолжает', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, state.users.archivist, url);
  await openSection(page, 'Печать и архив');
  await page.getByRole('tab', { name: 'Печать года' }).click();
  const form = page.getByRole('form', { name: 'Печать года' });
  await form.getByLabel('Учебный год').selectOption({ label: YEAR });
  // The short ledger only: one document, printed quickly.
  for (const kind of ['Классные журналы всех классов', 'Сводная ведомость итоговых отметок', 'Сводная ведомость посещаемости']) {
    await form.getByLabel(kind).uncheck();
  }
  await expect(form.getByLabel('Сводная ведомость движения обучающихся')).toBeChecked();
  await form.getByRole('button', { name: 'Напечатать и сдать в архив' }).click();
  const result = page.getByTestId('archive-year-result');
  await expect(result).toContainText('Сдано сейчас: 1 дело', { timeout: 90_000 });
  await expect(result).toContainText('Все документы года сданы в архив.');

  // Again: the ledger is in the archive already and is not printed a second time.
  await form.getByRole('button', { name: 'Напечатать и сдать в архив' }).click();
  await expect(result).toContainText('Сдано сейчас: 0 дел', { timeout: 60_000 });
  await expect(result).toContainText(/Уже были в архиве.*: 1 дело/);

  await page.getByRole('tab', { name: 'Опись' }).click();
  await expect(page.getByTestId('archive-row').filter({ hasText: 'Сводная ведомость движения обучающихся' })).toHaveCount(1);
});

test('администратор задаёт настройки архива: папку второй копии и сроки хранения', async ({ page, request }) => {
  const admin = await apiSession(request, state.users.admin, url);
  const before = await admin.call('settings.get', {});
  const mirror = join(state.dir, 'archive-mirror');
  // The second disk is plugged in: its folder exists (the program never creates a missing one).
  mkdirSync(mirror, { recursive: true });
  try {
    await login(page, state.users.admin, url);
    await openSection(page, 'Настройки');
    const form = page.getByRole('form', { name: 'Настройки архива' });
    await form.getByLabel('Срок хранения, лет: классный журнал').fill('0');
    await form.getByLabel('Папка второй копии архива').fill(mirror);
    await form.getByLabel('Папка второй копии архива').press('Enter');
    await expect(form.getByText('целое число лет от 1 до 100')).toBeVisible();
    await form.getByLabel('Срок хранения, лет: классный журнал').fill('6');
    await form.getByLabel('Двусторонняя печать по умолчанию').check();
    await form.getByLabel('Папка второй копии архива').press('Enter');
    await expect(page.getByText('Настройки архива сохранены.')).toBeVisible();
    const saved = await admin.call('settings.get', {});
    expect(saved.retentionYears.class_journal).toBe(6);
    expect(saved.duplexByDefault).toBe(true);
    expect(saved.archiveMirrorDir).toBe(mirror);

    // The register names the second folder and no longer warns; printing starts two-sided.
    await openSection(page, 'Печать и архив');
    await expect(page.getByRole('checkbox', { name: 'Двусторонняя печать' })).toBeChecked();
    await page.getByRole('tab', { name: 'Опись' }).click();
    await expect(page.getByText(mirror)).toBeVisible();
    await expect(page.getByText('Электронные копии должны храниться на двух носителях', { exact: false })).toHaveCount(0);
    // The volumes sealed before the folder was set have no second copy: «Проверка» says so and writes them.
    await page.getByRole('tab', { name: 'Проверка' }).click();
    await page.getByRole('button', { name: 'Проверить архив' }).click();
    const verdict = page.getByTestId('archive-verify-result');
    await expect(verdict.getByTestId('archive-verify-problem').filter({ hasText: 'файл не найден' }).first()).toBeVisible({ timeout: 30_000 });
    await verdict.getByRole('button', { name: 'Записать недостающие вторые копии' }).click();
    await expect(verdict.getByTestId('archive-mirror-sync-result')).toContainText(/Записано вторых копий: [1-9]\d*; уже были на месте и целы: 0\./, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Проверить архив' }).click();
    await expect(verdict).toContainText(/Все \d+ дел\S* \(\d+ копи\S*\) целы/, { timeout: 30_000 });
    // The register's header offers the same; now every copy is there.
    await page.getByRole('tab', { name: 'Опись' }).click();
    await page.getByTestId('archive-register-mirror-sync').getByRole('button', { name: 'Записать недостающие вторые копии' }).click();
    await expect(page.getByTestId('archive-register-mirror-sync')).toContainText(/Записано вторых копий: 0; уже были на месте и целы: [1-9]\d*\./, { timeout: 30_000 });
  } finally {
    await admin.call('settings.update', {
      retentionYears: before.retentionYears,
      duplexByDefault: before.duplexByDefault,
      archiveMirrorDir: before.archiveMirrorDir,
    });
  }
});
