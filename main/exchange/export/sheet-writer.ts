import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Job } from '../../jobs/registry';
import { needsNeutralising, neutralise } from './safe-text';

/** What a long export reports to (main/jobs): progress, and the points where a cancel stops it. */
export type ExportJob = Pick<Job, 'progress' | 'checkpoint'>;

/**
 * The one way exports write a spreadsheet (formats.md, «Built-in export profiles»): a header row
 * in bold, frozen, with a filter; dates as real date cells shown dd.mm.yyyy; codes (СНИЛС,
 * document and order numbers) as text cells that no spreadsheet turns into numbers; every text
 * that could start a formula neutralised.
 */

/**
 * - `text`: free text (names, addresses), neutralised when it starts like a formula;
 * - `code`: text that looks like a number but is not one (СНИЛС, «000123»): text format `@`;
 * - `date`: an ISO day 'YYYY-MM-DD', written as a date cell;
 * - `number`: a count.
 */
export type ColumnKind = 'text' | 'code' | 'date' | 'number';

export interface ExportColumn {
  header: string;
  kind: ColumnKind;
}

/** A cell's value before writing: text, a number, or an ISO day for a `date` column; null for empty. */
export type ExportValue = string | number | null;

export interface ExportSheet {
  /** The sheet's name (at most 31 characters, no []:*?/\ — Excel's rule). */
  name: string;
  columns: readonly ExportColumn[];
  rows: readonly (readonly ExportValue[])[];
}

const DATE_FORMAT = 'dd.mm.yyyy';
const TEXT_FORMAT = '@';
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/**
 * The day as a date cell value. A spreadsheet date carries no time zone; exceljs converts a
 * Date through its UTC time, so midnight UTC of the day is written and no zone shifts it.
 */
function dateCell(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`export: not an ISO day in a date column: ${iso.length} characters`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** What a column shows, in characters, for its width. */
function shownLength(kind: ColumnKind, value: ExportValue): number {
  if (value === null) return 0;
  if (kind === 'date') return DATE_FORMAT.length;
  return String(value).length;
}

/** How often a long export reports progress and lets a cancel through: every this many rows. */
const CHECKPOINT_ROWS = 500;

export async function writeWorkbook(sheet: ExportSheet, job?: ExportJob): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Канцелярия';
  const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  const widths = sheet.columns.map((c) => c.header.length);

  const header = ws.addRow(sheet.columns.map((c) => c.header));
  header.font = { bold: true };

  let neutralised = 0;
  for (let r = 0; r < sheet.rows.length; r += 1) {
    if (job && r % CHECKPOINT_ROWS === 0) {
      job.progress(r, sheet.rows.length, 'Запись файла');
      await job.checkpoint();
    }
    const values = sheet.rows[r]!;
    const row = ws.addRow([]);
    sheet.columns.forEach((column, i) => {
      const value = values[i] ?? null;
      widths[i] = Math.max(widths[i] ?? 0, shownLength(column.kind, value));
      if (value === null || value === '') return;
      const cell = row.getCell(i + 1);
      if (column.kind === 'date') {
        cell.value = dateCell(String(value));
        cell.numFmt = DATE_FORMAT;
      } else if (column.kind === 'number') {
        cell.value = typeof value === 'number' ? value : Number(value);
      } else {
        const text = String(value);
        cell.value = neutralise(text);
        if (column.kind === 'code') cell.numFmt = TEXT_FORMAT;
        if (needsNeutralising(text)) {
          cell.numFmt = TEXT_FORMAT;
          // The marker of a neutralised cell: exceljs cannot write Excel's quotePrefix, so the
          // style is found by this (otherwise unused) protection entry and completed below.
          cell.protection = { locked: true };
          neutralised += 1;
        }
      }
    });
  }

  sheet.columns.forEach((_, i) => {
    ws.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (widths[i] ?? 0) + 2));
  });
  if (sheet.columns.length > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  }
  const written = Buffer.from(await wb.xlsx.writeBuffer());
  return neutralised > 0 ? addQuotePrefix(written) : written;
}

/**
 * Sets Excel's `quotePrefix` on the styles of neutralised cells (those with the protection
 * marker): with it, a user who edits such a cell and presses Enter still gets text, not a
 * formula. Only xl/styles.xml changes; the rest of the package is kept as written.
 */
async function addQuotePrefix(xlsx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const stylesFile = zip.file('xl/styles.xml');
  if (!stylesFile) throw new Error('export: the workbook has no xl/styles.xml');
  const styles = await stylesFile.async('string');
  let marked = 0;
  const updated = styles.replace(/<cellXfs\b[\s\S]*?<\/cellXfs>/, (section) =>
    section.replace(/<xf\b[^>]*>/g, (tag) => {
      if (!/\bapplyProtection="1"/.test(tag) || /\bquotePrefix=/.test(tag)) return tag;
      marked += 1;
      return tag.replace(/^<xf\b/, '<xf quotePrefix="1"');
    }),
  );
  if (marked === 0) throw new Error('export: the style of neutralised cells was not found');
  zip.file('xl/styles.xml', updated);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
