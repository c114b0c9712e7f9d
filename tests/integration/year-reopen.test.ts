import BetterSqlite3 from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, openInitializedApp, type TestApp } from '../support/app';
import { assertBuilt, cli } from '../support/cli';
import { dataDigest, dumpDataTables } from '../support/data-tables';

/**
 * «Reopen» (year.reopen): after a real close (year.close), it restores the exact pre-close data;
 * it is refused — changing nothing — once the next year holds a change that depends on the
 * close; on an open year it changes nothing. And from the command line: a write into the closed
 * year exits 1 with the message, `year reopen` opens it again.
 */

const YEAR = '2025/2026';
const NEXT = '2026/2027';
let clock = new Date('2026-06-10T03:00:00Z');
let t: TestApp & { adminSession: string };

interface School {
  yearId: number;
  classes: Record<'1А' | '5А' | '9А', number>;
  subjects: { math: number; russian: number };
}
let school: School;

const raw = () => t.app.opened.raw;
const csv = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

/**
 * The year 2025/2026 with its calendar, three classes (1А without marks, 5А, 9А — graduates), a
 * group, pupils admitted through the API and their year marks: complete, so the close proceeds
 * (Соколов has a «2»: a conditional promotion). The next year does not exist: the close opens it.
 */
async function buildSchool(): Promise<School> {
  const db = t.app.db;
  const staff = async (last: string, first: string) =>
    (await db.insertInto('staff').values({ last_name: last, first_name: first, middle_name: null, position: 'учитель' }).returning('id').executeTakeFirstOrThrow()).id;
  const teachers = [await staff('Сорокина', 'Ирина'), await staff('Миронов', 'Олег')];
  const subject = async (name: string, short: string, order: number) =>
    (await db.insertInto('subject').values({ name, short_name: short, part: 'federal', sort_order: order }).returning('id').executeTakeFirstOrThrow()).id;
  const subjects = { math: await subject('Математика', 'Мат', 1), russian: await subject('Русский язык', 'Рус', 2) };
  const yearId = (await db.insertInto('school_year').values({ name: YEAR, starts_on: '2025-09-01', ends_on: '2026-05-31', closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  const periods = [
    ['quarters', 1, '1 четверть', '2025-09-01', '2025-10-24'],
    ['quarters', 2, '2 четверть', '2025-11-05', '2025-12-26'],
    ['quarters', 3, '3 четверть', '2026-01-12', '2026-03-20'],
    ['quarters', 4, '4 четверть', '2026-03-30', '2026-05-31'],
    ['halves', 1, '1 полугодие', '2025-09-01', '2025-12-26'],
    ['halves', 2, '2 полугодие', '2026-01-12', '2026-05-31'],
  ] as const;
  for (const [scheme, number, name, from, to] of periods) await db.insertInto('period').values({ year_id: yearId, scheme, number, name, starts_on: from, ends_on: to }).execute();
  for (const [name, from, to] of [
    ['Осенние каникулы', '2025-10-25', '2025-11-04'],
    ['Зимние каникулы', '2025-12-27', '2026-01-11'],
    ['Весенние каникулы', '2026-03-21', '2026-03-29'],
  ] as const) {
    await db.insertInto('holiday').values({ year_id: yearId, name, starts_on: from, ends_on: to }).execute();
  }
  const cls = async (parallel: number, teacher: number | null) =>
    (await db.insertInto('school_class').values({ year_id: yearId, parallel, letter: 'А', period_scheme: 'quarters', class_teacher_id: teacher }).returning('id').executeTakeFirstOrThrow()).id;
  const classes = { '1А': await cls(1, teachers[0]!), '5А': await cls(5, teachers[1]!), '9А': await cls(9, null) };
  for (const [classId, subjectId] of [
    [classes['1А'], subjects.math],
    [classes['5А'], subjects.math],
    [classes['5А'], subjects.russian],
    [classes['9А'], subjects.math],
  ] as const) {
    await db.insertInto('curriculum').values({ class_id: classId, subject_id: subjectId, hours_per_week: 4, teacher_id: teachers[0]! }).execute();
  }
  const groupId = (await db.insertInto('study_group').values({ class_id: classes['5А'], subject_id: subjects.russian, name: 'Группа 1', teacher_id: teachers[1]! }).returning('id').executeTakeFirstOrThrow()).id;

  let orderId: number | null = null;
  const admit = async (classId: number, lastName: string, firstName: string, birthDate: string, gender: 'м' | 'ж') => {
    const done = await t.call(
      'movement.admit',
      { order: orderId === null ? { date: '2025-09-01' } : { id: orderId }, classId, date: '2025-09-01', pupil: { lastName, firstName, middleName: null, birthDate, gender, snils: null } },
      t.adminSession,
    );
    orderId = done.orderId;
    return done.pupilId;
  };
  await admit(classes['1А'], 'Кузнецов', 'Артём', '2018-05-10', 'м');
  const orlova = await admit(classes['5А'], 'Орлова', 'Мария', '2014-04-12', 'ж');
  const sokolov = await admit(classes['5А'], 'Соколов', 'Илья', '2014-07-03', 'м');
  const lebedeva = await admit(classes['9А'], 'Лебедева', 'Анна', '2010-02-14', 'ж');
  await db.insertInto('group_member').values({ group_id: groupId, pupil_id: orlova }).execute();
  for (const [pupilId, subjectId, value] of [
    [orlova, subjects.math, '5'],
    [orlova, subjects.russian, '4'],
    [sokolov, subjects.math, '2'],
    [sokolov, subjects.russian, '3'],
    [lebedeva, subjects.math, '4'],
  ] as const) {
    await db.insertInto('final_mark').values({ pupil_id: pupilId, subject_id: subjectId, year_id: yearId, period_id: null, kind: 'year', value }).execute();
  }
  return { yearId, classes, subjects };
}

async function nextYearClass(label: '1А' | '6А'): Promise<number> {
  const row = await t.app.db
    .selectFrom('school_class as c')
    .innerJoin('school_year as y', 'y.id', 'c.year_id')
    .select('c.id')
    .where('y.name', '=', NEXT)
    .where('c.parallel', '=', Number(label[0]))
    .where('c.letter', '=', 'А')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function close(): Promise<void> {
  const closed = await t.call('year.close', { yearId: school.yearId }, t.adminSession);
  expect(closed).toMatchObject({ changed: true, nextYear: { name: NEXT, created: true } });
}

beforeEach(async () => {
  clock = new Date('2026-06-10T03:00:00Z');
  t = await openInitializedApp({ now: () => clock });
  school = await buildSchool();
});
afterEach(async () => t.close());

describe('reopen', () => {
  it('after close then reopen, every data table equals the pre-close state', async () => {
    const before = dumpDataTables(raw());
    await close();
    const closed = dumpDataTables(raw());
    expect(closed).not.toEqual(before);
    expect(closed['school_year']!.some((r) => (JSON.parse(r) as { name: string }).name === NEXT)).toBe(true);

    const reopened = await t.call('year.reopen', { yearId: school.yearId }, t.adminSession);
    expect(reopened).toMatchObject({ year: YEAR, yearId: school.yearId, changed: true });
    // Three orders (promotion, conditional promotion, graduation), four pupils moved, three of
    // them into next year's classes, and the year the close opened.
    expect(reopened.removed).toMatchObject({ orders: 3, movements: 4, memberships: 3, years: 1 });
    expect(reopened.removed['classes']).toBeGreaterThanOrEqual(3);

    const after = dumpDataTables(raw());
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);

    // The order book goes on where it stood before the close: the next order takes the number
    // the close's first order had.
    const admitted = await t.call(
      'movement.admit',
      { order: { date: '2026-05-20' }, classId: school.classes['5А'], pupil: { lastName: 'Белова', firstName: 'Дарья', middleName: null, birthDate: '2014-11-02', gender: 'ж', snils: null } },
      t.adminSession,
    );
    expect(admitted.order).toBe('2-у');
    expect(await t.call('audit.verify', {}, t.adminSession)).toMatchObject({ ok: true });
    const audit = await t.call('audit.list', { method: 'year.reopen' }, t.adminSession);
    expect(audit.rows).toHaveLength(1);
  });

  it('is refused, with the reason and changing nothing, once the next year holds a dependent change', async () => {
    await close();
    // A first-grader admitted in June into next year's 1А (made by the close).
    await t.call(
      'movement.admit',
      { order: { date: '2026-06-10' }, classId: await nextYearClass('1А'), pupil: { lastName: 'Егорова', firstName: 'Вера', middleName: null, birthDate: '2019-03-03', gender: 'ж', snils: null } },
      t.adminSession,
    );
    const before = dataDigest(raw());
    const refused = await t.refuse('year.reopen', { yearId: school.yearId }, t.adminSession);
    expect(refused.code).toBe('refused');
    expect(refused.message).toMatch(/^В 2026\/2027 учебном году уже есть 1 запись о движении, 1 запись в списках классов и 1 приказ, внесённые после закрытия 2025\/2026: отменить закрытие нельзя\./);
    expect(refused.message).toMatch(/копии, сделанной перед закрытием \(.+before-close-2025-2026-.+\.db\)/);
    expect(dataDigest(raw())).toEqual(before);
    expect((await t.call('years.list', {}, t.adminSession)).years.find((y) => y.name === YEAR)).toMatchObject({ closed: true });
  });

  it('is refused once a lesson is in the next year, or its structure was edited after the close', async () => {
    await close();
    const sixA = await nextYearClass('6А');
    await t.call(
      'exchange.import',
      { fileName: 'уроки.csv', profile: 'lessons', dryRun: false, contentBase64: Buffer.from(csv(['Класс;Предмет;Дата;Тема урока', '6А;Математика;02.09.2026;Повторение'])).toString('base64') },
      t.adminSession,
    );
    const lesson = await t.refuse('year.reopen', { yearId: school.yearId }, t.adminSession);
    expect(lesson.message).toMatch(/^В 2026\/2027 учебном году уже есть 1 урок, внесённые после закрытия 2025\/2026: отменить закрытие нельзя/);

    // The lesson goes (directly: there is no screen to delete one); then the class is edited.
    raw().prepare('delete from lesson where class_id = ?').run(sixA);
    await t.call('classes.save', { yearId: (await t.call('years.list', {}, t.adminSession)).years.find((y) => y.name === NEXT)!.id, id: sixA, parallel: 6, letter: 'А', periodScheme: 'halves', classTeacherId: null }, t.adminSession);
    const before = dataDigest(raw());
    const edited = await t.refuse('year.reopen', { yearId: school.yearId }, t.adminSession);
    expect(edited.message).toMatch(/уже есть 1 изменение структуры года после закрытия/);
    expect(dataDigest(raw())).toEqual(before);
  });

  it('changes nothing on an open year', async () => {
    const before = dataDigest(raw());
    expect(await t.call('year.reopen', { yearId: school.yearId }, t.adminSession)).toEqual({ year: YEAR, yearId: school.yearId, changed: false, removed: {} });
    expect(dataDigest(raw())).toEqual(before);
  });
});

describe('reopen and the closed year from the command line', () => {
  it('refuses a write into the closed year (exit 1, the message), reopens, then the write goes through', async () => {
    assertBuilt();
    await close();
    const dbPath = t.dbPath;
    const lessons = join(t.dir, 'уроки.csv');
    writeFileSync(lessons, csv(['Класс;Предмет;Дата;Тема урока', '5А;Математика;20.05.2026;Повторение']));
    const run = (...args: string[]) => cli(['--db', dbPath, '--user', ADMIN.login, ...args], { env: { SCHOOL_OFFICE_PASSWORD: ADMIN.password } });
    const digest = () => {
      const file = new BetterSqlite3(dbPath, { readonly: true });
      try {
        // Each command line signs in: the account's last login time changes, nothing else may.
        return dataDigest(file, ['app_user']);
      } finally {
        file.close();
      }
    };

    const before = digest();
    const refused = run('import', '--profile', 'lessons', '--file', lessons);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toMatch(/Учебный год 2025\/2026 закрыт: его данные только для чтения, изменить уроки нельзя\. Если нужно исправить, администратор может отменить закрытие года\./);
    expect(digest()).toEqual(before);

    const reopened = run('--json', 'year', 'reopen', YEAR);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(JSON.parse(reopened.stdout)).toMatchObject({ year: YEAR, changed: true, removed: { orders: 3, movements: 4, memberships: 3, years: 1 } });
    const again = run('year', 'reopen', YEAR);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Учебный год 2025\/2026 не закрыт: ничего не изменено\./);

    const imported = run('--json', 'import', '--profile', 'lessons', '--file', lessons);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ counts: { lessons: { created: 1 } } });
  });
});
