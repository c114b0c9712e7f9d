import { ApiError } from '../../common/api/errors';
import { PREVIEW_ROWS, type exchangePreviewMethods } from '../../common/api/exchange-preview-contract';
import type { Handler } from '../context';
import { cellText } from '../exchange/convert';
import { readTable } from '../exchange/read';

type Methods = keyof typeof exchangePreviewMethods;

/**
 * The first rows of a table file for the mapping screen. A read: nothing is stored and nothing
 * is audited (the file's values go back only to the window that sent them).
 */
const preview: Handler<'exchange.preview'> = async (_ctx, params) => {
  const bytes = Buffer.from(params.contentBase64, 'base64');
  if (bytes.length === 0) throw new ApiError('refused', `Файл «${params.fileName}» пуст.`);
  const file = await readTable(params.fileName, bytes, { encoding: params.encoding ?? 'auto', ...(params.sheet !== undefined ? { sheet: params.sheet } : {}) });
  return {
    kind: file.kind,
    sheets: file.sheets,
    sheet: file.sheet,
    rows: file.rows.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.row, cells: r.cells.map(cellText) })),
  };
};

export const exchangePreviewHandlers: { [M in Methods]: Handler<M> } = {
  'exchange.preview': preview,
};
