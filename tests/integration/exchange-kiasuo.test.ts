import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSafeNumber, parse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseKiasuoPackage } from '../../main/exchange/layouts/kiasuo';

const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
const FOLDER = resolve(FIXTURES, 'kiasuo');
const HAVE_FIXTURE = existsSync(FOLDER);
if (!HAVE_FIXTURE) console.log(`Пропуск: нет образца ${FOLDER} (клон без ../shared).`);

/** As the package reader parses: integers that do not fit a double stay text, digit for digit. */
const lossless = (text: string): unknown => parse(text, undefined, (value) => (isSafeNumber(value) ? Number(value) : value));

describe.skipIf(!HAVE_FIXTURE)('kiasuo package: the shared sample', () => {
  it('gives the counts of expected.json with no problems', () => {
    const expected = (JSON.parse(readFileSync(resolve(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>)['kiasuo']!;
    const entries = new Map(readdirSync(FOLDER).map((f) => [f, lossless(readFileSync(resolve(FOLDER, f), 'utf8'))]));
    const pkg = parseKiasuoPackage(entries);
    expect(pkg.problems).toEqual([]);
    expect({
      classes: pkg.classes.length,
      periods: pkg.periods.length,
      pupils: pkg.students.length,
      marks: pkg.marks.length,
      attendance: pkg.attendance.length,
      finalMarks: pkg.finalMarks.length,
    }).toEqual(expected);
    expect(pkg.students[0]!.id).toBe('10000000000455007');
  });
});

describe('kiasuo package: ids and checks', () => {
  it('keeps a 19-digit id given as a bare JSON number, digit for digit', () => {
    const entries = new Map<string, unknown>([
      ['school_classes.json', lossless('[{"id": 1234567890123456789, "name": "5А", "study_year": "2025/2026"}]')],
      ['students.json', lossless('[{"id": 9007199254740993, "last_name": "Ёлкина", "first_name": "Алёна", "birth_date": "2014-05-03", "school_class": 1234567890123456789}]')],
    ]);
    const pkg = parseKiasuoPackage(entries);
    expect(pkg.problems).toEqual([]);
    expect(pkg.classes[0]!.id).toBe('1234567890123456789');
    expect(pkg.students[0]).toMatchObject({ id: '9007199254740993', school_class: '1234567890123456789' });
  });

  it('names the file, the record and the field of every problem', () => {
    const entries = new Map<string, unknown>([
      ['school_classes.json', [{ id: '1', name: '5А', study_year: '2025-2026' }]],
      ['students.json', [{ id: '7', last_name: 'Петров', first_name: 'Пётр', birth_date: '03.05.2014', school_class: '2' }]],
    ]);
    const pkg = parseKiasuoPackage(entries);
    expect(pkg.problems).toEqual([
      { file: 'school_classes.json', item: 1, field: 'study_year', reason: 'учебный год в виде 2025/2026' },
      { file: 'students.json', item: 1, field: 'birth_date', reason: 'дата в виде ГГГГ-ММ-ДД' },
    ]);
    expect(parseKiasuoPackage(new Map()).problems.map((p) => p.file)).toEqual(['school_classes.json', 'students.json']);
  });
});
