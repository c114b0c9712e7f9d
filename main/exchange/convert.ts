import { KINSHIPS, type Kinship } from '../../common/api/contingent';
import type { AttendanceCode, ConversionName, ConversionValues, FinalMark } from '../../common/exchange/conversions';
import { EMAIL_PATTERN, isRealIsoDate, normalizePhone } from '../../common/domain/person';
import { parseClassLabel } from '../../common/domain/russian';
import { isValidSnils, normalizeSnils } from '../../common/domain/snils';
import type { RawCell } from './read';

/**
 * Value conversions of the import profiles: one raw cell in, a value or a Russian reason out.
 * They are called for non-empty cells only (mapRows decides what an empty cell means); given an
 * empty one they refuse it rather than invent a value.
 */

export type ConvertResult<T> = { ok: true; value: T } | { ok: false; reason: string };
export type Conversion<T> = (cell: RawCell) => ConvertResult<T>;

const ok = <T>(value: T): ConvertResult<T> => ({ ok: true, value });
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const EMPTY = fail('значение не заполнено');

/** Whether a cell holds nothing (null, or only spaces). */
export function isEmptyCell(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.replace(/[\u00a0\s]/g, '') === '');
}

/** A cell as text: non-breaking spaces made ordinary and trimmed; numbers in full; date cells as ДД.ММ.ГГГГ. */
export function cellText(cell: RawCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell.replace(/\u00a0/g, ' ').trim();
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? cell.toFixed(0) : String(cell);
  return cell.date.split('-').reverse().join('.');
}

/** Lower case, ё → е, single spaces, no trailing dot: for matching words like «Муж.» or «Законный  представитель». */
function word(cell: RawCell): string {
  return cellText(cell).toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').replace(/\.$/, '').trim();
}

const MAX_TEXT = 10_000;

const text: Conversion<string> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const value = cellText(cell)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u2000-\u200a\u202f]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
  return value.length > MAX_TEXT ? fail(`текст длиннее ${MAX_TEXT} символов`) : ok(value);
};

const integer: Conversion<number> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const t = cellText(cell);
  return /^\d{1,9}$/.test(t) ? ok(Number(t)) : fail('ожидается целое число');
};

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
const DATE_EXPECTED = 'дата не распознана: ожидается ДД.ММ.ГГГГ';
const DAY_MS = 86_400_000;

function checkedIso(iso: string, written: string): ConvertResult<string> {
  if (!isRealIsoDate(iso)) return fail(`такой даты нет в календаре: ${written}`);
  const year = Number(iso.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) return fail(`дата вне допустимого диапазона ${MIN_YEAR}–${MAX_YEAR} годов: ${written}`);
  return ok(iso);
}

/**
 * An Excel serial day number. Serial 1 is 1900-01-01; Excel counts a 29.02.1900 that never was
 * (serial 60), so later serials count from 1899-12-30. A time of day (the fraction) is dropped,
 * never rounded, so the day cannot move.
 */
function excelSerial(serial: number): ConvertResult<string> {
  if (!Number.isFinite(serial) || serial < 1) return fail(DATE_EXPECTED);
  const whole = Math.floor(serial);
  if (whole === 60) return fail('такой даты нет в календаре: 29.02.1900');
  const base = whole < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const ms = base + whole * DAY_MS;
  if (ms > Date.UTC(MAX_YEAR, 11, 31)) return fail(`дата вне допустимого диапазона ${MIN_YEAR}–${MAX_YEAR} годов`);
  return ok(new Date(ms).toISOString().slice(0, 10));
}

/**
 * dd.mm.yyyy, d.m.yy (00–50 → 20yy, 51–99 → 19yy), yyyy-mm-dd, real date cells and Excel serial
 * numbers. A trailing «г.» and a time of day after the date (as some exports write) are ignored.
 */
const date: Conversion<string> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  if (typeof cell === 'object' && cell !== null) return checkedIso(cell.date, cellText(cell));
  if (typeof cell === 'number') return excelSerial(cell);
  const written = cellText(cell);
  const t = written
    .replace(/\s*г\.?$/i, '')
    .replace(/(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/, '')
    .trim();
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(t);
  if (ru) {
    let year = Number(ru[3]);
    if (ru[3]!.length === 2) year += year <= 50 ? 2000 : 1900;
    return checkedIso(`${String(year).padStart(4, '0')}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}`, written);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return checkedIso(t, written);
  return fail(DATE_EXPECTED);
};

const GENDERS: Record<string, 'м' | 'ж'> = { м: 'м', муж: 'м', мужской: 'м', ж: 'ж', жен: 'ж', женский: 'ж' };
const gender: Conversion<'м' | 'ж'> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const g = GENDERS[word(cell)];
  return g ? ok(g) : fail('пол: м или ж');
};

/** СНИЛС with or without dashes and spaces; a number cell lost its leading zeros, which are put back. */
const snils: Conversion<string> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  let digits: string | null;
  if (typeof cell === 'number') digits = Number.isInteger(cell) && cell >= 0 && cell < 1e11 ? cell.toFixed(0).padStart(11, '0') : null;
  else digits = normalizeSnils(cellText(cell));
  if (digits === null) return fail('СНИЛС — 11 цифр (можно с дефисами и пробелами)');
  return isValidSnils(digits) ? ok(digits) : fail('неверная контрольная сумма СНИЛС');
};

const classLabel: Conversion<{ parallel: number; letter: string }> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const parsed = parseClassLabel(cellText(cell));
  return parsed ? ok(parsed) : fail('класс не распознан: ожидается номер и буква, например 5А');
};

const phone: Conversion<string> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const p = normalizePhone(cellText(cell));
  return p ? ok(p) : fail('телефон: 10 цифр после +7, например +7 913 123-45-67');
};

const email: Conversion<string> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const e = cellText(cell).replace(/^mailto:/i, '');
  return EMAIL_PATTERN.test(e) && e.length <= 200 ? ok(e.toLowerCase()) : fail('адрес электронной почты вида name@example.ru');
};

const KINSHIP_WORDS: Record<string, Kinship> = {
  ...Object.fromEntries(KINSHIPS.map((k) => [k, k])),
  мама: 'мать',
  папа: 'отец',
  опекунша: 'опекун',
  попечительница: 'попечитель',
  другое: 'иное',
  иной: 'иное',
  иная: 'иное',
};
const kinship: Conversion<Kinship> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const k = KINSHIP_WORDS[word(cell)];
  return k ? ok(k) : fail('степень родства: мать, отец, опекун, попечитель или иное');
};

const DOCUMENT_KINDS: Record<string, ConversionValues['documentKind']> = {
  'свидетельство о рождении': 'birth_certificate',
  'свидетельство о рождении рф': 'birth_certificate',
  'св-во о рождении': 'birth_certificate',
  паспорт: 'passport',
  'паспорт рф': 'passport',
  'паспорт гражданина рф': 'passport',
  'паспорт гражданина российской федерации': 'passport',
  'иной документ': 'foreign',
  'иностранный документ': 'foreign',
  'документ иностранного гражданина': 'foreign',
};
const documentKind: Conversion<ConversionValues['documentKind']> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const k = DOCUMENT_KINDS[word(cell)];
  return k ? ok(k) : fail('вид документа: свидетельство о рождении, паспорт или иной документ');
};

const ROLES: Record<string, 'pupil' | 'guardian'> = {
  обучающийся: 'pupil',
  обучающаяся: 'pupil',
  ученик: 'pupil',
  ученица: 'pupil',
  родитель: 'guardian',
  'законный представитель': 'guardian',
  представитель: 'guardian',
};
const accessRole: Conversion<'pupil' | 'guardian'> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const r = ROLES[word(cell)];
  return r ? ok(r) : fail('роль: Обучающийся, Родитель или Законный представитель');
};

const mark: Conversion<1 | 2 | 3 | 4 | 5> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const t = cellText(cell);
  return /^[1-5]$/.test(t) ? ok(Number(t) as 1 | 2 | 3 | 4 | 5) : fail('отметка: число от 1 до 5');
};

const FINAL_WORDS: Record<string, FinalMark> = {
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  зач: 'зач',
  зачет: 'зач',
  зачтено: 'зач',
  'н/а': 'н/а',
  'н\\а': 'н/а',
  'не аттестован': 'н/а',
  'не аттестована': 'н/а',
  осв: 'осв',
  освобожден: 'осв',
  освобождена: 'осв',
};
const finalMark: Conversion<FinalMark> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const m = Object.hasOwn(FINAL_WORDS, word(cell)) ? FINAL_WORDS[word(cell)] : undefined;
  return m !== undefined ? ok(m) : fail('итоговая отметка: 2–5, зач, н/а или осв');
};

/** Latin letters that look like the Cyrillic codes (typed on the wrong keyboard layout). */
const LOOKALIKES: Record<string, string> = { H: 'Н', O: 'О', Y: 'У' };
const attendance: Conversion<AttendanceCode> = (cell) => {
  if (isEmptyCell(cell)) return EMPTY;
  const t = cellText(cell).toUpperCase();
  const c = LOOKALIKES[t] ?? t;
  return c === 'Н' || c === 'Б' || c === 'У' || c === 'О' ? ok(c) : fail('отметка посещаемости: Н, Б, У или О');
};

export const CONVERSIONS: { readonly [K in ConversionName]: Conversion<ConversionValues[K]> } = {
  text,
  integer,
  date,
  gender,
  snils,
  classLabel,
  phone,
  email,
  kinship,
  documentKind,
  accessRole,
  mark,
  finalMark,
  attendance,
};

export function convertCell<K extends ConversionName>(name: K, cell: RawCell): ConvertResult<ConversionValues[K]> {
  return (CONVERSIONS[name] as Conversion<ConversionValues[K]>)(cell);
}
