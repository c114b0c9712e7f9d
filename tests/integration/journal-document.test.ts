import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { classLabel, comparePeople } from '../../common/domain/russian';
import { ChromiumEngine } from '../../main/print/chromium';
import { fontFaceCss } from '../../main/print/fonts';
import { loadVolumeSource } from '../../main/print/volume-sources';
import type { VolumeSource } from '../../main/print/volume/source';
import { Layout, renderHtml } from '../../templates/layout';
import { openInitializedApp, type TestApp } from '../support/app';
import { refusal } from '../support/refusal';
import { htmlTables, plainText, ru, type HtmlTable } from '../support/journal-html';

/**
 * The class journal as the volume printer receives it (main/print/volume-sources.ts), checked
 * against the register of a demo school: every pupil, marks and absences in the right cell,
 * topics, homework, teachers and substitutes, final marks and attendance totals.
 */

type AdminApp = TestApp & { adminSession: string };

interface Pupil {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  from: string;
  to: string | null;
}

let t: AdminApp;
let classId: number;
let label: string;
let pupils: Pupil[];
let source: VolumeSource;
const bodies = new Map<string, string>();
let leaver: Pupil;
const LEAVE_DAY = '2026-03-02';

async function body(heading: string): Promise<string> {
  const cached = bodies.get(heading);
  if (cached !== undefined) return cached;
  const section = source.sections.find((s) => s.heading === heading);
  if (!section) throw new Error(`no section «${heading}»`);
  const html = await section.renderBody();
  bodies.set(heading, html);
  return html;
}

const rowName = (p: { lastName: string; firstName: string }) => `${p.lastName} ${p.firstName}`;

/** The grid tables of a section with the lesson range each one shows («уроки 1–34 из 133»). */
function gridPages(html: string): { from: number; to: number; of: number; table: HtmlTable }[] {
  return htmlTables(html)
    .filter((tb) => tb.before.includes('отметки и посещаемость'))
    .map((table) => {
      const m = /уроки (\d+)–(\d+) из (\d+)/.exec(table.before);
      if (!m) throw new Error(`no lesson range in «${table.before}»`);
      return { from: Number(m[1]), to: Number(m[2]), of: Number(m[3]), table };
    });
}

/** The grid cell of a pupil and the lesson at 0-based position `k` of the section's lessons. */
function gridCell(html: string, pupil: Pupil, k: number) {
  const page = gridPages(html).find((p) => p.from <= k + 1 && k + 1 <= p.to);
  if (!page) throw new Error(`lesson ${k + 1} on no page`);
  const row = page.table.body.find((r) => r[1]?.text.startsWith(rowName(pupil)));
  if (!row) throw new Error('pupil not in the grid');
  const column = k - (page.from - 1);
  return { cell: row[2 + column], day: page.table.head[1]?.[column]?.text };
}

async function subjectLessons(subjectId: number, groupId: number | null) {
  let q = t.app.db
    .selectFrom('lesson')
    .selectAll()
    .where('class_id', '=', classId)
    .where('subject_id', '=', subjectId)
    .orderBy('lesson_date')
    .orderBy('lesson_number')
    .orderBy('id');
  q = groupId === null ? q.where('group_id', 'is', null) : q.where('group_id', '=', groupId);
  return q.execute();
}

beforeAll(async () => {
  t = await openInitializedApp();
  // ~32 pupils a class: the density of a real school, with groups in the split subjects.
  await t.call('demo.generate', { pupils: 340, seed: 11, year: '2025/2026' }, t.adminSession);
  const biggest = await t.app.db
    .selectFrom('school_class as c')
    .innerJoin('class_membership as m', 'm.class_id', 'c.id')
    .select(['c.id', 'c.parallel', 'c.letter', (eb) => eb.fn.count<number>('m.id').as('n')])
    .where('c.parallel', '>=', 5)
    .where((eb) => eb.exists(eb.selectFrom('study_group as g').select('g.id').whereRef('g.class_id', '=', 'c.id')))
    .groupBy('c.id')
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .executeTakeFirstOrThrow();
  classId = biggest.id;
  label = classLabel(biggest.parallel, biggest.letter);

  // One pupil leaves in March: the journal notes the date and greys the days after it.
  const members = await t.app.db.selectFrom('class_membership').select('pupil_id').where('class_id', '=', classId).where('to_date', 'is', null).orderBy('pupil_id').execute();
  const leaverId = members[3]!.pupil_id;
  await t.call('movement.leave', { pupilId: leaverId, order: { date: LEAVE_DAY, number: '77-у' }, date: LEAVE_DAY, reason: 'смена места жительства', place: 'г. Ачинск' }, t.adminSession);

  const rows = await t.app.db
    .selectFrom('class_membership as m')
    .innerJoin('pupil as p', 'p.id', 'm.pupil_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.middle_name', 'm.from_date', 'm.to_date'])
    .where('m.class_id', '=', classId)
    .execute();
  pupils = rows
    .map((r) => ({ id: r.id, lastName: r.last_name, firstName: r.first_name, middleName: r.middle_name, from: r.from_date, to: r.to_date }))
    .sort((a, b) => comparePeople(a, b) || a.id - b.id);
  leaver = pupils.find((p) => p.id === leaverId)!;
  source = await loadVolumeSource(t.app.db, { kind: 'class_journal', classId }, '2026-06-15');
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('class journal: the volume source', () => {
  it('describes the volume: title, metadata, dates, file name, certification noun', async () => {
    const span = await t.app.db
      .selectFrom('lesson')
      .select((eb) => [eb.fn.min<string>('lesson_date').as('first'), eb.fn.max<string>('lesson_date').as('last')])
      .where('class_id', '=', classId)
      .executeTakeFirstOrThrow();
    expect(source.kind).toBe('class_journal');
    expect(source.title).toBe(`Классный журнал ${label} класса`);
    expect(source.meta.title).toBe(`Классный журнал ${label} класса, 2025/2026 учебный год`);
    expect(source.meta.author).toMatch(/школа/);
    expect(source.meta.keywords).toEqual(expect.arrayContaining(['классный журнал', label, '2025/2026']));
    expect(source.yearName).toBe('2025/2026');
    expect(source.classLabel).toBe(label);
    expect(source.certificationNoun).toBe('журнале');
    expect([source.dateFrom, source.dateTo]).toEqual([span.first, span.last]);
    expect(source.baseName).toBe(`Классный журнал ${label} 2025-2026`);
    expect(source.audit).toEqual({ entity: 'school_class', entityId: classId, classId, yearId: expect.any(Number) });
    expect(source.css).toContain('PT Sans Narrow');
  });

  it('has a section per subject in curriculum order, one per group of a split subject, then the summaries', async () => {
    const subjects = await t.app.db
      .selectFrom('subject as s')
      .select(['s.id', 's.name'])
      .where((eb) => eb.exists(eb.selectFrom('lesson as l').select('l.id').whereRef('l.subject_id', '=', 's.id').where('l.class_id', '=', classId)))
      .orderBy('s.sort_order')
      .orderBy('s.name')
      .execute();
    const groups = await t.app.db.selectFrom('study_group').select(['id', 'subject_id', 'name']).where('class_id', '=', classId).orderBy('name').execute();
    expect(groups.length).toBeGreaterThan(0);
    const expected: string[] = [];
    for (const s of subjects) {
      const own = groups.filter((g) => g.subject_id === s.id);
      if (own.length === 0) expected.push(s.name);
      for (const g of own) {
        const n = /\d+/.exec(g.name)?.[0];
        expected.push(s.name.endsWith(')') ? `${s.name}, группа ${n}` : `${s.name} (группа ${n})`);
      }
    }
    expect(source.sections.map((s) => s.heading)).toEqual([...expected, 'Итоговые отметки', 'Сводные данные посещаемости']);
    expect(source.sections.every((s) => s.landscape)).toBe(true);
  });

  it('prints the title page: school, class, year, class teacher, крайние даты', async () => {
    const teacher = await t.app.db
      .selectFrom('school_class as c')
      .innerJoin('staff as s', 's.id', 'c.class_teacher_id')
      .select(['s.last_name', 's.first_name', 's.middle_name'])
      .where('c.id', '=', classId)
      .executeTakeFirstOrThrow();
    const school = await t.app.db.selectFrom('school').select('name').executeTakeFirstOrThrow();
    const text = plainText(source.titlePageBody);
    expect(text).toContain(school.name);
    expect(text).toContain('КЛАССНЫЙ ЖУРНАЛ');
    expect(text).toContain(`${label} класса`);
    expect(text).toContain('2025/2026 учебный год');
    expect(text).toContain(`Классный руководитель: ${teacher.last_name} ${teacher.first_name} ${teacher.middle_name}`);
    expect(text).toContain(`Начат: ${ru(source.dateFrom)}`);
    expect(text).toContain(`Окончен: ${ru(source.dateTo)}`);
  });
});

describe('class journal: the marks-and-attendance grid', () => {
  it('lists every pupil of the class alphabetically on every page, the leaver with the date', async () => {
    const heading = source.sections[0]!.heading;
    const html = await body(heading);
    const pages = gridPages(html);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.table.body.map((r) => r[0]?.text)).toEqual(pupils.map((_, i) => String(i + 1)));
      expect(page.table.body.map((r) => r[1]!.text.split(' ').slice(0, 2).join(' '))).toEqual(pupils.map(rowName));
      expect(page.table.head[1]!.length).toBeLessThanOrEqual(40);
      expect(page.table.head[1]!.length).toBeGreaterThanOrEqual(30);
    }
    const leaverRow = pages[0]!.table.body.find((r) => r[1]?.text.startsWith(rowName(leaver)))!;
    expect(leaverRow[1]!.text).toContain(`по ${ru(leaver.to!)}`);
    expect(leaver.to! < LEAVE_DAY).toBe(true);
    // The columns after the pupil left are greyed; before it they are not.
    const lessons = await subjectLessons((await t.app.db.selectFrom('subject').select('id').where('name', '=', heading).executeTakeFirstOrThrow()).id, null);
    const after = lessons.findIndex((l) => l.lesson_date > leaver.to!);
    const before = lessons.findIndex((l) => l.lesson_date <= leaver.to!);
    expect(gridCell(html, leaver, after).cell?.className).toBe('out');
    expect(gridCell(html, leaver, before).cell?.className).not.toBe('out');
    expect(pages.at(-1)!.to).toBe(lessons.length);
    expect(pages[0]!.of).toBe(lessons.length);
  });

  it('puts a lesson’s marks in the pupil’s row under the lesson’s date (several marks together)', async () => {
    const subject = await t.app.db.selectFrom('subject').select(['id', 'name']).where('name', '=', source.sections[0]!.heading).executeTakeFirstOrThrow();
    const lessons = await subjectLessons(subject.id, null);
    // A lesson where a pupil got two marks and was not absent or late.
    const double = await t.app.db
      .selectFrom('mark as k')
      .innerJoin('lesson as l', 'l.id', 'k.lesson_id')
      .select(['k.lesson_id', 'k.pupil_id', (eb) => eb.fn.count<number>('k.id').as('n')])
      .where('l.class_id', '=', classId)
      .where('l.subject_id', '=', subject.id)
      .where('l.group_id', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('attendance as a').select('a.id').whereRef('a.lesson_id', '=', 'k.lesson_id').whereRef('a.pupil_id', '=', 'k.pupil_id'))))
      .groupBy(['k.lesson_id', 'k.pupil_id'])
      .orderBy('n', 'desc')
      .orderBy('k.lesson_id')
      .executeTakeFirstOrThrow();
    expect(Number(double.n)).toBeGreaterThanOrEqual(2);
    const marks = await t.app.db.selectFrom('mark').select('value').where('lesson_id', '=', double.lesson_id).where('pupil_id', '=', double.pupil_id).orderBy('id').execute();
    const k = lessons.findIndex((l) => l.id === double.lesson_id);
    const pupil = pupils.find((p) => p.id === double.pupil_id)!;
    const html = await body(subject.name);
    const { cell, day } = gridCell(html, pupil, k);
    expect(cell?.text).toBe(marks.map((m) => m.value).join(' '));
    expect(day).toBe(String(Number(lessons[k]!.lesson_date.slice(8))));
    // The neighbours in the same column hold their own marks, not this pupil's.
    for (const other of pupils.slice(0, 5)) {
      if (other.id === pupil.id) continue;
      const own = await t.app.db.selectFrom('mark').select('value').where('lesson_id', '=', double.lesson_id).where('pupil_id', '=', other.id).orderBy('id').execute();
      const code = await t.app.db.selectFrom('attendance').select('code').where('lesson_id', '=', double.lesson_id).where('pupil_id', '=', other.id).executeTakeFirst();
      expect(gridCell(html, other, k).cell?.text).toBe([code?.code.toLowerCase(), ...own.map((m) => m.value)].filter(Boolean).join(' '));
    }
  });

  it('writes «н» for an absence without a reason and «б» for illness', async () => {
    for (const code of ['Н', 'Б'] as const) {
      const absence = await t.app.db
        .selectFrom('attendance as a')
        .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
        .select(['a.pupil_id', 'l.id as lesson_id', 'l.subject_id', 'l.group_id'])
        .where('l.class_id', '=', classId)
        .where('a.code', '=', code)
        .where('l.group_id', 'is', null)
        .orderBy('l.lesson_date', 'desc')
        .executeTakeFirstOrThrow();
      const subject = await t.app.db.selectFrom('subject').select('name').where('id', '=', absence.subject_id).executeTakeFirstOrThrow();
      const lessons = await subjectLessons(absence.subject_id, null);
      const k = lessons.findIndex((l) => l.id === absence.lesson_id);
      const { cell } = gridCell(await body(subject.name), pupils.find((p) => p.id === absence.pupil_id)!, k);
      expect(cell?.text).toBe(code.toLowerCase());
    }
    expect(htmlTables(await body(source.sections[0]!.heading))[0]!.after).toContain('н — отсутствовал без уважительной причины');
  });

  it('shows a group’s own pupils and lessons in the group’s section', async () => {
    const group = await t.app.db.selectFrom('study_group').select(['id', 'subject_id', 'name']).where('class_id', '=', classId).orderBy('name').orderBy('id').executeTakeFirstOrThrow();
    const members = new Set((await t.app.db.selectFrom('group_member').select('pupil_id').where('group_id', '=', group.id).execute()).map((m) => m.pupil_id));
    const subject = await t.app.db.selectFrom('subject').select('name').where('id', '=', group.subject_id).executeTakeFirstOrThrow();
    const heading = source.sections.map((s) => s.heading).find((h) => h.startsWith(subject.name) && h.endsWith(`группа ${/\d+/.exec(group.name)?.[0]}`))!;
    const html = await body(heading);
    const page = gridPages(html)[0]!;
    expect(page.table.body.map((r) => r[1]!.text.split(' ').slice(0, 2).join(' '))).toEqual(pupils.filter((p) => members.has(p.id)).map(rowName));
    expect(page.of).toBe((await subjectLessons(group.subject_id, group.id)).length);
  });
});

describe('class journal: the lessons pages', () => {
  it('lists every lesson with date, number, topic, homework and teacher', async () => {
    const subject = await t.app.db.selectFrom('subject').select(['id', 'name']).where('name', '=', source.sections[0]!.heading).executeTakeFirstOrThrow();
    const lessons = await subjectLessons(subject.id, null);
    const teachers = new Map(
      (await t.app.db.selectFrom('staff').select(['id', 'last_name', 'first_name', 'middle_name']).execute()).map((s) => [s.id, `${s.last_name} ${s.first_name[0]}. ${s.middle_name?.[0]}.`]),
    );
    const table = htmlTables(await body(subject.name)).find((tb) => tb.before.includes('содержание уроков'))!;
    expect(table.head[0]!.map((c) => c.text)).toEqual(['Дата', '№ урока', 'Тема урока', 'Домашнее задание', 'Учитель', 'Замена']);
    expect(table.body.length).toBe(lessons.length);
    for (const k of [0, 7, Math.floor(lessons.length / 2), lessons.length - 1]) {
      const l = lessons[k]!;
      expect(table.body[k]!.map((c) => c.text)).toEqual([
        ru(l.lesson_date),
        String(l.lesson_number),
        l.topic,
        l.homework ?? '',
        teachers.get(l.teacher_id!)!,
        l.substitute_teacher_id ? teachers.get(l.substitute_teacher_id)! : '',
      ]);
    }
  });

  it('names the substitute teacher of a lesson given by one', async () => {
    const substituted = await t.app.db
      .selectFrom('lesson as l')
      .innerJoin('staff as s', 's.id', 'l.substitute_teacher_id')
      .innerJoin('subject as sub', 'sub.id', 'l.subject_id')
      .select(['l.lesson_date', 'l.lesson_number', 'l.topic', 'l.group_id', 'sub.name', 's.last_name', 's.first_name', 's.middle_name'])
      .where('l.class_id', '=', classId)
      .where('l.group_id', 'is', null)
      .orderBy('l.id')
      .executeTakeFirstOrThrow();
    const table = htmlTables(await body(substituted.name)).find((tb) => tb.before.includes('содержание уроков'))!;
    const row = table.body.find((r) => r[0]?.text === ru(substituted.lesson_date) && r[1]?.text === String(substituted.lesson_number))!;
    expect(row[2]!.text).toBe(substituted.topic);
    expect(row[5]!.text).toBe(`${substituted.last_name} ${substituted.first_name[0]}. ${substituted.middle_name?.[0]}.`);
  });
});

describe('class journal: the summaries', () => {
  it('prints the period and year marks of each pupil under the subject', async () => {
    const html = await body('Итоговые отметки');
    const tables = htmlTables(html);
    const periods = await t.app.db.selectFrom('period as p').innerJoin('school_class as c', (j) => j.onRef('c.year_id', '=', 'p.year_id').onRef('c.period_scheme', '=', 'p.scheme')).select(['p.id', 'p.name']).where('c.id', '=', classId).orderBy('p.number').execute();
    expect(tables.map((tb) => /(Отметки за [^.]+|Годовые отметки)$/.exec(tb.before)?.[1])).toEqual([...periods.map((p) => `Отметки за ${p.name}`), 'Годовые отметки']);
    const marks = await t.app.db
      .selectFrom('final_mark as f')
      .innerJoin('subject as s', 's.id', 'f.subject_id')
      .select(['f.pupil_id', 'f.kind', 'f.period_id', 'f.value', 's.short_name'])
      .where('f.pupil_id', 'in', pupils.filter((p) => p.to === null).map((p) => p.id))
      .orderBy('f.id')
      .execute();
    expect(marks.length).toBeGreaterThan(100);
    for (const m of [marks[0]!, marks[Math.floor(marks.length / 3)]!, marks.at(-1)!, marks.find((x) => x.value === 'зач' || x.value === 'осв') ?? marks[1]!]) {
      const title = m.kind === 'year' ? 'Годовые отметки' : `Отметки за ${periods.find((p) => p.id === m.period_id)!.name}`;
      const table = tables.find((tb) => tb.before.endsWith(title))!;
      const col = table.head[0]!.findIndex((c) => c.text === m.short_name);
      expect(col).toBeGreaterThan(1);
      const row = table.body.find((r) => r[1]!.text.startsWith(rowName(pupils.find((p) => p.id === m.pupil_id)!)))!;
      expect(row[col]!.text).toBe(m.value);
    }
  });

  it('counts missed lessons per pupil for the year, of them for illness, with the class total', async () => {
    const html = await body('Сводные данные посещаемости');
    const table = htmlTables(html)[0]!;
    const counts = await t.app.db
      .selectFrom('attendance as a')
      .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
      .select(['a.pupil_id', 'a.code', (eb) => eb.fn.count<number>('a.id').as('n')])
      .where('l.class_id', '=', classId)
      .groupBy(['a.pupil_id', 'a.code'])
      .execute();
    const of = (pupilId: number | null, code: string) => counts.filter((c) => (pupilId === null || c.pupil_id === pupilId) && c.code === code).reduce((s, c) => s + Number(c.n), 0);
    const yearCells = (row: { text: string }[]) => row.slice(-5).map((c) => Number(c.text));
    for (const p of pupils) {
      const row = table.body.find((r) => r[1]!.text.startsWith(rowName(p)))!;
      expect(yearCells(row)).toEqual([of(p.id, 'Н') + of(p.id, 'Б') + of(p.id, 'У'), of(p.id, 'Б'), of(p.id, 'У'), of(p.id, 'Н'), of(p.id, 'О')]);
    }
    const total = table.body.at(-1)!;
    expect(total[1]!.text).toBe('Итого по классу');
    expect(yearCells(total)).toEqual([of(null, 'Н') + of(null, 'Б') + of(null, 'У'), of(null, 'Б'), of(null, 'У'), of(null, 'Н'), of(null, 'О')]);
    expect(of(null, 'Б')).toBeGreaterThan(0);
  });
});

describe('class journal: refusals', () => {
  it('refuses an unknown class with not_found', async () => {
    const error = await loadVolumeSource(t.app.db, { kind: 'class_journal', classId: 999_999 }, '2026-06-15').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('not_found');
    expect((error as ApiError).message).toMatch(/Класс не найден/);
  });

  it('refuses a class without lessons, saying what to do', async () => {
    const year = await t.app.db.selectFrom('school_year').select('id').executeTakeFirstOrThrow();
    const empty = await t.app.db.insertInto('school_class').values({ year_id: year.id, parallel: 5, letter: 'Я', period_scheme: 'quarters' }).returning('id').executeTakeFirstOrThrow();
    const error = await refusal(loadVolumeSource(t.app.db, { kind: 'class_journal', classId: empty.id }, '2026-06-15'));
    expect(error.message).toMatch(/^В журнале класса 5Я за 2025\/2026 учебный год нет уроков: .*Внесите уроки/);
  });
});

describe('class journal: density', () => {
  it('prints a grid page of a 32-pupil class with every pupil on the first page', async () => {
    expect(pupils.length).toBeGreaterThanOrEqual(32);
    const heading = source.sections[0]!.heading;
    const html = renderHtml(
      createElement(Layout, {
        meta: source.meta,
        fontCss: fontFaceCss(),
        css: `${source.css}\n@page { size: A4 landscape; }`,
        children: createElement('div', { dangerouslySetInnerHTML: { __html: await body(heading) } }),
      }),
    );
    const pdf = await new ChromiumEngine().print(html, { landscape: true, title: source.meta.title });
    const dir = mkdtempSync(join(tmpdir(), 'journal-density-'));
    try {
      const path = join(dir, 'grid.pdf');
      writeFileSync(path, pdf);
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      expect(info).toMatch(/Page size:\s+841\.\d+ x 595\.\d+/);
      const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path, '-'], { encoding: 'utf8' });
      for (const p of pupils) expect(first).toContain(rowName(p));
      expect(first).toContain('отметки и посещаемость');
      const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
      expect(fonts).toMatch(/PTSans-Narrow|PT Sans Narrow|PTSansNarrow/);
      for (const line of fonts.split('\n').slice(2).filter(Boolean)) expect(line).toMatch(/\byes\s+yes\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
