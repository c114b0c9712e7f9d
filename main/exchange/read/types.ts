/**
 * Shapes produced by the safe readers: a table (XLSX sheet or CSV) as rows of raw cells, and a
 * КИАСУО package as JSON entries.
 */

/** A cell as read: text, a number, or a real date cell as an ISO date (no time zone involved). */
export type RawCell = string | number | { date: string } | null;

export interface SheetRow {
  /** The row number as a spreadsheet (or a text editor, for CSV) shows it. */
  row: number;
  cells: RawCell[];
}

/** A merged block of cells, 1-based and inclusive, as the spreadsheet shows it. */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export type TableEncoding = 'utf-8' | 'windows-1251';

export interface TableFile {
  kind: 'xlsx' | 'csv';
  /** Every sheet of the workbook in tab order; for a CSV, the file name without extension. */
  sheets: string[];
  /** The sheet the rows come from. */
  sheet: string;
  /** Non-empty rows only; each row keeps its own number, so gaps show where empty rows were. */
  rows: SheetRow[];
  merges: MergeRange[];
  /** CSV only: how the bytes were decoded. */
  encoding?: TableEncoding;
  /** CSV only: the separator found (`;`, `,` or a tab). */
  separator?: string;
}

export interface ReadTableOptions {
  /** CSV only: `auto` (default) takes valid UTF-8 as UTF-8 and anything else as Windows-1251. */
  encoding?: 'auto' | TableEncoding;
  /** XLSX only: a sheet name, or its 1-based position among the tabs. Default: the first visible sheet. */
  sheet?: string | number;
}

export type PackageInput = { zip: Buffer; name?: string } | { folder: string };

/** Something in a package that was skipped rather than refused. */
export interface PackageWarning {
  entry: string;
  reason: string;
}

export interface PackageContents {
  /** Entry name (relative path inside the ZIP or file name in the folder) → parsed JSON. */
  entries: Map<string, unknown>;
  warnings: PackageWarning[];
}
