import { describe, expect, it } from 'vitest';
import type { ConversionName } from '../../common/exchange/conversions';
import type { RawCell } from '../../main/exchange/read';
import { cellText, CONVERSIONS, convertCell, isEmptyCell } from '../../main/exchange/convert';

type Case = [cell: RawCell, expected: { value: unknown } | { reason: string }];

const DATE_EXPECTED = 'дата не распознана: ожидается ДД.ММ.ГГГГ';

const CASES: Record<ConversionName, Case[]> = {
  text: [
    ['  Иванов\u00a0Иван  ', { value: 'Иванов Иван' }],
    ['улица\t \tВесны', { value: 'улица Весны' }],
    ['строка 1 \r\n строка 2', { value: 'строка 1\nстрока 2' }],
    [591376, { value: '591376' }],
    [1e20, { value: '100000000000000000000' }],
    [{ date: '2014-03-11' }, { value: '11.03.2014' }],
    ['я'.repeat(10_001), { reason: 'текст длиннее 10000 символов' }],
  ],
  integer: [
    ['2', { value: 2 }],
    [7, { value: 7 }],
    [' 12 ', { value: 12 }],
    ['2.5', { reason: 'ожидается целое число' }],
    [-1, { reason: 'ожидается целое число' }],
    ['второй', { reason: 'ожидается целое число' }],
  ],
  date: [
    ['11.03.2014', { value: '2014-03-11' }],
    ['1.3.2014', { value: '2014-03-01' }],
    ['1.3.14', { value: '2014-03-01' }],
    ['01.09.75', { value: '1975-09-01' }],
    ['31.12.50', { value: '2050-12-31' }],
    ['01.01.51', { value: '1951-01-01' }],
    ['2014-03-11', { value: '2014-03-11' }],
    ['11.03.2014 г.', { value: '2014-03-11' }],
    ['11.03.2014 0:00:00', { value: '2014-03-11' }],
    ['2014-03-11T23:30:00+07:00', { value: '2014-03-11' }],
    [{ date: '2014-03-11' }, { value: '2014-03-11' }],
    [{ date: '2025-02-29' }, { reason: 'такой даты нет в календаре: 29.02.2025' }],
    ['29.02.2024', { value: '2024-02-29' }],
    ['29.02.2025', { reason: 'такой даты нет в календаре: 29.02.2025' }],
    ['29.02.1900', { reason: 'такой даты нет в календаре: 29.02.1900' }],
    ['31.04.2014', { reason: 'такой даты нет в календаре: 31.04.2014' }],
    ['2014-13-01', { reason: 'такой даты нет в календаре: 2014-13-01' }],
    ['11/03/2014', { reason: DATE_EXPECTED }],
    ['март 2014', { reason: DATE_EXPECTED }],
    ['11.03.201', { reason: DATE_EXPECTED }],
    ['01.01.1850', { reason: 'дата вне допустимого диапазона 1900–2100 годов: 01.01.1850' }],
    // Excel serial day numbers (a number cell formatted as a number instead of a date).
    [45658, { value: '2025-01-01' }],
    [45658.99, { value: '2025-01-01' }],
    [41709, { value: '2014-03-11' }],
    [1, { value: '1900-01-01' }],
    [59, { value: '1900-02-28' }],
    [60, { reason: 'такой даты нет в календаре: 29.02.1900' }],
    [61, { value: '1900-03-01' }],
    [0, { reason: DATE_EXPECTED }],
    [-5, { reason: DATE_EXPECTED }],
    [20140311, { reason: 'дата вне допустимого диапазона 1900–2100 годов' }],
  ],
  gender: [
    ['м', { value: 'м' }],
    ['Ж', { value: 'ж' }],
    ['муж', { value: 'м' }],
    ['Жен.', { value: 'ж' }],
    ['мужской', { value: 'м' }],
    ['Женский', { value: 'ж' }],
    ['мальчик', { reason: 'пол: м или ж' }],
    ['m', { reason: 'пол: м или ж' }],
  ],
  snils: [
    ['112-233-445 95', { value: '11223344595' }],
    ['11223344595', { value: '11223344595' }],
    [' 112 233 445 95 ', { value: '11223344595' }],
    ['024-841-558 48', { value: '02484155848' }],
    // A number cell dropped the leading zero of 024…: it is put back.
    [2484155848, { value: '02484155848' }],
    [11223344595, { value: '11223344595' }],
    ['112-233-445 96', { reason: 'неверная контрольная сумма СНИЛС' }],
    ['112-233-445', { reason: 'СНИЛС — 11 цифр (можно с дефисами и пробелами)' }],
    ['112.233.445 95', { reason: 'СНИЛС — 11 цифр (можно с дефисами и пробелами)' }],
    [1.5, { reason: 'СНИЛС — 11 цифр (можно с дефисами и пробелами)' }],
  ],
  classLabel: [
    ['5А', { value: { parallel: 5, letter: 'А' } }],
    ['5 «А»', { value: { parallel: 5, letter: 'А' } }],
    ['5-А', { value: { parallel: 5, letter: 'А' } }],
    ['5 а', { value: { parallel: 5, letter: 'А' } }],
    ['11Б', { value: { parallel: 11, letter: 'Б' } }],
    [5, { reason: 'класс не распознан: ожидается номер и буква, например 5А' }],
    ['12А', { reason: 'класс не распознан: ожидается номер и буква, например 5А' }],
  ],
  phone: [
    ['+7 969 481-88-53', { value: '+79694818853' }],
    ['8 (913) 123-45-67', { value: '+79131234567' }],
    [89131234567, { value: '+79131234567' }],
    ['9131234567', { value: '+79131234567' }],
    ['123-45', { reason: 'телефон: 10 цифр после +7, например +7 913 123-45-67' }],
  ],
  email: [
    [' Smirnova.M83@Example.RU ', { value: 'smirnova.m83@example.ru' }],
    ['mailto:a@b.ru', { value: 'a@b.ru' }],
    ['нет почты', { reason: 'адрес электронной почты вида name@example.ru' }],
    ['a@b', { reason: 'адрес электронной почты вида name@example.ru' }],
  ],
  kinship: [
    ['мать', { value: 'мать' }],
    ['Отец', { value: 'отец' }],
    ['опекун', { value: 'опекун' }],
    ['Попечитель', { value: 'попечитель' }],
    ['иное', { value: 'иное' }],
    ['мама', { value: 'мать' }],
    ['сосед', { reason: 'степень родства: мать, отец, опекун, попечитель или иное' }],
  ],
  documentKind: [
    ['Свидетельство о рождении', { value: 'birth_certificate' }],
    ['паспорт гражданина РФ', { value: 'passport' }],
    ['Паспорт', { value: 'passport' }],
    ['иной документ', { value: 'foreign' }],
    ['справка', { reason: 'вид документа: свидетельство о рождении, паспорт или иной документ' }],
  ],
  accessRole: [
    ['Обучающийся', { value: 'pupil' }],
    ['Родитель', { value: 'guardian' }],
    ['Законный  представитель', { value: 'guardian' }],
    ['Учитель', { reason: 'роль: Обучающийся, Родитель или Законный представитель' }],
  ],
  mark: [
    ['5', { value: 5 }],
    [1, { value: 1 }],
    [' 3 ', { value: 3 }],
    ['6', { reason: 'отметка: число от 1 до 5' }],
    [0, { reason: 'отметка: число от 1 до 5' }],
    [4.5, { reason: 'отметка: число от 1 до 5' }],
    ['Н', { reason: 'отметка: число от 1 до 5' }],
  ],
  finalMark: [
    ['5', { value: 5 }],
    [2, { value: 2 }],
    ['зач', { value: 'зач' }],
    ['Зачёт', { value: 'зач' }],
    ['н/а', { value: 'н/а' }],
    ['Н/А', { value: 'н/а' }],
    ['осв', { value: 'осв' }],
    ['освобождена', { value: 'осв' }],
    ['1', { reason: 'итоговая отметка: 2–5, зач, н/а или осв' }],
    ['6', { reason: 'итоговая отметка: 2–5, зач, н/а или осв' }],
    ['отл', { reason: 'итоговая отметка: 2–5, зач, н/а или осв' }],
    ['constructor', { reason: 'итоговая отметка: 2–5, зач, н/а или осв' }],
  ],
  attendance: [
    ['Н', { value: 'Н' }],
    ['б', { value: 'Б' }],
    ['У', { value: 'У' }],
    ['о', { value: 'О' }],
    // Latin H typed on the wrong keyboard layout.
    ['H', { value: 'Н' }],
    ['П', { reason: 'отметка посещаемости: Н, Б, У или О' }],
    ['5', { reason: 'отметка посещаемости: Н, Б, У или О' }],
  ],
};

describe('conversions', () => {
  for (const [name, cases] of Object.entries(CASES) as [ConversionName, Case[]][]) {
    describe(name, () => {
      it.each(cases.map(([cell, expected]) => ({ cell, expected, title: JSON.stringify(cell).slice(0, 40) })))('$title', ({ cell, expected }) => {
        const result = convertCell(name, cell);
        if ('value' in expected) expect(result).toEqual({ ok: true, value: expected.value });
        else expect(result).toEqual({ ok: false, reason: expected.reason });
      });
    });
  }

  it('refuses an empty cell in every conversion instead of inventing a value', () => {
    for (const conversion of Object.values(CONVERSIONS)) {
      expect(conversion(null)).toEqual({ ok: false, reason: 'значение не заполнено' });
      expect(conversion(' \u00a0 ')).toEqual({ ok: false, reason: 'значение не заполнено' });
    }
  });

  it('knows empty cells and writes cells as text', () => {
    expect(isEmptyCell(null)).toBe(true);
    expect(isEmptyCell('\u00a0')).toBe(true);
    expect(isEmptyCell(0)).toBe(false);
    expect(cellText({ date: '2025-09-01' })).toBe('01.09.2025');
    expect(cellText(' 5А\u00a0')).toBe('5А');
  });

  it('never shifts a date, whatever the time of day on the serial', () => {
    for (let serial = 45658; serial < 45658 + 400; serial += 1) {
      const day = convertCell('date', serial);
      const late = convertCell('date', serial + 0.999);
      expect(late).toEqual(day);
    }
  });

  it('gives the same days in any time zone of the computer', () => {
    const cells: RawCell[] = [45658, 45658.5, '11.03.2014', '1.3.14', '2014-03-11', { date: '2014-03-11' }, '29.02.2024'];
    const saved = process.env.TZ;
    try {
      const seen = ['UTC', 'Asia/Krasnoyarsk', 'America/Los_Angeles', 'Pacific/Kiritimati'].map((tz) => {
        process.env.TZ = tz;
        return cells.map((c) => convertCell('date', c));
      });
      for (const s of seen) expect(s).toEqual(seen[0]);
      expect(seen[0]!.map((r) => (r.ok ? r.value : r.reason))).toEqual(['2025-01-01', '2025-01-01', '2014-03-11', '2014-03-01', '2014-03-11', '2014-03-11', '2024-02-29']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
