import type { Kinship } from '../api/contingent';

/**
 * The names of the value conversions a profile column may use, and the value each produces.
 * The functions themselves live in main/exchange/convert.ts; the names are here because a
 * profile (a JSON file the user may edit or exchange) refers to them and the renderer shows them.
 */
export const CONVERSION_NAMES = [
  'text',
  'integer',
  'date',
  'gender',
  'snils',
  'classLabel',
  'phone',
  'email',
  'kinship',
  'documentKind',
  'accessRole',
  'mark',
  'finalMark',
  'attendance',
] as const;
export type ConversionName = (typeof CONVERSION_NAMES)[number];

/** What the user sees for each conversion on the mapping screen. */
export const CONVERSION_LABELS: Record<ConversionName, string> = {
  text: 'текст',
  integer: 'целое число',
  date: 'дата (ДД.ММ.ГГГГ, Д.М.ГГ, ГГГГ-ММ-ДД или ячейка-дата)',
  gender: 'пол (м/ж)',
  snils: 'СНИЛС',
  classLabel: 'класс (5А, 5 «А», 5-А)',
  phone: 'телефон',
  email: 'адрес электронной почты',
  kinship: 'степень родства',
  documentKind: 'вид документа',
  accessRole: 'роль (обучающийся или представитель)',
  mark: 'отметка 1–5',
  finalMark: 'итоговая отметка (2–5, зач, н/а, осв)',
  attendance: 'посещаемость (Н, Б, У, О)',
};

export type FinalMark = 2 | 3 | 4 | 5 | 'зач' | 'н/а' | 'осв';
export type AttendanceCode = 'Н' | 'Б' | 'У' | 'О';

/** The converted value of each conversion. */
export interface ConversionValues {
  /** Trimmed, non-breaking spaces made ordinary, runs of spaces and tabs collapsed; line breaks kept. */
  text: string;
  integer: number;
  /** 'YYYY-MM-DD', the day as written (never shifted by a time zone). */
  date: string;
  gender: 'м' | 'ж';
  /** 11 digits, no dashes or spaces, checksum verified. */
  snils: string;
  classLabel: { parallel: number; letter: string };
  /** '+7XXXXXXXXXX'. */
  phone: string;
  /** Lower case. */
  email: string;
  kinship: Kinship;
  documentKind: 'birth_certificate' | 'passport' | 'foreign';
  accessRole: 'pupil' | 'guardian';
  mark: 1 | 2 | 3 | 4 | 5;
  finalMark: FinalMark;
  attendance: AttendanceCode;
}
export type ConvertedValue = ConversionValues[ConversionName];
