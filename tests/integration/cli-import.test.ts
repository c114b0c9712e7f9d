import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileToJson } from '../../common/exchange/profile';
import { builtinProfile, copyProfile } from '../../main/exchange/profiles/builtin';
import { readTable } from '../../main/exchange/read';
import { assertBuilt, cli } from '../support/cli';
import { zipOf } from '../support/zip';

/**
 * `import` from the command line: the report of formats.md printed as JSON, exit 1 with one
 * Russian message for a file refused as a whole, and no data table changed by a refusal or a
 * dry run.
 */

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures');
const haveFixtures = existsSync(join(FIXTURES, 'roster.xlsx'));
if (!haveFixtures) console.warn(`Тесты команды import пропущены: нет образцов ${FIXTURES} (../shared/fixtures).`);

let dir: string;
let db: string;
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);

/** The register's data tables (each CLI login adds its own audit entry, so the file itself changes). */
function digest(): string {
  const raw = new BetterSqlite3(db, { readonly: true });
  const hash = createHash('sha256');
  for (const table of ['pupil', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership', 'alphabet_counter', 'import_baseline']) {
    hash.update(JSON.stringify(raw.prepare(`select * from ${table} order by rowid`).all()));
  }
  raw.close();
  return hash.digest('hex');
}

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** One honestly declared entry that inflates far beyond the allowed ratio. */
const zipBomb = (): Buffer => zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024));

describe.skipIf(!haveFixtures)('CLI: import', () => {
  let expected: { roster: { pupils: number; guardians: number } };
  const roster = join(FIXTURES, 'roster.xlsx');

  beforeAll(async () => {
    assertBuilt();
    expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as typeof expected;
    dir = mkdtempSync(join(tmpdir(), 'school-office-cli-import-'));
    db = join(dir, 'school.db');
    expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
    // The year 2025/2026 with the classes the file names, written directly (the year screens come later).
    const { rows } = await readTable('roster.xlsx', readFileSync(roster));
    const header = rows.find((r) => r.cells.includes('Класс'))!;
    const labels = new Set(rows.filter((r) => r.row > header.row).map((r) => String(r.cells[header.cells.indexOf('Класс')])));
    const raw = new BetterSqlite3(db);
    const year = raw.prepare("insert into school_year (name, starts_on, ends_on, closed) values ('2025/2026', '2025-09-01', '2026-05-26', 0)").run();
    for (const label of labels) {
      raw.prepare("insert into school_class (year_id, parallel, letter, period_scheme) values (?, ?, ?, 'quarters')").run(year.lastInsertRowid, Number(/^\d+/.exec(label)![0]), label.replace(/^\d+/, ''));
    }
    raw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the dry-run report and writes nothing, then imports, then changes nothing on a second run', () => {
    const before = digest();
    const dry = run('--json', 'import', '--profile', 'roster', '--file', roster, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      profile: 'roster',
      file: 'roster.xlsx',
      dryRun: true,
      counts: { pupils: { created: expected.roster.pupils, updated: 0, unchanged: 0 }, guardians: { created: expected.roster.guardians, updated: 0, unchanged: 0 } },
      rejected: [],
      conflicts: [],
      warnings: [],
    });
    expect(digest()).toBe(before);

    const real = run('--json', 'import', '--profile', 'roster', '--file', roster);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ dryRun: false, counts: { pupils: { created: expected.roster.pupils }, guardians: { created: expected.roster.guardians } } });
    const after = digest();
    expect(after).not.toBe(before);

    const again = run('--json', 'import', '--profile', 'roster', '--file', roster);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { counts: unknown }).counts).toEqual({
      pupils: { created: 0, updated: 0, unchanged: expected.roster.pupils },
      guardians: { created: 0, updated: 0, unchanged: expected.roster.guardians },
    });
    const text = run('import', '--profile', 'roster', '--file', roster, '--dry-run');
    expect(text.stdout).toMatch(/^Пробная загрузка \(ничего не записано\): roster\.xlsx, профиль roster/);
  });

  it('refuses malformed and hostile files with exit 1 and one Russian message, changing no data table', () => {
    const before = digest();
    const xlsx = readFileSync(roster);
    const cases: [string, Buffer | string, RegExp][] = [
      ['обрезан.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2)), /не читается как книга Excel.*файл обрезан/],
      ['отчёт.xlsx', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', /это PDF-документ, а не таблица/],
      ['бомба.xlsx', zipBomb(), /отклонён: .*zip-бомбу/],
      ['без фамилии.csv', 'Класс;Имя;Дата рождения\n5А;Иван;01.02.2014\n', /В файле нет обязательного столбца «Фамилия»/],
    ];
    for (const [name, bytes, message] of cases) {
      const result = run('--json', 'import', '--profile', 'roster', '--file', file(name, bytes));
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toBe('');
      expect(result.stderr, name).toMatch(message);
    }
    expect(run('import', '--profile', 'кошки', '--file', roster).stderr).toMatch(/Профиль загрузки «кошки» неизвестен/);
    expect(run('import', '--profile', 'roster', '--file', join(dir, 'нет.xlsx')).code).toBe(1);
    expect(run('import', '--file', roster).code).toBe(2);
    expect(digest()).toBe(before);
  });

  it('takes a profile file, and saves the rejected rows only where asked', () => {
    const mine = copyProfile(builtinProfile('roster'), 'my-roster', 'Мой список');
    mine.columns = mine.columns.map((c) => (c.field === 'lastName' ? { ...c, headers: ['Фамилия ученика'] } : c));
    const profileFile = file('мой.json', profileToJson(mine));
    const csv = file('мой.csv', 'Класс;Фамилия ученика;Имя;Дата рождения;Пол\n9Я;Новиков;Пётр;01.02.2014;м\n');
    const out = join(dir, 'отклонённые.xlsx');
    const result = run('--json', 'import', '--profile-file', profileFile, '--file', csv, '--rejected-out', out);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).not.toHaveProperty('rejectedFile');
    expect(report).toMatchObject({ profile: 'my-roster', rejected: [{ row: 2, column: 'Класс', reason: 'класс 9Я не найден в учебном году 2025/2026: откройте год или проверьте класс' }] });
    expect(existsSync(out)).toBe(true);
    const bad = run('import', '--profile-file', file('плохой.json', '{"version": 1}'), '--file', csv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Профиль импорта не принят: /);
  });
});
