import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params, Result } from '../../common/api/contract';
import BetterSqlite3 from 'better-sqlite3';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { dataDigest, dumpDataTables } from '../support/data-tables';
import { completeYearMarks } from '../support/year-marks';

/**
 * The year close in the situations a real school has (issue 6), through the dispatcher: a pupil
 * transferred between classes mid-year, one who left, a first grader admitted over the summer
 * for the next year; the next year opened beforehand with the structure copied; a repeat in the
 * 9th class, a conditional promotion 10 → 11, an explicit decision over complete marks; an order
 * book with custom numbers and a changed suffix; what still works on the closed year; and
 * reopen / close again cycles, each compared table by table.
 */

const YEAR = '2025/2026';
const NEXT = '2026/2027';
const clock = new Date('2026-06-10T03:00:00Z');
type AdminApp = TestApp & { adminSession: string };

interface School {
  yearId: number;
  nextYearId: number;
  subjects: { math: number; russian: number };
  classes: Record<'1А' | '5А' | '5Б' | '9А' | '10А' | '11А', number>;
  pupils: Record<'kuznetsov' | 'orlova' | 'sokolov' | 'zaitsev' | 'petrov' | 'volkova' | 'morozova' | 'lebedeva' | 'smirnov' | 'fedorov' | 'nikolaeva' | 'egorova', number>;
  /** Order numbers of the closing year's book before the close. */
  book: string[];
}

const PERIODS = [
  ['quarters', 1, '1 четверть', '2025-09-01', '2025-10-24'],
  ['quarters', 2, '2 четверть', '2025-11-05', '2025-12-26'],
  ['quarters', 3, '3 четверть', '2026-01-12', '2026-03-20'],
  ['quarters', 4, '4 четверть', '2026-03-30', '2026-05-31'],
  ['halves', 1, '1 полугодие', '2025-09-01', '2025-12-26'],
  ['halves', 2, '2 полугодие', '2026-01-12', '2026-05-31'],
] as const;
const HOLIDAYS = [
  ['Осенние каникулы', '2025-10-25', '2025-11-04'],
  ['Зимние каникулы', '2025-12-27', '2026-01-11'],
  ['Весенние каникулы', '2026-03-21', '2026-03-29'],
] as const;

/**
 * 2025/2026 with 1А, 5А, 5Б, 9А, 10А, 11А; the next year opened in spring with the structure
 * copied (so 2А, 6А, 6Б, 10А, 11А and a new 1А exist; 5А and 9А of the next year do not).
 * Over the year: Зайцев moves 5А → 5Б (order «15а», a custom number), Петров leaves (the next
 * number, «16-у»); the suffix then changes to «-пр». In June Егорова is admitted into next
 * year's 1А from 1 September.
 */
async function buildSchool(t: AdminApp): Promise<School> {
  const db = t.app.db;
  const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Params<M>) => t.call(method, params, t.adminSession);
  const teacher = (await db.insertInto('staff').values({ last_name: 'Сорокина', first_name: 'Ирина', middle_name: null, position: 'учитель' }).returning('id').executeTakeFirstOrThrow()).id;
  const subject = async (name: string, short: string, order: number) =>
    (await db.insertInto('subject').values({ name, short_name: short, part: 'federal', sort_order: order }).returning('id').executeTakeFirstOrThrow()).id;
  const subjects = { math: await subject('Математика', 'Мат', 1), russian: await subject('Русский язык', 'Рус', 2) };
  const yearId = (await db.insertInto('school_year').values({ name: YEAR, starts_on: '2025-09-01', ends_on: '2026-05-31', closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  for (const [scheme, number, name, from, to] of PERIODS) await db.insertInto('period').values({ year_id: yearId, scheme, number, name, starts_on: from, ends_on: to }).execute();
  for (const [name, from, to] of HOLIDAYS) await db.insertInto('holiday').values({ year_id: yearId, name, starts_on: from, ends_on: to }).execute();
  const cls = async (parallel: number, letter: string, teacherId: number | null = null) =>
    (
      await db
        .insertInto('school_class')
        .values({ year_id: yearId, parallel, letter, period_scheme: parallel >= 10 ? 'halves' : 'quarters', class_teacher_id: teacherId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const classes = { '1А': await cls(1, 'А'), '5А': await cls(5, 'А', teacher), '5Б': await cls(5, 'Б'), '9А': await cls(9, 'А'), '10А': await cls(10, 'А'), '11А': await cls(11, 'А') };
  for (const [label, classId] of Object.entries(classes)) {
    const own = label === '1А' ? [subjects.math] : [subjects.math, subjects.russian];
    for (const subjectId of own) await db.insertInto('curriculum').values({ class_id: classId, subject_id: subjectId, hours_per_week: 4, teacher_id: teacher }).execute();
  }

  const nextYearId = (await call('years.open', { name: NEXT, startsOn: '2026-09-01', endsOn: '2027-05-31', copyFromYearId: yearId })).yearId;

  let orderId: number | null = null;
  const admit = async (classId: number, lastName: string, firstName: string, birthDate: string, gender: 'м' | 'ж') => {
    const done = await call('movement.admit', {
      order: orderId === null ? { date: '2025-09-01' } : { id: orderId },
      classId,
      date: '2025-09-01',
      pupil: { lastName, firstName, middleName: null, birthDate, gender, snils: null },
    });
    orderId = done.orderId;
    return done.pupilId;
  };
  const pupils = {
    kuznetsov: await admit(classes['1А'], 'Кузнецов', 'Артём', '2018-05-10', 'м'),
    orlova: await admit(classes['5А'], 'Орлова', 'Мария', '2014-04-12', 'ж'),
    sokolov: await admit(classes['5А'], 'Соколов', 'Илья', '2014-07-03', 'м'),
    zaitsev: await admit(classes['5А'], 'Зайцев', 'Павел', '2014-09-21', 'м'),
    petrov: await admit(classes['5А'], 'Петров', 'Денис', '2014-03-30', 'м'),
    volkova: await admit(classes['5А'], 'Волкова', 'Ксения', '2014-06-06', 'ж'),
    morozova: await admit(classes['5Б'], 'Морозова', 'Ева', '2014-01-19', 'ж'),
    lebedeva: await admit(classes['9А'], 'Лебедева', 'Анна', '2010-02-14', 'ж'),
    smirnov: await admit(classes['9А'], 'Смирнов', 'Глеб', '2010-08-08', 'м'),
    fedorov: await admit(classes['10А'], 'Фёдоров', 'Роман', '2009-05-05', 'м'),
    nikolaeva: await admit(classes['11А'], 'Николаева', 'Ольга', '2008-11-11', 'ж'),
    egorova: 0,
  };
  await call('movement.transfer', { pupilId: pupils.zaitsev, toClassId: classes['5Б'], order: { date: '2026-01-15', number: '15а' } });
  await call('movement.leave', { pupilId: pupils.petrov, order: { date: '2026-02-10' }, reason: 'перевод в другую образовательную организацию', place: 'Школа № 2' });
  await call('settings.update', { orderSuffix: '-пр' });
  const firstA = (await db.selectFrom('school_class').select('id').where('year_id', '=', nextYearId).where('parallel', '=', 1).where('letter', '=', 'А').executeTakeFirstOrThrow()).id;
  pupils.egorova = (
    await call('movement.admit', {
      order: { date: '2026-06-08' },
      classId: firstA,
      date: '2026-09-01',
      pupil: { lastName: 'Егорова', firstName: 'Вера', middleName: null, birthDate: '2019-03-03', gender: 'ж', snils: null },
    })
  ).pupilId;

  // Year marks: complete for everyone in a class on the last day. Фёдоров (10А) and Лебедева
  // (9А) have a «2» in mathematics; Петров (left) has none.
  const marks: [number, number, string][] = [];
  for (const id of [pupils.orlova, pupils.sokolov, pupils.zaitsev, pupils.volkova, pupils.morozova, pupils.smirnov, pupils.nikolaeva]) {
    marks.push([id, subjects.math, '4'], [id, subjects.russian, '5']);
  }
  marks.push([pupils.lebedeva, subjects.math, '2'], [pupils.lebedeva, subjects.russian, '3'], [pupils.fedorov, subjects.math, 'н/а'], [pupils.fedorov, subjects.russian, '4']);
  for (const [pupilId, subjectId, value] of marks) {
    await db.insertInto('final_mark').values({ pupil_id: pupilId, subject_id: subjectId, year_id: yearId, period_id: null, kind: 'year', value }).execute();
  }
  const book = (await call('orders.list', { yearLabel: YEAR })).orders.map((o) => o.number);
  return { yearId, nextYearId, subjects, classes, pupils, book };
}

let t: AdminApp;
let s: School;
const raw = () => t.app.opened.raw;
const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Params<M>) => t.call(method, params, t.adminSession);
const refuse = (method: Parameters<AdminApp['refuse']>[0], params: unknown) => t.refuse(method, params, t.adminSession);

function membershipsOf(pupilId: number): { class: string; year: string; from: string; to: string | null }[] {
  return raw()
    .prepare(
      `select c.parallel || c.letter as class, y.name as year, m.from_date as "from", m.to_date as "to"
         from class_membership m join school_class c on c.id = m.class_id join school_year y on y.id = c.year_id
        where m.pupil_id = ? order by m.from_date, m.id`,
    )
    .all(pupilId) as never;
}

beforeAll(async () => {
  t = await openInitializedApp({ now: () => clock });
  s = await buildSchool(t);
}, 60_000);
afterAll(async () => t?.close());

describe('the preview of a year with movement, a summer admission and the next year opened beforehand', () => {
  let preview: Result<'year.closePreview'>;

  it('the order book before the close: admissions «1-у», the transfer «15а», the leaving «16-у», the summer admission «17-пр»', () => {
    expect(s.book).toEqual(['1-у', '15а', '16-у', '17-пр']);
  });

  it('decides every pupil once, in the class of the last day; the leaver and the summer first grader are not in it', async () => {
    preview = await call('year.closePreview', { yearId: s.yearId, orderDate: '2026-05-29' });
    expect(preview.blockers).toEqual([]);
    const byId = new Map(preview.decisions.map((d) => [d.pupilId, d]));
    expect(preview.decisions.filter((d) => d.pupilId === s.pupils.zaitsev)).toHaveLength(1);
    expect(byId.get(s.pupils.zaitsev)).toMatchObject({ class: '5Б', decision: 'promoted', nextClass: '6Б' });
    expect(byId.has(s.pupils.petrov)).toBe(false);
    expect(byId.has(s.pupils.egorova)).toBe(false);
    expect(preview.decisions).toHaveLength(10);
    expect(byId.get(s.pupils.kuznetsov)).toMatchObject({ class: '1А', decision: 'promoted', nextClass: '2А' });
    expect(byId.get(s.pupils.lebedeva)).toMatchObject({ class: '9А', decision: 'repeat', proposed: 'repeat', nextClass: '9А', subjects: ['Математика'] });
    expect(byId.get(s.pupils.smirnov)).toMatchObject({ decision: 'graduated', nextClass: null });
    expect(byId.get(s.pupils.fedorov)).toMatchObject({ class: '10А', decision: 'conditional', nextClass: '11А', subjects: ['Математика'] });
    expect(byId.get(s.pupils.nikolaeva)).toMatchObject({ decision: 'graduated', nextClass: null });
    expect(preview.nextYear).toEqual({ name: NEXT, exists: true });
    // 1А of the next year: Егорова (admitted for September) is counted there.
    expect(preview.nextClasses.find((c) => c.label === '1А')).toMatchObject({ exists: true, pupils: 1 });
    expect(preview.nextClasses.find((c) => c.label === '6Б')).toMatchObject({ exists: true, pupils: 2, sources: [{ from: '5Б', pupils: 2 }] });
    expect(preview.nextClasses.find((c) => c.label === '9А')).toMatchObject({ exists: false, pupils: 1 });
  });

  it('refuses an order date that does not exist in the calendar (preview and close), writing nothing', async () => {
    const before = dataDigest(raw());
    for (const method of ['year.closePreview', 'year.close'] as const) {
      const refused = await refuse(method, { yearId: s.yearId, orderDate: '2026-02-30' });
      expect(refused).toMatchObject({ code: 'invalid_params', fields: { orderDate: 'несуществующая дата' } });
      expect(refused.message).toMatch(/^Дата приказов «2026-02-30» не существует в календаре/);
    }
    expect(dataDigest(raw())).toEqual(before);
  });

  it('an order date before a pupil came into his class (the mid-year transfer) blocks the close, naming the pupil and the date', async () => {
    const early = await call('year.closePreview', { yearId: s.yearId, orderDate: '2026-01-14' });
    expect(early.blockers).toEqual([
      { pupilId: s.pupils.zaitsev, pupil: 'Зайцев Павел', class: '5Б', subject: null, reason: 'в классе с 15.01.2026 — позже даты приказов 14.01.2026: укажите дату приказов не раньше 15.01.2026' },
    ]);
    const before = dataDigest(raw());
    const refused = await refuse('year.close', { yearId: s.yearId, orderDate: '2026-01-14' });
    expect(refused.code).toBe('refused');
    expect(refused.message).toBe(
      'Закрыть учебный год 2025/2026 пока нельзя — Зайцев Павел (5Б): в классе с 15.01.2026 — позже даты приказов 14.01.2026: укажите дату приказов не раньше 15.01.2026. Исправьте указанное; ничего не изменено. Приказы будут датированы 14.01.2026.',
    );
    expect(dataDigest(raw())).toEqual(before);
    expect((await call('year.closePreview', { yearId: s.yearId, orderDate: '2026-01-15' })).blockers).toEqual([]);
  });

  it('numbers the orders after the greatest number of the book, with the current suffix, dated orderDate', () => {
    expect(preview.orders).toEqual([
      { kind: 'promotion', number: '18-пр', date: '2026-05-29', title: 'О переводе обучающихся в следующий класс', pupils: 6 },
      { kind: 'conditional_promotion', number: '19-пр', date: '2026-05-29', title: 'Об условном переводе обучающихся в следующий класс', pupils: 1 },
      { kind: 'repeat', number: '20-пр', date: '2026-05-29', title: 'Об оставлении обучающихся на повторное обучение', pupils: 1 },
      { kind: 'graduation', number: '21-пр', date: '2026-05-29', title: 'О выпуске обучающихся', pupils: 2 },
    ]);
  });
});

describe('year.decide', () => {
  it('refuses invalid decisions in Russian, naming the field, and writes nothing', async () => {
    const before = dataDigest(raw());
    const unknown = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.orlova, decision: 'expelled' });
    expect(unknown.code).toBe('invalid_params');
    expect(unknown.fields).toEqual({ decision: 'решение: promoted, conditional, repeat или graduated' });
    expect(unknown.message).toMatch(/решение: promoted, conditional, repeat или graduated/);

    const graduated = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.orlova, decision: 'graduated' });
    expect(graduated).toMatchObject({ code: 'invalid_params', fields: { decision: expect.stringContaining('только в 9 и 11') } });
    expect(graduated.message).toMatch(/^Класс 5А: решение «.+» возможно только в 9 и 11 классах\.$/);
    const tenth = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.fedorov, decision: 'graduated' });
    expect(tenth.fields).toEqual({ decision: expect.stringContaining('только в 9 и 11') });
    const eleventh = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.nikolaeva, decision: 'conditional', subjectIds: [s.subjects.math] });
    expect(eleventh.fields).toEqual({ decision: expect.stringContaining('последний') });

    const debtForPromoted = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.orlova, decision: 'promoted', subjectIds: [s.subjects.math] });
    expect(debtForPromoted.fields).toEqual({ subjectIds: 'только для условного перевода или повторного обучения' });
    const noDebt = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.volkova, decision: 'conditional' });
    expect(noDebt.fields).toEqual({ subjectIds: 'укажите предметы задолженности' });
    // Ids refused in Russian, naming the field (zod's own text would be English).
    const noPupil = await refuse('year.decide', { yearId: s.yearId, decision: 'promoted' });
    expect(noPupil).toMatchObject({ code: 'invalid_params', fields: { pupilId: 'обучающийся: укажите номер из списка' } });
    expect(noPupil.message).toBe('Проверьте данные: «pupilId»: обучающийся: укажите номер из списка.');
    const badSubject = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.orlova, decision: 'repeat', subjectIds: ['Математика'] });
    expect(badSubject.fields).toEqual({ 'subjectIds.0': 'предмет задолженности: укажите номер из списка' });
    expect((await refuse('year.decide', { yearId: 0, pupilId: s.pupils.orlova, decision: 'repeat' })).fields).toEqual({ yearId: 'учебный год: укажите номер из списка' });

    const leaver = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.petrov, decision: 'promoted' });
    expect(leaver).toMatchObject({ code: 'refused', fields: { pupilId: 'нет в классах года на его последний день' } });
    const summer = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.egorova, decision: 'promoted' });
    expect(summer.code).toBe('refused');
    expect(dataDigest(raw())).toEqual(before);
  });

  it('an explicit decision overrides a complete set of marks; null goes back to the proposal', async () => {
    const repeat = await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.sokolov, decision: 'repeat', subjectIds: [] });
    expect(repeat).toMatchObject({ decision: 'repeat', proposed: 'promoted', explicit: true, nextClass: '5А', subjects: [] });
    const conditional = await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.volkova, decision: 'conditional', subjectIds: [s.subjects.russian] });
    expect(conditional).toMatchObject({ decision: 'conditional', explicit: true, nextClass: '6А', subjects: ['Русский язык'] });
    const cleared = await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.volkova, decision: null });
    expect(cleared).toMatchObject({ decision: 'promoted', proposed: 'promoted', explicit: false, nextClass: '6А', subjects: [] });
    // A 9th-class repeater with a «2» may be let go by the council's decision all the same.
    const ninth = await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.lebedeva, decision: 'graduated' });
    expect(ninth).toMatchObject({ decision: 'graduated', proposed: 'repeat', nextClass: null, subjects: [] });
    await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.lebedeva, decision: null });
    expect(raw().prepare('select pupil_id as p, decision as d from year_decision order by pupil_id').all()).toEqual([{ p: s.pupils.sokolov, d: 'repeat' }]);
  });
});

describe('close, reads of the closed year, reopen and close again', () => {
  let beforeClose: Record<string, string[]>;
  let first: Result<'year.close'>;
  let plannedBefore: Result<'year.closePreview'>;

  it('closes into the existing next year: moves pupils into its classes, creates only the missing ones, leaves the summer admission alone', async () => {
    plannedBefore = await call('year.closePreview', { yearId: s.yearId, orderDate: '2026-05-29' });
    beforeClose = dumpDataTables(raw());
    const nextClassesBefore = raw().prepare('select id, parallel, letter from school_class where year_id = ? order by id').all(s.nextYearId) as { id: number }[];
    const egorovaBefore = membershipsOf(s.pupils.egorova);

    first = await call('year.close', { yearId: s.yearId, orderDate: '2026-05-29' });
    expect(first).toMatchObject({ changed: true, nextYear: { id: s.nextYearId, name: NEXT, created: false }, totals: { promoted: 5, conditional: 1, repeat: 2, graduated: 2 } });
    expect(first.orders.map((o) => o.number)).toEqual(['18-пр', '19-пр', '20-пр', '21-пр']);

    const nextClassesAfter = raw().prepare('select id, parallel || letter as label from school_class where year_id = ? order by id').all(s.nextYearId) as { id: number; label: string }[];
    expect(nextClassesAfter.slice(0, nextClassesBefore.length).map((c) => c.id)).toEqual(nextClassesBefore.map((c) => c.id));
    expect(nextClassesAfter.slice(nextClassesBefore.length).map((c) => c.label).sort()).toEqual(['5А', '9А']);

    expect(membershipsOf(s.pupils.zaitsev)).toEqual([
      { class: '5А', year: YEAR, from: '2025-09-01', to: '2026-01-14' },
      { class: '5Б', year: YEAR, from: '2026-01-15', to: '2026-05-31' },
      { class: '6Б', year: NEXT, from: '2026-09-01', to: null },
    ]);
    const zaitsev = await call('pupils.get', { id: s.pupils.zaitsev });
    expect(zaitsev.events.at(-1)).toMatchObject({ kind: 'promotion', fromClass: '5Б', toClass: '6Б', order: '18-пр', date: '2026-05-29' });
    expect(membershipsOf(s.pupils.petrov)).toEqual([{ class: '5А', year: YEAR, from: '2025-09-01', to: '2026-02-09' }]);
    expect(membershipsOf(s.pupils.egorova)).toEqual(egorovaBefore);
    expect(membershipsOf(s.pupils.fedorov).at(-1)).toEqual({ class: '11А', year: NEXT, from: '2026-09-01', to: null });
    expect(membershipsOf(s.pupils.lebedeva).at(-1)).toEqual({ class: '9А', year: NEXT, from: '2026-09-01', to: null });
    expect(membershipsOf(s.pupils.sokolov).at(-1)).toEqual({ class: '5А', year: NEXT, from: '2026-09-01', to: null });
    expect(membershipsOf(s.pupils.nikolaeva)).toEqual([{ class: '11А', year: YEAR, from: '2025-09-01', to: '2026-05-31' }]);

    const report = await call('movement.report', { from: '2026-09-01', to: '2026-09-01' });
    expect(report.totals.start).toBe(9);

    // The closed year's preview shows what the close did: the same next classes, not counted twice.
    const shown = await call('year.closePreview', { yearId: s.yearId });
    expect(shown).toMatchObject({ closed: true, blockers: [], orderDate: '2026-05-29' });
    expect(shown.decisions).toEqual(plannedBefore.decisions);
    expect(shown.nextClasses).toEqual(plannedBefore.nextClasses.map((c) => ({ ...c, exists: true })));
  });

  it('the closed year is read-only for its data, but printing, reports and personal data of its pupils still work', async () => {
    const repeatOrder = first.orders.find((o) => o.kind === 'repeat')!;
    const printed = await call('print.document', { document: { kind: 'order', orderId: repeatOrder.id } });
    expect(printed.pages).toBeGreaterThan(0);
    const order = await call('orders.get', { id: repeatOrder.id });
    expect(order).toMatchObject({ number: '20-пр' });
    const list = await call('print.document', { document: { kind: 'classList', classId: s.classes['5А'], date: '2026-05-20' } });
    expect(list.pages).toBeGreaterThan(0);
    const extract = await call('print.document', { document: { kind: 'marksExtract', pupilId: s.pupils.orlova, date: '2026-05-20' } });
    expect(extract.pages).toBeGreaterThan(0);
    const book = await call('print.document', { document: { kind: 'alphabetBook' } });
    expect(book.pages).toBeGreaterThan(0);
    const report = await call('movement.report', { from: '2025-09-01', to: '2026-05-31' });
    expect(report.totals.start).toBeGreaterThan(0);
    const exported = await call('exchange.export', { profile: 'roster', classId: s.classes['5Б'] });
    expect(exported.rows).toBeGreaterThanOrEqual(0);
    const structure = await call('years.get', { yearId: s.yearId });
    expect(structure).toBeTruthy();

    // Personal data of the year's pupils are not the year's data: a graduate's and a moved pupil's card can be corrected.
    const card = await call('pupils.get', { id: s.pupils.nikolaeva });
    const updated = await call('pupils.update', { id: s.pupils.nikolaeva, data: { lastName: 'Николаева-Орлова', firstName: card.firstName, middleName: card.middleName, birthDate: card.birthDate, gender: card.gender, snils: null } });
    expect(updated.lastName).toBe('Николаева-Орлова');
    const zCard = await call('pupils.get', { id: s.pupils.zaitsev });
    const zUpdated = await call('pupils.update', { id: s.pupils.zaitsev, data: { lastName: zCard.lastName, firstName: zCard.firstName, middleName: 'Андреевич', birthDate: zCard.birthDate, gender: zCard.gender, snils: null } });
    expect(zUpdated.middleName).toBe('Андреевич');
    // Back as it was, so that the reopen below can be compared with the state before the close.
    await call('pupils.update', { id: s.pupils.nikolaeva, data: { lastName: 'Николаева', firstName: card.firstName, middleName: card.middleName, birthDate: card.birthDate, gender: card.gender, snils: null } });
    await call('pupils.update', { id: s.pupils.zaitsev, data: { lastName: zCard.lastName, firstName: zCard.firstName, middleName: zCard.middleName, birthDate: zCard.birthDate, gender: zCard.gender, snils: null } });

    // A write of the year's data is refused.
    const refused = await refuse('year.decide', { yearId: s.yearId, pupilId: s.pupils.orlova, decision: 'repeat' });
    expect(refused.code).toBe('refused');
  });

  it('reopen restores every data table exactly, the pre-existing next year and the summer admission included; a second reopen changes nothing', async () => {
    const reopened = await call('year.reopen', { yearId: s.yearId });
    expect(reopened).toMatchObject({ changed: true, removed: { orders: 4, movements: 10, memberships: 8, classes: 2 } });
    expect(reopened.removed['years']).toBeUndefined();
    const after = dumpDataTables(raw(), ['pupil']);
    const expected = { ...beforeClose };
    delete expected['pupil'];
    for (const table of Object.keys(expected)) expect(after[table], table).toEqual(expected[table]);
    expect(Object.keys(after)).toEqual(Object.keys(expected));

    const digest = dataDigest(raw());
    expect(await call('year.reopen', { yearId: s.yearId })).toEqual({ year: YEAR, yearId: s.yearId, changed: false, removed: {} });
    expect(dataDigest(raw())).toEqual(digest);
  });

  it('closing again after the reopen reuses the same order numbers and gives the same plan', async () => {
    const again = await call('year.closePreview', { yearId: s.yearId, orderDate: '2026-05-29' });
    expect(again).toEqual(plannedBefore);
    const second = await call('year.close', { yearId: s.yearId, orderDate: '2026-05-29' });
    expect(second.orders.map(({ id: _id, ...o }) => o)).toEqual(first.orders.map(({ id: _id, ...o }) => o));
    expect(second.totals).toEqual(first.totals);
    const book = (await call('orders.list', { yearLabel: YEAR })).orders.map((o) => o.number);
    expect(book).toEqual([...s.book, '18-пр', '19-пр', '20-пр', '21-пр']);
  });

  it('close → reopen → change a decision → close: the new decision is what the close does', async () => {
    await call('year.reopen', { yearId: s.yearId });
    await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.sokolov, decision: null });
    await call('year.decide', { yearId: s.yearId, pupilId: s.pupils.fedorov, decision: 'repeat', subjectIds: [] });
    // Over the summer 9А's class teacher and the mathematics teacher leave the school: the 9А
    // the close creates gets neither (as the roll-forward of a year does).
    const mironov = await call('staff.save', { lastName: 'Миронов', firstName: 'Олег', middleName: null, position: 'учитель', active: true });
    raw().prepare('update school_class set class_teacher_id = ? where id = ?').run(mironov.id, s.classes['9А']);
    await call('staff.save', { id: mironov.id, lastName: 'Миронов', firstName: 'Олег', middleName: null, position: 'учитель', active: false });
    const sorokina = (await call('staff.list', {})).staff.find((p) => p.lastName === 'Сорокина')!;
    await call('staff.save', { id: sorokina.id, lastName: 'Сорокина', firstName: 'Ирина', middleName: null, position: 'учитель', active: false });
    const third = await call('year.close', { yearId: s.yearId, orderDate: '2026-05-29' });
    expect(third.totals).toEqual({ promoted: 6, conditional: 0, repeat: 2, graduated: 2 });
    expect(third.orders.map((o) => [o.kind, o.number])).toEqual([
      ['promotion', '18-пр'],
      ['repeat', '19-пр'],
      ['graduation', '20-пр'],
    ]);
    expect(membershipsOf(s.pupils.sokolov).at(-1)).toEqual({ class: '6А', year: NEXT, from: '2026-09-01', to: null });
    expect(membershipsOf(s.pupils.fedorov).at(-1)).toEqual({ class: '10А', year: NEXT, from: '2026-09-01', to: null });
    const fedorov = await call('pupils.get', { id: s.pupils.fedorov });
    // The debt of the repeat comes from the marks when the decision names no subjects.
    expect(fedorov.events.at(-1)).toMatchObject({ kind: 'repeat', fromClass: '10А', toClass: '10А', order: '19-пр' });
    // 5А of the next year is no longer needed: only 9А was created this time.
    const created = raw()
      .prepare("select c.parallel || c.letter as label from year_close_row r join school_class c on c.id = r.row_id where r.year_id = ? and r.table_name = 'school_class'")
      .all(s.yearId) as { label: string }[];
    expect(created.map((c) => c.label)).toEqual(['9А']);
    const nine = raw()
      .prepare("select c.class_teacher_id as teacher, (select group_concat(coalesce(k.teacher_id, 'none')) from curriculum k where k.class_id = c.id) as curriculum from school_class c where c.year_id = ? and c.parallel = 9")
      .get(s.nextYearId);
    expect(nine).toEqual({ teacher: null, curriculum: 'none,none' });
  });
});

describe('after the close: a 9th-class graduate continues in the 10th class', () => {
  it('is admitted again into next year\'s 10А (order in August, the closed year\'s book goes on); reopen is then refused with the reason', async () => {
    const tenth = (await t.app.db.selectFrom('school_class').select('id').where('year_id', '=', s.nextYearId).where('parallel', '=', 10).where('letter', '=', 'А').executeTakeFirstOrThrow()).id;
    const admitted = await call('movement.admit', { order: { date: '2026-08-25' }, classId: tenth, date: '2026-09-01', pupilId: s.pupils.smirnov });
    expect(admitted.order).toBe('21-пр');
    expect(membershipsOf(s.pupils.smirnov)).toEqual([
      { class: '9А', year: YEAR, from: '2025-09-01', to: '2026-05-31' },
      { class: '10А', year: NEXT, from: '2026-09-01', to: null },
    ]);
    const before = dataDigest(raw());
    const refused = await refuse('year.reopen', { yearId: s.yearId });
    expect(refused.message).toMatch(/^В 2026\/2027 учебном году уже есть 1 запись о движении, 1 запись в списках классов и 1 приказ, внесённые после закрытия 2025\/2026: отменить закрытие нельзя\./);
    expect(dataDigest(raw())).toEqual(before);
  });
});

describe('close → reopen → change a decision → close, when the close opens the next year itself', () => {
  it('each close opens the next year anew with the same order numbers; the last reopen restores the first state exactly', async () => {
    const d = await openInitializedApp({ now: () => clock });
    try {
      await d.call('demo.generate', { seed: 7, pupils: 40, year: YEAR }, d.adminSession);
      completeYearMarks(d.app.opened.raw, YEAR);
      const yearId = (await d.call('years.list', {}, d.adminSession)).years.find((y) => y.name === YEAR)!.id;
      const original = dumpDataTables(d.app.opened.raw);
      const firstClose = await d.call('year.close', { yearId }, d.adminSession);
      expect(firstClose.nextYear).toMatchObject({ name: NEXT, created: true });
      await d.call('year.reopen', { yearId }, d.adminSession);
      expect(dumpDataTables(d.app.opened.raw)).toEqual(original);

      const preview = await d.call('year.closePreview', { yearId }, d.adminSession);
      const fifth = preview.decisions.find((x) => x.class.startsWith('5') && x.decision === 'promoted')!;
      await d.call('year.decide', { yearId, pupilId: fifth.pupilId, decision: 'repeat' }, d.adminSession);
      const secondClose = await d.call('year.close', { yearId }, d.adminSession);
      expect(secondClose.nextYear).toMatchObject({ name: NEXT, created: true });
      expect(secondClose.nextYear.id).not.toBe(firstClose.nextYear.id);
      // The reopen freed the first close's numbers: the second close takes them again, consecutively.
      const start = Number(/^\d+/.exec(firstClose.orders[0]!.number)![0]);
      expect(secondClose.orders.map((o) => o.number)).toEqual(secondClose.orders.map((_, i) => `${start + i}-у`));
      expect(secondClose.orders.find((o) => o.kind === 'repeat')?.pupils).toBeGreaterThanOrEqual(1);
      const card = await d.call('pupils.get', { id: fifth.pupilId }, d.adminSession);
      expect(card.events.at(-1)).toMatchObject({ kind: 'repeat', fromClass: fifth.class, toClass: fifth.class });

      await d.call('year.reopen', { yearId }, d.adminSession);
      await d.call('year.decide', { yearId, pupilId: fifth.pupilId, decision: null }, d.adminSession);
      expect(dumpDataTables(d.app.opened.raw)).toEqual(original);
    } finally {
      await d.close();
    }
  }, 60_000);
});

describe('the same school from the command line', () => {
  let u: AdminApp;
  let school: School;

  beforeAll(async () => {
    u = await openInitializedApp({ now: () => clock });
    school = await buildSchool(u);
  }, 60_000);
  afterAll(async () => u?.close());

  it('dry-run lists each pupil once, the close moves into the existing next year, a write into the closed year exits 1, reopen restores the tables', () => {
    assertBuilt();
    const run = (...args: string[]) => cli(['--db', u.dbPath, '--user', ADMIN.login, ...args], { env: { SCHOOL_OFFICE_PASSWORD: ADMIN.password } });
    const dump = () => {
      const file = new BetterSqlite3(u.dbPath, { readonly: true });
      try {
        // Each command line signs in: the account's last login time changes, nothing else may.
        return dumpDataTables(file, ['app_user']);
      } finally {
        file.close();
      }
    };

    const dry = run('--json', 'year', 'close', YEAR, '--dry-run', '--order-date', '2026-05-29');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { blockers: unknown[]; decisions: { pupilId: number; class: string; decision: string; nextClass: string | null; subjects: string[] }[]; orders: { number: string }[] };
    expect(plan.blockers).toEqual([]);
    expect(plan.decisions.filter((d) => d.pupilId === school.pupils.zaitsev)).toEqual([expect.objectContaining({ class: '5Б', decision: 'promoted', nextClass: '6Б' })]);
    expect(plan.decisions.some((d) => d.pupilId === school.pupils.petrov || d.pupilId === school.pupils.egorova)).toBe(false);
    expect(plan.decisions.find((d) => d.pupilId === school.pupils.fedorov)).toMatchObject({ decision: 'conditional', nextClass: '11А', subjects: ['Математика'] });
    expect(plan.orders.map((o) => o.number)).toEqual(['18-пр', '19-пр', '20-пр', '21-пр']);

    const badDate = run('year', 'close', YEAR, '--confirm', '--order-date', '2026-02-30');
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/Дата приказов «2026-02-30» не существует в календаре/);

    const before = dump();
    const closed = run('--json', 'year', 'close', YEAR, '--confirm', '--order-date', '2026-05-29');
    expect(closed.code, closed.stderr).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ changed: true, nextYear: { id: school.nextYearId, created: false }, totals: { promoted: 6, conditional: 1, repeat: 1, graduated: 2 } });

    const refused = run('year', 'decide', String(school.pupils.orlova), '--decision', 'repeat', '--year', YEAR);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/2025\/2026 закрыт/);

    const reopened = run('--json', 'year', 'reopen', YEAR);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(JSON.parse(reopened.stdout)).toMatchObject({ changed: true, removed: { orders: 4, movements: 10, memberships: 8, classes: 1 } });
    const after = dump();
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
  });

  it('a decision whose debt subject is not in the curriculum of the class the pupil was transferred to blocks the close until decided again', async () => {
    const english = (await u.app.db.insertInto('subject').values({ name: 'Английский язык', short_name: 'Англ', part: 'federal', sort_order: 3 }).returning('id').executeTakeFirstOrThrow()).id;
    await u.app.db.insertInto('curriculum').values({ class_id: school.classes['5А'], subject_id: english, hours_per_week: 3, teacher_id: null }).execute();
    const uCall = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Params<M>) => u.call(method, params, u.adminSession);
    await uCall('year.decide', { yearId: school.yearId, pupilId: school.pupils.orlova, decision: 'conditional', subjectIds: [english] });
    await uCall('movement.transfer', { pupilId: school.pupils.orlova, toClassId: school.classes['5Б'], order: { date: '2026-05-20' } });
    const preview = await uCall('year.closePreview', { yearId: school.yearId });
    expect(preview.blockers.filter((b) => b.pupilId === school.pupils.orlova)).toEqual([
      {
        pupilId: school.pupils.orlova,
        pupil: 'Орлова Мария',
        class: '5Б',
        subject: null,
        reason: 'предметы задолженности не из учебного плана класса 5Б (Английский язык) — решение принято до перевода в этот класс или до изменения учебного плана: примите решение заново',
      },
    ]);
    await uCall('year.decide', { yearId: school.yearId, pupilId: school.pupils.orlova, decision: null });
    expect((await uCall('year.closePreview', { yearId: school.yearId })).blockers.filter((b) => b.pupilId === school.pupils.orlova)).toEqual([]);
  });
});
