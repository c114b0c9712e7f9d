import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/api/contract';
import type { Database } from '../../db/schema';
import { openInitializedApp, type TestApp } from '../support/app';

/**
 * The year set-up through the dispatcher (issue 6): opening 2026/2027 from the demo year
 * 2025/2026, the calendar, classes, subjects, curriculum and staff, and their refusals.
 */

type AdminApp = TestApp & { adminSession: string };
type Structure = Result<'years.get'>;

// The last week of August: when the administrator opens the year.
const NOW = new Date('2026-08-25T09:00:00Z');

let t: AdminApp;
let demoYearId: number;
let oldYear: Structure;

const call = <M extends Parameters<AdminApp['call']>[0]>(method: M, params: Parameters<AdminApp['call']>[1] & object) =>
  t.call(method, params as never, t.adminSession);
const refuse = (method: Parameters<AdminApp['refuse']>[0], params: unknown) => t.refuse(method, params, t.adminSession);

/** Row counts of every table the set-up writes, and the audit log: a refusal changes none. */
async function snapshot(): Promise<string> {
  const tables: (keyof Database)[] = ['school_year', 'period', 'holiday', 'staff', 'school_class', 'subject', 'curriculum', 'study_group', 'group_member', 'audit_log'];
  const out: string[] = [];
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1`.execute(t.app.db);
    out.push(`${table}:${JSON.stringify(rows.rows)}`);
  }
  return out.join('\n');
}

const byLabel = (s: Structure, label: string) => {
  const c = s.classes.find((x) => x.label === label);
  if (!c) throw new Error(`no class ${label}`);
  return c;
};
const plan = (s: Structure, classId: number) =>
  s.curriculum
    .filter((r) => r.classId === classId)
    .map((r) => ({ subjectId: r.subjectId, hoursPerWeek: r.hoursPerWeek, teacherId: r.teacherId }))
    .sort((a, b) => a.subjectId - b.subjectId);
const nextYearDate = (iso: string) => `${Number(iso.slice(0, 4)) + 1}${iso.slice(4)}`;

beforeAll(async () => {
  t = await openInitializedApp({ now: () => NOW });
  await call('demo.generate', { seed: 3, pupils: 700, year: '2025/2026' });
  const list = await call('years.list', {});
  expect(list.years).toHaveLength(1);
  demoYearId = list.years[0]!.id;
  oldYear = await call('years.get', { yearId: demoYearId });
});
afterAll(async () => t.close());

describe('opening a year from the previous one', () => {
  let opened: Result<'years.open'>;
  let next: Structure;

  beforeAll(async () => {
    opened = await call('years.open', { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31', copyFromYearId: demoYearId });
    next = await call('years.get', { yearId: opened.yearId });
  });

  it('rolls classes forward: 5А → 6А with its class teacher, no 12th classes, new 1st classes without teacher', () => {
    const old5A = byLabel(oldYear, '5А');
    const new6A = byLabel(next, '6А');
    expect(old5A.classTeacherId).not.toBeNull();
    expect(new6A.classTeacherId).toBe(old5A.classTeacherId);
    expect(new6A.periodScheme).toBe(old5A.periodScheme);
    expect(new6A.pupils).toBe(0);

    const oldLabels = oldYear.classes.map((c) => c.label);
    const expected = [
      ...oldYear.classes.filter((c) => c.parallel === 1).map((c) => `1${c.letter}`),
      ...oldYear.classes.filter((c) => c.parallel <= 10).map((c) => `${c.parallel + 1}${c.letter}`),
    ].sort();
    expect(next.classes.map((c) => c.label).sort()).toEqual(expected);
    expect(next.classes.every((c) => c.parallel <= 11)).toBe(true);
    // The old 11th classes graduate: the new 11th classes are exactly the old 10th ones.
    const old10 = oldYear.classes.filter((c) => c.parallel === 10).map((c) => c.letter).sort();
    expect(next.classes.filter((c) => c.parallel === 11).map((c) => c.letter).sort()).toEqual(old10);
    expect(oldLabels.some((l) => l.startsWith('11'))).toBe(true);
    for (const first of next.classes.filter((c) => c.parallel === 1)) expect(first.classTeacherId).toBeNull();
    // Each teacher leads at most one class.
    const teachers = next.classes.flatMap((c) => (c.classTeacherId === null ? [] : [c.classTeacherId]));
    expect(new Set(teachers).size).toBe(teachers.length);
    expect(opened.copied).toMatchObject({ classes: next.classes.length });
  });

  it('copies the curriculum of the same class of the old year, and groups without members', () => {
    const new6A = byLabel(next, '6А');
    const old6A = byLabel(oldYear, '6А');
    expect(plan(next, new6A.id).length).toBeGreaterThan(5);
    expect(plan(next, new6A.id)).toEqual(plan(oldYear, old6A.id));
    const new1 = next.classes.find((c) => c.parallel === 1)!;
    const old1 = byLabel(oldYear, new1.label);
    expect(plan(next, new1.id)).toEqual(plan(oldYear, old1.id));
    expect(opened.copied?.curriculum).toBe(next.curriculum.length);

    const oldGroups6A = oldYear.groups.filter((g) => g.classId === old6A.id).map((g) => `${g.subjectId}|${g.name}|${g.teacherId}`).sort();
    const newGroups6A = next.groups.filter((g) => g.classId === new6A.id).map((g) => `${g.subjectId}|${g.name}|${g.teacherId}`).sort();
    expect(newGroups6A).toEqual(oldGroups6A);
    expect(next.groups.length).toBe(opened.copied?.groups);
    expect(next.groups.every((g) => g.pupilIds.length === 0)).toBe(true);
    expect(oldYear.groups.some((g) => g.pupilIds.length > 0)).toBe(true);
  });

  it('moves periods and holidays a year later, with the same names', () => {
    const shape = (s: Structure) => ({
      periods: s.periods.map((p) => `${p.scheme}|${p.number}|${p.name}`),
      holidays: s.holidays.map((h) => h.name),
    });
    expect(shape(next)).toEqual(shape(oldYear));
    for (const p of next.periods) {
      const old = oldYear.periods.find((o) => o.scheme === p.scheme && o.number === p.number)!;
      expect(p.startsOn).toBe(nextYearDate(old.startsOn));
      expect(p.endsOn).toBe(nextYearDate(old.endsOn));
    }
    for (const [i, h] of next.holidays.entries()) {
      expect(h.startsOn).toBe(nextYearDate(oldYear.holidays[i]!.startsOn));
      expect(h.endsOn).toBe(nextYearDate(oldYear.holidays[i]!.endsOn));
    }
    expect(opened.copied).toMatchObject({ periods: next.periods.length, holidays: next.holidays.length });
    expect(next.year).toMatchObject({ name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-05-31', closed: false, pupils: 0 });
  });

  it('lists both years and audits the opening by ids only', async () => {
    const list = await call('years.list', {});
    expect(list.years.map((y) => y.name)).toEqual(['2025/2026', '2026/2027']);
    expect(list.years[0]!.pupils).toBeGreaterThan(600);
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'years.open').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'school_year', entity_id: String(opened.yearId) });
    const details = JSON.parse(audit[0]!.details_json ?? '{}') as { created: Record<string, number> };
    expect(details.created).toMatchObject({ school_year: 1, school_class: next.classes.length, curriculum: next.curriculum.length });
    // No names of teachers or anything personal.
    const staff = await t.app.db.selectFrom('staff').select('last_name').execute();
    for (const s of staff) expect(audit[0]!.details_json).not.toContain(s.last_name);
  });

  it('opens a year without a source with default quarters and halves and no classes', async () => {
    const bare = await call('years.open', { name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-05-31' });
    expect(bare.copied).toBeNull();
    const s = await call('years.get', { yearId: bare.yearId });
    expect(s.classes).toHaveLength(0);
    expect(s.holidays).toHaveLength(0);
    expect(s.periods.map((p) => `${p.scheme}${p.number}:${p.startsOn}..${p.endsOn}`)).toEqual([
      'halves1:2027-09-01..2027-12-31',
      'halves2:2028-01-01..2028-05-31',
      'quarters1:2027-09-01..2027-10-31',
      'quarters2:2027-11-01..2027-12-31',
      'quarters3:2028-01-01..2028-03-31',
      'quarters4:2028-04-01..2028-05-31',
    ]);
  });
});

describe('refusals name the field and change nothing', () => {
  let nextId: number;
  let next: Structure;
  beforeAll(async () => {
    nextId = (await call('years.list', {})).years.find((y) => y.name === '2026/2027')!.id;
    next = await call('years.get', { yearId: nextId });
  });

  it('refuses a year whose name does not match its dates, or that overlaps another year', async () => {
    const before = await snapshot();
    const mismatch = await refuse('years.open', { name: '2028/2029', startsOn: '2029-09-01', endsOn: '2030-05-31' });
    expect(mismatch.code).toBe('invalid_params');
    expect(mismatch.fields?.startsOn).toContain('Начало года');
    expect(mismatch.message).toContain('начинается в 2028 году');
    const overlap = await refuse('years.open', { name: '2026/2027', startsOn: '2026-05-01', endsOn: '2027-05-31' });
    expect(overlap.fields?.name).toContain('уже есть');
    const overlapOther = await refuse('years.open', { name: '2024/2025', startsOn: '2024-09-01', endsOn: '2025-09-15' });
    expect(overlapOther.fields?.startsOn).toContain('пересекаются с учебным годом 2025/2026');
    const missing = await refuse('years.open', { name: '2030/2031', startsOn: '2030-09-01', endsOn: '2031-05-31', copyFromYearId: 9999 });
    expect(missing.fields?.copyFromYearId).toBeDefined();
    expect(await snapshot()).toBe(before);
  });

  const calendarOf = (s: Structure) => ({
    yearId: s.year.id,
    startsOn: s.year.startsOn,
    endsOn: s.year.endsOn,
    periods: s.periods.map((p) => ({ ...p })),
    holidays: s.holidays.map((h) => ({ ...h })),
  });

  it('refuses periods outside the year or overlapping, and holidays inside a quarter, naming the row', async () => {
    const before = await snapshot();
    const outside = calendarOf(next);
    const q2 = outside.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 2);
    outside.periods[q2] = { ...outside.periods[q2]!, endsOn: '2027-07-01' };
    const e1 = await refuse('years.saveCalendar', outside);
    expect(e1.code).toBe('invalid_params');
    expect(e1.fields?.[`periods.${q2}.endsOn`]).toMatch(/^Период 2 \(четверти\): конец 01\.07\.2027 позже конца учебного года/);
    expect(e1.message).toContain('Период 2 (четверти)');

    const overlapping = calendarOf(next);
    const q3 = overlapping.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 3);
    const q4 = overlapping.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 4);
    overlapping.periods[q4] = { ...overlapping.periods[q4]!, startsOn: overlapping.periods[q3]!.endsOn };
    const e2 = await refuse('years.saveCalendar', overlapping);
    expect(Object.values(e2.fields ?? {}).join(' ')).toMatch(/Период \d \(четверти\): .* пересекается с периодом \d/);

    const inTerm = calendarOf(next);
    inTerm.holidays.push({ name: 'Лишние каникулы', startsOn: '2026-09-14', endsOn: '2026-09-20' } as never);
    const e3 = await refuse('years.saveCalendar', inTerm);
    const key = `holidays.${inTerm.holidays.length - 1}.startsOn`;
    expect(e3.fields?.[key]).toContain('«Лишние каникулы»');
    expect(e3.fields?.[key]).toContain('период 1 (четверти)');

    // A half may contain holidays: the same week against halves only is accepted by the check
    // of halves (it is refused above because of the quarter).
    expect(e3.fields?.[key]).not.toContain('полугодия');
    expect(await snapshot()).toBe(before);
  });

  it('saves a corrected calendar and audits ids only', async () => {
    const cal = calendarOf(next);
    const autumn = cal.holidays.findIndex((h) => h.name === 'Осенние каникулы');
    const q1 = cal.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 1);
    const q2 = cal.periods.findIndex((p) => p.scheme === 'quarters' && p.number === 2);
    // Autumn holidays a day longer: the first quarter ends a day earlier.
    const h = cal.holidays[autumn]!;
    const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    cal.holidays[autumn] = { ...h, startsOn: dayBefore(h.startsOn) };
    cal.periods[q1] = { ...cal.periods[q1]!, endsOn: dayBefore(dayBefore(h.startsOn)) };
    expect(cal.periods[q2]!.startsOn > h.endsOn).toBe(true);
    const saved = await call('years.saveCalendar', cal);
    expect(saved.holidays.find((x) => x.id === h.id)?.startsOn).toBe(dayBefore(h.startsOn));
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'years.saveCalendar').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details_json ?? '{}')).toEqual({
      yearFields: [],
      periods: { added: [], changed: [cal.periods[q1]!.id], removed: [] },
      holidays: { added: [], changed: [h.id], removed: [] },
    });
    next = saved;
  });

  it('keeps one class teacher per class and one class per parallel and letter', async () => {
    const before = await snapshot();
    const a6 = byLabel(next, '6А');
    const b6 = byLabel(next, '6Б');
    const twice = await refuse('classes.save', { yearId: nextId, id: b6.id, parallel: 6, letter: 'Б', periodScheme: b6.periodScheme, classTeacherId: a6.classTeacherId });
    expect(twice.code).toBe('invalid_params');
    expect(twice.fields?.classTeacherId).toContain('уже классный руководитель 6А');
    const twin = await refuse('classes.save', { yearId: nextId, parallel: 6, letter: 'А', periodScheme: 'quarters', classTeacherId: null });
    expect(twin.fields?.letter).toContain('класс 6А в учебном году 2026/2027 уже есть');
    const noTrimesters = await refuse('classes.save', { yearId: nextId, parallel: 6, letter: 'Я', periodScheme: 'trimesters', classTeacherId: null });
    expect(noTrimesters.fields?.periodScheme).toContain('триместры');
    expect(await snapshot()).toBe(before);

    // Swapping the teachers of two classes goes in two steps through «no teacher».
    const saved = await call('classes.save', { yearId: nextId, id: a6.id, parallel: 6, letter: 'А', periodScheme: a6.periodScheme, classTeacherId: null });
    expect(saved.classTeacherId).toBeNull();
    const moved = await call('classes.save', { yearId: nextId, id: b6.id, parallel: 6, letter: 'Б', periodScheme: b6.periodScheme, classTeacherId: a6.classTeacherId });
    expect(moved).toMatchObject({ label: '6Б', classTeacherId: a6.classTeacherId });
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'classes.save').orderBy('id').execute();
    expect(JSON.parse(audit.at(-1)!.details_json ?? '{}')).toEqual({ yearId: nextId, created: false, fields: ['classTeacherId'] });
  });

  it('deletes an empty class with its plan, and refuses a class with pupils', async () => {
    const old5A = byLabel(oldYear, '5А');
    const before = await snapshot();
    const refused = await refuse('classes.delete', { classId: old5A.id });
    expect(refused.code).toBe('refused');
    expect(refused.message).toMatch(/Класс 5А \(2025\/2026\) не удалён: в нём есть обучающиеся \(\d+\)/);
    expect(refused.message).toContain('уроки');
    expect(await snapshot()).toBe(before);

    const created = await call('classes.save', { yearId: nextId, parallel: 7, letter: 'Я', periodScheme: 'quarters', classTeacherId: null });
    const subject = next.subjects[0]!;
    await call('curriculum.save', { classId: created.id, rows: [{ subjectId: subject.id, hoursPerWeek: 2, teacherId: null }], groups: [] });
    expect(await call('classes.delete', { classId: created.id })).toEqual({ deleted: true });
    const after = await call('years.get', { yearId: nextId });
    expect(after.classes.find((c) => c.id === created.id)).toBeUndefined();
    expect(after.curriculum.find((r) => r.classId === created.id)).toBeUndefined();
  });

  it('keeps subject names unique', async () => {
    const before = await snapshot();
    const name = next.subjects[0]!.name;
    const dup = await refuse('subjects.save', { name: name.toUpperCase(), shortName: 'X', part: 'school', sortOrder: 5 });
    expect(dup.fields?.name).toContain(`предмет «${name}» уже есть`);
    expect(await snapshot()).toBe(before);
    const created = await call('subjects.save', { name: 'Шахматы (факультатив)', shortName: 'Шахматы', part: 'school', sortOrder: 900 });
    expect(created).toMatchObject({ name: 'Шахматы (факультатив)', part: 'school' });
  });

  it('replaces a curriculum with groups of the class only, naming the row of a refusal', async () => {
    const old5A = byLabel(oldYear, '5А');
    const old5B = byLabel(oldYear, '5Б');
    const current = plan(oldYear, old5A.id);
    const pupils = async (classId: number) =>
      (await t.app.db.selectFrom('class_membership').select('pupil_id').where('class_id', '=', classId).execute()).map((r) => r.pupil_id);
    const own = await pupils(old5A.id);
    const stranger = (await pupils(old5B.id))[0]!;
    const subjectId = current[0]!.subjectId;
    const before = await snapshot();

    const foreign = await refuse('curriculum.save', {
      classId: old5A.id,
      rows: current,
      groups: [{ subjectId, name: 'Сборная группа', teacherId: null, pupilIds: [own[0]!, stranger] }],
    });
    expect(foreign.code).toBe('invalid_params');
    expect(foreign.fields?.['groups.0.pupilIds']).toMatch(/^Группа 1 \(«Сборная группа», .+\): обучающийся № \d+ не учится в 5А/);

    const dupSubject = await refuse('curriculum.save', { classId: old5A.id, rows: [...current, { ...current[0]! }], groups: [] });
    expect(dupSubject.fields?.[`rows.${current.length}.subjectId`]).toContain(`Учебный план 5А, строка ${current.length + 1}`);

    const tooMany = await refuse('curriculum.save', { classId: old5A.id, rows: [{ ...current[0]!, hoursPerWeek: 13 }], groups: [] });
    expect(tooMany.code).toBe('invalid_params');
    expect(tooMany.fields?.['rows.0.hoursPerWeek']).toContain('не больше 12');
    expect(await snapshot()).toBe(before);

    // The new year's 6А: hours changed, one subject dropped, a new group of two.
    const next6A = byLabel(next, '6А');
    const rows = plan(next, next6A.id);
    const edited = rows.slice(1).map((r, i) => (i === 0 ? { ...r, hoursPerWeek: r.hoursPerWeek + 0.5 } : r));
    const keptGroups = next.groups
      .filter((g) => g.classId === next6A.id && g.subjectId !== rows[0]!.subjectId)
      .map((g) => ({ id: g.id, subjectId: g.subjectId, name: g.name, teacherId: g.teacherId, pupilIds: g.pupilIds }));
    const saved = await call('curriculum.save', {
      classId: next6A.id,
      rows: edited,
      groups: [...keptGroups, { subjectId: edited[0]!.subjectId, name: 'Проектная группа', teacherId: null, pupilIds: [] }],
    });
    expect(plan(saved, next6A.id)).toEqual([...edited].sort((a, b) => a.subjectId - b.subjectId));
    expect(saved.groups.filter((g) => g.classId === next6A.id).map((g) => g.name)).toContain('Проектная группа');
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'curriculum.save').where('entity_id', '=', String(next6A.id)).execute();
    expect(audit).toHaveLength(1);
    const details = JSON.parse(audit[0]!.details_json ?? '{}') as { curriculum: { removed: number[]; changed: number[] } };
    expect(details.curriculum).toMatchObject({ removed: [rows[0]!.subjectId], changed: [edited[0]!.subjectId] });
  });

  it('lists and saves staff, auditing field names without values', async () => {
    const created = await call('staff.save', { lastName: 'Тестова', firstName: 'Ирина', middleName: null, position: 'учитель музыки', active: true });
    const updated = await call('staff.save', { id: created.id, lastName: 'Тестова', firstName: 'Ирина', middleName: 'Олеговна', position: 'учитель музыки', active: false });
    expect(updated).toMatchObject({ middleName: 'Олеговна', active: false });
    const list = await call('staff.list', {});
    expect(list.staff.find((s) => s.id === created.id)).toMatchObject({ lastName: 'Тестова', active: false });
    const audit = await t.app.db.selectFrom('audit_log').selectAll().where('method', '=', 'staff.save').orderBy('id').execute();
    expect(JSON.parse(audit.at(-1)!.details_json ?? '{}')).toEqual({ created: false, fields: ['middleName', 'active'] });
    expect(JSON.stringify(audit)).not.toContain('Тестова');
    // An employee who has left is not made a class teacher.
    const empty = byLabel(await call('years.get', { yearId: nextId }), '6А');
    expect(empty.classTeacherId).toBeNull();
    const left = await refuse('classes.save', { yearId: nextId, id: empty.id, parallel: empty.parallel, letter: empty.letter, periodScheme: empty.periodScheme, classTeacherId: created.id });
    expect(left.fields?.classTeacherId).toContain('не работает в школе');
  });

  it('refuses every set-up change in a closed year, before touching a row', async () => {
    const bareId = (await call('years.list', {})).years.find((y) => y.name === '2027/2028')!.id;
    const cls = await call('classes.save', { yearId: bareId, parallel: 5, letter: 'А', periodScheme: 'quarters', classTeacherId: null });
    await t.app.db.updateTable('school_year').set({ closed: 1, closed_at: NOW.toISOString() }).where('id', '=', bareId).execute();
    const s = await call('years.get', { yearId: bareId });
    const before = await snapshot();
    const attempts = [
      await refuse('years.saveCalendar', { yearId: bareId, startsOn: s.year.startsOn, endsOn: s.year.endsOn, periods: s.periods, holidays: [] }),
      await refuse('classes.save', { yearId: bareId, id: cls.id, parallel: 5, letter: 'Б', periodScheme: 'quarters', classTeacherId: null }),
      await refuse('classes.delete', { classId: cls.id }),
      await refuse('curriculum.save', { classId: cls.id, rows: [], groups: [] }),
    ];
    for (const e of attempts) {
      expect(e.code).toBe('refused');
      expect(e.message).toContain('Учебный год 2027/2028 закрыт');
    }
    expect(await snapshot()).toBe(before);
  });
});
