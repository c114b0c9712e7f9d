import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli } from '../support/cli';

/**
 * `archive seal-year`, `archive destruction-act` and `archive destroy` through the built command
 * line (run under the build lock). Two classes keep their September lessons, so the journals
 * stay short.
 */

let dir: string;
let db: string;
const as = { env: { SCHOOL_OFFICE_PASSWORD: 'secret' } };
const run = (...args: string[]) => cli(['--db', db, '--user', 'admin', ...args], as);

function sqlite<T>(work: (raw: BetterSqlite3.Database) => T): T {
  const raw = new BetterSqlite3(db);
  try {
    return work(raw);
  } finally {
    raw.close();
  }
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'school-office-cli-archive-year-'));
  db = join(dir, 'school.db');
  expect(cli(['--db', db, 'init', '--admin', 'admin'], { input: 'secret\n' }).code).toBe(0);
  expect(run('demo', '--seed', '9', '--pupils', '30', '--year', '2025/2026').code).toBe(0);
  sqlite((raw) =>
    raw
      .prepare(
        `delete from lesson where lesson_date > '2025-09-30'
           or class_id not in (select id from school_class where parallel in (5, 6))`,
      )
      .run(),
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('archive seal-year / destruction-act / destroy from the command line', () => {
  it('refuses unknown kinds and years before doing anything', () => {
    const kinds = run('archive', 'seal-year', '--year', '2025/2026', '--kinds', 'journal,diaries');
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toContain('--kinds: неизвестный вид «diaries»');
    const year = run('archive', 'seal-year', '--year', '2019/2020');
    expect(year.code).toBe(1);
    expect(year.stderr).toContain('Учебный год «2019/2020» не найден');
  });

  it('seals the journals of the year, then reports them all as done', () => {
    const first = run('--json', 'archive', 'seal-year', '--year', '2025/2026', '--kinds', 'journal');
    expect(first.code, first.stderr).toBe(0);
    const sealed = JSON.parse(first.stdout) as { batchId: number; total: number; alreadyDone: number; sealed: { classLabel: string; archiveNo: string }[]; failed: unknown[] };
    expect(sealed).toMatchObject({ total: 2, alreadyDone: 0, failed: [] });
    expect(sealed.sealed.map((r) => [r.classLabel, r.archiveNo])).toEqual([
      ['5А', '2026-001'],
      ['6А', '2026-002'],
    ]);

    const again = run('archive', 'seal-year', '--year', '2025/2026', '--kinds', 'journal');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('всего 2, сдано в архив сейчас 0, готовых с прошлого запуска 2, с ошибкой 0');
  }, 120_000);

  it('prints the act for a far date as documented and refuses to destroy before the term', () => {
    const out = join(dir, 'акт.pdf');
    const act = run('--json', 'archive', 'destruction-act', '--as-of', '2040-01-01', '--out', out);
    expect(act.code, act.stderr).toBe(0);
    const json = JSON.parse(act.stdout) as { file: string; pages: number; volumes: number[] };
    expect(Object.keys(json).sort()).toEqual(['file', 'pages', 'volumes']);
    expect(json.file).toBe(out);
    const ids = sqlite((raw) => raw.prepare('select id from archive_volume order by archive_no').all() as { id: number }[]).map((r) => r.id);
    expect(json.volumes).toEqual(ids);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${json.pages}\\n`));
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('Итого 2 (два) дела за 2025 год.');

    const none = run('archive', 'destruction-act', '--as-of', '2027-01-01', '--out', join(dir, 'none.pdf'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('с 01.01.2031');

    const early = run('archive', 'destroy', '--act-number', '1', '--act-date', '2026-01-10', '--volume', String(ids[0]));
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('срок хранения ещё не истёк: 2026-001 — срок хранения истекает 31.12.2030');
    expect(sqlite((raw) => raw.prepare(`select count(*) as n from archive_volume where status = 'sealed'`).get())).toEqual({ n: 2 });

    const noVolume = run('archive', 'destroy', '--act-number', '1', '--act-date', '2026-01-10');
    expect(noVolume.code).toBe(2);
    expect(noVolume.stderr).toContain('Не указаны дела: --volume');
  });
});
