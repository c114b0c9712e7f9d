import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINAL_MARK_PERIODS } from '../../common/exchange/entities';
import { profileFromJson, profileToJson } from '../../common/exchange/profile';
import { readTable, type SheetRow } from '../../main/exchange/read';
import { mapRows, type MappedTable } from '../../main/exchange/map';
import { builtinProfile, copyProfile } from '../../main/exchange/profiles/builtin';

const FIXTURES = resolve(__dirname, '../../../shared/fixtures');
const HAVE_FIXTURES = existsSync(FIXTURES);
if (!HAVE_FIXTURES) console.warn(`exchange-profiles.test: пропущено — нет общих образцов ${FIXTURES} (папка shared/ есть в CI)`);

interface Expected {
  roster: { pupils: number; guardians: number };
  'roster-cp1251': { pupils: number; guardians: number };
  lessons: { lessons: number };
  'access-codes': { codes: number };
  'final-marks': { finalMarks: number };
}

const rowsOf = async (file: string): Promise<SheetRow[]> => (await readTable(file, readFileSync(resolve(FIXTURES, file)))).rows;

/** Guardians worth counting: filled instances with a surname. */
const guardianCount = (m: MappedTable) => m.records.reduce((n, r) => n + (r.groups.guardians ?? []).filter((g) => g.values.lastName).length, 0);
const allProblems = (m: MappedTable) => m.records.flatMap((r) => r.problems);

describe.skipIf(!HAVE_FIXTURES)('import profiles on the shared fixtures', () => {
  let expected: Expected;
  let roster: MappedTable;

  beforeAll(async () => {
    expected = JSON.parse(readFileSync(resolve(FIXTURES, 'expected.json'), 'utf8')) as Expected;
    roster = mapRows(builtinProfile('roster'), await rowsOf('roster.xlsx'));
  });

  it('roster.xlsx: title rows skipped, every pupil and guardian read without problems', () => {
    expect(roster.headerRow).toBe(3);
    expect(roster.warnings).toEqual([]);
    expect(allProblems(roster)).toEqual([]);
    expect(roster.records).toHaveLength(expected.roster.pupils);
    expect(guardianCount(roster)).toBe(expected.roster.guardians);
    const first = roster.records[0]!;
    expect(first.values).toMatchObject({ lastName: 'Смирнова', birthDate: '2014-03-11', gender: 'ж', snils: '02484155848', classLabel: { parallel: 5, letter: 'А' } });
    expect(first.groups.guardians!.map((g) => [g.n, g.values.kinship])).toEqual([
      [1, 'мать'],
      [2, 'отец'],
    ]);
  });

  it('roster-cp1251.csv: the same people as the first rows of roster.xlsx, converted to the same values', async () => {
    const csv = mapRows(builtinProfile('roster'), await rowsOf('roster-cp1251.csv'));
    expect(allProblems(csv)).toEqual([]);
    expect(csv.records).toHaveLength(expected['roster-cp1251'].pupils);
    expect(guardianCount(csv)).toBe(expected['roster-cp1251'].guardians);
    const xlsxFirst = roster.records.slice(0, csv.records.length);
    // Dates are text in the CSV and date cells in the XLSX: they must come out as the same days.
    expect(csv.records.map((r) => ({ values: r.values, groups: r.groups }))).toEqual(xlsxFirst.map((r) => ({ values: r.values, groups: r.groups })));
  });

  it('lessons.csv', async () => {
    const m = mapRows(builtinProfile('lessons'), await rowsOf('lessons.csv'));
    expect(allProblems(m)).toEqual([]);
    expect(m.records).toHaveLength(expected.lessons.lessons);
    expect(m.records[0]!.values).toMatchObject({ date: '2025-09-01', subject: 'Математика', lessonNumber: 2 });
  });

  it('final-marks.xlsx: the non-empty period values are every final mark', async () => {
    const m = mapRows(builtinProfile('final-marks'), await rowsOf('final-marks.xlsx'));
    expect(allProblems(m)).toEqual([]);
    const periods = Object.keys(FINAL_MARK_PERIODS);
    const marks = m.records.flatMap((r) => periods.map((p) => r.values[p]).filter((v) => v !== undefined && v !== null));
    expect(marks).toHaveLength(expected['final-marks'].finalMarks);
    // «н/а» is a final mark too (a word, not a number).
    expect(marks).toContain('н/а');
  });

  it('access-codes.xlsx', async () => {
    const m = mapRows(builtinProfile('access-codes'), await rowsOf('access-codes.xlsx'));
    expect(allProblems(m)).toEqual([]);
    expect(m.records).toHaveLength(expected['access-codes'].codes);
    const roles = m.records.map((r) => r.values.role);
    expect(roles.filter((r) => r === 'pupil').length + roles.filter((r) => r === 'guardian').length).toBe(m.records.length);
  });

  it('a user profile maps a file whose column was renamed; the built-in then refuses it', async () => {
    const rows = await rowsOf('roster.xlsx');
    const header = rows.find((r) => r.row === roster.headerRow)!;
    const renamed = rows.map((r) => (r === header ? { ...r, cells: r.cells.map((c) => (c === 'Фамилия' ? 'Фамилия ученика' : c)) } : r));
    expect(() => mapRows(builtinProfile('roster'), renamed)).toThrow('В файле нет обязательного столбца «Фамилия» (строка заголовков 3).');

    const mine = copyProfile(builtinProfile('roster'), 'roster-renamed', 'Список с другой фамилией');
    mine.columns.find((c) => c.field === 'lastName')!.headers = ['Фамилия ученика'];
    const saved = profileFromJson(profileToJson(mine));
    const m = mapRows(saved, renamed);
    expect(m.records).toHaveLength(expected.roster.pupils);
    expect(m.headers.lastName).toBe('Фамилия ученика');
    expect(m.records.map((r) => r.values)).toEqual(roster.records.map((r) => r.values));
  });
});
