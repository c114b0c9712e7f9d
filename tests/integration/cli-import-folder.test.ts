import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, cli } from '../support/cli';

/**
 * `import` from the command line, continued: a КИАСУО package given as a folder (packed into
 * `<folder>.zip` on the way), refused as a whole when it holds anything but plain *.json files or
 * too much data; and Ctrl+C during a long import, which cancels the job and writes nothing.
 */

const FIXTURES = join(__dirname, '..', '..', '..', 'shared', 'fixtures');
const haveFixtures = existsSync(join(FIXTURES, 'kiasuo')) && existsSync(join(FIXTURES, 'kiasuo.zip'));
if (!haveFixtures) console.warn(`Тесты загрузки папки КИАСУО на образце пропущены: нет образцов ${FIXTURES} (../shared/fixtures).`);

const DATA_TABLES = ['pupil', 'guardian', 'pupil_guardian', 'pupil_order', 'movement_event', 'class_membership', 'period', 'lesson', 'mark', 'attendance', 'final_mark', 'external_ref', 'import_baseline'];
const PASSWORD = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-import-folder-'));
  assertBuilt();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh register with the year 2025/2026, 5А and 5Б, the samples' subjects and one teacher (written directly: the year screens come later). */
function prepareDb(name: string): string {
  const db = join(dir, name);
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  const raw = new BetterSqlite3(db);
  const year = raw.prepare("insert into school_year (name, starts_on, ends_on, closed) values ('2025/2026', '2025-09-01', '2026-05-31', 0)").run();
  for (const letter of ['А', 'Б']) raw.prepare("insert into school_class (year_id, parallel, letter, period_scheme) values (?, 5, ?, 'quarters')").run(year.lastInsertRowid, letter);
  for (const [i, subject] of ['Русский язык', 'Литература', 'Математика', 'История', 'Обществознание', 'География'].entries()) {
    raw.prepare("insert into subject (name, short_name, part, sort_order) values (?, ?, 'federal', ?)").run(subject, subject.slice(0, 4), i);
  }
  raw.prepare("insert into staff (last_name, first_name, middle_name, position) values ('Сорокина', 'Ирина', 'Павловна', 'учитель')").run();
  raw.close();
  return db;
}

const runAs = (db: string, ...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], PASSWORD);

/** The register's data tables (each CLI login adds its own audit entry, so the file itself changes). */
function digest(db: string): string {
  const raw = new BetterSqlite3(db, { readonly: true });
  const hash = createHash('sha256');
  for (const table of DATA_TABLES) hash.update(JSON.stringify(raw.prepare(`select * from ${table} order by rowid`).all()));
  raw.close();
  return hash.digest('hex');
}

function count(db: string, table: string): number {
  const raw = new BetterSqlite3(db, { readonly: true });
  const row = raw.prepare(`select count(*) as n from ${table}`).get() as { n: number };
  raw.close();
  return row.n;
}

function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(path, file), content);
  return path;
}

type Counts = Record<string, { created: number; updated: number; unchanged: number }>;
const totals = (counts: Counts) => Object.fromEntries(Object.entries(counts).map(([k, c]) => [k, c.created + c.updated + c.unchanged]));

describe.skipIf(!haveFixtures)('CLI: import of the КИАСУО package as a folder', () => {
  it('gives the same report as kiasuo.zip, with the counts of expected.json', () => {
    const db = prepareDb('kiasuo.db');
    const roster = runAs(db, '--json', 'import', '--profile', 'roster', '--file', join(FIXTURES, 'roster.xlsx'));
    expect(roster.code, roster.stderr).toBe(0);
    const expected = (JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>)['kiasuo']!;

    const before = digest(db);
    const fromZip = runAs(db, '--json', 'import', '--profile', 'kiasuo', '--file', join(FIXTURES, 'kiasuo.zip'), '--dry-run');
    expect(fromZip.code, fromZip.stderr).toBe(0);
    const fromFolder = runAs(db, '--json', 'import', '--profile', 'kiasuo', '--file', join(FIXTURES, 'kiasuo'), '--dry-run');
    expect(fromFolder.code, fromFolder.stderr).toBe(0);
    const zipReport = JSON.parse(fromZip.stdout) as { file: string; counts: Counts };
    const folderReport = JSON.parse(fromFolder.stdout) as { file: string; counts: Counts };
    expect(folderReport.file).toBe('kiasuo.zip');
    expect(folderReport).toEqual(zipReport);
    expect(digest(db)).toBe(before);

    const real = runAs(db, '--json', 'import', '--profile', 'kiasuo', '--file', join(FIXTURES, 'kiasuo'));
    expect(real.code, real.stderr).toBe(0);
    const report = JSON.parse(real.stdout) as { rejected: unknown[]; counts: Counts };
    expect(report.rejected).toEqual([]);
    const got = totals(report.counts);
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]))).toEqual(expected);
    expect(report.counts['marks']!.created).toBe(expected['marks']);
    expect(count(db, 'mark')).toBe(expected['marks']);
    expect(digest(db)).not.toBe(before);
  });
});

describe('CLI: a folder that is not a clean КИАСУО package is refused, nothing written', () => {
  it('refuses a stray non-JSON file, a nested folder, too much data, and a folder for a table profile', () => {
    const db = prepareDb('refusals.db');
    const before = digest(db);
    const students = '[]';
    const withText = folder('с-запиской', { 'students.json': students, 'записка.txt': 'не часть пакета' });
    const nested = folder('с-папкой', { 'students.json': students });
    mkdirSync(join(nested, 'старое'));
    const oversize = folder('огромная', { 'students.json': students });
    // A sparse file: 201 MB by its size, nothing on the disk; the limit is checked before reading.
    writeFileSync(join(oversize, 'lesson_marks.json'), '');
    truncateSync(join(oversize, 'lesson_marks.json'), 201 * 1024 * 1024);
    const cases: [string, string[], RegExp][] = [
      [withText, ['--profile', 'kiasuo'], /^Папка «с-запиской»: файл «записка\.txt» — не JSON\. В пакете КИАСУО допускаются только файлы \.json прямо в папке/],
      [nested, ['--profile', 'kiasuo'], /^Папка «с-папкой»: «старое» — вложенная папка\./],
      [oversize, ['--profile', 'kiasuo'], /^Папка «огромная» отклонена: файлы \.json в ней занимают больше 200 МБ\./],
      [withText, ['--profile', 'roster'], /— папка\. Папку можно загрузить только пакетом КИАСУО/],
    ];
    for (const [path, profile, message] of cases) {
      for (const dry of [[], ['--dry-run']]) {
        const result = runAs(db, '--json', 'import', ...profile, '--file', path, ...dry);
        expect(result.code, `${path} ${result.stderr}`).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
      }
    }
    expect(digest(db)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.zip'))).toEqual([]);
  });
});

describe('CLI: Ctrl+C during an import', () => {
  /** A roster of invented pupils, long enough that the import is still running when Ctrl+C comes. */
  function bigRoster(pupils: number): string {
    const syllables = ['ба', 'ве', 'ги', 'до', 'жу', 'зе', 'ки', 'ло', 'ми', 'ну'];
    const lines = ['Класс;Фамилия;Имя;Отчество;Дата рождения;Пол'];
    for (let i = 0; i < pupils; i += 1) {
      // Every pupil a different invented surname: the digits of i spelt as syllables.
      const stem = [...String(i).padStart(5, '0')].map((d) => syllables[Number(d)]).join('');
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((i % 12) + 1).padStart(2, '0');
      lines.push(`5${i % 2 ? 'Б' : 'А'};${stem[0]!.toUpperCase()}${stem.slice(1)}ов;Пётр;Иванович;${day}.${month}.2014;м`);
    }
    const path = join(dir, `список-${pupils}.csv`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  /** Runs the built CLI, sends SIGINT once the import reports progress, resolves with the outcome. */
  function interrupted(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string; sawProgress: boolean }> {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SCHOOL_OFFICE_PASSWORD: 'secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let sawProgress = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      // Only a line of work still under way: «12000 из 12000» would come too late to interrupt anything.
      const line = [...stderr.matchAll(/Обучающиеся и представители: (\d+) из (\d+)/g)].at(-1);
      if (!sawProgress && line && Number(line[1]) < Number(line[2])) {
        sawProgress = true;
        child.kill('SIGINT');
      }
    });
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout, sawProgress })));
  }

  it('cancels the job, says nothing was written, exits 130 — in a dry run and a real one', async () => {
    const db = prepareDb('interrupt.db');
    // Big enough to be still running a second in (the CLI's first progress line) on a fast machine.
    const roster = bigRoster(12000);
    const before = digest(db);
    for (const dry of [['--dry-run'], []]) {
      const result = await interrupted(['--db', db, '--user', 'admin', 'import', '--profile', 'roster', '--file', roster, ...dry]);
      expect(result.sawProgress, result.stderr).toBe(true);
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toMatch(/Загрузка прервана: ничего не записано\.\n$/);
      expect(result.stdout).toBe('');
      expect(count(db, 'pupil')).toBe(0);
      expect(digest(db)).toBe(before);
    }
    // The same file does load when nobody interrupts it: the refusal above was the Ctrl+C.
    const whole = runAs(db, '--json', 'import', '--profile', 'roster', '--file', roster, '--dry-run');
    expect(whole.code, whole.stderr).toBe(0);
    expect((JSON.parse(whole.stdout) as { counts: Counts }).counts['pupils']).toEqual({ created: 12000, updated: 0, unchanged: 0 });
  }, 240_000);
});
