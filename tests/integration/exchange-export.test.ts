import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params, Result } from '../../common/api/contract';
import { MOVEMENT_KIND_LABELS } from '../../common/api/contingent';
import { localDay } from '../../common/domain/local-day';
import { formatSnils } from '../../common/domain/snils';
import { MOVEMENT_COLUMNS } from '../../main/exchange/export/movement';
import { ROSTER_COLUMNS } from '../../main/exchange/export/roster';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { validSnils } from '../support/school';

/**
 * The exports on a small demo school (80 pupils, year 2025/2026), read back as a user's
 * spreadsheet would read them: exceljs for the cells, LibreOffice (when installed) for
 * «opens without a repair prompt», JSZip for the КИАСУО package.
 */

// The school's zone, UTC+7: a date written through local midnight would land on the day before.
process.env.TZ = 'Asia/Krasnoyarsk';
const NOW = new Date('2026-03-16T10:00:00');
const TODAY = '2026-03-16';
const HOSTILE = '=HYPERLINK("x")';
// A valid СНИЛС that starts with zeros: a number cell would lose them.
const ZERO_SNILS = validSnils('004512345');

let t: TestApp & { adminSession: string };
let classId: number;
let classLabel: string;
let hostilePupilId: number;
let codedPupilIds: number[] = [];
let admittedId: number;
const CANCELLED_SURNAME = 'Ошибочнова';
const ADMITTED_SURNAME = 'Новоприбывшев';

const exportFile = (params: Params<'exchange.export'>, session = t.adminSession) => t.call('exchange.export', params, session);
const bytesOf = (r: Result<'exchange.export'>) => Buffer.from(r.contentBase64, 'base64');

async function readBook(r: Result<'exchange.export'>): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytesOf(r) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  return ws;
}

function headers(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => (out[col - 1] = String(cell.value)));
  return out;
}

function column(ws: ExcelJS.Worksheet, header: string): number {
  const i = headers(ws).indexOf(header);
  if (i < 0) throw new Error(`no column ${header}`);
  return i + 1;
}

/** Data rows (below the header) as cells. */
function dataRows(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(row);
  });
  return rows;
}

async function enrolledTotal(params: { classId?: number; date: string }): Promise<number> {
  return (await t.call('pupils.search', { ...params, limit: 5000 }, t.adminSession)).total;
}

beforeAll(async () => {
  t = await openInitializedApp({ now: () => NOW });
  await t.call('demo.generate', { seed: 3, pupils: 80, year: '2025/2026' }, t.adminSession);
  const { classes } = await t.call('classes.list', { date: TODAY }, t.adminSession);
  const biggest = [...classes].sort((a, b) => b.pupils - a.pupils)[0]!;
  classId = biggest.id;
  classLabel = biggest.label;
  const pupils = (await t.call('pupils.search', { classId, date: TODAY, limit: 5000 }, t.adminSession)).rows;
  expect(pupils.length).toBeGreaterThanOrEqual(4);
  hostilePupilId = pupils[0]!.id;
  await t.app.db.updateTable('pupil').set({ reg_address: HOSTILE, snils: ZERO_SNILS }).where('id', '=', hostilePupilId).execute();

  // Two pupils of the class hold an active code; a third only a revoked one (so still «without»).
  codedPupilIds = [pupils[1]!.id, pupils[2]!.id];
  const code = (pupilId: number, status: 'new' | 'issued' | 'revoked', n: number) =>
    t.app.db
      .insertInto('access_code')
      .values({ holder_kind: 'pupil', pupil_id: pupilId, guardian_id: null, code_secret: `TESTCODE${n}`, valid_until: null, status, imported_at: NOW.toISOString(), issued_at: null, revoked_at: null, revoke_reason: null, disclosed_at: null })
      .execute();
  await code(codedPupilIds[0]!, 'new', 1);
  await code(codedPupilIds[1]!, 'issued', 2);
  await code(pupils[3]!.id, 'revoked', 3);

  // One admission that stands, and one entered in error and cancelled.
  // Born in February of the year that makes the age fit the class's parallel.
  const pupil = (lastName: string) => ({ lastName, firstName: 'Пётр', middleName: 'Ильич', birthDate: `${2025 - (biggest.parallel + 6)}-02-03`, gender: 'м' as const, snils: null });
  admittedId = (await t.call('movement.admit', { order: { date: '2026-03-10' }, classId, pupil: pupil(ADMITTED_SURNAME), place: '-школа № 2' }, t.adminSession)).pupilId;
  const wrong = await t.call('movement.admit', { order: { date: '2026-03-11' }, classId, pupil: pupil(CANCELLED_SURNAME) }, t.adminSession);
  await t.call('movement.cancel', { eventId: wrong.eventId, reason: 'внесено ошибочно' }, t.adminSession);
});
afterAll(async () => t.close());

describe('roster export', () => {
  it('has the roster import columns, with both guardians', async () => {
    const ws = await readBook(await exportFile({ profile: 'roster', classId }));
    expect(headers(ws)).toEqual(ROSTER_COLUMNS.map((c) => c.header));
    expect(headers(ws)).toEqual(expect.arrayContaining(['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'СНИЛС', 'Номер документа', '№ приказа о зачислении', 'Представитель 1: Степень родства', 'Представитель 2: СНИЛС']));
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('writes dates as date cells, СНИЛС as text with its leading zeros, and neutralises a formula', async () => {
    const result = await exportFile({ profile: 'roster', classId });
    const ws = await readBook(result);
    const rows = dataRows(ws);
    const birth = column(ws, 'Дата рождения');
    const pupilRows = await t.app.db.selectFrom('pupil').select(['id', 'last_name', 'first_name', 'birth_date', 'doc_number']).execute();
    for (const row of rows) {
      const cell = row.getCell(birth);
      expect(cell.value).toBeInstanceOf(Date);
      expect(cell.numFmt).toBe('dd.mm.yyyy');
      const iso = (cell.value as Date).toISOString();
      expect(iso.endsWith('T00:00:00.000Z'), iso).toBe(true);
      const surname = row.getCell(column(ws, 'Фамилия')).value;
      const name = row.getCell(column(ws, 'Имя')).value;
      expect(pupilRows.some((p) => p.last_name === surname && p.first_name === name && p.birth_date === iso.slice(0, 10))).toBe(true);
    }
    const hostile = await t.app.db.selectFrom('pupil').selectAll().where('id', '=', hostilePupilId).executeTakeFirstOrThrow();
    const row = rows.find((r) => r.getCell(column(ws, 'Фамилия')).value === hostile.last_name && r.getCell(column(ws, 'Имя')).value === hostile.first_name)!;
    expect(row).toBeDefined();
    const snils = row.getCell(column(ws, 'СНИЛС'));
    expect(snils.type).toBe(ExcelJS.ValueType.String);
    expect(snils.value).toBe(formatSnils(ZERO_SNILS));
    expect(String(snils.value).startsWith('004-')).toBe(true);
    expect(snils.numFmt).toBe('@');
    const docNumber = row.getCell(column(ws, 'Номер документа'));
    if (hostile.doc_number) {
      expect(docNumber.type).toBe(ExcelJS.ValueType.String);
      expect(docNumber.value).toBe(hostile.doc_number);
      expect(docNumber.numFmt).toBe('@');
    }
    const address = row.getCell(column(ws, 'Адрес регистрации'));
    expect(address.type).toBe(ExcelJS.ValueType.String);
    expect(address.value).toBe(`'${HOSTILE}`);
    expect(address.formula).toBeUndefined();

    // The cell's style carries Excel's quotePrefix (kept as text when edited), no other does.
    const zip = await JSZip.loadAsync(bytesOf(result));
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const stylesXml = await zip.file('xl/styles.xml')!.async('string');
    expect(sheetXml).not.toMatch(/<f>/);
    const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)![1]!.match(/<xf\b[^>]*>/g)!;
    const style = new RegExp(`<c r="${address.address}" s="(\\d+)"`).exec(sheetXml);
    expect(style).not.toBeNull();
    expect(xfs[Number(style![1])]).toMatch(/quotePrefix="1"/);
    expect(xfs.filter((x) => /quotePrefix="1"/.test(x))).toHaveLength(1);
    const plainAddress = new RegExp(`<c r="${row.getCell(column(ws, 'Фамилия')).address}" s="(\\d+)"`).exec(sheetXml);
    if (plainAddress) expect(xfs[Number(plainAddress[1])]).not.toMatch(/quotePrefix/);
  });

  it('counts the class, the whole year, the admitted since a day, and those without codes', async () => {
    const inClass = await enrolledTotal({ classId, date: TODAY });
    const classExport = await exportFile({ profile: 'roster', classId });
    expect(classExport.rows).toBe(inClass);
    expect(dataRows(await readBook(classExport))).toHaveLength(inClass);
    expect(classExport.fileName).toBe(`Список обучающихся ${classLabel} на ${TODAY}.xlsx`);

    const all = await exportFile({ profile: 'roster' });
    expect(all.rows).toBe(await enrolledTotal({ date: TODAY }));
    expect(all.rows).toBeGreaterThan(inClass);

    const report = await t.call('movement.report', { from: '2026-03-01', to: TODAY }, t.adminSession);
    const enrolled = new Set((await t.call('pupils.search', { date: TODAY, limit: 5000 }, t.adminSession)).rows.map((r) => r.id));
    const admittedSince = new Set(report.events.filter((e) => e.kind === 'admission' && enrolled.has(e.pupilId)).map((e) => e.pupilId));
    expect(admittedSince.has(admittedId)).toBe(true);
    const recent = await exportFile({ profile: 'roster', admittedSince: '2026-03-01' });
    expect(recent.rows).toBe(admittedSince.size);
    const recentBook = await readBook(recent);
    const surnames = dataRows(recentBook).map((r) => r.getCell(column(recentBook, 'Фамилия')).value);
    expect(surnames).toContain(ADMITTED_SURNAME);
    expect(surnames).not.toContain(CANCELLED_SURNAME);
    const admittedRow = dataRows(recentBook).find((r) => r.getCell(column(recentBook, 'Фамилия')).value === ADMITTED_SURNAME)!;
    expect((admittedRow.getCell(column(recentBook, 'Дата зачисления')).value as Date).toISOString().slice(0, 10)).toBe('2026-03-10');
    expect(admittedRow.getCell(column(recentBook, '№ приказа о зачислении')).value).toMatch(/^\d+-у$/);

    const withoutCodes = await exportFile({ profile: 'roster', classId, withoutCodes: true });
    expect(withoutCodes.rows).toBe(inClass - codedPupilIds.length);
    const combined = await exportFile({ profile: 'roster', classId, withoutCodes: true, admittedSince: '2026-03-01' });
    const inClassIds = new Set((await t.call('pupils.search', { classId, date: TODAY, limit: 5000 }, t.adminSession)).rows.map((r) => r.id));
    expect(combined.rows).toBe([...admittedSince].filter((id) => inClassIds.has(id) && !codedPupilIds.includes(id)).length);
    expect(combined.rows).toBeGreaterThan(0);
  });

  it('writes guardians into «Представитель N» columns', async () => {
    const ws = await readBook(await exportFile({ profile: 'roster', classId }));
    const links = await t.app.db.selectFrom('pupil_guardian').select(['pupil_id']).execute();
    const withGuardian = new Set(links.map((l) => l.pupil_id));
    expect(withGuardian.size).toBeGreaterThan(0);
    const filled = dataRows(ws).filter((r) => r.getCell(column(ws, 'Представитель 1: Фамилия')).value);
    expect(filled.length).toBeGreaterThan(0);
    for (const r of filled) expect(['мать', 'отец', 'опекун', 'попечитель', 'иное']).toContain(r.getCell(column(ws, 'Представитель 1: Степень родства')).value);
    const phones = filled.map((r) => r.getCell(column(ws, 'Представитель 1: Телефон')).value).filter(Boolean);
    for (const p of phones) expect(p).toMatch(/^8 \(\d{3}\) \d{3}-\d{2}-\d{2}$/);
  });
});

describe('movement export', () => {
  it('lists the period\'s events with the formats.md columns, without cancelled ones', async () => {
    const from = '2025-09-01';
    const result = await exportFile({ profile: 'movement', from, to: TODAY });
    const report = await t.call('movement.report', { from, to: TODAY }, t.adminSession);
    expect(result.rows).toBe(report.events.length);
    const ws = await readBook(result);
    expect(headers(ws)).toEqual([
      'Дата', 'Событие', '№ приказа', 'Дата приказа', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'СНИЛС', 'Из класса', 'В класс', 'Откуда прибыл / куда выбыл', 'Причина',
    ]);
    expect(headers(ws)).toEqual(MOVEMENT_COLUMNS.map((c) => c.header));
    const rows = dataRows(ws);
    expect(rows).toHaveLength(report.events.length);
    const names = new Set(rows.map((r) => String(r.getCell(2).value)));
    const allowed = ['Зачисление', 'Перевод в класс', 'Выбытие', 'Перевод в следующий класс', 'Условный перевод', 'Оставлен на повторное обучение', 'Выпуск'];
    for (const n of names) expect(allowed).toContain(n);
    expect(names.has('Зачисление')).toBe(true);
    expect(names.has(MOVEMENT_KIND_LABELS.cancellation!)).toBe(false);
    for (const r of rows) {
      expect(r.getCell(1).value).toBeInstanceOf(Date);
      expect(r.getCell(1).numFmt).toBe('dd.mm.yyyy');
    }
    const surnames = rows.map((r) => r.getCell(5).value);
    expect(surnames).toContain(ADMITTED_SURNAME);
    expect(surnames).not.toContain(CANCELLED_SURNAME);
    const admitted = rows.find((r) => r.getCell(5).value === ADMITTED_SURNAME)!;
    expect(admitted.getCell(2).value).toBe('Зачисление');
    expect(admitted.getCell(11).value).toBe(classLabel);
    expect(admitted.getCell(10).value).toBeNull();
    // «-школа № 2» starts with a minus: neutralised like any text.
    expect(admitted.getCell(12).value).toBe(`'-школа № 2`);
    const leaver = rows.find((r) => r.getCell(2).value === 'Выбытие');
    if (leaver) {
      expect(leaver.getCell(10).value).toMatch(/^\d{1,2}[А-Я]$/);
      expect(typeof leaver.getCell(13).value).toBe('string');
    }
    expect(result.fileName).toBe(`Движение обучающихся ${from} — ${TODAY}.xlsx`);
  });

  it('an empty period gives the header only', async () => {
    const result = await exportFile({ profile: 'movement', from: '2020-01-01', to: '2020-01-31' });
    expect(result.rows).toBe(0);
    const ws = await readBook(result);
    expect(headers(ws)).toHaveLength(MOVEMENT_COLUMNS.length);
    expect(dataRows(ws)).toHaveLength(0);
  });
});

describe('kiasuo package', () => {
  it('holds the year\'s classes, periods and pupils, with external ids kept as text', async () => {
    const longId = '100000000004550071234';
    await t.app.db.insertInto('external_ref').values({ system: 'kiasuo', entity: 'pupil', external_id: longId, entity_id: hostilePupilId }).execute();
    const result = await exportFile({ profile: 'kiasuo' });
    const zip = await JSZip.loadAsync(bytesOf(result));
    expect(Object.keys(zip.files).sort()).toEqual(['school_classes.json', 'students.json', 'study_periods.json']);
    const read = async <T>(name: string) => JSON.parse(await zip.file(name)!.async('string')) as T;
    const classes = await read<Record<string, unknown>[]>('school_classes.json');
    const periods = await read<Record<string, unknown>[]>('study_periods.json');
    const students = await read<Record<string, unknown>[]>('students.json');
    const listed = (await t.call('classes.list', { date: TODAY }, t.adminSession)).classes;
    expect(classes).toHaveLength(listed.length);
    for (const c of classes) {
      expect(Object.keys(c).sort()).toEqual(['id', 'name', 'ou', 'study_year']);
      expect(c).toMatchObject({ id: expect.stringMatching(/^\d+$/), name: expect.stringMatching(/^\d{1,2}[А-Я]$/), ou: expect.any(String), study_year: '2025/2026' });
    }
    expect(periods.length).toBeGreaterThan(0);
    for (const p of periods) {
      expect(Object.keys(p).sort()).toEqual(['from', 'id', 'text', 'to']);
      expect(p).toMatchObject({ id: expect.stringMatching(/^\d+$/), text: expect.any(String), from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }
    expect(students).toHaveLength(await enrolledTotal({ date: TODAY }));
    expect(result.rows).toBe(students.length);
    const classIds = new Set(classes.map((c) => c.id));
    for (const s of students) {
      expect(Object.keys(s).sort()).toEqual(['birth_date', 'first_name', 'gender', 'id', 'last_name', 'middle_name', 'school_class', 'snils']);
      expect(typeof s.id).toBe('string');
      expect(['male', 'female']).toContain(s.gender);
      expect(classIds.has(s.school_class)).toBe(true);
    }
    const marked = students.find((s) => s.id === longId);
    expect(marked).toMatchObject({ snils: formatSnils(ZERO_SNILS) });
    const oneClass = await exportFile({ profile: 'kiasuo', classId });
    expect(oneClass.rows).toBe(await enrolledTotal({ classId, date: TODAY }));
  });
});

describe('exchange.export: access, validation, audit', () => {
  it('refuses wrong params with Russian messages, naming the field', async () => {
    const noPeriod = await t.refuse('exchange.export', { profile: 'movement' }, t.adminSession);
    expect(noPeriod.code).toBe('invalid_params');
    expect(noPeriod.message).toMatch(/начало периода/);
    const reversed = await t.refuse('exchange.export', { profile: 'movement', from: '2026-03-01', to: '2026-02-01' }, t.adminSession);
    expect(reversed.message).toMatch(/конец периода раньше начала/);
    const misplaced = await t.refuse('exchange.export', { profile: 'roster', from: '2026-03-01' }, t.adminSession);
    expect(misplaced.message).toMatch(/не применяется к выгрузке «Список обучающихся»/);
    expect((await t.refuse('exchange.export', { profile: 'pupils' }, t.adminSession)).message).toMatch(/профиль выгрузки/);
    expect((await t.refuse('exchange.export', { profile: 'roster', admittedSince: '2026-02-30' }, t.adminSession)).message).toMatch(/зачисленные с/);
    expect((await t.refuse('exchange.export', { profile: 'roster', classId: 99999 }, t.adminSession)).code).toBe('not_found');
  });

  it('is for the secretary, the administrator and the director (reading), not the archivist', async () => {
    for (const role of ['secretary', 'archivist', 'director'] as const) {
      await t.call('users.create', { login: `x-${role}`, fullName: `Пользователь ${role}`, role, password: 'password-1' }, t.adminSession);
    }
    const login = async (l: string) => (await t.call('auth.login', { login: l, password: 'password-1' })).sessionId;
    expect((await exportFile({ profile: 'roster', classId }, await login('x-secretary'))).rows).toBeGreaterThan(0);
    expect((await exportFile({ profile: 'roster', classId }, await login('x-director'))).rows).toBeGreaterThan(0);
    expect((await t.refuse('exchange.export', { profile: 'roster' }, await login('x-archivist'))).code).toBe('forbidden');
  });

  it('records each export in the audit log, without personal data', async () => {
    const before = await t.app.db.selectFrom('audit_log').select('id').where('entity', '=', 'export').execute();
    const result = await exportFile({ profile: 'roster', classId, withoutCodes: true });
    const entries = await t.app.db.selectFrom('audit_log').selectAll().where('entity', '=', 'export').orderBy('id').execute();
    expect(entries).toHaveLength(before.length + 1);
    const last = entries.at(-1)!;
    expect(last.method).toBe('exchange.export');
    expect(JSON.parse(last.details_json!)).toEqual({ profile: 'roster', rows: result.rows, filters: { classId, withoutCodes: true } });
    expect(last.details_json).not.toMatch(/[А-Яа-я]{4,}/);
  });
});

/** soffice (or libreoffice) on PATH: the check that the files open in LibreOffice. */
function findOffice(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['soffice', 'libreoffice']) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}
const OFFICE = findOffice();
if (!OFFICE) console.log('LibreOffice (soffice) не найден: проверка открытия выгрузок пропущена — установите пакет libreoffice-calc.');

describe('exchange.export: progress and cancel', () => {
  it('reports its stages, and a cancel stops it with nothing handed over or recorded', async () => {
    const stagesOf = async (jobId: string, cancelAt: string | null) => {
      const stages: string[] = [];
      let cancel: Promise<unknown> | null = null;
      const unsubscribe = t.app.events.subscribe((event, payload) => {
        const progress = payload as { jobId: string; stage: string };
        if (event !== 'job.progress' || progress.jobId !== jobId) return;
        stages.push(progress.stage);
        if (progress.stage === cancelAt) cancel ??= t.call('jobs.cancel', { jobId }, t.adminSession);
      });
      return { stages, unsubscribe, cancelled: () => cancel };
    };

    const whole = await stagesOf('export-whole', null);
    const file = await exportFile({ profile: 'roster', jobId: 'export-whole' });
    whole.unsubscribe();
    expect(file.rows).toBeGreaterThan(0);
    expect(whole.stages[0]).toBe('Чтение реестра');
    expect(whole.stages).toContain('Запись файла');

    const exportsBefore = await t.app.db.selectFrom('audit_log').select('id').where('entity', '=', 'export').execute();
    const stopped = await stagesOf('export-cancel', 'Запись файла');
    const refused = await t.refuse('exchange.export', { profile: 'roster', jobId: 'export-cancel' }, t.adminSession);
    stopped.unsubscribe();
    expect(await stopped.cancelled()).toEqual({ cancelled: true });
    expect(refused.code).toBe('cancelled');
    const exportsAfter = await t.app.db.selectFrom('audit_log').select('id').where('entity', '=', 'export').execute();
    expect(exportsAfter).toHaveLength(exportsBefore.length);
  });
});

describe('LibreOffice opens the exports', () => {
  it.skipIf(!OFFICE)('converts the roster and the movement to CSV with the expected surnames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-lo-'));
    try {
      const roster = await exportFile({ profile: 'roster', classId });
      const movement = await exportFile({ profile: 'movement', from: '2025-09-01', to: TODAY });
      writeFileSync(join(dir, 'roster.xlsx'), bytesOf(roster));
      writeFileSync(join(dir, 'movement.xlsx'), bytesOf(movement));
      const out = join(dir, 'csv');
      for (const file of ['roster.xlsx', 'movement.xlsx']) {
        // A fresh profile folder: no first-run dialogs, no lock shared with another run.
        const run = spawnSync(
          OFFICE!,
          [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', out, join(dir, file)],
          { encoding: 'utf8', timeout: 120_000 },
        );
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      }
      expect(readdirSync(out).sort()).toEqual(['movement.csv', 'roster.csv']);
      const rosterCsv = readFileSync(join(out, 'roster.csv'), 'utf8');
      const pupils = (await t.call('pupils.search', { classId, date: TODAY, limit: 5000 }, t.adminSession)).rows;
      for (const p of pupils) expect(rosterCsv).toContain(p.lastName);
      expect(rosterCsv.split('\n')[0]).toContain('Представитель 2: СНИЛС');
      // The hostile address stays inert text, dates read as dd.mm.yyyy, СНИЛС keeps its zeros.
      expect(rosterCsv).toContain(`'=HYPERLINK(""x"")`);
      expect(rosterCsv).toContain(formatSnils(ZERO_SNILS));
      expect(rosterCsv).toMatch(/\b\d{2}\.\d{2}\.\d{4}\b/);
      const movementCsv = readFileSync(join(out, 'movement.csv'), 'utf8');
      expect(movementCsv).toContain(ADMITTED_SURNAME);
      expect(movementCsv).toContain('10.03.2026');
      expect(movementCsv).not.toContain(CANCELLED_SURNAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('CLI: export', () => {
  const as = { env: { SCHOOL_OFFICE_PASSWORD: ADMIN.password } };
  const run = (...args: string[]) => cli(['--db', t.dbPath, '--user', ADMIN.login, ...args], as);
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'export-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file and prints {profile, file, rows}', async () => {
    const file = join(dir, 'движение.xlsx');
    const result = run('--json', 'export', '--profile', 'movement', '--from', '2025-09-01', '--to', TODAY, '--out', file);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    const api = await exportFile({ profile: 'movement', from: '2025-09-01', to: TODAY });
    expect(printed).toEqual({ profile: 'movement', file, rows: api.rows });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets[0]!.rowCount).toBe(api.rows + 1);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('takes the class by its label and the filters (on today\'s clock: the year\'s last day)', async () => {
    const file = join(dir, 'список.xlsx');
    const result = run('--json', 'export', '--profile', 'roster', '--class', classLabel, '--without-codes', '--out', file);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as { rows: number };
    const { classes } = await t.call('classes.list', { date: TODAY }, t.adminSession);
    const year = await t.app.db.selectFrom('school_year').select(['ends_on']).where('id', '=', classes[0]!.yearId).executeTakeFirstOrThrow();
    const realToday = localDay(new Date());
    const day = realToday > year.ends_on ? year.ends_on : realToday;
    const inClass = (await t.call('pupils.search', { classId, date: day, limit: 5000 }, t.adminSession)).rows.map((r) => r.id);
    expect(printed.rows).toBe(inClass.filter((id) => !codedPupilIds.includes(id)).length);
    const kiasuo = join(dir, 'kiasuo.zip');
    expect(run('export', '--profile', 'kiasuo', '--out', kiasuo).code).toBe(0);
    expect(Object.keys((await JSZip.loadAsync(readFileSync(kiasuo))).files).sort()).toEqual(['school_classes.json', 'students.json', 'study_periods.json']);
  });

  it('refuses bad input: usage errors exit 2, refusals exit 1 with the reason', () => {
    expect(cli(['--help']).stdout).toMatch(/export --profile movement --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД --out ФАЙЛ\.xlsx/);
    const unknown = run('export', '--profile', 'pupils', '--out', join(dir, 'x.xlsx'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Профиль выгрузки «pupils» неизвестен/);
    expect(run('export', '--profile', 'roster').code).toBe(2);
    const reversed = run('export', '--profile', 'movement', '--from', '2026-03-01', '--to', '2026-02-01', '--out', join(dir, 'y.xlsx'));
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toMatch(/конец периода раньше начала/);
    expect(existsSync(join(dir, 'y.xlsx'))).toBe(false);
  });
});
