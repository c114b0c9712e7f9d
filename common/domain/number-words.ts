/**
 * Russian cardinal numbers in words (прописью), 0 … 999 999 999, for the certification sheet
 * (лист-заверитель) of an archive volume and any other printed count. Pure, no Node imports.
 *
 * The number is split into groups of three digits (units, thousands, millions). Each group is
 * read as hundreds + tens + units; only the units of a group carry gender: the lowest group
 * takes the gender of the counted noun, the thousands group is feminine («тысяча»: одна тысяча,
 * две тысячи), the millions group masculine («миллион»: один миллион, два миллиона). The scale
 * word agrees with its group by the ordinary plural rule (одна тысяча, две тысячи, пять тысяч,
 * одиннадцать тысяч, двадцать одна тысяча). A group of zero is left out; «ноль» only for 0.
 * «Одна тысяча» / «один миллион» are written out, as customary in documents, not bare «тысяча».
 */
import { plural } from './russian';

export type Gender = 'masculine' | 'feminine' | 'neuter';

/** Three noun forms for 1, 2 and 5 (лист, листа, листов). */
export type NounForms = readonly [string, string, string];

export const MAX_NUMBER_IN_WORDS = 999_999_999;

/** «лист» is masculine: один лист, два листа, пять листов. */
export const SHEET_FORMS: NounForms = ['лист', 'листа', 'листов'];
export const SHEET_GENDER: Gender = 'masculine';

const ONE: Record<Gender, string> = { masculine: 'один', feminine: 'одна', neuter: 'одно' };
const TWO: Record<Gender, string> = { masculine: 'два', feminine: 'две', neuter: 'два' };
// Index = digit; 1 and 2 come from ONE/TWO because they depend on gender.
const UNITS = ['', '', '', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const TEENS = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

/** Scale groups above the units, lowest first, with the gender their numerals take. */
const SCALES: readonly { forms: NounForms; gender: Gender }[] = [
  { forms: ['тысяча', 'тысячи', 'тысяч'], gender: 'feminine' },
  { forms: ['миллион', 'миллиона', 'миллионов'], gender: 'masculine' },
];

function unitWord(digit: number, gender: Gender): string {
  if (digit === 1) return ONE[gender];
  if (digit === 2) return TWO[gender];
  return UNITS[digit] ?? '';
}

/** Words of 1 … 999 (a group of three digits); empty for 0. */
function groupWords(n: number, gender: Gender): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) words.push(HUNDREDS[hundreds] ?? '');
  if (rest >= 10 && rest < 20) words.push(TEENS[rest - 10] ?? '');
  else {
    const tens = Math.floor(rest / 10);
    const units = rest % 10;
    if (tens > 0) words.push(TENS[tens] ?? '');
    if (units > 0) words.push(unitWord(units, gender));
  }
  return words;
}

function assertCountable(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_NUMBER_IN_WORDS) {
    throw new RangeError(`Число прописью: ожидалось целое от 0 до 999 999 999, получено ${String(n)}`);
  }
}

/** numberInWords(21, 'masculine') → «двадцать один»; numberInWords(2002, 'feminine') → «две тысячи две». */
export function numberInWords(n: number, gender: Gender): string {
  assertCountable(n);
  if (n === 0) return 'ноль';
  const words = groupWords(n % 1000, gender);
  let rest = Math.floor(n / 1000);
  for (const scale of SCALES) {
    if (rest === 0) break;
    const group = rest % 1000;
    if (group > 0) words.unshift(...groupWords(group, scale.gender), plural(group, scale.forms));
    rest = Math.floor(rest / 1000);
  }
  return words.join(' ');
}

/** The noun form that agrees with n: nounForm(21, SHEET_FORMS) → «лист», 22 → «листа», 25 → «листов». */
export function nounForm(n: number, forms: NounForms): string {
  return plural(n, forms);
}

/**
 * The count in figures, in words in brackets, and the agreeing noun:
 * countInWords(21, 'masculine', SHEET_FORMS) → «21 (двадцать один) лист». Figures carry no
 * thousands separator («1001 (одна тысяча один) лист»), as handwritten on certification sheets.
 */
export function countInWords(n: number, gender: Gender, forms: NounForms): string {
  return `${n} (${numberInWords(n, gender)}) ${nounForm(n, forms)}`;
}

/**
 * The sheet count as it stands on the certification sheet (лист-заверитель), after the fixed
 * words of the customary text (domain.md, «Printing for the archive»):
 *   «В настоящем журнале пронумеровано, прошнуровано и скреплено печатью 21 (двадцать один) лист.»
 *   «… скреплено печатью 22 (двадцать два) листа.»
 *   «… скреплено печатью 25 (двадцать пять) листов.»
 *   «… скреплено печатью 156 (сто пятьдесят шесть) листов.»
 * The participles stay in the impersonal neuter form («пронумеровано») whatever the number —
 * that is the fixed wording of the form; only the number and the noun change.
 */
export function sheetsInWords(sheets: number): string {
  return countInWords(sheets, SHEET_GENDER, SHEET_FORMS);
}
