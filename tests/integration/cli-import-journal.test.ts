import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli } from '../support/cli';

/**
 * `import --profile journal-report` from the command line, run twice: the second file changes one
 * mark, one absence code and adds a mark. The journal is written in batches, so this checks that
 * a changed cell is replaced (not doubled), an unchanged one kept, and a new one added — with the
 * counts the report prints — and that a dry run of the same file writes nothing.
 */

type Counts = Record<string, { created: number; updated: number; unchanged: number }>;

let dir: string;
let db: string;
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-import-journal-'));
  assertBuilt();
  db = join(dir, 'school.db');
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  // The year, 5А, two subjects and two invented pupils, written directly (the year screens come later).
  const raw = new BetterSqlite3(db);
  const year = raw.prepare("insert into school_year (name, starts_on, ends_on, closed) values ('2025/2026', '2025-09-01', '2026-05-31', 0)").run();
  const cls = raw.prepare("insert into school_class (year_id, parallel, letter, period_scheme) values (?, 5, 'А', 'quarters')").run(year.lastInsertRowid);
  for (const [i, subject] of ['Математика', 'Русский язык'].entries()) raw.prepare("insert into subject (name, short_name, part, sort_order) values (?, ?, 'federal', ?)").run(subject, subject.slice(0, 4), i);
  for (const [last, first, middle, birth] of [
    ['Ёлкина', 'Алёна', 'Петровна', '2014-05-03'],
    ['Петров', 'Пётр', 'Ильич', '2014-02-11'],
  ] as const) {
    const pupil = raw
      .prepare("insert into pupil (last_name, first_name, middle_name, birth_date, gender, updated_at) values (?, ?, ?, ?, 'ж', '2025-09-01T00:00:00Z')")
      .run(last, first, middle, birth);
    raw.prepare("insert into class_membership (pupil_id, class_id, from_date) values (?, ?, '2025-09-01')").run(pupil.lastInsertRowid, cls.lastInsertRowid);
  }
  raw.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A journal-report workbook of 5А for 1–3 September: pupil → subject → the three day cells. */
async function report(name: string, pupils: Record<string, Record<string, (string | null)[]>>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Отчёт');
  for (const [pupil, subjects] of Object.entries(pupils)) {
    ws.addRow(['Учебный год: 2025/2026']);
    ws.addRow(['Класс: 5А']);
    ws.addRow(['Период: с 01.09.2025 по 31.05.2026']);
    ws.addRow([`Ученик: ${pupil}`]);
    const header = ws.addRow(['Предмет', 'сентябрь', null, null]);
    ws.mergeCells(header.number, 2, header.number, 4);
    ws.addRow(['', 1, 2, 3]);
    for (const [subject, cells] of Object.entries(subjects)) ws.addRow([subject, ...cells]);
    ws.addRow([]);
  }
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

function journal(): { marks: string[]; attendance: string[] } {
  const raw = new BetterSqlite3(db, { readonly: true });
  const marks = raw
    .prepare("select p.last_name || ' ' || s.name || ' ' || l.lesson_date || ' ' || m.value as v from mark m join lesson l on l.id = m.lesson_id join subject s on s.id = l.subject_id join pupil p on p.id = m.pupil_id order by v")
    .all() as { v: string }[];
  const attendance = raw
    .prepare("select p.last_name || ' ' || s.name || ' ' || l.lesson_date || ' ' || a.code as v from attendance a join lesson l on l.id = a.lesson_id join subject s on s.id = l.subject_id join pupil p on p.id = a.pupil_id order by v")
    .all() as { v: string }[];
  raw.close();
  return { marks: marks.map((r) => r.v), attendance: attendance.map((r) => r.v) };
}

describe('CLI: import of a journal report, then of a changed one', () => {
  it('creates, then replaces changed cells, keeps the unchanged and adds the new, with matching counts', async () => {
    const first = await report('журнал.xlsx', {
      'Ёлкина Алёна Петровна': { Математика: ['5', '4 5', 'Н'], 'Русский язык': ['3/Б', null, null] },
      'Петров Пётр Ильич': { Математика: [null, 'У', null] },
    });
    const created = run('--json', 'import', '--profile', 'journal-report', '--file', first);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      rejected: [],
      counts: {
        pupils: { created: 0, updated: 0, unchanged: 2 },
        lessons: { created: 4, updated: 0, unchanged: 0 },
        marks: { created: 4, updated: 0, unchanged: 0 },
        attendance: { created: 3, updated: 0, unchanged: 0 },
      },
    });
    const afterFirst = journal();
    expect(afterFirst).toEqual({
      marks: ['Ёлкина Математика 2025-09-01 5', 'Ёлкина Математика 2025-09-02 4', 'Ёлкина Математика 2025-09-02 5', 'Ёлкина Русский язык 2025-09-01 3'],
      attendance: ['Ёлкина Математика 2025-09-03 Н', 'Ёлкина Русский язык 2025-09-01 Б', 'Петров Математика 2025-09-02 У'],
    });

    const changed = await report('журнал-исправленный.xlsx', {
      'Ёлкина Алёна Петровна': { Математика: ['4', '5 4', 'Б'], 'Русский язык': ['3/Б', null, null] },
      'Петров Пётр Ильич': { Математика: [null, 'У', '5'] },
    });
    const counts: Counts = {
      pupils: { created: 0, updated: 0, unchanged: 2 },
      lessons: { created: 0, updated: 0, unchanged: 4 },
      marks: { created: 1, updated: 1, unchanged: 3 },
      attendance: { created: 0, updated: 1, unchanged: 2 },
    };
    const dry = run('--json', 'import', '--profile', 'journal-report', '--file', changed, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { counts: Counts }).counts).toEqual(counts);
    expect(journal()).toEqual(afterFirst);

    const real = run('--json', 'import', '--profile', 'journal-report', '--file', changed);
    expect(real.code, real.stderr).toBe(0);
    expect((JSON.parse(real.stdout) as { counts: Counts }).counts).toEqual(counts);
    expect(journal()).toEqual({
      marks: [
        'Ёлкина Математика 2025-09-01 4',
        'Ёлкина Математика 2025-09-02 4',
        'Ёлкина Математика 2025-09-02 5',
        'Ёлкина Русский язык 2025-09-01 3',
        'Петров Математика 2025-09-03 5',
      ],
      attendance: ['Ёлкина Математика 2025-09-03 Б', 'Ёлкина Русский язык 2025-09-01 Б', 'Петров Математика 2025-09-02 У'],
    });

    const again = run('--json', 'import', '--profile', 'journal-report', '--file', changed);
    expect((JSON.parse(again.stdout) as { counts: Counts }).counts).toMatchObject({ marks: { created: 0, updated: 0, unchanged: 5 }, attendance: { created: 0, updated: 0, unchanged: 3 } });
  });
});
