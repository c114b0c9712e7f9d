import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fillMerged, readTable } from '../../main/exchange/read';
import { isoOfDateCell } from '../../main/exchange/read/cells';
import { parseA1Range } from '../../main/exchange/read/merges';
import { zipOf } from '../support/zip';
import { refusal } from '../support/refusal';

async function workbookBytes(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}


const journal = (wb: ExcelJS.Workbook) => {
  wb.addWorksheet('Служебный', { state: 'hidden' }).getCell('A1').value = 'не для людей';
  const ws = wb.addWorksheet('Отчёт');
  ws.getCell('A1').value = 'Ученик: Иванов';
  ws.getCell('A3').value = 'Предмет';
  ws.getCell('B3').value = 'сентябрь';
  ws.mergeCells('B3:D3');
  ws.getCell('E3').value = 'октябрь';
  ws.mergeCells('E3:F3');
  ws.getRow(4).values = [null, 1, 8, 15, 6, 13];
  ws.getRow(5).values = ['Математика', 5, 4, null, 'Н', 3];
  ws.getCell('A7').value = new Date(Date.UTC(2014, 2, 11));
  ws.getCell('B7').value = { formula: 'B5+C5', result: 9 };
  ws.getCell('C7').value = { richText: [{ text: 'Ива' }, { text: 'нов', font: { bold: true } }] };
  ws.getCell('D7').value = { text: 'сайт', hyperlink: 'https://example.ru' };
  ws.getCell('E7').value = true;
  ws.getCell('F7').value = { formula: 'DATE(2025,9,1)', result: new Date(Date.UTC(2025, 8, 1)) };
  ws.getCell('G7').value = '';
  wb.addWorksheet('Итоги').getCell('B2').value = 'итог';
};

describe('XLSX reading', () => {
  it('reads the first visible sheet with dates, formulas, rich text and merges', async () => {
    const table = await readTable('отчёт.xlsx', await workbookBytes(journal));
    expect(table.kind).toBe('xlsx');
    expect(table.sheets).toEqual(['Служебный', 'Отчёт', 'Итоги']);
    expect(table.sheet).toBe('Отчёт');
    expect(table.encoding).toBeUndefined();
    expect(table.merges).toEqual([
      { top: 3, left: 2, bottom: 3, right: 4 },
      { top: 3, left: 5, bottom: 3, right: 6 },
    ]);
    const byRow = new Map(table.rows.map((r) => [r.row, r.cells]));
    expect([...byRow.keys()]).toEqual([1, 3, 4, 5, 7]);
    // Covered cells of a merge are empty, as stored in the file.
    expect(byRow.get(3)).toEqual(['Предмет', 'сентябрь', null, null, 'октябрь']);
    expect(byRow.get(5)).toEqual(['Математика', 5, 4, null, 'Н', 3]);
    expect(byRow.get(7)).toEqual([{ date: '2014-03-11' }, 9, 'Иванов', 'сайт', 'да', { date: '2025-09-01' }]);
    const filled = new Map(fillMerged(table.rows, table.merges).map((r) => [r.row, r.cells]));
    expect(filled.get(3)).toEqual(['Предмет', 'сентябрь', 'сентябрь', 'сентябрь', 'октябрь', 'октябрь']);
    expect(table.rows.find((r) => r.row === 3)!.cells[2]).toBeNull();
  });

  it('chooses a sheet by name (case and ё aside) or by 1-based position', async () => {
    const bytes = await workbookBytes(journal);
    expect((await readTable('a.xlsx', bytes, { sheet: 'итоги' })).rows).toEqual([{ row: 2, cells: [null, 'итог'] }]);
    expect((await readTable('a.xlsx', bytes, { sheet: 'Отчет' })).sheet).toBe('Отчёт');
    expect((await readTable('a.xlsx', bytes, { sheet: 1 })).sheet).toBe('Служебный');
    expect((await readTable('a.xlsx', bytes, { sheet: 3 })).sheet).toBe('Итоги');
  });

  it('refuses an unknown sheet listing the sheets there are', async () => {
    const bytes = await workbookBytes(journal);
    const byName = await refusal(readTable('a.xlsx', bytes, { sheet: 'Журнал' }));
    expect(byName.message).toBe('В книге «a.xlsx» нет листа «Журнал». Листы в книге: «Служебный», «Отчёт», «Итоги».');
    const byNumber = await refusal(readTable('a.xlsx', bytes, { sheet: 4 }));
    expect(byNumber.message).toBe('В книге «a.xlsx» нет листа № 4: листов 3 («Служебный», «Отчёт», «Итоги»).');
  });

  it('refuses an empty sheet naming the others', async () => {
    const bytes = await workbookBytes((wb) => {
      wb.addWorksheet('Лист1');
      wb.addWorksheet('Данные').getCell('A1').value = 'x';
    });
    expect((await refusal(readTable('a.xlsx', bytes))).message).toBe('Лист «Лист1» книги «a.xlsx» пустой. Листы в книге: «Лист1», «Данные».');
    expect((await readTable('a.xlsx', bytes, { sheet: 'Данные' })).rows).toEqual([{ row: 1, cells: ['x'] }]);
  });

  it('ignores the encoding option and takes a ZIP as a workbook whatever its name', async () => {
    const bytes = await workbookBytes(journal);
    const table = await readTable('выгрузка.csv', bytes, { encoding: 'windows-1251' });
    expect(table.kind).toBe('xlsx');
  });

  it('refuses a truncated workbook and a ZIP that holds no workbook', async () => {
    const bytes = await workbookBytes(journal);
    const cut = await refusal(readTable('a.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(cut.message).toMatch(/^Файл «a\.xlsx» не читается как книга Excel \(XLSX\): .+\. Сохраните его заново в Excel или LibreOffice как \.xlsx или \.csv и повторите\.$/);
    const other = zipOf('students.json', '[]');
    expect((await refusal(readTable('b.xlsx', other))).message).toContain('это ZIP-архив, но внутри нет книги Excel');
  });

  it('reads a date cell as the written day, whatever the float noise', () => {
    expect(isoOfDateCell(new Date(Date.UTC(2014, 2, 11)))).toBe('2014-03-11');
    expect(isoOfDateCell(new Date(Date.UTC(2014, 2, 11) - 0.4))).toBe('2014-03-11');
    expect(isoOfDateCell(new Date(Date.UTC(2014, 2, 11, 15, 30)))).toBe('2014-03-11');
    expect(isoOfDateCell(new Date(Number.NaN))).toBeNull();
  });

  it('parses A1 ranges', () => {
    expect(parseA1Range('B5:K5')).toEqual({ top: 5, left: 2, bottom: 5, right: 11 });
    expect(parseA1Range('$AA$10:$AB$12')).toEqual({ top: 10, left: 27, bottom: 12, right: 28 });
    expect(parseA1Range('нет')).toBeNull();
  });
});

