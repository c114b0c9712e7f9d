import ExcelJS from 'exceljs';
import { ApiError } from '../../../common/api/errors';
import { isBlank, rawOfCell, trimRow } from './cells';
import { parseA1Range } from './merges';
import type { MergeRange, RawCell, SheetRow, TableFile } from './types';
import { ZipRefusal, walkZip } from './zip';

/**
 * XLSX → TableFile. The archive is walked and measured first (zip.ts), so exceljs — which inflates
 * everything in memory — only ever sees a workbook already known to fit the limits.
 */

const SAVE_AGAIN = 'Сохраните его заново в Excel или LibreOffice как .xlsx или .csv и повторите.';

export function unreadableWorkbook(fileName: string, reason: string): ApiError {
  return new ApiError('refused', `Файл «${fileName}» не читается как книга Excel (XLSX): ${reason}. ${SAVE_AGAIN}`);
}

function hostileFile(fileName: string, reason: string): ApiError {
  return new ApiError('refused', `Файл «${fileName}» отклонён: ${reason}.`);
}

/** Why bytes that are not a ZIP cannot be a workbook — named as precisely as the first bytes allow. */
export function notZipReason(bytes: Buffer): string {
  if (bytes.length === 0) return 'файл пустой';
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF') return 'это PDF-документ, а не таблица';
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) {
    return 'книга защищена паролем или сохранена в старом формате Excel 97–2003 (.xls)';
  }
  // Text without NUL bytes near the start is most likely a CSV saved under a workbook's name.
  if (!bytes.subarray(0, 4096).includes(0)) return 'это текстовый файл (возможно, CSV с расширением .xlsx), а не книга';
  return 'внутри нет ZIP-архива, которым является любой файл .xlsx';
}

interface SheetChoice {
  worksheet: ExcelJS.Worksheet;
  names: string[];
}

function chooseSheet(fileName: string, workbook: ExcelJS.Workbook, wanted: string | number | undefined): SheetChoice {
  const sheets = workbook.worksheets;
  const names = sheets.map((ws) => ws.name);
  if (sheets.length === 0) throw new ApiError('refused', `В книге «${fileName}» нет ни одного листа.`);
  const list = names.map((n) => `«${n}»`).join(', ');
  if (wanted === undefined) {
    // A hidden helper sheet in front is not what the user means by «the first sheet».
    const visible = sheets.find((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden');
    return { worksheet: visible ?? sheets[0]!, names };
  }
  if (typeof wanted === 'number') {
    const ws = Number.isInteger(wanted) ? sheets[wanted - 1] : undefined;
    if (!ws) throw new ApiError('refused', `В книге «${fileName}» нет листа № ${wanted}: листов ${sheets.length} (${list}).`);
    return { worksheet: ws, names };
  }
  const norm = (s: string) => s.normalize('NFC').replace(/\u00a0/g, ' ').trim().toLowerCase().replace(/ё/g, 'е');
  const ws = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => norm(s.name) === norm(wanted));
  if (!ws) throw new ApiError('refused', `В книге «${fileName}» нет листа «${wanted}». Листы в книге: ${list}.`);
  return { worksheet: ws, names };
}

/** Merges as exceljs keeps them: `_merges` holds ranges, the public model only A1 strings. */
function mergesOf(worksheet: ExcelJS.Worksheet): MergeRange[] {
  const internal = (worksheet as unknown as { _merges?: Record<string, { top: number; left: number; bottom: number; right: number }> })._merges;
  const ranges: MergeRange[] = [];
  if (internal && typeof internal === 'object') {
    for (const m of Object.values(internal)) {
      if (m && [m.top, m.left, m.bottom, m.right].every(Number.isInteger)) ranges.push({ top: m.top, left: m.left, bottom: m.bottom, right: m.right });
    }
  } else {
    for (const text of worksheet.model.merges ?? []) {
      const range = parseA1Range(text);
      if (range) ranges.push(range);
    }
  }
  return ranges.sort((a, b) => a.top - b.top || a.left - b.left);
}

function rowsOf(worksheet: ExcelJS.Worksheet): SheetRow[] {
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = rawOfCell(cell);
    });
    const trimmed = trimRow(Array.from(cells, (c) => c ?? null));
    if (trimmed.some((c) => !isBlank(c))) rows.push({ row: rowNumber, cells: trimmed });
  });
  return rows;
}

export async function readXlsx(fileName: string, bytes: Buffer, sheet?: string | number): Promise<TableFile> {
  let entries: string[];
  try {
    entries = (await walkZip(bytes, () => 'count')).entries.map((e) => e.path);
  } catch (error) {
    if (!(error instanceof ZipRefusal)) throw error;
    if (error.kind === 'hostile') throw hostileFile(fileName, error.reason);
    throw unreadableWorkbook(fileName, error.reason);
  }
  if (!entries.some((p) => p.toLowerCase() === 'xl/workbook.xml')) {
    const reason = entries.some((p) => p.toLowerCase() === 'xl/workbook.bin')
      ? 'это двоичная книга Excel (.xlsb)'
      : 'это ZIP-архив, но внутри нет книги Excel';
    throw unreadableWorkbook(fileName, reason);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw unreadableWorkbook(fileName, 'содержимое книги повреждено');
  }
  const { worksheet, names } = chooseSheet(fileName, workbook, sheet);
  const rows = rowsOf(worksheet);
  if (rows.length === 0) {
    const others = names.length > 1 ? ` Листы в книге: ${names.map((n) => `«${n}»`).join(', ')}.` : '';
    throw new ApiError('refused', `Лист «${worksheet.name}» книги «${fileName}» пустой.${others}`);
  }
  return { kind: 'xlsx', sheets: names, sheet: worksheet.name, rows, merges: mergesOf(worksheet) };
}
