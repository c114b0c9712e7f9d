import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { apiSession, login, openSection, state } from './helpers';

const url = state.contingentUrl;
/** A Wednesday of the demo year: the extracts cover Monday 13.10 to Sunday 19.10.2025. */
const WEEK_DAY = '2025-10-15';
const REFUSAL = /нет семей, отказавшихся от электронного дневника/;

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

test('секретарь печатает выписки за неделю для семей без электронного дневника', async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await apiSession(request, state.users.admin, url);
  const overview = await admin.call('school.overview', {});
  if (overview.counts.classes === 0) await admin.call('demo.generate', { seed: 3, pupils: 120, year: '2025/2026' });
  const { classes } = await admin.call('classes.list', { date: WEEK_DAY });

  // Through the API first: a class that gets extracts, and one that has nobody to print for.
  let target: { id: number; label: string; pdf: string } | null = null;
  let quiet: { id: number; label: string } | null = null;
  for (const c of classes) {
    if (c.pupils === 0 || (target && quiet)) continue;
    try {
      const printed = await admin.call('print.document', { document: { kind: 'weeklyExtracts', classId: c.id, week: WEEK_DAY } });
      if (!target) {
        const file = testInfo.outputPath('api-extracts.pdf');
        writeFileSync(file, Buffer.from(printed.pdfBase64, 'base64'));
        target = { id: c.id, label: c.label, pdf: file };
      }
    } catch (error) {
      expect(String(error)).toMatch(REFUSAL);
      quiet ??= { id: c.id, label: c.label };
    }
  }
  if (!target || !quiet) throw new Error('the demo school needs a class with refusing families and one without');

  await login(page, state.users.secretary, url);
  await openSection(page, 'Коды доступа');
  await page.getByLabel('Класс').selectOption(String(target.id));
  const panel = page.getByTestId('extracts-panel');
  const week = panel.getByLabel('Неделя (любой её день)');
  // The picker starts on the Monday of the current week.
  const initial = await week.inputValue();
  expect(new Date(`${initial}T00:00:00Z`).getUTCDay()).toBe(1);
  await week.fill(WEEK_DAY);
  await expect(panel.getByText('с 13.10.2025 (пн) по 19.10.2025 (вс)')).toBeVisible();
  await expect(panel.getByTestId('extracts-hint')).toContainText(/Выписки нужны: \d+ обучающ/);

  await panel.getByRole('button', { name: 'Напечатать выписки за неделю' }).click();
  const save = panel.getByRole('link', { name: /^Сохранить «Выписки из электронного журнала/ });
  await expect(save).toBeVisible({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await save.click();
  const download = await downloading;
  const file = testInfo.outputPath('extracts.pdf');
  await download.saveAs(file);
  const text = pdfText(file);
  expect(text).toContain('Выписка из электронного журнала за неделю с 13.10 по 19.10.2025');
  expect(text).toContain('Подпись родителя');
  // The window printed the same document the register gives for the class and week.
  expect(text).toBe(pdfText(target.pdf));

  // A class where every family uses the electronic diary: the refusal is shown, nothing to save.
  await page.getByLabel('Класс').selectOption(String(quiet.id));
  await expect(panel.getByTestId('extracts-hint')).toContainText('В классе нет семей');
  await panel.getByRole('button', { name: 'Напечатать выписки за неделю' }).click();
  await expect(panel.getByText(`В классе ${quiet.label} нет семей, отказавшихся от электронного дневника: выписки печатать не нужно.`)).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole('link', { name: /^Сохранить «/ })).toHaveCount(0);
});
