import { describe, expect, it } from 'vitest';
import { readTable } from '../../main/exchange/read';
import { detectSeparator } from '../../main/exchange/read/csv';
import { firstInvalidUtf8 } from '../../main/exchange/read/encoding';
import { refusal } from '../support/refusal';

const cp1251 = (text: string) => Buffer.from(new Uint8Array([...text].map((ch) => cp1251Byte(ch))));

/** Windows-1251 for the characters these tests use: ASCII, А–я, Ё/ё. */
function cp1251Byte(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code;
  if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
  if (ch === 'Ё') return 0xa8;
  if (ch === 'ё') return 0xb8;
  throw new Error(`no cp1251 byte for ${ch}`);
}


describe('CSV reading', () => {
  it('keeps a quoted line break inside one cell and numbers rows by the line they start on', async () => {
    const text = 'Фамилия;Адрес;Пол\r\nИванов;"ул. Весны, 4\r\nкв. 25";м\r\n\r\nПетрова;"ул. ""Мира""";ж\r\n';
    const table = await readTable('список.csv', Buffer.from(text, 'utf8'));
    expect(table.kind).toBe('csv');
    expect(table.separator).toBe(';');
    expect(table.rows).toEqual([
      { row: 1, cells: ['Фамилия', 'Адрес', 'Пол'] },
      { row: 2, cells: ['Иванов', 'ул. Весны, 4\nкв. 25', 'м'] },
      { row: 5, cells: ['Петрова', 'ул. "Мира"', 'ж'] },
    ]);
    expect(table.sheets).toEqual(['список']);
    expect(table.merges).toEqual([]);
  });

  it('detects the separator outside quotes', () => {
    expect(detectSeparator('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectSeparator('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(detectSeparator('"a,b,c,d";x;y\n"1,2,3";2;3\n')).toBe(';');
    // A title line without separators does not decide; the table under it does.
    expect(detectSeparator('Список класса\n\nФамилия,Имя\nИванов,Иван\n')).toBe(',');
    // Commas in unquoted addresses outnumber the semicolons, but only the semicolon is steady.
    expect(detectSeparator('Фамилия;Адрес\nИванов;г. Красноярск, ул. Весны, д. 4\nПетров;г. Красноярск, ул. Мира, д. 1, кв. 2\n')).toBe(';');
    expect(detectSeparator('')).toBe(';');
  });

  it('reads ragged rows, drops empty ones and trailing empty cells', async () => {
    const table = await readTable('t.csv', Buffer.from('a,b,c\n1,,\n,,\n2,3,4,5\n', 'utf8'));
    expect(table.rows).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['1'] },
      { row: 4, cells: ['2', '3', '4', '5'] },
    ]);
  });

  it('takes valid UTF-8 (with or without BOM) as UTF-8', async () => {
    for (const bom of ['', '\uFEFF']) {
      const table = await readTable('t.csv', Buffer.from(`${bom}Класс;Фамилия\n5А;Ёлкин\n`, 'utf8'));
      expect(table.encoding).toBe('utf-8');
      expect(table.rows[0]!.cells).toEqual(['Класс', 'Фамилия']);
      expect(table.rows[1]!.cells).toEqual(['5А', 'Ёлкин']);
    }
  });

  it('detects Windows-1251 and honours an explicit Windows-1251 choice', async () => {
    const bytes = cp1251('Класс;Фамилия\r\n5А;Ёлкин\r\n');
    const auto = await readTable('t.csv', bytes);
    expect(auto.encoding).toBe('windows-1251');
    expect(auto.rows[1]!.cells).toEqual(['5А', 'Ёлкин']);
    const forced = await readTable('t.csv', bytes, { encoding: 'windows-1251' });
    expect(forced.rows).toEqual(auto.rows);
    // Forcing Windows-1251 on a UTF-8 file is the user's call: the text comes out as mojibake, not an error.
    const misread = await readTable('t.csv', Buffer.from('Фамилия\nИванов\n', 'utf8'), { encoding: 'windows-1251' });
    expect(misread.encoding).toBe('windows-1251');
    expect(misread.rows[0]!.cells[0]).not.toBe('Фамилия');
  });

  it('refuses forced UTF-8 on Windows-1251 bytes with a hint and the line', async () => {
    const bytes = Buffer.concat([Buffer.from('Class;Name\n1;2\n', 'utf8'), cp1251('5А;Иванов\n')]);
    const error = await refusal(readTable('t.csv', bytes, { encoding: 'utf-8' }));
    expect(error.message).toBe('Файл «t.csv» не в кодировке UTF-8 (неверные байты в строке 3). Выберите кодировку «Windows-1251» или «определить автоматически» и повторите.');
  });

  it('refuses binary files, UTF-16 text and an unclosed quote', async () => {
    const binary = Buffer.from([0x41, 0x3b, 0x42, 0x0a, 0x00, 0x01, 0x02]);
    expect((await refusal(readTable('data.csv', binary))).message).toContain('не похож на таблицу');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\n', 'utf16le')]);
    expect((await refusal(readTable('data.txt', utf16))).message).toContain('UTF-16');
    const open = Buffer.from('a;b\n1;2\n3;"не закрыто\n4;5\n', 'utf8');
    expect((await refusal(readTable('data.csv', open))).message).toBe('Файл «data.csv» не читается как CSV: кавычка, открытая в строке 3, нигде не закрыта.');
    expect((await refusal(readTable('data.csv', Buffer.from(';;;\r\n  \r\n', 'utf8')))).message).toBe('Файл «data.csv» пустой: в нём нет ни одной строки с данными.');
  });

  it('refuses files named as workbooks that are not ZIP', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    const error = await refusal(readTable('Список 5А.xlsx', pdf));
    expect(error.message).toBe(
      'Файл «Список 5А.xlsx» не читается как книга Excel (XLSX): это PDF-документ, а не таблица. Сохраните его заново в Excel или LibreOffice как .xlsx или .csv и повторите.',
    );
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await refusal(readTable('старый.xls', ole))).message).toContain('защищена паролем или сохранена в старом формате');
    expect((await refusal(readTable('пусто.xlsx', Buffer.alloc(0)))).message).toContain('файл пустой');
    expect((await refusal(readTable('список.xlsx', Buffer.from('Класс;Фамилия\n5А;Иванов\n')))).message).toContain('это текстовый файл (возможно, CSV');
    expect((await refusal(readTable('список.xlsx', Buffer.from([1, 0, 2, 0, 3])))).message).toContain('внутри нет ZIP-архива');
  });

  it('validates UTF-8 strictly', () => {
    expect(firstInvalidUtf8(Buffer.from('ok Ёж 😀', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xd0]))).toBe(1); // cut short
  });
});
