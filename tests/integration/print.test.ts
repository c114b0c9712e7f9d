import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params, Result } from '../../common/api/contract';
import type { ApiResponse } from '../../common/api/errors';
import { fileNumber } from '../../common/domain/russian';
import { browserCandidates, findBrowser } from '../../main/print/chromium';
import { loadAlphabetBook, safeFileName } from '../../main/print/documents';
import { countPdfPages } from '../../main/print/engine';
import { setPdfInfo } from '../../main/print/metadata';
import { openInitializedApp, type TestApp } from '../support/app';

type AdminApp = TestApp & { adminSession: string };
type PrintDocument = Params<'print.document'>['document'];
type Printed = Result<'print.document'>;

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Keep the PDFs and first-page images for a look: PRINT_OUT=/some/dir (else a temp folder, removed after). */
const OUT = process.env.PRINT_OUT ?? mkdtempSync(join(tmpdir(), 'school-office-print-test-'));

function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Through the real dispatcher, as the window calls it. */
function callPrint(t: AdminApp, document: PrintDocument): Promise<ApiResponse<unknown>> {
  return t.app.dispatch({ method: 'print.document', params: { document }, sessionId: t.adminSession });
}

async function printOk(t: AdminApp, name: string, document: PrintDocument): Promise<{ result: Printed; path: string; text: string; ms: number }> {
  const started = Date.now();
  const response = await callPrint(t, document);
  const ms = Date.now() - started;
  if (!response.ok) throw new Error(`print.document refused: ${response.error.code}: ${response.error.message}`);
  const result = response.result as Printed;
  const path = join(OUT, `${name}.pdf`);
  const pdf = Buffer.from(result.pdfBase64, 'base64');
  writeFileSync(path, pdf);
  console.log(`печать «${result.title}»: ${result.pages} стр., ${(pdf.length / 1024).toFixed(0)} КиБ, ${(ms / 1000).toFixed(1)} с → ${path}`);
  tool('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path, join(OUT, name)]);
  return { result, path, text: tool('pdftotext', ['-layout', path, '-']), ms };
}

function info(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of tool('pdfinfo', [path]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

function expectEmbeddedPtFonts(path: string): void {
  const rows = tool('pdffonts', [path]).split('\n').slice(2).filter((l) => l.trim() !== '');
  expect(rows.length).toBeGreaterThan(0);
  const pt = rows.filter((r) => /PT(Serif|Sans|\s?Serif|\s?Sans)/i.test(r));
  expect(pt.length).toBeGreaterThan(0);
  // Columns: name type encoding emb sub uni object ID — every PT font embedded.
  for (const row of pt) expect(row).toMatch(/\s+yes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
}

/** pdftotext -layout may split a cell over lines: compare without whitespace. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

describe('print pipeline without a browser', () => {
  it('looks for the browser in CHROMIUM_PATH first and names the variable when none is found', () => {
    expect(browserCandidates({ CHROMIUM_PATH: '/opt/x/chrome' }, 'linux')[0]).toBe('/opt/x/chrome');
    expect(browserCandidates({}, 'linux')).toContain('/usr/bin/chromium');
    const win = browserCandidates({ PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32');
    expect(win.some((p) => p.endsWith('chrome.exe'))).toBe(true);
    expect(win.some((p) => p.endsWith('msedge.exe'))).toBe(true);
    expect(browserCandidates({}, 'darwin')[0]).toContain('/Applications/');
    expect(() => findBrowser({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/CHROMIUM_PATH/);
    if (HAVE_CHROMIUM) expect(findBrowser({})).toBe(CHROMIUM);
  });

  it('makes file names safe and adds the Info dictionary as an incremental update', () => {
    expect(safeFileName('Приказ 12/у: «О зачислении»?')).toBe('Приказ 12 у О зачислении');
    const minimal = Buffer.from(
      '%PDF-1.4\n1 0 obj\n<</Title (x)>>\nendobj\n2 0 obj\n<</Type /Catalog /Pages 3 0 R>>\nendobj\n3 0 obj\n<</Type /Pages /Kids [4 0 R] /Count 1>>\nendobj\n' +
        '4 0 obj\n<</Type /Page /Parent 3 0 R /MediaBox [0 0 595 842]>>\nendobj\nxref\n0 5\n0000000000 65535 f \n' +
        'trailer\n<</Size 5\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n120\n%%EOF\n',
      'latin1',
    );
    const out = setPdfInfo(minimal, { title: 'Т', author: 'Школа', subject: 'С', keywords: 'к', creator: 'Канцелярия' }).toString('latin1');
    expect(out.startsWith(minimal.toString('latin1'))).toBe(true);
    expect(out).toMatch(/5 0 obj\n<<\/Title <FEFF0422>/);
    expect(out).toMatch(/\/Info 5 0 R\n\/Prev 120>>/);
    expect(countPdfPages(Buffer.from(out, 'latin1'))).toBe(1);
    expect(setPdfInfo(Buffer.from('not a pdf'), { title: '', author: '', subject: '', keywords: '', creator: '' }).toString()).toBe('not a pdf');
  });
});

if (!HAVE_CHROMIUM) {
  describe('печать документов', () => {
    it.skip(`пропущено: нет браузера ${CHROMIUM} (apt-get install chromium), печать в PDF не проверена`, () => undefined);
  });
}

describe.runIf(HAVE_CHROMIUM)('print.document on the demo school (200 pupils)', () => {
  let t: AdminApp;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    t = await openInitializedApp();
    await t.call('demo.generate', { seed: 1, pupils: 200, year: '2025/2026' }, t.adminSession);
  }, 300_000);
  afterAll(async () => {
    console.log(`время печати, с: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join('; ')}; файлы: ${OUT}`);
    await t?.close();
    if (!process.env.PRINT_OUT) rmSync(OUT, { recursive: true, force: true });
  });

  it('prints the alphabet book with names, file numbers and a page per letter', async () => {
    const pupil = await t.app.db
      .selectFrom('pupil')
      .select(['last_name', 'first_name', 'middle_name', 'alphabet_letter', 'alphabet_number'])
      .where('alphabet_letter', '=', 'К')
      .orderBy('alphabet_number')
      .executeTakeFirstOrThrow();
    const letters = await t.app.db.selectFrom('pupil').select('alphabet_letter').distinct().where('alphabet_letter', 'is not', null).execute();
    const { result, path, text, ms } = await printOk(t, 'alphabet-book', { kind: 'alphabetBook' });
    timings['алфавитная книга'] = ms;
    expect(result.fileName).toBe('Алфавитная книга.pdf');
    expect(text).toContain('Алфавитная книга записи обучающихся');
    const flat = squeeze(text);
    expect(flat).toContain(squeeze(`${pupil.last_name} ${pupil.first_name}`));
    expect(flat).toContain(pupil.middle_name ? squeeze(pupil.middle_name) : '');
    expect(text).toContain(fileNumber(pupil.alphabet_letter, pupil.alphabet_number) as string);
    expect(result.pages).toBeGreaterThanOrEqual(letters.length);
    const meta = info(path);
    expect(Number(meta.Pages)).toBe(result.pages);
    expect(countPdfPages(Buffer.from(result.pdfBase64, 'base64'))).toBe(result.pages);
    expect(meta.Title).toBe('Алфавитная книга записи обучающихся');
    const school = await t.app.db.selectFrom('school').select('name').executeTakeFirstOrThrow();
    expect(meta.Author).toBe(school.name);
    expect(meta.Creator).toBe('Канцелярия');
    expect(meta.Subject).toBe('Алфавитная книга записи обучающихся');
    expect(meta.Keywords).toContain('алфавитная книга');
    expect(meta['Page size']).toMatch(/841\.\d+ x 595\.\d+/);
    expectEmbeddedPtFonts(path);

    const one = await printOk(t, 'alphabet-book-k', { kind: 'alphabetBook', letter: 'К' });
    timings['алфавитная книга, К'] = one.ms;
    expect(one.result.fileName).toBe('Алфавитная книга, буква К.pdf');
    expect(one.text).toContain(fileNumber(pupil.alphabet_letter, pupil.alphabet_number) as string);
    expect(one.result.pages).toBeLessThan(result.pages);
  });

  it('prints an admission order and a leaving order with their number, text and pupils', async () => {
    const admission = await t.app.db
      .selectFrom('pupil_order as o')
      .innerJoin('movement_event as e', 'e.order_id', 'o.id')
      .select((eb) => ['o.id', 'o.number', 'o.title', eb.fn.count<number>('e.id').as('n')])
      .where('o.kind', '=', 'admission')
      .groupBy('o.id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const { result, path, text, ms } = await printOk(t, 'order-admission', { kind: 'order', orderId: admission.id });
    timings['приказ о зачислении'] = ms;
    expect(result.fileName).toMatch(/^Приказ \d+-у от \d\d\.\d\d\.\d{4}\.pdf$/);
    expect(text).toContain('ПРИКАЗ');
    expect(text).toContain(`№ ${admission.number}`);
    expect(text).toContain('ПРИКАЗЫВАЮ');
    expect(text).toContain('Список обучающихся');
    expect(text).toMatch(/Директор\s+\/[А-ЯЁ]\. [А-ЯЁ]\. [А-ЯЁ][а-яё]+\//);
    expect(info(path).Title).toContain(`№ ${admission.number}`);
    expectEmbeddedPtFonts(path);

    // An admission entered by mistake and cancelled by a counter-event is not printed.
    const wrong = await t.app.db
      .selectFrom('movement_event as e')
      .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
      .select(['e.id', 'e.pupil_id', 'e.event_date', 'p.last_name', 'p.first_name', 'p.middle_name'])
      .where('e.order_id', '=', admission.id)
      .orderBy('e.id')
      .executeTakeFirstOrThrow();
    const wrongName = [wrong.last_name, wrong.first_name, wrong.middle_name].filter(Boolean).join(' ');
    expect(squeeze(text)).toContain(squeeze(wrongName));
    await t.app.db
      .insertInto('movement_event')
      .values({
        pupil_id: wrong.pupil_id,
        order_id: null,
        kind: 'cancellation',
        event_date: wrong.event_date,
        from_class_id: null,
        to_class_id: null,
        reason: 'внесено ошибочно',
        place: null,
        cancels_event_id: wrong.id,
        note: null,
        created_at: '2026-01-01T00:00:00.000Z',
        created_by: null,
      })
      .execute();
    const again = await printOk(t, 'order-admission-corrected', { kind: 'order', orderId: admission.id });
    // File numbers appear only in the table (the order's own text lists names, not numbers).
    const rows = (txt: string) => (txt.match(/[А-ЯЁ]\/\d+/g) ?? []).length;
    expect(rows(text)).toBe(Number(admission.n));
    expect(rows(again.text)).toBe(rows(text) - 1);

    const leaving = await t.app.db
      .selectFrom('pupil_order as o')
      .innerJoin('movement_event as e', 'e.order_id', 'o.id')
      .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
      .select(['o.id', 'o.number', 'e.place', 'p.last_name', 'p.alphabet_letter', 'p.alphabet_number'])
      .where('o.kind', '=', 'expulsion')
      .orderBy('o.id')
      .executeTakeFirstOrThrow();
    const left = await printOk(t, 'order-leave', { kind: 'order', orderId: leaving.id });
    timings['приказ об отчислении'] = left.ms;
    expect(left.text).toContain(`№ ${leaving.number}`);
    expect(left.text).toContain('Куда выбыл');
    expect(left.text).toContain(leaving.last_name);
    expect(left.text).toContain(fileNumber(leaving.alphabet_letter, leaving.alphabet_number) as string);
  });

  it('prints a class list with the class, its teacher and its pupils in order', async () => {
    const cls = await t.app.db
      .selectFrom('school_class as c')
      .innerJoin('staff as s', 's.id', 'c.class_teacher_id')
      .select(['c.id', 'c.parallel', 'c.letter', 's.last_name', 's.first_name'])
      .orderBy('c.parallel', 'desc')
      .orderBy('c.letter')
      .where('c.parallel', '=', 5)
      .executeTakeFirstOrThrow();
    const { result, path, text, ms } = await printOk(t, 'class-list', { kind: 'classList', classId: cls.id, date: '2025-12-01' });
    timings['список класса'] = ms;
    const label = `${cls.parallel}${cls.letter}`;
    expect(result.fileName).toBe(`Список ${label} класса на 01.12.2025.pdf`);
    expect(text).toContain(`Список обучающихся ${label} класса`);
    expect(text).toContain(`${cls.last_name} ${cls.first_name}`);
    expect(text).toContain('на 01.12.2025');
    const members = await t.app.db
      .selectFrom('class_membership')
      .select('pupil_id')
      .where('class_id', '=', cls.id)
      .where('from_date', '<=', '2025-12-01')
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', '2025-12-01')]))
      .execute();
    expect(text).toContain(`Всего обучающихся: ${members.length}.`);
    expect(info(path).Title).toBe(`Список ${label} класса на 01.12.2025`);
    expectEmbeddedPtFonts(path);
  });

  it('prints the extract of current marks for a leaver, signed and sealed', async () => {
    const leaver = await t.app.db
      .selectFrom('movement_event as e')
      .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
      .select(['p.id', 'p.last_name', 'p.first_name', 'e.event_date'])
      .where('e.kind', '=', 'leave')
      .orderBy('e.event_date', 'desc')
      .executeTakeFirstOrThrow();
    const { result, path, text, ms } = await printOk(t, 'marks-extract', { kind: 'marksExtract', pupilId: leaver.id });
    timings['выписка отметок'] = ms;
    expect(result.fileName).toMatch(/^Выписка отметок .+\.pdf$/);
    expect(text).toContain('ВЫПИСКА');
    expect(text).toContain(`${leaver.last_name} ${leaver.first_name}`);
    expect(text).toContain('Русский язык');
    expect(text).toContain('Литература');
    expect(text).toContain('М. П.');
    expect(text).toMatch(/Директор\s+\/[А-ЯЁ]\. [А-ЯЁ]\. [А-ЯЁ][а-яё]+\//);
    expect(text).toContain('Посещаемость');
    expectEmbeddedPtFonts(path);
  });

  it('keeps a re-admitted pupil as one alphabet-book entry with both periods', async () => {
    const leaver = await t.app.db
      .selectFrom('movement_event as e')
      .innerJoin('pupil as p', 'p.id', 'e.pupil_id')
      .select(['p.id', 'p.alphabet_letter', 'p.alphabet_number', 'e.event_date'])
      .where('e.kind', '=', 'leave')
      .orderBy('e.id')
      .executeTakeFirstOrThrow();
    const order = await t.app.db
      .insertInto('pupil_order')
      .values({ year_label: '2025/2026', seq: 900, number: '900-у', order_date: '2026-05-18', kind: 'admission', title: 'О зачислении', body: 'Зачислить.', signed_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.app.db
      .insertInto('movement_event')
      .values({
        pupil_id: leaver.id,
        order_id: order.id,
        kind: 'admission',
        event_date: '2026-05-18',
        from_class_id: null,
        to_class_id: null,
        reason: null,
        place: 'МБОУ «Школа № 2» г. Ачинска',
        cancels_event_id: null,
        note: null,
        created_by: null,
      })
      .execute();
    const book = await loadAlphabetBook(t.app.db, leaver.alphabet_letter ?? undefined, '2026-05-20');
    const entries = book.data.letters.flatMap((l) => l.entries).filter((e) => e.number === leaver.alphabet_number);
    expect(entries).toHaveLength(1);
    const periods = entries[0]!.periods;
    expect(periods).toHaveLength(2);
    expect(periods[0]!.leave?.date).toBe(leaver.event_date);
    expect(periods[1]!.admission).toEqual({ date: '2026-05-18', number: '900-у' });
    expect(periods[1]!.arrivedFrom).toContain('Ачинска');
    expect(periods[1]!.leave).toBeNull();
  });

  it('refuses unknown ids with not_found and audits every print without personal data', async () => {
    for (const document of [
      { kind: 'order', orderId: 999_999 },
      { kind: 'classList', classId: 999_999 },
      { kind: 'marksExtract', pupilId: 999_999 },
    ] as PrintDocument[]) {
      const response = await callPrint(t, document);
      expect(response.ok).toBe(false);
      if (!response.ok) {
        expect(response.error.code).toBe('not_found');
        expect(response.error.message).toMatch(/не найден/);
      }
    }
    const entries = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'print.document').orderBy('id').execute();
    expect(entries.length).toBeGreaterThanOrEqual(6);
    const kinds = entries.map((e) => (JSON.parse(e.details_json ?? '{}') as { document?: string }).document);
    expect(new Set(kinds)).toEqual(new Set(['alphabetBook', 'order', 'classList', 'marksExtract']));
    for (const e of entries) {
      const details = JSON.parse(e.details_json ?? '{}') as { pages?: number };
      expect(details.pages).toBeGreaterThan(0);
      expect(e.user_login).toBe('admin');
      expect(e.details_json).not.toMatch(/[А-ЯЁа-яё]/);
    }
  });
});
