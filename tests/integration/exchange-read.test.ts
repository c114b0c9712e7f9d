import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { fillMerged, readPackage, readPackageContents, readTable, type SheetRow, type TableFile } from '../../main/exchange/read';

/**
 * The readers on the shared sample files of every built-in format (formats.md). A clean clone has
 * no ../shared, so these are skipped there with the reason printed.
 */
const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
const HAVE_FIXTURES = existsSync(FIXTURES);
if (!HAVE_FIXTURES) console.warn(`exchange-read.test: пропущено — нет общих образцов ${FIXTURES} (папка shared/ есть в CI)`);

const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const expected = () => JSON.parse(fixture('expected.json').toString('utf8')) as Record<string, Record<string, number>>;

const text = (cell: SheetRow['cells'][number] | undefined) => (typeof cell === 'string' ? cell.trim() : cell);

/** Rows under the header row (the first row whose first cells read as given). */
function dataRows(table: TableFile, firstHeader: string): { header: SheetRow; rows: SheetRow[] } {
  const at = table.rows.findIndex((r) => r.cells.some((c) => text(c) === firstHeader));
  expect(at).toBeGreaterThanOrEqual(0);
  return { header: table.rows[at]!, rows: table.rows.slice(at + 1) };
}

function column(header: SheetRow, name: string): number {
  const i = header.cells.findIndex((c) => text(c) === name);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe.skipIf(!HAVE_FIXTURES)('exchange readers on the shared fixtures', () => {
  it('read roster.xlsx: title rows kept with their numbers, dates as written days', async () => {
    const table = await readTable('roster.xlsx', fixture('roster.xlsx'));
    expect(table.kind).toBe('xlsx');
    expect(table.sheets).toEqual(['Список']);
    const { header, rows } = dataRows(table, 'Класс');
    expect(table.rows[0]!.row).toBe(1);
    expect(header.row).toBe(3);
    expect(rows).toHaveLength(expected().roster!.pupils!);
    expect(rows[0]!.row).toBe(4);
    expect(rows[0]!.cells[column(header, 'Дата рождения')]).toEqual({ date: '2014-03-11' });
  });

  it('read roster-cp1251.csv as Windows-1251 with `;`, matching roster.xlsx pupil by pupil', async () => {
    const csv = await readTable('roster-cp1251.csv', fixture('roster-cp1251.csv'));
    expect(csv.kind).toBe('csv');
    expect(csv.encoding).toBe('windows-1251');
    expect(csv.separator).toBe(';');
    const fromCsv = dataRows(csv, 'Класс');
    expect(fromCsv.header.row).toBe(1);
    expect(fromCsv.rows[0]!.row).toBe(2);
    expect(fromCsv.rows).toHaveLength(expected()['roster-cp1251']!.pupils!);

    // The CSV is the first pupils of the XLSX list: same surnames, same order.
    const fromXlsx = dataRows(await readTable('roster.xlsx', fixture('roster.xlsx')), 'Класс');
    const surnames = (part: { header: SheetRow; rows: SheetRow[] }) => part.rows.map((r) => text(r.cells[column(part.header, 'Фамилия')]));
    expect(surnames(fromCsv)).toEqual(surnames(fromXlsx).slice(0, fromCsv.rows.length));
    expect(surnames(fromCsv)[0]).toBe('Смирнова');
    // Forcing the right encoding reads the same; forcing UTF-8 is refused with a hint.
    const forced = await readTable('roster-cp1251.csv', fixture('roster-cp1251.csv'), { encoding: 'windows-1251' });
    expect(forced.rows).toEqual(csv.rows);
    const error = await readTable('roster-cp1251.csv', fixture('roster-cp1251.csv'), { encoding: 'utf-8' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('Windows-1251');
  });

  it('read lessons.csv as UTF-8 with BOM, keeping quoted separators inside cells', async () => {
    const table = await readTable('lessons.csv', fixture('lessons.csv'));
    expect(table.encoding).toBe('utf-8');
    expect(table.separator).toBe(';');
    const { header, rows } = dataRows(table, 'Класс');
    expect(header.cells[0]).toBe('Класс');
    expect(rows).toHaveLength(expected().lessons!.lessons!);
    expect(rows[0]!.cells[column(header, 'Тема урока')]).toBe('Натуральные числа; урок 1');
  });

  it('read journal-report.xlsx with the month headers as merges', async () => {
    const table = await readTable('journal-report.xlsx', fixture('journal-report.xlsx'));
    expect(table.sheets).toEqual(['Отчёт']);
    expect(table.merges).toContainEqual({ top: 5, left: 2, bottom: 5, right: 11 });
    expect(table.merges).toContainEqual({ top: 5, left: 12, bottom: 5, right: 21 });
    const row5 = table.rows.find((r) => r.row === 5)!;
    expect(row5.cells.slice(0, 3)).toEqual(['Предмет', 'сентябрь', null]);
    expect(row5.cells[11]).toBe('октябрь');
    const filled = fillMerged(table.rows, table.merges).find((r) => r.row === 5)!;
    expect(filled.cells.slice(1, 11)).toEqual(Array(10).fill('сентябрь'));
    expect(filled.cells.slice(11, 21)).toEqual(Array(10).fill('октябрь'));
    // One block per pupil: a subject header row for each of them.
    expect(table.rows.filter((r) => text(r.cells[0]) === 'Предмет')).toHaveLength(expected()['journal-report']!.pupils!);
  });

  it('read final-marks.xlsx and access-codes.xlsx', async () => {
    const marks = dataRows(await readTable('final-marks.xlsx', fixture('final-marks.xlsx')), 'Класс');
    const periods = ['1 четверть', '2 четверть', '3 четверть', '4 четверть', 'Год'].map((p) => column(marks.header, p));
    const filled = marks.rows.flatMap((r) => periods.map((i) => r.cells[i] ?? null)).filter((c) => c !== null);
    expect(filled).toHaveLength(expected()['final-marks']!.finalMarks!);
    const codes = dataRows(await readTable('access-codes.xlsx', fixture('access-codes.xlsx')), 'Класс');
    expect(codes.rows).toHaveLength(expected()['access-codes']!.codes!);
    expect(codes.rows[0]!.cells[column(codes.header, 'Код')]).toBe('RFTW3XRJZA');
  });

  it('refuses the first half of roster.xlsx as an unreadable workbook', async () => {
    const bytes = fixture('roster.xlsx');
    const error = await readTable('roster.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('refused');
    expect((error as ApiError).message).toMatch(/^Файл «roster\.xlsx» не читается как книга Excel \(XLSX\): .+ Сохраните его заново/);
  });

  it('read kiasuo.zip and the kiasuo/ folder to the same entries, ids as exact digit strings', async () => {
    const fromZip = await readPackageContents({ zip: fixture('kiasuo.zip'), name: 'kiasuo.zip' });
    const fromFolder = await readPackageContents({ folder: join(FIXTURES, 'kiasuo') });
    expect(fromZip.warnings).toEqual([]);
    expect(fromFolder.warnings).toEqual([]);
    expect([...fromZip.entries.keys()]).toEqual(['lesson_marks.json', 'school_classes.json', 'student_marks.json', 'students.json', 'study_periods.json']);
    expect([...fromFolder.entries.keys()]).toEqual([...fromZip.entries.keys()]);
    for (const [name, value] of fromZip.entries) expect(fromFolder.entries.get(name)).toEqual(value);

    const counts = expected().kiasuo!;
    const students = fromZip.entries.get('students.json') as { id: unknown; school_class: unknown }[];
    expect(students).toHaveLength(counts.pupils!);
    expect(students[0]!.id).toBe('10000000000455007');
    expect(fromZip.entries.get('school_classes.json')).toHaveLength(counts.classes!);
    expect(fromZip.entries.get('study_periods.json')).toHaveLength(counts.periods!);
    expect((await readPackage({ folder: join(FIXTURES, 'kiasuo') })).size).toBe(5);
  });
});
