import { describe, expect, it } from 'vitest';
import { mapRows } from '../../main/exchange/map';
import { builtinProfile } from '../../main/exchange/profiles/builtin';
// The mapping helpers of the mapping screen are pure (common/), shared by the window and these tests.
import {
  buildUserProfile,
  defaultMapping,
  fieldLabel,
  fileColumns,
  groupKey,
  groupNumbers,
  headerTemplate,
  mappingChanged,
  mappingErrors,
  type Mapping,
} from '../../common/exchange/mapping';

const roster = builtinProfile('roster');

/** A roster whose guardian columns are named «Родитель N …» instead of «Представитель N: …». */
const HEADER = ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Родитель 1 фамилия', 'Родитель 1 имя', 'Родитель 1 кем приходится', 'Родитель 2 фамилия', 'Родитель 2 имя'];
const ROW = ['2А', 'Тестовая', 'Алла', '10.03.2017', 'Тестова', 'Ирина', 'мать', 'Тестов', 'Олег'];
const header = { row: 1, cells: HEADER };
const columns = fileColumns(header);
const at = (text: string) => String(HEADER.indexOf(text));

/** The choices a user makes on the screen for both guardians. */
function guardianChoices(base: Mapping): Mapping {
  return {
    ...base,
    [groupKey('guardians', 1, 'lastName')]: at('Родитель 1 фамилия'),
    [groupKey('guardians', 1, 'firstName')]: at('Родитель 1 имя'),
    [groupKey('guardians', 1, 'kinship')]: at('Родитель 1 кем приходится'),
    [groupKey('guardians', 2, 'lastName')]: at('Родитель 2 фамилия'),
    [groupKey('guardians', 2, 'firstName')]: at('Родитель 2 имя'),
  };
}

describe('mapping screen: repeat groups', () => {
  it('pre-fills guardian columns that carry the built-in names, and nothing for renamed ones', () => {
    const builtIn = fileColumns({ row: 1, cells: ['Фамилия', 'Представитель 2: фамилия', 'Родитель 1 фамилия'] });
    const defaults = defaultMapping(roster, builtIn);
    expect(defaults[groupKey('guardians', 2, 'lastName')]).toBe('1');
    expect(defaults[groupKey('guardians', 1, 'lastName')]).toBe('');
    expect(fieldLabel(roster, groupKey('guardians', 2, 'kinship'))).toBe('Представитель 2: Степень родства');
  });

  it('turns the number of the chosen header into the placeholder', () => {
    expect(headerTemplate('Родитель 1 фамилия', 1)).toBe('Родитель {n} фамилия');
    expect(headerTemplate(' Мать-2: имя ', 2)).toBe('Мать-{n}: имя');
    expect(headerTemplate('Родитель 12 фамилия', 1)).toBeNull();
    expect(headerTemplate('Мама фамилия', 1)).toBeNull();
  });

  it('builds a profile whose group headers find exactly the chosen columns, and the importer reads both guardians', () => {
    const defaults = defaultMapping(roster, columns);
    const mapping = guardianChoices(defaults);
    expect(mappingChanged(defaults, mapping)).toBe(true);
    expect(mappingErrors(roster, mapping, columns)).toEqual({});
    const built = buildUserProfile(roster, defaults, mapping, columns, 42);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    const group = built.profile.repeatGroups?.[0];
    expect(built.profile.id).toBe('user-42');
    expect(group?.n).toEqual([1, 2]);
    expect(group?.columns.map((c) => [c.field, c.headers])).toEqual([
      ['lastName', ['Родитель {n} фамилия']],
      ['firstName', ['Родитель {n} имя']],
      ['kinship', ['Родитель {n} кем приходится']],
    ]);
    const table = mapRows(built.profile, [header, { row: 2, cells: ROW }]);
    expect(table.records[0]?.problems).toEqual([]);
    expect(table.records[0]?.groups.guardians?.map((g) => [g.n, g.values.lastName, g.values.kinship ?? null])).toEqual([
      [1, 'Тестова', 'мать'],
      [2, 'Тестов', null],
    ]);
  });

  it('asks for the required fields of a guardian once any of its columns is chosen', () => {
    const defaults = defaultMapping(roster, columns);
    const mapping = { ...defaults, [groupKey('guardians', 2, 'firstName')]: at('Родитель 2 имя') };
    expect(mappingErrors(roster, mapping, columns)).toEqual({
      [groupKey('guardians', 2, 'lastName')]: 'обязательное поле, раз загружаются другие столбцы: представитель 2',
    });
  });

  it('refuses a column taken twice, across plain and group fields', () => {
    const defaults = defaultMapping(roster, columns);
    const mapping = { ...guardianChoices(defaults), [groupKey('guardians', 2, 'firstName')]: at('Имя') };
    expect(mappingErrors(roster, mapping, columns)[groupKey('guardians', 2, 'firstName')]).toBe('столбец «Имя» уже выбран для поля «Имя»');
  });

  it('names the guardian whose header has no number, and keeps a number the names would pick up anyway', () => {
    const odd = fileColumns({ row: 1, cells: ['Класс', 'Фамилия', 'Имя', 'Дата рождения', 'Мама фамилия', 'Мама имя'] });
    const defaults = defaultMapping(roster, odd);
    const noNumber = buildUserProfile(roster, defaults, { ...defaults, [groupKey('guardians', 1, 'lastName')]: '4', [groupKey('guardians', 1, 'firstName')]: '5' }, odd);
    expect(noNumber.ok).toBe(false);
    if (!noNumber.ok) expect(noNumber.problems[0]?.message).toMatch(/^Представитель 1: Фамилия: в названии столбца «Мама фамилия» нет номера 1/);

    // Only guardian 1 chosen: the profile keeps number 1 alone, so «Родитель 2 …» stays unread as the user chose.
    const defaults2 = defaultMapping(roster, columns);
    const onlyFirst = { ...defaults2, [groupKey('guardians', 1, 'lastName')]: at('Родитель 1 фамилия'), [groupKey('guardians', 1, 'firstName')]: at('Родитель 1 имя') };
    const built = buildUserProfile(roster, defaults2, onlyFirst, columns);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(built.profile.repeatGroups?.[0]?.n).toEqual([1]);

    // The file also has «Родитель 2 кем приходится», left unread for guardian 2: the template of guardian 1 would read it, so refused.
    const wider = fileColumns({ row: 1, cells: [...HEADER, 'Родитель 2 кем приходится'] });
    const defaults3 = defaultMapping(roster, wider);
    const refused = buildUserProfile(roster, defaults3, guardianChoices(defaults3), wider);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^Представитель 2: Степень родства: по названиям столбцов профиль возьмёт «Родитель 2 кем приходится»/)]);
  });

  it('leaves the group as it was when only plain columns change, and offers more guardians up to the limit', () => {
    const defaults = defaultMapping(roster, columns);
    const built = buildUserProfile(roster, defaults, { ...defaults, middleName: at('Родитель 2 имя') }, columns);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(built.profile.repeatGroups).toEqual(roster.repeatGroups);
    const group = roster.repeatGroups![0]!;
    expect(groupNumbers(roster, group)).toEqual([1, 2]);
    expect(groupNumbers(roster, group, 5)).toEqual([1, 2, 3, 4]);
  });
});
