import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Params, Result } from '../../common/api/contract';
import { parsePurposes } from '../../main/cli/consent-print-commands';
import { renderDocument } from '../../main/handlers/print';
import { runCli } from '../../main/cli/run';
import { SecretInput } from '../../main/cli/secrets';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { smallSchool, validSnils, type SmallSchool } from '../support/school';

type AdminApp = TestApp & { adminSession: string };
type PrintDocument = Params<'print.document'>['document'];

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const NO_CHROMIUM = `пропущено: нет браузера ${CHROMIUM} (apt-get install chromium), печать согласий в PDF не проверена`;
/** Keep the PDFs for a look: PRINT_OUT=/some/dir (else a temp folder, removed after). */
const OUT = process.env.PRINT_OUT ?? mkdtempSync(join(tmpdir(), 'school-office-consent-print-'));
const NOW = new Date('2025-11-10T09:00:00Z');

const SCHOOL = { name: 'МБОУ «Средняя школа № 7»', address: '660001, г. Красноярск, ул. Ленина, д. 10', inn: '2466001234', director: 'Петрова Галина Ивановна' };
const CATEGORIES = ['фамилия и имя', 'класс', 'фотографии', 'сведения об участии в олимпиадах'];

/** The templates' own words: each must reach the printed form. */
const TEXTS = {
  pupil_data: { title: 'Согласие на обработку персональных данных обучающегося', purpose: 'ЦельОбучающегося организация образовательной деятельности', data: 'ПереченьОбучающегося фамилия, имя, отчество; дата рождения', actions: 'ДействияОбучающегося сбор, запись, хранение', term: 'СрокОбучающегося до окончания обучения; отзыв письменным заявлением', processor: 'ООО «Дневник-Сервис», г. Красноярск, ул. Мира, д. 1' },
  guardian_data: { title: 'Согласие на обработку персональных данных родителя', purpose: 'ЦельПредставителя взаимодействие с семьёй', data: 'ПереченьПредставителя фамилия, имя, отчество; телефон', actions: 'ДействияПредставителя сбор, хранение', term: 'СрокПредставителя до окончания обучения ребёнка', processor: null },
  distribution: { title: 'Согласие на распространение персональных данных обучающегося', purpose: 'ЦельРаспространения освещение достижений', data: 'ПереченьРаспространения по категориям ниже', actions: 'ДействияРаспространения размещение на сайте', term: 'СрокРаспространения до отзыва', processor: null },
  electronic_results: { title: 'Согласие на получение результатов обучения в электронной форме', purpose: 'ЦельДневника электронный дневник', data: 'ПереченьДневника отметки и посещаемость', actions: 'ДействияДневника предоставление доступа', term: 'СрокДневника на учебный год', processor: null },
} as const;

function tool(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** pdftotext -layout may break a long value over lines: compare without whitespace. */
const squeeze = (text: string) => text.replace(/\s+/g, '');
const count = (text: string, part: string) => squeeze(text).split(squeeze(part)).length - 1;
/** The pages of a PDF's text (pdftotext separates them with a form feed). */
const pagesOf = (text: string) => text.split('\f').filter((p) => p.trim() !== '');
/** Pages that open with a consent's title: one per form, as each form starts on a new page. */
const formStarts = (text: string) => pagesOf(text).filter((p) => /^\s*Согласие /.test(p)).length;

let t: AdminApp;
let s: SmallSchool;
let older: number;
let younger: number;
let actId: number;

async function printOk(name: string, document: PrintDocument): Promise<{ result: Result<'print.document'>; text: string; path: string }> {
  const response = await t.app.dispatch({ method: 'print.document', params: { document }, sessionId: t.adminSession });
  if (!response.ok) throw new Error(`print.document refused: ${response.error.code}: ${response.error.message}`);
  const result = response.result as Result<'print.document'>;
  const path = join(OUT, `${name}.pdf`);
  writeFileSync(path, Buffer.from(result.pdfBase64, 'base64'));
  return { result, text: tool('pdftotext', ['-layout', path, '-']), path };
}

async function insertTemplate(purpose: keyof typeof TEXTS, version: number, created: string) {
  const x = TEXTS[purpose];
  await t.app.db
    .insertInto('consent_template')
    .values({
      purpose,
      version,
      title: version === 1 && purpose === 'pupil_data' ? 'Согласие старой редакции' : x.title,
      body: '',
      purpose_text: x.purpose,
      data_list: x.data,
      actions_text: x.actions,
      term_text: x.term,
      processor_text: x.processor,
      categories_json: purpose === 'distribution' ? JSON.stringify(CATEGORIES) : null,
      created_at: created,
      created_by: null,
    })
    .execute();
}

beforeAll(async () => {
  t = await openInitializedApp({ now: () => NOW });
  s = await smallSchool(t);
  await t.app.db.updateTable('school').set({ name: SCHOOL.name, address: SCHOOL.address, inn: SCHOOL.inn, director_name: SCHOOL.director }).where('id', '=', 1).execute();
  const admit = async (pupil: Params<'movement.admit'>['pupil']) =>
    (await t.call('movement.admit', { order: { date: '2025-09-01' }, classId: s.classes['5А'], pupil }, t.adminSession)).pupilId;
  // 14 years old on the print date: signs the pupil's forms too.
  older = await admit({
    lastName: 'Соколова',
    firstName: 'Дарья',
    middleName: 'Андреевна',
    birthDate: '2011-03-15',
    gender: 'ж',
    snils: validSnils('112233445'),
    docKind: 'passport',
    docSeries: '04 25',
    docNumber: '654321',
    docIssuedBy: 'ГУ МВД России по Красноярскому краю',
    docIssuedOn: '2025-04-01',
    regAddress: 'г. Красноярск, ул. Мира, д. 5, кв. 12',
    liveAddress: 'г. Красноярск, пр. Свободный, д. 20, кв. 3',
  });
  await t.call(
    'guardians.link',
    {
      pupilId: older,
      kinship: 'отец',
      // The father has no document in the register: blank lines on his forms.
      guardian: { lastName: 'Соколов', firstName: 'Андрей', middleName: 'Олегович', regAddress: 'г. Красноярск, ул. Мира, д. 5, кв. 12' },
    },
    t.adminSession,
  );
  await t.call(
    'guardians.link',
    {
      pupilId: older,
      kinship: 'мать',
      guardian: {
        lastName: 'Соколова',
        firstName: 'Елена',
        middleName: 'Викторовна',
        docKind: 'passport',
        docSeries: '04 10',
        docNumber: '123987',
        docIssuedBy: 'ОУФМС по Октябрьскому району',
        docIssuedOn: '2010-06-20',
        regAddress: 'г. Красноярск, ул. Мира, д. 5, кв. 12',
      },
    },
    t.adminSession,
  );
  younger = await admit({
    lastName: 'Борисов',
    firstName: 'Глеб',
    middleName: 'Игоревич',
    birthDate: '2014-05-03',
    gender: 'м',
    snils: null,
    docKind: 'birth_certificate',
    docSeries: 'IV-БА',
    docNumber: '777111',
    docIssuedBy: 'Отдел ЗАГС Советского района',
    docIssuedOn: '2014-05-20',
    regAddress: 'г. Красноярск, ул. Взлётная, д. 7',
  });
  await t.call(
    'guardians.link',
    {
      pupilId: younger,
      kinship: 'опекун',
      authorityDoc: 'распоряжение органа опеки № 55 от 01.02.2020',
      guardian: {
        lastName: 'Борисова',
        firstName: 'Нина',
        middleName: 'Павловна',
        docKind: 'passport',
        docSeries: '04 05',
        docNumber: '555666',
        docIssuedBy: 'ОВД Советского района',
        docIssuedOn: '2005-02-02',
        regAddress: 'г. Красноярск, ул. Взлётная, д. 7',
      },
    },
    t.adminSession,
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (!process.env.PRINT_OUT) rmSync(OUT, { recursive: true, force: true });
});

describe('consent printouts without a browser', () => {
  it('refuses a purpose the school has no text for, naming it and where to fill it in', async () => {
    const refused = await t.refuse('print.document', { document: { kind: 'consentFormsFamily', pupilId: older, purposes: ['distribution'] } }, t.adminSession);
    expect(refused).toMatchObject({ code: 'refused', message: 'Нет текста согласия «распространение данных обучающегося»: заполните его в разделе «Согласия» → «Тексты согласий».' });
    const none = await t.refuse('print.document', { document: { kind: 'consentFormsClass', classId: s.classes['5А'] } }, t.adminSession);
    expect(none).toMatchObject({ code: 'refused', message: expect.stringMatching(/Нет ни одного текста согласия/) });
    const unknownAct = await t.refuse('print.document', { document: { kind: 'destructionAct', actId: 999 } }, t.adminSession);
    expect(unknownAct.code).toBe('not_found');
  });

  it('reads --purposes as a checked list', () => {
    expect(parsePurposes(undefined)).toBeUndefined();
    expect(parsePurposes('pupil_data, guardian_data,pupil_data')).toEqual(['pupil_data', 'guardian_data']);
    expect(() => parsePurposes('pupil_data,photos')).toThrow(/неизвестная цель «photos»/);
    expect(() => parsePurposes(',')).toThrow(/перечислите цели/);
  });
});

if (!HAVE_CHROMIUM) {
  describe('печать согласий', () => {
    it.skip(NO_CHROMIUM, () => undefined);
  });
}

describe('printed consent documents', () => {
  beforeAll(async () => {
    // Only guardian texts at first: printing everything skips the purposes without a text.
    await insertTemplate('guardian_data', 1, '2025-08-20T10:00:00.000Z');
  });

  it.skipIf(!HAVE_CHROMIUM)('prints all purposes that have a text, skipping the others silently', async () => {
    const { result, text } = await printOk('only-guardian', { kind: 'consentFormsFamily', pupilId: younger });
    expect(result.documents).toBe(1);
    expect(formStarts(text)).toBe(1);
    expect(text).toContain(TEXTS.guardian_data.title);
    await insertTemplate('pupil_data', 1, '2025-08-20T10:00:00.000Z');
    await insertTemplate('pupil_data', 2, '2025-08-25T10:00:00.000Z');
    await insertTemplate('distribution', 1, '2025-08-25T10:00:00.000Z');
    await insertTemplate('electronic_results', 1, '2025-08-26T10:00:00.000Z');
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('fills every field of ст. 9 ч. 4 for a family, one form per page start', async () => {
    const { result, text, path } = await printOk('family-older', { kind: 'consentFormsFamily', pupilId: older });
    // Signature captions wrap beside their lines: count them in reading order.
    const raw = tool('pdftotext', ['-raw', path, '-']);
    // The pupil's two forms, then two for each of the two parents.
    expect(result.documents).toBe(6);
    expect(formStarts(text)).toBe(6);
    // The pupil's forms first (data, distribution), then each parent's own (data, e-diary).
    const titles = pagesOf(text).flatMap((p) => (/^\s*Согласие /.test(p) ? [p.trim().split('\n')[0]!.trim()] : []));
    const x = TEXTS;
    expect(titles).toEqual([x.pupil_data.title, x.distribution.title, x.guardian_data.title, x.electronic_results.title, x.guardian_data.title, x.electronic_results.title]);
    expect(result.title).toBe('Согласия на обработку персональных данных: Соколова Дарья Андреевна');
    expect(result.fileName).toBe('Согласия Соколова Д. А.pdf');
    const flat = squeeze(text);
    // (1) the subject: name, addresses (living address differs), identity document.
    for (const part of ['Соколова Дарья Андреевна', '15.03.2011', 'г. Красноярск, ул. Мира, д. 5, кв. 12', 'г. Красноярск, пр. Свободный, д. 20, кв. 3', 'паспорт гражданина РФ', 'серия 04 25 № 654321', 'ГУ МВД России по Красноярскому краю', '01.04.2025']) {
      expect(flat, part).toContain(squeeze(part));
    }
    // (2) the representative on the pupil's forms: the first linked parent (the father here); the mother on her own forms.
    expect(flat).toContain(squeeze('Основание полномочий: отец (родитель)'));
    for (const part of ['Соколова Елена Викторовна', 'серия 04 10 № 123987', 'ОУФМС по Октябрьскому району', '20.06.2010']) expect(flat, part).toContain(squeeze(part));
    // (3) the operator; (4)–(8) the template's own words; the processor or «не привлекается».
    for (const part of [SCHOOL.name, SCHOOL.address, `ИНН: ${SCHOOL.inn}`, TEXTS.pupil_data.processor, 'не привлекается']) expect(flat, part).toContain(squeeze(part));
    for (const purpose of ['pupil_data', 'guardian_data', 'distribution', 'electronic_results'] as const) {
      const x = TEXTS[purpose];
      for (const part of [x.title, x.purpose, x.data, x.actions, x.term]) expect(flat, part).toContain(squeeze(part));
    }
    // The current version only, with its number in the footer.
    expect(text).not.toContain('Согласие старой редакции');
    expect(flat).toContain(squeeze('Текст согласия: редакция № 2 от 25.08.2025'));
    expect(flat).toContain(squeeze('Текст согласия: редакция № 1 от 20.08.2025'));
    // (9) signatures: the representative's on every form, the pupil's (14+) on her two forms only.
    expect(count(raw, 'Подпись родителя (законного представителя)')).toBe(2);
    expect(count(raw, 'Подпись субъекта персональных данных')).toBe(4);
    expect(count(raw, 'Подпись обучающегося, достигшего 14 лет')).toBe(2);
    expect(count(raw, 'расшифровка подписи')).toBe(8);
    // The distribution form: each category on its own row with both boxes, then conditions and prohibitions.
    const lines = text.split('\n');
    for (const c of CATEGORIES) {
      const row = lines.find((l) => l.includes(c) && l.includes('не разрешаю'));
      expect(row, c).toBeDefined();
      expect(row).toMatch(/разрешаю\s+не разрешаю/);
    }
    expect(text).toContain('Условия и запреты');
    // The father has no document: blanks to fill by hand, never "null".
    const fatherPages = pagesOf(text).filter((p) => /^\s*Согласие/.test(p) && p.includes('Соколов Андрей Олегович') && p.includes('Подпись субъекта'));
    expect(fatherPages.length).toBe(2);
    for (const page of fatherPages) expect(squeeze(page)).toMatch(/Документ,удостоверяющийличность:_{8,},серия_{8}№_{8},выдан_{8,}_{8}\(датавыдачи\)/);
    expect(text).not.toMatch(/null|undefined|NaN/);
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('shows a guardian’s document of authority and no pupil signature under 14', async () => {
    const { result, text } = await printOk('family-younger', { kind: 'consentFormsFamily', pupilId: younger, purposes: ['pupil_data', 'distribution'] });
    expect(result.documents).toBe(2);
    expect(formStarts(text)).toBe(2);
    const flat = squeeze(text);
    expect(flat).toContain(squeeze('Документ, подтверждающий полномочия (опекун): распоряжение органа опеки № 55 от 01.02.2020'));
    expect(flat).toContain(squeeze('свидетельство о рождении, серия IV-БА № 777111'));
    expect(text).not.toContain('достигшего 14 лет');
    expect(text).not.toContain(TEXTS.guardian_data.title);
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('prints every family of a class in one PDF, in alphabetical order', async () => {
    const { result, text } = await printOk('class-5a', { kind: 'consentFormsClass', classId: s.classes['5А'] });
    expect(result.documents).toBe(10);
    expect(formStarts(text)).toBe(10);
    expect(text.indexOf('Борисов Глеб Игоревич')).toBeLessThan(text.indexOf('Соколова Дарья Андреевна'));
    const audit = await t.call('audit.list', { method: 'print.document', limit: 1 }, t.adminSession);
    expect(audit.rows[0]).toMatchObject({ entity: 'school_class', entityId: String(s.classes['5А']) });
    expect(JSON.stringify(audit.rows[0])).not.toContain('Соколова');
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('prints the coverage list for the class teacher', async () => {
    const db = t.app.db;
    const guardians = await db.selectFrom('guardian').select(['id', 'last_name', 'first_name']).execute();
    const nina = guardians.find((g) => g.first_name === 'Нина')!.id;
    const elena = guardians.find((g) => g.first_name === 'Елена')!.id;
    await db
      .insertInto('consent')
      .values([
        { subject_kind: 'pupil', pupil_id: younger, purpose: 'pupil_data', status: 'given', decided_on: '2025-09-01', signed_by_guardian_id: nina },
        { subject_kind: 'guardian', guardian_id: nina, purpose: 'guardian_data', status: 'given', decided_on: '2025-09-01' },
        { subject_kind: 'guardian', guardian_id: nina, purpose: 'electronic_results', status: 'refused', decided_on: '2025-09-02' },
        { subject_kind: 'guardian', guardian_id: elena, purpose: 'guardian_data', status: 'given', decided_on: '2025-09-01' },
      ])
      .execute();
    const { result, text, path } = await printOk('coverage-5a', { kind: 'consentCoverage', classId: s.classes['5А'] });
    expect(result.title).toBe('Сведения о согласиях обучающихся 5А класса на 10.11.2025');
    expect(result.documents).toBeUndefined();
    // Table cells wrap: read in reading order rather than by layout.
    const flat = squeeze(tool('pdftotext', ['-raw', path, '-']));
    expect(flat).toContain(squeeze(result.title));
    // Борисов: everything but the e-diary (refused → paper extracts); Соколова: almost nothing.
    const borisov = text.split('\n').findIndex((l) => l.includes('Борисов Глеб'));
    const sokolova = text.split('\n').findIndex((l) => l.includes('Соколова Дарья'));
    expect(borisov).toBeGreaterThan(-1);
    expect(sokolova).toBeGreaterThan(borisov);
    expect(count(text, 'нет —')).toBeGreaterThanOrEqual(3);
    expect(flat).toContain(squeeze('бумага — Борисова Нина Павловна'));
    // A refusal of the e-diary is a decision: Борисов's family counts as complete.
    expect(flat).toContain(squeeze('Обучающихся: 2; все обязательные согласия оформлены: 1'));
    expect(flat).toContain(squeeze('Соколов Андрей Олегович'));
    expect(flat).toContain(squeeze('выписка на бумаге'));
    expect(flat).toMatch(/БорисовГлебИгоревичБорисоваНинаПавловнаотказот02\.09\.2025/);
    expect(flat).toContain(squeeze('Классный руководитель 5А класса'));
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('prints the act of destruction with the event-log annex and its SHA-256', async () => {
    const log = [
      { id: 11, at: '2025-09-01T08:15:00.000Z', user: null, action: 'Зачисление обучающегося', method: 'movement.admit', hash: 'a'.repeat(64) },
      { id: 12, at: '2025-11-09T10:20:30.000Z', user: 'secretary1', action: 'Отзыв согласия', method: 'consents.withdraw', hash: 'b1c2d3e4f5a6b7c8'.padEnd(64, '0') },
    ];
    // The shape main/consents/destruction-export.ts writes (metadata only, no personal values).
    const exportJson = JSON.stringify({ subject: { kind: 'pupil', id: younger, label: 'Борисов Глеб Игоревич' }, exportedAt: '2025-11-10T09:00:00.000Z', entries: log });
    const sha = createHash('sha256').update(exportJson).digest('hex');
    actId = (
      await t.app.db
        .insertInto('destruction_act')
        .values({
          number: '3',
          act_date: '2025-11-10',
          subject_kind: 'pupil',
          pupil_id: younger,
          subject_label: 'Борисов Глеб Игоревич',
          categories: JSON.stringify(['СНИЛС', 'реквизиты документа, удостоверяющего личность', 'адреса']),
          reason: 'отзыв согласия субъекта персональных данных от 09.11.2025',
          method: 'удаление записей из базы данных программы «Канцелярия» без возможности восстановления',
          information_system: 'программа «Канцелярия», файл базы данных school.db',
          commission_json: JSON.stringify(['Петрова Г. И., директор', 'Иванова А. П., секретарь']),
          log_export_json: exportJson,
          log_export_sha256: sha,
          keep_until: '2028-11-10',
          created_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const { result, text } = await printOk('act-3', { kind: 'destructionAct', actId });
    expect(result.pages).toBeGreaterThanOrEqual(2);
    const flat = squeeze(text);
    for (const part of [
      'АКТ об уничтожении персональных данных № 3',
      SCHOOL.name,
      SCHOOL.address,
      'Борисов Глеб Игоревич',
      'СНИЛС; реквизиты документа, удостоверяющего личность; адреса',
      'отзыв согласия субъекта персональных данных от 09.11.2025',
      'без возможности восстановления',
      'программа «Канцелярия», файл базы данных school.db',
      'Петрова Г. И., директор',
      'Иванова А. П., секретарь',
      'Выгрузка из журнала регистрации событий',
      '01.09.2025 08:15:00',
      'secretary1',
      'Отзыв согласия',
      'b1c2d3e4f5a6b7c8',
      sha,
    ]) {
      expect(flat, part).toContain(squeeze(part));
    }
    // An entry without a user (a system action) shows a dash, never "null".
    expect(flat).toContain('08:15:00—Зачислениеобучающегося');
    expect(/null|undefined/.exec(text)).toBeNull();
    // The annex starts on its own page.
    expect(pagesOf(text).some((p) => /^\s*Приложение к акту/.test(p))).toBe(true);
  }, 60_000);

  it.skipIf(!HAVE_CHROMIUM)('prints from the command line: consents forms, coverage-list and act', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io = {
      stdout: (x: string) => stdout.push(x),
      stderr: (x: string) => stderr.push(x),
      env: {},
      secrets: new SecretInput({ SCHOOL_OFFICE_PASSWORD: ADMIN.password }),
      rendererDir: OUT,
      untilStopped: () => Promise.resolve(),
      onInterrupt: () => undefined,
    };
    // The command line runs on the real clock; the register's year is 2025/2026.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    try {
      const cli = async (...args: string[]) => {
        stdout.length = 0;
        stderr.length = 0;
        const code = await runCli(['--db', t.dbPath, '--user', ADMIN.login, '--json', ...args], io);
        return { code, out: stdout.join('\n'), err: stderr.join('\n') };
      };
      const file = join(OUT, 'cli-class.pdf');
      const forms = await cli('consents', 'forms', '--class', '5А', '--out', file);
      expect(forms.code, forms.err).toBe(0);
      const shape = JSON.parse(forms.out) as Record<string, unknown>;
      expect(Object.keys(shape).sort()).toEqual(['file', 'forms', 'pages']);
      expect(shape).toMatchObject({ file, forms: 10 });
      expect(formStarts(tool('pdftotext', ['-layout', file, '-']))).toBe(10);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

      const family = await cli('consents', 'forms', '--pupil', String(older), '--purposes', 'guardian_data', '--out', join(OUT, 'cli-family.pdf'));
      expect(family.code, family.err).toBe(0);
      expect(JSON.parse(family.out)).toMatchObject({ forms: 2 });

      const coverage = await cli('consents', 'coverage-list', '--class', '5А', '--out', join(OUT, 'cli-coverage.pdf'));
      expect(coverage.code, coverage.err).toBe(0);
      expect(JSON.parse(coverage.out)).toMatchObject({ file: join(OUT, 'cli-coverage.pdf'), pages: expect.any(Number) });

      const act = await cli('consents', 'act', '--act', String(actId), '--out', join(OUT, 'cli-act.pdf'));
      expect(act.code, act.err).toBe(0);
      expect(JSON.parse(act.out)).toMatchObject({ pages: expect.any(Number) });

      const both = await cli('consents', 'forms', '--class', '5А', '--pupil', String(older), '--out', join(OUT, 'x.pdf'));
      expect(both.code).toBe(2);
      expect(both.err).toMatch(/либо --class 5А, либо --pupil N/);
      const badPurpose = await cli('consents', 'forms', '--pupil', String(older), '--purposes', 'photos', '--out', join(OUT, 'x.pdf'));
      expect(badPurpose.code).toBe(2);
      const noAct = await cli('consents', 'act', '--act', '999', '--out', join(OUT, 'x.pdf'));
      expect(noAct.code).toBe(1);
      expect(noAct.err).toMatch(/Акт об уничтожении не найден/);
      expect(existsSync(join(OUT, 'x.pdf'))).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  }, 120_000);
});

describe('consent forms as HTML (no browser needed)', () => {
  beforeAll(async () => {
    // The browser tests add the texts as they go; without a browser they are added here.
    for (const purpose of ['guardian_data', 'pupil_data', 'distribution', 'electronic_results'] as const) {
      const has = await t.app.db.selectFrom('consent_template').select('id').where('purpose', '=', purpose).executeTakeFirst();
      if (!has) await insertTemplate(purpose, 1, '2025-08-20T10:00:00.000Z');
    }
  });

  it('leaves blank lines for a pupil the register knows no guardian or document of', async () => {
    const pupilId = (
      await t.call(
        'movement.admit',
        { order: { date: '2025-09-01' }, classId: s.classes['5Б'], pupil: { lastName: 'Одинцов', firstName: 'Лев', birthDate: '2014-02-02', gender: 'м', snils: null } },
        t.adminSession,
      )
    ).pupilId;
    const rendered = await renderDocument(t.app.db, { kind: 'consentFormsFamily', pupilId }, '2025-11-10');
    // Only the pupil's own forms: there is no guardian to print guardian forms for.
    expect(rendered.documents).toBe(2);
    expect(rendered.loaded).toMatchObject({ entity: 'pupil', entityId: pupilId });
    // The body only: the inlined fonts' base64 may spell anything.
    const html = rendered.html.slice(rendered.html.indexOf('<body>'));
    expect(/null|undefined|NaN/.exec(html)).toBeNull();
    expect(html).toContain('Фамилия, имя, отчество: Одинцов Лев');
    expect(html).toMatch(/Адрес регистрации: _{20}/);
    expect(html).toMatch(/Основание полномочий \(степень родства или документ\): _{20}/);
    expect(rendered.html).toContain('.form + .form { break-before: page;');
    expect(html.match(/<section class="form">/g)?.length).toBe(2);
    const onlyGuardian = await t.refuse('print.document', { document: { kind: 'consentFormsFamily', pupilId, purposes: ['guardian_data'] } }, t.adminSession);
    expect(onlyGuardian).toMatchObject({ code: 'refused', message: expect.stringMatching(/нет законных представителей/) });
  });
});
