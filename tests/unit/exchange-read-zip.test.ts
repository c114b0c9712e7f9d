import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ENTRIES, readPackage, readPackageContents, readTable } from '../../main/exchange/read';
import { parseJsonNumber } from '../../main/exchange/read/json';
import { unsafeEntryPath } from '../../main/exchange/read/zip';
import { buildZip, deflatedZeros, entryOf } from '../support/zip';
import { refusal } from '../support/refusal';

/**
 * Hostile and broken archives are built here byte by byte, so each one lies exactly where the
 * test says: declared sizes, names, flags. Nothing depends on the shared fixtures.
 */


/** Runs `work`, sampling RSS meanwhile; returns the peak growth in MB and the time taken. */
async function measured(work: () => Promise<unknown>): Promise<{ growthMb: number; ms: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = Date.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { growthMb: (peak - before) / (1024 * 1024), ms: Date.now() - started };
}

const ZEROS_MB = 300;
let bomb: Buffer | null = null;
async function zeroBomb(): Promise<Buffer> {
  bomb ??= await deflatedZeros(ZEROS_MB);
  return bomb;
}

describe('zip bombs', () => {
  it('are refused from the central directory when the sizes are declared honestly', async () => {
    const stored = await zeroBomb();
    const zip = buildZip([{ name: 'students.json', stored, declaredSize: ZEROS_MB * 1024 * 1024 }]);
    const { growthMb, ms } = await measured(async () => {
      const error = await refusal(readPackage({ zip, name: 'kiasuo.zip' }));
      expect(error.message).toMatch(/^Архив «kiasuo\.zip» отклонён: .*zip-бомбу/);
    });
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(3000);
  });

  it('are stopped while inflating when the headers lie about the size', async () => {
    const stored = await zeroBomb();
    // Declared as a plain 1:2 entry, so nothing in the central directory looks wrong.
    const zip = buildZip([{ name: 'students.json', stored, declaredSize: stored.length * 2 }]);
    const { growthMb, ms } = await measured(async () => {
      const error = await refusal(readPackage({ zip, name: 'kiasuo.zip' }));
      expect(error.message).toMatch(/^Архив «kiasuo\.zip» отклонён: .*zip-бомбу/);
    });
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(5000);
  });

  it('are refused when honest entries, each within the ratio, add up to more than allowed', async () => {
    // 400 KB standing for 60 MB is 150:1 — fine alone; four of them declare 240 MB in all.
    const stored = Buffer.alloc(400 * 1024, 7);
    const parts = [1, 2, 3, 4].map((n) => ({ name: `part${n}.json`, stored, declaredSize: 60 * 1024 * 1024 }));
    const error = await refusal(readPackage({ zip: buildZip(parts), name: 'parts.zip' }));
    expect(error.message).toContain('больше 200 МБ');
  });

  it('named .xlsx are refused the same way before exceljs sees them', async () => {
    const stored = await zeroBomb();
    const zip = buildZip([
      entryOf('[Content_Types].xml', '<Types/>'),
      { name: 'xl/worksheets/sheet1.xml', stored, declaredSize: stored.length * 3 },
      entryOf('xl/workbook.xml', '<workbook/>'),
    ]);
    const { growthMb, ms } = await measured(async () => {
      const error = await refusal(readTable('список.xlsx', zip));
      expect(error.message).toMatch(/^Файл «список\.xlsx» отклонён: .*zip-бомбу/);
    });
    expect(growthMb).toBeLessThan(100);
    expect(ms).toBeLessThan(5000);
  });
});

describe('hostile archive structure', () => {
  it('refuses more entries than allowed before reading any of them', async () => {
    const entries = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => entryOf(`e${i}.json`, '1', 0));
    const error = await refusal(readPackage({ zip: buildZip(entries), name: 'many.zip' }));
    expect(error.message).toContain(`записей в архиве — ${MAX_ENTRIES + 1}`);
    expect(error.message).toContain(`не больше ${MAX_ENTRIES}`);
  });

  it.each([
    ['../evil.json', 'выход за пределы архива'],
    ['data/../../evil.json', 'выход за пределы архива'],
    ['/abs.json', 'абсолютный путь'],
    ['C:/evil.json', 'буквой диска'],
    ['dir\\evil.json', 'обратная косая черта'],
  ])('refuses the entry path %s', async (name, reason) => {
    const zip = buildZip([entryOf('students.json', '[]'), entryOf(name, '{}')]);
    const error = await refusal(readPackage({ zip, name: 'kiasuo.zip' }));
    expect(error.message).toContain(`«${name}»`);
    expect(error.message).toContain(reason);
    // An XLSX gets the same scrutiny.
    await refusal(readTable('книга.xlsx', zip));
  });

  it('refuses encrypted entries and duplicated names', async () => {
    const encrypted = { ...entryOf('students.json', '[]', 0), flags: 0x1 };
    encrypted.stored = Buffer.concat([Buffer.alloc(12), encrypted.stored]);
    expect((await refusal(readPackage({ zip: buildZip([encrypted]), name: 'p.zip' }))).message).toContain('зашифрована');
    const twice = buildZip([entryOf('a.json', '1'), entryOf('a.json', '2')]);
    expect((await refusal(readPackage({ zip: twice, name: 'p.zip' }))).message).toContain('дважды');
  });

  it('knows safe paths from unsafe ones', () => {
    expect(unsafeEntryPath('kiasuo/students.json')).toBeNull();
    expect(unsafeEntryPath('a..b.json')).toBeNull();
    expect(unsafeEntryPath('a/../b.json')).not.toBeNull();
  });

  it('calls a non-ZIP, a truncated or an empty «package» unreadable', async () => {
    const good = buildZip([entryOf('students.json', '[{"id": 1}]')]);
    for (const zip of [Buffer.from('%PDF-1.7 not a zip'), good.subarray(0, good.length - 10), Buffer.alloc(0)]) {
      expect((await refusal(readPackage({ zip, name: 'kiasuo.zip' }))).message).toMatch(/^Файл «kiasuo\.zip» не читается как ZIP-архив: /);
    }
  });
});

describe('package contents', () => {
  it('keeps integers longer than 15 digits as their exact digits and safe numbers as numbers', async () => {
    const json = '[{"id": 10000000000455007, "neg": -123456789012345678901, "small": 42, "mark": 4.5, "max": 9007199254740993, "s": "x"}]';
    const zip = buildZip([entryOf('students.json', json)]);
    const entries = await readPackage({ zip, name: 'kiasuo.zip' });
    expect(entries.get('students.json')).toEqual([{ id: '10000000000455007', neg: '-123456789012345678901', small: 42, mark: 4.5, max: '9007199254740993', s: 'x' }]);
  });

  it('parses numbers one by one as the spec says', () => {
    expect(parseJsonNumber('1234567890123456')).toBe('1234567890123456');
    expect(parseJsonNumber('123456789012345')).toBe(123456789012345);
    expect(parseJsonNumber('0.1')).toBe(0.1);
    expect(parseJsonNumber('1e5')).toBe(100000);
    expect(parseJsonNumber('0.12345678901234567891')).toBe('0.12345678901234567891');
  });

  it('reads only *.json entries, warns about the rest and names entries without a common top folder', async () => {
    const zip = buildZip([
      entryOf('kiasuo/students.json', '[]'),
      entryOf('kiasuo/readme.txt', 'hello'),
      entryOf('kiasuo/study_periods.json', '\uFEFF[{"id": "1"}]'),
      entryOf('__MACOSX/kiasuo/._students.json', 'junk'),
    ]);
    const { entries, warnings } = await readPackageContents({ zip, name: 'kiasuo.zip' });
    expect([...entries.keys()]).toEqual(['students.json', 'study_periods.json']);
    expect(entries.get('study_periods.json')).toEqual([{ id: '1' }]);
    expect(warnings).toEqual([
      { entry: 'kiasuo/readme.txt', reason: 'не JSON-файл — пропущен' },
      { entry: '__MACOSX/kiasuo/._students.json', reason: 'служебный файл архиватора — пропущен' },
    ]);
  });

  it('refuses invalid JSON naming the entry and the place', async () => {
    const zip = buildZip([entryOf('students.json', '[\n  {"id": "1"},,\n]')]);
    const error = await refusal(readPackage({ zip, name: 'kiasuo.zip' }));
    expect(error.message).toBe('Архив «kiasuo.zip»: файл «students.json» — не JSON: ошибка в строке 2, столбце 15 (неожиданный символ «,»).');
    const cut = buildZip([entryOf('students.json', '[{"id": "1"')]);
    expect((await refusal(readPackage({ zip: cut, name: 'kiasuo.zip' }))).message).toContain('текст обрывается раньше времени');
    const twice = buildZip([entryOf('students.json', '{\n  "id": "1",\n  "id": "2"\n}')]);
    expect((await refusal(readPackage({ zip: twice, name: 'kiasuo.zip' }))).message).toMatch(/ошибка в строке 3, столбце \d+ \(ключ «id» повторяется с разными значениями\)/);
    const empty = buildZip([entryOf('students.json', ' \n')]);
    expect((await refusal(readPackage({ zip: empty, name: 'kiasuo.zip' }))).message).toBe('Архив «kiasuo.zip»: файл «students.json» — не JSON: файл пустой.');
  });

  it('refuses a JSON entry that is not UTF-8', async () => {
    const zip = buildZip([entryOf('students.json', Buffer.from([0x5b, 0x22, 0xc8, 0xe2, 0x22, 0x5d]))]);
    expect((await refusal(readPackage({ zip, name: 'kiasuo.zip' }))).message).toContain('не в кодировке UTF-8');
  });
});

describe('package folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'exchange-read-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads *.json directly inside, skipping other files and subfolders with warnings', async () => {
    const folder = join(root, 'pkg');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    writeFileSync(join(folder, 'students.json'), '[{"id": 10000000000455007}]');
    writeFileSync(join(folder, 'notes.txt'), 'x');
    writeFileSync(join(folder, 'nested', 'deep.json'), '[]');
    const { entries, warnings } = await readPackageContents({ folder });
    expect([...entries.keys()]).toEqual(['students.json']);
    expect(entries.get('students.json')).toEqual([{ id: '10000000000455007' }]);
    expect(warnings.map((w) => w.entry).sort()).toEqual(['nested', 'notes.txt']);
  });

  it('refuses a symlinked JSON file', async () => {
    const folder = join(root, 'linked');
    mkdirSync(folder);
    writeFileSync(join(root, 'outside.json'), '{"secret": true}');
    symlinkSync(join(root, 'outside.json'), join(folder, 'students.json'));
    const error = await refusal(readPackage({ folder }));
    expect(error.message).toContain('символическая ссылка');
    expect(error.message).toContain('«students.json»');
  });

  it('refuses a missing folder and one without JSON', async () => {
    expect((await refusal(readPackage({ folder: join(root, 'absent') }))).message).toBe('Папка «absent» не найдена.');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'a.txt'), 'x');
    expect((await refusal(readPackage({ folder: empty }))).message).toContain('нет ни одного файла .json');
  });
});
