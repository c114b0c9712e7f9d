import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli } from '../support/cli';

/** `year open` and `year list` through the built command line (issue 6). */

let dir: string;
let db: string;
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);
const rows = (sql: string) => {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    return raw.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    raw.close();
  }
};

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-year-'));
  db = join(dir, 'school.db');
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  expect(run('demo', '--seed', '4', '--pupils', '400').code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('year open from the command line', () => {
  it('refuses dates that do not match the name, naming the field, and writes nothing', () => {
    const bad = run('--json', 'year', 'open', '--name', '2026/2027', '--from', '2027-09-01', '--to', '2028-05-31', '--copy-from', '2025/2026');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Начало года: учебный год 2026/2027 начинается в 2026 году');
    expect(rows('select count(*) as n from school_year')).toEqual([{ n: 1 }]);
    const unknown = run('year', 'open', '--name', '2026/2027', '--copy-from', '2019/2020');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Учебный год «2019/2020» не найден');
  });

  it('opens 2026/2027 from 2025/2026 and prints the documented JSON', () => {
    const opened = run('--json', 'year', 'open', '--name', '2026/2027', '--from', '2026-09-01', '--to', '2027-05-31', '--copy-from', '2025/2026');
    expect(opened.code, opened.stderr).toBe(0);
    const result = JSON.parse(opened.stdout) as { yearId: number; name: string; copied: Record<string, number> | null };
    expect(Object.keys(result).sort()).toEqual(['copied', 'name', 'yearId']);
    expect(result.name).toBe('2026/2027');
    expect(Object.keys(result.copied ?? {}).sort()).toEqual(['classes', 'curriculum', 'groups', 'holidays', 'periods']);

    const classes = rows(`select parallel || letter as label, class_teacher_id as teacher from school_class where year_id = ${result.yearId} order by parallel, letter`);
    expect(result.copied?.classes).toBe(classes.length);
    const old5A = rows("select c.class_teacher_id as teacher from school_class c join school_year y on y.id = c.year_id where y.name = '2025/2026' and c.parallel = 5 and c.letter = 'А'")[0];
    expect(classes.find((c) => c.label === '6А')?.teacher).toBe(old5A?.teacher);
    expect(classes.some((c) => String(c.label).startsWith('12'))).toBe(false);
    expect(classes.filter((c) => String(c.label).startsWith('1') && String(c.label).length === 2).every((c) => c.teacher === null)).toBe(true);
    expect(result.copied?.curriculum).toBe(rows(`select count(*) as n from curriculum join school_class c on c.id = class_id where c.year_id = ${result.yearId}`)[0]?.n);
  });

  it('lists the years as JSON and as a Russian table; a second opening is refused', () => {
    const list = run('--json', 'year', 'list');
    expect(list.code, list.stderr).toBe(0);
    const years = JSON.parse(list.stdout) as Array<{ name: string; classes: number; pupils: number; closed: boolean }>;
    expect(years.map((y) => y.name)).toEqual(['2025/2026', '2026/2027']);
    expect(years[0]!.pupils).toBeGreaterThan(350);
    expect(years[1]).toMatchObject({ pupils: 0, closed: false });

    const text = run('year', 'list');
    expect(text.stdout).toMatch(/2026\/2027\s+01\.09\.2026\s+31\.05\.2027\s+\d+\s+0\s+открыт/);

    const again = run('year', 'open', '--name', '2026/2027');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('учебный год 2026/2027 уже есть');
  });

  it('opens a year without a source with default dates and prints Russian text', () => {
    const opened = run('year', 'open', '--name', '2027/2028');
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toContain('Открыт учебный год 2027/2028 (01.09.2027–31.05.2028)');
    expect(opened.stdout).toContain('4 четверти и 2 полугодия');
  });
});
