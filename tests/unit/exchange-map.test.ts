import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import type { RawCell, SheetRow } from '../../main/exchange/read';
import { mapRows } from '../../main/exchange/map';
import { builtinProfile, copyProfile } from '../../main/exchange/profiles/builtin';

/** Rows as a reader gives them: numbered from `first`, empty lines as empty arrays. */
function sheet(first: number, ...lines: RawCell[][]): SheetRow[] {
  return lines.map((cells, i) => ({ row: first + i, cells }));
}

function refusedWith(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('refused');
    return (e as ApiError).message;
  }
  throw new Error('the file was not refused');
}

const lessons = builtinProfile('lessons');
const roster = builtinProfile('roster');

describe('mapRows: header row', () => {
  it('skips title rows, normalises headers and takes columns in any order', () => {
    const rows = sheet(
      1,
      ['Темы уроков 5А класса', null, null],
      [],
      ['Дата', 'тема  урока:', '\u00a0ПРЕДМЕТ ', 'класс', 'Учитель'],
      [{ date: '2025-09-01' }, 'Натуральные числа', 'Математика', '5А', 'Сорокина И. П.'],
    );
    const m = mapRows(lessons, rows);
    expect(m.headerRow).toBe(3);
    expect(m.columns).toEqual({ date: 0, topic: 1, subject: 2, classLabel: 3, teacher: 4 });
    expect(m.headers.topic).toBe('тема  урока:');
    expect(m.warnings).toEqual([]);
    expect(m.records).toEqual([
      {
        row: 4,
        values: { date: '2025-09-01', topic: 'Натуральные числа', subject: 'Математика', classLabel: { parallel: 5, letter: 'А' }, teacher: 'Сорокина И. П.' },
        groups: {},
        problems: [],
      },
    ]);
  });

  it('treats ё as е in headers', () => {
    const p = copyProfile(lessons, 'test', 'Тест');
    p.columns[3]!.headers = ['Тема урока (краткое содержание, ещё)'];
    const m = mapRows(p, sheet(1, ['Класс', 'Предмет', 'Дата', 'ТЕМА УРОКА (краткое содержание, ЕЩЁ)'], ['5А', 'Физика', '01.09.2025', 'Тема']));
    expect(m.columns.topic).toBe(3);
  });

  it('reports unknown and repeated columns as warnings, never errors', () => {
    const m = mapRows(lessons, sheet(1, ['Класс', 'Предмет', 'Дата', 'Тема урока', 'Примечание', 'Предмет'], ['5А', 'Физика', '01.09.2025', 'Тема', 'x', 'Химия']));
    expect(m.warnings).toEqual([
      { column: 'Примечание', reason: 'неизвестный столбец пропущен' },
      { column: 'Предмет', reason: 'столбец повторяется — взят первый, столбец 2' },
    ]);
    expect(m.records[0]!.values.subject).toBe('Физика');
  });

  it('refuses a file without a required column, naming it and the header row', () => {
    const rows = sheet(1, ['Отчёт'], ['Класс', 'Предмет', 'Тема урока'], ['5А', 'Физика', 'Тема']);
    expect(refusedWith(() => mapRows(lessons, rows))).toBe('В файле нет обязательного столбца «Дата» (строка заголовков 2).');
    const two = sheet(1, ['Класс', 'Предмет'], ['5А', 'Физика']);
    expect(refusedWith(() => mapRows(lessons, two))).toBe('В файле нет обязательных столбцов «Дата», «Тема урока» (строка заголовков 1).');
  });

  it('refuses a file with no header row at all', () => {
    expect(refusedWith(() => mapRows(lessons, sheet(1, ['a', 'b'], ['c', 'd'])))).toBe(
      'В файле не найдена строка заголовков: в первых 50 строках нет столбцов «Класс», «Предмет», «Дата», «Тема урока».',
    );
  });

  it('looks for the header only among the first rows the profile allows, or at the row it names', () => {
    const titles = Array.from({ length: 50 }, (_, i) => [`Заголовок ${i + 1}`]);
    const rows = sheet(1, ...titles, ['Класс', 'Предмет', 'Дата', 'Тема урока'], ['5А', 'Физика', '01.09.2025', 'Тема']);
    expect(() => mapRows(lessons, rows)).toThrow(ApiError);
    const wide = copyProfile(lessons, 'wide', 'Широкий поиск');
    wide.headerSearch = { maxRows: 60 };
    expect(mapRows(wide, rows).headerRow).toBe(51);
    const fixed = copyProfile(lessons, 'fixed', 'Строка 51');
    fixed.headerSearch = { row: 51 };
    expect(mapRows(fixed, rows).records).toHaveLength(1);
    fixed.headerSearch = { row: 52 };
    expect(refusedWith(() => mapRows(fixed, rows))).toBe('В файле нет обязательных столбцов «Класс», «Предмет», «Дата», «Тема урока» (строка заголовков 52).');
  });

  it('refuses a special-layout profile', () => {
    expect(refusedWith(() => mapRows(builtinProfile('kiasuo'), []))).toBe('Профиль «Пакет данных КИАСУО» читает файл особым образом, а не по столбцам таблицы.');
  });

  it('refuses final marks without any period column', () => {
    const rows = sheet(1, ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Предмет'], ['5А', 'Иванов', 'Иван', '01.01.2014', 'Физика']);
    expect(refusedWith(() => mapRows(builtinProfile('final-marks'), rows))).toMatch(/^В файле нет ни одного из столбцов «1 четверть», «2 четверть», .*«Итог» \(строка заголовков 1\)\.$/);
  });
});

describe('mapRows: records', () => {
  const header = ['Класс', 'Предмет', 'Дата', 'Тема урока', 'Номер урока'];

  it('skips empty rows and repeated header rows, and keeps the file’s row numbers', () => {
    const rows = sheet(1, header, ['5А', 'Физика', '01.09.2025', 'Тема 1', 1], [null, '', ' \u00a0', null, null], [...header], ['5А', 'Физика', '02.09.2025', 'Тема 2', '2']);
    const m = mapRows(lessons, rows);
    expect(m.records.map((r) => r.row)).toEqual([2, 5]);
    expect(m.records.map((r) => r.values.lessonNumber)).toEqual([1, 2]);
  });

  it('gives each bad cell a problem with the row, the column as written and the reason', () => {
    const rows = sheet(10, ['Класс', 'ПРЕДМЕТ', 'Дата:', 'Тема урока', 'Номер урока'], ['5А', '', '29.02.2025', 'Тема', 'второй'], ['5А', 'Физика', '1.9.25', 'Тема', null]);
    const m = mapRows(lessons, rows);
    expect(m.records[0]!.problems).toEqual([
      { row: 11, column: 'ПРЕДМЕТ', reason: 'обязательное поле не заполнено' },
      { row: 11, column: 'Дата:', reason: 'такой даты нет в календаре: 29.02.2025' },
      { row: 11, column: 'Номер урока', reason: 'ожидается целое число' },
    ]);
    expect(m.records[0]!.values).toMatchObject({ subject: null, date: null, lessonNumber: null, topic: 'Тема' });
    expect(m.records[1]).toMatchObject({ row: 12, problems: [], values: { date: '2025-09-01', lessonNumber: null } });
  });

  it('leaves out the fields whose columns the file lacks (an empty cell is null)', () => {
    const m = mapRows(lessons, sheet(1, ['Класс', 'Предмет', 'Дата', 'Тема урока'], ['5А', 'Физика', '01.09.2025', 'Тема']));
    expect(Object.keys(m.records[0]!.values).sort()).toEqual(['classLabel', 'date', 'subject', 'topic']);
  });
});

describe('mapRows: repeat groups', () => {
  const head = ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Представитель 1: Фамилия', 'Представитель 1: Имя', 'Представитель 1: Степень родства', 'Представитель 2: Фамилия', 'Представитель 2: Имя'];

  it('reads filled instances only, with their number', () => {
    const rows = sheet(
      1,
      head,
      ['5А', 'Иванов', 'Иван', '01.02.2014', 'Иванова', 'Мария', 'мать', '', ''],
      ['5А', 'Петров', 'Пётр', '01.03.2014', '', '', '', 'Петров', 'Олег'],
    );
    const m = mapRows(roster, rows);
    expect(m.columns['guardians.2.firstName']).toBe(8);
    expect(m.records[0]!.groups).toEqual({ guardians: [{ n: 1, values: { lastName: 'Иванова', firstName: 'Мария', kinship: 'мать' } }] });
    expect(m.records[1]!.groups).toEqual({ guardians: [{ n: 2, values: { lastName: 'Петров', firstName: 'Олег' } }] });
  });

  it('requires the required fields in a filled instance', () => {
    const m = mapRows(roster, sheet(1, head, ['5А', 'Иванов', 'Иван', '01.02.2014', '', '', 'папа', '', '']));
    expect(m.records[0]!.problems).toEqual([
      { row: 2, column: 'Представитель 1: Фамилия', reason: 'обязательное поле не заполнено' },
      { row: 2, column: 'Представитель 1: Имя', reason: 'обязательное поле не заполнено' },
    ]);
    expect(m.records[0]!.groups.guardians![0]!.values.kinship).toBe('отец');
  });

  it('refuses an instance whose required column is missing from the file', () => {
    const rows = sheet(1, ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Представитель 2: Телефон'], ['5А', 'Иванов', 'Иван', '01.02.2014', '+79131234567']);
    expect(refusedWith(() => mapRows(roster, rows))).toBe(
      'В файле нет обязательного столбца «Представитель 2: Фамилия»: без него не прочитать остальные столбцы этой группы (строка заголовков 1).',
    );
  });
});
