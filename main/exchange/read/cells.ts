import ExcelJS from 'exceljs';
import type { RawCell } from './types';

/**
 * exceljs cell values → RawCell. Spreadsheet dates carry no time zone: exceljs hands them over as
 * a UTC instant of the written day, so the day is read in UTC and never through local time.
 */

/** The written day of a date cell. Rounding to the second absorbs float noise (…23:59:59.9995). */
export function isoOfDateCell(d: Date): string | null {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return null;
  return new Date(Math.round(ms / 1000) * 1000).toISOString().slice(0, 10);
}

/** Blank text is no value: a CSV field and an XLSX cell holding '' must read alike. */
function textCell(text: string): RawCell {
  return text === '' ? null : text;
}

function richText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'richText' in value && Array.isArray(value.richText)) {
    return (value.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  }
  return null;
}

export function rawOfValue(value: ExcelJS.CellValue | undefined): RawCell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const iso = isoOfDateCell(value);
    return iso ? { date: iso } : null;
  }
  if (typeof value === 'string') return textCell(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (typeof value === 'object') {
    const rich = richText(value);
    if (rich !== null) return textCell(rich);
    // A formula (plain or shared) stands for its cached result; without one there is nothing to read.
    if ('formula' in value || 'sharedFormula' in value) return rawOfValue((value as { result?: ExcelJS.CellValue }).result);
    if ('result' in value) return rawOfValue((value as { result?: ExcelJS.CellValue }).result);
    // A hyperlink's text may itself be rich text.
    if ('text' in value) {
      const text = richText((value as { text?: unknown }).text);
      if (text !== null) return textCell(text);
    }
    // An error value (#Н/Д, #ДЕЛ/0!) is kept as its text so a later check can name it.
    if ('error' in value && typeof (value as { error?: unknown }).error === 'string') return (value as { error: string }).error;
  }
  return null;
}

/** A sheet cell → RawCell; the covered cells of a merge are empty, as in the file (see TableFile.merges). */
export function rawOfCell(cell: ExcelJS.Cell): RawCell {
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  return rawOfValue(cell.value);
}

/** Trailing empty cells carry nothing; dropping them keeps rows of both formats comparable. */
export function trimRow(cells: RawCell[]): RawCell[] {
  let end = cells.length;
  while (end > 0 && isBlank(cells[end - 1] ?? null)) end -= 1;
  return cells.slice(0, end).map((c) => c ?? null);
}

export function isBlank(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}
