import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params, Result } from '../../common/api/contract';
import { classLabel } from '../../common/domain/russian';
import { mapRows } from '../../main/exchange/map';
import { builtinProfile, copyProfile } from '../../main/exchange/profiles/builtin';
import { readTable, type RawCell, type SheetRow } from '../../main/exchange/read';
import { openInitializedApp, type TestApp } from '../support/app';
import { zipOf } from '../support/zip';

/**
 * The `roster` import through the real dispatcher (exchange.import): the fixture's counts, a
 * second import changing nothing, the CP1251 CSV giving the same pupils, hand edits surfacing as
 * conflicts, dry runs writing nothing, hostile files refused, and no cell value in the audit log.
 */

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures');
const haveFixtures = existsSync(join(FIXTURES, 'roster.xlsx'));
if (!haveFixtures) console.warn(`Тесты загрузки списка пропущены: нет образцов ${FIXTURES} (../shared/fixtures).`);

/** A day inside the school year 2025/2026, so that «today» has a year. */
const NOW = () => new Date('2026-01-15T09:00:00Z');
const DATA_TABLES = ['pupil', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership', 'import_baseline', 'alphabet_counter'] as const;

type App = TestApp & { adminSession: string };
type Report = Result<'exchange.import'>;

/** The classes the file names, so the school is set up with exactly those (read first, then created). */
async function fixtureClasses(file: string): Promise<string[]> {
  const table = await readTable(file, readFileSync(join(FIXTURES, file)));
  const labels = mapRows(builtinProfile('roster'), table.rows).records.map((r) => r.values.classLabel as { parallel: number; letter: string });
  return [...new Set(labels.map((l) => classLabel(l.parallel, l.letter)))];
}

/** A school with the year 2025/2026 and the given classes, written directly as tests/support/school.ts does. */
async function schoolWith(labels: string[]): Promise<App> {
  const t = await openInitializedApp({ now: NOW });
  const db = t.app.db;
  const year = await db.insertInto('school_year').values({ name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-26', closed: 0 }).returning('id').executeTakeFirstOrThrow();
  for (const label of labels) {
    const parallel = Number(/^\d+/.exec(label)![0]);
    await db.insertInto('school_class').values({ year_id: year.id, parallel, letter: label.slice(String(parallel).length), period_scheme: 'quarters' }).execute();
  }
  return t;
}

async function importFile(t: App, fileName: string, bytes: Buffer, extra: Partial<Params<'exchange.import'>> = {}): Promise<Report> {
  return t.call('exchange.import', { fileName, contentBase64: bytes.toString('base64'), profile: 'roster', dryRun: false, ...extra }, t.adminSession);
}

async function tableCounts(t: App): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const row = await t.app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function pupilsOf(t: App) {
  return t.app.db.selectFrom('pupil').select(['last_name', 'first_name', 'middle_name', 'birth_date', 'snils']).orderBy('snils').execute();
}

const csvCell = (cell: RawCell): string => {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.date.split('-').reverse().join('.');
  const text = String(cell);
  return /[;"\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const toCsv = (rows: SheetRow[]) => Buffer.from(`${rows.map((r) => r.cells.map(csvCell).join(';')).join('\r\n')}\r\n`, 'utf8');


describe.skipIf(!haveFixtures)('roster import (exchange.import)', () => {
  let t: App;
  let xlsx: Buffer;
  let rows: SheetRow[];
  let expected: { roster: { pupils: number; guardians: number }; 'roster-cp1251': { pupils: number; guardians: number } };
  let surnames: string[];

  beforeAll(async () => {
    xlsx = readFileSync(join(FIXTURES, 'roster.xlsx'));
    rows = (await readTable('roster.xlsx', xlsx)).rows;
    expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as typeof expected;
    surnames = mapRows(builtinProfile('roster'), rows).records.map((r) => String(r.values.lastName));
    t = await schoolWith(await fixtureClasses('roster.xlsx'));
  });
  afterAll(async () => t.close());

  it('a dry run reports the fixture counts and writes nothing', async () => {
    const before = await tableCounts(t);
    const report = await importFile(t, 'roster.xlsx', xlsx, { dryRun: true });
    expect(report.counts.pupils).toEqual({ created: expected.roster.pupils, updated: 0, unchanged: 0 });
    expect(report.counts.guardians).toEqual({ created: expected.roster.guardians, updated: 0, unchanged: 0 });
    expect(report.rejected).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('imports roster.xlsx with the counts of expected.json, then a second import changes nothing', async () => {
    const first = await importFile(t, 'roster.xlsx', xlsx);
    expect(first).toMatchObject({ profile: 'roster', file: 'roster.xlsx', dryRun: false, rejected: [], conflicts: [], rejectedFile: null });
    expect(first.counts.pupils).toEqual({ created: expected.roster.pupils, updated: 0, unchanged: 0 });
    expect(first.counts.guardians).toEqual({ created: expected.roster.guardians, updated: 0, unchanged: 0 });
    const counts = await tableCounts(t);
    expect(counts.pupil).toBe(expected.roster.pupils);
    expect(counts.class_membership).toBe(expected.roster.pupils);
    expect(counts.guardian).toBe(expected.roster.guardians);
    // Every admitted pupil is in the class the file names and has an alphabet-book number.
    const { classes } = await t.call('classes.list', {}, t.adminSession);
    expect(classes.reduce((n, c) => n + c.pupils, 0)).toBe(expected.roster.pupils);
    const numbered = await t.app.db.selectFrom('pupil').select('id').where('alphabet_number', 'is not', null).execute();
    expect(numbered.length).toBe(expected.roster.pupils);

    const before = await tableCounts(t);
    const second = await importFile(t, 'roster.xlsx', xlsx);
    expect(second.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: expected.roster.pupils });
    expect(second.counts.guardians).toEqual({ created: 0, updated: 0, unchanged: expected.roster.guardians });
    expect(second.conflicts).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('keeps the file\'s cell values out of the audit log', async () => {
    const entries = await t.app.db.selectFrom('audit_log').select(['before_json', 'after_json', 'details_json', 'entity']).execute();
    const text = JSON.stringify(entries);
    expect(entries.some((e) => e.entity === 'import')).toBe(true);
    expect(entries.some((e) => e.entity === 'pupil')).toBe(true);
    for (const surname of surnames) expect(text).not.toContain(surname);
  });

  it('lists a hand edit as a conflict, keeps the app value, and applies the file value when asked', async () => {
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const phoneAt = header.cells.indexOf('Телефон');
    const row = rows[rows.indexOf(header) + 1]!;
    const pupil = await t.app.db.selectFrom('pupil').selectAll().where('last_name', '=', String(row.cells[1])).where('first_name', '=', String(row.cells[2])).executeTakeFirstOrThrow();
    const card = await t.call('pupils.get', { id: pupil.id }, t.adminSession);
    const { id: _id, fileNo: _f, class: _c, classId: _ci, enrolled: _e, guardians: _g, memberships: _m, events: _ev, dataDestroyedAt: _d, ...data } = card;
    await t.call('pupils.update', { id: pupil.id, data: { ...data, phone: '+7 913 111-22-33' } }, t.adminSession);

    const edited = { ...row, cells: row.cells.map((c, i) => (i === phoneAt ? '+7 913 444-55-66' : c)) };
    const file = toCsv([header, edited]);
    const report = await importFile(t, 'правка.csv', file);
    expect(report.conflicts).toEqual([{ row: 2, column: 'Телефон', inApp: '+79131112233', inFile: '+79134445566' }]);
    expect(report.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await t.app.db.selectFrom('pupil').select('phone').where('id', '=', pupil.id).executeTakeFirstOrThrow()).phone).toBe('+79131112233');

    const resolved = await importFile(t, 'правка.csv', file, { resolutions: [{ row: 2, column: 'Телефон', take: 'file' }] });
    expect(resolved.conflicts).toEqual([]);
    expect(resolved.counts.pupils).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await t.app.db.selectFrom('pupil').select('phone').where('id', '=', pupil.id).executeTakeFirstOrThrow()).phone).toBe('+79134445566');
    // The same file again: the file's value is now the baseline and the app holds it.
    expect((await importFile(t, 'правка.csv', file)).counts.pupils).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('updates a guardian whose file value changed while the app kept the imported one', async () => {
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const phoneAt = header.cells.indexOf('Представитель 1: Телефон');
    const row = rows[rows.indexOf(header) + 4]!;
    const edited = { ...row, cells: row.cells.map((c, i) => (i === phoneAt ? '+7 913 777-00-01' : c)) };
    const report = await importFile(t, 'телефон.csv', toCsv([header, edited]));
    expect(report.conflicts).toEqual([]);
    expect(report.counts.guardians?.updated).toBe(1);
    const changed = await t.app.db.selectFrom('guardian').select('id').where('phone', '=', '+79137770001').execute();
    expect(changed).toHaveLength(1);
    expect((await importFile(t, 'телефон.csv', toCsv([header, edited]))).counts.guardians?.updated).toBe(0);
  });

  it('never brings back personal data destroyed after a withdrawn consent', async () => {
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const row = rows[rows.indexOf(header) + 5]!;
    const pupil = await t.app.db.selectFrom('pupil').select('id').where('last_name', '=', String(row.cells[1])).where('first_name', '=', String(row.cells[2])).executeTakeFirstOrThrow();
    const at = NOW().toISOString();
    await t.app.db.updateTable('pupil').set({ snils: null, doc_kind: null, doc_series: null, doc_number: null, reg_address: null, live_address: null, data_destroyed_at: at }).where('id', '=', pupil.id).execute();
    const report = await importFile(t, 'уничтожено.csv', toCsv([header, row]));
    expect(report.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(report.conflicts).toEqual([]);
    const after = await t.app.db.selectFrom('pupil').select(['snils', 'doc_number', 'reg_address']).where('id', '=', pupil.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ snils: null, doc_number: null, reg_address: null });
  });

  it('rejects a row whose class differs from the pupil\'s, and a class the year lacks, with a rejected-rows file', async () => {
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const [a, b] = [rows[rows.indexOf(header) + 1]!, rows[rows.indexOf(header) + 2]!];
    const other = String(a.cells[0]) === '5А' ? '5Б' : '5А';
    const moved = { ...a, cells: a.cells.map((c, i) => (i === 0 ? other : c)) };
    const unknown = { ...b, cells: b.cells.map((c, i) => (i === 0 ? '11Я' : c)) };
    const before = await tableCounts(t);
    const report = await importFile(t, 'классы.csv', toCsv([header, moved, unknown]));
    expect(report.rejected).toEqual([
      { row: 2, column: 'Класс', reason: expect.stringMatching(/а в файле указан .*перевод в другой класс оформляется приказом/) as string },
      { row: 3, column: 'Класс', reason: 'класс 11Я не найден в учебном году 2025/2026: откройте год или проверьте класс' },
    ]);
    expect(report.rejectedFile?.fileName).toBe('классы — отклонённые строки.xlsx');
    const back = await readTable('r.xlsx', Buffer.from(report.rejectedFile!.contentBase64, 'base64'));
    expect(back.rows).toHaveLength(3);
    expect(back.rows[1]!.cells.at(-1)).toMatch(/^Класс: /);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('rejects rows with bad cells or refused by the admission rules, and goes on with the rest', async () => {
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const at = (name: string) => header.cells.indexOf(name);
    const base = rows[rows.indexOf(header) + 1]!;
    const newcomer = (lastName: string, snils: string, birth: string) => ({
      row: 0,
      cells: base.cells.map((c, i) => (i === at('Фамилия') ? lastName : i === at('СНИЛС') ? snils : i === at('Дата рождения') ? birth : i === at('Представитель 1: СНИЛС') || i === at('Представитель 2: СНИЛС') ? null : c)),
    });
    const file = toCsv([
      header,
      newcomer('Новикова', '123-456-789 00', '11.03.2014'),
      newcomer('Малышева', '', '01.01.2021'),
      newcomer('Добрынина', '', '11.03.2014'),
    ]);
    const report = await importFile(t, 'новые.csv', file, { dryRun: true });
    expect(report.rejected).toEqual([
      { row: 2, column: 'СНИЛС', reason: expect.stringMatching(/контрольная сумма/) as string },
      { row: 3, column: 'Дата рождения', reason: expect.stringMatching(/^Проверьте дату рождения: возраст на начало учебного года 4/) as string },
    ]);
    expect(report.counts.pupils).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });

  it('refuses broken and hostile files as a whole, writing nothing', async () => {
    const before = await tableCounts(t);
    const refusals: [string, Buffer, RegExp][] = [
      ['обрезан.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2)), /не читается как книга Excel.*файл обрезан/],
      ['отчёт.xlsx', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'), /это PDF-документ, а не таблица/],
      ['бомба.xlsx', zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024)), /отклонён: .*zip-бомбу/],
      ['без фамилии.csv', Buffer.from('Класс;Имя;Дата рождения\n5А;Иван;01.02.2014\n', 'utf8'), /нет обязательного столбца «Фамилия»/],
    ];
    for (const [name, bytes, message] of refusals) {
      const error = await t.refuse('exchange.import', { fileName: name, contentBase64: bytes.toString('base64'), profile: 'roster', dryRun: false }, t.adminSession);
      expect(error.code, name).toBe('refused');
      expect(error.message, name).toMatch(message);
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it('takes a profile object: a renamed column is read, a wrong profile is refused in Russian', async () => {
    const renamed = copyProfile(builtinProfile('roster'), 'my-roster', 'Мой список');
    renamed.columns = renamed.columns.map((c) => (c.field === 'lastName' ? { ...c, headers: ['Фамилия ученика'] } : c));
    const header = rows.find((r) => r.cells.includes('Фамилия'))!;
    const file = toCsv([{ ...header, cells: header.cells.map((c) => (c === 'Фамилия' ? 'Фамилия ученика' : c)) }, rows[rows.indexOf(header) + 3]!]);
    const report = await importFile(t, 'мой.csv', file, { profile: renamed as unknown as Record<string, unknown>, dryRun: true });
    expect(report.profile).toBe('my-roster');
    expect(report.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const bad = await t.refuse('exchange.import', { fileName: 'x.csv', contentBase64: file.toString('base64'), profile: { ...renamed, entity: 'cats' }, dryRun: true }, t.adminSession);
    expect(bad.code).toBe('invalid_params');
    expect(bad.message).toMatch(/Профиль загрузки не принят: entity: неизвестный вид данных «cats»/);
    const unknown = await t.refuse('exchange.import', { fileName: 'x.csv', contentBase64: file.toString('base64'), profile: 'pupils', dryRun: true }, t.adminSession);
    expect(unknown.message).toMatch(/Профиль загрузки «pupils» неизвестен/);
  });

  it('imports access-codes.xlsx through the `access-codes` profile, dry run first', async () => {
    const file = join(FIXTURES, 'access-codes.xlsx');
    const { 'access-codes': want } = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { 'access-codes': { codes: number } };
    const bytes = readFileSync(file);
    const dry = await importFile(t, 'access-codes.xlsx', bytes, { profile: 'access-codes', dryRun: true });
    expect(dry.counts).toEqual({ codes: { created: want.codes, updated: 0, unchanged: 0 } });
    expect(await t.app.db.selectFrom('access_code').select('id').execute()).toHaveLength(0);
    const real = await importFile(t, 'access-codes.xlsx', bytes, { profile: 'access-codes' });
    expect(real.counts).toEqual({ codes: { created: want.codes, updated: 0, unchanged: 0 } });
    expect(real.rejected).toEqual([]);
    expect(await t.app.db.selectFrom('access_code').select('id').execute()).toHaveLength(want.codes);
    const again = await importFile(t, 'access-codes.xlsx', bytes, { profile: 'access-codes' });
    expect(again.counts).toEqual({ codes: { created: 0, updated: 0, unchanged: want.codes } });
  });

  it('lists the built-in profiles for the mapping screen', async () => {
    const { profiles } = await t.call('exchange.profiles', {}, t.adminSession);
    expect(profiles.map((p) => p.id)).toEqual(['roster', 'access-codes', 'journal-report', 'lessons', 'final-marks', 'kiasuo']);
  });
});

describe.skipIf(!haveFixtures)('roster-cp1251.csv', () => {
  it('gives the same pupils as the same rows of roster.xlsx', async () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { 'roster-cp1251': { pupils: number; guardians: number } };
    const fromCsv = await schoolWith(await fixtureClasses('roster-cp1251.csv'));
    const fromXlsx = await schoolWith(await fixtureClasses('roster.xlsx'));
    try {
      const report = await importFile(fromCsv, 'roster-cp1251.csv', readFileSync(join(FIXTURES, 'roster-cp1251.csv')));
      expect(report.counts.pupils?.created).toBe(expected['roster-cp1251'].pupils);
      expect(report.counts.guardians?.created).toBe(expected['roster-cp1251'].guardians);
      await importFile(fromXlsx, 'roster.xlsx', readFileSync(join(FIXTURES, 'roster.xlsx')));
      const csvPupils = await pupilsOf(fromCsv);
      const xlsxPupils = await pupilsOf(fromXlsx);
      expect(csvPupils).toHaveLength(expected['roster-cp1251'].pupils);
      const bySnils = new Map(xlsxPupils.map((p) => [p.snils, p]));
      for (const p of csvPupils) expect(bySnils.get(p.snils)).toEqual(p);
    } finally {
      await fromCsv.close();
      await fromXlsx.close();
    }
  });
});

describe.skipIf(!haveFixtures)('progress and cancel', () => {
  it('reports progress, and a cancel writes nothing', async () => {
    const t = await schoolWith(await fixtureClasses('roster.xlsx'));
    try {
      const before = await tableCounts(t);
      const jobId = 'roster-cancel-test';
      const stages: string[] = [];
      let cancel: Promise<unknown> | null = null;
      const unsubscribe = t.app.events.subscribe((event, payload) => {
        const progress = payload as { jobId: string; stage: string };
        if (event !== 'job.progress' || progress.jobId !== jobId) return;
        stages.push(progress.stage);
        if (progress.stage === 'Обучающиеся и представители') cancel ??= t.call('jobs.cancel', { jobId }, t.adminSession);
      });
      const xlsx = readFileSync(join(FIXTURES, 'roster.xlsx'));
      const refused = await t.refuse('exchange.import', { fileName: 'roster.xlsx', contentBase64: xlsx.toString('base64'), profile: 'roster', dryRun: false, jobId }, t.adminSession);
      unsubscribe();
      expect(await cancel).toEqual({ cancelled: true });
      expect(refused.code).toBe('cancelled');
      expect(stages[0]).toBe('Чтение файла');
      expect(await tableCounts(t)).toEqual(before);
      const audit = await t.app.db.selectFrom('audit_log').select('entity').where('entity', 'in', ['import', 'pupil', 'guardian']).execute();
      expect(audit).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
