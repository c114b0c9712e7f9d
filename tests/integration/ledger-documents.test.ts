import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { classLabel, comparePeople } from '../../common/domain/russian';
import { loadVolumeSource } from '../../main/print/volume-sources';
import type { VolumeSource } from '../../main/print/volume/source';
import { openInitializedApp, type TestApp } from '../support/app';
import { refusal } from '../support/refusal';
import { htmlTables, plainText, ru } from '../support/journal-html';

/**
 * The three summary ledgers (final marks, attendance, movement) as volume sources, whole school
 * and one class, checked against the register of a demo school and against movement.report.
 */

type AdminApp = TestApp & { adminSession: string };

let t: AdminApp;
let yearId: number;
let classes: { id: number; label: string }[];
/** A class with a pupil who left (with an order) and a leave that was cancelled as an error. */
let moved: { id: number; label: string };
let leaverName: string;
let cancelledName: string;
const LEAVE_DAY = '2026-02-16';

const rowName = (p: { last_name: string; first_name: string }) => `${p.last_name} ${p.first_name}`;

async function rosterOf(classId: number) {
  const rows = await t.app.db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name'])
    .where('m.class_id', '=', classId)
    .distinct()
    .execute();
  return rows.sort((a, b) => comparePeople({ lastName: a.last_name, firstName: a.first_name, middleName: a.middle_name }, { lastName: b.last_name, firstName: b.first_name, middleName: b.middle_name }) || a.id - b.id);
}

async function render(source: VolumeSource, heading: string): Promise<string> {
  const section = source.sections.find((s) => s.heading === heading);
  if (!section) throw new Error(`no section «${heading}»`);
  return section.renderBody();
}

beforeAll(async () => {
  t = await openInitializedApp();
  await t.call('demo.generate', { pupils: 120, seed: 5, year: '2025/2026' }, t.adminSession);
  yearId = (await t.app.db.selectFrom('school_year').select('id').executeTakeFirstOrThrow()).id;
  classes = (await t.app.db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('year_id', '=', yearId).orderBy('parallel').orderBy('letter').execute()).map((c) => ({
    id: c.id,
    label: classLabel(c.parallel, c.letter),
  }));
  moved = classes[6]!;
  const members = await t.app.db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name'])
    .where('m.class_id', '=', moved.id)
    .where('m.to_date', 'is', null)
    .orderBy('p.id')
    .execute();
  const [leaver, wrong] = [members[1]!, members[2]!];
  leaverName = `${leaver.last_name} ${leaver.first_name}`;
  cancelledName = `${wrong.last_name} ${wrong.first_name}`;
  await t.call('movement.leave', { pupilId: leaver.id, order: { date: LEAVE_DAY, number: '31-у' }, date: LEAVE_DAY, reason: 'смена места жительства', place: 'г. Ачинск' }, t.adminSession);
  const mistake = await t.call('movement.leave', { pupilId: wrong.id, order: { date: LEAVE_DAY, number: '32-у' }, date: LEAVE_DAY, reason: 'иное' }, t.adminSession);
  await t.call('movement.cancel', { eventId: mistake.eventId, reason: 'внесено ошибочно' }, t.adminSession);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('summary ledger of final marks', () => {
  it('has a section per class of the year, the ledger’s title page and metadata', async () => {
    const source = await loadVolumeSource(t.app.db, { kind: 'final_marks_ledger', yearId }, '2026-06-15');
    expect(source.kind).toBe('final_marks_ledger');
    expect(source.certificationNoun).toBe('деле');
    expect(source.classLabel).toBeNull();
    expect(source.title).toBe('Сводная ведомость итоговых отметок');
    expect(source.meta.title).toBe('Сводная ведомость итоговых отметок школы, 2025/2026 учебный год');
    expect(source.sections.map((s) => s.heading)).toEqual(classes.map((c) => `${c.label} класс`));
    expect(source.sections.every((s) => s.landscape)).toBe(true);
    const title = plainText(source.titlePageBody);
    expect(title).toContain('СВОДНАЯ ВЕДОМОСТЬ ИТОГОВЫХ ОТМЕТОК');
    expect(title).toContain('2025/2026 учебный год');
    expect(title).toContain(`${classes[0]!.label}–${classes.at(-1)!.label} классы`);
    expect(source.baseName).toBe('Сводная ведомость итоговых отметок 2025-2026');
  });

  it('prints each pupil’s year marks and the counts of «5» … «2» per subject', async () => {
    const cls = classes[5]!;
    const source = await loadVolumeSource(t.app.db, { kind: 'final_marks_ledger', yearId, classId: cls.id }, '2026-06-15');
    expect(source.sections.map((s) => s.heading)).toEqual([`${cls.label} класс`]);
    expect(source.classLabel).toBe(cls.label);
    expect(source.meta.title).toBe(`Сводная ведомость итоговых отметок ${cls.label} класса, 2025/2026 учебный год`);
    // The register and the cover tell a one-class ledger from the school's by its title.
    expect(source.title).toBe(`Сводная ведомость итоговых отметок ${cls.label} класса`);
    const tables = htmlTables(await render(source, `${cls.label} класс`));
    const year = tables.find((tb) => tb.before.endsWith('Годовые отметки'))!;
    const roster = await rosterOf(cls.id);
    const pupilRows = year.body.filter((r) => /^\d+$/.test(r[0]!.text));
    expect(pupilRows.map((r) => r[1]!.text.split(' ').slice(0, 2).join(' '))).toEqual(roster.map(rowName));
    const marks = await t.app.db
      .selectFrom('final_mark as f')
      .innerJoin('subject as s', 's.id', 'f.subject_id')
      .select(['f.pupil_id', 'f.value', 's.short_name'])
      .where('f.kind', '=', 'year')
      .where(
        'f.pupil_id',
        'in',
        roster.map((p) => p.id),
      )
      .execute();
    expect(marks.length).toBeGreaterThan(50);
    const header = year.head[0]!.map((c) => c.text);
    for (const m of marks) {
      const row = pupilRows[roster.findIndex((p) => p.id === m.pupil_id)]!;
      expect(row[header.indexOf(m.short_name)]!.text).toBe(m.value);
    }
    for (const value of ['5', '4', '3', '2']) {
      const counts = year.body.find((r) => r[1]!.text === `Число «${value}»`)!;
      for (const subject of new Set(marks.map((m) => m.short_name))) {
        expect(Number(counts[header.indexOf(subject)]!.text)).toBe(marks.filter((m) => m.short_name === subject && m.value === value).length);
      }
    }
    expect(year.after).toMatch(/качество знаний по классу .*: \d+ %/);
    expect(year.after).toMatch(/успеваемость по классу .*: \d+ %/);
  });
});

describe('summary ledger of attendance', () => {
  it('prints each pupil’s missed lessons by month and for the year, with the class’s totals', async () => {
    const cls = moved;
    const source = await loadVolumeSource(t.app.db, { kind: 'attendance_ledger', yearId }, '2026-06-15');
    expect(source.title).toBe('Сводная ведомость посещаемости');
    expect(source.sections).toHaveLength(classes.length);
    const table = htmlTables(await render(source, `${cls.label} класс`))[0]!;
    const months = table.head[0]!.slice(2, -1).map((c) => c.text);
    expect(months).toEqual(['сентябрь', 'октябрь', 'ноябрь', 'декабрь', 'январь', 'февраль', 'март', 'апрель', 'май']);
    const rows = await t.app.db
      .selectFrom('attendance as a')
      .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
      .select(['a.pupil_id', 'a.code', 'l.lesson_date'])
      .where('l.class_id', '=', cls.id)
      .execute();
    const roster = await rosterOf(cls.id);
    const count = (pupilId: number | null, codes: string[], month?: string) =>
      rows.filter((r) => (pupilId === null || r.pupil_id === pupilId) && codes.includes(r.code) && (month === undefined || r.lesson_date.startsWith(month))).length;
    for (const [i, p] of roster.entries()) {
      const row = table.body[i]!;
      expect(row[1]!.text.startsWith(rowName(p))).toBe(true);
      // November: «вс.», «б», «у», «н» (columns 2 + 4·2 …).
      expect(row.slice(2 + 4 * 2, 2 + 4 * 3).map((c) => Number(c.text))).toEqual([
        count(p.id, ['Н', 'Б', 'У'], '2025-11'),
        count(p.id, ['Б'], '2025-11'),
        count(p.id, ['У'], '2025-11'),
        count(p.id, ['Н'], '2025-11'),
      ]);
      expect(row.slice(-5).map((c) => Number(c.text))).toEqual([count(p.id, ['Н', 'Б', 'У']), count(p.id, ['Б']), count(p.id, ['У']), count(p.id, ['Н']), count(p.id, ['О'])]);
    }
    const total = table.body.at(-1)!;
    expect(total[1]!.text).toBe('Итого по классу');
    expect(total.slice(-5).map((c) => Number(c.text))).toEqual([count(null, ['Н', 'Б', 'У']), count(null, ['Б']), count(null, ['У']), count(null, ['Н']), count(null, ['О'])]);
    expect(count(null, ['Н', 'Б', 'У'])).toBeGreaterThan(0);
  });
});

describe('summary ledger of movement', () => {
  it('lists a class’s departures with date, reason and order; a cancelled leave is not printed', async () => {
    const source = await loadVolumeSource(t.app.db, { kind: 'movement_ledger', yearId }, '2026-06-15');
    expect(source.title).toBe('Сводная ведомость движения обучающихся');
    expect(source.sections.map((s) => s.heading)).toEqual([...classes.map((c) => `${c.label} класс`), 'Итого по школе']);
    expect(source.sections.every((s) => !s.landscape)).toBe(true);
    expect([source.dateFrom, source.dateTo]).toEqual(['2025-09-01', (await t.app.db.selectFrom('school_year').select('ends_on').executeTakeFirstOrThrow()).ends_on]);
    const html = await render(source, `${moved.label} класс`);
    const text = plainText(html);
    const departures = htmlTables(html).find((tb) => tb.before.includes('Выбыли в течение года'))!;
    const row = departures.body.find((r) => r[1]!.text.startsWith(leaverName))!;
    expect(row.slice(2).map((c) => c.text)).toEqual([ru(LEAVE_DAY), 'смена места жительства; г. Ачинск', `№ 31-у от ${ru(LEAVE_DAY)}`]);
    expect(text).not.toContain(cancelledName);
    expect(text).not.toContain('32-у');
  });

  it('prints every arrival and departure of the year and the school’s totals as movement.report counts them', async () => {
    const year = await t.app.db.selectFrom('school_year').select(['starts_on', 'ends_on']).where('id', '=', yearId).executeTakeFirstOrThrow();
    const report = await t.call('movement.report', { from: year.starts_on, to: year.ends_on }, t.adminSession);
    const source = await loadVolumeSource(t.app.db, { kind: 'movement_ledger', yearId }, '2026-06-15');
    let arrivals = 0;
    let departures = 0;
    for (const cls of classes) {
      const html = await render(source, `${cls.label} класс`);
      const text = plainText(html);
      const expected = report.classes.find((c) => c.classId === cls.id)!;
      expect(text).toContain(`Обучающихся на начало учебного года (${ru(year.starts_on)}): ${expected.start}`);
      expect(text).toContain(`Обучающихся на конец учебного года (${ru(year.ends_on)}): ${expected.end}`);
      expect(text).toContain(`Прибыли в течение года: ${expected.arrived}`);
      expect(text).toContain(`Выбыли в течение года: ${expected.left}`);
      arrivals += expected.arrived;
      departures += expected.left;
    }
    expect(arrivals).toBeGreaterThan(0);
    expect(departures).toBeGreaterThan(0);
    const totals = htmlTables(await render(source, 'Итого по школе'))[0]!;
    expect(totals.body.map((r) => r.map((c) => c.text))).toEqual([
      ...report.classes.map((c) => [c.class, String(c.start), String(c.arrived), String(c.left), String(c.end)]),
      ['Итого по школе', String(report.totals.start), String(report.totals.arrived), String(report.totals.left), String(report.totals.end)],
    ]);
  });

  it('prints one class without the school totals', async () => {
    const source = await loadVolumeSource(t.app.db, { kind: 'movement_ledger', yearId, classId: moved.id }, '2026-06-15');
    expect(source.sections.map((s) => s.heading)).toEqual([`${moved.label} класс`]);
    expect(source.baseName).toBe(`Сводная ведомость движения обучающихся ${moved.label} 2025-2026`);
  });
});

describe('summary ledgers: refusals', () => {
  it('refuses an unknown year or class with not_found, and a class of another year', async () => {
    for (const document of [
      { kind: 'attendance_ledger', yearId: 999 },
      { kind: 'final_marks_ledger', yearId, classId: 999_999 },
    ] as const) {
      const error = await loadVolumeSource(t.app.db, document, '2026-06-15').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('not_found');
    }
    const other = await t.app.db.insertInto('school_year').values({ name: '2026/2027', starts_on: '2026-09-01', ends_on: '2027-05-26' }).returning('id').executeTakeFirstOrThrow();
    const error = await refusal(loadVolumeSource(t.app.db, { kind: 'movement_ledger', yearId: other.id, classId: moved.id }, '2026-06-15'));
    expect(error.message).toContain(`Класс ${moved.label} относится к 2025/2026 учебному году`);
    const empty = await refusal(loadVolumeSource(t.app.db, { kind: 'movement_ledger', yearId: other.id }, '2026-06-15'));
    expect(empty.message).toContain('В 2026/2027 учебном году нет классов');
  });
});
