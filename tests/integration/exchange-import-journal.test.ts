import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSafeNumber, parse } from 'lossless-json';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../common/api/contract';
import type { EntityCounts } from '../../common/exchange/report';
import { writeTransaction } from '../../db/transaction';
import type { AuditNote } from '../../main/context';
import { mapRows } from '../../main/exchange/map';
import { builtinProfile } from '../../main/exchange/profiles/builtin';
import { readPackageContents, readTable } from '../../main/exchange/read';
import { importFinalMarks } from '../../main/exchange/import/final-marks';
import { importJournalReport } from '../../main/exchange/import/journal-report';
import { importKiasuo } from '../../main/exchange/import/kiasuo';
import { importLessons } from '../../main/exchange/import/lessons';
import type { Importer, ImporterInput, ImporterResult } from '../../main/exchange/import/types';
import { openInitializedApp, type TestApp } from '../support/app';

const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
const HAVE_FIXTURES = existsSync(resolve(FIXTURES, 'expected.json'));
if (!HAVE_FIXTURES) console.log(`Пропуск тестов на образцах: нет папки ${FIXTURES} (клон без ../shared).`);
const expected = (): Record<string, Record<string, number>> => JSON.parse(readFileSync(resolve(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;

const SUBJECTS = ['Русский язык', 'Литература', 'Математика', 'История', 'Обществознание', 'География'];
const QUARTERS = [
  ['1 четверть', '2025-09-01', '2025-10-24'],
  ['2 четверть', '2025-11-05', '2025-12-26'],
  ['3 четверть', '2026-01-12', '2026-03-20'],
  ['4 четверть', '2026-03-30', '2026-05-25'],
] as const;
const TODAY = '2026-05-20';

let t: TestApp & { adminSession: string };
beforeEach(async () => {
  t = await openInitializedApp({ now: () => new Date('2026-05-20T09:00:00Z') });
});
afterEach(async () => t.close());

interface School {
  yearId: number;
  classes: Record<'5А' | '5Б', number>;
}

/** The year 2025/2026 with 5А and 5Б, the subjects of the samples, one teacher, and optionally the quarters. */
async function school(options: { periods: boolean }): Promise<School> {
  const db = t.app.db;
  const yearId = (await db.insertInto('school_year').values({ name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-31', closed: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  const cls = async (letter: string) =>
    (await db.insertInto('school_class').values({ year_id: yearId, parallel: 5, letter, period_scheme: 'quarters' }).returning('id').executeTakeFirstOrThrow()).id;
  const classes = { '5А': await cls('А'), '5Б': await cls('Б') };
  for (const [i, name] of SUBJECTS.entries()) await db.insertInto('subject').values({ name, short_name: name.slice(0, 4), part: 'federal', sort_order: i }).execute();
  await db.insertInto('staff').values({ last_name: 'Сорокина', first_name: 'Ирина', middle_name: 'Павловна', position: 'учитель' }).execute();
  if (options.periods) {
    for (const [i, [name, from, to]] of QUARTERS.entries()) {
      await db.insertInto('period').values({ year_id: yearId, scheme: 'quarters', number: i + 1, name, starts_on: from, ends_on: to }).execute();
    }
  }
  return { yearId, classes };
}

/** The pupils of roster.xlsx, admitted through the API into 5А and 5Б on 01.09.2025 by one order. */
async function admitRoster(s: School): Promise<void> {
  const file = await readTable('roster.xlsx', readFileSync(resolve(FIXTURES, 'roster.xlsx')));
  const mapped = mapRows(builtinProfile('roster'), file.rows);
  let orderId: number | null = null;
  for (const r of mapped.records) {
    const v = r.values as Record<string, string>;
    const label = r.values['classLabel'] as { parallel: number; letter: 'А' | 'Б' };
    const result: { orderId: number } = await t.call(
      'movement.admit',
      {
        order: orderId === null ? { date: '2025-09-01' } : { id: orderId },
        classId: s.classes[`5${label.letter}`],
        date: '2025-09-01',
        pupil: { lastName: v['lastName']!, firstName: v['firstName']!, middleName: v['middleName'] ?? null, birthDate: v['birthDate']!, gender: v['gender'] as 'м' | 'ж', snils: v['snils'] ?? null },
      },
      t.adminSession,
    );
    orderId = result.orderId;
  }
}

/** A pupil written directly (tests that need no sample files). */
async function pupilIn(classId: number, p: { lastName: string; firstName: string; middleName: string; birthDate: string; snils?: string }): Promise<number> {
  const db = t.app.db;
  const id = (
    await db
      .insertInto('pupil')
      .values({ last_name: p.lastName, first_name: p.firstName, middle_name: p.middleName, birth_date: p.birthDate, gender: 'ж', snils: p.snils ?? null, updated_at: '2025-09-01T00:00:00Z' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db.insertInto('class_membership').values({ pupil_id: id, class_id: classId, from_date: '2025-09-01' }).execute();
  return id;
}

/** Runs an importer the way the runner does: inside one write transaction, with a minimal context. */
async function run(
  importer: Importer,
  profileId: string,
  source: ImporterInput['source'],
  fileName: string,
  resolutions: ImporterInput['resolutions'] = [],
): Promise<ImporterResult & { audit: AuditNote[] }> {
  const audit: AuditNote[] = [];
  const result = await writeTransaction(t.app.db, (trx) =>
    importer({
      ctx: {
        app: t.app,
        db: trx,
        session: null,
        // No import method exists in the contract yet for this direct call; the importers do not read it.
        method: 'exchange.export' as MethodName,
        now: () => new Date(),
        audit: (note) => audit.push(note),
        write: (work) => work(trx),
        afterCommit: () => undefined,
      },
      trx,
      profile: builtinProfile(profileId)!,
      source,
      fileName,
      resolutions,
      today: TODAY,
      progress: () => undefined,
      audit: (note) => audit.push(note),
    }),
  );
  return { ...result, audit };
}

const table = async (name: string, bytes?: Buffer) => ({ kind: 'table' as const, file: await readTable(name, bytes ?? readFileSync(resolve(FIXTURES, name))) });
const total = (c: EntityCounts | undefined) => (c ? c.created + c.updated + c.unchanged : 0);
const nothingChanged = (r: ImporterResult) => Object.values(r.counts).every((c) => c.created === 0 && c.updated === 0);
const rows = async (name: 'subject' | 'pupil' | 'lesson' | 'mark' | 'attendance' | 'final_mark' | 'school_class' | 'period') =>
  Number((await t.app.db.selectFrom(name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
/** As the package reader parses JSON: integers that do not fit a double stay text, digit for digit. */
const lossless = (text: string): unknown => parse(text, undefined, (value) => (isSafeNumber(value) ? Number(value) : value));

describe.skipIf(!HAVE_FIXTURES)('journal imports: the shared samples', () => {
  it('journal-report: 5 pupils, marks and attendance of expected.json; the second import changes nothing', async () => {
    const s = await school({ periods: true });
    await admitRoster(s);
    const first = await run(importJournalReport, 'journal-report', await table('journal-report.xlsx'), 'journal-report.xlsx');
    expect(first.rejected).toEqual([]);
    const want = expected()['journal-report']!;
    expect(first.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: want['pupils'] });
    expect(first.counts.marks).toEqual({ created: want['marks'], updated: 0, unchanged: 0 });
    expect(first.counts.attendance).toEqual({ created: want['attendance'], updated: 0, unchanged: 0 });
    expect(await rows('mark')).toBe(want['marks']);
    expect(await rows('attendance')).toBe(want['attendance']);
    expect(first.counts.lessons!.created).toBe(await rows('lesson'));
    // Audit notes are summaries: no pupil's name in them.
    expect(JSON.stringify(first.audit)).not.toMatch(/Смирнова/);

    const second = await run(importJournalReport, 'journal-report', await table('journal-report.xlsx'), 'journal-report.xlsx');
    expect(nothingChanged(second)).toBe(true);
    expect(second.counts.marks!.unchanged).toBe(want['marks']);
    expect(second.counts.attendance!.unchanged).toBe(want['attendance']);
    expect(await rows('mark')).toBe(want['marks']);
  });

  it('lessons: 20 lessons, an unknown substitute is a warning; re-import unchanged, a changed topic updates', async () => {
    await school({ periods: false });
    const first = await run(importLessons, 'lessons', await table('lessons.csv'), 'lessons.csv');
    expect(first.rejected).toEqual([]);
    expect(first.counts.lessons).toEqual({ created: expected()['lessons']!['lessons'], updated: 0, unchanged: 0 });
    expect(first.warnings).toEqual([{ column: 'Замена', reason: expect.stringMatching(/учитель «Гусев Павел Олегович» не найден.*без учителя/) }]);
    const teacher = await t.app.db.selectFrom('lesson').select(['teacher_id', 'substitute_teacher_id', 'topic']).where('lesson_date', '=', '2025-09-01').executeTakeFirstOrThrow();
    expect(teacher).toMatchObject({ substitute_teacher_id: null, topic: 'Натуральные числа; урок 1' });
    expect(teacher.teacher_id).not.toBeNull();

    const second = await run(importLessons, 'lessons', await table('lessons.csv'), 'lessons.csv');
    expect(second.counts.lessons).toEqual({ created: 0, updated: 0, unchanged: 20 });

    const edited = readFileSync(resolve(FIXTURES, 'lessons.csv'), 'utf8').replace('Натуральные числа; урок 1', 'Натуральные числа: повторение');
    const third = await run(importLessons, 'lessons', await table('lessons.csv', Buffer.from(edited, 'utf8')), 'lessons.csv');
    expect(third.counts.lessons).toEqual({ created: 0, updated: 1, unchanged: 19 });
    expect(await rows('lesson')).toBe(20);

    // A topic edited in the app is not overwritten by a changed file: a conflict, until the user takes the file's.
    await t.app.db.updateTable('lesson').set({ topic: 'Исправлено вручную' }).where('lesson_date', '=', '2025-09-02').execute();
    const fourthFile = edited.replace('Натуральные числа; урок 2', 'Натуральные числа: новая тема');
    const fourth = await run(importLessons, 'lessons', await table('lessons.csv', Buffer.from(fourthFile, 'utf8')), 'lessons.csv');
    expect(fourth.conflicts).toEqual([{ row: 3, column: 'Тема урока', inApp: 'Исправлено вручную', inFile: 'Натуральные числа: новая тема' }]);
    expect(fourth.counts.lessons).toEqual({ created: 0, updated: 0, unchanged: 20 });
    const untouched = await run(importLessons, 'lessons', await table('lessons.csv', Buffer.from(edited, 'utf8')), 'lessons.csv');
    expect(untouched.conflicts).toEqual([]);
    expect(untouched.counts.lessons!.updated).toBe(0);
    const taken = await run(importLessons, 'lessons', await table('lessons.csv', Buffer.from(fourthFile, 'utf8')), 'lessons.csv', [{ row: 3, column: 'Тема урока', take: 'file' }]);
    expect(taken.counts.lessons).toEqual({ created: 0, updated: 1, unchanged: 19 });
    const topic = await t.app.db.selectFrom('lesson').select('topic').where('lesson_date', '=', '2025-09-02').executeTakeFirstOrThrow();
    expect(topic.topic).toBe('Натуральные числа: новая тема');
  });

  it('final-marks: 840 marks by quarter and year; the second import changes nothing', async () => {
    const s = await school({ periods: true });
    await admitRoster(s);
    const first = await run(importFinalMarks, 'final-marks', await table('final-marks.xlsx'), 'final-marks.xlsx');
    expect(first.rejected).toEqual([]);
    expect(first.counts.finalMarks).toEqual({ created: expected()['final-marks']!['finalMarks'], updated: 0, unchanged: 0 });
    const kinds = await t.app.db.selectFrom('final_mark').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('kind').orderBy('kind').execute();
    expect(kinds.map((k) => [k.kind, Number(k.n)])).toEqual([['period', 672], ['year', 168]]);
    const second = await run(importFinalMarks, 'final-marks', await table('final-marks.xlsx'), 'final-marks.xlsx');
    expect(second.counts.finalMarks).toEqual({ created: 0, updated: 0, unchanged: 840 });
  });

  it('kiasuo: the counts of expected.json, ids kept exactly; the second import (from the ZIP) changes nothing', async () => {
    const s = await school({ periods: false });
    await admitRoster(s);
    const pupilsBefore = await rows('pupil');
    const folder = await readPackageContents({ folder: resolve(FIXTURES, 'kiasuo') });
    const first = await run(importKiasuo, 'kiasuo', { kind: 'package', contents: folder }, 'kiasuo');
    expect(first.rejected).toEqual([]);
    const want = expected()['kiasuo']!;
    for (const [entity, n] of Object.entries(want)) expect(total(first.counts[entity as keyof typeof first.counts]), entity).toBe(n);
    expect(first.counts.periods).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(first.counts.classes).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(first.counts.pupils).toEqual({ created: 0, updated: 0, unchanged: 50 });
    expect(first.counts.marks!.created).toBe(want['marks']);
    expect(first.counts.finalMarks!.created).toBe(want['finalMarks']);
    expect(await rows('pupil')).toBe(pupilsBefore);
    expect(await rows('period')).toBe(4);

    const ref = await t.app.db
      .selectFrom('external_ref')
      .innerJoin('pupil', 'pupil.id', 'external_ref.entity_id')
      .select(['external_ref.external_id', 'pupil.last_name'])
      .where('system', '=', 'kiasuo')
      .where('entity', '=', 'pupil')
      .where('external_id', '=', '10000000000455007')
      .executeTakeFirstOrThrow();
    expect(ref.last_name).toBe('Смирнова');
    const classRef = await t.app.db.selectFrom('external_ref').select('entity_id').where('entity', '=', 'school_class').where('external_id', '=', '10000000000455002').executeTakeFirstOrThrow();
    expect(classRef.entity_id).toBe(s.classes['5Б']);

    const zip = await readPackageContents({ zip: readFileSync(resolve(FIXTURES, 'kiasuo.zip')), name: 'kiasuo.zip' });
    const second = await run(importKiasuo, 'kiasuo', { kind: 'package', contents: zip }, 'kiasuo.zip');
    expect(second.rejected).toEqual([]);
    expect(nothingChanged(second)).toBe(true);
    for (const [entity, n] of Object.entries(want)) expect(total(second.counts[entity as keyof typeof second.counts]), entity).toBe(n);
  });
});

describe('journal imports: what cannot be matched is rejected, never invented', () => {
  const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

  it('final-marks: an unknown pupil and an unknown subject are rejected with row and reason', async () => {
    const s = await school({ periods: true });
    await pupilIn(s.classes['5А'], { lastName: 'Ёлкина', firstName: 'Алёна', middleName: 'Петровна', birthDate: '2014-05-03' });
    const before = { subjects: await rows('subject'), pupils: await rows('pupil') };
    const file = csv([
      'Класс;Фамилия;Имя;Отчество;Дата рождения;Предмет;1 четверть;Год',
      '5А;Елкина;Алена;Петровна;03.05.2014;математика;5;зач',
      '5А;Петров;Пётр;Ильич;01.01.2014;Математика;4;4',
      '5А;Ёлкина;Алёна;Петровна;03.05.2014;Астрономия;5;5',
      '5Б;Ёлкина;Алёна;Петровна;03.05.2014;Математика;5;5',
      '5А;Ёлкина;Алёна;Петровна;04.05.2014;История;5;5',
    ]);
    const result = await run(importFinalMarks, 'final-marks', await table('marks.csv', file), 'marks.csv');
    expect(result.counts.finalMarks).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(result.rejected).toEqual([
      { row: 3, column: 'Фамилия', reason: 'обучающийся «Петров Пётр Ильич» не найден в классе 5А в 2025/2026 учебном году' },
      { row: 4, column: 'Предмет', reason: 'предмет «Астрономия» не найден в справочнике предметов' },
      { row: 5, column: 'Фамилия', reason: 'обучающийся «Ёлкина Алёна Петровна» не найден в классе 5Б в 2025/2026 учебном году' },
      { row: 6, column: 'Фамилия', reason: 'обучающийся «Ёлкина Алёна Петровна» не найден в классе 5А в 2025/2026 учебном году' },
    ]);
    expect({ subjects: await rows('subject'), pupils: await rows('pupil') }).toEqual(before);
    const values = await t.app.db.selectFrom('final_mark').select(['kind', 'value']).orderBy('kind').execute();
    expect(values).toEqual([{ kind: 'period', value: '5' }, { kind: 'year', value: 'зач' }]);
    // A changed value updates the one mark of its key.
    const again = await run(importFinalMarks, 'final-marks', await table('marks.csv', csv(['Класс;Фамилия;Имя;Отчество;Дата рождения;Предмет;1 четверть', '5А;Ёлкина;Алёна;Петровна;03.05.2014;Математика;4'])), 'marks.csv');
    expect(again.counts.finalMarks).toEqual({ created: 0, updated: 1, unchanged: 0 });
    // A mark corrected by hand since that import is kept and reported, not overwritten.
    await t.app.db.updateTable('final_mark').set({ value: '3' }).where('kind', '=', 'period').execute();
    const quarterFile = csv(['Класс;Фамилия;Имя;Отчество;Дата рождения;Предмет;1 четверть', '5А;Ёлкина;Алёна;Петровна;03.05.2014;Математика;5']);
    const clash = await run(importFinalMarks, 'final-marks', await table('marks.csv', quarterFile), 'marks.csv');
    expect(clash.conflicts).toEqual([{ row: 2, column: '1 четверть', inApp: '3', inFile: '5' }]);
    expect(clash.counts.finalMarks).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const resolved = await run(importFinalMarks, 'final-marks', await table('marks.csv', quarterFile), 'marks.csv', [{ row: 2, column: '1 четверть', take: 'file' }]);
    expect(resolved.counts.finalMarks).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await t.app.db.selectFrom('final_mark').select('value').where('kind', '=', 'period').executeTakeFirstOrThrow()).value).toBe('5');
  });

  it('lessons: an unknown subject or class is rejected, nothing invented', async () => {
    await school({ periods: false });
    const before = { subjects: await rows('subject'), classes: await rows('school_class') };
    const file = csv([
      'Класс;Предмет;Дата;Тема урока',
      '5А;Астрономия;02.09.2025;Звёзды',
      '7В;Математика;02.09.2025;Дроби',
      '5А;Математика;02.09.2024;Дроби',
      '5А;Математика;02.09.2025;Дроби',
    ]);
    const result = await run(importLessons, 'lessons', await table('lessons.csv', file), 'lessons.csv');
    expect(result.rejected).toEqual([
      { row: 2, column: 'Предмет', reason: 'предмет «Астрономия» не найден в справочнике предметов' },
      { row: 3, column: 'Класс', reason: 'класс «7В» не найден в 2025/2026 учебном году' },
      { row: 4, column: 'Дата', reason: 'дата 02.09.2024 не входит ни в один учебный год' },
    ]);
    expect(result.counts.lessons).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect({ subjects: await rows('subject'), classes: await rows('school_class') }).toEqual(before);
  });

  it('kiasuo: a 19-digit id given as a bare number is stored exactly; an unknown student is rejected, not created', async () => {
    const s = await school({ periods: true });
    const pupilId = await pupilIn(s.classes['5А'], { lastName: 'Ёлкина', firstName: 'Алёна', middleName: 'Петровна', birthDate: '2014-05-03' });
    await pupilIn(s.classes['5Б'], { lastName: 'Зайцев', firstName: 'Олег', middleName: '', birthDate: '2014-02-02' });
    const before = { subjects: await rows('subject'), pupils: await rows('pupil') };
    const entries = new Map<string, unknown>([
      ['school_classes.json', lossless('[{"id": 1234567890123456789, "name": "5А", "study_year": "2025/2026"}]')],
      ['study_periods.json', lossless('[{"id": 1234567890123456790, "text": "1 четверть", "from": "2025-09-01", "to": "2025-10-24"}]')],
      [
        'students.json',
        lossless(
          '[{"id": 9223372036854775807, "last_name": "Елкина", "first_name": "Алена", "middle_name": "Петровна", "birth_date": "2014-05-03", "school_class": 1234567890123456789},' +
            ' {"id": 1234567890123456791, "last_name": "Петров", "first_name": "Пётр", "birth_date": "2014-01-01", "school_class": 1234567890123456789},' +
            ' {"id": 1234567890123456792, "last_name": "Зайцев", "first_name": "Олег", "birth_date": "2014-02-02", "school_class": 1234567890123456789}]',
        ),
      ],
      [
        'lesson_marks.json',
        lossless(
          '[{"student": 9223372036854775807, "subject": "Математика", "slots": [{"lesson_date": "2025-09-03", "mark": {"value": 5}, "absence": null}, {"lesson_date": "2025-09-04", "mark": null, "absence": "Б"}]},' +
            ' {"student": 9223372036854775807, "subject": "Астрономия", "slots": [{"lesson_date": "2025-09-03", "mark": {"value": "4"}, "absence": null}]},' +
            ' {"student": 1234567890123456791, "subject": "Математика", "slots": [{"lesson_date": "2025-09-03", "mark": {"value": "3"}, "absence": null}]}]',
        ),
      ],
      ['student_marks.json', lossless('[{"student": 9223372036854775807, "subject": "Математика", "study_period": 1234567890123456790, "standard_mark_type": {"text": "отлично", "short_text": "5"}}]')],
    ]);
    const result = await run(importKiasuo, 'kiasuo', { kind: 'package', contents: { entries, warnings: [] } }, 'package.zip');
    expect(result.rejected).toEqual([
      { row: 2, column: 'students.json: id', reason: expect.stringMatching(/^обучающийся «Петров Пётр» не найден в реестре .*не зачисляет/) },
      { row: 3, column: 'students.json: school_class', reason: 'обучающийся «Зайцев Олег» найден в реестре, но не числится в классе 5А в 2025/2026 учебном году' },
      { row: 2, column: 'lesson_marks.json: subject', reason: 'предмет «Астрономия» не найден в справочнике предметов' },
    ]);
    expect(result.counts).toMatchObject({
      classes: { created: 0, updated: 0, unchanged: 1 },
      periods: { created: 0, updated: 0, unchanged: 1 },
      pupils: { created: 0, updated: 0, unchanged: 1 },
      marks: { created: 1, updated: 0, unchanged: 0 },
      attendance: { created: 1, updated: 0, unchanged: 0 },
      finalMarks: { created: 1, updated: 0, unchanged: 0 },
    });
    expect({ subjects: await rows('subject'), pupils: await rows('pupil') }).toEqual(before);
    const refs = await t.app.db.selectFrom('external_ref').select(['entity', 'external_id', 'entity_id']).orderBy('entity').execute();
    expect(refs).toEqual([
      { entity: 'period', external_id: '1234567890123456790', entity_id: expect.any(Number) },
      { entity: 'pupil', external_id: '9223372036854775807', entity_id: pupilId },
      { entity: 'school_class', external_id: '1234567890123456789', entity_id: s.classes['5А'] },
    ]);
    const again = await run(importKiasuo, 'kiasuo', { kind: 'package', contents: { entries, warnings: [] } }, 'package.zip');
    expect(nothingChanged(again)).toBe(true);
  });

  it('journal-report: marks changed in the app are replaced by the file, counted as updated', async () => {
    const s = await school({ periods: false });
    await pupilIn(s.classes['5А'], { lastName: 'Ёлкина', firstName: 'Алёна', middleName: 'Петровна', birthDate: '2014-05-03' });
    const sheet = (cell: string) =>
      csv(['Учебный год: 2025/2026', 'Класс: 5А', 'Ученик: Елкина Алена Петровна', 'Предмет;сентябрь;сентябрь', ';3;4', `Математика;${cell};Н`, '', 'Учебный год: 2025/2026', 'Класс: 5А', 'Ученик: Сидоров Иван', 'Предмет;сентябрь', ';3', 'Математика;5']);
    const first = await run(importJournalReport, 'journal-report', await table('report.csv', sheet('5 4')), 'report.csv');
    expect(first.counts).toMatchObject({ pupils: { unchanged: 1 }, lessons: { created: 2 }, marks: { created: 2 }, attendance: { created: 1 } });
    expect(first.rejected).toEqual([{ row: 10, column: 'Ученик', reason: 'обучающийся «Сидоров Иван» не найден в классе 5А в 2025/2026 учебном году' }]);
    const same = await run(importJournalReport, 'journal-report', await table('report.csv', sheet('4/5')), 'report.csv');
    expect(same.counts).toMatchObject({ marks: { created: 0, updated: 0, unchanged: 2 }, lessons: { created: 0, unchanged: 2 } });
    const changed = await run(importJournalReport, 'journal-report', await table('report.csv', sheet('5')), 'report.csv');
    expect(changed.counts.marks).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await t.app.db.selectFrom('mark').select('value').execute()).map((m) => m.value)).toEqual(['5']);
  });
});
