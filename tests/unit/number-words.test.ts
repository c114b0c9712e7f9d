import { describe, expect, it } from 'vitest';
import {
  countInWords,
  numberInWords,
  nounForm,
  SHEET_FORMS,
  sheetsInWords,
  type Gender,
} from '../../common/domain/number-words';

/**
 * An independent reference for 1 … 999 999, written differently on purpose: recursive descent
 * over the value (not digit groups), full words for 1–19 per gender, and the noun chosen from the
 * LAST WORD of the number read aloud (not from n mod 10 / mod 100 arithmetic).
 */
const BELOW_20: Record<'m' | 'f', readonly string[]> = {
  m: ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять', 'десять',
    'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать',
    'семнадцать', 'восемнадцать', 'девятнадцать'],
  f: ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять', 'десять',
    'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать',
    'семнадцать', 'восемнадцать', 'девятнадцать'],
};
const TENS_BY_VALUE = new Map([[20, 'двадцать'], [30, 'тридцать'], [40, 'сорок'], [50, 'пятьдесят'], [60, 'шестьдесят'], [70, 'семьдесят'], [80, 'восемьдесят'], [90, 'девяносто']]);
const HUNDREDS_BY_VALUE = new Map([[100, 'сто'], [200, 'двести'], [300, 'триста'], [400, 'четыреста'], [500, 'пятьсот'], [600, 'шестьсот'], [700, 'семьсот'], [800, 'восемьсот'], [900, 'девятьсот']]);

function refWords(n: number, g: 'm' | 'f'): string[] {
  if (n === 0) return [];
  if (n >= 1000) {
    const th = Math.floor(n / 1000);
    // «тысяча» is feminine, so its count is read in the feminine whatever g is.
    const countWords = refWords(th, 'f');
    return [...countWords, refNoun(countWords, ['тысяча', 'тысячи', 'тысяч']), ...refWords(n - th * 1000, g)];
  }
  if (n >= 100) {
    const h = n - (n % 100);
    return [HUNDREDS_BY_VALUE.get(h)!, ...refWords(n - h, g)];
  }
  if (n >= 20) {
    const t = n - (n % 10);
    return [TENS_BY_VALUE.get(t)!, ...refWords(n - t, g)];
  }
  return [BELOW_20[g][n]!];
}

/** One → singular, two/three/four → paucal, anything else (teens, tens, «тысяч», «ноль») → many. */
function refNoun(numberWords: readonly string[], forms: readonly [string, string, string]): string {
  const last = numberWords[numberWords.length - 1] ?? 'ноль';
  if (last === 'один' || last === 'одна' || last === 'одно') return forms[0];
  if (last === 'два' || last === 'две' || last === 'три' || last === 'четыре') return forms[1];
  return forms[2];
}

function reference(n: number, g: 'm' | 'f'): { words: string; noun: string } {
  const words = n === 0 ? ['ноль'] : refWords(n, g);
  return { words: words.join(' '), noun: refNoun(words, ['лист', 'листа', 'листов']) };
}

const GENDERS: readonly [Gender, 'm' | 'f'][] = [['masculine', 'm'], ['feminine', 'f']];

describe('number in words agrees with an independent implementation', () => {
  for (const [gender, g] of GENDERS) {
    it(`1–2000, ${gender}, with the noun «лист»`, () => {
      const mismatches: string[] = [];
      for (let n = 1; n <= 2000; n += 1) {
        const ref = reference(n, g);
        const got = countInWords(n, gender, SHEET_FORMS);
        const want = `${n} (${ref.words}) ${ref.noun}`;
        if (got !== want) mismatches.push(`${n}: «${got}» ≠ «${want}»`);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('also agrees on a spread of numbers up to 999 999', () => {
    for (let n = 2001; n < 1_000_000; n += 997) {
      for (const [gender, g] of GENDERS) expect(numberInWords(n, gender)).toBe(reference(n, g).words);
    }
  });
});

describe('number in words: hand-written expectations', () => {
  const masculine: [number, string][] = [
    [0, 'ноль'],
    [1, 'один'],
    [2, 'два'],
    [10, 'десять'],
    [11, 'одиннадцать'],
    [19, 'девятнадцать'],
    [20, 'двадцать'],
    [21, 'двадцать один'],
    [40, 'сорок'],
    [99, 'девяносто девять'],
    [100, 'сто'],
    [101, 'сто один'],
    [110, 'сто десять'],
    [156, 'сто пятьдесят шесть'],
    [200, 'двести'],
    [999, 'девятьсот девяносто девять'],
    [1000, 'одна тысяча'],
    [1001, 'одна тысяча один'],
    [2000, 'две тысячи'],
    [2002, 'две тысячи два'],
    [5000, 'пять тысяч'],
    [11_000, 'одиннадцать тысяч'],
    [21_000, 'двадцать одна тысяча'],
    [22_000, 'двадцать две тысячи'],
    [100_000, 'сто тысяч'],
    [1_000_000, 'один миллион'],
    [1_000_001, 'один миллион один'],
    [2_000_000, 'два миллиона'],
    [5_000_000, 'пять миллионов'],
    [11_000_000, 'одиннадцать миллионов'],
    [21_000_000, 'двадцать один миллион'],
    [2_001_000, 'два миллиона одна тысяча'],
    [999_999_999, 'девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч девятьсот девяносто девять'],
  ];
  it.each(masculine)('%i masculine → «%s»', (n, words) => {
    expect(numberInWords(n, 'masculine')).toBe(words);
  });

  it('feminine changes only «один/два» of the last group', () => {
    expect(numberInWords(1, 'feminine')).toBe('одна');
    expect(numberInWords(2, 'feminine')).toBe('две');
    expect(numberInWords(21, 'feminine')).toBe('двадцать одна');
    expect(numberInWords(2002, 'feminine')).toBe('две тысячи две');
    expect(numberInWords(1_000_001, 'feminine')).toBe('один миллион одна');
    expect(numberInWords(2_002_002, 'feminine')).toBe('два миллиона две тысячи две');
    expect(numberInWords(12, 'feminine')).toBe('двенадцать');
    expect(numberInWords(0, 'feminine')).toBe('ноль');
  });

  it('neuter: «одно», but «два» as in the masculine', () => {
    expect(numberInWords(1, 'neuter')).toBe('одно');
    expect(numberInWords(2, 'neuter')).toBe('два');
    expect(numberInWords(31, 'neuter')).toBe('тридцать одно');
    expect(numberInWords(1001, 'neuter')).toBe('одна тысяча одно');
    expect(numberInWords(2_000_002, 'neuter')).toBe('два миллиона два');
  });

  it('rejects what it cannot write, naming the value', () => {
    for (const bad of [-1, 1.5, 1_000_000_000, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => numberInWords(bad, 'masculine')).toThrow(/от 0 до 999 999 999/);
    }
    expect(() => numberInWords(1_000_000_000, 'masculine')).toThrow(/1000000000/);
  });
});

describe('noun form and the count on the certification sheet', () => {
  const cases: [number, string][] = [
    [0, 'листов'], [1, 'лист'], [2, 'листа'], [4, 'листа'], [5, 'листов'], [10, 'листов'],
    [11, 'листов'], [12, 'листов'], [13, 'листов'], [14, 'листов'], [15, 'листов'],
    [21, 'лист'], [22, 'листа'], [25, 'листов'], [101, 'лист'], [111, 'листов'], [112, 'листов'],
    [121, 'лист'], [1001, 'лист'], [1011, 'листов'], [2000, 'листов'], [1_000_000, 'листов'],
  ];
  it.each(cases)('%i → «%s»', (n, noun) => {
    expect(nounForm(n, SHEET_FORMS)).toBe(noun);
  });

  it('writes figures, words in brackets and the agreeing noun', () => {
    expect(sheetsInWords(21)).toBe('21 (двадцать один) лист');
    expect(sheetsInWords(22)).toBe('22 (двадцать два) листа');
    expect(sheetsInWords(25)).toBe('25 (двадцать пять) листов');
    expect(sheetsInWords(156)).toBe('156 (сто пятьдесят шесть) листов');
    expect(sheetsInWords(1001)).toBe('1001 (одна тысяча один) лист');
    expect(countInWords(2002, 'feminine', ['страница', 'страницы', 'страниц'])).toBe('2002 (две тысячи две) страницы');
  });
});
