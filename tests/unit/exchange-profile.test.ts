import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { checkProfile, profileFromJson, profileToJson, type ImportProfile } from '../../common/exchange/profile';
import { BUILTIN_PROFILES, builtinProfile, copyProfile, isBuiltinProfileId } from '../../main/exchange/profiles/builtin';

/** A JSON copy of a built-in profile, edited by `edit` (as a user would edit the file by hand). */
function edited(id: string, edit: (p: Record<string, unknown> & { columns: Record<string, unknown>[] }) => void): string {
  const p = JSON.parse(profileToJson(builtinProfile(id)!)) as Record<string, unknown> & { columns: Record<string, unknown>[] };
  edit(p);
  return JSON.stringify(p);
}

function refusal(text: string): ApiError {
  try {
    profileFromJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('refused');
    return e as ApiError;
  }
  throw new Error('the profile was accepted');
}

describe('import profiles: built-in', () => {
  it('has the six profiles of formats.md, each valid under the schema', () => {
    expect(BUILTIN_PROFILES.map((p) => p.id).sort()).toEqual(['access-codes', 'final-marks', 'journal-report', 'kiasuo', 'lessons', 'roster']);
    for (const p of BUILTIN_PROFILES) expect(checkProfile(p)).toEqual({ ok: true, profile: p });
    expect(isBuiltinProfileId('roster')).toBe(true);
    expect(isBuiltinProfileId('my-roster')).toBe(false);
  });

  it('marks the journal report and the КИАСУО package as special layouts without columns', () => {
    expect(builtinProfile('journal-report')).toMatchObject({ layout: 'journal-report', entity: 'journal', fileKinds: ['xlsx'], columns: [] });
    expect(builtinProfile('kiasuo')).toMatchObject({ layout: 'kiasuo-package', entity: 'kiasuo', fileKinds: ['zip-json'], columns: [] });
  });

  it('describes guardians N = 1 and 2 as one repeat group with a placeholder', () => {
    const group = builtinProfile('roster').repeatGroups![0]!;
    expect(group.group).toBe('guardians');
    expect(group.n).toEqual([1, 2]);
    expect(group.columns.map((c) => c.headers[0])).toContain('Представитель {n}: Степень родства');
  });

  it('round-trips through a JSON file unchanged', () => {
    for (const p of BUILTIN_PROFILES) expect(profileFromJson(profileToJson(p))).toEqual(p);
  });

  it('is frozen; a user profile is an independent copy with another id', () => {
    const roster = builtinProfile('roster');
    expect(() => (roster.columns[1]!.headers as string[]).push('x')).toThrow();
    const mine = copyProfile(roster, 'moy-spisok', 'Мой список');
    mine.columns[1]!.headers = ['Фамилия ученика'];
    mine.sheet = 'Лист2';
    mine.headerSearch = { row: 4 };
    expect(roster.columns[1]!.headers).toEqual(['Фамилия']);
    const back = profileFromJson(profileToJson(mine));
    expect(back).toMatchObject({ id: 'moy-spisok', basedOn: 'roster', sheet: 'Лист2', headerSearch: { row: 4 } });
  });
});

describe('import profiles: refusals name the path', () => {
  it('refuses text that is not JSON', () => {
    expect(refusal('{"id": ').message).toBe('Файл профиля импорта не читается как JSON. Выберите файл, сохранённый программой.');
  });

  it('refuses an unknown conversion', () => {
    const e = refusal(edited('roster', (p) => (p.columns[4]!.convert = 'dateTime')));
    expect(e.message).toContain('columns[4].convert: неизвестное преобразование «dateTime»');
    expect(e.fields).toHaveProperty('columns[4].convert');
  });

  it('refuses a field given twice', () => {
    const e = refusal(edited('lessons', (p) => (p.columns[5]!.field = 'teacher')));
    expect(e.message).toContain('columns[6].field: поле «teacher» указано дважды');
  });

  it('refuses an entity that does not exist', () => {
    const e = refusal(edited('lessons', (p) => (p.entity = 'teachers')));
    expect(e.message).toContain('entity: неизвестный вид данных «teachers»');
  });

  it('refuses a field the entity does not have, and a conversion the field cannot take', () => {
    expect(refusal(edited('lessons', (p) => (p.columns[4]!.field = 'room'))).message).toContain('columns[4].field: поле «room» не относится к данным «Темы уроков и домашние задания»');
    expect(refusal(edited('roster', (p) => (p.columns[4]!.convert = 'text'))).message).toContain(
      'columns[4].convert: поле «birthDate» (Дата рождения) ожидает преобразование «date», а указано «text»',
    );
  });

  it('refuses an essential field made optional or left out', () => {
    expect(refusal(edited('roster', (p) => (p.columns[1]!.required = false))).message).toContain('columns[1].required: поле «lastName» (Фамилия) должно быть обязательным');
    expect(refusal(edited('roster', (p) => p.columns.splice(4, 1))).message).toContain('columns: нет обязательного поля «birthDate» (Дата рождения)');
  });

  it('refuses unknown keys (strict objects) and a missing key', () => {
    expect(refusal(edited('roster', (p) => (p.columns[0]!.width = 20))).message).toContain('columns[0]: лишнее поле «width»');
    expect(refusal(edited('roster', (p) => delete p.title)).message).toContain('title: обязательное поле не указано');
    expect(refusal(edited('roster', (p) => (p.version = 2))).message).toContain('version: неизвестная версия профиля: ожидается 1');
  });

  it('refuses one header claimed by two fields', () => {
    const e = refusal(edited('roster', (p) => (p.columns[3]!.headers = ['Отчество', 'Имя'])));
    expect(e.message).toContain('columns[3].headers[1]: заголовок «Имя» уже отнесён к полю «firstName»');
  });

  it('refuses a repeat group header without the placeholder, or a number given twice', () => {
    const noPlaceholder = edited('roster', (p) => {
      const g = (p.repeatGroups as { columns: { headers: string[] }[] }[])[0]!;
      g.columns[0]!.headers = ['Фамилия представителя'];
    });
    expect(refusal(noPlaceholder).message).toContain('repeatGroups[0].columns[0].headers[0]: заголовок столбца группы должен содержать {n}');
    const twice = edited('roster', (p) => ((p.repeatGroups as { n: number[] }[])[0]!.n = [1, 1]));
    expect(refusal(twice).message).toContain('repeatGroups[0].n: номер указан дважды');
    const unknown = edited('roster', (p) => ((p.repeatGroups as { group: string }[])[0]!.group = 'teachers'));
    expect(refusal(unknown).message).toContain('repeatGroups[0].group: группа «teachers» не относится к данным «Обучающиеся и представители»; допустимые: guardians');
  });

  it('refuses a layout that does not suit the entity or the file kinds', () => {
    expect(refusal(edited('lessons', (p) => (p.fileKinds = ['zip-json']))).message).toContain('fileKinds: табличный профиль читает только xlsx и csv');
    expect(refusal(edited('kiasuo', (p) => (p.layout = 'table'))).message).toContain('layout: данные «Пакет данных КИАСУО» читаются особым образом');
    expect(refusal(edited('journal-report', (p) => (p.entity = 'lessons'))).message).toContain('entity: раскладка «journal-report» относится к данным «journal»');
  });

  it('refuses matching by СНИЛС without a СНИЛС column, and final marks without any period column', () => {
    expect(refusal(edited('access-codes', (p) => (p.match = ['snils']))).message).toContain('match[0]: сопоставление «snils» требует столбцов «snils»');
    const noPeriods = edited('final-marks', (p) => (p.columns = p.columns.slice(0, 6)));
    expect(refusal(noPeriods).message).toContain('columns: нужен хотя бы один из столбцов: 1 четверть, 2 четверть');
  });

  it('lists every problem at once', () => {
    const e = refusal(
      edited('lessons', (p) => {
        p.columns[4]!.convert = 'nope';
        p.columns[6]!.headers = [];
      }),
    );
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['columns[4].convert', 'columns[6].headers']);
    expect(e.message).toMatch(/^Профиль импорта не принят: /);
  });

  it('refuses a file too large to be a profile', () => {
    expect(refusal(' '.repeat(1_000_001)).message).toContain('слишком большой');
  });

  it('accepts a user profile with other headers, another sheet and a header search', () => {
    const text = edited('roster', (p) => {
      p.id = 'roster-school-2';
      p.basedOn = 'roster';
      p.columns[1]!.headers = ['Фамилия ученика'];
      p.sheet = 2;
      p.headerSearch = { maxRows: 10 };
    });
    const p: ImportProfile = profileFromJson(text);
    expect(p.columns[1]!.headers).toEqual(['Фамилия ученика']);
    expect(p.sheet).toBe(2);
  });
});
