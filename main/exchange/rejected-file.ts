import ExcelJS from 'exceljs';
import type { RawCell, SheetRow } from './read/types';

/**
 * The rows an import refused, as a workbook of the same columns plus «Причина», so the user can
 * fix them and load the file again. Dates stay date cells and everything else stays text: a code
 * or a СНИЛС keeps every character.
 */
export async function rejectedRowsWorkbook(
  header: SheetRow,
  rows: readonly SheetRow[],
  reasons: ReadonlyMap<number, string[]>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Канцелярия';
  const ws = wb.addWorksheet('Отклонённые строки');
  const width = Math.max(header.cells.length, ...rows.map((r) => r.cells.length));
  const headerValues = Array.from({ length: width }, (_, i) => valueOf(header.cells[i] ?? null));
  ws.addRow([...headerValues, 'Строка исходного файла', 'Причина']).font = { bold: true };
  for (const r of rows) {
    const why = reasons.get(r.row);
    if (!why) continue;
    const added = ws.addRow([...Array.from({ length: width }, (_, i) => valueOf(r.cells[i] ?? null)), r.row, why.join('; ')]);
    added.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'dd.mm.yyyy';
    });
  }
  ws.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function valueOf(cell: RawCell): string | number | Date | null {
  if (cell === null) return null;
  if (typeof cell === 'object') return new Date(`${cell.date}T00:00:00Z`);
  return cell;
}
