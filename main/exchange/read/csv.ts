import { parse } from 'csv-parse/sync';
import { ApiError } from '../../../common/api/errors';
import { isBlank, trimRow } from './cells';
import { decodeText, hasUtf16Bom, hasUtf8Bom } from './encoding';
import { MAX_INPUT_BYTES, formatMegabytes } from '../../../common/exchange/limits';
import type { RawCell, SheetRow, TableEncoding, TableFile } from './types';

/**
 * CSV → TableFile: encoding and separator detected (or the encoding given), RFC 4180 quoting with
 * line breaks inside quotes, and each record numbered by the line it starts on, as an editor shows it.
 */

const SEPARATORS = [';', '\t', ','] as const;
/** How many non-empty lines decide the separator. */
const SNIFF_LINES = 10;

/** Per-line counts of each candidate separator outside quotes, over the first non-empty lines. */
function separatorCounts(text: string): Map<string, number[]> {
  const counts = new Map<string, number[]>(SEPARATORS.map((s) => [s, []]));
  const current = new Map<string, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  let lineHasText = false;
  const endLine = () => {
    if (lineHasText) for (const sep of SEPARATORS) counts.get(sep)!.push(current.get(sep)!);
    for (const sep of SEPARATORS) current.set(sep, 0);
    lineHasText = false;
  };
  for (let i = 0; i < text.length && counts.get(';')!.length < SNIFF_LINES; i += 1) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') {
      endLine();
      continue;
    } else if (!quoted && current.has(ch)) current.set(ch, current.get(ch)! + 1);
    if (ch.trim() !== '') lineHasText = true;
  }
  if (counts.get(';')!.length < SNIFF_LINES) endLine();
  return counts;
}

/**
 * The separator that splits the most lines into the same number of cells — a real separator is
 * steady from line to line, while a comma in addresses or decimals («4,5») comes and goes. Ties go
 * to the larger total, then to `;` (what Russian Excel writes), tab, `,`.
 */
export function detectSeparator(text: string): string {
  const counts = separatorCounts(text);
  const score = (sep: string): [number, number] => {
    const perLine = counts.get(sep)!;
    const frequency = new Map<number, number>();
    for (const n of perLine) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    const steady = Math.max(0, ...frequency.values());
    return [steady, perLine.reduce((a, b) => a + b, 0)];
  };
  let best: string = SEPARATORS[0];
  let bestScore = score(best);
  for (const sep of SEPARATORS.slice(1)) {
    const next = score(sep);
    if (next[0] > bestScore[0] || (next[0] === bestScore[0] && next[1] > bestScore[1])) [best, bestScore] = [sep, next];
  }
  return best;
}

function sheetNameOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]*$/, '') || base;
}

/** Counts line breaks forward through the buffer; records arrive in order, so one pass serves all. */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}
  /** The line of the first non-break byte at or after `from` (blank lines before a record are skipped). */
  lineAt(from: number): number {
    let start = from;
    while (start < this.bytes.length && this.bytes[start] === 0x0a) start += 1;
    for (; this.offset < start; this.offset += 1) if (this.bytes[this.offset] === 0x0a) this.line += 1;
    return this.line;
  }
}

interface CsvRecord {
  record: string[];
  info: { bytes: number };
}

export function readCsvText(fileName: string, text: string): { rows: SheetRow[]; separator: string } {
  // One kind of line break makes line numbers and record ends unambiguous (files mix them).
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const separator = detectSeparator(body);
  const bytes = Buffer.from(body, 'utf8');
  let lastEnd = 0;
  let records: CsvRecord[];
  try {
    records = parse(bytes, {
      delimiter: separator,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      on_record: (record: string[], context) => {
        lastEnd = context.bytes;
        return record;
      },
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = new LineCounter(bytes).lineAt(lastEnd);
    const code = (error as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new ApiError('refused', `Файл «${fileName}» не читается как CSV: кавычка, открытая в строке ${line}, нигде не закрыта.`);
    }
    throw new ApiError('refused', `Файл «${fileName}» не читается как CSV: ошибка разметки в записи, начинающейся в строке ${line}.`);
  }
  const lines = new LineCounter(bytes);
  const rows: SheetRow[] = [];
  let start = 0;
  for (const { record, info } of records) {
    const row = lines.lineAt(start);
    start = info.bytes;
    const cells = trimRow(record.map((v): RawCell => (v === '' ? null : v)));
    if (cells.some((c) => !isBlank(c))) rows.push({ row, cells });
  }
  return { rows, separator };
}

export function readCsv(fileName: string, bytes: Buffer, encoding: 'auto' | TableEncoding = 'auto'): TableFile {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ApiError('refused', `Файл «${fileName}» отклонён: он больше ${formatMegabytes(MAX_INPUT_BYTES)} (${formatMegabytes(bytes.length)}).`);
  }
  if (hasUtf16Bom(bytes)) {
    throw new ApiError(
      'refused',
      `Файл «${fileName}» сохранён в кодировке UTF-16 («Текст Юникод»). Сохраните его как «CSV UTF-8» или «CSV (разделители — точка с запятой)» и повторите.`,
    );
  }
  if (bytes.includes(0)) throw new ApiError('refused', `Файл «${fileName}» не похож на таблицу (XLSX или CSV): в нём двоичные данные.`);
  // A UTF-8 BOM proves the encoding; with Windows-1251 forced it would read as «п»ї» in the first header.
  const input = encoding === 'windows-1251' && hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  const decoded = decodeText(input, encoding);
  if (!decoded.ok) {
    throw new ApiError(
      'refused',
      `Файл «${fileName}» не в кодировке UTF-8 (неверные байты в строке ${decoded.line}). Выберите кодировку «Windows-1251» или «определить автоматически» и повторите.`,
    );
  }
  const { rows, separator } = readCsvText(fileName, decoded.text);
  if (rows.length === 0) throw new ApiError('refused', `Файл «${fileName}» пустой: в нём нет ни одной строки с данными.`);
  const name = sheetNameOf(fileName);
  return { kind: 'csv', sheets: [name], sheet: name, rows, merges: [], encoding: decoded.encoding, separator };
}
