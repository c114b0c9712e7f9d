import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * JSON parsed without losing digits: КИАСУО ids may come as bare numbers longer than a double
 * holds (formats.md), and they must survive as the exact digit string.
 */

/** Integers of more than this many digits are kept as text even when a double could hold them. */
const MAX_NUMBER_DIGITS = 15;

/** lossless-json number parser: safe numbers → number, anything that would lose digits → its text. */
export function parseJsonNumber(text: string): number | string {
  if (isInteger(text)) {
    const digits = text.replace(/^-/, '').replace(/^0+(?=\d)/, '');
    if (digits.length > MAX_NUMBER_DIGITS || !isSafeNumber(text)) return text;
    return Number(text);
  }
  return isSafeNumber(text) ? Number(text) : text;
}

export class JsonSyntaxProblem extends Error {
  readonly line: number;
  readonly column: number;
  /** Russian: «ошибка в строке 3, столбце 14 (неожиданный символ «,»)», or «файл пустой». */
  readonly where: string;
  constructor(line: number, column: number, where: string) {
    super(where);
    this.name = 'JsonSyntaxProblem';
    this.line = line;
    this.column = column;
    this.where = where;
  }
}

function describe(text: string, position: number, message: string): string {
  const duplicate = /^Duplicate key '(.*)' encountered/.exec(message);
  if (duplicate) return `ключ «${duplicate[1]}» повторяется с разными значениями`;
  const ch = text[position];
  if (ch === undefined) return 'текст обрывается раньше времени';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `управляющий символ с кодом ${code}`;
  return `неожиданный символ «${ch}»`;
}

function locate(text: string, position: number, message: string): JsonSyntaxProblem {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i += 1) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  const column = position - lineStart + 1;
  return new JsonSyntaxProblem(line, column, `ошибка в строке ${line}, столбце ${column} (${describe(text, position, message)})`);
}

/** Parses JSON text (a leading BOM allowed); a syntax error becomes a JsonSyntaxProblem with its place. */
export function parseLosslessJson(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return parse(body, undefined, parseJsonNumber);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (body.trim() === '') throw new JsonSyntaxProblem(1, 1, 'файл пустой');
    const at = /position (\d+)/.exec(message);
    throw locate(body, at ? Number(at[1]) : body.length, message);
  }
}
