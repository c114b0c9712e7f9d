import ExcelJS from 'exceljs';
import { ApiError } from '../../common/api/errors';
import { isRealIsoDate } from '../../common/domain/person';
import { normalizeHeader } from '../../common/exchange/headers';
import type { RawCell, SheetRow } from '../exchange/read/types';

/**
 * Reads a spreadsheet (XLSX, or CSV in UTF-8 with `;`, `,` or tab) into rows of raw cells, and
 * finds the header row by the profile's required headers (formats.md, «Rules for every import»).
 */

// The cell and row shapes now belong to the exchange readers; re-exported so existing imports keep working.
export type { RawCell, SheetRow } from '../exchange/read/types';
// Header names are normalised the same way for every import (common/exchange/headers.ts).
export { normalizeHeader };

function isoOfDateCell(d: Date): string {
  // Spreadsheet dates carry no zone: exceljs gives them as UTC midnight of the written day.
  const probe = new Date(d.getTime() + 12 * 3600 * 1000 * (d.getUTCHours() >= 12 ? 1 : 0));
  return probe.toISOString().slice(0, 10);
}

function rawOf(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { date: isoOfDateCell(value) };
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return rawOf((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof (value as { text?: unknown }).text === 'string') return (value as { text: string }).text;
  }
  return null;
}

async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ApiError('refused', 'Файл не читается как книга Excel (XLSX). Сохраните его в формате .xlsx или .csv и повторите.');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ApiError('refused', 'В файле нет ни одного листа.');
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: RawCell[] = [];
    r.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = rawOf(cell.value);
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
  });
  return rows;
}

/** RFC 4180 CSV with the separator detected from the first line. */
export function parseCsv(text: string): SheetRow[] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const sep = [';', '\t', ','].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ';');
  const rows: SheetRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: rowStart, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowStart = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** How to read a CSV's bytes: detected (UTF-8 if valid, else Windows-1251) or as the user says. */
export type TextEncoding = 'auto' | 'utf-8' | 'windows-1251';

export async function readSheet(fileName: string, bytes: Buffer, encoding: TextEncoding = 'auto'): Promise<SheetRow[]> {
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip) return readXlsx(bytes);
  if (/\.xlsx?$/i.test(fileName)) throw new ApiError('refused', `Файл «${fileName}» не является книгой Excel (XLSX).`);
  let text: string;
  if (encoding === 'windows-1251') text = new TextDecoder('windows-1251').decode(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      if (encoding === 'utf-8') {
        throw new ApiError('refused', `Файл «${fileName}» не в кодировке UTF-8. Выберите кодировку «Windows-1251» или «определить автоматически».`);
      }
      text = new TextDecoder('windows-1251').decode(bytes);
    }
  }
  if (text.includes('\u0000')) throw new ApiError('refused', `Файл «${fileName}» не похож на таблицу (XLSX или CSV).`);
  return parseCsv(text);
}

export function cellText(cell: RawCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell.replace(/\u00a0/g, ' ').trim();
  if (typeof cell === 'number') return String(cell);
  return cell.date.split('-').reverse().join('.');
}

/** A date from a cell: real date cells, dd.mm.yyyy, d.m.yy, yyyy-mm-dd; null if not a date. */
export function cellDate(cell: RawCell): string | null {
  if (cell === null) return null;
  if (typeof cell === 'object') return cell.date;
  if (typeof cell === 'number') {
    if (cell < 1 || cell > 80000) return null;
    const d = new Date(Date.UTC(1899, 11, 30) + Math.round(cell) * 86400000);
    return d.toISOString().slice(0, 10);
  }
  const text = cell.trim();
  let iso: string | null = null;
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(text);
  if (ru) {
    let year = Number(ru[3]);
    if (ru[3]!.length === 2) year += year <= 50 ? 2000 : 1900;
    iso = `${year}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}`;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) iso = text;
  return iso && isRealIsoDate(iso) ? iso : null;
}

export interface HeaderMap {
  headerRow: number;
  /** Normalised header → column index. */
  columns: Map<string, number>;
  unknown: string[];
}

/** The first row holding every required header; a missing column refuses the whole file. */
export function findHeader(rows: SheetRow[], required: string[], known: string[]): HeaderMap {
  const need = required.map(normalizeHeader);
  const knownSet = new Set([...need, ...known.map(normalizeHeader)]);
  let best: { row: SheetRow; hits: number } | null = null;
  for (const row of rows.slice(0, 50)) {
    const names = row.cells.map((c) => normalizeHeader(cellText(c)));
    const hits = need.filter((n) => names.includes(n)).length;
    if (hits === need.length) {
      const columns = new Map<string, number>();
      const unknown: string[] = [];
      names.forEach((n, i) => {
        if (!n) return;
        if (knownSet.has(n)) {
          if (!columns.has(n)) columns.set(n, i);
        } else unknown.push(cellText(row.cells[i] ?? null));
      });
      return { headerRow: row.row, columns, unknown };
    }
    if (!best || hits > best.hits) best = { row, hits };
  }
  if (!best || best.hits === 0) {
    throw new ApiError('refused', `В файле не найдена строка заголовков: нужны столбцы ${required.map((r) => `«${r}»`).join(', ')}.`);
  }
  const names = best.row.cells.map((c) => normalizeHeader(cellText(c)));
  const missing = required.filter((r) => !names.includes(normalizeHeader(r)));
  throw new ApiError('refused', `В файле нет обязательного столбца ${missing.map((m) => `«${m}»`).join(', ')} (строка заголовков ${best.row.row}).`);
}
