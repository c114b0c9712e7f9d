import { ApiError } from '../../../common/api/errors';
import { readCsv } from './csv';
import { MAX_INPUT_BYTES, formatMegabytes } from '../../../common/exchange/limits';
import type { ReadTableOptions, TableFile } from './types';
import { notZipReason, readXlsx, unreadableWorkbook } from './xlsx';

/**
 * A spreadsheet file of any accepted kind → TableFile. The bytes decide (a ZIP is a workbook,
 * whatever its name); the name only says that a non-ZIP file was meant to be a workbook.
 */

const isZipStart = (bytes: Buffer) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
const WORKBOOK_NAME = /\.(xlsx|xlsm|xltx|xls|xlsb|ods)$/i;

export async function readTable(fileName: string, bytes: Buffer, opts: ReadTableOptions = {}): Promise<TableFile> {
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ApiError('refused', `Файл «${fileName}» отклонён: он больше ${formatMegabytes(MAX_INPUT_BYTES)} (${formatMegabytes(bytes.length)}).`);
  }
  if (isZipStart(bytes)) return readXlsx(fileName, bytes, opts.sheet);
  if (WORKBOOK_NAME.test(fileName)) throw unreadableWorkbook(fileName, notZipReason(bytes));
  return readCsv(fileName, bytes, opts.encoding ?? 'auto');
}
