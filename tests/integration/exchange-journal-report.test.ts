import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fillMerged, readTable } from '../../main/exchange/read';
import { parseJournalReport } from '../../main/exchange/layouts/journal-report';

const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
const FIXTURE = resolve(FIXTURES, 'journal-report.xlsx');
const HAVE_FIXTURE = existsSync(FIXTURE);
if (!HAVE_FIXTURE) console.log(`Пропуск: нет образца ${FIXTURE} (клон без ../shared).`);

/** The rows as the importer gives them to the layout: merged cells filled (main/exchange/import/journal-report.ts). */
async function tableRows(fileName: string, bytes: Buffer) {
  const file = await readTable(fileName, bytes);
  return fillMerged(file.rows, file.merges);
}

async function rowsOf(build: (ws: ExcelJS.Worksheet) => void) {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('Отчёт'));
  return tableRows('отчёт.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
}

describe.skipIf(!HAVE_FIXTURE)('journal-report: the shared sample', () => {
  it('reads every pupil block with the counts of expected.json', async () => {
    const expected = (JSON.parse(readFileSync(resolve(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>)['journal-report']!;
    const report = parseJournalReport(await tableRows('journal-report.xlsx', readFileSync(FIXTURE)));
    expect(report.problems).toEqual([]);
    expect(report.blocks).toHaveLength(expected.pupils!);
    expect(report.blocks.reduce((n, b) => n + b.marks.length, 0)).toBe(expected.marks);
    expect(report.blocks.reduce((n, b) => n + b.attendance.length, 0)).toBe(expected.attendance);
    const first = report.blocks[0]!;
    expect(first).toMatchObject({ year: '2025/2026', classLabel: '5А', period: { from: '2025-09-01', to: '2026-05-25' } });
    expect(first.pupil).toEqual({ lastName: 'Смирнова', firstName: 'Екатерина', middleName: 'Павловна' });
    // «5 3» on 9 September in Russian: two marks on the same day.
    expect(first.marks.filter((m) => m.subject === 'Русский язык' && m.date === '2025-09-09').map((m) => m.value)).toEqual([5, 3]);
  });
});

describe('journal-report: layout rules', () => {
  it('puts January into the second year, splits «4/Н», skips the summary columns', async () => {
    const rows = await rowsOf((ws) => {
      ws.addRow(['Учебный год: 2025/2026']);
      ws.addRow(['Класс: 8А']);
      ws.addRow(['Период: с 01.09.2025 по 25.05.2026']);
      ws.addRow(['Ученик: Ёлкина Алёна']);
      ws.addRow(['Предмет', 'декабрь', 'январь', 'январь', 'Средняя оценка', 'Итоговая оценка за период']);
      ws.addRow([null, 30, 12, 14]);
      ws.addRow(['Алгебра', '4/Н', 'о', '5 5', 4.67, 5]);
    });
    const report = parseJournalReport(rows);
    expect(report.problems).toEqual([]);
    const block = report.blocks[0]!;
    expect(block.pupil).toEqual({ lastName: 'Ёлкина', firstName: 'Алёна', middleName: null });
    expect(block.marks.map((m) => [m.date, m.value])).toEqual([
      ['2025-12-30', 4],
      ['2026-01-14', 5],
      ['2026-01-14', 5],
    ]);
    expect(block.attendance.map((a) => [a.date, a.code])).toEqual([
      ['2025-12-30', 'Н'],
      ['2026-01-12', 'О'],
    ]);
  });

  it('reports a cell that is neither a mark nor a code, and an impossible day, by row and column', async () => {
    const rows = await rowsOf((ws) => {
      ws.addRow(['Учебный год: 2025/2026']);
      ws.addRow(['Класс: 8А']);
      ws.addRow(['Ученик: Петров Пётр Петрович']);
      ws.addRow(['Предмет', 'февраль', 'февраль']);
      ws.addRow([null, 3, 30]);
      ws.addRow(['Физика', 'отл', '5']);
    });
    const report = parseJournalReport(rows);
    expect(report.problems).toEqual([
      { row: 5, column: 'C', reason: '«30» — не число месяца «февраль»' },
      { row: 6, column: 'B', reason: '«отл» — не отметка (1–5) и не код посещаемости (Н, Б, У, О)' },
    ]);
    expect(report.blocks[0]!.marks).toEqual([]);
  });
});
