import { describe, expect, it } from 'vitest';
import { folderPackageProblem, packedFolderProblem } from '../../common/exchange/folder-package';

const json = (name: string, bytes = 100) => ({ name, kind: 'file' as const, bytes });

describe('a КИАСУО package given as a folder', () => {
  it('takes plain .json files lying directly in the folder', () => {
    expect(folderPackageProblem('kiasuo', [json('students.json'), json('SCHOOL_CLASSES.JSON')])).toBeNull();
  });

  it('refuses, naming the folder and the entry, anything else', () => {
    expect(folderPackageProblem('пакет', [])).toMatch(/^Папка «пакет» пуста/);
    expect(folderPackageProblem('пакет', [json('a.json'), json('записка.txt')])).toMatch(/^Папка «пакет»: файл «записка\.txt» — не JSON\./);
    expect(folderPackageProblem('пакет', [{ name: 'старое', kind: 'folder', bytes: 0 }])).toMatch(/«старое» — вложенная папка\./);
    expect(folderPackageProblem('пакет', [json('старое/a.json')])).toMatch(/«старое\/a\.json» лежит во вложенной папке/);
    expect(folderPackageProblem('пакет', [{ name: 'a.json', kind: 'link', bytes: 0 }])).toMatch(/символическая ссылка/);
  });

  it('holds the limits of an archive: entries, total size, and the packed size', () => {
    expect(folderPackageProblem('пакет', Array.from({ length: 2001 }, (_, i) => json(`${i}.json`)))).toMatch(/файлов в ней — 2001, а допустимо не больше 2000/);
    expect(folderPackageProblem('пакет', [json('a.json', 150 * 2 ** 20), json('b.json', 51 * 2 ** 20)])).toMatch(/занимают больше 200 МБ/);
    expect(packedFolderProblem('пакет', 50 * 2 ** 20)).toBeNull();
    expect(packedFolderProblem('пакет', 50 * 2 ** 20 + 1)).toMatch(/больше 50 МБ/);
  });
});
